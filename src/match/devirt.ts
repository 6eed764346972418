/**
 * The compiler's PGO devirtualization choice at one call site (cmd/compile/internal/devirtualize
 * pgo.go, Go 1.25+: findHotConcreteCallee, shouldPGODevirt), over plain data.
 *
 * Candidates are the caller's out-edges at the call's line offset: the profile's edges plus the
 * IR's direct-call edges at the same offset (weight from the profile, or 0). The hottest wins by
 * weight, then by having IR, then by the byte-wise smaller name. An IR-less hottest edge blocks
 * devirtualization; an ineligible edge is skipped (interface calls: a method of that name whose
 * declared receiver type implements the call's interface; function values: identical signature).
 * There is no hotness threshold. The chosen callee's body must be available (`shouldPGODevirt`:
 * a callee of another package has one only if it was inlinable there).
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
  /**
   * `InlineImpossible`'s "no function body": does the compilation have the callee's body (its
   * own package's, or an inline body from export data)? 'maybe' when the source cannot tell.
   * Absent: always.
   */
  body?(callee: string): { has: 'yes' | 'no' | 'maybe'; why?: string };
  /** Interface calls: does the callee's receiver type implement the call's interface? undefined: cannot tell. Absent: assumed. */
  implements?(callee: string): boolean | undefined;
}

export interface DevirtResult {
  callee: string;
  weight: number;
  /** False when a rule could not be decided from the source (see `doubt`): the devirtualization is possible, not certain. */
  certain: boolean;
  doubt?: string;
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
    return q.isMethod(e.callee) && q.implements?.(e.callee) !== false && !!q.method && e.callee.endsWith(`.${q.method}`);
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
  const body = q.body?.(hottest.callee) ?? { has: 'yes' };
  if (body.has === 'no') return null; // shouldPGODevirt: "no function body"
  const doubts: string[] = [];
  if (body.has === 'maybe') doubts.push(body.why ?? `cannot tell whether ${hottest.callee} has a body in export data`);
  if (q.kind === 'interface' && q.implements && q.implements(hottest.callee) === undefined)
    doubts.push(`cannot tell whether the receiver type of ${hottest.callee} implements the interface`);
  return { callee: hottest.callee, weight: hottest.weight, certain: doubts.length === 0, ...(doubts.length ? { doubt: doubts.join('; ') } : {}) };
}
