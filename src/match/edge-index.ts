/**
 * The profile's call sites as compact typed columns: the edges leaving each (caller, offset), in
 * ByWeight order, found by binary search instead of a string-keyed map of arrays. The edges stay in
 * the profile; the index holds only their positions and the sites' offsets (3.3 MB for the 50 MB
 * bench profile's 156,668 edges; the string-keyed maps it replaces, with the names by key, took
 * 66 MB). Pure: edges in, lookups out.
 */
import type { NamedEdge, PgoProfile } from '../pgo/model';
import { genericKey } from '../source/index';

export class EdgeIndex {
  private readonly edges: readonly NamedEdge[];
  /** Distinct callers, sorted by UTF-16 code units (the order `<` gives). */
  private readonly callers: readonly string[];
  /** Per caller: its sites are `callerSites[c] .. callerSites[c + 1]`. */
  private readonly callerSites: Int32Array;
  /** Per site: the offset, ascending within a caller (Float64: offsets are exact integers, not 32-bit). */
  private readonly siteOffset: Float64Array;
  /** Per site: its edges are `order[siteEdges[s] .. siteEdges[s + 1]]`. */
  private readonly siteEdges: Int32Array;
  /** Positions in `edges`, grouped by site; ascending (ByWeight order) within a site. */
  private readonly order: Int32Array;
  /** Callers with brackets (generic instantiations): their `genericKey`s sorted, parallel to `genericCallers` (indexes in `callers`). */
  private readonly genericKeys: readonly string[];
  private readonly genericCallers: Int32Array;
  /** The last caller looked up (views and matching ask about one caller's sites in a row). */
  private lastName: string | undefined;
  private lastCaller = -1;

  constructor(edges: readonly NamedEdge[]) {
    this.edges = edges;
    const n = edges.length;
    // Intern callers (first-seen ids), then rank them by name.
    const idOf = new Map<string, number>();
    const names: string[] = [];
    const callerOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = edges[i]!.caller;
      let id = idOf.get(c);
      if (id === undefined) {
        id = names.length;
        idOf.set(c, id);
        names.push(c);
      }
      callerOf[i] = id;
    }
    idOf.clear();
    const byName = new Int32Array(names.length);
    for (let i = 0; i < byName.length; i++) byName[i] = i;
    byName.sort((a, b) => compare(names[a]!, names[b]!));
    const rank = new Int32Array(names.length);
    for (let r = 0; r < byName.length; r++) rank[byName[r]!] = r;
    this.callers = Array.from(byName, (id) => names[id]!);

