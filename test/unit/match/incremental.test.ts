/**
 * The rename/move guesses with a MatchCache (kept across edits, as the worker keeps it per
 * binary) equal the guesses computed from scratch, when only the evidence changes: the candidate
 * package stays the same object while its caller is edited to call one candidate, then another.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hotSet } from '../../../src/pgo/model';
import { edgeProfile } from './edge-profile';
import { type IndexedPackage, MatchCache, matchBinary } from '../../../src/match/match';
import { indexPackage } from '../../../src/source/index';
import { HeatTable } from '../../../src/pgo/heat-table';

function pkg(pkgPath: string, dir: string, text: string): IndexedPackage {
  const index = indexPackage([{ name: 'a.go', text }], { pkgPath });
  return { dir, importPath: pkgPath === 'main' ? 'example.com/m' : pkgPath, symbolPath: pkgPath, index };
}

const profile = edgeProfile;

// The profile was taken when lib had Compute; now it has Calc and Cmp, both calling helper where Compute did.
const LIB = pkg(
  'example.com/m/lib',
  '/m/lib',
  `package lib

func Calc(x int) int {
	return helper(x) + 1
}

func Cmp(x int) int {
	return helper(x) * 2
}

func helper(x int) int { return x * 3 }
`,
);
const mainCalling = (callee: string): IndexedPackage =>
  pkg(
    'main',
    '/m',
    `package main

import "example.com/m/lib"

func main() {
	println(lib.${callee}(1))
}
`,
  );
const PROFILE = profile([
  ['main.main', 1, 'example.com/m/lib.Compute', 500],
  ['example.com/m/lib.Compute', 1, 'example.com/m/lib.helper', 400],
]);
const HOT = hotSet(PROFILE, 99);

test('cached rename guesses follow the evidence of an edited caller', () => {
  const cache = new MatchCache();
  const seen = new Set<string>();
  for (const callee of ['Compute', 'Calc', 'Cmp', 'Calc', 'Compute']) {
    const packages = [mainCalling(callee), LIB];
    const inp = { root: '/m', mainDir: '/m', profilePath: '/m/default.pgo', profile: PROFILE, hot: HOT, packages };
    const cached = matchBinary({ ...inp, cache });
    const fresh = matchBinary(inp);
    assert.deepEqual(cached.unmatched, fresh.unmatched, `main calls lib.${callee}`);
    assert.equal(cached.matchedPercent, fresh.matchedPercent);
    const u = fresh.unmatched.find((x) => x.symbol === 'example.com/m/lib.Compute');
    assert.ok(u, `lib.Compute is unmatched while main calls lib.${callee}`);
    seen.add(`${u.kind} ${u.suggestion ?? ''} ${u.confidence ?? ''}`);
  }
  // the caller's edits did change the guess (else this test could not tell a stale cache)
  assert.ok(seen.size >= 2, [...seen].join('; '));
});

// Only lines move: blank lines inserted above two equally good renames of Compute put one or the
// other near the profile's start line (line 40 of a.go), so the position part of the score decides.
const MOVED_PROFILE = {
  ...profile([
    ['main.main', 1, 'example.com/m/lib.Compute', 500],
    ['example.com/m/lib.Compute', 1, 'example.com/m/lib.helper', 400],
  ]),
  heat: HeatTable.fromRows([{ name: 'example.com/m/lib.Compute', file: '/m/lib/a.go', startLine: 40, flat: 0, cum: 0, lines: [] }]),
};
const libWithBlankLines = (above: number, between: number): IndexedPackage =>
  pkg(
    'example.com/m/lib',
    '/m/lib',
    `package lib
${'\n'.repeat(above)}func Compute2(x int) int {
	return helper(x) + 1
}
${'\n'.repeat(between)}func Compute3(x int) int {
	return helper(x) + 1
}

func helper(x int) int { return x * 3 }
`,
  );

test('cached rename guesses follow declarations that only moved (blank lines above them)', () => {
  const cache = new MatchCache();
  const hot = hotSet(MOVED_PROFILE, 99);
  const seen = new Set<string>();
  // (blank lines above Compute2, between the two): Compute2 10 lines away and Compute3 far; the other way round;
  // both far; Compute3 on the line; Compute2 15 lines away; again the first.
  for (const [above, between] of [
    [28, 30],
    [0, 45],
    [0, 100],
    [0, 35],
    [23, 60],
    [28, 30],
  ] as const) {
    const packages = [mainCalling('Other'), libWithBlankLines(above, between)];
    const inp = { root: '/m', mainDir: '/m', profilePath: '/m/default.pgo', profile: MOVED_PROFILE, hot, packages };
    const cached = matchBinary({ ...inp, cache });
    const fresh = matchBinary(inp);
    assert.deepEqual(cached.unmatched, fresh.unmatched, `${above} and ${between} blank lines`);
    const u = fresh.unmatched.find((x) => x.symbol === 'example.com/m/lib.Compute');
    assert.ok(u, `lib.Compute is unmatched with ${above} and ${between} blank lines`);
    seen.add(`${u.kind} ${u.suggestion ?? ''} ${u.confidence ?? ''}`);
  }
  // moving the declarations did change the guess and its confidence (else this test could not tell a stale position part)
  assert.ok(seen.size >= 4, [...seen].join('; '));
});
