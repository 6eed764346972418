/**
 * The compiler's PGO devirtualization choice at one call site (cmd/compile/internal/devirtualize
 * pgo.go, Go 1.25+: findHotConcreteCallee, shouldPGODevirt), over plain data.
 *
 * Candidates are the caller's out-edges at the call's line offset: the profile's edges plus the
 * IR's direct-call edges at the same offset (weight from the profile, or 0). The hottest wins by
 * weight, then by having IR, then by the byte-wise smaller name. An IR-less hottest edge blocks
 * devirtualization; an ineligible edge is skipped. There is no hotness threshold.
 */
import { goStringCompare } from '../pgo/gofmt';

export interface CandidateEdge {
  callee: string;
  weight: number;
  /** The compiler has the callee's IR (local, or found in export data). */
  hasIR: boolean;
  /** Normalized signature without receiver (FuncEntry.signature), when known. */
  signature?: string;
}

export type DevirtKind = 'interface' | 'function';

export interface DevirtQuery {
  kind: DevirtKind;
  /** Method name for interface calls. */
  method?: string;
  /** The called function type for function-value calls (CallSite.funcType), when known. */
  funcType?: string;
  edges: CandidateEdge[];
  /** Is this callee a method (`T.M`, `(*T).M`)? */
  isMethod(callee: string): boolean;
  /** Is this callee a closure (`F.func1`, `F.func1.2`, `F-range1`…)? */
  isClosure(callee: string): boolean;
  /** A `//go:noinline` (or similar) pragma makes InlineImpossible non-empty. */
  inlineImpossible(callee: string): boolean;
}

export interface DevirtResult {
  callee: string;
  weight: number;
}

function hotter(e: CandidateEdge, h: CandidateEdge | null): boolean {
  if (!h) return true;
  if (e.weight !== h.weight) return e.weight > h.weight;
  if (e.hasIR !== h.hasIR) return e.hasIR;
  return goStringCompare(e.callee, h.callee) < 0;
}

function eligible(q: DevirtQuery, e: CandidateEdge): boolean {
  if (q.kind === 'interface') {
    // a method of a type implementing the interface, with the same method name
    return q.isMethod(e.callee) && !!q.method && e.callee.endsWith(`.${q.method}`);
  }
  // function value: needs IR and an identical signature (types.Identical ignores receivers);
  // assumed identical when either side's type is unknown to the index
  return e.hasIR && (!q.funcType || !e.signature || e.signature === q.funcType);
}

export function chooseDevirtualization(q: DevirtQuery): DevirtResult | null {
  let hottest: CandidateEdge | null = null;
  for (const e of q.edges) {
    if (!hotter(e, hottest)) continue;
    if (!e.hasIR) {
      hottest = e; // blocks devirtualization if it stays the hottest
      continue;
    }
    if (!eligible(q, e)) continue;
    hottest = e;
  }
  if (!hottest || hottest.weight === 0 || !hottest.hasIR) return null;
  if (q.inlineImpossible(hottest.callee)) return null;
  if (q.kind === 'function' && (q.isClosure(hottest.callee) || q.isMethod(hottest.callee) || hottest.callee === 'runtime.memhash_varlen')) {
    return null;
  }
  return { callee: hottest.callee, weight: hottest.weight };
}
