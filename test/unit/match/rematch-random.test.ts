/**
 * The re-match with a MatchCache kept across edits (as the worker keeps one per binary) equals a match
 * from scratch, whole result deep-equal, after seeded random edit sequences on a generated workspace
 * (main, lib, util): new lines inside functions and above them, renames, moves between packages,
 * deleting a callee and bringing it back, bodies growing and shrinking so a callee's cost crosses the inline budget and a
 * hot site's decision flips, calls added (recursion cycles), earlier states brought back, and
 * re-matches with nothing changed. The packages stay the same objects and are re-indexed by their own
 * indexers, so the caches' in-place paths are taken (checked by their counters).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeatTable } from '../../../src/pgo/heat-table';
import { hotSet } from '../../../src/pgo/model';
import { type IndexedPackage, MatchCache, matchBinary } from '../../../src/match/match';
import { twinCounts } from '../../../src/match/twins';
import { PackageIndexer } from '../../../src/source/index';
import { rng } from '../../fuzzing';
import { edgeProfile } from './edge-profile';

type PkgName = 'lib' | 'util';
interface Fn {
  name: string;
  pkg: PkgName;
  /** Statements: `w` arithmetic, `c` a call of `callee`, `b` a comment line. */
  body: Array<{ k: 'w' } | { k: 'b' } | { k: 'c'; callee: Fn }>;
  blankAbove: number;
}

const PATHS: Record<PkgName | 'main', string> = { main: 'example.com/m', lib: 'example.com/m/lib', util: 'example.com/m/util' };

function render(fns: readonly Fn[], pkg: PkgName): string {
  const out = [`package ${pkg}`, '', 'import (', '\t"example.com/m/lib"', '\t"example.com/m/util"', ')', '', 'type I interface{ M(int) int }', ''];
  if (pkg === 'lib') out.push('type A struct{}', '', 'func (A) M(x int) int { return x + 1 }', '', 'func Dyn(i I, x int) int {', '\treturn i.M(x)', '}', '');
  for (const f of fns) {
    if (f.pkg !== pkg) continue;
    out.push(...Array<string>(f.blankAbove).fill(''), `func ${f.name}(x int) int {`);
    f.body.forEach((s, i) => {
      if (s.k === 'w') out.push(`\tx = x*${i + 2} + x/${i + 3} - ${i}`);
      else if (s.k === 'b') out.push('\t// a comment');
      else out.push(`\tx += ${s.callee.pkg === pkg ? '' : `${s.callee.pkg}.`}${s.callee.name}(x - 1)`);
    });
    out.push('\treturn x', '}', '');
  }
  return out.join('\n');
}

const MAIN = `package main

import "example.com/m/lib"

func main() {
	println(lib.F0(1))
	println(lib.Dyn(lib.A{}, 2))
}
`;

