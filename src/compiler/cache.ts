/**
 * Caches of compiler decisions. No disk, no clock: the caller supplies the hashes.
 *
 * An entry is keyed by what the whole build depends on (Go version, profile hash, main package,
 * variant such as `pgo`/`off`, go.mod/go.sum hash) and records the source hash of every workspace
 * package the build compiled (the main package's transitive dependencies inside the workspace).
 * It is valid while every one of those hashes is unchanged and no package was added or dropped.
 * Editing one package invalidates exactly the entries whose builds compiled it: an edit to
 * `cmd/digest` leaves `cmd/wordfreq`'s entry alone, an edit to a shared library package drops
 * both.
 */
import type { CompilerDecisions, JsonFile } from './decisions';
import { NameIndexers } from './function-names';

export interface DecisionCacheKey {
  goVersion: string;
  profileHash: string;
  mainPackage: string;
  /** e.g. `pgo` or `off`, plus anything else that changes the build (flags). */
  variant: string;
  /** go.mod / go.sum / go.work contents of the modules involved. */
  modHash: string;
}

export interface CacheEntry<T> {
  key: DecisionCacheKey;
  /** import path → source hash, for every workspace package the build compiled. */
  deps: Record<string, string>;
  value: T;
}

export type Lookup<T> = { hit: true; value: T } | { hit: false; why: 'absent' | 'stale'; changed: string[] };

const keyString = (k: DecisionCacheKey): string => JSON.stringify([k.goVersion, k.profileHash, k.mainPackage, k.variant, k.modHash]);

export class DecisionCache<T> {
  private readonly entries = new Map<string, CacheEntry<T>>();

  constructor(private readonly maxEntries = 16) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached value if the entry exists and every dependency's hash equals `current`
   * (import path → hash of the packages the build would compile now).
   */
  get(key: DecisionCacheKey, current: Record<string, string>): Lookup<T> {
    const k = keyString(key);
    const e = this.entries.get(k);
    if (!e) return { hit: false, why: 'absent', changed: [] };
    const changed = changedPackages(e.deps, current);
    if (changed.length) {
      this.entries.delete(k);
      return { hit: false, why: 'stale', changed };
    }
    // LRU: re-insert as newest
    this.entries.delete(k);
    this.entries.set(k, e);
    return { hit: true, value: e.value };
  }

  set(key: DecisionCacheKey, deps: Record<string, string>, value: T): void {
    const k = keyString(key);
    this.entries.delete(k);
    this.entries.set(k, { key, deps: { ...deps }, value });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Drops the entries whose builds compiled `importPath` (e.g. after a save in that package); returns how many. */
  invalidatePackage(importPath: string): number {
    let n = 0;
    for (const [k, e] of this.entries) {
      if (Object.prototype.hasOwnProperty.call(e.deps, importPath)) {
        this.entries.delete(k);
        n++;
      }
    }
    return n;
  }

  /** Drops entries that depend on a package whose hash differs from `current` (packages absent from `current` are not judged). */
  invalidateChanged(current: Record<string, string>): number {
    let n = 0;
    for (const [k, e] of this.entries) {
      const stale = Object.keys(current).some((p) => Object.prototype.hasOwnProperty.call(e.deps, p) && e.deps[p] !== current[p]);
      if (stale) {
        this.entries.delete(k);
        n++;
      }
    }
    return n;
  }

  clear(): void {
    this.entries.clear();
  }

  /** Plain data (to persist or send across a worker boundary). */
  toJSON(): Array<CacheEntry<T>> {
    return [...this.entries.values()];
  }

  static fromJSON<T>(entries: Array<CacheEntry<T>>, maxEntries = 16): DecisionCache<T> {
    const c = new DecisionCache<T>(maxEntries);
    for (const e of entries) c.set(e.key, e.deps, e.value);
    return c;
  }
}

/** Packages whose hash differs, that were added, or that were removed (sorted). */
export function changedPackages(before: Record<string, string>, now: Record<string, string>): string[] {
  const out = new Set<string>();
  for (const [p, h] of Object.entries(before)) if (now[p] !== h) out.add(p);
  for (const p of Object.keys(now)) if (!Object.prototype.hasOwnProperty.call(before, p)) out.add(p);
  return [...out].sort();
}

/**
 * One package's compile results (its JSON lines and parsed decisions) in memory, keyed by the go
 * command's action ID of that compile (a hash of everything the compile depends on: a compile
 * with the same action ID prints and writes the same). Least recently used entries go first.
 */
export class PackageResults<T = { json: JsonFile[]; decisions: CompilerDecisions }> {
  private readonly entries = new Map<string, T>();
  /** The source indexes that named the compiled packages' closures, kept for the next confirmation (function-names.ts). */
  readonly nameIndexers = new NameIndexers();

  constructor(private readonly maxEntries = 4096) {}

  get size(): number {
    return this.entries.size;
  }

  get(pkg: string, actionId: string): T | undefined {
    const k = `${pkg}\0${actionId}`;
    const v = this.entries.get(k);
    if (v === undefined) return undefined;
    this.entries.delete(k);
    this.entries.set(k, v);
    return v;
  }

  set(pkg: string, actionId: string, value: T): void {
    const k = `${pkg}\0${actionId}`;
    this.entries.delete(k);
    this.entries.set(k, value);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}
