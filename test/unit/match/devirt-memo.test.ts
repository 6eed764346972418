/**
 * Devirtualizations kept per caller (src/match/devirt-memo.ts): a re-match with a MatchCache equals a
 * fresh match, whole result deep-equal, after seeded random edits that change what the decisions ask:
 * the interface method's body grows and shrinks across the hot budget (is its body available to
 * the caller's package), the method is renamed (does the type implement the interface), the function
 * value's target changes signature, lines are added above the callers (new entry objects), and nothing
 * changes. The decisions must come out both ways over the run, and kept ones must be reused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hotSet } from '../../../src/pgo/model';
import { type IndexedPackage, MatchCache, matchBinary } from '../../../src/match/match';
import { PackageIndexer } from '../../../src/source/index';
import { rng } from '../../fuzzing';
import { edgeProfile } from './edge-profile';

const LIB = 'example.com/m/lib';
const UTIL = 'example.com/m/util';

interface State {
  body: number;
  method: string;
  gArgs: number;
  blank: number;
  /** A statement before Dyn's interface call (the call moves off the profile's line). */
  pad: boolean;
}

function lib(s: State): string {
  return [
    'package lib',
    '',
    'import "example.com/m/util"',
    '',
    'var _ util.B',
    '',
    'type I interface{ M(int) int }',
    '',
    'var F func(int) int',
    ...Array<string>(s.blank).fill(''),
    'func Dyn(i I, x int) int {',
    ...(s.pad ? ['\tx++'] : []),
    '\treturn i.M(x)',
    '}',
    '',
    'func Call(x int) int {',
    '\treturn F(x)',
    '}',
    '',
  ].join('\n');
}

function util(s: State): string {
  const args = s.gArgs === 1 ? 'x int' : 'x, y int';
  return [
    'package util',
    '',
    'type B struct{}',
    '',
    `func (B) ${s.method}(x int) int {`,
    ...Array.from({ length: s.body }, (_, i) => `\tx = x*${i + 2} + x/${i + 3} - ${i}`),
    '\treturn x',
    '}',
    '',
    `func G(${args}) int { return x + 1 }`,
    '',
  ].join('\n');
}

const MAIN = `package main

import (
	"example.com/m/lib"
	"example.com/m/util"
)

func main() {
	println(lib.Dyn(util.B{}, 2))
	println(lib.Call(3))
}
`;

test('kept devirtualizations equal a fresh match after random edits', () => {
  const seenCallees = new Set<string>();
  let without = 0;
  let reused = 0;
  let shifted = 0;
  for (const seed of [1, 2, 3, 4]) {
    const rand = rng(seed);
    const pick = (n: number): number => Math.floor(rand() * n);
    const s: State = { body: 2, method: 'M', gArgs: 1, blank: 0, pad: false };
    const ix = { main: new PackageIndexer({ pkgPath: 'main' }), lib: new PackageIndexer({ pkgPath: LIB }), util: new PackageIndexer({ pkgPath: UTIL }) };
    ix.main.setFile('main.go', MAIN);
    const mk = (dir: string, importPath: string, symbolPath: string, index: IndexedPackage['index']): IndexedPackage => ({
      dir,
      importPath,
      symbolPath,
      index,
    });
    ix.lib.setFile('lib.go', lib(s));
    ix.util.setFile('util.go', util(s));
    const packages = [mk('/m', 'example.com/m', 'main', ix.main.index()), mk('/m/lib', LIB, LIB, ix.lib.index()), mk('/m/util', UTIL, UTIL, ix.util.index())];
    const profile = edgeProfile([
      [`${LIB}.Dyn`, 1, `${UTIL}.B.M`, 700],
      [`${LIB}.Call`, 1, `${UTIL}.G`, 500],
      ['main.main', 1, `${LIB}.Dyn`, 300],
      ['main.main', 2, `${LIB}.Call`, 200],
    ]);
    const hot = hotSet(profile, 99);
    const cache = new MatchCache();
    for (let step = 0; step < 40; step++) {
      const what = pick(7);
      if (what === 0)
        s.body = pick(2) ? pick(20) : 200 + pick(300); // across the hot budget (2000) of a hot callee
      else if (what === 1) s.method = s.method === 'M' ? 'N' : 'M';
      else if (what === 2) s.gArgs = 3 - s.gArgs;
      else if (what === 3) s.blank = pick(3);
      else if (what === 4) s.pad = !s.pad;
      ix.lib.setFile('lib.go', lib(s));
      ix.util.setFile('util.go', util(s));
      packages[1]!.index = ix.lib.index();
      packages[2]!.index = ix.util.index();
      const inp = { root: '/m', mainDir: '/m', profilePath: '/m/default.pgo', profile, hot, packages };
      const cached = matchBinary({ ...inp, cache });
      const fresh = matchBinary(inp);
      assert.deepEqual(cached, fresh, `seed ${seed} step ${step} (edit ${what})`);
      for (const d of fresh.devirtualizations) seenCallees.add(`${d.callee} ${d.certain}`);
      if (!fresh.devirtualizations.some((d) => d.caller === `${LIB}.Dyn`)) without++;
    }
    reused += cache.devirt.counts.reused;
    shifted += cache.devirt.counts.shifted;
  }
  assert.ok(reused > 20 && shifted > 5, `decisions reused ${reused}, callers taken over from a moved copy ${shifted}`);
  assert.ok(without > 5 && seenCallees.size >= 2, `matches without Dyn's devirtualization ${without}; devirtualizations seen: ${[...seenCallees].join(', ')}`);
});
