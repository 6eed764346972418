/** `file.go:line[:col]` references in report text, for clickable links (no `vscode` import). */
import * as path from 'node:path';

export interface TextLink {
  /** 0-based offsets in the line. */
  start: number;
  end: number;
  /** Absolute path (relative references resolved against the report's base directory). */
  file: string;
  /** 1-based line and column as written. */
  line: number;
  col: number | null;
}

// A path made of non-space characters (markdown escapes `\_` allowed) ending in .go, then :line[:col].
const REF = /((?:[A-Za-z]:)?(?:[^\s|`:()[\]]|\\_)+?\.go):(\d+)(?::(\d+))?/g;

export function findLinks(text: string, base: string | null): TextLink[] {
  const out: TextLink[] = [];
  for (const m of text.matchAll(REF)) {
    const written = m[1]!.replace(/\\(.)/g, '$1');
    if (!path.isAbsolute(written) && base === null) continue;
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      file: path.isAbsolute(written) ? written : path.resolve(base!, written),
      line: Number(m[2]),
      col: m[3] !== undefined ? Number(m[3]) : null,
    });
  }
  return out;
}
