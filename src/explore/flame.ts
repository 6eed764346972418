/**
 * The part of a call tree a flame graph shows: from a zoom root, breadth first, every node at
 * least `minFraction` of the root's width (one pixel of the canvas), up to `maxNodes`. Only this
 * travels to the webview, so a profile with millions of tree nodes costs what fits on screen.
 */
import { type CallTree, childrenOf } from './tree';

/** Node flag bits sent with each frame (the tree's inline bits, then PGO's decisions on the call into the frame). */
export const FLAG_INLINED = 1;
export const FLAG_NOT_INLINED = 2;
/** The call into this frame is a hot call site: PGO inlines it with the hot budget (2000). */
export const FLAG_PGO_INLINE = 4;
/** The call into this frame is an interface or function-value call PGO devirtualizes to this function. */
export const FLAG_PGO_DEVIRT = 8;

export interface FlameRequest {
  /** Tree node to zoom into (0: the whole profile). */
  root: number;
  /** Smallest width sent, as a fraction of the root's width. */
  minFraction: number;
  maxNodes: number;
}

export interface FlameSlice {
  inverted: boolean;
  root: number;
  /** From the tree's first level down to the zoom root's parent (for the breadcrumb). */
  ancestors: Array<{ node: number; name: string }>;
  /** Names used by the nodes below. */
  names: string[];
  /** Parallel arrays, breadth first; the zoom root is first (depth 0). */
  node: number[];
  name: number[];
  depth: number[];
  /** Start and width as fractions of the root. */
  x: number[];
  w: number[];
  /** Per source: cum and self of each node. */
  cum: number[][];
  self: number[][];
  flags: number[];
  /** Per source: pprof's total. */
  totals: number[];
  /** Children of sent nodes left out (narrower than minFraction, or beyond maxNodes); their subtrees are not counted. */
  omitted: number;
}

/** PGO's decisions on the call from `caller` into `callee` (function ids): FLAG_PGO_* bits. */
export type PgoMarks = (caller: number, callee: number) => number;

/** Width of a node: its |cum| per source, times the source's scale, summed. */
export function nodeWeight(t: CallTree, n: number, scales: number[]): number {
  let w = 0;
  for (let s = 0; s < t.cum.length; s++) w += Math.abs(t.cum[s]![n]!) * scales[s]!;
  return w;
}

export function flameSlice(t: CallTree, req: FlameRequest, scales: number[], marks?: PgoMarks): FlameSlice {
  if (!(Number.isInteger(req.root) && req.root >= 0 && req.root < t.count)) throw new RangeError(`no tree node ${req.root}`);
  const ns = t.cum.length;
  const nameIdx = new Map<number, number>();
  const out: FlameSlice = {
    inverted: t.inverted,
    root: req.root,
    ancestors: [],
    names: [],
    node: [],
    name: [],
    depth: [],
    x: [],
    w: [],
    cum: Array.from({ length: ns }, () => []),
    self: Array.from({ length: ns }, () => []),
    flags: [],
    totals: [...t.totals],
    omitted: 0,
  };
  const nameOf = (n: number): number => {
    const f = t.fn[n]!;
    let i = nameIdx.get(f);
    if (i === undefined) {
      i = out.names.length;
      nameIdx.set(f, i);
      out.names.push(f < 0 ? 'root' : t.names.names[f]!);
    }
    return i;
  };
  for (let a = t.parent[req.root]!; a > 0; a = t.parent[a]!) out.ancestors.unshift({ node: a, name: t.names.names[t.fn[a]!]! });
  const rootW = nodeWeight(t, req.root, scales);
  const min = rootW * Math.max(0, req.minFraction);
  const push = (n: number, depth: number, x: number, w: number): void => {
    out.node.push(n);
    out.name.push(nameOf(n));
    out.depth.push(depth);
    out.x.push(x);
    out.w.push(w);
    for (let s = 0; s < ns; s++) {
      out.cum[s]!.push(t.cum[s]![n]!);
      out.self[s]!.push(t.self[s]![n]!);
    }
    let flags = t.inlined[n]!;
    const p = t.parent[n]!;
    if (marks && p > 0) flags |= t.inverted ? marks(t.fn[n]!, t.fn[p]!) : marks(t.fn[p]!, t.fn[n]!);
    out.flags.push(flags);
  };
  push(req.root, 0, 0, rootW > 0 ? 1 : 0);
  const base = t.depth[req.root]!;
  for (let q = 0; q < out.node.length; q++) {
    const n = out.node[q]!;
    let x = out.x[q]!;
    for (const c of childrenOf(t, n)) {
      const cw = nodeWeight(t, c, scales);
      if (cw === 0) continue;
      if (cw < min || out.node.length >= req.maxNodes) out.omitted++;
      else push(c, t.depth[c]! - base, x, cw / rootW);
      x += cw / rootW;
    }
  }
  return out;
}
