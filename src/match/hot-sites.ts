/**
 * Does PGO change the inliner's decision at a hot call site (inline/inl.go `inlineCostOK`,
 * `CanInline`, `inlineBudget`)? Only where the callee is inlined thanks to the hot budget: its
 * cost is above the normal limit (80; 160 for closures) and at most 2000, it has a body here
 * (CanInline with its own budget — 2000 only for hot callees — succeeded), the call is a direct
 * call to it (or a devirtualized one), and the caller is not big (> 5000 IR nodes). Everything
 * else at a hot site is heat, not a decision: calls the compiler lowers from operators and
 * builtins (`runtime.growslice`…), intrinsics, indirect calls, callees inlined anyway, refused,
 * or too costly. Pure.
 */
import { INTRINSICS } from '../source/intrinsics';
import { type CostEstimate, INLINE_BUDGET, verdict } from './inlinable';

export type HotSitePgo = 'hot-budget' | 'possible' | 'none';

export interface HotSiteInput {
  caller: string;
  callee: string;
  /** How the line calls the callee: a static call, through a predicted devirtualization (certain or not), or not at all. */
  call: 'direct' | 'devirtualized' | 'devirtualized-possibly' | 'none';
  /** The callee's estimated cost (undefined: unknown to the index). */
  cost: CostEstimate | undefined;
  /** The budget the callee gets in its own package's compile (2000 for hot callees, else 80). */
  calleeBudget: number;
  calleeIsClosure: boolean;
  /** Estimated IR nodes of the caller (IsBigFunc: > 5000). */
  callerNodes: number | undefined;
}

const BIG_FUNCTION_NODES = 5000;
const HOT_MAX = 2000;

export function classifyHotSite(i: HotSiteInput): { pgo: HotSitePgo; why: string } {
  if (i.call === 'none')
    return {
      pgo: 'none',
      why: `no direct call to ${i.callee} on this line (an indirect call, or a runtime call the compiler makes for an operator or builtin)`,
    };
  if (INTRINSICS.has(i.callee)) return { pgo: 'none', why: `${i.callee} is a compiler intrinsic` };
  // (a recursive call is inlined once: canInlineCallExpr refuses only a call inside a copy of its own callee)
  const e = i.cost;
  if (!e) return { pgo: 'possible', why: `the cost of ${i.callee} is unknown (outside the indexed packages)` };
  if (e.refusal) return { pgo: 'none', why: `${i.callee} cannot be inlined: ${e.refusal}` };
  const normal = i.calleeIsClosure ? 2 * INLINE_BUDGET : INLINE_BUDGET;
  const approx = e.low === e.high ? `estimated cost ${e.cost}` : `estimated cost ${e.cost}, between ${e.low} and ${e.high}`;
  const vNormal = verdict(e, normal);
  if (vNormal === 'yes') return { pgo: 'none', why: `inlined with the normal budget anyway (${approx} ≤ ${normal})` };
  const vOwn = verdict(e, i.calleeBudget);
  if (vOwn === 'no') {
    return i.calleeBudget < HOT_MAX
      ? { pgo: 'none', why: `${i.callee} is not a hot callee: no inline body above cost ${i.calleeBudget} (${approx})` }
      : { pgo: 'none', why: `too costly even for the hot budget (${approx} > ${HOT_MAX})` };
  }
  if (i.callerNodes !== undefined && i.callerNodes * 0.75 > BIG_FUNCTION_NODES)
    return { pgo: 'none', why: `the caller is big (about ${i.callerNodes} IR nodes > ${BIG_FUNCTION_NODES}): no hot-budget inlining into it` };
  const doubts: string[] = [];
  if (vNormal === 'maybe') doubts.push(`${approx} is too close to the normal budget ${normal}`);
  if (vOwn === 'maybe') doubts.push(`${approx} is too close to the budget ${i.calleeBudget} of its own package`);
  if (i.callerNodes !== undefined && i.callerNodes * 1.15 > BIG_FUNCTION_NODES) doubts.push('the caller may be big (> 5000 IR nodes)');
  if (i.call === 'devirtualized-possibly') doubts.push('the devirtualization is only possible');
  if (doubts.length) return { pgo: 'possible', why: doubts.join('; ') };
  return { pgo: 'hot-budget', why: `inlined only with the hot budget (${approx}: above ${normal}, at most ${HOT_MAX})` };
}
