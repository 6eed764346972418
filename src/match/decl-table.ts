/**
 * A binary's declarations by key, kept between its matches and brought up to date per package
 * (issue #14: every match rebuilt them from every entry of every package, ~100k on cmd/compile).
 *
 * The tables (what `matchBinary` builds, in package order):
 * - `byKey`: key → the `Resolved` a profile name of that key resolves to (the last entry of the key,
 *   except that a variable initialiser never replaces an entry already under its raw symbol);
 * - `bySymbol`: key → the last entry of that key.
 *
 * `sync` updates in place only when the packages are the same objects in the same order, and then
 * per package whose index changed:
 * - the same symbols and kinds in the same order (an edit inside declarations, a new line): which
 *   position wins each key is unchanged, so a key changes only where its winner was replaced;
 * - otherwise its keys are deleted and its entries added again, which is exact when no other
 *   package has any of its keys or the raw symbols of its variable initialisers (its "names"),
 *   before or after: a package's contribution then depends on its own entries alone.
 * Else (a package came or went, or a changed package shares a name) it rebuilds both tables. `changedKeys` then lists what the last sync touched, with the entry each key
 * had before it, for the cost memo (cost-memo.ts).
 */
import { type FuncEntry, genericKey, type PackageIndex } from '../source/index';

/** What the tables need of a package (match.ts's IndexedPackage). */
export interface DeclPackage {
  index: PackageIndex;
}

export interface DeclRef<P> {
  pkg: P;
  entry: FuncEntry;
}

const namesCache = new WeakMap<PackageIndex, ReadonlySet<string>>();

export class DeclTable<P extends DeclPackage> {
  /** Updated in place by an update; new maps after a rebuild (so a holder of the old ones keeps what they said). */
  byKey = new Map<string, DeclRef<P>>();
  bySymbol = new Map<string, FuncEntry>();
  /** How many packages have each name (key or variable initialiser's raw symbol), each package once. */
  private owners = new Map<string, number>();
  private packages: ReadonlyArray<readonly [P, PackageIndex]> = [];
  private changed: Map<string, FuncEntry | undefined> | null = null;
  /** Changes whenever the set of keys may have changed (a positional update keeps the keys, replacing only what they hold). */
  keySetVersion = 0;
  /** How many syncs rebuilt the tables and how many updated them in place (tests read this). */
  readonly counts = { rebuilt: 0, updated: 0, positional: 0 };

  constructor(
    private readonly keysOf: (ix: PackageIndex) => readonly string[],
    private readonly refsOf: (pkg: P) => readonly DeclRef<P>[],
  ) {}

  /** Brings the tables to `pkgs` (in match order). */
  sync(pkgs: readonly P[]): void {
    const edited = this.editedPackages(pkgs);
    if (edited && edited.every(([p, before]) => sameLayout(before, p.index) || this.ownsAlone(p.index, before))) this.update(edited);
    else this.rebuild(pkgs);
    this.packages = pkgs.map((p) => [p, p.index] as const);
  }

  /** The keys the last sync changed, each with the entry `byKey` had for it before; null when it rebuilt everything (any key may have changed). */
  changedKeys(): ReadonlyMap<string, FuncEntry | undefined> | null {
    return this.changed;
  }

  /** The packages whose index changed since the last sync, with their index then (the same package list otherwise), or null. */
  private editedPackages(pkgs: readonly P[]): Array<readonly [P, PackageIndex]> | null {
    if (pkgs.length !== this.packages.length || this.packages.length === 0) return null;
    const out: Array<readonly [P, PackageIndex]> = [];
    for (let i = 0; i < pkgs.length; i++) {
      const was = this.packages[i]!;
      const p = pkgs[i]!;
      if (was[0] !== p) return null;
      if (was[1] !== p.index) out.push([p, was[1]]);
    }
    return out;
  }

  /** Whether a package alone has each of its names, with its index now and before (the counts still hold `before`'s names). */
  private ownsAlone(now: PackageIndex, before: PackageIndex): boolean {
    const old = this.namesOf(before);
    for (const n of old) if (this.owners.get(n) !== 1) return false;
    for (const n of this.namesOf(now)) if (!old.has(n) && this.owners.has(n)) return false;
    return true;
  }

  private namesOf(ix: PackageIndex): ReadonlySet<string> {
    let names = namesCache.get(ix);
    if (!names) {
      const set = new Set(this.keysOf(ix));
      for (const e of ix.funcs) if (e.kind === 'varinit') set.add(e.symbol);
      names = set;
      namesCache.set(ix, names);
    }
    return names;
  }

  private update(edited: ReadonlyArray<readonly [P, PackageIndex]>): void {
    const changed = new Map<string, FuncEntry | undefined>();
    for (const [pkg, before] of edited) {
      if (sameLayout(before, pkg.index)) {
        this.updatePositions(pkg, before, changed);
        continue;
      }
      this.keySetVersion++;
      for (const n of this.namesOf(before)) {
        if (!changed.has(n)) changed.set(n, this.byKey.get(n)?.entry);
        this.byKey.delete(n);
        this.bySymbol.delete(n);
        this.owners.delete(n);
      }
      for (const k of this.keysOf(pkg.index)) if (!changed.has(k)) changed.set(k, undefined);
      this.add(pkg);
    }
    this.changed = changed;
    this.counts.updated++;
  }

  /**
   * The same symbols and kinds in the same order (an edit inside declarations, lines moved): the
   * entry that wins each key is at the same position as before, in whichever package, so only the
   * keys whose winner was one of this package's replaced entries change.
   */
  private updatePositions(pkg: P, before: PackageIndex, changed: Map<string, FuncEntry | undefined>): void {
    const refs = this.refsOf(pkg);
    const keys = this.keysOf(pkg.index);
    for (let i = 0; i < refs.length; i++) {
      const was = before.funcs[i];
      const r = refs[i]!;
      if (was === r.entry) continue;
      const k = keys[i] ?? genericKey(r.entry.symbol);
      if (this.byKey.get(k)?.entry === was) {
        if (!changed.has(k)) changed.set(k, was);
        this.byKey.set(k, r);
      }
      if (this.bySymbol.get(k) === was) this.bySymbol.set(k, r.entry);
    }
    this.counts.positional++;
  }

  private rebuild(pkgs: readonly P[]): void {
    this.keySetVersion++;
    this.byKey = new Map();
    this.bySymbol = new Map();
    this.owners = new Map();
    for (const p of pkgs) this.add(p);
    this.changed = null;
    this.counts.rebuilt++;
  }

  /** A package's entries, in order, after those of the packages before it. */
  private add(pkg: P): void {
    const keys = this.keysOf(pkg.index);
    const refs = this.refsOf(pkg);
    for (let i = 0; i < refs.length; i++) {
      const r = refs[i]!;
      const k = keys[i] ?? genericKey(r.entry.symbol);
      if (r.entry.kind !== 'varinit' || !this.byKey.has(r.entry.symbol)) this.byKey.set(k, r);
      this.bySymbol.set(k, r.entry);
    }
    for (const n of this.namesOf(pkg.index)) this.owners.set(n, (this.owners.get(n) ?? 0) + 1);
  }
}

/** Whether two indexes of a package have the same symbols and kinds in the same order. */
function sameLayout(a: PackageIndex, b: PackageIndex): boolean {
  if (a.funcs.length !== b.funcs.length) return false;
  for (let i = 0; i < a.funcs.length; i++) {
    const x = a.funcs[i]!;
    const y = b.funcs[i]!;
    if (x !== y && (x.symbol !== y.symbol || x.kind !== y.kind)) return false;
  }
  return true;
}
