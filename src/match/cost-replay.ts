/**
 * Replaying a cost model's top-level queries (inlinable.ts `costModel`) from the previous model of
 * the same binary. An estimate that met a recursion cycle depends on the order of the queries (which
 * member of the cycle was asked first), so it is never kept as a value (cost-memo.ts); what is kept
 * instead is each top-level query's log: the estimates it found already made (`reads`, with their
 * cycle facts) and the ones it made or took from the memo (`writes`, in order, each with the
 * declaration it read). Given the same declarations and the same estimates already made, a query
 * walks the same path and makes the same estimates, so a query whose log still holds is answered by
 * writing its log's estimates again: exactly what computing it would write, without computing.
 */
import type { FuncEntry } from '../source/index';
import { sameCostFacts, type Stored } from './cost-memo';
import type { CostEstimate } from './inlinable';

/** An estimate a query found already made. */
export interface LoggedRead {
  symbol: string;
  r: CostEstimate | null;
  /** Whether it had met a cycle (its users are then not kept either). */
  cyclicResult: boolean;
  /** The functions it was in a cycle with, if any. */
  cyclic: ReadonlySet<string> | undefined;
}

/** An estimate a query made (or took from the memo, `kept`). */
export interface LoggedWrite {
  symbol: string;
  r: CostEstimate | null;
  /** Taken from the memo: the stored estimate it was. */
  kept?: Stored;
  /** Computed: the declaration read (undefined: none), whether it met no cycle, the callees it used, the cycle it is in. */
  entry?: FuncEntry | undefined;
  pure?: boolean;
  callees?: readonly string[];
  cyclic?: ReadonlySet<string> | undefined;
}

export interface QueryLog {
  reads: LoggedRead[];
  writes: LoggedWrite[];
}

/** What a model is now, as far as a log reads it. */
export interface ReplayState {
  memo: ReadonlyMap<string, CostEstimate | null>;
  cyclicResult: ReadonlySet<string>;
  cyclic: ReadonlyMap<string, ReadonlySet<string>>;
  kept: { get(symbol: string): Stored | undefined };
  resolve(symbol: string): FuncEntry | undefined;
}

/**
 * Whether answering the log's query now would make exactly the log's writes: every estimate it read
 * is made with the same value and cycle facts, none it made is made yet, each it took from the memo
 * is still there (the same stored object), and each it computed reads a declaration with the same
 * cost facts and is not in the memo (where computing would take it from instead).
 */
export function replayable(log: QueryLog, now: ReplayState): boolean {
  for (const r of log.reads) {
    const m = now.memo.get(r.symbol);
    if (m === undefined || !sameEstimate(m, r.r)) return false;
    if (now.cyclicResult.has(r.symbol) !== r.cyclicResult || !sameSet(now.cyclic.get(r.symbol), r.cyclic)) return false;
  }
  for (const w of log.writes) {
    if (now.memo.has(w.symbol)) return false;
    const k = now.kept.get(w.symbol);
    if (w.kept) {
      if (k !== w.kept) return false;
    } else if (k || !sameCostFacts(now.resolve(w.symbol), w.entry)) return false;
  }
  return true;
}

function sameEstimate(a: CostEstimate | null, b: CostEstimate | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.cost === b.cost && a.low === b.low && a.high === b.high && a.refusal === b.refusal;
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
