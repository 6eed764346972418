/**
 * Which call edges each sample carries. The compiler's edge weights count a sample once per edge
 * of its two leaf-most frames (inlined frames included), so edge weights sum to more than the
 * profile total and a percentage of the profile cannot be a sum of edge weights. Samples folded by
 * their two leaf-most locations (the decoder's pair table) carry the same edges; each group lists
 * them as indices into `PgoProfile.edges`, with the group's sample value. "The share of the
 * profile a set of edges touches" is then the value of the groups containing one of them.
 */
import type { PprofProfile } from '../profile/pprof';
import type { NamedEdge } from './model';

export interface EdgeGroups {
  count: number;
  /** Sample value of each group (the chosen sample type). */
  value: Float64Array;
  /** CSR offsets into `edge` (count + 1). */
  start: Int32Array;
  /** Edge indices into `PgoProfile.edges`, each once per group. */
  edge: Int32Array;
}

const edgeKey = (caller: string, offset: number, callee: string): string => `${caller}\x00${offset}\x00${callee}`;

/** Replays the graph's frame walk (model.ts, docs §2.2) per folded pair, naming each edge. */
export function edgeGroupsFromPprof(p: PprofProfile, vi: number, edges: readonly NamedEdge[]): EdgeGroups {
  const index = new Map<string, number>();
  edges.forEach((e, i) => index.set(edgeKey(e.caller, e.offset, e.callee), i));
  const { locations: locs, functions: fns, strings } = p;
  const nv = p.nValues;
  const value: number[] = [];
  const start: number[] = [0];
  const out: number[] = [];
  type Frame = { name: string; start: number; line: number; id: string };
  const frames = (l: number): Frame[] => {
    const res: Frame[] = [];
    const a = locs.lineStart[l]!;
    const b = locs.lineStart[l + 1]!;
    const addr = `${locs.addrHi[l]}:${locs.addrLo[l]}`;
    if (a === b) res.push({ name: '', start: 0, line: 0, id: `\x00${addr}:0:0` });
    // outermost physical frame first, innermost inlined frame last
    for (let i = b - 1; i >= a; i--) {
      const f = locs.lineFunc[i]!;
      const name = f < 0 ? '' : strings[fns.name[f]!]!;
      const st = f < 0 ? 0 : fns.startLine[f]!;
      const line = f < 0 ? 0 : locs.lineLine[i]!;
      res.push({ name, start: st, line, id: `${name}\x00${addr}:${st}:${line}` });
    }
    return res;
  };
  for (let pi = 0; pi < p.pairs.count; pi++) {
    const w = p.pairs.values[pi * nv + vi]!;
    if (w === 0) continue;
    const c = p.pairs.caller[pi]!;
    const seq = [...(c >= 0 ? frames(c) : []), ...frames(p.pairs.leaf[pi]!)];
    const seen = new Set<number>();
    for (let i = 1; i < seq.length; i++) {
      const parent = seq[i - 1]!;
      const node = seq[i]!;
      if (node.id === parent.id) continue;
      const e = index.get(edgeKey(parent.name, parent.line - parent.start, node.name));
      if (e !== undefined && !seen.has(e)) {
        seen.add(e);
        out.push(e);
      }
    }
    if (seen.size === 0) continue;
    value.push(w);
    start.push(out.length);
  }
  return { count: value.length, value: Float64Array.from(value), start: Int32Array.from(start), edge: Int32Array.from(out) };
}
