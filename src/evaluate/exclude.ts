/**
 * Hiding hot call edges from the compiler: a profile rewrite that drops every sample whose two
 * leaf-most frames make one of the given edges (caller symbol, line offset, callee symbol), as
 * the compiler's graph builds them (go-pgo-semantics.md §2.2: the caller location's innermost
 * frame → the leaf location's outermost frame, and each location's inline chain). Without
 * those samples the edge has no weight, so the call site is no longer hot for it and the
 * callee gets no hot budget from it; the rest of the profile is kept. The alternative,
 * `//go:noinline` on the callee, is the user's call.
 */
import type { NamedEdge } from '../pgo/model';
import type { PprofProfile } from '../profile/pprof';

/** A profile edge without its weight: the compiler's edge-map key (caller symbol, call line − start line, callee symbol). */
export type EdgeKey = Omit<NamedEdge, 'weight'>;

export interface ExcludeStats {
  samplesDropped: number;
  /** Sum of the dropped samples' values, per sample type. */
  valuesDropped: number[];
}

const edgeId = (e: EdgeKey): string => `${e.caller}\0${e.offset}\0${e.callee}`;

/** Removes the samples that make any of `edges`; `p` must have been decoded with keepSamples. */
export function excludeEdges(p: PprofProfile, edges: EdgeKey[]): ExcludeStats {
  const s = p.samples;
  if (!s) throw new Error('internal: excluding edges needs a profile decoded with keepSamples');
  const want = new Set(edges.map(edgeId));
  const L = p.locations;
  const F = p.functions;
  const fname = (f: number): string => (f >= 0 ? (p.strings[F.name[f]!] ?? '') : '');
  const frame = (line: number): { name: string; offset: number } => {
    const f = L.lineFunc[line]!;
    return { name: fname(f), offset: f >= 0 ? L.lineLine[line]! - F.startLine[f]! : 0 };
  };
  const makes = (i: number): boolean => {
    const a = s.stackStart[i]!;
    const b = s.stackStart[i + 1]!;
    if (b === a) return false;
    // Outermost frame first: caller location (if any), then the leaf location.
    const chain: Array<{ name: string; offset: number }> = [];
    for (let k = Math.min(a + 1, b - 1); k >= a; k--) {
      const l = s.stack[k]!;
      for (let j = L.lineStart[l + 1]! - 1; j >= L.lineStart[l]!; j--) chain.push(frame(j));
    }
    for (let k = 1; k < chain.length; k++) {
      const caller = chain[k - 1]!;
      if (want.has(edgeId({ caller: caller.name, offset: caller.offset, callee: chain[k]!.name }))) return true;
    }
    return false;
  };
  const nv = p.nValues;
  const keep: number[] = [];
  const dropped = new Array<number>(nv).fill(0);
  for (let i = 0; i < s.count; i++) {
    if (makes(i)) for (let j = 0; j < nv; j++) dropped[j]! += s.values[i * nv + j]!;
    else keep.push(i);
  }
  const stackStart = new Int32Array(keep.length + 1);
  let len = 0;
  for (const [n, i] of keep.entries()) {
    stackStart[n] = len;
    len += s.stackStart[i + 1]! - s.stackStart[i]!;
  }
  stackStart[keep.length] = len;
  const stack = new Int32Array(len);
  const values = new Float64Array(keep.length * nv);
  for (const [n, i] of keep.entries()) {
    stack.set(s.stack.subarray(s.stackStart[i]!, s.stackStart[i + 1]!), stackStart[n]!);
    values.set(s.values.subarray(i * nv, i * nv + nv), n * nv);
  }
  p.samples = { count: keep.length, stackStart, stack, values, labels: keep.map((i) => s.labels[i] ?? null) };
  return { samplesDropped: s.count - keep.length, valuesDropped: dropped };
}
