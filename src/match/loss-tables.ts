/**
 * The tables loss accounting (loss.ts) reads of a profile, built once per profile instead of on
 * every match (issue #14: an edit re-matched them all). They are functions of the profile's edge
 * list and hot edge list alone, which a loaded profile never changes, so they are kept in WeakMaps
 * keyed by those arrays and go away with the profile.
 */
import type { NamedEdge } from '../pgo/model';

export const edgeKey = (e: NamedEdge): string => `${e.caller}\x00${e.offset}\x00${e.callee}`;

export interface EdgeTables {
  /** The edges leaving each caller, in profile order. */
  byCaller: ReadonlyMap<string, readonly NamedEdge[]>;
  /** Every caller and callee name, each once. */
  names: readonly string[];
  /** `edgeKey` of each edge, by index. */
  keys: readonly string[];
}

export interface HotSite {
  edge: NamedEdge;
  key: string;
  /** The same edge among its caller's edges (`byCaller`), if it is there. */
  inCaller: NamedEdge | undefined;
}

export interface HotTables {
  /** Each caller's hot edges among its edges (`byCaller` order); absent: none. */
  hotOuts: ReadonlyMap<string, readonly NamedEdge[]>;
  /** The hot edges, each key once (the first), in hot-edge order. */
  sites: readonly HotSite[];
}

const byEdges = new WeakMap<readonly NamedEdge[], EdgeTables>();
const byHot = new WeakMap<readonly NamedEdge[], WeakMap<readonly NamedEdge[], HotTables>>();

export function edgeTables(edges: readonly NamedEdge[]): EdgeTables {
  let t = byEdges.get(edges);
  if (!t) {
    const byCaller = new Map<string, NamedEdge[]>();
    const names = new Set<string>();
    for (const e of edges) {
      const outs = byCaller.get(e.caller);
      if (outs) outs.push(e);
      else byCaller.set(e.caller, [e]);
      names.add(e.caller);
      names.add(e.callee);
    }
    t = { byCaller, names: [...names], keys: edges.map(edgeKey) };
    byEdges.set(edges, t);
  }
  return t;
}

export function hotTables(edges: readonly NamedEdge[], hotEdges: readonly NamedEdge[]): HotTables {
  let forEdges = byHot.get(hotEdges);
  if (!forEdges) {
    forEdges = new WeakMap();
    byHot.set(hotEdges, forEdges);
  }
  let t = forEdges.get(edges);
  if (!t) {
    const { byCaller } = edgeTables(edges);
    const hotKeys = new Set(hotEdges.map(edgeKey));
    const hotOuts = new Map<string, NamedEdge[]>();
    for (const [caller, outs] of byCaller) {
      const hot = outs.filter((e) => hotKeys.has(edgeKey(e)));
      if (hot.length) hotOuts.set(caller, hot);
    }
    const seen = new Set<string>();
    const sites: HotSite[] = [];
    for (const edge of hotEdges) {
      const key = edgeKey(edge);
      if (seen.has(key)) continue;
      seen.add(key);
      sites.push({ edge, key, inCaller: (byCaller.get(edge.caller) ?? []).find((x) => edgeKey(x) === key) });
    }
    t = { hotOuts, sites };
    forEdges.set(edges, t);
  }
  return t;
}
