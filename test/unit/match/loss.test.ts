/**
 * Every lost percent explained (loss.ts, align.ts, landing.ts) on in-memory indexes: function
 * values and runtime calls lowered from builtins drift with the function; deferred calls sit on
 * the closing brace; a closure's offsets on blank lines are evidence; rename and drift compose;
 * the same package is preferred for renames; and Σ unmatched.percent = 100 − matchedPercent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexPackage } from '../../../src/source/index';
import { HeatTable } from '../../../src/pgo/heat-table';
import { hotSet, type NamedEdge, type PgoProfile } from '../../../src/pgo/model';
import { type BinaryMatch, type IndexedPackage, matchBinary } from '../../../src/match/match';
import { mapOffset } from '../../../src/match/align';
import { planFromMatch } from '../../../src/match/rewrite';

function pkg(pkgPath: string, text: string, dir = pkgPath): IndexedPackage {
  const index = indexPackage([{ name: 'a.go', text }], { pkgPath });
  return { dir: `/m/${dir}`, importPath: pkgPath === 'main' ? 'example.com/m' : pkgPath, symbolPath: pkgPath, index };
}

/** A pprof-like profile whose sample total is `sampleTotal` (the percentage base). */
function profile(edges: Array<[string, number, string, number]>, sampleTotal: number, starts: Record<string, number> = {}): PgoProfile {
  const es: NamedEdge[] = edges.map(([caller, offset, callee, weight]) => ({ caller, offset, callee, weight }));
  es.sort((a, b) => b.weight - a.weight);
  return {
    totalWeight: es.reduce((s, e) => s + e.weight, 0),
    edges: es,
    format: 'pprof',
    sampleType: { type: 'samples', unit: 'count' },
    sampleTypes: [{ type: 'samples', unit: 'count' }],
    sampleCount: sampleTotal,
    sampleTotal,
    durationNanos: 0,
    heat: HeatTable.fromRows(Object.entries(starts).map(([name, startLine]) => ({ name, file: '/m/main/a.go', startLine, flat: 0, cum: 0, lines: [] }))),
  };
}

function run(pkgs: IndexedPackage[], prof: PgoProfile): BinaryMatch {
  return matchBinary({ root: '/m', mainDir: '/m/main', profilePath: '/m/main/default.pgo', profile: prof, hot: hotSet(prof, 99), packages: pkgs });
}

/** The invariant: each lost edge is charged once, on the profile-total base. */
function assertExplained(m: BinaryMatch): void {
  const sum = m.unmatched.reduce((s, u) => s + u.percent, 0);
  assert.ok(Math.abs(sum - m.lostPercent) < 1e-9, `Σ unmatched ${sum} ≠ lost ${m.lostPercent}`);
  assert.ok(Math.abs(m.matchedPercent - (100 - m.lostPercent)) < 1e-9, `matched ${m.matchedPercent} ≠ 100 − ${m.lostPercent}`);
  const w = m.unmatched.reduce((s, u) => s + u.weight, 0);
  assert.equal(
    m.unmatched.reduce((s, u) => s + (u.edgeMap ?? []).reduce((t, e) => t + e.weight, 0), 0),
    w,
    'entry weights are the weights of their edges',
  );
}

// Issue #11's case: a hot function whose hot calls are a call through a package-level function
// variable and an `append` (runtime.growslice), plus a map access (runtime.mapaccess1_fast64).
const HOOKED = `package main

var hook = double

func main() {
	println(len(work(nil, map[int]int{})))
}

func work(xs []int, m map[int]int) []int {
	for i := 0; i < 100; i++ {
		v := hook(i)
		xs = append(xs, v)
		v += m[i]
	}
	return xs
}

func double(x int) int { return 2 * x }
`;
// work starts at line 9: hook(i) +2, append +3, m[i] +4.
const HOOKED_PROFILE = profile(
  [
    ['main.work', 2, 'main.double', 500],
    ['main.work', 3, 'runtime.growslice', 300],
    ['main.work', 4, 'runtime.mapaccess1_fast64', 150],
    ['main.main', 1, 'main.work', 50],
  ],
  1200,
);

