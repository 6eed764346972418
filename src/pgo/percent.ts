/**
 * The one percentage base: the profile total. For a pprof profile that is the sum of the chosen
 * sample value over all samples (what `go tool pprof -top` calls the total); a preprofile has no
 * samples, so its total is the compiler's TotalWeight (sum of edge weights). Every percentage the
 * CLI and the editor print is `weight / profileTotal × 100` and says so (`percentBase: 'profile'`).
 */
import type { PgoProfile } from './model';

/** Named in JSON output next to every percentage computed with `percentOfProfile`. */
export const PERCENT_BASE = 'profile';
export type PercentBase = typeof PERCENT_BASE;

/** The base: sum of the chosen sample values (pprof), or TotalWeight (preprofile input). */
export function profileTotal(p: Pick<PgoProfile, 'format' | 'sampleTotal' | 'totalWeight'>): number {
  return p.format === 'pprof' && p.sampleTotal > 0 ? p.sampleTotal : p.totalWeight;
}

/** `weight` as a percentage of the profile total (0 for an empty profile). */
export function percentOfProfile(p: Pick<PgoProfile, 'format' | 'sampleTotal' | 'totalWeight'>, weight: number): number {
  const total = profileTotal(p);
  return total > 0 ? (weight / total) * 100 : 0;
}

/** The base in words, for text output: `11838 samples`, `2.4 s of CPU`, `17414 (edge weight)`. */
export function profileTotalLabel(p: Pick<PgoProfile, 'format' | 'sampleTotal' | 'totalWeight' | 'sampleType'>): string {
  const total = profileTotal(p);
  if (p.format !== 'pprof' || !p.sampleType || p.sampleTotal <= 0) return `${total} (edge weight)`;
  if (p.sampleType.unit === 'nanoseconds') return `${(total / 1e9).toFixed(total >= 1e10 ? 0 : 2)} s of ${p.sampleType.type}`;
  return `${total} ${p.sampleType.type}`;
}
