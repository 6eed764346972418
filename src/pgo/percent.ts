/**
 * The one percentage base: a weight's share of the profile total, the sum over samples of the
 * chosen sample value (`go tool pprof`'s "of N total"). Every percentage the editor, the CLI and
 * the refactor report show goes through `percentOfProfile`, so they all agree with pprof's flat%
 * and cum% (samples and cpu give the same shares: cpu = samples × period).
 */
import type { PgoProfile } from './model';

/** The base of every percentage: the profile's total in its chosen sample value (edge weight total for a preprofile, which has no samples). */
export function profileTotal(profile: Pick<PgoProfile, 'sampleTotal' | 'totalWeight' | 'format'>): number {
  return profile.format === 'preprofile' ? profile.totalWeight : profile.sampleTotal;
}

/** `weight` as a percentage of the profile total (0 when the profile is empty). */
export function percentOfProfile(profile: Pick<PgoProfile, 'sampleTotal' | 'totalWeight' | 'format'>, weight: number): number {
  const total = profileTotal(profile);
  return total !== 0 ? (weight / total) * 100 : 0;
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

/** Go's `%.2g`. */
function goG2(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(2)))));
  if (exp < -4 || exp >= 2) {
    const [m, e] = x.toExponential(1).split('e') as [string, string];
    const n = Number(e);
    return `${m.replace(/\.?0+$/, '')}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return x.toPrecision(2).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
