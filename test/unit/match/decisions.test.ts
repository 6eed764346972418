/**
 * The compiler's rules for PGO devirtualization and hot-budget inlining, on in-memory packages
 * and synthetic profiles through the index and the matcher: interface satisfaction through
 * method sets (pgo.go findHotConcreteInterfaceCallee: `typecheck.Implements(methodRecvType)`),
 * body availability across packages (shouldPGODevirt / InlineImpossible "no function body": a
 * callee of another package has a body only if it was inlinable there), the IR-less hottest
 * callee, and which hot sites are decisions (inlineCostOK: cost in (80, 2000]). Expected
 * outcomes are the compiler's for the same rules; the corpus oracle measures them on real code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBuildContext } from '../../../src/source/build-tags';
import { indexPackage } from '../../../src/source/index';
import { typeSource } from '../../../src/source/method-sets';
import { describePackage } from '../../../src/source/packages';
import { type ExternalPackage, type ImportResolver, parseDeclarations } from '../../../src/source/package-env';
import type { Universe } from '../../../src/source/universe';
import { hotSet } from '../../../src/pgo/model';
import { edgeProfile } from './edge-profile';
import { type BinaryMatch, type IndexedPackage, matchBinary } from '../../../src/match/match';
import { classifyHotSite } from '../../../src/match/hot-sites';

const LIB = `package lib

type I interface{ M() int }

type Small struct{ n int }

func (s *Small) M() int { return s.n }

type Deferred struct{ n int }

func (d *Deferred) M() int {
	defer d.reset()
	return d.n
}

func (d *Deferred) reset() { d.n = 0 }

type Pinned struct{}

//go:noinline
func (Pinned) M() int { return 1 }

type hidden struct{}

func (hidden) M() int { return 2 }
`;

const MAIN = `package main

import "example.com/lib"

type Node interface {
	Parent() Node
	Eval() int
}

type Parented interface{ Parent() Node }

type BaseNode struct{ parent Node }

func (b *BaseNode) Parent() Node { return b.parent }

type Num struct {
	BaseNode
	v int
}

func (n *Num) Eval() int { return n.v }

func viaNode(n Node) Node { return n.Parent() }

func viaParented(p Parented) Node { return p.Parent() }

func run1(i lib.I) int { return i.M() }

func run2(i lib.I) int { return i.M() }

func run3(i lib.I) int { return i.M() }

func run4(i lib.I) int { return i.M() }

func run5(i lib.I) int { return i.M() }

func small(x int) int { return x + 1 }

func medium(xs []int) int {
	t := 0
	for i := 0; i < len(xs); i++ {
		switch {
		case xs[i] > 10:
			t += xs[i] * 2
		case xs[i] < 0:
			t -= xs[i]
		default:
			t++
		}
	}
	for _, x := range xs {
		if x > 3 && x < 7 {
			t += x * x
		}
	}
	for j := len(xs) - 1; j > 0; j-- {
		if xs[j] < xs[j-1] {
			xs[j], xs[j-1] = xs[j-1], xs[j]
			t += j
		}
	}
	for k := 0; k+1 < len(xs); k += 2 {
		if xs[k] == xs[k+1] {
			t ^= xs[k] << 1
		} else {
			t |= xs[k+1] >> 1
		}
	}
	return t
}

func hot(xs []int) int {
	t := small(len(xs))
	t += medium(xs)
	xs = append(xs, t)
	return t + len(xs)
}

func main() {}
`;

const ctx = defaultBuildContext();
const sources: Record<string, string> = { 'example.com/lib': LIB };
const cache = new Map<string, ExternalPackage | undefined>();
const resolver: ImportResolver = (p) => {
  if (!cache.has(p)) cache.set(p, sources[p] ? describePackage([parseDeclarations('a.go', sources[p]!)], resolver, ctx, p) : undefined);
  return cache.get(p);
};
const mainDesc = describePackage([parseDeclarations('a.go', MAIN)], resolver, ctx, 'main');
const universe: Universe = { types: typeSource((p) => (p === 'main' ? mainDesc : resolver(p))), entry: () => undefined };

function pkg(pkgPath: string, importPath: string, text: string): IndexedPackage {
  return { dir: `/m/${importPath}`, importPath, symbolPath: pkgPath, index: indexPackage([{ name: 'a.go', text }], { pkgPath, resolver }) };
}
const PKGS = [pkg('main', 'example.com/m', MAIN), pkg('example.com/lib', 'example.com/lib', LIB)];

const profile = edgeProfile;

function match(edges: Array<[string, number, string, number]>, withUniverse = true): BinaryMatch {
  const p = profile(edges);
  return matchBinary({
    root: '/m',
    mainDir: '/m/example.com/m',
    profilePath: '/m/default.pgo',
    profile: p,
    hot: hotSet(p, 99),
    packages: PKGS,
    ...(withUniverse ? { universe } : {}),
  });
}

const devirtOf = (m: BinaryMatch, caller: string) => m.devirtualizations.find((d) => d.caller === caller);

test('interface satisfaction: a promoted method does not make *BaseNode a Node', () => {
  const m = match([
    ['main.viaNode', 0, 'main.(*BaseNode).Parent', 100],
    ['main.viaParented', 0, 'main.(*BaseNode).Parent', 100],
  ]);
  // Node needs Eval, which *BaseNode lacks: the only edge is ineligible
  assert.equal(devirtOf(m, 'main.viaNode'), undefined);
  // Parented only needs Parent
  const d = devirtOf(m, 'main.viaParented');
  assert.equal(d?.callee, 'main.(*BaseNode).Parent');
  assert.equal(d?.certain, true);
  // without type facts the rule cannot be decided: possible, not certain
  const u = match([['main.viaNode', 0, 'main.(*BaseNode).Parent', 100]], false);
  assert.equal(devirtOf(u, 'main.viaNode')?.certain, false);
});

test('body availability: another package exports inline bodies only', () => {
  const m = match([
    ['main.run1', 0, 'example.com/lib.(*Small).M', 100],
    ['main.run2', 0, 'example.com/lib.(*Deferred).M', 100],
    ['main.run3', 0, 'example.com/lib.Pinned.M', 100],
    ['main.run4', 0, 'example.com/lib.hidden.M', 100],
  ]);
  assert.deepEqual([devirtOf(m, 'main.run1')?.callee, devirtOf(m, 'main.run1')?.certain], ['example.com/lib.(*Small).M', true]);
  // defer: "unhandled op DEFER", never inlinable, so no body in export data
  assert.equal(devirtOf(m, 'main.run2'), undefined);
  // go:noinline
  assert.equal(devirtOf(m, 'main.run3'), undefined);
  // an unexported type: in export data only if exported code reaches it
  const h = devirtOf(m, 'main.run4');
  assert.equal(h?.certain, false);
  assert.match(h?.doubt ?? '', /unexported/);
});

test('an IR-less hottest callee blocks devirtualization', () => {
  const m = match([
    ['main.run5', 0, 'runtime.asyncPreempt', 100],
    ['main.run5', 0, 'example.com/lib.(*Small).M', 50],
  ]);
  assert.equal(devirtOf(m, 'main.run5'), undefined);
  const n = match([
    ['main.run5', 0, 'runtime.asyncPreempt', 40],
    ['main.run5', 0, 'example.com/lib.(*Small).M', 50],
  ]);
  assert.equal(devirtOf(n, 'main.run5')?.callee, 'example.com/lib.(*Small).M');
});

test('hot sites: a decision only where the hot budget changes the outcome', () => {
  const m = match([
    ['main.hot', 1, 'main.small', 100],
    ['main.hot', 2, 'main.medium', 100],
    ['main.hot', 3, 'runtime.growslice', 100],
  ]);
  const at = (callee: string) => m.inlineCandidates.find((c) => c.callee === callee)!;
  assert.equal(at('main.small').pgo, 'none'); // cost 4: inlined without PGO too
  assert.match(at('main.small').why, /normal budget/);
  // medium: the compiler says "cannot inline medium: function too complex: cost 154 exceeds budget 80"
  assert.equal(at('main.medium').pgo, 'hot-budget', at('main.medium').why);
  assert.ok(at('main.medium').cost! > 80 && at('main.medium').cost! <= 2000);
  assert.equal(at('runtime.growslice').pgo, 'none'); // lowered from append: no call in the source
});

test('classifyHotSite: the rules one by one', () => {
  const base = { caller: 'p.F', callee: 'p.G', call: 'direct' as const, calleeBudget: 2000, calleeIsClosure: false, callerNodes: 100 };
  const est = (cost: number) => ({ cost, low: cost, high: cost });
  assert.equal(classifyHotSite({ ...base, cost: est(300) }).pgo, 'hot-budget');
  assert.equal(classifyHotSite({ ...base, cost: est(60) }).pgo, 'none');
  assert.equal(classifyHotSite({ ...base, cost: est(3000) }).pgo, 'none');
  assert.equal(classifyHotSite({ ...base, cost: { cost: 85, low: 70, high: 100 } }).pgo, 'possible');
  assert.equal(classifyHotSite({ ...base, cost: { cost: 0, low: 0, high: 0, refusal: 'call to recover' } }).pgo, 'none');
  assert.equal(classifyHotSite({ ...base, cost: undefined }).pgo, 'possible');
  // not a hot callee: no inline body above 80 in its package
  assert.equal(classifyHotSite({ ...base, cost: est(300), calleeBudget: 80 }).pgo, 'none');
  // a big caller (> 5000 nodes) gets no hot-budget inlining
  assert.equal(classifyHotSite({ ...base, cost: est(300), callerNodes: 9000 }).pgo, 'none');
  // closures get twice the normal budget
  assert.equal(classifyHotSite({ ...base, cost: est(120), calleeIsClosure: true }).pgo, 'none');
  assert.equal(classifyHotSite({ ...base, callee: 'math/bits.Len64', cost: est(300) }).pgo, 'none');
  assert.equal(classifyHotSite({ ...base, call: 'none', cost: est(300) }).pgo, 'none');
  assert.equal(classifyHotSite({ ...base, call: 'devirtualized-possibly', cost: est(300) }).pgo, 'possible');
});
