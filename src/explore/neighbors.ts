/**
 * Callers and callees of one function with `go tool pprof`'s edge weights (internal/graph
 * newGraph): in each sample every (caller, callee) pair of adjacent frames adds the sample's
 * value once, however often it repeats, and a function calling itself adds no edge. `-peek`
 * prints these edges.
 */
import type { Frames } from './frames';
import { forEachStack } from './walk';

export interface NeighborEdge {
  name: string;
  weight: number;
}

export interface Neighbors {
  name: string;
  flat: number;
  cum: number;
  /** Heaviest first, then by name. */
  callers: NeighborEdge[];
  callees: NeighborEdge[];
  total: number;
}

export function neighbors(frames: Frames, vi: number, name: string): Neighbors {
  const names = frames.names;
  const id = names.lookup(name);
  const out: Neighbors = { name, flat: 0, cum: 0, callers: [], callees: [], total: 0 };
  const nFn = names.size;
  const inW = new Float64Array(nFn);
  const outW = new Float64Array(nFn);
  const inMark = new Int32Array(nFn);
  const outMark = new Int32Array(nFn);
  forEachStack(frames, vi, (s, w, fns, n) => {
    out.total += Math.abs(w);
    if (id === undefined) return;
    const mark = s + 1;
    let seen = false;
    for (let i = 0; i < n; i++) {
      if (fns[i] !== id) continue;
      seen = true;
      const p = i > 0 ? fns[i - 1]! : -1;
      if (p >= 0 && p !== id && inMark[p] !== mark) {
        inMark[p] = mark;
        inW[p]! += w;
      }
      const c = i + 1 < n ? fns[i + 1]! : -1;
      if (c >= 0 && c !== id && outMark[c] !== mark) {
        outMark[c] = mark;
        outW[c]! += w;
      }
    }
    if (seen) out.cum += w;
    if (n > 0 && fns[n - 1] === id) out.flat += w;
  });
  const list = (a: Float64Array): NeighborEdge[] => {
    const r: NeighborEdge[] = [];
    for (let f = 0; f < nFn; f++) if (a[f] !== 0) r.push({ name: names.names[f]!, weight: a[f]! });
    return r.sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  };
  out.callers = list(inW);
  out.callees = list(outW);
  return out;
}