test('unchanged: the function value, append and map access land; nothing lost', () => {
  const m = run([pkg('main', HOOKED)], HOOKED_PROFILE);
  assert.deepEqual(m.unmatched, []);
  assert.equal(m.matchedPercent, 100);
  assert.equal(m.profileTotal, 1200);
});

test('three lines at the top of the function: the function-value call and the runtime calls drift, the loss is explained', () => {
  const src = HOOKED.replace('[]int {\n\tfor', '[]int {\n\t// one\n\t// two\n\t// three\n\tfor');
  const m = run([pkg('main', src)], HOOKED_PROFILE);
  assertExplained(m);
  assert.equal(m.unmatched.length, 1, JSON.stringify(m.unmatched));
  const u = m.unmatched[0]!;
  assert.equal(u.symbol, 'main.work');
  assert.equal(u.kind, 'offset-drift');
  assert.equal(u.shift, 3);
  assert.deepEqual(
    u.edgeMap!.map((e) => [e.from, e.to, e.callee]),
    [
      [2, 5, 'main.double'],
      [3, 6, 'runtime.growslice'],
      [4, 7, 'runtime.mapaccess1_fast64'],
    ],
  );
  // 950 of 1200 samples lost: the base is the sample total, not the edge weight (1000)
  assert.equal(u.weight, 950);
  assert.ok(Math.abs(m.matchedPercent - (100 - (950 / 1200) * 100)) < 1e-9);
  // re-alignment keeps the func line on offset 0 and moves the body
  const lm = planFromMatch(m).realign.get('main.work')!;
  assert.equal(mapOffset(lm, 0), 0);
  assert.equal(mapOffset(lm, 2), 5);
  assert.equal(mapOffset(lm, 4), 7);
});

test('a runtime edge on a blank line is lost, not matched', () => {
  const src = HOOKED.replace('\t\tv += m[i]\n', '\n\t\tv += 1\n');
  const m = run([pkg('main', src)], HOOKED_PROFILE);
  assertExplained(m);
  const u = m.unmatched.find((x) => x.edgeMap?.some((e) => e.callee === 'runtime.mapaccess1_fast64'));
  assert.ok(u, JSON.stringify(m.unmatched));
  assert.equal(u.kind, 'changed');
  assert.match(u.reason, /blank or comment line/);
});

const DEFERRED = `package main

type Conn struct{ n int }

func (c *Conn) Close() error { c.n = 0; return nil }
func (c *Conn) Read() int   { return c.n }

func main() {
	println(serve(&Conn{}))
}

func serve(c *Conn) int {
	defer c.Close()
	n := 0
	for i := 0; i < 10; i++ {
		n += c.Read()
	}
	return n
}
`;
// serve starts at line 12: Read +4; the deferred Close runs at the closing brace, +7.
const DEFERRED_PROFILE = profile(
  [
    ['main.serve', 4, 'main.(*Conn).Read', 400],
    ['main.serve', 7, 'main.(*Conn).Close', 200],
    ['main.main', 1, 'main.serve', 20],
  ],
  700,
);

test('a deferred call is attributed to the closing brace: no drift when nothing changed', () => {
  const m = run([pkg('main', DEFERRED)], DEFERRED_PROFILE);
  assert.deepEqual(m.unmatched, []);
  assert.equal(m.matchedPercent, 100);
});

test('lines inserted inside: the deferred edge follows the closing brace, not the defer statement', () => {
  const m = run([pkg('main', DEFERRED.replace('\tn := 0\n', '\tn := 0\n\t// two\n\t// lines\n'))], DEFERRED_PROFILE);
  assertExplained(m);
  const u = m.unmatched.find((x) => x.symbol === 'main.serve')!;
  assert.equal(u.kind, 'offset-drift');
  assert.deepEqual(
    u.edgeMap!.map((e) => [e.from, e.to, e.callee]),
    [
      [4, 6, 'main.(*Conn).Read'],
      [7, 9, 'main.(*Conn).Close'],
    ],
  );
});

const CLOSURE = `package main

func main() {
	println(apply(3))
}

func apply(n int) int {
	f := func(x int) int {
		return step(x) + 1
	}
	return f(n)
}

func step(x int) int { return x * 3 }
`;
// apply.func1 starts at line 8: step +1.
const CLOSURE_PROFILE = profile(
  [
    ['main.apply.func1', 1, 'main.step', 300],
    ['main.apply', 4, 'main.apply.func1', 100],
    ['main.main', 1, 'main.apply', 10],
  ],
  500,
);

