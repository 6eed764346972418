/**
 * The profile's function names (heat rows and edge endpoints) by `genericKey`, without a map of
 * arrays: a name without brackets is its own key and is found in the heat table's sorted names
 * (or the few endpoints outside it); generic instantiations sit in two parallel arrays sorted by
 * (key, first appearance). Pure: heat and edges in, lookups out.
 */
import type { HeatTable } from '../pgo/heat-table';
import type { NamedEdge } from '../pgo/model';
import { genericKey } from '../source/index';

export class NameIndex {
  private readonly heat: HeatTable;
  /** Edge endpoints without brackets that have no heat row, sorted by UTF-16 code units. */
  private readonly plain: readonly string[];
  /** Keys of the names with brackets, sorted by (key, first appearance), parallel to `genericNames`. */
  private readonly genericKeys: readonly string[];
  private readonly genericNames: readonly string[];

  constructor(heat: HeatTable, edges: readonly NamedEdge[]) {
    this.heat = heat;
    // First appearance: heat rows in their order, then edge endpoints (caller, callee) in ByWeight order.
    const seen = new Set<string>(heat.names);
    const extra: string[] = [];
    const add = (n: string): void => {
      if (seen.has(n)) return;
      seen.add(n);
      extra.push(n);
    };
    for (const e of edges) {
      add(e.caller);
      add(e.callee);
    }
    seen.clear();
    const generic: Array<{ key: string; rank: number; name: string }> = [];
    heat.names.forEach((name, rank) => {
      if (name.includes('[')) generic.push({ key: genericKey(name), rank, name });
    });
    const plain: string[] = [];
    extra.forEach((name, j) => {
      if (name.includes('[')) generic.push({ key: genericKey(name), rank: heat.count + j, name });
      else plain.push(name);
    });
    this.plain = plain.sort(compare);
    generic.sort((a, b) => compare(a.key, b.key) || a.rank - b.rank);
    this.genericKeys = generic.map((g) => g.key);
    this.genericNames = generic.map((g) => g.name);
  }

  /** The profile names whose `genericKey` is `key`, in order of first appearance (heat rows, then edges). */
  namesOf(key: string): string[] {
    if (!key.includes('[')) return this.heat.find(key) >= 0 || this.plain[lowerBound(this.plain, key)] === key ? [key] : [];
    const out: string[] = [];
    for (let i = lowerBound(this.genericKeys, key); i < this.genericKeys.length && this.genericKeys[i] === key; i++) out.push(this.genericNames[i]!);
    return out;
  }
}

/** First index whose element is ≥ `key` (code-unit order). */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
