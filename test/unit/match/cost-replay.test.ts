/**
 * Cost-model queries replayed from the previous model's logs (cost-replay.ts): after seeded random
 * edits of a package full of recursion cycles (bodies grown and shrunk, calls added and removed,
 * functions moved by blank lines), each model that kept what it could (estimates that met no cycle,
 * and the logs of the last model's queries) answers every query, in its order, exactly as a fresh
 * model asked in the same order. Orders repeat, change a little and change whole, so logs are both
 * replayed (also logs with estimates that met a cycle) and refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CostMemo } from '../../../src/match/cost-memo';
import { costModel, type CostEstimate, type PgoBudgets } from '../../../src/match/inlinable';
import { type FuncEntry, genericKey, type PackageIndex, PackageIndexer } from '../../../src/source/index';
import { rng } from '../../fuzzing';

const N = 12;
const names = Array.from({ length: N }, (_, i) => `f${i}`);
const HOT = {};
/** f2, f5 and f9 are hot callees; calls at even offsets of f1 and f4 are hot sites. */
const pgo: PgoBudgets = {
  isHotCallee: (s) => /\.f(2|5|9)$/.test(s),
  isHotSite: (caller, offset) => /\.f(1|4)$/.test(caller) && offset % 2 === 0,
};

interface Fn {
  /** Callees by index, one statement each. */
  calls: number[];
  /** Extra arithmetic statements (nodes). */
  weight: number;
  /** Blank lines before the function. */
  blank: number;
  /** A comment line inside (typing that the estimate does not see). */
  comment: string;
}

function source(fns: Fn[]): string {
  const out = ['package p', ''];
  fns.forEach((f, i) => {
    out.push('\n'.repeat(f.blank) + `func f${i}(x int) int {`);
    if (f.comment) out.push(`\t// ${f.comment}`);
    out.push('\tif x <= 0 {', '\t\treturn 1', '\t}');
    for (let w = 0; w < f.weight; w++) out.push(`\tx = x*${w + 2} + x/${w + 3} - ${w}`);
    for (const c of f.calls) out.push(`\tx += f${c}(x - 1)`);
    out.push('\treturn x', '}', '');
  });
  return out.join('\n');
}

function model(ix: PackageIndex, kept?: CostMemo): (s: string) => CostEstimate | undefined {
  const decls = new Map(ix.funcs.map((e) => [genericKey(e.symbol), { entry: e }]));
  kept?.sync({ hot: HOT, universe: undefined, prefixes: 'p' }, new Map([['p', ix]]), decls, (x) => x.funcs.map((e) => genericKey(e.symbol)));
  return costModel((s) => decls.get(genericKey(s))?.entry as FuncEntry | undefined, pgo, kept);
}

function shuffle<T>(xs: T[], rand: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

test('replayed queries equal a fresh model asked in the same order, after random edits', () => {
  let replayed = 0;
  let computed = 0;
  let cyclicReplays = 0;
  let cyclicValues = 0;
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const rand = rng(seed);
    const pick = (n: number): number => Math.floor(rand() * n);
    const fns: Fn[] = names.map(() => ({ calls: Array.from({ length: 1 + pick(3) }, () => pick(N)), weight: pick(12), blank: 0, comment: '' }));
    const ix = new PackageIndexer({ pkgPath: 'p' });
    const kept = new CostMemo();
    let order = shuffle(
      names.map((n) => `p.${n}`),
      rand,
    );
    for (let step = 0; step < 40; step++) {
      const f = fns[pick(N)]!;
      const what = pick(6);
      if (what === 0) f.weight = pick(25);
      else if (what === 1) f.calls.push(pick(N));
      else if (what === 2 && f.calls.length > 1) f.calls.splice(pick(f.calls.length), 1);
      else if (what === 3) f.blank = pick(3);
      else if (what === 4) f.comment = `typing ${step}`;
      // what === 5: nothing changes (a re-match of the same text)
      const o = pick(4);
      if (o === 1) {
        const i = pick(order.length - 1);
        order = [...order];
        [order[i], order[i + 1]] = [order[i + 1]!, order[i]!];
      } else if (o === 2) order = shuffle(order, rand);
      else if (o === 3) order = [...order.slice(1), order[0]!];
      ix.setFile('p.go', source(fns));
      const now = ix.index();
      const before = { ...kept.counts };
      const incremental = model(now, kept);
      const fresh = model(now);
      for (const s of order) {
        const a = incremental(s);
        assert.deepEqual(a, fresh(s), `seed ${seed} step ${step} ${s} (order ${order.join(' ')})`);
      }
      replayed += kept.counts.replayed - before.replayed;
      computed += kept.counts.computed - before.computed;
      cyclicReplays += kept.counts.cyclicReplayed - before.cyclicReplayed;
      for (const s of order) if (kept.get(s) === undefined && now.funcs.some((e) => e.symbol === s)) cyclicValues++;
    }
  }
  assert.ok(replayed > 100, `replayed ${replayed}`);
  assert.ok(computed > 100, `computed ${computed}`);
  assert.ok(cyclicReplays > 50, `replays with estimates that met a cycle: ${cyclicReplays}`);
  assert.ok(cyclicValues > 100, `estimates that met a cycle: ${cyclicValues}`);
});
