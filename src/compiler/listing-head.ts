/**
 * What of a Go file `go list` reads: everything before its first top-level declaration (build
 * constraints, the package clause, the imports and the cgo preamble; Go requires imports before
 * any other declaration) and its `//go:embed` lines. An edit that leaves this text alone (a
 * change inside a function body, a new function) cannot change the package list of a build, its
 * files or its imports, so the kept listing stays valid (plan-cache.ts). Pure.
 */

const DECL = new Set(['func', 'type', 'var', 'const']);

const isIdentStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
const isIdentPart = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57);

/**
 * The offset of the first top-level `func`/`type`/`var`/`const` keyword (comments, strings and
 * runes skipped), or the text's length when there is none.
 */
export function headEnd(src: string): number {
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 47 /* / */ && src.charCodeAt(i + 1) === 47) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === 47 && src.charCodeAt(i + 1) === 42 /* * */) {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === c || d === 10) {
          i++;
          break;
        } else i++;
      }
    } else if (c === 96 /* ` */) {
      const end = src.indexOf('`', i + 1);
      i = end < 0 ? n : end + 1;
    } else if (isIdentStart(c)) {
      const s = i;
      while (i < n && isIdentPart(src.charCodeAt(i))) i++;
      if (DECL.has(src.slice(s, i))) return s;
    } else i++;
  }
  return n;
}

/** The part of a Go file `go list` depends on: its head and every `//go:embed` line, joined. */
export function listingHead(src: string): string {
  const parts = [src.slice(0, headEnd(src))];
  for (let at = src.indexOf('//go:embed'); at >= 0; at = src.indexOf('//go:embed', at + 1)) {
    const nl = src.indexOf('\n', at);
    parts.push(src.slice(at, nl < 0 ? src.length : nl));
  }
  return parts.join('\n\0');
}
