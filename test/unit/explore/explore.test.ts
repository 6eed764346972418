import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePprof } from '../../../src/profile/pprof';
import { pprofNumbers } from '../../../src/pgo/flatcum';
import { DiffTable, NormalizeError } from '../../../src/explore/diff';
import { FLAG_INLINED, FLAG_NOT_INLINED, FLAG_PGO_INLINE, flameSlice } from '../../../src/explore/flame';
import { framesOf, FunctionNames } from '../../../src/explore/frames';
import { neighbors } from '../../../src/explore/neighbors';
import { search } from '../../../src/explore/search';
import { PatternError, TopTable } from '../../../src/explore/top';
import { buildTree, buildTreeAsync, type CallTree, childrenOf } from '../../../src/explore/tree';
import { type SynthProfile, synthPprof } from '../../synth';

// A small profile whose trees are worked out by hand from pprof's definitions: every Line of a
// Location is a frame (Line[0] innermost, the others inlined into the next), samples with
// value 0 are skipped, the total is the sum of |value|. Functions: 1 main.main, 2 main.a,
// 3 main.b, 4 main.c (inlined into main.b at location 3).
const base = (): SynthProfile => ({
  sampleTypes: [['samples', 'count']],
  functions: [
    { id: 1, name: 'main.main', start: 9 },
    { id: 2, name: 'main.a', start: 19 },
    { id: 3, name: 'main.b', start: 39 },
    { id: 4, name: 'main.c', start: 29 },
  ],
  locations: [
    { id: 1, lines: [[1, 10]] },
    { id: 2, lines: [[2, 20]] },
    {
      id: 3,
      lines: [
        [4, 30],
        [3, 40],
      ],
    },
    { id: 4, lines: [[3, 41]] },
  ],
  samples: [
    { locs: [2, 1], values: [5] }, // main → a
    { locs: [3, 1], values: [3] }, // main → b → c (inlined)
    { locs: [3, 2, 1], values: [2] }, // main → a → b → c
    { locs: [2, 2, 1], values: [4] }, // main → a → a (recursion)
    { locs: [1], values: [0] }, // skipped
    { locs: [4, 1], values: [1] }, // main → b
  ],
  durationNanos: 1e9,
});

const load = (p: SynthProfile, names = new FunctionNames()) => {
  const pprof = decodePprof(synthPprof(p));
  return { pprof, frames: framesOf(pprof, names), names };
};

/** The tree as nested [name, cum, self, children] (children heaviest first). */
function shape(t: CallTree, n = 0, s = 0): unknown[] {
  const kids: unknown[] = [];
  for (const c of childrenOf(t, n)) kids.push(shape(t, c, s));
  return [n === 0 ? 'root' : t.names.names[t.fn[n]!]!, t.cum[s]![n]!, t.self[s]![n]!, kids];
}

