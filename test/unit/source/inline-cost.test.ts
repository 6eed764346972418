/**
 * The inliner cost estimate (source/inline-cost.ts + match/inlinable.ts) on a small package
 * whose true costs were printed by the Go 1.26 compiler (`go build -gcflags=-m=2`, noted per
 * function below). The estimate must fall in its own uncertainty band around the compiler's
 * cost, and the verdicts at budget 80 must not contradict the compiler ('maybe' near the budget,
 * a decision far from it). The oracle comparison on real packages is scripts/inline-cost.mjs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexPackage } from '../../../src/source/index';
import { costModel, INLINE_BUDGET, verdict } from '../../../src/match/inlinable';

const SRC = `package main

import "strings"

type P struct{ x, y int }

func add(a, b int) int { return a + b }

func (p *P) Sum() int { return p.x + p.y }

func loop(xs []int) int {
	s := 0
	for _, x := range xs {
		if x > 0 {
			s += x
		}
	}
	return s
}

func calls(xs []int) int {
	return loop(xs) + add(1, 2) + len(strings.Fields("a b"))
}

func big(xs []int, m map[string]int) int {
	t := 0
	for i := 0; i < len(xs); i++ {
		switch {
		case xs[i] > 10:
			t += xs[i] * 2
		case xs[i] < 0:
			t -= xs[i]
		default:
			m["k"]++
		}
	}
	var p P
	p.x = t
	return p.Sum() + loop(xs) + loop(xs[1:])
}

// never is never inlined.
//go:noinline

// (the pragma still applies across the blank line)
func never() int { return 1 }

func deferred() { defer never() }

func rec() (err error) {
	if recover() != nil {
		return nil
	}
	return nil
}

func clo(n int) func() int { return func() int { return n } }

func main() {}
`;

// `can inline X with cost N` / `cannot inline X: ...` from the compiler for SRC
const COMPILER: Record<string, { cost?: number; refusal?: string }> = {
  'main.add': { cost: 4 },
  'main.(*P).Sum': { cost: 6 },
  'main.loop': { cost: 20 },
  'main.calls': { cost: 95 },
  'main.big': { cost: 117 },
  'main.never': { refusal: 'marked go:noinline' },
  'main.deferred': { refusal: 'unhandled op DEFER' },
  'main.rec': { refusal: 'call to recover' },
  'main.clo': { cost: 17 },
};

const ix = indexPackage([{ name: 'a.go', text: SRC }], { pkgPath: 'main' });
const cost = costModel((s) => ix.bySymbol.get(s));

test('refusals whatever the budget', () => {
  for (const [sym, c] of Object.entries(COMPILER)) {
    if (!c.refusal) continue;
    const e = cost(sym)!;
    assert.equal(e.refusal, c.refusal, sym);
    assert.equal(verdict(e, INLINE_BUDGET), 'no', sym);
  }
});

test('costs fall in the estimate band and verdicts agree with the compiler', () => {
  for (const [sym, c] of Object.entries(COMPILER)) {
    if (c.cost === undefined) continue;
    const e = cost(sym)!;
    assert.ok(e, sym);
    assert.equal(e.refusal, undefined, sym);
    assert.ok(e.low <= c.cost && c.cost <= e.high, `${sym}: compiler ${c.cost}, ours ${e.cost} [${e.low}, ${e.high}]`);
    const v = verdict(e, INLINE_BUDGET);
    const truth = c.cost <= INLINE_BUDGET ? 'yes' : 'no';
    // never contradicts the compiler; far from the budget it decides
    assert.notEqual(v, truth === 'yes' ? 'no' : 'yes', `${sym}: compiler ${c.cost}, ours ${e.cost} [${e.low}, ${e.high}]`);
    if (c.cost <= INLINE_BUDGET / 2) assert.equal(v, truth, sym);
  }
});

test('exact small costs', () => {
  // one node per IR node: ORETURN + OADD + 2 ONAME = 4; ORETURN + OADD + 2×(ODOTPTR + ONAME) = 6
  assert.equal(cost('main.add')!.cost, 4);
  assert.equal(cost('main.(*P).Sum')!.cost, 6);
});
