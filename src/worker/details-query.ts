/**
 * The Go PGO view's lists without a silent cap: a filter (case-insensitive substring of the
 * symbol, callee or file), a sort order, and a page size, with the total that matched. Plain
 * TypeScript (unit-tested); `workspace.ts` applies it to the binary's full lists.
 */
import { topOrder } from '../pgo/flatcum';

/** Sort orders of the view's lists: pprof's -top order (flat), cum, name, file. */
export type DetailsSort = 'flat' | 'cum' | 'name' | 'file';

export interface DetailsQuery {
  /** Entries per list (default 50). */
  limit?: number;
  filter?: string;
  sort?: DetailsSort;
}

export interface QueryRow {
  /** The symbol (function) or caller → callee (call site) the filter and the name order read. */
  name: string;
  /** Further text the filter reads (callee, file). */
  text?: string;
  file?: string | null;
  flat: number;
  cum: number;
}

export const DEFAULT_LIMIT = 50;

/** The rows matching the filter, in the asked order, the first `limit` of them, and how many matched. */
export function queryRows<T extends QueryRow>(rows: readonly T[], q: DetailsQuery): { rows: T[]; total: number } {
  const needle = (q.filter ?? '').trim().toLowerCase();
  const kept = needle ? rows.filter((r) => `${r.name}\u0000${r.text ?? ''}\u0000${r.file ?? ''}`.toLowerCase().includes(needle)) : [...rows];
  const sorted = q.sort ? sortRows(kept, q.sort) : kept; // no order asked: the list's own (pprof -top, hot edges by weight)
  const limit = Math.max(1, Math.floor(q.limit ?? DEFAULT_LIMIT));
  return { rows: sorted.slice(0, limit), total: kept.length };
}

function sortRows<T extends QueryRow>(rows: T[], sort: DetailsSort): T[] {
  const byName = (a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  switch (sort) {
    case 'flat':
      return topOrder(rows); // go tool pprof -top: |flat| descending, then name
    case 'cum':
      return [...rows].sort((a, b) => Math.abs(b.cum) - Math.abs(a.cum) || Math.abs(b.flat) - Math.abs(a.flat) || byName(a, b));
    case 'name':
      return [...rows].sort(byName);
    case 'file':
      return [...rows].sort((a, b) => ((a.file ?? '\uffff') < (b.file ?? '\uffff') ? -1 : (a.file ?? '\uffff') > (b.file ?? '\uffff') ? 1 : 0) || byName(a, b));
  }
}