describe('explorer call trees (hand-derived from pprof definitions)', () => {
  const { frames } = load(base());

  it('builds the top-down tree with inlined frames as frames of their own', () => {
    const t = buildTree([{ frames, vi: 0 }], false);
    assert.deepEqual(t.totals, [15]);
    assert.deepEqual(shape(t), [
      'root',
      15,
      0,
      [
        [
          'main.main',
          15,
          0,
          [
            [
              'main.a',
              11,
              5,
              [
                ['main.a', 4, 4, []],
                ['main.b', 2, 0, [['main.c', 2, 2, []]]],
              ],
            ],
            ['main.b', 4, 1, [['main.c', 3, 3, []]]],
          ],
        ],
      ],
    ]);
    const c = Array.from(t.fn).findIndex((f) => t.names.names[f] === 'main.c');
    assert.equal(t.inlined[c], FLAG_INLINED);
    const b = t.parent[c]!;
    assert.equal(t.inlined[b], FLAG_NOT_INLINED);
  });

  it("builds the inverted tree: its first level is each function's flat", () => {
    const t = buildTree([{ frames, vi: 0 }], true);
    assert.deepEqual(shape(t), [
      'root',
      15,
      0,
      [
        [
          'main.a',
          9,
          0,
          [
            ['main.main', 5, 5, []],
            ['main.a', 4, 0, [['main.main', 4, 4, []]]],
          ],
        ],
        [
          'main.c',
          5,
          0,
          [
            [
              'main.b',
              5,
              0,
              [
                ['main.main', 3, 3, []],
                ['main.a', 2, 0, [['main.main', 2, 2, []]]],
              ],
            ],
          ],
        ],
        ['main.b', 1, 0, [['main.main', 1, 1, []]]],
      ],
    ]);
  });

  it('builds the same trees a slice of samples at a time', async () => {
    for (const inverted of [false, true]) {
      const whole = buildTree([{ frames, vi: 0 }], inverted);
      const sliced = await buildTreeAsync([{ frames, vi: 0 }], inverted, 2);
      assert.deepEqual(shape(sliced), shape(whole));
      assert.deepEqual(sliced.totals, whole.totals);
    }
  });

  it('sends only nodes at least minFraction of the zoom root wide, with their positions', () => {
    const t = buildTree([{ frames, vi: 0 }], false);
    const marks = (caller: number, callee: number): number =>
      t.names.names[caller] === 'main.main' && t.names.names[callee] === 'main.b' ? FLAG_PGO_INLINE : 0;
    const s = flameSlice(t, { root: 0, minFraction: 0.2, maxNodes: 100 }, [1], marks);
    const rows = s.node.map((_, i) => [s.names[s.name[i]!], s.depth[i], +s.x[i]!.toFixed(4), +s.w[i]!.toFixed(4), s.cum[0]![i]]);
    assert.deepEqual(rows, [
      ['root', 0, 0, 1, 15],
      ['main.main', 1, 0, 1, 15],
      ['main.a', 2, 0, +(11 / 15).toFixed(4), 11],
      ['main.b', 2, +(11 / 15).toFixed(4), +(4 / 15).toFixed(4), 4],
      ['main.a', 3, 0, +(4 / 15).toFixed(4), 4],
      ['main.c', 3, +(11 / 15).toFixed(4), +(3 / 15).toFixed(4), 3],
    ]);
    assert.equal(s.omitted, 1, 'main.a → main.b (2 of 15) is narrower than 0.2');
    assert.equal(s.flags[3]! & FLAG_PGO_INLINE, FLAG_PGO_INLINE, 'main.main → main.b is marked');
    assert.equal(s.flags[2]! & FLAG_PGO_INLINE, 0);
    // Zoomed into main.a: widths relative to it, the breadcrumb above it.
    const a = s.node[2]!;
    const z = flameSlice(t, { root: a, minFraction: 0, maxNodes: 2 }, [1]);
    assert.deepEqual(
      z.ancestors.map((x) => x.name),
      ['main.main'],
    );
    assert.deepEqual(
      z.node.map((n) => t.names.names[t.fn[n]!]),
      ['main.a', 'main.a'],
    );
    assert.equal(z.omitted, 1, 'main.a → main.b is beyond maxNodes (its own children are not looked at)');
    assert.throws(() => flameSlice(t, { root: t.count, minFraction: 0, maxNodes: 1 }, [1]), RangeError);
  });

  it('gives callers and callees with pprof edge weights (once per sample, no self edge)', () => {
    const a = neighbors(frames, 0, 'main.a');
    assert.deepEqual({ flat: a.flat, cum: a.cum, total: a.total }, { flat: 9, cum: 11, total: 15 });
    assert.deepEqual(a.callers, [{ name: 'main.main', weight: 11 }]);
    assert.deepEqual(a.callees, [{ name: 'main.b', weight: 2 }]);
    const b = neighbors(frames, 0, 'main.b');
    assert.deepEqual(b.callers, [
      { name: 'main.main', weight: 4 },
      { name: 'main.a', weight: 2 },
    ]);
    assert.deepEqual(b.callees, [{ name: 'main.c', weight: 5 }]);
    assert.deepEqual(neighbors(frames, 0, 'main.nothing').callers, []);
  });

  it('searches with the match share of samples holding a matching frame', () => {
    const c = search(frames, 0, '^main\\.c$');
    assert.deepEqual([c.functions, c.matched, c.total], [['main.c'], 5, 15]);
    assert.equal(c.percent, (5 / 15) * 100);
    const bc = search(frames, 0, 'MAIN\\.[bc]');
    assert.deepEqual([bc.functions, bc.matched], [['main.b', 'main.c'], 6]);
    assert.equal(search(frames, 0, '').matched, 0);
    assert.throws(() => search(frames, 0, '(('), PatternError);
  });
});

