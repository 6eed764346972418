/**
 * Per-function differences between two profiles: each side's `go tool pprof -top` numbers
 * (src/pgo/flatcum.ts) normalised so profiles of different length compare — by total (a share
 * of the profile, in percent) or by duration (per second of profiling) — and the delta
 * (new − base), sorted and sent a window at a time like the top table.
 */
import type { PprofNumbers } from '../pgo/flatcum';
import { goStringCompare } from '../pgo/gofmt';
import { filterRegExp } from './top';

export type Normalize = 'total' | 'duration';

export interface DiffRow {
  name: string;
  /** Raw values of the base and the new profile (0 where the function does not occur). */
  baseFlat: number;
  baseCum: number;
  newFlat: number;
  newCum: number;
  /** Normalised: percent of the total, or value per second. */
  baseFlatN: number;
  baseCumN: number;
  newFlatN: number;
  newCumN: number;
  flatDelta: number;
  cumDelta: number;
}

export type DiffSortKey = 'flatDelta' | 'cumDelta' | 'name';

export interface DiffQuery {
  sort: DiffSortKey;
  desc: boolean;
  filter: string;
  offset: number;
  count: number;
}

export interface DiffPage {
  total: number;
  matched: number;
  offset: number;
  rows: DiffRow[];
}

export class NormalizeError extends Error {
  override readonly name = 'NormalizeError';
}

export interface DiffSide {
  numbers: PprofNumbers;
  durationNanos: number;
}

/** Multipliers turning each side's raw values into normalised ones. */
export function normalizeScales(sides: DiffSide[], how: Normalize): number[] {
  return sides.map((s, i) => {
    if (how === 'total') return s.numbers.total !== 0 ? 100 / s.numbers.total : 0;
    if (!(s.durationNanos > 0)) throw new NormalizeError(`the ${i === 0 ? 'base' : 'new'} profile records no duration: normalise by total instead`);
    return 1e9 / s.durationNanos;
  });
}

export class DiffTable {
  private readonly rows: DiffRow[];
  private readonly cache = new Map<string, DiffRow[]>();

  constructor(
    base: DiffSide,
    next: DiffSide,
    readonly how: Normalize,
  ) {
    const [sb, sn] = normalizeScales([base, next], how) as [number, number];
    const byName = new Map<string, DiffRow>();
    const row = (name: string): DiffRow => {
      let r = byName.get(name);
      if (!r) {
        r = { name, baseFlat: 0, baseCum: 0, newFlat: 0, newCum: 0, baseFlatN: 0, baseCumN: 0, newFlatN: 0, newCumN: 0, flatDelta: 0, cumDelta: 0 };
        byName.set(name, r);
      }
      return r;
    };
    for (const f of base.numbers.functions) Object.assign(row(f.name), { baseFlat: f.flat, baseCum: f.cum });
    for (const f of next.numbers.functions) Object.assign(row(f.name), { newFlat: f.flat, newCum: f.cum });
    for (const r of byName.values()) {
      r.baseFlatN = r.baseFlat * sb;
      r.baseCumN = r.baseCum * sb;
      r.newFlatN = r.newFlat * sn;
      r.newCumN = r.newCum * sn;
      r.flatDelta = r.newFlatN - r.baseFlatN;
      r.cumDelta = r.newCumN - r.baseCumN;
    }
    this.rows = [...byName.values()];
  }

  all(): readonly DiffRow[] {
    return this.rows;
  }

  page(q: DiffQuery): DiffPage {
    const key = `${q.sort}\0${q.desc}\0${q.filter}`;
    let list = this.cache.get(key);
    if (!list) {
      const re = filterRegExp(q.filter);
      list = re ? this.rows.filter((r) => re.test(r.name)) : [...this.rows];
      const dir = q.desc ? -1 : 1;
      if (q.sort === 'name') list.sort((a, b) => dir * goStringCompare(a.name, b.name));
      else {
        const k = q.sort;
        list.sort((a, b) => dir * (Math.abs(a[k]) - Math.abs(b[k])) || goStringCompare(a.name, b.name));
      }
      if (this.cache.size >= 8) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, list);
    }
    const offset = Math.max(0, Math.min(Math.floor(q.offset), list.length));
    const count = Math.max(0, Math.min(Math.floor(q.count), 2000));
    return { total: this.rows.length, matched: list.length, offset, rows: list.slice(offset, offset + count) };
  }
}
