/**
 * The explorer's top table: `go tool pprof -top`'s rows (flat, flat%, sum%, cum, cum%) from
 * src/pgo/flatcum.ts, sorted, filtered and sent a window at a time (the table has no cap; the
 * webview asks for the rows it shows).
 */
import { type FunctionNumbers, type PprofNumbers, topOrder } from '../pgo/flatcum';
import { goStringCompare } from '../pgo/gofmt';

export type TopSortKey = 'flat' | 'cum' | 'name';

export interface TopQuery {
  sort: TopSortKey;
  /** Descending (the default for flat and cum). */
  desc: boolean;
  /** Case-insensitive regular expression on the function name; empty: all rows. */
  filter: string;
  offset: number;
  count: number;
}

export interface TopRow {
  name: string;
  flat: number;
  cum: number;
  flatPercent: number;
  cumPercent: number;
  /** pprof's sum%: the running flat% over the rows in `-top` order (only meaningful unsorted and unfiltered). */
  sumPercent: number;
}

export interface TopPage {
  total: number;
  /** Rows matching the filter. */
  matched: number;
  offset: number;
  rows: TopRow[];
}

/** Sorted row lists, cached per sort key and filter (the last few). */
export class TopTable {
  private readonly rows: TopRow[];
  private readonly cache = new Map<string, TopRow[]>();

  constructor(readonly numbers: PprofNumbers) {
    const total = numbers.total;
    const pct = (v: number): number => (total !== 0 ? (v / total) * 100 : 0);
    let sum = 0;
    this.rows = topOrder<FunctionNumbers>(numbers.functions).map((f) => {
      sum += f.flat;
      return { name: f.name, flat: f.flat, cum: f.cum, flatPercent: pct(f.flat), cumPercent: pct(f.cum), sumPercent: pct(sum) };
    });
  }

  /** Every row in `go tool pprof -top` order. */
  all(): readonly TopRow[] {
    return this.rows;
  }

  page(q: TopQuery): TopPage {
    const list = this.sorted(q.sort, q.desc, q.filter);
    const offset = Math.max(0, Math.min(Math.floor(q.offset), list.length));
    const count = Math.max(0, Math.min(Math.floor(q.count), 2000));
    return { total: this.rows.length, matched: list.length, offset, rows: list.slice(offset, offset + count) };
  }

  private sorted(sort: TopSortKey, desc: boolean, filter: string): TopRow[] {
    const key = `${sort}\0${desc}\0${filter}`;
    let list = this.cache.get(key);
    if (list) return list;
    const re = filterRegExp(filter);
    list = re ? this.rows.filter((r) => re.test(r.name)) : [...this.rows];
    const dir = desc ? -1 : 1;
    if (sort === 'name') list.sort((a, b) => dir * goStringCompare(a.name, b.name));
    else if (!(sort === 'flat' && desc)) list.sort((a, b) => dir * (Math.abs(a[sort]) - Math.abs(b[sort])) || goStringCompare(a.name, b.name));
    // flat descending is -top's own order already.
    if (this.cache.size >= 8) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, list);
    return list;
  }
}

/** A typed error for a filter or search that is not a valid regular expression. */
export class PatternError extends Error {
  override readonly name = 'PatternError';
}

/** The case-insensitive regular expression of a filter (null for an empty one). */
export function filterRegExp(filter: string): RegExp | null {
  if (filter === '') return null;
  try {
    return new RegExp(filter, 'i');
  } catch (e) {
    throw new PatternError(`invalid regular expression ${JSON.stringify(filter)}: ${(e as Error).message}`);
  }
}
