/**
 * A process-wide cache of what is made from packages outside the workspace that Go itself never
 * changes under us: GOROOT/src and the module cache (which Go makes read-only). It holds the
 * descriptions importers use (`createSourceResolver`) and the universe's package indexes
 * (`createUniverse`), so every WorkspaceModel of a process (the worker across re-opens and window
 * reloads, tests running in one process) reads and indexes the standard library once.
 *
 * Validity:
 * - An entry is keyed by kind, directory, import path, build context and Go environment, and
 *   carries a stamp of its directory's `.go` files (names, sizes, mtimes, ctimes) taken before it
 *   was read. What it resolved (lazily, later too) is recorded: the entries its imports came
 *   from are its dependencies; an import that did not come from the cache (a directory that is
 *   not cacheable, or none) makes it impure, and it leaves the cache (its holder keeps it, as
 *   without the cache).
 * - A lookup takes an entry whose stamp and whose dependencies' stamps (transitively) still hold,
 *   else rebuilds it. Stamps are taken once per epoch; every open starts one
 *   (`beginOutsideEpoch`), so a model reads outside packages as of its open, as without the cache.
 * - Workspace folders are excluded (`excludeWorkspaceRoots`, called by every open): nothing under
 *   them is taken from a cache, and entries under them or depending on them are dropped. Roots are
 *   only ever added (conservative: a folder opened once is never cached again in this process).
 *
 * Bounded: least recently used entries go first beyond `maxChars` source characters read or
 * `maxEntries` entries (defaults: 48 Mi characters, 2048 entries).
 *
 * Reads the disk (like packages.ts): not for index.ts.
 */
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { BuildContext } from './build-tags';
import { hash53 } from './hash';

/** The Go environment facts a cached entry depends on (a subset of `GoEnvInfo`). */
export interface CacheEnv {
  goroot?: string;
  gomodcache?: string;
  goVersion?: string;
}

/** What a cached entry depends on: another entry (opaque to callers). */
export interface CacheDep {
  readonly dir: string;
}

/**
 * Called by a resolver working for an entry for each import it resolves: with the entry that
 * import came from, or null when it did not come from a cache (not cacheable, no directory).
 */
export type DepRecorder = (dep: CacheDep | null) => void;

export interface CacheStats {
  hits: number;
  misses: number;
  /** Lookups that found an entry whose files, or whose dependencies' files, changed. */
  stale: number;
  /** Entries dropped for the size bound. */
  evicted: number;
  /** Entries dropped because they resolved something not cacheable, or for an excluded root. */
  dropped: number;
  entries: number;
  chars: number;
}

interface Entry extends CacheDep {
  key: string;
  stamp: string;
  value: unknown;
  chars: number;
  deps: Set<Entry>;
  pure: boolean;
  /** The epoch of the last validation, and its outcome. */
  checked: number;
  ok: boolean;
}

export interface OutsideCacheOptions {
  maxChars?: number;
  maxEntries?: number;
}

/**
 * Measured: the descriptions and indexes of the 94 outside packages the interp and textproc
 * fixtures use are 9.5 Mi source characters and retain 41 MB of heap (about 4.4 bytes a
 * character); a prioritised open of a GOROOT/src copy at ssa/regalloc.go (cmd/compile's profile)
 * uses 241 entries of 29.6 Mi characters (16 Mi thrashed: 553 evictions in one open). This bound
 * holds that working set with room; most of it is also held by the open model itself.
 */
export const OUTSIDE_CACHE_MAX_CHARS = 48 * 1024 * 1024;
export const OUTSIDE_CACHE_MAX_ENTRIES = 2048;

export class OutsideIndexCache {
  readonly maxChars: number;
  readonly maxEntries: number;
  /** Insertion order is recency: a hit moves the entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private chars = 0;
  private readonly counts = { hits: 0, misses: 0, stale: 0, evicted: 0, dropped: 0 };
  /** Directory stamps are taken once per epoch (`revalidate` starts a new one). */
  private epoch = 1;
  private readonly stamps = new Map<string, string>();

  constructor(opts: OutsideCacheOptions = {}) {
    this.maxChars = opts.maxChars ?? OUTSIDE_CACHE_MAX_CHARS;
    this.maxEntries = opts.maxEntries ?? OUTSIDE_CACHE_MAX_ENTRIES;
  }

  /** Whether `dir` is under GOROOT/src or the module cache of `env`, and under no workspace folder of this process. */
  cacheable(dir: string, env: CacheEnv): boolean {
    const inGo = (!!env.goroot && isWithin(path.join(env.goroot, 'src'), dir)) || (!!env.gomodcache && isWithin(env.gomodcache, dir));
    if (!inGo) return false;
    for (const r of workspaceRoots) if (isWithin(r, dir)) return false;
    return true;
  }

  /**
   * Starts a new epoch: the next lookups take the directories' stamps again (within an epoch a
   * directory is stamped once, so a model reads outside packages as of its open, as it would
   * without the cache).
   */
  revalidate(): void {
    this.epoch++;
    this.stamps.clear();
  }

