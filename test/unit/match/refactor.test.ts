/**
 * Refactor impact on in-memory indexes: renamed, moved, removed, offset-drift, and lines inserted
 * above a function (nothing); profile rewrites (renames, re-aligned lines) on a fixture profile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../../paths';
import { indexPackage } from '../../../src/source/index';
import { hotSet, type NamedEdge } from '../../../src/pgo/model';
import { edgeProfile } from './edge-profile';
import { loadProfileBytes } from '../../../src/pgo/load';
import { type IndexedPackage, matchBinary } from '../../../src/match/match';
import { mapOffset, nameSimilarity } from '../../../src/match/refactor';
import { encodeValidated, planFromMatch, renamedSymbol, rewritePprof } from '../../../src/match/rewrite';

function pkg(pkgPath: string, text: string, dir = pkgPath): IndexedPackage {
  const index = indexPackage([{ name: 'a.go', text }], { pkgPath });
  return { dir: `/m/${dir}`, importPath: pkgPath === 'main' ? 'example.com/m' : pkgPath, symbolPath: pkgPath, index };
}

const profile = edgeProfile;

// The profile of this program: main:+1 → F, F:+2 → G, F:+3 → H, F:+3 → strings.ToUpper.
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
const PROFILE = profile([
  ['main.main', 1, 'main.F', 100],
  ['main.F', 2, 'main.G', 300],
  ['main.F', 3, 'main.H', 200],
  ['main.F', 3, 'strings.ToUpper', 100],
]);

function run(pkgs: IndexedPackage[], prof = PROFILE) {
  return matchBinary({ root: '/m', mainDir: '/m/main', profilePath: '/m/main/default.pgo', profile: prof, hot: hotSet(prof, 99), packages: pkgs });
}

test('unchanged source: nothing unmatched', () => {
  const m = run([pkg('main', ORIGINAL)]);
  assert.deepEqual(m.unmatched, []);
  assert.equal(m.matchedPercent, 100);
});

test('lines inserted above a function: nothing', () => {
  const m = run([pkg('main', ORIGINAL.replace('func F(', '// one\n// two\n\n// three\nfunc F('))]);
  assert.deepEqual(m.unmatched, []);
});

test('renamed function in the same package', () => {
  const m = run([pkg('main', ORIGINAL.replace(/\bF\(/g, 'Transform('))]);
  assert.equal(m.unmatched.length, 1);
  const u = m.unmatched[0]!;
  assert.equal(u.symbol, 'main.F');
  assert.equal(u.kind, 'renamed');
  assert.equal(u.suggestion, 'main.Transform');
  assert.ok(u.confidence! > 0.5, `confidence ${u.confidence}`);
  assert.ok(m.matchedPercent < 100);
});

test('moved to another package', () => {
  const main = pkg(
    'main',
    `package main

import "example.com/m/util"

func main() {
	println(util.F("x"))
}

func G(x int) int { return x + 1 }
func H(x int) int { return x * 2 }
`,
  );
  // In util, F calls its own G and H: the profile's callees main.G/main.H do not land, ToUpper does, and the caller does.
  const util = pkg(
    'example.com/m/util',
    `package util

import "strings"

func F(s string) string {
	x := 0
	x += len(s)
	x += 1; s = strings.ToUpper(s)
	return s
}
`,
    'util',
  );
  const m = run([main, util]);
  const u = m.unmatched.find((x) => x.symbol === 'main.F');
  assert.ok(u, JSON.stringify(m.unmatched));
  assert.equal(u.kind, 'moved');
  assert.equal(u.suggestion, 'example.com/m/util.F');
});

// Moved and renamed at once: only a static call names the new declaration (each test one kind of evidence;
// the rename guess looks only at declarations that evidence can reach, refactor.ts needsOf).
const UTIL_MAIN = `package main

import "example.com/m/util"

func main() {
	n := 3
	println(util.Transform("x"), util.Walk(n))
}
`;
const UTIL = `package util

import "strings"

func Transform(s string) string {
	return strings.ToUpper(s)
}

func Walk(n int) int {
	if n > 0 { return Walk(n - 1) }
	return 0
}

func Other(s string) string { return s }
`;
for (const [what, edges, suggestion] of [
  ['a caller that still exists calls it', [['main.main', 2, 'main.F', 100]], 'example.com/m/util.Transform'],
  ['it calls the old callee', [['main.F', 1, 'strings.ToUpper', 100]], 'example.com/m/util.Transform'],
  ['it calls itself where the old one did', [['main.F', 1, 'main.F', 100]], 'example.com/m/util.Walk'],
] as const) {
  test(`moved and renamed, found because ${what}`, () => {
    const m = run([pkg('main', UTIL_MAIN), pkg('example.com/m/util', UTIL, 'util')], profile(edges.map((e) => [...e])));
    const u = m.unmatched.find((x) => x.symbol === 'main.F');
    assert.ok(u, JSON.stringify(m.unmatched));
    assert.equal(u.kind, 'moved');
    assert.equal(u.suggestion, suggestion);
  });
}

test('removed: nothing plausible', () => {
  const m = run([
    pkg(
      'main',
      `package main

func main() {
	println(G(1) + H(2))
}

func G(x int) int { return x + 1 }
func H(x int) int { return x * 2 }
`,
    ),
  ]);
  const u = m.unmatched.find((x) => x.symbol === 'main.F');
  assert.ok(u);
  assert.equal(u.kind, 'removed');
  assert.equal(u.suggestion, undefined);
});

test('offset drift: lines inserted inside the function above the calls', () => {
  const src = ORIGINAL.replace('\tx := 0\n', '\tx := 0\n\t// a new comment\n\t// and one more\n');
  const m = run([pkg('main', src)]);
  assert.equal(m.unmatched.length, 1, JSON.stringify(m.unmatched));
  const u = m.unmatched[0]!;
  assert.equal(u.symbol, 'main.F');
  assert.equal(u.kind, 'offset-drift');
  assert.equal(u.shift, 2);
  assert.deepEqual(u.lineMap, [
    { from: 0, to: 0 },
    { from: 2, to: 4 },
    { from: 3, to: 5 },
  ]);
  // the lost weight: F's three hot edges (300 + 200 + 100 of 700)
  assert.equal(u.weight, 600);
  assert.ok(Math.abs(m.matchedPercent - (100 - (600 / 700) * 100)) < 1e-9, `matchedPercent ${m.matchedPercent}`);
  // a line below the insertion point moves too; one above an anchor follows it
  assert.equal(mapOffset(u.lineMap!, 4), 6);
  assert.equal(mapOffset(u.lineMap!, 1), 3);
});

test('offset drift below the hot calls: nothing', () => {
  const m = run([pkg('main', ORIGINAL.replace('\treturn s\n', '\t// later\n\treturn s\n'))]);
  assert.deepEqual(m.unmatched, []);
});

test('name similarity', () => {
  assert.equal(nameSimilarity('main.F', 'example.com/x.F'), 1);
  assert.ok(nameSimilarity('p.Circle.Dist', 'p.Disk.Dist') >= 0.7);
  assert.ok(nameSimilarity('p.nearest', 'p.nearestN') > 0.8);
  assert.ok(nameSimilarity('p.nearest', 'p.zzz') < 0.3);
});

test('renamedSymbol keeps shape arguments of generic instantiations', () => {
  const r = new Map([['p.Sum[...]', 'p.Total[...]']]);
  assert.equal(renamedSymbol('p.Sum[go.shape.int]', r), 'p.Total[go.shape.int]');
  assert.equal(renamedSymbol('p.Other', r), undefined);
});

test('rewrite: rename and re-align a real profile, keeping the total weight', () => {
  const bytes = fs.readFileSync(path.join(fixturesDir, 'shapes', 'cmd', 'shapes', 'default.pgo'));
  const before = loadProfileBytes(bytes, { keepSamples: true });
  const round = before.profile.edges.filter((e) => e.caller === 'main.round');
  assert.ok(round.length > 3);
  const offs = [...new Set(round.map((e) => e.offset))].sort((a, b) => a - b);
  const cut = offs[Math.floor(offs.length / 2)]!;
  // calls at and after `cut` moved down by 3 lines
  const lineMap = offs.map((o) => ({ from: o, to: o >= cut ? o + 3 : o }));
  const plan = planFromMatch({
    unmatched: [
      { symbol: 'main.nearest', weight: 0, percent: 0, reason: '', kind: 'renamed', suggestion: 'main.closest' },
      { symbol: 'main.round', weight: 0, percent: 0, reason: '', kind: 'offset-drift', shift: 3, lineMap },
    ],
  });
  const stats = rewritePprof(before.pprof!, plan);
  assert.ok(stats.renamedFunctions >= 1 && stats.realignedLines > 0);
  const { profile: after } = encodeValidated(before.pprof!, before.profile, plan);
  assert.equal(after.totalWeight, before.profile.totalWeight);
  const names = new Set(after.edges.flatMap((e) => [e.caller, e.callee]));
  assert.ok(names.has('main.closest') && !names.has('main.nearest'));
  const key = (e: NamedEdge): string => `${e.caller}:${e.offset}:${e.callee}:${e.weight}`;
  const want = before.profile.edges
    .map((e) => ({
      ...e,
      caller: e.caller === 'main.nearest' ? 'main.closest' : e.caller,
      callee: e.callee === 'main.nearest' ? 'main.closest' : e.callee,
      offset: e.caller === 'main.round' && e.offset >= cut ? e.offset + 3 : e.offset,
    }))
    .map(key)
    .sort();
  assert.deepEqual(after.edges.map(key).sort(), want);
});

test('several binaries and profiles in one process: each classified as when alone (the per-profile shape is not shared across profiles)', () => {
  const renamed = [pkg('main', ORIGINAL.replace(/\bG\(/g, 'Grow('))];
  const other = profile([
    ['main.main', 1, 'main.F', 100],
    ['main.F', 3, 'main.H', 200],
    ['main.F', 2, 'main.Gone', 300],
  ]);
  const alone = (prof: typeof PROFILE) =>
    run(renamed, profile(prof.edges.map((e): [string, number, string, number] => [e.caller, e.offset, e.callee, e.weight]))).unmatched;
  const first = run(renamed).unmatched;
  const unchanged = run([pkg('main', ORIGINAL)]).unmatched;
  const second = run(renamed, other).unmatched;
  const again = run(renamed).unmatched;
  assert.equal(first[0]?.suggestion, 'main.Grow');
  assert.deepEqual(unchanged, []);
  assert.deepEqual(first, alone(PROFILE));
  assert.deepEqual(again, first);
  assert.deepEqual(second, alone(other));
  // the other profile's missing callee is main.Gone: classified from its own edges, not from the first profile's main.G
  assert.deepEqual(
    second.map((u) => [u.symbol, u.kind, u.suggestion]),
    [['main.Gone', 'renamed', 'main.Grow']],
  );
});
