/**
 * Inliner cost estimates kept between the matches of one binary (issue #14: an edit re-estimates
 * only what it changed). `costModel` (inlinable.ts) stores here the estimates that met no
 * recursion cycle: those are a function of the declarations they reached alone, not of the order
 * of the queries. Before each match `sync` drops every estimate that reached a declaration whose
 * cost facts changed (its `inline` facts, its linkname, its presence), and the estimates that used
 * those, up the callers; a change of the packages, the profile's hot set or the universe drops all.
 */
import type { FuncEntry, PackageIndex } from '../source/index';
import type { QueryLog } from './cost-replay';
import type { CostEstimate } from './inlinable';

/** What an estimate is computed from, besides the declarations: dropped whole when any differs. */
export interface CostContext {
  /** The profile's hot set (hot callees and sites raise budgets). */
  hot: object;
  /** The universe outside the workspace's packages (undefined: none). */
  universe: object | undefined;
  /** The symbol prefixes of the matched packages, sorted and joined. */
  prefixes: string;
}

export interface Stored {
  r: CostEstimate | null;
  /** Callee symbols whose estimates this one used. */
  callees: readonly string[];
}

export class CostMemo {
  private readonly stored = new Map<string, Stored>();
  /** Callee symbol → the stored symbols whose estimates used it. */
  private readonly users = new Map<string, Set<string>>();
  /** Declaration key → the stored symbols resolved through it. */
  private readonly byKey = new Map<string, Set<string>>();
  private context: CostContext | undefined;
  /** The packages' indexes and declarations (by key) at the last sync. */
  private indexes = new Map<string, PackageIndex>();
  private decls: ReadonlyMap<string, { entry: FuncEntry }> = new Map();
  /** The top-level queries of the last model (replayed by the next one, cost-replay.ts) and of the current one. */
  private lastQueries = new Map<string, QueryLog>();
  private queries = new Map<string, QueryLog>();
  /** Top-level queries replayed from a log (those with estimates that met a cycle too) and computed, over the memo's life (tests read this). */
  readonly counts = { replayed: 0, computed: 0, cyclicReplayed: 0 };

  /**
   * Brings the memo to the packages now (`decls`: declaration by key, as the match resolves them):
   * drops what changed since the last sync. `keysOf` gives the declaration keys of an index.
   * When `decls` is the map of the last sync updated in place (decl-table.ts), `before` gives the
   * entry each changed key had before (every key of a changed index is in it); without it such a
   * map drops everything.
   */
  sync(
    ctx: CostContext,
    indexes: ReadonlyMap<string, PackageIndex>,
    decls: ReadonlyMap<string, { entry: FuncEntry }>,
    keysOf: (ix: PackageIndex) => readonly string[],
    before?: ReadonlyMap<string, FuncEntry | undefined> | null,
  ): void {
    const old = this.context;
    const sameSet = this.indexes.size === indexes.size && [...indexes.keys()].every((d) => this.indexes.has(d));
    const inPlace = this.decls === decls;
    if (!old || old.hot !== ctx.hot || old.universe !== ctx.universe || old.prefixes !== ctx.prefixes || !sameSet || (inPlace && !before)) this.clear();
    else if (inPlace && before) {
      // a key the update did not touch holds the same entry as before: only the touched ones can differ
      for (const [k, was] of before) if (!sameCostFacts(was, decls.get(k)?.entry)) this.dropKey(k);
    } else {
      const was = (k: string): FuncEntry | undefined => this.decls.get(k)?.entry;
      const keys = new Set<string>();
      for (const [dir, ix] of indexes) {
        const before = this.indexes.get(dir);
        if (before === ix || !before) continue;
        for (const k of keysOf(before)) keys.add(k);
        for (const k of keysOf(ix)) keys.add(k);
      }
      for (const k of keys) if (!sameCostFacts(was(k), decls.get(k)?.entry)) this.dropKey(k);
    }
    this.context = ctx;
    this.indexes = new Map(indexes);
    this.decls = decls;
    // a new model starts: its queries replay the last model's logs (each checks what it read itself)
    if (this.queries.size) this.lastQueries = this.queries;
    this.queries = new Map();
  }

  /** The log of the last model's top-level query of `symbol`. */
  previousQuery(symbol: string): QueryLog | undefined {
    return this.lastQueries.get(symbol);
  }

  /** Logs a top-level query of the current model. */
  logQuery(symbol: string, log: QueryLog): void {
    this.queries.set(symbol, log);
  }

  get(symbol: string): Stored | undefined {
    return this.stored.get(symbol);
  }

  /** Keeps the estimate of `symbol` (resolved through declaration key `key`), which used the estimates of `callees`. */
  set(symbol: string, key: string, r: CostEstimate | null, callees: readonly string[]): void {
    this.stored.set(symbol, { r, callees });
    addTo(this.byKey, key, symbol);
    for (const c of callees) addTo(this.users, c, symbol);
  }

  get size(): number {
    return this.stored.size;
  }

  private clear(): void {
    this.lastQueries = new Map();
    this.queries = new Map();
    this.stored.clear();
    this.users.clear();
    this.byKey.clear();
  }

  private dropKey(key: string): void {
    const syms = this.byKey.get(key);
    if (!syms) return;
    this.byKey.delete(key);
    const queue = [...syms];
    while (queue.length) {
      const s = queue.pop()!;
      if (!this.stored.delete(s)) continue;
      const users = this.users.get(s);
      if (users) for (const u of users) queue.push(u);
      this.users.delete(s);
    }
  }
}

/**
 * Whether two declarations give the same estimate: the same `inline` facts object (the indexer
 * shares it between a declaration and its copies that only moved, and makes a new one whenever it
 * walks a declaration again), the same linkname, both present or both absent.
 */
export function sameCostFacts(a: FuncEntry | undefined, b: FuncEntry | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.inline === b.inline && !!a.linkname === !!b.linkname;
}

function addTo(m: Map<string, Set<string>>, k: string, v: string): void {
  const set = m.get(k);
  if (set) set.add(v);
  else m.set(k, new Set([v]));
}
