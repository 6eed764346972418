/**
 * benchstat's statistics (golang.org/x/perf/benchmath `AssumeNothing`, on
 * github.com/aclements/go-moremath/stats): the median with its order-statistics confidence
 * interval, and the two-sided Mann-Whitney U test with "~" when p > α. The same numbers as
 * `benchstat` for the same measurements (checked by test/oracle/evaluate/benchstat.test.ts).
 *
 * - Median: the R8 quantile (`1/3 + q(N + 1/3)`, interpolated), as stats.Sample.Quantile.
 * - CI: stats.QuantileCI(n, 0.5, 0.95): for n ≤ 30 the binomial mass summed outwards from the
 *   mode (left-biased), else the normal approximation with continuity correction.
 * - U test: the exact distribution (no ties: n ≤ 50; ties: n ≤ 25; counted here over the tie
 *   groups, like Klotz's algorithm), else the normal approximation with tie and continuity
 *   correction; an error (all values equal) reports p = 1, as benchmath does.
 */

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_CONFIDENCE = 0.95;
const EXACT_LIMIT = 50;
const TIES_EXACT_LIMIT = 25;

export interface Summary {
  center: number;
  lo: number;
  hi: number;
  /** The interval's actual confidence (≥ the requested one). */
  confidence: number;
  warnings: string[];
}

export interface Comparison {
  p: number;
  n1: number;
  n2: number;
  alpha: number;
  warnings: string[];
}