test('closure identity: F.func1 now names another closure (a blank line at its offset); its calls are in F.func2', () => {
  const m0 = run([pkg('main', CLOSURE)], CLOSURE_PROFILE);
  assert.deepEqual(m0.unmatched, []);
  // A new literal before it: apply.func1 is now g (a blank line at +1), the profiled closure is apply.func2.
  const src = CLOSURE.replace('\tf := func(x int) int {', '\tg := func() int {\n\n\t\treturn 0\n\t}\n\t_ = g\n\tf := func(x int) int {');
  const p = pkg('main', src);
  assert.deepEqual(
    p.index.funcs.filter((f) => f.kind === 'closure').map((f) => f.symbol),
    ['main.apply.func1', 'main.apply.func2'],
  );
  const m = run([p], CLOSURE_PROFILE);
  assertExplained(m);
  const u = m.unmatched.find((x) => x.symbol === 'main.apply.func1');
  assert.ok(u, JSON.stringify(m.unmatched));
  assert.equal(u.kind, 'renamed');
  assert.equal(u.suggestion, 'main.apply.func2');
  assert.match(u.reason, /now names another closure/);
  assert.equal(planFromMatch(m).renames.get('main.apply.func1'), 'main.apply.func2');
  assert.ok(m.matchedPercent < 100);
  // the same closure with no sibling to go to: the blank line is evidence, and the edge is lost
  const alone = pkg('main', CLOSURE.replace('\t\treturn step(x) + 1\n', '\n\t\treturn 1\n'));
  const m2 = run([alone], CLOSURE_PROFILE);
  assertExplained(m2);
  const c = m2.unmatched.find((x) => x.symbol === 'main.apply.func1');
  assert.ok(c, JSON.stringify(m2.unmatched));
  assert.equal(c.kind, 'changed');
  assert.match(c.reason, /blank or comment line/);
});

const ORIGINAL = `package main

import "strings"

func main() {
	println(F("x"))
}

func F(s string) string {
	x := 0
	x += G(x)
	x += H(x); s = strings.ToUpper(s)
	return s
}

func G(x int) int { return x + 1 }
func H(x int) int { return x * 2 }
`;
const F_PROFILE = profile(
  [
    ['main.main', 1, 'main.F', 100],
    ['main.F', 2, 'main.G', 300],
    ['main.F', 3, 'main.H', 200],
    ['main.F', 3, 'strings.ToUpper', 100],
  ],
  800,
  { 'main.F': 9 },
);

