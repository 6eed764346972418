import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BinaryMatch, Devirtualization, InlineCandidate, Resolved } from '../../../src/match/match';
import { loadProfileBytes } from '../../../src/pgo/load';
import type { PgoProfile } from '../../../src/pgo/model';
import { changesReport, type ChangeSide, diffProfiles, formatDuration } from '../../../src/refresh/changes';
import { shortSymbol } from '../../../src/source/names';
import { synthPprof } from '../../synth';

/** main.hot (line 20) calls main.leaf at line 22 and main.other at line 25. */
function profile(leaf: number, other: number, seconds: number): PgoProfile {
  return loadProfileBytes(
    synthPprof({
      sampleTypes: [
        ['samples', 'count'],
        ['cpu', 'nanoseconds'],
      ],
      functions: [
        { id: 1, name: 'main.hot', start: 20 },
        { id: 2, name: 'main.leaf', start: 40 },
        { id: 3, name: 'main.other', start: 50 },
      ],
      locations: [
        { id: 1, lines: [[2, 41]] },
        { id: 2, lines: [[1, 22]] },
        { id: 3, lines: [[3, 51]] },
        { id: 4, lines: [[1, 25]] },
      ],
      samples: [
        { locs: [1, 2], values: [leaf, leaf * 1e7] },
        { locs: [3, 4], values: [other, other * 1e7] },
      ],
      durationNanos: seconds * 1e9,
    }),
  ).profile;
}

const resolved = new Map<string, Resolved>([
  [
    'main.hot',
    {
      pkg: {} as Resolved['pkg'],
      entry: {
        symbol: 'main.hot',
        physicalStartLine: 20,
        startLine: 20,
        calls: [
          { physicalLine: 22, line: 22, offset: 2 },
          { physicalLine: 25, line: 25, offset: 5 },
        ],
      } as unknown as Resolved['entry'],
    },
  ],
]);

const cand = (line: number, callee: string, weight: number): InlineCandidate => ({
  file: 'cmd/app/main.go',
  line,
  caller: 'main.hot',
  callee,
  weight,
  percent: weight,
  pgo: 'hot-budget',
  why: '',
});
const devirt = (line: number, callee: string, weight = 5): Devirtualization => ({
  file: 'cmd/app/main.go',
  line,
  col: 9,
  caller: 'main.run',
  callee,
  weight,
  kind: 'interface',
  certain: true,
});

function side(p: PgoProfile, inline: InlineCandidate[], devs: Devirtualization[], matchedPercent = 100): ChangeSide {
  const match: ChangeSide['match'] = { inlineCandidates: inline, devirtualizations: devs, matchedPercent, resolved: resolved as BinaryMatch['resolved'] };
  return { match, profile: p };
}

