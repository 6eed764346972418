/**
 * The one percentage base: a weight's share of the profile total, the sum over samples of the
 * chosen sample value (`go tool pprof`'s "of N total"). Every percentage the editor, the CLI and
 * the refactor report show goes through `percentOfProfile`, so they all agree with pprof's flat%
 * and cum% (samples and cpu give the same shares: cpu = samples × period).
 */
import type { PgoProfile } from './model';

/** Named in JSON output next to every percentage computed with `percentOfProfile`. */
export const PERCENT_BASE = 'profile';

/** Instead of `0.00%` for a call on a hot line that has no samples of its own: its inline decision is real, the compiler gives every call on a hot line the hot budget. */
export const NO_SAMPLES = 'on a hot line (no samples of its own)';
export type PercentBase = typeof PERCENT_BASE;

/** The base of every percentage: the profile's total in its chosen sample value (edge weight total for a preprofile, which has no samples). */
export function profileTotal(profile: Pick<PgoProfile, 'sampleTotal' | 'totalWeight' | 'format'>): number {
  return profile.format === 'pprof' && profile.sampleTotal > 0 ? profile.sampleTotal : profile.totalWeight;
}

/** `weight` as a percentage of the profile total (0 when the profile is empty). */
export function percentOfProfile(profile: Pick<PgoProfile, 'sampleTotal' | 'totalWeight' | 'format'>, weight: number): number {
  const total = profileTotal(profile);
  return total !== 0 ? (weight / total) * 100 : 0;
}

/** The base in words, for text output: `11838 samples`, `2.4 s of CPU`, `17414 (edge weight)`. */
export function profileTotalLabel(p: Pick<PgoProfile, 'format' | 'sampleTotal' | 'totalWeight' | 'sampleType'>): string {
  const total = profileTotal(p);
  if (p.format !== 'pprof' || !p.sampleType || p.sampleTotal <= 0) return `${total} (edge weight)`;
  if (p.sampleType.unit === 'nanoseconds') return `${(total / 1e9).toFixed(total >= 1e10 ? 0 : 2)} s of ${p.sampleType.type}`;
  return `${total} ${p.sampleType.type}`;
}

/** pprof's measurement.Percentage: `  100%` near 100, `%5.2f%%` from 1, `%5.2g%%` below. */
export function pprofPercent(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  return `${formatPercent(ratio).slice(0, -1).padStart(5)}%`;
}

/** A percentage as pprof writes it, unpadded: `100%`, `23.20%`, `0.57%`, `0.0057%`. */
export function formatPercent(ratio: number): string {
  const a = Math.abs(ratio);
  if (a >= 99.95 && a <= 100.05) return '100%';
  if (a >= 1) return `${goFixed(ratio, 2)}%`;
  return `${goG2(ratio)}%`;
}

/** Go's `%.Nf`: like toFixed, but an exact tie rounds to even (Go: 53.125 → 53.12; toFixed: 53.13). */
export function goFixed(x: number, digits: number): string {
  const exact = Math.abs(x).toFixed(100); // the double's exact decimal expansion
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + digits);
  if (!/^50*$/.test(rest)) return x.toFixed(digits);
  const kept = exact.slice(0, dot + 1 + digits);
  const last = Number(kept[kept.length - 1] === '.' ? kept[kept.length - 2] : kept[kept.length - 1]);
  const out = last % 2 === 0 ? kept.replace(/\.$/, '') : Math.abs(x).toFixed(digits);
  return x < 0 ? `-${out}` : out;
}

/** Go's `%.2g`: two significant digits (exact ties to even), `%e` form below 1e-4, trailing zeros dropped. */
function goG2(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  // Two significant digits of the exact value: d.d × 10^exp, rounded as strconv rounds.
  const exact = a.toExponential(60); // "d.ddd…e±x", the double's digits
  const [mant, e] = exact.split('e') as [string, string];
  const tie = /^50*$/.test(mant.slice(3));
  const down = tie && Number(mant[2]) % 2 === 0; // a tie on an even digit: truncate (toExponential would round up)
  const [m, ex] = down ? [mant.slice(0, 3), e] : (a.toExponential(1).split('e') as [string, string]);
  const exp = Number(ex);
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 2) return `${sign}${m.replace(/\.?0+$/, '')}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const digits = m.replace('.', ''); // two digits
  const fixed = exp >= 0 ? (exp === 0 ? `${digits[0]}.${digits[1]}` : digits) : `0.${'0'.repeat(-exp - 1)}${digits}`;
  return sign + (fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed);
}
