/**
 * What the rename/move guess (refactor.ts) keeps between matches of one binary, so that an edit
 * scores again only the candidates it changed. The guess for a missing symbol is the best-scoring
 * declaration; the declarations come in groups (a package, split by file). A group's best
 * candidates for a symbol depend on the group's entries, on the symbol's evidence (the
 * declarations its profile callers resolve to, the suggestions for its callees) and on which
 * declarations profile names claim: the cache keeps them per group, symbol and evidence, and
 * forgets everything when a changed package shares a declaration key with another declaration
 * (the claimed set could then move between them without the evidence showing it).
 *
 * A new line moves every declaration below it: the file's part is then a new list of new entries.
 * A part also keeps, per symbol and evidence, the position-independent part of each candidate's
 * score (`free`, by index; candidates that cannot score at any distance are absent); the next
 * version of the same file's part takes it over for every entry whose `shapeOf` is unchanged and
 * adds the position part again (refactor.ts).
 */
import { type FuncEntry, genericKey, splitSymbol } from '../source/index';

/** The best same-package and other-package candidates of one group for one symbol. */
export interface GroupBest<T, F = unknown> {
  same: T | null;
  other: T | null;
  /** Parts only: the position-independent scores of the part's candidates by index (absent: cannot score when far away). */
  free?: ReadonlyMap<number, F>;
}

/** A part's previous version (the same file): its cached results under the same symbol and evidence, and which entry was which. */
export interface Predecessor<F> {
  free: ReadonlyMap<number, F>;
  /** Index in the previous version of each entry of this one with the same shape, else -1. */
  map: Int32Array;
}

/** Evidence strings kept per group and symbol (a few passes each: suggestions change between passes). */
const PER_SYMBOL = 4;
/** Versions of a file's part kept for `predecessor` (the previous ones). */
const VERSIONS = 4;
/** Symbols and evidence whose per-group bests `bestOver` keeps before it starts again. */
const MAX_FOLDS = 1024;
/** Shape strings interned before the table starts again (old ids then only miss). */
const MAX_SHAPES = 100_000;

const shapes = new WeakMap<FuncEntry, string>();
/**
 * Everything of an entry that the rename score reads except its position (start line): symbol,
 * kind, file, extent, lines without code and its calls (offsets are relative to the start line).
 * Equal shapes score equally for the same symbol and evidence, wherever the entry starts.
 */
export function shapeOf(e: FuncEntry): string {
  let s = shapes.get(e);
  if (s === undefined) {
    const calls = e.calls.map(
      (c) => `${c.offset}\x01${c.wrapper ? 1 : 0}\x01${c.calleeSymbol ?? ''}\x01${c.kind}\x01${c.name ?? ''}\x01${c.dispatch}\x01${c.goDefer ?? ''}`,
    );
    s = [e.symbol, e.kind, e.file, e.relFile ?? '', e.endLine - e.startLine, e.noCode?.join(',') ?? '-', calls.join('\x02')].join('\x00');
    shapes.set(e, s);
  }
  return s;
}

let nextId = 1;

/** `shapeOf(a) === shapeOf(b)`, compared field by field (no strings built). */
export function sameShape(a: FuncEntry, b: FuncEntry): boolean {
  if (a === b) return true;
  if (a.symbol !== b.symbol || a.kind !== b.kind || a.file !== b.file || (a.relFile ?? '') !== (b.relFile ?? '')) return false;
  if (a.endLine - a.startLine !== b.endLine - b.startLine || a.calls.length !== b.calls.length) return false;
  const an = a.noCode;
  const bn = b.noCode;
  if (!an || !bn ? an !== bn : an.length !== bn.length || an.some((x, i) => x !== bn[i])) return false;
  return a.calls.every((c, i) => {
    const d = b.calls[i];
    return (
      !!d &&
      c.offset === d.offset &&
      !c.wrapper === !d.wrapper &&
      (c.calleeSymbol ?? '') === (d.calleeSymbol ?? '') &&
      c.kind === d.kind &&
      (c.name ?? '') === (d.name ?? '') &&
      c.dispatch === d.dispatch &&
      (c.goDefer ?? '') === (d.goDefer ?? '')
    );
  });
}

