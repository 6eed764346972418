/**
 * Is a function inlinable in its own package (`inline.CanInline`), from the index's cost
 * estimates (source/inline-cost.ts)? This decides whether other packages get its body (export
 * data carries inline bodies only: without one, PGO devirtualization refuses "no function body")
 * and whether PGO's hot budget changes an inlining decision.
 *
 * A function's cost is its own nodes plus, per call, the callee's cost when the callee is
 * inlinable with the normal budget (the visitor charges what inlining would paste in), else 57
 * (17 for calling a parameter). Callees the index does not know (other modules' packages not
 * indexed, the standard library) are charged a guess and widen the uncertainty. Where the
 * estimate's uncertainty straddles the budget, the answer is 'maybe'.
 */
import { type FuncEntry, genericKey } from '../source/index';
import { INTRINSICS } from '../source/intrinsics';
import type { CostMemo } from './cost-memo';
import { type QueryLog, replayable } from './cost-replay';

export const INLINE_BUDGET = 80;
export const HOT_BUDGET = 2000;
const EXTRA_CALL_COST = 57;
const PARAM_CALL_COST = 17;
/** What an unknown callee is charged: a small inlinable function or a real call. */
const UNKNOWN_CALL_LOW = 4;
const UNKNOWN_CALL_HIGH = EXTRA_CALL_COST + 4;

/**
 * Error of the node estimate (measured: docs/performance.md "Inliner cost estimate"; the
 * estimate is rather too high than too low): the compiler's cost is taken to lie in
 * [cost·(1−LOW) − SLACK, cost·(1+HIGH) + SLACK]; budgets inside that range are undecidable.
 */
export const COST_TOLERANCE_LOW = 0.25;
export const COST_TOLERANCE_HIGH = 0.15;
const COST_SLACK = 4;
/** Calls the cost visitor charges as one node (`cheap` in hairyVisitor.doNode; amd64 merges loads). */
const CHEAP_CALLS = new Set([
  'internal/abi.NoEscape',
  'runtime.panicrangestate',
  ...['LE', 'BE'].flatMap((e) =>
    ['Uint64', 'Uint32', 'Uint16', 'PutUint64', 'PutUint32', 'PutUint16', 'AppendUint64', 'AppendUint32', 'AppendUint16'].map(
      (f) => `internal/byteorder.${e}${f}`,
    ),
  ),
  ...['littleEndian', 'bigEndian'].flatMap((e) =>
    ['Uint64', 'Uint32', 'Uint16', 'PutUint64', 'PutUint32', 'PutUint16', 'AppendUint64', 'AppendUint32', 'AppendUint16'].map(
      (f) => `encoding/binary.${e}.${f}`,
    ),
  ),
]);
/** Calls that make a function impossible to inline (hairyVisitor.doNode). */
const REFUSING_CALLS: ReadonlyMap<string, string> = new Map([
  ['internal/runtime/sys.GetCallerPC', 'call to GetCallerPC'],
  ['internal/runtime/sys.GetCallerSP', 'call to GetCallerSP'],
  ['runtime.deferrangefunc', 'defer call in range func'],
]);
/** `runtime.throw` costs a whole budget. */
const THROW = 'runtime.throw';

export interface CostEstimate {
  /** Point estimate. */
  cost: number;
  /** Bounds: the estimate's uncertainty, unknown callees included. */
  low: number;
  high: number;
  /** `cannot inline F: <reason>` whatever the budget. */
  refusal?: string;
}

export type Verdict = 'yes' | 'no' | 'maybe';

export function verdict(e: CostEstimate | undefined, budget: number): Verdict {
  if (!e) return 'maybe';
  if (e.refusal) return 'no';
  if (e.high <= budget) return 'yes';
  if (e.low > budget) return 'no';
  return 'maybe';
}

/** What the profile changes in the visitor: hot callees have inline bodies up to 2000, and calls at hot sites inline them. */
export interface PgoBudgets {
  isHotCallee(symbol: string): boolean;
  /** Is the call at this offset of this function (linker symbol) a hot call site? */
  isHotSite(caller: string, offset: number): boolean;
}

