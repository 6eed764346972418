/**
 * Which lines of a function carry no code: blank lines and lines holding only comments. A
 * profile sample is always attributed to a line with code, so a profile offset that lands on
 * such a line (or outside the function) is evidence that the profile describes other code.
 */
import { TOKEN_FLAG_AUTO_SEMI, type TokenStream } from './lexer';

/**
 * Offsets (physical line − start line) between the tokens `startTok` and `endTok` (inclusive)
 * whose lines have no token. Multi-line tokens (raw strings) cover every line they span.
 */
export function noCodeOffsets(ts: TokenStream, startTok: number, endTok: number): number[] {
  const first = ts.line[startTok]!;
  const last = ts.line[endTok]!;
  if (last <= first) return [];
  const code = new Uint8Array(last - first + 1);
  for (let t = startTok; t <= endTok && t < ts.count; t++) {
    if (ts.flags[t]! & TOKEN_FLAG_AUTO_SEMI) continue;
    const l = ts.line[t]!;
    code[l - first] = 1;
    if (ts.end[t]! - ts.start[t]! > 1 && ts.src.charCodeAt(ts.start[t]!) === 96 /* ` */) {
      // a raw string may span lines: mark through the line of its last character
      let e = l;
      while (e < ts.lineCount && ts.lineStarts[e]! < ts.end[t]!) e++;
      for (let k = l; k <= Math.min(e, last); k++) code[k - first] = 1;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < code.length; i++) if (!code[i]) out.push(i);
  return out;
}