describe('diffProfiles', () => {
  const oldP = profile(90, 10, 30);
  const newP = profile(100, 1900, 60);
  const c = diffProfiles(
    side(oldP, [cand(22, 'main.leaf', 90)], [devirt(30, 'example.com/app/shapes.Circle.Area')]),
    side(newP, [cand(25, 'main.other', 1900)], [devirt(30, 'example.com/app/shapes.(*Rect).Area')], 96.4),
  );

  it('finds the call sites that became hot and stopped being hot, with both weights', () => {
    assert.deepEqual(c.becameHot, [
      {
        file: 'cmd/app/main.go',
        line: 25,
        caller: 'main.hot',
        callee: 'main.other',
        before: { weight: 10, percent: 10 },
        after: { weight: 1900, percent: 95 },
      },
    ]);
    assert.deepEqual(c.stoppedHot, [
      { file: 'cmd/app/main.go', line: 22, caller: 'main.hot', callee: 'main.leaf', before: { weight: 90, percent: 90 }, after: { weight: 100, percent: 5 } },
    ]);
    assert.equal(c.stillHot, 0);
  });

  it('finds retargeted devirtualizations', () => {
    assert.deepEqual(c.devirtualizations, [
      {
        change: 'retargeted',
        file: 'cmd/app/main.go',
        line: 30,
        col: 9,
        caller: 'main.run',
        kind: 'interface',
        before: { callee: 'example.com/app/shapes.Circle.Area', weight: 5 },
        after: { callee: 'example.com/app/shapes.(*Rect).Area', weight: 5 },
      },
    ]);
  });

  it('states the facts of both profiles', () => {
    assert.deepEqual(c.before, { samples: 100, durationNanos: 30e9, totalWeight: 100, hotCallSites: 1, devirtualizations: 1, matchedPercent: 100 });
    assert.deepEqual(c.after, { samples: 2000, durationNanos: 60e9, totalWeight: 2000, hotCallSites: 1, devirtualizations: 1, matchedPercent: 96.4 });
  });

  it('summarizes in one line', () => {
    assert.equal(
      c.summary,
      '1 call site became hot, 1 stopped; devirtualization at main.go:30 now targets shapes.(*Rect).Area (was shapes.Circle.Area); 100 → 2,000 samples; 30 s → 60 s; source match 100% → 96%',
    );
  });

  it('counts several devirtualization changes, and says when nothing changed', () => {
    const p = profile(90, 10, 30);
    const many = diffProfiles(side(p, [], [devirt(30, 'a.A.M'), devirt(40, 'a.A.M')]), side(p, [], [devirt(40, 'a.B.M'), devirt(50, 'a.A.M')]));
    assert.deepEqual(
      many.devirtualizations.map((d) => `${d.change} ${d.line}`),
      ['gone 30', 'retargeted 40', 'new 50'],
    );
    assert.equal(many.summary, 'devirtualizations: 1 new, 1 gone, 1 retargeted; 100 → 100 samples; 30 s → 30 s');
    const same = diffProfiles(side(p, [cand(22, 'main.leaf', 90)], []), side(profile(80, 20, 0), [cand(22, 'main.leaf', 80)], []));
    assert.equal(same.stillHot, 1);
    assert.equal(same.summary, 'no change in hot call sites or devirtualizations; 100 → 100 samples; 30 s → ?');
  });

  it('writes a markdown report', () => {
    const md = changesReport(c, 'example.com/app/cmd/app');
    assert.match(md, /^# example\.com\/app\/cmd\/app\n/);
    assert.match(md, /\| samples \| 100 \| 2,000 \|/);
    assert.match(md, /\| duration \| 30 s \| 60 s \|/);
    assert.match(
      md,
      /## Became hot: inlined with the hot budget \(2000\) \(1\)\n\n.*\n.*\n\| cmd\/app\/main\.go:25 \| `main\.hot` \| `main\.other` \| 10 \(10\.0%\) \| 1,900 \(95\.0%\) \|/,
    );
    assert.match(
      md,
      /\| cmd\/app\/main\.go:30:9 \| `main\.run` \| retargeted interface call \| `shapes\.Circle\.Area` \(5\) \| `shapes\.\(\*Rect\)\.Area` \(5\) \|/,
    );
  });
});

describe('formatting', () => {
  it('durations', () => {
    assert.deepEqual([0, 1.5e9, 30e9, 59.6e9, 125e9, 180e9].map(formatDuration), ['?', '1.5 s', '30 s', '60 s', '2 min 5 s', '3 min']);
  });
  it('short symbols', () => {
    assert.equal(shortSymbol('example.com/textproc/checksum%2ev2.(*CRC).Write'), 'checksum.v2.(*CRC).Write');
    assert.equal(shortSymbol('main.round'), 'main.round');
    assert.equal(shortSymbol('example.com/shapes/geom.(*Stack[go.shape.int]).Push'), 'geom.(*Stack[go.shape.int]).Push');
    // the cases the editor's copy handled: a path inside type arguments is not the package path
    assert.equal(shortSymbol('cmd/compile/internal/ssa.(*debugState).liveness'), 'ssa.(*debugState).liveness');
    assert.equal(
      shortSymbol('slices.SortFunc[go.shape.[]cmd/compile/internal/ssa.SlotID,go.shape.int32]'),
      'slices.SortFunc[go.shape.[]cmd/compile/internal/ssa.SlotID,go.shape.int32]',
    );
    // every escape is decoded as UTF-8 bytes, not only %2e
    assert.equal(shortSymbol('x/caf%c3%a9%2ev2.F'), 'café.v2.F');
    assert.equal(shortSymbol('noname'), 'noname');
  });
});