export class RefactorCache<T extends { score: number }> {
  private results = new WeakMap<object, Map<string, Map<string, GroupBest<T>>>>();
  /** Per symbol and evidence: the group list of the last `bestOver` and each group's best. */
  private folds = new Map<string, { list: GroupList; bests: GroupBest<T>[] }>();
  /** The group list before the current one, and the current one. */
  private lists: [GroupList | undefined, GroupList | undefined] = [undefined, undefined];
  /** Canonical part lists by their first entry: equal lists (same entries in order) are one object. */
  private readonly parts = new WeakMap<FuncEntry, readonly { entry: FuncEntry }[]>();
  /** Declaration keys → how many declarations have them, over the groups last seen. */
  private keyCount = new Map<string, number>();
  private seen = new Map<object, readonly string[]>();
  private readonly interned = new Map<string, number>();
  /** The part seen last per file, and each new part's previous versions (VERSIONS of them: older ones are let go). */
  private readonly lastByFile = new Map<string, readonly { entry: FuncEntry }[]>();
  private readonly previous = new WeakMap<object, readonly { entry: FuncEntry }[]>();
  private readonly maps = new WeakMap<object, WeakMap<object, Int32Array>>();
  private readonly shapeIds = new Map<string, number>();
  private readonly entryShape = new WeakMap<FuncEntry, number>();
  /** Each list's canonical object (`canonical`). */
  private readonly canon = new WeakMap<object, readonly { entry: FuncEntry }[]>();
  /** The claimed keys last asked about, and their id. */
  private lastClaimed: ReadonlySet<string> = new Set();
  private lastClaimedId = 0;
  /** Whether a key list has a key twice, per list. */
  private readonly dupKeys = new WeakMap<readonly string[], boolean>();

  /**
   * The canonical object for a list of entries: the one seen before when it holds the same
   * entries in the same order (so its cached results apply), else this one.
   */
  canonical<E extends { entry: FuncEntry }>(list: readonly E[]): readonly E[] {
    // a list asked again (a group is scored per symbol) has its answer: equal content, whatever was registered since
    const had = this.canon.get(list);
    if (had) return had as readonly E[];
    const c = this.register(list);
    this.canon.set(list, c);
    return c;
  }

  private register<E extends { entry: FuncEntry }>(list: readonly E[]): readonly E[] {
    const first = list[0];
    if (!first) return list;
    const old = this.parts.get(first.entry);
    if (old && old.length === list.length && old.every((x, i) => x.entry === list[i]?.entry)) return old as readonly E[];
    this.parts.set(first.entry, list);
    const file = `${splitSymbol(genericKey(first.entry.symbol)).prefix}\x00${first.entry.file}`;
    const before = this.lastByFile.get(file);
    if (before && before !== list) {
      this.previous.set(list, before);
      // keep VERSIONS older versions: an edit that goes back and forth brings back an older one's evidence
      let oldest: object | undefined = before;
      for (let d = 1; oldest && d < VERSIONS; d++) oldest = this.previous.get(oldest);
      if (oldest) this.previous.delete(oldest);
    }
    this.lastByFile.set(file, list);
    return list;
  }

  /** A number for the entry's shape (`shapeOf`), the same for equal shapes while the table lasts. */
  shapeId(e: FuncEntry | undefined): number {
    if (!e) return 0;
    let id = this.entryShape.get(e);
    if (id === undefined) {
      const s = shapeOf(e);
      id = this.shapeIds.get(s);
      if (id === undefined) {
        if (this.shapeIds.size >= MAX_SHAPES) this.shapeIds.clear();
        id = nextId++;
        this.shapeIds.set(s, id);
      }
      this.entryShape.set(e, id);
    }
    return id;
  }

