/**
 * A declaration's key by its tokens (issue #14): the walk of a function declaration reads its
 * tokens (kind, text, line relative to its first token, column, flags) and nothing else of the
 * text between them, except byte columns, which count the UTF-8 bytes of everything before a
 * token on its line; so in a file without non-ASCII text, a declaration whose text changed only
 * in comments or trailing blanks walks to the same result as before. PackageIndexer looks a
 * declaration up by this key when its text key misses.
 */
import type { TokenStream } from './lexer';

/** cyrb53 over the tokens `from`…`to` (inclusive): kind, relative line, column, flags and text. */
export function tokenHash(ts: TokenStream, from: number, to: number): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const mix = (c: number): void => {
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  };
  const base = ts.line[from] ?? 0;
  const src = ts.src;
  for (let t = from; t <= to && t < ts.count; t++) {
    mix((ts.kind[t] ?? 0) | ((ts.flags[t] ?? 0) << 8));
    mix((ts.line[t] ?? 0) - base);
    mix(ts.col[t] ?? 0);
    const e = ts.end[t] ?? 0;
    let i = ts.start[t] ?? 0;
    mix(e - i);
    for (; i < e; i++) mix(src.charCodeAt(i));
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 't' + (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36) + ':' + (to - from);
}
