/**
 * benchstat's statistics. Expected values are benchstat's own output for the same numbers
 * (golang.org/x/perf/cmd/benchstat v0.0.0-20260908200009-22c9c6c9d4da, `-format csv`); the
 * oracle test (test/oracle/evaluate/benchstat.test.ts) compares many more samples live.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareSides, parseBenchOutput } from '../../../src/evaluate/bench';
import { compare, formatDelta, formatP, pctRange, quantile, summarize } from '../../../src/evaluate/stats';

const OFF =
  'goos: linux\npkg: x\n' +
  [10, 11, 12, 10, 13, 11].map((v) => `BenchmarkA-2 100 ${v} ns/op`).join('\n') +
  '\nBenchmarkB-2 100 5 ns/op\nBenchmarkB-2 100 5 ns/op\n';
const PGO =
  'goos: linux\npkg: x\n' +
  [8, 9, 8.5, 8, 9, 7].map((v) => `BenchmarkA-2 100 ${v} ns/op`).join('\n') +
  '\nBenchmarkB-2 100 5 ns/op\nBenchmarkB-2 100 6 ns/op\n';

describe('benchstat statistics', () => {
  it('A-2: 1.1e-08 ± 18% vs 8.25e-09 ± 15%, -25.00% (p=0.002 n=6); B-2: ∞, ~ (p=1.000 n=2)', () => {
    const [a, b] = compareSides(parseBenchOutput(OFF), parseBenchOutput(PGO));
    assert.equal(a!.name, 'A-2');
    assert.equal(a!.unit, 'sec/op');
    assert.ok(Math.abs(a!.off.center - 1.1e-8) < 1e-20);
    assert.ok(Math.abs(a!.pgo.center - 8.25e-9) < 1e-20);
    assert.equal(pctRange(a!.off), '18%');
    assert.equal(pctRange(a!.pgo), '15%');
    assert.equal(formatDelta(a!.comparison, a!.off.center, a!.pgo.center), '-25.00%');
    assert.equal(formatP(a!.comparison), 'p=0.002 n=6');
    assert.equal(pctRange(b!.off), '∞');
    assert.deepEqual(b!.off.warnings, ['need >= 6 samples for confidence interval at level 0.95']);
    assert.equal(formatDelta(b!.comparison, b!.off.center, b!.pgo.center), '~');
    assert.equal(formatP(b!.comparison), 'p=1.000 n=2');
    assert.deepEqual(b!.comparison.warnings, ['need >= 4 samples to detect a difference at alpha level 0.05']);
    assert.equal(b!.deltaPercent, null);
  });
  it('exact U test without ties: completely separated samples of 5 give 2/C(10,5)', () => {
    const c = compare([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    assert.ok(Math.abs(c.p - 2 / 252) < 1e-15);
  });
  it('all values equal: p = 1 with a warning (benchmath reports the U-test error)', () => {
    const c = compare([3, 3, 3], [3, 3, 3]);
    assert.equal(c.p, 1);
    assert.match(c.warnings[0]!, /equal/);
  });
  it('R8 median and summaries of odd and even samples', () => {
    assert.equal(quantile([1, 2, 3], 0.5), 2);
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(summarize([5, 1, 3]).center, 3);
  });
  it('parses extra units and respells ns/op as sec/op', () => {
    const m = parseBenchOutput('BenchmarkX-4   \t 1000\t 1234 ns/op\t  64 B/op\t 2 allocs/op\n');
    assert.deepEqual(
      [...m.values()].map((s) => [s.name, s.unit, s.values]),
      [
        ['X-4', 'sec/op', [1234 * 1e-9]], // benchstat scales ns/op by 1e-9 the same way
        ['X-4', 'B/op', [64]],
        ['X-4', 'allocs/op', [2]],
      ],
    );
  });
});