test('rename and drift compose: renamed with a line map, rewrite renames and re-aligns', () => {
  const src = ORIGINAL.replace(/\bF\(/g, 'Transform(').replace('\tx := 0\n', '\tx := 0\n\t// new\n\t// lines\n');
  const m = run([pkg('main', src)], F_PROFILE);
  assertExplained(m);
  assert.equal(m.unmatched.length, 1, JSON.stringify(m.unmatched));
  const u = m.unmatched[0]!;
  assert.equal(u.kind, 'renamed');
  assert.equal(u.suggestion, 'main.Transform');
  assert.deepEqual(
    u.edgeMap!.map((e) => [e.caller, e.from, e.to, e.callee]),
    [
      ['main.main', 1, undefined, 'main.F'],
      ['main.F', 2, 4, 'main.G'],
      ['main.F', 3, 5, 'main.H'],
      ['main.F', 3, 5, 'strings.ToUpper'],
    ],
  );
  const plan = planFromMatch(m);
  assert.equal(plan.renames.get('main.F'), 'main.Transform');
  const lm = plan.realign.get('main.F')!;
  assert.equal(mapOffset(lm, 0), 0);
  assert.equal(mapOffset(lm, 2), 4);
  assert.equal(mapOffset(lm, 3), 5);
});

test('lines inserted in the middle: the per-edge map moves only the calls below', () => {
  const m = run([pkg('main', ORIGINAL.replace('\tx += H(x)', '\t// between\n\t// the calls\n\tx += H(x)'))], F_PROFILE);
  assertExplained(m);
  assert.equal(m.unmatched.length, 1, JSON.stringify(m.unmatched));
  const u = m.unmatched[0]!;
  assert.equal(u.kind, 'offset-drift');
  // G at +2 still lands and is not lost; H and ToUpper moved from +3 to +5
  assert.deepEqual(
    u.edgeMap!.map((e) => [e.from, e.to, e.callee]),
    [
      [3, 5, 'main.H'],
      [3, 5, 'strings.ToUpper'],
    ],
  );
  assert.equal(u.weight, 300);
  const lm = planFromMatch(m).realign.get('main.F')!;
  assert.equal(mapOffset(lm, 2), 2);
  assert.equal(mapOffset(lm, 3), 5);
});

test('a renamed function in the same package beats a same-named one in another package; no [...] suggestions', () => {
  const main = pkg(
    'main',
    `package main

import "example.com/m/other"

func main() {
	println(loadByRegWidth(1) + other.LoadByType(2))
}

func loadByRegWidth(r int) int {
	return storeByRegWidth(r) + 1
}

func storeByRegWidth(r int) int { return r * 2 }

type sparse[T any] struct{ v []T }

func (s *sparse[T]) contains(i int) bool { return i < len(s.v) }
`,
  );
  const other = pkg(
    'example.com/m/other',
    `package other

func LoadByType(r int) int { return r }

func loadByType(r int) int {
	return r + 1
}
`,
    'other',
  );
  const prof = profile(
    [
      ['main.main', 1, 'main.loadByType', 100],
      ['main.loadByType', 1, 'main.storeByType', 80],
      ['main.(*sparseMap).contains', 0, 'runtime.panicIndex', 40],
    ],
    300,
    { 'main.loadByType': 9 },
  );
  const m = run([main, other], prof);
  assertExplained(m);
  const by = Object.fromEntries(m.unmatched.map((u) => [u.symbol, [u.kind, u.suggestion]]));
  assert.deepEqual(by['main.loadByType'], ['renamed', 'main.loadByRegWidth']);
  assert.deepEqual(by['main.storeByType'], ['renamed', 'main.storeByRegWidth']);
  assert.equal(by['main.(*sparseMap).contains']![1], undefined);
  for (const u of m.unmatched) assert.ok(!u.suggestion?.includes('[...]'), u.suggestion);
});

// Two shapes of one generic method: one source, one line map. Three lines were inserted between
// its two recursive calls (+2 stays, +4 → +7). The int shape has only the ambiguous recursive
// edge at +4 (calls to walk are at +2 and +7 now: the nearest, +2, is wrong); the string shape
// also calls helper there, which anchors the shift of +3 for both.
const SHAPES = `package main

type N[T any] struct{ kids []*N[T] }

func (n *N[T]) walk(x T, deep bool) int {
	if deep {
		return n.kids[0].walk(x, false)
	}
	// one
	// two
	// three
	return n.kids[1].walk(x, true) + helper()
}

func helper() int { return 1 }

func main() {
	println(new(N[int]).walk(1, true), new(N[string]).walk("", true))
}
`;

test('shapes of one generic function are aligned together: an ambiguous edge of one shape follows the anchors of another', () => {
  const INT = 'main.(*N[go.shape.int]).walk';
  const STR = 'main.(*N[go.shape.string]).walk';
  const m = run(
    [pkg('main', SHAPES)],
    profile(
      [
        [INT, 4, INT, 100],
        [STR, 4, STR, 100],
        [STR, 4, 'main.helper', 100],
      ],
      300,
    ),
  );
  assertExplained(m);
  const moves = Object.fromEntries(m.unmatched.map((u) => [u.symbol, [u.kind, u.edgeMap!.map((e) => [e.from, e.to, e.callee])]]));
  assert.deepEqual(moves, {
    [INT]: ['offset-drift', [[4, 7, INT]]],
    [STR]: [
      'offset-drift',
      [
        [4, 7, STR],
        [4, 7, 'main.helper'],
      ],
    ],
  });
  const plan = planFromMatch(m);
  assert.equal(mapOffset(plan.realign.get(INT)!, 4), 7);
  assert.equal(mapOffset(plan.realign.get(STR)!, 4), 7);
});
