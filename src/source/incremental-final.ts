/**
 * The last step of PackageIndexer.index(): each file's entries in source order, the package's
 * `funcs` and its symbol map (first entry of a symbol wins), built from the previous index()'s
 * when only some files' entries changed (issue #14: an edit in one file of a 91-file package must
 * not sort and hash every entry of the package again). The result equals a build from scratch:
 * a file whose unsorted entries are the same objects in the same order gets its previous sorted
 * list; the symbol map is the previous one patched when every file keeps its symbols in the same
 * positions (then every symbol's first position is where it was), and built anew otherwise.
 */
import type { FuncEntry } from './model';

/** One index()'s final lists, kept for the next. */
export interface FinalState {
  names: string[];
  lists: Map<string, { unsorted: FuncEntry[]; sorted: FuncEntry[] }>;
  varInit: FuncEntry | undefined;
  bySymbol: Map<string, FuncEntry>;
}

export interface FinalLists {
  funcs: FuncEntry[];
  byFile: Map<string, FuncEntry[]>;
  bySymbol: Map<string, FuncEntry>;
  state: FinalState;
}

const bySource = (a: FuncEntry, b: FuncEntry): number => a.physicalStartLine - b.physicalStartLine || a.startColumn - b.startColumn;

/** `perFile`: each file's entries in walk order (taken over: sorted in place); `names`: the files in package order. */
export function finalLists(names: string[], perFile: Map<string, FuncEntry[]>, varInit: FuncEntry | undefined, prev: FinalState | undefined): FinalLists {
  const funcs: FuncEntry[] = [];
  const byFile = new Map<string, FuncEntry[]>();
  const lists = new Map<string, { unsorted: FuncEntry[]; sorted: FuncEntry[] }>();
  const changed: { old: FuncEntry[] | undefined; sorted: FuncEntry[] }[] = [];
  for (const name of names) {
    const list = perFile.get(name) ?? [];
    const old = prev?.lists.get(name);
    let rec = old && sameItems(old.unsorted, list) ? old : undefined;
    if (!rec) {
      rec = { unsorted: list.slice(), sorted: list.sort(bySource) };
      changed.push({ old: old?.sorted, sorted: rec.sorted });
    }
    lists.set(name, rec);
    byFile.set(name, rec.sorted);
    for (const e of rec.sorted) funcs.push(e);
  }
  if (varInit) funcs.push(varInit);
  const bySymbol = (prev && sameItems(prev.names, names) ? patched(prev, changed, varInit) : undefined) ?? fresh(funcs);
  return { funcs, byFile, bySymbol, state: { names: names.slice(), lists, varInit, bySymbol } };
}

function fresh(funcs: FuncEntry[]): Map<string, FuncEntry> {
  const m = new Map<string, FuncEntry>();
  for (const f of funcs) if (!m.has(f.symbol)) m.set(f.symbol, f);
  return m;
}

/** The previous symbol map with the changed files' entries put in, when every symbol keeps its positions; else undefined. */
function patched(
  prev: FinalState,
  changed: { old: FuncEntry[] | undefined; sorted: FuncEntry[] }[],
  varInit: FuncEntry | undefined,
): Map<string, FuncEntry> | undefined {
  if ((prev.varInit === undefined) !== (varInit === undefined) || (varInit && prev.varInit && varInit.symbol !== prev.varInit.symbol)) return undefined;
  for (const c of changed) {
    if (!c.old || c.old.length !== c.sorted.length) return undefined;
    for (let i = 0; i < c.old.length; i++) if (c.old[i]?.symbol !== c.sorted[i]?.symbol) return undefined;
  }
  const puts: FuncEntry[] = [];
  const put = (o: FuncEntry, n: FuncEntry): void => {
    // o held the symbol's first position iff the map has o for it; n is at that position now
    if (o !== n && prev.bySymbol.get(o.symbol) === o) puts.push(n);
  };
  for (const c of changed) c.old?.forEach((o, i) => put(o, c.sorted[i] as FuncEntry));
  if (prev.varInit && varInit) put(prev.varInit, varInit);
  if (puts.length === 0) return prev.bySymbol; // the same entries win: the map is the same (nobody changes an index's map)
  const m = new Map(prev.bySymbol);
  for (const n of puts) m.set(n.symbol, n);
  return m;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
