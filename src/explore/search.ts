/**
 * Search: the functions whose name matches a case-insensitive regular expression, and the
 * match share, the part of the profile total in samples with at least one matching frame (what
 * `go tool pprof -focus` keeps).
 */
import type { Frames } from './frames';
import { filterRegExp } from './top';
import { forEachStack } from './walk';

export interface SearchResult {
  pattern: string;
  /** Matching function names that occur in a sample (the webview marks the frames it draws). */
  functions: string[];
  /** Sum of |value| over samples with a matching frame. */
  matched: number;
  total: number;
  /** matched / total × 100. */
  percent: number;
}

export function search(frames: Frames, vi: number, pattern: string): SearchResult {
  const re = filterRegExp(pattern);
  const names = frames.names.names;
  const hit = new Uint8Array(names.length);
  let any = false;
  if (re) {
    for (let f = 0; f < names.length; f++) {
      if (re.test(names[f]!)) {
        hit[f] = 1;
        any = true;
      }
    }
  }
  const seen = new Uint8Array(names.length);
  let matched = 0;
  let total = 0;
  forEachStack(frames, vi, (_s, w, fns, n) => {
    const a = Math.abs(w);
    total += a;
    if (!any) return;
    let m = false;
    for (let i = 0; i < n; i++) {
      const f = fns[i]!;
      if (hit[f]) {
        m = true;
        seen[f] = 1;
      }
    }
    if (m) matched += a;
  });
  const functions: string[] = [];
  for (let f = 0; f < names.length; f++) if (seen[f]) functions.push(names[f]!);
  functions.sort();
  return { pattern, functions, matched, total, percent: total !== 0 ? (matched / total) * 100 : 0 };
}