describe('explorer top table', () => {
  const { pprof } = load(base());
  const top = new TopTable(pprofNumbers(pprof, 0));

  it('keeps -top order with sum% and pages through it', () => {
    const all = top.all().map((r) => [r.name, r.flat, r.cum, +r.sumPercent.toFixed(2)]);
    // flat desc, then name: a 9, c 5, b 1, main 0.
    assert.deepEqual(all, [
      ['main.a', 9, 11, 60],
      ['main.c', 5, 5, 93.33],
      ['main.b', 1, 6, 100],
      ['main.main', 0, 15, 100],
    ]);
    const p = top.page({ sort: 'flat', desc: true, filter: '', offset: 1, count: 2 });
    assert.deepEqual([p.total, p.matched, p.offset, p.rows.map((r) => r.name)], [4, 4, 1, ['main.c', 'main.b']]);
  });

  it('sorts by cum or name and filters by a case-insensitive pattern', () => {
    assert.deepEqual(
      top.page({ sort: 'cum', desc: true, filter: '', offset: 0, count: 9 }).rows.map((r) => r.name),
      ['main.main', 'main.a', 'main.b', 'main.c'],
    );
    assert.deepEqual(
      top.page({ sort: 'name', desc: false, filter: 'MAIN\\.[ab]', offset: 0, count: 9 }).rows.map((r) => r.name),
      ['main.a', 'main.b'],
    );
    assert.throws(() => top.page({ sort: 'name', desc: false, filter: '[', offset: 0, count: 1 }), PatternError);
  });
});

describe('explorer diff', () => {
  const next = (): SynthProfile => ({ ...base(), samples: [{ locs: [2, 1], values: [10] }], durationNanos: 2e9 });

  it('normalises per-function deltas by total (percentage points)', () => {
    const d = new DiffTable(
      { numbers: pprofNumbers(load(base()).pprof, 0), durationNanos: 1e9 },
      { numbers: pprofNumbers(load(next()).pprof, 0), durationNanos: 2e9 },
      'total',
    );
    const a = d.all().find((r) => r.name === 'main.a')!;
    assert.deepEqual([a.baseFlat, a.newFlat, a.baseFlatN, a.newFlatN, a.flatDelta], [9, 10, 60, 100, 40]);
    const c = d.all().find((r) => r.name === 'main.c')!;
    assert.equal(c.newCum, 0);
    assert.ok(Math.abs(c.cumDelta + (5 / 15) * 100) < 1e-9, `main.c lost its whole share: ${c.cumDelta}`);
    const rows = d.page({ sort: 'flatDelta', desc: true, filter: '', offset: 0, count: 10 }).rows.map((r) => r.name);
    assert.deepEqual(rows, ['main.a', 'main.c', 'main.b', 'main.main']);
  });

  it('normalises by duration (per second) and refuses a profile without one', () => {
    const d = new DiffTable(
      { numbers: pprofNumbers(load(base()).pprof, 0), durationNanos: 1e9 },
      { numbers: pprofNumbers(load(next()).pprof, 0), durationNanos: 2e9 },
      'duration',
    );
    const a = d.all().find((r) => r.name === 'main.a')!;
    assert.deepEqual([a.baseFlatN, a.newFlatN, a.flatDelta], [9, 5, -4]);
    assert.throws(
      () =>
        new DiffTable(
          { numbers: pprofNumbers(load(base()).pprof, 0), durationNanos: 0 },
          { numbers: pprofNumbers(load(next()).pprof, 0), durationNanos: 2e9 },
          'duration',
        ),
      NormalizeError,
    );
  });

  it('builds one differential tree over both profiles with shared function ids', () => {
    const names = new FunctionNames();
    const t = buildTree(
      [
        { frames: load(base(), names).frames, vi: 0 },
        { frames: load(next(), names).frames, vi: 0 },
      ],
      false,
    );
    assert.deepEqual(t.totals, [15, 10]);
    const a = Array.from(t.fn).findIndex((f, n) => names.names[f] === 'main.a' && t.depth[n] === 2);
    assert.deepEqual([t.cum[0]![a], t.cum[1]![a], t.self[1]![a]], [11, 10, 10]);
    const s = flameSlice(t, { root: 0, minFraction: 0, maxNodes: 100 }, [1 / 15, 1 / 10]);
    assert.equal(s.w[0], 1);
    assert.deepEqual([s.cum[0]![0], s.cum[1]![0]], [15, 10]);
  });
});