  /**
   * The cached value for (kind, dir, sub) in ctx/env, or `build`'s (cached when it gives one),
   * with the entry to record as a dependency (null when not cached). `build` gets the recorder
   * its resolvers report imports to, and answers with the value and the source characters it
   * read (its size), or undefined (nothing). Callers check `cacheable(dir, env)` first.
   */
  lookup<T>(
    kind: string,
    dir: string,
    sub: string,
    ctx: BuildContext,
    env: CacheEnv,
    build: (record: DepRecorder) => { value: T; chars: number } | undefined,
  ): { value: T; dep: CacheDep | null } | undefined {
    const key = cacheKey(kind, dir, sub, ctx, env);
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      if (this.valid(old, new Set())) {
        this.entries.set(key, old);
        this.counts.hits++;
        return { value: old.value as T, dep: old };
      }
      this.chars -= old.chars;
      this.counts.stale++;
    }
    this.counts.misses++;
    const stamp = this.stampOf(dir); // before reading: a change while building shows next time
    const entry: Entry = { key, dir, stamp, value: undefined, chars: 0, deps: new Set(), pure: stamp !== '', checked: this.epoch, ok: true };
    const record: DepRecorder = (dep) => {
      if (!entry.pure) return;
      if (dep) entry.deps.add(dep as Entry);
      else {
        entry.pure = false;
        this.drop(entry);
      }
    };
    const made = build(record);
    if (!made) return undefined;
    entry.value = made.value;
    entry.chars = made.chars;
    if (!entry.pure) return { value: made.value, dep: null };
    this.entries.set(key, entry);
    this.chars += entry.chars;
    this.shrink();
    return { value: made.value, dep: entry };
  }

  /** Drops the entries under `roots` and the entries that depend on those (transitively). */
  dropUnder(roots: readonly string[]): void {
    const under = roots.map((r) => path.resolve(r));
    const lost = (e: Entry, seen: Set<Entry>): boolean => {
      if (seen.has(e)) return false;
      seen.add(e);
      return under.some((r) => isWithin(r, e.dir)) || [...e.deps].some((d) => lost(d, seen));
    };
    for (const e of [...this.entries.values()]) if (lost(e, new Set())) this.drop(e);
  }

  stats(): CacheStats {
    return { ...this.counts, entries: this.entries.size, chars: this.chars };
  }

  clear(): void {
    this.entries.clear();
    this.chars = 0;
    this.revalidate();
  }

  /** Pure, its files unchanged and so its dependencies, checked once per epoch (a cycle counts as valid while it is being checked). */
  private valid(e: Entry, busy: Set<Entry>): boolean {
    if (!e.pure) return false;
    if (e.checked === this.epoch) return e.ok;
    if (busy.has(e)) return true;
    busy.add(e);
    let ok = this.stampOf(e.dir) === e.stamp;
    for (const d of e.deps) if (ok && !this.valid(d, busy)) ok = false;
    busy.delete(e);
    e.checked = this.epoch;
    e.ok = ok;
    return ok;
  }

  private stampOf(dir: string): string {
    let s = this.stamps.get(dir);
    if (s === undefined) this.stamps.set(dir, (s = dirStamp(dir)));
    return s;
  }

  private drop(e: Entry): void {
    if (this.entries.get(e.key) !== e) return;
    this.entries.delete(e.key);
    this.chars -= e.chars;
    this.counts.dropped++;
  }

  private shrink(): void {
    for (const e of this.entries.values()) {
      if (this.chars <= this.maxChars && this.entries.size <= this.maxEntries) break;
      this.entries.delete(e.key);
      this.chars -= e.chars;
      this.counts.evicted++;
    }
  }
}

/** The stamp of a directory's `.go` files: names, sizes, mtimes and ctimes ('' when it cannot be read: never cached). */
export function dirStamp(dir: string): string {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.go'))
      .sort();
  } catch {
    return '';
  }
  const parts: string[] = [];
  for (const n of names) {
    const st = statSync(path.join(dir, n), { throwIfNoEntry: false });
    parts.push(st ? `${n}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}` : `${n}\0-`);
  }
  return hash53(parts.join('\n'));
}

function cacheKey(kind: string, dir: string, sub: string, ctx: BuildContext, env: CacheEnv): string {
  const c = [ctx.goos, ctx.goarch, ctx.cgo, ctx.tags.join(','), ctx.goMinor, ctx.tests, ctx.toolTags?.join(',') ?? '-'].join('|');
  return [kind, dir, sub, c, env.goroot ?? '', env.gomodcache ?? '', env.goVersion ?? ''].join('\0');
}

function isWithin(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Workspace folders opened in this process: never cached (only ever added: conservative). */
const workspaceRoots = new Set<string>();

/**
 * Workspace folders (every open calls it): nothing under them is cached by any cache of this
 * process from now on, and the process-wide cache drops what it holds under them or made from them.
 */
export function excludeWorkspaceRoots(roots: readonly string[]): void {
  const fresh = roots.map((r) => path.resolve(r)).filter((r) => !workspaceRoots.has(r));
  if (!fresh.length) return;
  for (const r of fresh) workspaceRoots.add(r);
  processCache?.dropUnder(fresh);
}

/** Every open: its workspace folders are excluded, and the process-wide cache starts a new epoch (its entries' files are stamped again). */
export function beginOutsideEpoch(folders: readonly string[]): void {
  excludeWorkspaceRoots(folders);
  processCache?.revalidate();
}

let processCache: OutsideIndexCache | null = new OutsideIndexCache();

/** The cache every resolver and universe of this process uses unless given another (null: none). */
export function processOutsideCache(): OutsideIndexCache | null {
  return processCache;
}

/** Replaces the process-wide cache (null: none, e.g. to compare a model built without it); returns the one before. */
export function setProcessOutsideCache(cache: OutsideIndexCache | null): OutsideIndexCache | null {
  const before = processCache;
  processCache = cache;
  return before;
}
