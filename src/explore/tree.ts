/**
 * Call trees over whole sample stacks: top-down (root → leaf, the icicle flame graph) and
 * inverted (leaf → root, bottom-up). A node is a path of function names; inlined frames are
 * frames of their own (flagged). A sample adds its value to the cum of every node on its path
 * and to the self of the path's last node; samples with value 0 are skipped and pprof's total
 * is the sum of |value| (as in src/pgo/flatcum.ts). Several sources (the two sides of a diff)
 * share one tree, with a value column each.
 *
 * Top-down, the children of the root carry the cum of the outermost frames; inverted, the root's
 * children are the leaf functions and their cum is each function's flat (`go tool pprof -top`).
 */
import { grow } from '../profile/grow';
import { TupleTable } from '../profile/tuple-table';
import type { Frames, FunctionNames } from './frames';

export interface TreeSource {
  frames: Frames;
  /** Value column. */
  vi: number;
}

/** Flag bits of a node: reached through an inlined frame, and through a frame that was not inlined. */
export const INLINED = 1;
export const NOT_INLINED = 2;

export interface CallTree {
  inverted: boolean;
  names: FunctionNames;
  /** Nodes; node 0 is the root (fn −1). */
  count: number;
  parent: Int32Array;
  fn: Int32Array;
  depth: Int32Array;
  /** Per source, per node. */
  cum: Float64Array[];
  self: Float64Array[];
  /** INLINED | NOT_INLINED bits. */
  inlined: Uint8Array;
  /** Children of node n: children[childStart[n] .. childStart[n+1]), heaviest first (summed over sources, by |value|), then by name. */
  childStart: Int32Array;
  children: Int32Array;
  /** Per source: pprof's total (sum of |value|). */
  totals: number[];
}

/** Builds the tree of the sources (sharing one `FunctionNames`). */
export function buildTree(sources: TreeSource[], inverted: boolean): CallTree {
  const names = sources[0]!.frames.names;
  const ns = sources.length;
  const table = new TupleTable(2, 1 << 14);
  const key = new Float64Array(2);
  let cap = 1 << 14;
  let parent = new Int32Array(cap);
  let fnOf = new Int32Array(cap);
  let depth = new Int32Array(cap);
  let flags = new Uint8Array(cap);
  let cum = Array.from({ length: ns }, () => new Float64Array(cap));
  let self = Array.from({ length: ns }, () => new Float64Array(cap));
  parent[0] = -1;
  fnOf[0] = -1;
  let count = 1;
  const child = (p: number, fn: number): number => {
    key[0] = p;
    key[1] = fn;
    const before = table.size;
    const id = table.intern(key) + 1; // table ids start at 0; node 0 is the root
    if (id - 1 === before) {
      if (id >= cap) {
        cap = Math.max(cap * 2, id + 1);
        parent = grow(parent, cap);
        fnOf = grow(fnOf, cap);
        depth = grow(depth, cap);
        flags = grow(flags, cap);
        cum = cum.map((a) => grow(a, cap));
        self = self.map((a) => grow(a, cap));
      }
      parent[id] = p;
      fnOf[id] = fn;
      depth[id] = depth[p]! + 1;
      count = id + 1;
    }
    return id;
  };
  const totals: number[] = [];
  for (let si = 0; si < ns; si++) {
    const { frames, vi } = sources[si]!;
    const { start, fn, inlined, stacks, nValues: nv } = frames;
    const { stackStart, stack, values } = stacks;
    let total = 0;
    for (let s = 0; s < stacks.count; s++) {
      const w = values[s * nv + vi]!;
      if (w === 0) continue;
      total += w < 0 ? -w : w;
      const a = stackStart[s]!;
      const b = stackStart[s + 1]!;
      let node = 0;
      cum[si]![0]! += w;
      if (!inverted) {
        for (let i = b - 1; i >= a; i--) {
          const l = stack[i]!;
          for (let k = start[l + 1]! - 1; k >= start[l]!; k--) {
            node = child(node, fn[k]!);
            cum[si]![node]! += w;
            flags[node]! |= inlined[k] ? 1 : 2;
          }
        }
      } else {
        for (let i = a; i < b; i++) {
          const l = stack[i]!;
          const e = start[l + 1]!;
          for (let k = start[l]!; k < e; k++) {
            node = child(node, fn[k]!);
            cum[si]![node]! += w;
            flags[node]! |= inlined[k] ? 1 : 2;
          }
        }
      }
      self[si]![node]! += w;
    }
    totals.push(total);
  }

  // Children in CSR, heaviest first.
  const weight = new Float64Array(count);
  for (let n = 0; n < count; n++) for (let si = 0; si < ns; si++) weight[n]! += Math.abs(cum[si]![n]!);
  const childStart = new Int32Array(count + 1);
  for (let n = 1; n < count; n++) childStart[parent[n]! + 1]!++;
  for (let n = 0; n < count; n++) childStart[n + 1]! += childStart[n]!;
  const fill = childStart.slice(0, count);
  const children = new Int32Array(Math.max(0, count - 1));
  for (let n = 1; n < count; n++) children[fill[parent[n]!]!++] = n;
  const nm = names.names;
  for (let n = 0; n < count; n++) {
    const a = childStart[n]!;
    const b = childStart[n + 1]!;
    if (b - a < 2) continue;
    const sorted = Array.from(children.subarray(a, b)).sort((x, y) => weight[y]! - weight[x]! || (nm[fnOf[x]!]! < nm[fnOf[y]!]! ? -1 : 1));
    children.set(sorted, a);
  }
  return {
    inverted,
    names,
    count,
    parent: parent.subarray(0, count),
    fn: fnOf.subarray(0, count),
    depth: depth.subarray(0, count),
    cum: cum.map((x) => x.subarray(0, count)),
    self: self.map((x) => x.subarray(0, count)),
    inlined: flags.subarray(0, count),
    childStart,
    children,
    totals,
  };
}
