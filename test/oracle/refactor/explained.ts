import assert from 'node:assert/strict';

/** Each lost sample is charged to one entry: Σ unmatched.percent = lostPercent = 100 − matchedPercent. */
export function assertExplained(b: { unmatched: Array<{ percent: number }>; lostPercent: number; matchedPercent: number }): void {
  const sum = b.unmatched.reduce((s, u) => s + u.percent, 0);
  assert.ok(Math.abs(sum - b.lostPercent) < 1e-9, `Σ unmatched ${sum} ≠ lost ${b.lostPercent}`);
  assert.ok(Math.abs(b.matchedPercent - Math.max(0, 100 - b.lostPercent)) < 1e-9, `matched ${b.matchedPercent} ≠ 100 − ${b.lostPercent}`);
}