  /**
   * The latest previous version of a canonical part (the same file) that has results for `sym`
   * under `evidence`: its position-independent scores and, per entry now, the entry it was.
   */
  predecessor<F>(part: readonly { entry: FuncEntry }[], sym: string, evidence: string): Predecessor<F> | undefined {
    let before = this.previous.get(part);
    let r: GroupBest<T> | undefined;
    while (before && !(r = this.results.get(before)?.get(sym)?.get(evidence))?.free) before = this.previous.get(before);
    if (!before || !r?.free) return undefined;
    let maps = this.maps.get(part);
    if (!maps) this.maps.set(part, (maps = new WeakMap()));
    let map = maps.get(before);
    if (!map) {
      const at = new Map<string, number>();
      before.forEach((x, i) => at.set(x.entry.symbol, i));
      map = Int32Array.from(part, (x) => {
        const j = at.get(x.entry.symbol) ?? -1;
        const old = before?.[j];
        return old && sameShape(old.entry, x.entry) ? j : -1;
      });
      maps.set(before, map);
    }
    return { free: r.free as ReadonlyMap<number, F>, map };
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
    const gone: (readonly string[])[] = [];
    const came: (readonly string[])[] = [];
    for (const [id, keys] of this.seen) if (!now.has(id)) gone.push(keys);
    for (const [id, keys] of now) if (!this.seen.has(id)) came.push(keys);
    if (gone.length === 0 && came.length === 0) return;
    for (let i = 0; i < Math.max(gone.length, came.length); i++) {
      const g = gone[i];
      const c = came[i];
      // a group replaced by one with the same keys in the same order (an edit inside its declarations): no count
      // changes, and it shares a key only with itself
      if (g && c && sameKeys(g, c)) {
        const d = this.dupKeys.get(g) ?? this.hasDup(c);
        this.dupKeys.set(c, d);
        if (d) shared = true;
        continue;
      }
      if (g) add(g, -1);
      if (c) add(c, 1);
    }
    for (const [k, d] of delta) {
      if (d === 0) continue; // the same declarations have the key before and after
      const before = this.keyCount.get(k) ?? 0;
      if (before > 1 || before + d > 1) shared = true;
      if (before + d > 0) this.keyCount.set(k, before + d);
      else this.keyCount.delete(k);
    }
    this.seen = new Map(now);
    if (shared) {
      this.results = new WeakMap();
      this.folds = new Map();
    }
  }

  private hasDup(keys: readonly string[]): boolean {
    let d = this.dupKeys.get(keys);
    if (d === undefined) {
      d = new Set(keys).size !== keys.length;
      this.dupKeys.set(keys, d);
    }
    return d;
  }

  /** A small number for the set of claimed declaration keys: equal sets have the same number while it is interned (`internal`). */
  claimedId(keys: readonly string[]): number {
    const set = new Set(keys);
    if (set.size === this.lastClaimed.size && [...set].every((k) => this.lastClaimed.has(k)) && this.lastClaimedId) return this.lastClaimedId;
    this.lastClaimed = set;
    this.lastClaimedId = this.internal([...set].sort().join('\n'));
    return this.lastClaimedId;
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

  /**
   * The best candidates over `groups` (in order; the first of equal scores wins) for `sym` under `evidence`:
   * each group's from `best` (`compute(group)` when not cached), where a group is the same object as at the
   * last call for this symbol and evidence, its best then, without asking the cache again.
   */
  bestOver<G extends { id: object }>(groups: readonly G[], sym: string, evidence: string, compute: (g: G) => GroupBest<T>): GroupBest<T> {
    const now = this.groupList(groups);
    const k = `${sym}\x00${evidence}`;
    const last = this.folds.get(k);
    // the bests of the last fold are indexed by the group list they were made with: the current one or the one before
    const before = last && (last.list === now ? now : last.list === this.lists[0] ? this.lists[0] : undefined);
    const bests: GroupBest<T>[] = [];
    const found: GroupBest<T> = { same: null, other: null };
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      let b = before && before.ids[i] === g.id ? last.bests[i] : undefined;
      b ??= this.best(g.id, sym, evidence, () => compute(g));
      bests.push(b);
      fold(found, b);
    }
    if (this.folds.size >= MAX_FOLDS && !last) this.folds.clear();
    this.folds.set(k, { list: now, bests });
    return found;
  }

  /**
   * The group list of a match as ids, the same object for the same list; the one before it is kept too, and
   * no older one, so the folds hold at most two lists of packages' indexes.
   */
  private groupList(groups: readonly { id: object }[]): GroupList {
    const cur = this.lists[1];
    if (cur && (cur.of === groups || (cur.ids.length === groups.length && groups.every((g, i) => cur.ids[i] === g.id)))) {
      cur.of = groups;
      return cur;
    }
    const list: GroupList = { of: groups, ids: groups.map((g) => g.id) };
    this.lists = [cur, list];
    return list;
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

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A match's groups by id, in order (`of`: the array last seen with these ids). */
interface GroupList {
  of: readonly { id: object }[];
  ids: readonly object[];
}

/** Folds `b` into `into`: a higher score replaces, an equal one does not. */
function fold<S extends { score: number }>(into: { same: S | null; other: S | null }, b: { same: S | null; other: S | null }): void {
  if (b.same && (!into.same || b.same.score > into.same.score)) into.same = b.same;
  if (b.other && (!into.other || b.other.score > into.other.score)) into.other = b.other;
}