    // Counting sort of edge positions by caller rank (stable: ByWeight order within a caller),
    // then each caller's edges by offset (and position, keeping ByWeight order within a site).
    const callerEdges = new Int32Array(names.length + 1);
    for (let i = 0; i < n; i++) callerEdges[rank[callerOf[i]!]! + 1]!++;
    for (let r = 0; r < names.length; r++) callerEdges[r + 1]! += callerEdges[r]!;
    const order = new Int32Array(n);
    const fill = callerEdges.slice(0, names.length);
    for (let i = 0; i < n; i++) order[fill[rank[callerOf[i]!]!]!++] = i;
    let sites = 0;
    for (let r = 0; r < names.length; r++) {
      const a = callerEdges[r]!;
      const b = callerEdges[r + 1]!;
      if (b - a > 1) order.subarray(a, b).sort((x, y) => edges[x]!.offset - edges[y]!.offset || x - y);
      for (let j = a; j < b; j++) if (j === a || edges[order[j]!]!.offset !== edges[order[j - 1]!]!.offset) sites++;
    }
    this.order = order;
    this.callerSites = new Int32Array(names.length + 1);
    this.siteOffset = new Float64Array(sites);
    this.siteEdges = new Int32Array(sites + 1);
    let s = 0;
    for (let r = 0; r < names.length; r++) {
      this.callerSites[r] = s;
      for (let j = callerEdges[r]!; j < callerEdges[r + 1]!; j++) {
        const off = edges[order[j]!]!.offset;
        if (j === callerEdges[r]! || off !== edges[order[j - 1]!]!.offset) {
          this.siteOffset[s] = off;
          this.siteEdges[s] = j;
          s++;
        }
      }
    }
    this.callerSites[names.length] = s;
    this.siteEdges[s] = n;
    const generic: Array<{ key: string; c: number }> = [];
    this.callers.forEach((name, c) => {
      if (name.includes('[')) generic.push({ key: genericKey(name), c });
    });
    generic.sort((a, b) => compare(a.key, b.key) || a.c - b.c);
    this.genericKeys = generic.map((g) => g.key);
    this.genericCallers = Int32Array.from(generic, (g) => g.c);
  }

  /** Number of edges indexed. */
  get edgeCount(): number {
    return this.order.length;
  }

  /** Number of distinct call sites (caller, offset). */
  get siteCount(): number {
    return this.siteOffset.length;
  }

  /** Edges leaving the site, hottest first (ByWeight order); empty when the profile has none there. */
  at(caller: string, offset: number): NamedEdge[] {
    const s = this.site(caller, offset);
    if (s < 0) return [];
    const a = this.siteEdges[s]!;
    const b = this.siteEdges[s + 1]!;
    const out = new Array<NamedEdge>(b - a);
    for (let j = a; j < b; j++) out[j - a] = this.edges[this.order[j]!]!;
    return out;
  }

  /** Weight of the edge (caller, offset, callee), 0 when the profile has no such edge. */
  weight(caller: string, offset: number, callee: string): number {
    const s = this.site(caller, offset);
    if (s < 0) return 0;
    for (let j = this.siteEdges[s]!; j < this.siteEdges[s + 1]!; j++) {
      const e = this.edges[this.order[j]!]!;
      if (e.callee === callee) return e.weight;
    }
    return 0;
  }

  /** Summed weight of the edges leaving the site. */
  siteWeight(caller: string, offset: number): number {
    const s = this.site(caller, offset);
    let w = 0;
    if (s >= 0) for (let j = this.siteEdges[s]!; j < this.siteEdges[s + 1]!; j++) w += this.edges[this.order[j]!]!.weight;
    return w;
  }

  /**
   * Whether the site is hot: one of its edges is among the first `hotCount` in ByWeight order (the
   * compiler's hot call sites: the caller and offset of a hot edge, without a string per site).
   */
  isHot(caller: string, offset: number, hotCount: number): boolean {
    return this.hotSite(this.caller(caller), offset, hotCount);
  }

  /** Whether some caller whose `genericKey` is `key` has a hot site at `offset` (generic instantiations count as one function). */
  isHotByKey(key: string, offset: number, hotCount: number): boolean {
    if (!key.includes('[')) return this.isHot(key, offset, hotCount);
    let lo = 0;
    let hi = this.genericKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.genericKeys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.genericKeys.length && this.genericKeys[i] === key; i++) if (this.hotSite(this.genericCallers[i]!, offset, hotCount)) return true;
    return false;
  }

  /** Offsets at which the caller has edges, in the order the ByWeight edge list first reaches them. */
  offsetsOf(caller: string): number[] {
    const c = this.caller(caller);
    if (c < 0) return [];
    const a = this.callerSites[c]!;
    const b = this.callerSites[c + 1]!;
    const sites = Array.from({ length: b - a }, (_, k) => a + k);
    // A site's first position in `order` holds its hottest (first in ByWeight order) edge.
    sites.sort((x, y) => this.order[this.siteEdges[x]!]! - this.order[this.siteEdges[y]!]!);
    return sites.map((x) => this.siteOffset[x]!);
  }

  /** Index of the caller in `callers`, or −1. */
  private caller(name: string): number {
    if (name === this.lastName) return this.lastCaller;
    this.lastCaller = this.search(name);
    this.lastName = name;
    return this.lastCaller;
  }

  private search(name: string): number {
    let lo = 0;
    let hi = this.callers.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compare(this.callers[mid]!, name);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private hotSite(c: number, offset: number, hotCount: number): boolean {
    const s = this.siteOf(c, offset);
    // A site's first edge is its hottest: the lowest position in ByWeight order.
    return s >= 0 && this.order[this.siteEdges[s]!]! < hotCount;
  }

  /** Index of the site (caller, offset), or −1. */
  private site(caller: string, offset: number): number {
    return this.siteOf(this.caller(caller), offset);
  }

  /** Index of the site (caller index, offset), or −1. */
  private siteOf(c: number, offset: number): number {
    if (c < 0) return -1;
    let lo = this.callerSites[c]!;
    let hi = this.callerSites[c + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const o = this.siteOffset[mid]!;
      if (o === offset) return mid;
      if (o < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The index of a profile's edges, built on first use and kept while the edge list lives (the
 * worker's tables, every match of the same profile and the profile diff share one). A profile's
 * edges are not changed after loading; a list that grew or shrank since is indexed again.
 */
const cache = new WeakMap<readonly NamedEdge[], EdgeIndex>();
export function edgeIndexOf(profile: Pick<PgoProfile, 'edges'>): EdgeIndex {
  const edges = profile.edges;
  let ix = cache.get(edges);
  if (!ix || ix.edgeCount !== edges.length) {
    ix = new EdgeIndex(edges);
    cache.set(edges, ix);
  }
  return ix;
}
