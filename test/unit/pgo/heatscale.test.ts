import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heatLevelOf, heatScale } from '../../../src/pgo/heatscale';
import { EMPTY_HEAT, type FunctionHeat, HeatTable } from '../../../src/pgo/heat-table';
import { formatPercent, percentOfProfile, pprofPercent } from '../../../src/pgo/percent';

const fn = (name: string, flats: number[]): FunctionHeat => ({
  name,
  file: 'x.go',
  startLine: 1,
  flat: flats.reduce((a, b) => a + b, 0),
  cum: flats.reduce((a, b) => a + b, 0),
  lines: flats.map((f, i) => ({ offset: i, line: i + 1, flat: f, cum: f })),
});

describe('heat levels relative to the profile', () => {
  it('ranks lines of a wide, flat profile: the hottest are visible however small their share', () => {
    // 1000 lines of 1..1000 samples: the top line holds 0.2 % of the profile.
    const f = fn(
      'main.wide',
      Array.from({ length: 1000 }, (_, i) => i + 1),
    );
    const s = heatScale(HeatTable.fromRows([f]), 'flat');
    assert.equal(s.lines, 1000);
    // top 30 % = 300 lines (values 701..1000), top 10 % = 100 lines, top 2 % = 20 lines
    assert.deepEqual(s.thresholds, [701, 901, 981]);
    assert.equal(heatLevelOf(1000, s), 4);
    assert.equal(heatLevelOf(981, s), 4);
    assert.equal(heatLevelOf(980, s), 3);
    assert.equal(heatLevelOf(701, s), 2);
    assert.equal(heatLevelOf(700, s), 1);
    assert.equal(heatLevelOf(0, s), 0);
  });
  it('gives a tiny profile its hottest line at the top level and skips zero lines', () => {
    const s = heatScale(HeatTable.fromRows([fn('main.a', [0, 5, 1]), fn('main.b', [2])]), 'flat');
    assert.equal(s.lines, 3);
    assert.equal(heatLevelOf(5, s), 4);
    assert.equal(heatLevelOf(1, s), 1);
  });
  it('has no levels without samples', () => {
    const s = heatScale(EMPTY_HEAT, 'cum');
    assert.equal(s.lines, 0);
    assert.equal(heatLevelOf(1, s), 1);
  });
});

describe('one percentage base', () => {
  it('is the sample total for pprof and the edge total for a preprofile', () => {
    assert.equal(percentOfProfile({ format: 'pprof', sampleTotal: 487, totalWeight: 405 }, 31), (31 / 487) * 100);
    assert.equal(percentOfProfile({ format: 'preprofile', sampleTotal: 0, totalWeight: 50 }, 5), 10);
    assert.equal(percentOfProfile({ format: 'pprof', sampleTotal: 0, totalWeight: 0 }, 5), 0);
  });
  it("formats like pprof's measurement.Percentage", () => {
    // values as go tool pprof prints them for the interp fixture and cmd/compile's profile
    assert.equal(pprofPercent(113, 487), '23.20%');
    assert.equal(pprofPercent(31, 487), ' 6.37%');
    assert.equal(pprofPercent(487, 487), '  100%');
    assert.equal(formatPercent(0.0057), '0.0057%');
    assert.equal(formatPercent(0.5), '0.5%');
    assert.equal(formatPercent(0.123), '0.12%');
    assert.equal(formatPercent(0.00001234), '1.2e-05%');
    assert.equal(formatPercent(0), '0%');
  });
});

describe("Go's %.2f", () => {
  it('rounds exact ties to even, like strconv', () => {
    assert.equal(formatPercent((17 / 32) * 100), '53.12%'); // 53.125 exactly: go tool pprof prints 53.12%
    assert.equal(formatPercent((21 / 32) * 100), '65.62%'); // 65.625
    assert.equal(formatPercent((3 / 32) * 100), '9.38%'); // 9.375 → 9.38 (8 is even)
    assert.equal(formatPercent((1 / 3) * 100), '33.33%');
    assert.equal(formatPercent(1.005), '1.00%'); // 1.005 is below the tie as a double
    // %.2g below 1 %: Go prints 0.12 for 0.125 and 0.38 for 0.375 (ties to even), 0.062 for 0.0625
    assert.equal(formatPercent(0.125), '0.12%');
    assert.equal(formatPercent(0.375), '0.38%');
    assert.equal(formatPercent(0.0625), '0.062%');
    assert.equal(formatPercent(0.99), '0.99%');
    assert.equal(formatPercent(0.996), '1%'); // rounds to 1.0 → %g drops the zero
    assert.equal(formatPercent(0.00009), '9e-05%');
  });
});
