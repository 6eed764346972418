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
  /** Children of node n: children[childStart[n] .. childStart[n+1]); read them through `childrenOf` (sorted on first use). */
  childStart: Int32Array;
  children: Int32Array;
  /** 1 once node n's children are sorted. */
  sorted: Uint8Array;
  /** Per source: pprof's total (sum of |value|). */
  totals: number[];
}

/**
 * Open-addressing table (parent, fn) → child node on one typed array of (parent, fn, child + 1)
 * triples, so a probe touches one cache line (the table is the tree build's main cost).
 */
class ChildIndex {
  private slots: Int32Array;
  private mask: number;
  private size = 0;

  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap * 3);
    this.mask = cap - 1;
  }

  private static slot(p: number, f: number, mask: number): number {
    let h = Math.imul(p, 0x9e3779b1) ^ Math.imul(f + 0x7f4a7c15, 0x85ebca6b);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    return h & mask;
  }

  /** The child, or −1 after recording `next` as the child (the caller then creates node `next`). */
  getOrAdd(p: number, f: number, next: number): number {
    const slots = this.slots;
    let i = ChildIndex.slot(p, f, this.mask);
    for (;;) {
      const j = i * 3;
      const v = slots[j + 2]!;
      if (v === 0) {
        slots[j] = p;
        slots[j + 1] = f;
        slots[j + 2] = next + 1;
        if (++this.size * 2 > this.mask) this.rehash();
        return -1;
      }
      if (slots[j] === p && slots[j + 1] === f) return v - 1;
      i = (i + 1) & this.mask;
    }
  }

  private rehash(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const slots = new Int32Array(cap * 3);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 3) {
      if (old[j + 2] === 0) continue;
      let i = ChildIndex.slot(old[j]!, old[j + 1]!, mask);
      while (slots[i * 3 + 2] !== 0) i = (i + 1) & mask;
      slots.set(old.subarray(j, j + 3), i * 3);
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Growable node columns. */
class Nodes {
  count = 1;
  parent: Int32Array<ArrayBuffer>;
  fn: Int32Array<ArrayBuffer>;
  depth: Int32Array<ArrayBuffer>;
  flags: Uint8Array<ArrayBuffer>;
  cum: Float64Array<ArrayBuffer>[];
  self: Float64Array<ArrayBuffer>[];

  constructor(ns: number, cap: number) {
    this.parent = new Int32Array(cap);
    this.fn = new Int32Array(cap);
    this.depth = new Int32Array(cap);
    this.flags = new Uint8Array(cap);
    this.cum = Array.from({ length: ns }, () => new Float64Array(cap));
    this.self = Array.from({ length: ns }, () => new Float64Array(cap));
    this.parent[0] = -1;
    this.fn[0] = -1;
  }

  add(p: number, f: number): number {
    const id = this.count++;
    if (id >= this.parent.length) {
      const cap = id * 2;
      this.parent = grow(this.parent, cap);
      this.fn = grow(this.fn, cap);
      this.depth = grow(this.depth, cap);
      this.flags = grow(this.flags, cap);
      this.cum = this.cum.map((a) => grow(a, cap));
      this.self = this.self.map((a) => grow(a, cap));
    }
    this.parent[id] = p;
    this.fn[id] = f;
    this.depth[id] = this.depth[p]! + 1;
    return id;
  }
}

/** Builds the tree of the sources (sharing one `FunctionNames`). */
export function buildTree(sources: TreeSource[], inverted: boolean): CallTree {
  const b = new TreeBuilder(sources, inverted);
  for (let si = 0; si < sources.length; si++) b.add(si, 0, sources[si]!.frames.stacks.count);
  return b.finish();
}

/**
 * The same tree, built a slice of samples at a time with a turn of the event loop in between, so
 * the worker keeps answering the editor's other queries while a large profile's tree is built.
 */
export async function buildTreeAsync(sources: TreeSource[], inverted: boolean, slice = 20_000): Promise<CallTree> {
  const b = new TreeBuilder(sources, inverted);
  for (let si = 0; si < sources.length; si++) {
    const n = sources[si]!.frames.stacks.count;
    for (let s = 0; s < n; s += slice) {
      b.add(si, s, Math.min(n, s + slice));
      await new Promise((r) => setImmediate(r));
    }
  }
  return b.finish();
}

class TreeBuilder {
  private readonly index: ChildIndex;
  private readonly nodes: Nodes;
  private readonly totals: number[];
  private path: { fn: Int32Array<ArrayBuffer>; inl: Uint8Array<ArrayBuffer> } = { fn: new Int32Array(256), inl: new Uint8Array(256) };

  constructor(
    private readonly sources: TreeSource[],
    private readonly inverted: boolean,
  ) {
    const guess = Math.max(1024, sources.reduce((m, x) => m + x.frames.stacks.stack.length, 0) >> 1);
    this.index = new ChildIndex(guess);
    this.nodes = new Nodes(sources.length, guess);
    this.totals = sources.map(() => 0);
  }

  /** Adds samples [from, to) of source si. */
  add(si: number, from: number, to: number): void {
    const { frames, vi } = this.sources[si]!;
    const { start, fn, inlined, stacks, nValues: nv } = frames;
    const { stackStart, stack, values } = stacks;
    const { index, nodes, inverted } = this;
    const path = this.path;
    let total = 0;
    for (let s = from; s < to; s++) {
      const w = values[s * nv + vi]!;
      if (w === 0) continue;
      total += w < 0 ? -w : w;
      // The sample's frames, outermost first (top-down) or innermost first (inverted).
      let n = 0;
      const a = stackStart[s]!;
      const b = stackStart[s + 1]!;
      for (let i = b - 1; i >= a; i--) {
        const l = stack[i]!;
        for (let k = start[l + 1]! - 1; k >= start[l]!; k--) {
          if (n === path.fn.length) {
            path.fn = grow(path.fn, n * 2);
            path.inl = grow(path.inl, n * 2);
          }
          path.fn[n] = fn[k]!;
          path.inl[n] = inlined[k]!;
          n++;
        }
      }
      nodes.cum[si]![0]! += w;
      let node = 0;
      for (let j = 0; j < n; j++) {
        const q = inverted ? n - 1 - j : j;
        const f = path.fn[q]!;
        let c = index.getOrAdd(node, f, nodes.count);
        if (c < 0) c = nodes.add(node, f);
        nodes.cum[si]![c]! += w;
        nodes.flags[c]! |= path.inl[q] ? INLINED : NOT_INLINED;
        node = c;
      }
      nodes.self[si]![node]! += w;
    }
    this.totals[si]! += total;
  }

  finish(): CallTree {
    const { nodes, inverted, totals } = this;
    const names = this.sources[0]!.frames.names;
    // Children in CSR (sorted on first use: see `childrenOf`).
    const count = nodes.count;
    const parent = nodes.parent.subarray(0, count);
    const childStart = new Int32Array(count + 1);
    for (let n = 1; n < count; n++) childStart[parent[n]! + 1]!++;
    for (let n = 0; n < count; n++) childStart[n + 1]! += childStart[n]!;
    const fill = childStart.slice(0, count);
    const children = new Int32Array(Math.max(0, count - 1));
    for (let n = 1; n < count; n++) children[fill[parent[n]!]!++] = n;
    return {
      inverted,
      names,
      count,
      parent,
      fn: nodes.fn.subarray(0, count),
      depth: nodes.depth.subarray(0, count),
      cum: nodes.cum.map((x) => x.subarray(0, count)),
      self: nodes.self.map((x) => x.subarray(0, count)),
      inlined: nodes.flags.subarray(0, count),
      childStart,
      children,
      sorted: new Uint8Array(count),
      totals,
    };
  }
}

/**
 * The children of node n, heaviest first (|cum| summed over the sources), then by name. Sorted
 * the first time they are asked for: a query touches only the nodes it shows.
 */
export function childrenOf(t: CallTree, n: number): Int32Array {
  const a = t.childStart[n]!;
  const b = t.childStart[n + 1]!;
  const kids = t.children.subarray(a, b);
  if (!t.sorted[n] && b - a > 1) {
    const w = (x: number): number => {
      let s = 0;
      for (const c of t.cum) s += Math.abs(c[x]!);
      return s;
    };
    const nm = t.names.names;
    const sorted = Array.from(kids, (x) => ({ x, w: w(x), name: nm[t.fn[x]!]! })).sort((p, q) => q.w - p.w || (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
    kids.set(sorted.map((e) => e.x));
  }
  t.sorted[n] = 1;
  return kids;
}
