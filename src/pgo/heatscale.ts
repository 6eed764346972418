/**
 * Heat levels relative to the profile's own distribution, so the hottest lines of any profile are
 * visible: a wide real profile (cmd/compile's spreads time over tens of thousands of lines, the
 * hottest under 1 %) gets as many hot lines as a small peaked one. A line's level is its rank
 * among the profile's lines with a non-zero value in the metric (flat or cum):
 * level 4 for the top 2 %, 3 for the top 10 %, 2 for the top 30 %, 1 for any other line with samples.
 */
import type { HeatTable } from './heat-table';

/** Fraction of the lines with samples that reach levels 2, 3 and 4. */
export const HEAT_TOP_FRACTIONS: readonly number[] = [0.3, 0.1, 0.02];

export interface HeatScale {
  /** Lines (function, line) with a non-zero value in the metric. */
  lines: number;
  /** Smallest value reaching levels 2, 3, 4 (Infinity when no line does). */
  thresholds: number[];
}

/** The scale of one metric over every line of the profile. */
export function heatScale(heat: HeatTable, metric: 'flat' | 'cum'): HeatScale {
  const col = metric === 'flat' ? heat.lineFlat : heat.lineCum;
  let n = 0;
  for (let k = 0; k < col.length; k++) if (col[k]! > 0) n++;
  const vals = new Float64Array(n);
  let i = 0;
  for (let k = 0; k < col.length; k++) if (col[k]! > 0) vals[i++] = col[k]!;
  vals.sort(); // ascending
  const thresholds = HEAT_TOP_FRACTIONS.map((q) => {
    const k = n === 0 ? 0 : Math.max(1, Math.round(n * q)); // the top k lines (at least the hottest one)
    return k >= 1 ? vals[n - k]! : Infinity;
  });
  return { lines: n, thresholds };
}

/** 0 (no samples) to 4. */
export function heatLevelOf(value: number, scale: HeatScale): number {
  if (!(value > 0)) return 0;
  let level = 1;
  for (let i = 0; i < scale.thresholds.length; i++) if (value >= scale.thresholds[i]!) level = i + 2;
  return level;
}
