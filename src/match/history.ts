/**
 * Source history for profile matching: the text each Go file had at the commit that last
 * changed `default.pgo` (the code the profile describes, as far as the repository can tell),
 * diffed against the text now. Pure: the caller fetches the old text (src/source/git.ts).
 *
 * It gives two things the profile alone cannot:
 * - an exact re-alignment of a function's line offsets (old offset → line now), for every line
 *   including ones without calls and function-value calls, where align.ts must pair calls by
 *   callee;
 * - which hot functions were edited since the profile was committed.
 *
 * A file's history only vouches for a function when the profile's recorded start line of that
 * function is a `func` line of the old text: a profile collected from older code than the commit
 * that added it falls back to the call-pairing heuristic.
 */
import type { FuncEntry } from '../source/index';
import { lineMap, splitLines } from './linediff';

export interface FileHistory {
  /** The baseline commit (the one that last changed the profile). */
  commit: string;
  oldLines: string[];
  /** old line (0-based) → new line (0-based), -1 where deleted or changed. */
  map: Int32Array;
  /** new line (0-based) → old line, -1 where inserted or changed. */
  inverse: Int32Array;
}

export function fileHistory(commit: string, oldText: string, newText: string): FileHistory {
  const oldLines = splitLines(oldText);
  const newLines = splitLines(newText);
  const map = lineMap(oldLines, newLines);
  const inverse = new Int32Array(newLines.length).fill(-1);
  for (let i = 0; i < map.length; i++) if (map[i]! >= 0) inverse[map[i]!] = i;
  return { commit, oldLines, map, inverse };
}

/** Profile offset → offset now (relative to the declaration's current start), or null when that line changed. */
export type OffsetMapper = (offset: number) => number | null;

const CLOSURE_SUFFIX = /(?:\.func\d+|\.\d+|-range\d+|\.gowrap\d+|\.deferwrap\d+)+$/;

/** The identifier a declaration line must contain: the method or function name (closures: `func`). */
function declWord(entry: FuncEntry): string {
  if (entry.kind !== 'func' && entry.kind !== 'method') return 'func';
  const name = entry.name.replace(/\[.*?\]/g, '').replace(CLOSURE_SUFFIX, '');
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * The mapper for one function, or undefined when the history cannot vouch for it: `//line`
 * directives (offsets are not physical), or the profile's start line is not this function's
 * declaration in the old text.
 */
export function offsetMapper(h: FileHistory, profileStartLine: number, entry: FuncEntry): OffsetMapper | undefined {
  if (profileStartLine <= 0 || entry.startLine !== entry.physicalStartLine || entry.relFile) return undefined;
  const old = h.oldLines[profileStartLine - 1];
  if (old === undefined || !/\bfunc\b/.test(old) || !new RegExp(`\\b${escapeRe(declWord(entry))}\\b`).test(old)) return undefined;
  const oldStart = profileStartLine - 1;
  const newStart = entry.physicalStartLine - 1;
  return (offset) => {
    const o = oldStart + offset;
    if (o < 0 || o >= h.map.length) return null;
    const n = h.map[o]!;
    return n < 0 ? null : n - newStart;
  };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface FunctionChange {
  /** Lines of the function's current text that are new or changed since the commit. */
  added: number;
  /** Lines of its old text that are gone or changed. */
  removed: number;
  /** Profile offsets (of `offsets`) whose line now sits at another offset or is gone. */
  shifted: number;
}

/**
 * How a function changed since the baseline: counted over its current extent and, in the old
 * text, over the lines from its recorded start to the old line of its current end.
 */
export function functionChange(h: FileHistory, profileStartLine: number, entry: FuncEntry, offsets: readonly number[]): FunctionChange | undefined {
  const mapper = offsetMapper(h, profileStartLine, entry);
  if (!mapper) return undefined;
  const s = entry.physicalStartLine - 1;
  const e = Math.min(entry.physicalEndLine - 1, h.inverse.length - 1);
  let added = 0;
  let oldEnd = -1;
  for (let i = s; i <= e; i++) {
    if (h.inverse[i]! < 0) added++;
    else oldEnd = Math.max(oldEnd, h.inverse[i]!);
  }
  let removed = 0;
  for (let o = profileStartLine - 1; o <= oldEnd && o < h.map.length; o++) if (h.map[o]! < 0) removed++;
  let shifted = 0;
  for (const off of offsets) if (mapper(off) !== off) shifted++;
  return { added, removed, shifted };
}
