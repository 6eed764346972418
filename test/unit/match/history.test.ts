/**
 * Source history: the line diff (checked against a brute-force LCS on random edits), offset
 * mappers that vouch only for the right declaration, drift found from history where pairing calls
 * by callee cannot (function-value calls), and the "edited since the profile" classification.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../../fuzzing';
import { indexPackage } from '../../../src/source/index';
import { HeatTable } from '../../../src/pgo/heat-table';
import type { NamedEdge, PgoProfile } from '../../../src/pgo/model';
import { hotSet } from '../../../src/pgo/model';
import { lineMap, splitLines } from '../../../src/match/linediff';
import { fileHistory, functionChange, offsetMapper } from '../../../src/match/history';
import { type IndexedPackage, matchBinary } from '../../../src/match/match';
import { planFromMatch } from '../../../src/match/rewrite';
import { mapOffset } from '../../../src/match/refactor';

function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Int32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  return dp[0]![0]!;
}

test('lineMap is a longest common subsequence, monotone and exact (random edits)', () => {
  const r = rng(7);
  for (let trial = 0; trial < 300; trial++) {
    const a = Array.from({ length: Math.floor(r() * 40) }, () => `l${Math.floor(r() * 8)}`);
    const b = a.slice();
    for (let k = Math.floor(r() * 6); k > 0; k--) {
      const at = Math.floor(r() * (b.length + 1));
      if (r() < 0.5 && b.length) b.splice(Math.min(at, b.length - 1), 1);
      else b.splice(at, 0, `n${Math.floor(r() * 8)}`);
    }
    const m = lineMap(a, b);
    let last = -1;
    let matched = 0;
    for (let i = 0; i < a.length; i++) {
      if (m[i]! < 0) continue;
      assert.equal(a[i], b[m[i]!], `trial ${trial}: line ${i} maps to a different line`);
      assert.ok(m[i]! > last, `trial ${trial}: not monotone`);
      last = m[i]!;
      matched++;
    }
    assert.equal(matched, lcsLength(a, b), `trial ${trial}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
  }
});

test('lineMap beyond maxEdits keeps only the common prefix and suffix', () => {
  const a = ['p', 'x1', 'x2', 'x3', 's'];
  const b = ['p', 'y1', 'y2', 's'];
  assert.deepEqual([...lineMap(a, b, 2)], [0, -1, -1, -1, 3]);
  assert.deepEqual([...lineMap(a, b)], [0, -1, -1, -1, 3]);
  assert.deepEqual(splitLines('a\r\nb\n'), ['a', 'b', '']);
});

const OLD = `package main

var handlers = []func(int) int{inc, dbl}

func main() {
	println(run([]int{0, 1}))
}

func run(ops []int) int {
	x := 0
	for _, op := range ops {
		x = handlers[op](x)
	}
	return x
}

func inc(x int) int { return x + 1 }
func dbl(x int) int { return x * 2 }
`;
// Two lines inside run above the function-value call, and one line above run.
const NEW = OLD.replace('func run(', '// run runs.\nfunc run(').replace('\tx := 0\n', '\tx := 0\n\t// the handlers\n\t// are indexed by op\n');

function pkgOf(text: string): IndexedPackage {
  return { dir: '/m', importPath: 'example.com/m', symbolPath: 'main', index: indexPackage([{ name: 'a.go', text }], { pkgPath: 'main' }) };
}

function profileOf(edges: Array<[string, number, string, number]>, starts: Record<string, number>): PgoProfile {
  const es: NamedEdge[] = edges.map(([caller, offset, callee, weight]) => ({ caller, offset, callee, weight }));
  return {
    totalWeight: es.reduce((s, e) => s + e.weight, 0),
    edges: es,
    format: 'pprof',
    sampleType: null,
    sampleTypes: [],
    sampleCount: 0,
    sampleTotal: 0,
    durationNanos: 0,
    heat: HeatTable.fromRows(Object.entries(starts).map(([name, startLine]) => ({ name, file: '/m/a.go', startLine, flat: 0, cum: 0, lines: [] }))),
  } as unknown as PgoProfile;
}

// run starts at line 9 of OLD; the function-value call handlers[op](x) is at +3.
const PROFILE = profileOf(
  [
    ['main.run', 3, 'main.inc', 600],
    ['main.run', 3, 'main.dbl', 100],
    ['main.main', 1, 'main.run', 10],
  ],
  { 'main.run': 9, 'main.main': 5 },
);

test('offsetMapper follows the diff, relative to the current declaration; refuses a wrong start line', () => {
  const h = fileHistory('c0ffee', OLD, NEW);
  const run = pkgOf(NEW).index.funcs.find((f) => f.symbol === 'main.run')!;
  assert.equal(run.physicalStartLine, 10);
  const m = offsetMapper(h, 9, run)!;
  assert.ok(m);
  assert.equal(m(0), 0); // the declaration
  assert.equal(m(1), 1); // x := 0
  assert.equal(m(3), 5); // the call, two lines further down
  assert.equal(m(5), 7);
  // line 5 of OLD is `func main()`, not run's declaration: the history cannot vouch
  assert.equal(offsetMapper(h, 5, run), undefined);
  assert.equal(offsetMapper(h, 0, run), undefined);
  const ch = functionChange(h, 9, run, [3])!;
  assert.deepEqual(ch, { added: 2, removed: 0, shifted: 1 });
  // main itself is unchanged (the comment above run is not part of it)
  const main = pkgOf(NEW).index.funcs.find((f) => f.symbol === 'main.main')!;
  assert.deepEqual(functionChange(h, 5, main, [1]), { added: 0, removed: 0, shifted: 0 });
});

test('drift of a function-value call: paired with the function-value call without history, exact with history', () => {
  const p = pkgOf(NEW);
  const hot = hotSet(PROFILE, 99);
  const base = { root: '/m', mainDir: '/m', profilePath: '/m/default.pgo', profile: PROFILE, hot, packages: [p] };
  // Without history: +3 is now a comment line (no call can be there); the only function-value call is at +5.
  const calls = matchBinary(base);
  assert.deepEqual(
    calls.unmatched.map((u) => [u.symbol, u.kind, u.basis, u.shift, u.edgeMap]),
    [
      [
        'main.run',
        'offset-drift',
        'calls',
        2,
        [
          { caller: 'main.run', callee: 'main.dbl', from: 3, to: 5, weight: 100 },
          { caller: 'main.run', callee: 'main.inc', from: 3, to: 5, weight: 600 },
        ],
      ],
    ],
  );
  assert.equal(calls.matchedPercent, 100 - calls.unmatched[0]!.percent);
  const h = fileHistory('c0ffee', OLD, NEW);
  const m = matchBinary({ ...base, history: (_pkg, file) => (file === 'a.go' ? h : undefined) });
  const u = m.unmatched.find((x) => x.symbol === 'main.run');
  assert.ok(u, JSON.stringify(m.unmatched));
  assert.equal(u.kind, 'offset-drift');
  assert.equal(u.basis, 'git');
  assert.equal(u.shift, 2);
  assert.equal(u.confidence, 1);
  assert.match(u.reason, /git history since c0ffee/);
  assert.ok(m.matchedPercent < 100);
  // the re-alignment covers every unchanged line, not only the calls
  const plan = planFromMatch(m);
  const lm = plan.realign.get('main.run')!;
  assert.equal(mapOffset(lm, 3), 5);
  assert.equal(mapOffset(lm, 4), 6); // `}` of the loop: no call there
  assert.equal(mapOffset(lm, 1), 1);
  // Unchanged text: the history says nothing moved.
  const same = fileHistory('c0ffee', OLD, OLD);
  assert.deepEqual(matchBinary({ ...base, packages: [pkgOf(OLD)], history: () => same }).unmatched, []);
});
