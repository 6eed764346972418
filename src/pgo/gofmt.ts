import { encodeGoString, hasEscapedBytes } from '../profile/gostring';

/** Go's formatting and ordering rules, where our output must match the Go toolchain's. */

/**
 * Compares strings the way Go does (byte-wise UTF-8). JavaScript's `<` compares UTF-16 code
 * units, which orders astral characters before U+E000–U+FFFF; code points order like UTF-8 bytes.
 */
export function goStringCompare(a: string, b: string): number {
  if (a === b) return 0;
  if (hasEscapedBytes(a) || hasEscapedBytes(b)) return Buffer.compare(encodeGoString(a), encodeGoString(b));
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if ((x < 0xd800 || x > 0xdfff) && (y < 0xd800 || y > 0xdfff)) return x < y ? -1 : 1;
    const cx = a.codePointAt(i)!;
    const cy = b.codePointAt(i)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * Ranks of strings in Go order (rank[i] is the position of s[i]; equal strings by index). Plain
 * strings (no surrogates: UTF-16 order = UTF-8 order) are sorted by a multikey quicksort on code
 * units, which reads each shared prefix once per partition level instead of once per comparison
 * (symbol names share long package paths); any other string sorts everything by goStringCompare.
 */
export function goSortRanks(s: string[]): Int32Array {
  const n = s.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (s.some((x) => SURROGATE_RE.test(x))) {
    const order = Array.from(idx).sort((a, b) => goStringCompare(s[a]!, s[b]!) || a - b);
    idx.set(order);
  } else multikeySort(s, idx);
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[idx[i]!] = i;
  return rank;
}

const SURROGATE_RE = /[\uD800-\uDFFF]/;

/**
 * Sorts idx by s[idx[k]] in code-unit order, equal strings by index: a three-way radix quicksort
 * (Bentley–Sedgewick) with an explicit stack, so very long shared prefixes cannot overflow the
 * call stack; small ranges by insertion sort on whole strings (they share the prefix already read).
 */
function multikeySort(s: string[], idx: Int32Array): void {
  const unit = (k: number, d: number): number => {
    const x = s[idx[k]!]!;
    return d < x.length ? x.charCodeAt(d) : -1;
  };
  const stack: number[] = [0, idx.length, 0];
  while (stack.length > 0) {
    const d0 = stack.pop()!;
    let hi = stack.pop()!;
    let lo = stack.pop()!;
    let d = d0;
    while (hi - lo > 1) {
      if (hi - lo <= 12) {
        for (let i = lo + 1; i < hi; i++) {
          const v = idx[i]!;
          const sv = s[v]!;
          let j = i - 1;
          for (; j >= lo; j--) {
            const u = idx[j]!;
            const su = s[u]!;
            if (su < sv || (su === sv && u < v)) break;
            idx[j + 1] = u;
          }
          idx[j + 1] = v;
        }
        break;
      }
      const a = unit(lo, d);
      const b = unit((lo + hi) >>> 1, d);
      const c = unit(hi - 1, d);
      const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
      let lt = lo;
      let gt = hi;
      let i = lo;
      while (i < gt) {
        const u = unit(i, d);
        if (u < pivot) {
          const t = idx[lt]!;
          idx[lt++] = idx[i]!;
          idx[i++] = t;
        } else if (u > pivot) {
          const t = idx[--gt]!;
          idx[gt] = idx[i]!;
          idx[i] = t;
        } else i++;
      }
      if (lt - lo > 1) stack.push(lo, lt, d);
      if (hi - gt > 1) stack.push(gt, hi, d);
      if (pivot < 0) {
        idx.subarray(lt, gt).sort(); // equal strings (all ended at d): by index
        break;
      }
      lo = lt;
      hi = gt;
      d++;
    }
  }
}

/**
 * Go's `%v` of a float64: the shortest representation that round-trips, in `%e` form with a
 * two-digit exponent when the exponent is < -4 or >= 6 (strconv's shortest `%g`), else in
 * `%f` form.
 * Shortest digits are the same in JS and Go (both round-trip shortest).
 */
export function goFormatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, expStr] = x.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mant}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  // Decimal form from the shortest digits (JS toString switches to exponent only below 1e-6).
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let s: string;
  if (exp >= 0) {
    s = digits.length <= exp + 1 ? digits + '0'.repeat(exp + 1 - digits.length) : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? `-${s}` : s;
}
