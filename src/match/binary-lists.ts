/**
 * The lists of a binary's view (hottest functions, hot call sites, devirtualizations) as plain
 * rows with their source locations. Pure: the profile's tables, the binary's match and a
 * declaration lookup in, plain data out; filtering, sorting and paging are the caller's.
 */
import * as path from 'node:path';
import type { FunctionHeat } from '../pgo/model';
import { percentOfProfile } from '../pgo/percent';
import type { TokenStream } from '../source/lexer';
import type { FuncEntry } from '../source/index';
import { cmp, offsetMapper } from './file-view';
import type { BinaryMatch } from './match';
import type { ProfileData } from './profile-data';
import type { HotFunction, HotSiteInfo } from './views';

/** A declaration found for a profile symbol: its package directory and index entry. */
export interface Located {
  dir: string;
  entry: FuncEntry;
}

export interface ListInput {
  data: ProfileData;
  match: BinaryMatch;
  /** The declaration of a profile symbol in the source (the match's, else a package with its prefix). */
  locate: (sym: string) => Located | undefined;
}

/** Rows of `-top` (already filtered and ordered by the caller) with where each function is declared. */
export function hottestFunctions(
  inp: ListInput,
  rows: readonly FunctionHeat[],
  /** The local file of a profile's file name when it exists here (GOROOT, the module cache), else null. */
  localFile: (profileFile: string) => string | null,
): HotFunction[] {
  const pct = (w: number): number => percentOfProfile(inp.data.profile, w);
  return rows.map((f) => {
    const loc = inp.locate(f.name);
    let file: string | null = null;
    let line: number | null = null;
    if (loc) {
      file = path.join(loc.dir, loc.entry.file);
      line = loc.entry.physicalStartLine - 1;
    } else {
      const local = localFile(f.file);
      if (local) {
        file = local;
        line = Math.max(0, f.startLine - 1);
      }
    }
    return { symbol: f.name, file, line, flat: f.flat, cum: f.cum, flatPercent: pct(f.flat), cumPercent: pct(f.cum) };
  });
}

/** Every hot call site whose caller is declared in the source, in the hot set's order, with PGO's decision there. */
export function hotCallSites(inp: ListInput, tokensOf: (dir: string, file: string) => TokenStream | undefined): HotSiteInfo[] {
  const pct = (w: number): number => percentOfProfile(inp.data.profile, w);
  const pgoOf = new Map(inp.match.inlineCandidates.map((c) => [`${c.caller}\x00${c.callee}\x00${c.line}`, c]));
  const sites: HotSiteInfo[] = [];
  for (const e of inp.data.hot.hotEdges) {
    const loc = inp.locate(e.caller);
    if (!loc) continue;
    const call = loc.entry.calls.find((c) => c.offset === e.offset);
    const line = call ? call.physicalLine - 1 : offsetMapper(loc.entry, tokensOf(loc.dir, loc.entry.file))(e.offset);
    if (line === undefined) continue;
    const c = pgoOf.get(`${e.caller}\x00${e.callee}\x00${call ? call.physicalLine : -1}`);
    sites.push({
      file: path.join(loc.dir, loc.entry.file),
      line,
      caller: e.caller,
      callee: e.callee,
      weight: e.weight,
      percent: pct(e.weight),
      ...(c ? { pgo: c.pgo, why: c.why } : {}),
    });
  }
  return sites;
}

/** The match's devirtualizations, hottest first (files relative to `root` made absolute). */
export function devirtualizationRows(inp: Pick<ListInput, 'data' | 'match'>, root: string): HotSiteInfo[] {
  const pct = (w: number): number => percentOfProfile(inp.data.profile, w);
  return inp.match.devirtualizations
    .map((d): HotSiteInfo => ({
      file: path.resolve(root, d.file),
      line: d.line - 1,
      caller: d.caller,
      callee: d.callee,
      weight: d.weight,
      percent: pct(d.weight),
      pgo: d.certain ? 'hot-budget' : 'possible',
      ...(d.doubt ? { why: d.doubt } : {}),
    }))
    .sort((x, y) => y.weight - x.weight || cmp(x.file, y.file) || x.line - y.line);
}