function sorted(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

/** go-moremath mathx.Choose: exact below 21, exp(lchoose) above. */
export function choose(n: number, k: number): number {
  if (k === 0 || k === n) return 1;
  if (k < 0 || n < k) return 0;
  // Symmetric by construction, so the binomial PMF ties exactly at mirrored positions and QuantileCI's left bias decides.
  k = Math.min(k, n - k);
  if (n <= 20) {
    let numer = 1n;
    for (let m = BigInt(n - (k - 1)); m <= BigInt(n); m++) numer *= m;
    let denom = 1n;
    for (let m = 2n; m <= BigInt(k); m++) denom *= m;
    return Number(numer / denom);
  }
  return Math.exp(lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
function lgamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** erfc: the erf series below 0.5, Lentz's continued fraction above (relative error below 1e-13). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 0.5) {
    // erf series: 2/sqrt(pi) Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let sum = 0;
    let term = z;
    for (let n = 0; n < 60; n++) {
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
      term *= (-z * z) / (n + 1);
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // Lentz's continued fraction for erfc(z) = exp(-z²)/sqrt(pi) · 1/(z + 1/2/(z + 1/(z + 3/2/(z + …))))
    const tiny = 1e-300;
    let f = z;
    let C = z;
    let D = 0;
    for (let i = 1; i < 500; i++) {
      const a = i / 2;
      D = z + a * D;
      D = D === 0 ? tiny : D;
      C = z + a / C;
      C = C === 0 ? tiny : C;
      D = 1 / D;
      const delta = C * D;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }
  return x < 0 ? 2 - r : r;
}

function normalCdf(x: number, mu = 0, sigma = 1): number {
  return erfc(-(x - mu) / (sigma * Math.SQRT2)) / 2;
}

/** go-moremath NormalDist.InvCDF: Acklam's approximation and one refinement step. */
function normalInvCdf(p: number, mu: number, sigma: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const plow = 0.02425;
  let x: number;
  if (p < plow || 1 - plow < p) {
    const q = Math.sqrt(-2 * Math.log(p < plow ? p : 1 - p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    if (p >= plow) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  x = x - u / (1 + (x * u) / 2);
  return x * sigma + mu;
}

/** stats.Sample.Quantile (R8) of a sorted sample. */
export function quantile(xs: readonly number[], q: number): number {
  const n = xs.length;
  if (n === 0) return NaN;
  if (q <= 0) return xs[0]!;
  if (q >= 1) return xs[n - 1]!;
  const pos = 1 / 3 + q * (n + 1 / 3);
  const k = Math.trunc(pos);
  const frac = pos - k;
  if (k <= 0) return xs[0]!;
  if (k >= n) return xs[n - 1]!;
  return xs[k - 1]! + frac * (xs[k]! - xs[k - 1]!);
}

interface QuantileCI {
  confidence: number;
  loOrder: number;
  hiOrder: number;
}

/** stats.QuantileCI(n, q, confidence). */
export function quantileCI(n: number, q: number, confidence: number): QuantileCI {
  if (confidence >= 1) return { confidence: 1, loOrder: 0, hiOrder: n + 1 };
  const pmf = (k: number): number => (k < 0 || k > n ? 0 : choose(n, k) * Math.pow(q, k) * Math.pow(1 - q, n - k));
  let l: number;
  let r: number;
  let conf: number;
  if (n <= 30) {
    const x = q === 0 ? 0 : Math.ceil((n + 1) * q) - 1;
    let accum = pmf(x);
    l = x;
    r = x + 1;
    let lp = pmf(l - 1);
    let rp = pmf(r);
    while (accum < confidence && (lp > 0 || rp > 0)) {
      if (lp >= rp) {
        accum += lp;
        l--;
        lp = pmf(l - 1);
      } else {
        accum += rp;
        r++;
        rp = pmf(r);
      }
    }
    conf = accum;
  } else {
    const mu = n * q;
    const sigma = Math.sqrt(n * q * (1 - q));
    const alpha = (1 - confidence) / 2;
    const l1 = normalInvCdf(alpha, mu, sigma);
    const r1 = 2 * mu - l1;
    l = Math.floor(Math.floor(l1 - 0.5) + 0.5) + 1;
    r = Math.floor(Math.ceil(r1 - 0.5) + 0.5) + 1;
    const cdf = (a: number, b: number): number => normalCdf(b - 0.5, mu, sigma) - normalCdf(a - 0.5, mu, sigma);
    conf = cdf(l, r);
    const biased = cdf(l, r - 1);
    if (biased >= confidence && biased < conf) {
      conf = biased;
      r = r - 1;
    }
    if (l <= 0 && r >= n + 1) conf = 1;
  }
  return { confidence: conf, loOrder: Math.max(l, 0), hiOrder: Math.min(r, n + 1) };
}

function medianSamples(confidence: number): string {
  for (let n = 2; n <= 50; n++) {
    const ci = quantileCI(n, 0.5, confidence);
    if (ci.loOrder > 0 && ci.hiOrder <= n) return `>= ${n}`;
  }
  return '> 50';
}

/** benchmath AssumeNothing.Summary: the median and its confidence interval. */
export function summarize(values: readonly number[], confidence = DEFAULT_CONFIDENCE): Summary {
  const xs = sorted(values);
  const ci = quantileCI(xs.length, 0.5, confidence);
  const lo = ci.loOrder < 1 ? -Infinity : xs[ci.loOrder - 1]!;
  const hi = ci.hiOrder - 1 >= xs.length ? Infinity : xs[ci.hiOrder - 1]!;
  const warnings =
    !Number.isFinite(lo) || !Number.isFinite(hi) ? [`need ${medianSamples(confidence)} samples for confidence interval at level ${confidence}`] : [];
  return { center: quantile(xs, 0.5), lo, hi, confidence: ci.confidence, warnings };
}

/** Number of ways to place n1 of N ranked values, per 2U, with U ≤ the statistic: exact over the tie groups. */
function uCountsAtMost(twoU: number, n1: number, ties: readonly number[]): number {
  // dp[k][2U]: ways to choose k of the values seen so far with 2 × (rank sum − k(k+1)/2) = 2U … as rank sums.
  // Tracks 2·R1 (twice the mid-rank sum) to stay integral.
  let dp = new Map<number, number>([[0, 1]]); // key: k * BIG + twoR
  const BIG = 1 << 20;
  let start = 1;
  for (const t of ties) {
    const twoMid = 2 * start + t - 1; // 2 × mid-rank of this tie group
    const next = new Map<number, number>();
    for (const [key, ways] of dp) {
      const k = Math.floor(key / BIG);
      const twoR = key % BIG;
      for (let j = 0; j <= t && k + j <= n1; j++) {
        const nk = (k + j) * BIG + twoR + j * twoMid;
        next.set(nk, (next.get(nk) ?? 0) + ways * choose(t, j));
      }
    }
    dp = next;
    start += t;
  }
  let count = 0;
  const base = n1 * (n1 + 1); // 2 × n1(n1+1)/2
  for (const [key, ways] of dp) {
    if (Math.floor(key / BIG) !== n1) continue;
    if ((key % BIG) - base <= twoU) count += ways;
  }
  return count;
}

/** Minimum p-value of the exact U test with two samples of size n (benchmath's uTestMinP, n ≤ 9). */
function uTestSamples(alpha: number): string {
  for (let n = 1; n <= 9; n++) if (2 / choose(2 * n, n) <= alpha || (n === 1 && 1 <= alpha)) return `>= ${n}`;
  return '> 9';
}

/** benchmath AssumeNothing.Compare: two-sided Mann-Whitney U test. */
export function compare(a: readonly number[], b: readonly number[], alpha = DEFAULT_ALPHA): Comparison {
  const n1 = a.length;
  const n2 = b.length;
  const fail = (why: string): Comparison => ({ p: 1, n1, n2, alpha, warnings: [why] });
  if (n1 === 0 || n2 === 0) return fail('sample is too small');
  const x1 = sorted(a);
  const x2 = sorted(b);
  const merged: Array<[number, 1 | 2]> = [];
  let i = 0;
  let j = 0;
  while (i < n1 && j < n2) merged.push(x1[i]! < x2[j]! ? [x1[i++]!, 1] : [x2[j++]!, 2]);
  while (i < n1) merged.push([x1[i++]!, 1]);
  while (j < n2) merged.push([x2[j++]!, 2]);
  let r1 = 0;
  const ties: number[] = [];
  let hasTies = false;
  for (let k = 0; k < merged.length;) {
    const rank1 = k + 1;
    const v = merged[k]![0];
    let nx1 = 0;
    for (; k < merged.length && merged[k]![0] === v; k++) if (merged[k]![1] === 1) nx1++;
    if (nx1) r1 += ((k + rank1) / 2) * nx1;
    ties.push(k - rank1 + 1);
    if (k > rank1) hasTies = true;
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const uSmall = Math.min(u1, u2);
  let p: number;
  if ((!hasTies && n1 <= EXACT_LIMIT && n2 <= EXACT_LIMIT) || (hasTies && n1 <= TIES_EXACT_LIMIT && n2 <= TIES_EXACT_LIMIT)) {
    if (ties.length === 1) return fail('all samples are equal');
    if (u1 === u2) p = 1;
    else p = (2 * uCountsAtMost(Math.round(2 * uSmall), n1, ties)) / choose(n1 + n2, n1);
  } else {
    const t = ties.reduce((s, x) => s + x * x * x - x, 0);
    const N = n1 + n2;
    const mu = (n1 * n2) / 2;
    const sigma = Math.sqrt((n1 * n2 * (N + 1 - t / (N * (N - 1)))) / 12);
    if (sigma === 0) return fail('all samples are equal');
    let numer = u1 - mu;
    numer -= Math.sign(numer) * 0.5;
    const z = numer / sigma;
    p = 2 * Math.min(normalCdf(z), 1 - normalCdf(z));
  }
  const warnings: string[] = [];
  if (p > alpha) {
    const need = uTestSamples(alpha);
    const n = Number(need.replace(/\D/g, ''));
    if (n1 < n && n2 < n) warnings.push(`need ${need} samples to detect a difference at alpha level ${alpha}`);
  }
  return { p, n1, n2, alpha, warnings };
}

/** Comparison.FormatDelta: "~" when not significant, else the change of the centers in percent. */
export function formatDelta(c: Comparison, old: number, now: number): string {
  if (c.p > c.alpha) return '~';
  if (old === now) return '0.00%';
  if (old === 0) return '?';
  const pct = (now / old - 1) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(2)}%`;
}

/** Summary.PctRangeString: the interval's half-width in percent of the center ("∞", "?"). */
export function pctRange(s: Summary): string {
  if (!Number.isFinite(s.lo) || !Number.isFinite(s.hi)) return '∞';
  const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
  const cs = sign(s.center);
  if (cs !== sign(s.lo) || cs !== sign(s.hi)) return '?';
  if (s.center === 0) return '0%';
  const v = Math.max(s.hi / s.center - 1, 1 - s.lo / s.center);
  return `${(100 * v).toFixed(0)}%`;
}

/** Comparison.String: "p=0.PPP n=N" (or n=N1+N2). */
export function formatP(c: Comparison): string {
  const p = c.p !== 0 ? `p=${c.p.toFixed(3)} ` : '';
  return p + (c.n1 === c.n2 ? `n=${c.n1}` : `n=${c.n1}+${c.n2}`);
}
