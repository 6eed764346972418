/**
 * What the rename/move guess (refactor.ts) keeps between matches of one binary, so that an edit
 * scores again only the candidates it changed. The guess for a missing symbol is the best-scoring
 * declaration; the declarations come in groups (a package, split by file). A group's best
 * candidates for a symbol depend on the group's entries, on the symbol's evidence (the
 * declarations its profile callers resolve to, the suggestions for its callees) and on which
 * declarations profile names claim: the cache keeps them per group, symbol and evidence, and
 * forgets everything when a changed package shares a declaration key with another declaration
 * (the claimed set could then move between them without the evidence showing it).
 */
import type { FuncEntry } from '../source/index';

/** The best same-package and other-package candidates of one group for one symbol. */
export interface GroupBest<T> {
  same: T | null;
  other: T | null;
}

/** Evidence strings kept per group and symbol (a few passes each: suggestions change between passes). */
const PER_SYMBOL = 4;

const ids = new WeakMap<object, number>();
let nextId = 1;
/** A stable number for an object (entries are immutable and reused by the indexer while unchanged). */
export function idOf(o: object | undefined): number {
  if (!o) return 0;
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

export class RefactorCache<T> {
  private results = new WeakMap<object, Map<string, Map<string, GroupBest<T>>>>();
  /** Canonical part lists by their first entry: equal lists (same entries in order) are one object. */
  private readonly parts = new WeakMap<FuncEntry, readonly { entry: FuncEntry }[]>();
  /** Declaration keys → how many declarations have them, over the groups last seen. */
  private keyCount = new Map<string, number>();
  private seen = new Map<object, readonly string[]>();
  private readonly interned = new Map<string, number>();

  /**
   * The canonical object for a list of entries: the one seen before when it holds the same
   * entries in the same order (so its cached results apply), else this one.
   */
  canonical<E extends { entry: FuncEntry }>(list: readonly E[]): readonly E[] {
    const first = list[0];
    if (!first) return list;
    const old = this.parts.get(first.entry);
    if (old && old.length === list.length && old.every((x, i) => x.entry === list[i]?.entry)) return old as readonly E[];
    this.parts.set(first.entry, list);
    return list;
  }

  /**
   * Tells the cache which groups (by id, with their declaration keys) the binary has now. When a
   * group that changed, came or went has a key that another declaration also has (before or
   * after), or one key twice, every cached result is dropped.
   */
  groups(now: ReadonlyMap<object, readonly string[]>): void {
    const delta = new Map<string, number>();
    let shared = false;
    const add = (keys: readonly string[], d: number): void => {
      const own = new Set<string>();
      for (const k of keys) {
        if (own.has(k)) shared = true;
        own.add(k);
        delta.set(k, (delta.get(k) ?? 0) + d);
      }
    };
    let changed = false;
    for (const [id, keys] of this.seen)
      if (!now.has(id)) {
        add(keys, -1);
        changed = true;
      }
    for (const [id, keys] of now)
      if (!this.seen.has(id)) {
        add(keys, 1);
        changed = true;
      }
    if (!changed) return;
    for (const [k, d] of delta) {
      if (d === 0) continue; // the same declarations have the key before and after
      const before = this.keyCount.get(k) ?? 0;
      if (before > 1 || before + d > 1) shared = true;
      if (before + d > 0) this.keyCount.set(k, before + d);
      else this.keyCount.delete(k);
    }
    this.seen = new Map(now);
    if (shared) this.results = new WeakMap();
  }

  /** A small number for a long evidence string (the claimed declarations), the same while it is. */
  internal(s: string): number {
    let id = this.interned.get(s);
    if (id === undefined) {
      id = nextId++;
      if (this.interned.size >= PER_SYMBOL) this.interned.clear();
      this.interned.set(s, id);
    }
    return id;
  }

  /** The cached best candidates of `group` for `sym` under `evidence`, else `compute()`'s (kept). */
  best(group: object, sym: string, evidence: string, compute: () => GroupBest<T>): GroupBest<T> {
    let bySym = this.results.get(group);
    if (!bySym) {
      bySym = new Map();
      this.results.set(group, bySym);
    }
    let byEvidence = bySym.get(sym);
    if (!byEvidence) {
      byEvidence = new Map();
      bySym.set(sym, byEvidence);
    }
    let r = byEvidence.get(evidence);
    if (!r) {
      r = compute();
      if (byEvidence.size >= PER_SYMBOL) {
        const oldest = byEvidence.keys().next();
        if (!oldest.done) byEvidence.delete(oldest.value);
      }
      byEvidence.set(evidence, r);
    }
    return r;
  }
}
