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

/** Ranks of strings in Go order (rank[i] is the position of s[i]); fast for plain strings. */
export function goSortRanks(s: string[]): Int32Array {
  const idx = Array.from({ length: s.length }, (_, i) => i);
  const plain = s.map((x) => !/[\uD800-\uDFFF]/.test(x));
  idx.sort((a, b) => {
    const x = s[a]!;
    const y = s[b]!;
    if (plain[a] && plain[b]) return x < y ? -1 : x > y ? 1 : 0; // UTF-16 order = UTF-8 order without surrogates
    return goStringCompare(x, y);
  });
  const rank = new Int32Array(s.length);
  idx.forEach((v, i) => (rank[v] = i));
  return rank;
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