/**
 * Costs of indexed functions by linker symbol. `resolve` finds an entry (any indexed package);
 * results are memoised; recursion (a cycle) charges the call as a real call, as the bottom-up
 * visit does. With `kept`, estimates that met no cycle are kept there for the next model of the
 * same binary (cost-memo.ts) and taken from there, and each top-level query's reads and writes are
 * logged there: a query the previous model also asked is replayed from its log when everything it
 * read is as it was then (cost-replay.ts), so estimates that met a cycle are not recomputed either.
 */
export function costModel(resolve: (symbol: string) => FuncEntry | undefined, pgo?: PgoBudgets, kept?: CostMemo): (symbol: string) => CostEstimate | undefined {
  const memo = new Map<string, CostEstimate | null>();
  /** Estimates that met a recursion cycle (theirs or a callee's): their value depends on which function was asked first. */
  const cyclicResult = new Set<string>();
  const busy = new Set<string>();
  /** Functions whose estimate charged a call to a function then being analysed (a recursion cycle), with those functions. */
  const cyclic = new Map<string, ReadonlySet<string>>();
  const widen = (r: CostEstimate): CostEstimate =>
    r.refusal
      ? r
      : {
          cost: r.cost,
          low: Math.max(0, Math.floor(r.low * (1 - COST_TOLERANCE_LOW)) - COST_SLACK),
          high: Math.ceil(r.high * (1 + COST_TOLERANCE_HIGH)) + COST_SLACK,
        };
  /** Unwidened bounds (callees' uncertainty adds up once, at the end). */
  /** The log of the top-level query being answered (only with `kept`). */
  let log: QueryLog | undefined;
  let logged: Set<string> | undefined;
  const estimate = (symbol: string): CostEstimate | undefined => {
    const m = memo.get(symbol);
    if (m !== undefined) {
      if (log && !logged!.has(symbol)) {
        logged!.add(symbol);
        log.reads.push({ symbol, r: m, cyclicResult: cyclicResult.has(symbol), cyclic: cyclic.get(symbol) });
      }
      return m ?? undefined;
    }
    const k = kept?.get(symbol);
    if (k) {
      memo.set(symbol, k.r);
      if (log) {
        logged!.add(symbol);
        log.writes.push({ symbol, r: k.r, kept: k });
      }
      return k.r ?? undefined;
    }
    const r = compute(symbol);
    memo.set(symbol, r.r);
    if (r.pure) kept?.set(symbol, genericKey(symbol), r.r, r.callees);
    else cyclicResult.add(symbol);
    if (log) {
      logged!.add(symbol);
      log.writes.push({ symbol, r: r.r, entry: r.entry, pure: r.pure, callees: r.callees, cyclic: cyclic.get(symbol) });
    }
    return r.r ?? undefined;
  };
  /** A top-level query: replayed from the previous model's log when it holds, else answered and logged. */
  const query = (symbol: string): CostEstimate | undefined => {
    if (!kept || memo.has(symbol)) return estimate(symbol);
    const before = kept.previousQuery(symbol);
    if (before && replayable(before, { memo, cyclicResult, cyclic, kept, resolve })) {
      for (const w of before.writes) {
        memo.set(w.symbol, w.r);
        if (w.kept) continue;
        if (w.pure) kept.set(w.symbol, genericKey(w.symbol), w.r, w.callees ?? []);
        else cyclicResult.add(w.symbol);
        if (w.cyclic) cyclic.set(w.symbol, w.cyclic);
      }
      kept.logQuery(symbol, before);
      kept.counts.replayed++;
      if (before.writes.some((w) => !w.kept && !w.pure)) kept.counts.cyclicReplayed++;
      return memo.get(symbol) ?? undefined;
    }
    log = { reads: [], writes: [] };
    logged = new Set();
    try {
      return estimate(symbol);
    } finally {
      kept.logQuery(symbol, log);
      kept.counts.computed++;
      log = undefined;
      logged = undefined;
    }
  };
  const compute = (symbol: string): { r: CostEstimate | null; pure: boolean; callees: string[]; entry: FuncEntry | undefined } => {
    const callees: string[] = [];
    let pure = true;
    const entry = resolve(symbol);
    const done = (r: CostEstimate | null) => ({ r, pure, callees, entry });
    const info = entry?.inline;
    if (!entry || !info) return done(null);
    // a body under another package's name: that package declares it without one
    if (entry.linkname) return done({ cost: 0, low: 0, high: 0, refusal: 'no function body' });
    if (info.refusal) return done({ cost: info.nodes, low: info.nodes, high: info.nodes, refusal: info.refusal });
    busy.add(symbol);
    const cyclicWith = new Set<string>();
    let cost = info.nodes;
    let low = info.nodes;
    let high = info.nodes;
    for (const c of info.calls) {
      const site = c.i >= 0 ? entry.calls[c.i] : undefined;
      if (c.param) {
        cost += PARAM_CALL_COST;
        low += PARAM_CALL_COST;
        high += PARAM_CALL_COST;
        continue;
      }
      const callee = site?.dispatch === 'static' ? site.calleeSymbol : undefined;
      if (!site || (site.dispatch !== 'static' && site.dispatch !== 'unknown')) {
        cost += EXTRA_CALL_COST;
        low += EXTRA_CALL_COST;
        high += EXTRA_CALL_COST;
        continue;
      }
      if (callee && (INTRINSICS.has(callee) || CHEAP_CALLS.has(callee))) continue; // an ordinary node
      const refusing = callee && REFUSING_CALLS.get(callee);
      if (refusing) {
        busy.delete(symbol);
        return done({ cost, low: cost, high: cost, refusal: refusing });
      }
      if (callee === THROW) {
        cost += INLINE_BUDGET;
        low += INLINE_BUDGET;
        high += INLINE_BUDGET;
        continue;
      }
      const ce = callee && !busy.has(callee) ? estimate(callee) : undefined;
      if (callee && !busy.has(callee)) {
        callees.push(callee);
        if (cyclicResult.has(callee)) pure = false;
      }
      if (callee && busy.has(callee)) {
        // a recursion cycle: the callee is analysed after this function (VisitFuncsBottomUp), no body yet
        pure = false;
        if (callee !== symbol) cyclicWith.add(callee);
        cost += EXTRA_CALL_COST;
        low += EXTRA_CALL_COST;
        high += EXTRA_CALL_COST;
        continue;
      }
      const inCycle = ce && cyclic.get(callee!);
      if (ce && inCycle && [...inCycle].some((x) => busy.has(x))) {
        pure = false;
        // the callee is in a cycle with a function being analysed: which of them the compiler
        // analyses first (and so charges as a plain call) is not modelled
        for (const x of inCycle) if (x !== symbol) cyclicWith.add(x);
        cost += EXTRA_CALL_COST;
        low += Math.min(ce.low, EXTRA_CALL_COST);
        high += Math.max(ce.high, EXTRA_CALL_COST);
        continue;
      }
      if (!ce) {
        cost += EXTRA_CALL_COST;
        low += UNKNOWN_CALL_LOW;
        high += UNKNOWN_CALL_HIGH;
        continue;
      }
      // the visitor charges the callee's cost where the call would be inlined: within the normal
      // budget, or up to 2000 at a hot site when the callee (a hot callee) has a body that big
      const hotHere = !!pgo && pgo.isHotCallee(callee!) && pgo.isHotSite(entry.symbol, site.offset);
      const v = verdict(widen(ce), hotHere ? HOT_BUDGET : INLINE_BUDGET);
      if (v === 'yes') {
        cost += ce.cost;
        low += ce.low;
        high += ce.high;
      } else if (v === 'no') {
        cost += EXTRA_CALL_COST;
        low += EXTRA_CALL_COST;
        high += EXTRA_CALL_COST;
      } else {
        cost += ce.cost <= INLINE_BUDGET ? ce.cost : EXTRA_CALL_COST;
        low += Math.min(ce.low, EXTRA_CALL_COST);
        high += Math.max(ce.high, EXTRA_CALL_COST);
      }
    }
    busy.delete(symbol);
    cyclicWith.delete(symbol);
    if (cyclicWith.size) cyclic.set(symbol, cyclicWith);
    return done({ cost, low, high });
  };
  return (symbol) => {
    const r = query(symbol);
    return r && widen(r);
  };
}
