import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionMarkText, lensTitle, matchedText, pct, shortSymbol, statusText, weightText } from '../../../src/editor/format';
import type { BinarySummary } from '../../../src/worker/protocol';

describe('editor formatting (one labelled base, pprof-style percentages)', () => {
  it('writes shares as go tool pprof writes flat% and cum%', () => {
    // go tool pprof -top on test/fixtures/interp: 113 of 487 → 23.20%, 31 → 6.37%
    assert.equal(pct((113 / 487) * 100), '23.20%');
    assert.equal(pct((31 / 487) * 100), '6.37%');
    assert.equal(pct(100), '100%');
    assert.equal(pct(0.0057), '0.0057%');
  });
  it('writes absolute weights in the sample type', () => {
    assert.equal(weightText(31, 'samples/count'), '31 samples');
    assert.equal(weightText(31, 'samples/count', 487), '31 of 487 samples');
    assert.equal(weightText(310_000_000, 'cpu/nanoseconds', 4_870_000_000), '310ms of 4.87s');
    assert.equal(weightText(1_500, 'cpu/nanoseconds'), '1.5µs');
    assert.equal(weightText(7, 'alloc_space/bytes'), '7 bytes');
  });
  it('labels the declaration text and the hot-call lens with the base', () => {
    const f = { line: 35, symbol: 'main.(*Binary).Eval', names: 1, flat: 76, cum: 113, flatPercent: (76 / 487) * 100, cumPercent: (113 / 487) * 100 };
    assert.equal(functionMarkText(f), 'flat 15.61% · cum 23.20% of profile');
    assert.equal(functionMarkText({ ...f, names: 2 }), 'flat 15.61% · cum 23.20% of profile (sum of 2 profile names)');
    const lens = {
      line: 36,
      character: 17,
      kind: 'inline' as const,
      caller: 'main.(*Binary).Eval',
      callee: 'main.(*Binary).Eval',
      weight: 65,
      percent: (65 / 487) * 100,
    };
    assert.equal(lensTitle(lens), '$(flame) PGO inlines → main.(*Binary).Eval (hot budget) 13.35% of profile · predicted');
    assert.equal(
      lensTitle({ ...lens, weight: 0, percent: 0, pgo: 'possible' }),
      '$(question) PGO may inline → main.(*Binary).Eval on a hot line (no samples of its own) · predicted',
    );
  });
  it('shortens symbols at the package path, also with shapes that hold paths', () => {
    assert.equal(shortSymbol('cmd/compile/internal/ssa.(*debugState).liveness'), 'ssa.(*debugState).liveness');
    assert.equal(
      shortSymbol('slices.SortFunc[go.shape.[]cmd/compile/internal/ssa.SlotID,go.shape.int32]'),
      'slices.SortFunc[go.shape.[]cmd/compile/internal/ssa.SlotID,go.shape.int32]',
    );
    assert.equal(shortSymbol('example.com/m/lib.Map[go.shape.int]'), 'lib.Map[go.shape.int]');
  });

  it('says "matching…" while the profile is loaded but not matched yet, not 0 %', () => {
    const b: BinarySummary = {
      id: '/w/cmd/app',
      mainPackage: 'example.com/cmd/app',
      mainDir: '/w/cmd/app',
      profile: '/w/cmd/app/default.pgo',
      summary: null,
      error: null,
      matching: true,
      matchedPercent: 0,
      inlineCandidates: 0,
      devirtualizations: 0,
      unmatched: [],
      history: null,
      confirmed: null,
    };
    assert.equal(statusText(b, 1), '$(flame) PGO app matching…');
    assert.equal(matchedText(b), 'matching…');
    const matched = { ...b, matching: false, matchedPercent: 87.9 };
    assert.equal(statusText(matched, 1), '$(flame) PGO app 87%');
    assert.equal(matchedText(matched), '87% matched');
  });
});