test('a cached re-match equals a fresh match after random edits', () => {
  const seen = {
    pgo: new Set<string>(),
    kinds: new Set<string>(),
    replayed: 0,
    cyclic: 0,
    positional: 0,
    names: 0,
    landings: 0,
    twins: 0,
    reused: 0,
    shifted: 0,
    guesses: { hits: 0, moved: 0, edited: 0, band: 0 },
  };
  const twinsBefore = twinCounts.twins;
  for (const seed of [1, 2, 3, 4, 5]) {
    const rand = rng(seed);
    const pick = (n: number): number => Math.floor(rand() * n);
    const fns: Fn[] = Array.from({ length: 8 }, (_, i) => ({ name: `F${i}`, pkg: i < 6 ? 'lib' : 'util', body: [], blankAbove: 0 }));
    for (const f of fns) {
      for (let s = pick(12); s > 0; s--) f.body.push({ k: 'w' });
      for (let c = 1 + pick(2); c > 0; c--) f.body.splice(pick(f.body.length + 1), 0, { k: 'c', callee: fns[pick(fns.length)]! });
    }
    const indexers = {
      main: new PackageIndexer({ pkgPath: 'main' }),
      lib: new PackageIndexer({ pkgPath: PATHS.lib }),
      util: new PackageIndexer({ pkgPath: PATHS.util }),
    };
    indexers.main.setFile('main.go', MAIN);
    const reindex = (name: PkgName): void => {
      indexers[name].setFile(`${name}.go`, render(fns, name));
    };
    reindex('lib');
    reindex('util');
    const packages: IndexedPackage[] = (['main', 'lib', 'util'] as const).map((name) => ({
      dir: name === 'main' ? '/m' : `/m/${name}`,
      importPath: PATHS[name],
      symbolPath: name === 'main' ? 'main' : PATHS[name],
      index: indexers[name].index(),
    }));
    // The profile: every static call of the first version with a weight, and the interface call in Dyn to A.M.
    const edges: Array<[string, number, string, number]> = [];
    for (const p of packages)
      for (const e of p.index.funcs)
        for (const c of e.calls) {
          if (c.calleeSymbol) edges.push([e.symbol, c.offset, c.calleeSymbol, 10 + pick(1000)]);
          else if (c.dispatch === 'interface') edges.push([e.symbol, c.offset, `${PATHS.lib}.A.M`, 700]);
        }
    // with each function's file and start line, as pprof has them: the rename guesses' position scores read them
    const rows = packages.flatMap((p) => p.index.funcs.map((e) => ({ name: e.symbol, file: e.file, startLine: e.startLine, flat: 0, cum: 0, lines: [] })));
    const profile = { ...edgeProfile(edges), heat: HeatTable.fromRows(rows) };
    const hot = hotSet(profile, 99);
    const cache = new MatchCache();
    const states: string[] = [];
    const deleted: Fn[] = [];
    for (let step = 0; step < 30; step++) {
      const f = fns[pick(fns.length)]!;
      const what = pick(10);
      if (what === 0 || what === 1)
        f.body.splice(pick(f.body.length + 1), 0, { k: 'b' }); // a new line inside
      else if (what === 2)
        f.blankAbove = pick(4); // lines above: it and everything below move
      else if (what === 3)
        f.name = `${f.name.replace(/_.*/, '')}_r${step}`; // renamed (callers follow)
      else if (what === 4)
        f.pkg = f.pkg === 'lib' ? 'util' : 'lib'; // moved to the other package
      else if (what === 5 && fns.length > 3)
        deleted.push(...fns.splice(fns.indexOf(f), 1)); // deleted (its callers still call it)
      else if (what === 9 && deleted.length)
        fns.push(deleted.splice(pick(deleted.length), 1)[0]!); // a deleted function comes back
      else if (what === 6)
        f.body = [...f.body.filter((s) => s.k !== 'w'), ...Array.from({ length: pick(40) }, (): Fn['body'][number] => ({ k: 'w' }))]; // cost
      else if (what === 7)
        f.body.splice(pick(f.body.length + 1), 0, { k: 'c', callee: fns[pick(fns.length)]! }); // a call (cycles)
      else if (what === 8 && states.length) {
        // an earlier state of the bodies comes back (names and packages as now)
        const old = JSON.parse(states[pick(states.length)]!) as Array<{ name: string; body: Array<{ k: 'w' | 'b' | 'c'; callee?: string }> }>;
        for (const o of old) {
          const g = fns.find((x) => x.name === o.name);
          if (g)
            g.body = o.body.flatMap((s): Fn['body'] =>
              s.k === 'c' ? fns.filter((x) => x.name === s.callee).map((callee) => ({ k: 'c', callee })) : [s.k === 'w' ? { k: 'w' } : { k: 'b' }],
            );
        }
      } // else nothing changes: a re-match of the same text
      states.push(JSON.stringify(fns.map((g) => ({ name: g.name, body: g.body.map((s) => (s.k === 'c' ? { k: 'c', callee: s.callee.name } : s)) }))));
      reindex('lib');
      reindex('util');
      packages[1]!.index = indexers.lib.index();
      packages[2]!.index = indexers.util.index();
      const inp = { root: '/m', mainDir: '/m', profilePath: '/m/default.pgo', profile, hot, packages };
      const before = { ...cache.costs.counts, names: cache.names.hits };
      const cached = matchBinary({ ...inp, cache });
      const fresh = matchBinary(inp);
      assert.deepEqual(cached, fresh, `seed ${seed} step ${step} (edit ${what})`);
      for (const c of fresh.inlineCandidates) seen.pgo.add(`${c.pgo}`);
      for (const u of fresh.unmatched) seen.kinds.add(u.kind);
      seen.replayed += cache.costs.counts.replayed - before.replayed;
      seen.cyclic += cache.costs.counts.cyclicReplayed - before.cyclicReplayed;
      seen.names += cache.names.hits - before.names;
    }
    seen.positional += cache.decls.counts.positional;
    seen.landings += cache.landings.hits;
    seen.reused += cache.inline.counts.reused;
    seen.shifted += cache.inline.counts.shifted;
    for (const k of ['hits', 'moved', 'edited', 'band'] as const) seen.guesses[k] += cache.guesses.counts[k];
  }
  seen.twins = twinCounts.twins - twinsBefore;
  // every cache was used, and the edits changed what they decide
  assert.ok(seen.replayed > 20 && seen.cyclic > 5, `cost queries replayed ${seen.replayed}, with cycles ${seen.cyclic}`);
  assert.ok(seen.positional > 10, `positional table updates ${seen.positional}`);
  assert.ok(seen.names > 100, `names resolved from the cache ${seen.names}`);
  assert.ok(seen.reused > 100 && seen.shifted > 10, `inline candidates reused ${seen.reused}, hot edges of moved callers ${seen.shifted}`);
  assert.ok(seen.landings > 100 && seen.twins > 50, `landings kept ${seen.landings}, moved copies paired ${seen.twins}`);
  const g = seen.guesses;
  assert.ok(
    g.hits > 30 && g.moved > 20 && g.edited > 10 && g.band > 1,
    `rename guesses kept whole ${g.hits}, over moved declarations ${g.moved}, over edited claimed ones ${g.edited}, refused (line part) ${g.band}`,
  );
  assert.ok(seen.pgo.has('hot-budget') && seen.pgo.size >= 2, [...seen.pgo].join(' '));
  for (const k of ['renamed', 'moved', 'removed']) assert.ok(seen.kinds.has(k), `${k}: ${[...seen.kinds].join(' ')}`);
});
