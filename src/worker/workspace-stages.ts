/**
 * Opening the workspace: discovery (`go list`, the profile scan), loading the binaries' profiles,
 * and the stages of a prioritised open (heat first, then 'match', 'hot' and 'all').
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanStaleTemps } from '../platform/safe-write';
import { defaultBuildContext } from '../source/index';
import { goEnv, goEnvFromProcess } from '../source/packages';
import { isDeclarationsFirst } from '../source/declarations-first';
import { beginOutsideEpoch } from '../source/index-cache';
import { hotPackageDirs, type ListedPackage, scanWorkspace } from '../source/go-list';
import { indexDirs, type IndexedTreePackage, indexTreeDetailed } from '../source/symbols';
import { MatchCache } from '../match/match';
import { cmp } from '../match/file-view';
import { ProfileHistory } from '../match/git-history';
import type { WorkspaceSummary } from './protocol';
import { WorkspaceMatching } from './workspace-matching';
import { type Binary, type OpenOptions, type Pending, type Pkg, newPkg, listedUnder, loadProfileData } from './workspace-data';

export abstract class WorkspaceStages extends WorkspaceMatching {
  async open(opts: OpenOptions): Promise<WorkspaceSummary> {
    if (!(opts.thresholdPercent >= 0 && opts.thresholdPercent <= 100))
      throw new RangeError(`invalid thresholdPercent ${opts.thresholdPercent}: must be between 0 and 100`);
    this.t0 = performance.now();
    this.threshold = opts.thresholdPercent;
    this.trusted = opts.trusted !== false;
    this.history = opts.history !== false;
    this.override = opts.profileOverride ? path.resolve(opts.profileOverride) : undefined;
    this.ge = (await goEnv()) ?? goEnvFromProcess();
    this.ctx = defaultBuildContext({ goos: this.ge.goos, goarch: this.ge.goarch, cgo: false, tags: [] });
    this.folders = [...new Set(opts.folders.map((f) => path.resolve(f)))];
    beginOutsideEpoch(this.folders); // outside packages are stamped again; workspace packages are never taken from that cache
    this.packages = new Map();
    this.onDemand = new Map();
    this.shared = new Map();
    this.universes = new Map();
    this.binaries = [];
    this.loads = new Map();
    // Prioritised: the open files' packages and the main packages with a profile first (an
    // override applies to every main package, which only the whole listing finds).
    if (opts.openFiles && !this.override) return this.openFirst(opts.openFiles);
    await this.indexAll();
    return this.summary();
  }

  /** Whether `open` returned before the whole workspace was indexed (`complete` finishes it). */
  get partial(): boolean {
    return this.pending !== null;
  }

  /**
   * Finishes a prioritised open: 'hot' indexes the packages of the profiles' hot callers and
   * callees and re-matches (still partial); 'all' lists and indexes every package and ends
   * exactly as a full `open` does. A finished model answers at once.
   */
  async complete(stage: 'match' | 'hot' | 'all' = 'all'): Promise<WorkspaceSummary> {
    const p = this.pending;
    if (!p) return this.summary();
    if (stage === 'match') {
      // the first stage answered heat only: decisions and lenses need the match (full indexes, callee costs)
      if (!p.hot) for (const b of this.binaries) if (!this.matchStands(b)) this.rematch(b);
    } else if (stage === 'hot') {
      p.hot ??= this.indexHot(p);
      await p.hot;
    } else {
      p.all ??= (async () => {
        await this.indexAll();
        for (const pkg of this.packages.values()) if (isDeclarationsFirst(pkg.index)) this.fullIndex(pkg);
        this.pending = null;
      })();
      await p.all;
    }
    return this.summary();
  }

  /** Every package of every folder (`go list ./...` per folder), then the binaries, matches, history and closure copies. */
  protected async indexAll(): Promise<void> {
    this.savesDuringPass = new Set();
    const trees: Array<{ folder: string; listed: ListedPackage[]; indexed: Map<string, IndexedTreePackage> }> = [];
    for (const folder of this.folders) {
      let listed: ListedPackage[] = [];
      // A package indexed first (and perhaps edited since) is not read again.
      const select = (all: ListedPackage[]): ListedPackage[] => {
        listed = all;
        return all.filter((p) => this.packages.get(p.dir)?.folder !== folder);
      };
      try {
        // In an untrusted workspace no go command runs there (go.mod could name a toolchain to download).
        const tree = await indexTreeDetailed(folder, { useGoList: this.trusted }, select);
        trees.push({ folder, listed, indexed: new Map(tree.packages.map((p) => [p.dir, p])) });
      } catch {
        // a folder that vanished or cannot be read has no packages
      }
    }
    // The full listing's packages in its order: those indexed first are kept as they are.
    const before = this.packages;
    const fresh = new Set<Pkg>();
    this.packages = new Map();
    for (const { folder, listed, indexed } of trees)
      for (const { dir } of listed) {
        if (this.packages.has(dir)) continue; // nested folders: first one wins
        const old = before.get(dir);
        const p = indexed.get(dir);
        const pkg = old && old.folder === folder ? old : p ? newPkg(p, folder) : undefined;
        if (!pkg) continue; // no readable file
        if (pkg !== old) fresh.add(pkg);
        this.packages.set(dir, pkg);
      }
    for (const dir of this.packages.keys()) this.onDemand.delete(dir);
    // A file saved while the folders were listed may have been read before the save, and its
    // package was not in the model yet to take the save: such a package is read again.
    const saves = this.savesDuringPass;
    this.savesDuringPass = null;
    for (const pkg of new Set([...saves].map((f) => this.packages.get(path.dirname(f)))))
      if (pkg && fresh.has(pkg))
        this.rereadSaved(
          pkg,
          [...saves].filter((f) => path.dirname(f) === pkg.dir),
        );
    const saved = this.applyOverlays(fresh);
    await this.loadBinaries();
    // A binary whose match covers none of the packages this pass added (and whose packages kept their order and indexes) keeps it.
    for (const b of this.binaries) if (!this.matchStands(b)) this.rematch(b);
    // Temporary files a killed write left next to the profiles (a trusted workspace only: removing is writing).
    if (this.trusted) for (const dir of new Set(this.binaries.map((b) => path.dirname(b.profilePath)))) await cleanStaleTemps(dir);
    // Git history of each profile, for the files its functions resolve to (git runs only when trusted).
    if (this.trusted && this.history) {
      for (const b of this.binaries) {
        if (!b.match || !b.data) continue;
        const files = [...b.match.resolved.values()].map((r) => path.join(r.pkg.dir, r.entry.file));
        b.history = await ProfileHistory.load(b.profilePath, files);
        if (typeof b.history !== 'string' && b.history.differs(this.overlays)) this.rematch(b);
        else this.updateChanged(b);
      }
    } else if (!this.trusted) for (const b of this.binaries) b.history = 'git is not run in an untrusted workspace';
    this.locateCopies(saved);
    this.lastMillis = performance.now() - this.t0;
  }

  /**
   * The first stage of a prioritised open: the open files' packages (only the open files' bodies
   * walked: declarations-first.ts) and the directories holding a default.pgo. It answers heat;
   * the match (decisions, lenses) waits for `complete`.
   */
  protected async openFirst(openFiles: string[]): Promise<WorkspaceSummary> {
    const openDirs = [...new Set(openFiles.map((f) => path.dirname(path.resolve(f))))];
    const pending: Pending = { profileDirs: new Map(), openDirs };
    this.pending = pending;
    const walkOnly = new Map<string, Set<string>>();
    for (const f of openFiles) walkOnly.set(path.dirname(path.resolve(f)), (walkOnly.get(path.dirname(path.resolve(f))) ?? new Set()).add(path.basename(f)));
    for (const folder of this.folders) {
      const profileDirs = scanWorkspace(folder, undefined, true).profileDirs;
      pending.profileDirs.set(folder, profileDirs);
      for (const d of profileDirs) if (!walkOnly.has(d)) walkOnly.set(d, new Set()); // a main package's bodies: for the match
      await this.indexSome(folder, [...openDirs.filter((d) => listedUnder(folder, d)), ...profileDirs], walkOnly);
    }
    await this.loadBinaries();
    this.lastMillis = performance.now() - this.t0;
    return this.summary();
  }

  /** The second stage: the packages of the hot callers and callees, then a re-match. */
  protected async indexHot(p: Pending): Promise<void> {
    for (const folder of this.folders) {
      const names = new Set<string>();
      for (const b of this.binaries)
        if (b.folder === folder)
          for (const e of b.data?.hot.hotEdges ?? []) {
            names.add(e.caller);
            names.add(e.callee);
          }
      if (!names.size) continue;
      const hints = [...p.openDirs, ...(p.profileDirs.get(folder) ?? [])];
      await this.indexSome(folder, hotPackageDirs(folder, names, hints));
    }
    // A binary whose match covers none of the packages indexed here keeps it.
    for (const b of this.binaries) if (!this.matchStands(b)) this.rematch(b);
    this.lastMillis = performance.now() - this.t0;
  }

  /** Indexes the packages in `dirs` (under folder) not indexed yet, as packages of folder. */
  protected async indexSome(folder: string, dirs: string[], walkOnly?: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
    const want = [...new Set(dirs)].filter((d) => !this.packages.has(d));
    if (!want.length) return;
    let tree: IndexedTreePackage[];
    try {
      tree = (await indexDirs(folder, want, { useGoList: this.trusted, ...(walkOnly ? { walkOnly } : {}) })).packages;
    } catch {
      return; // the whole listing later reports what it can
    }
    const fresh = new Set<Pkg>();
    for (const p of tree) {
      if (this.packages.has(p.dir)) continue;
      const pkg = newPkg(p, folder);
      this.packages.set(p.dir, pkg);
      this.onDemand.delete(p.dir);
      fresh.add(pkg);
    }
    this.locateCopies(this.applyOverlays(fresh));
  }

  /** Binaries: main packages with a default.pgo next to them, or all of them with an override (a binary already loaded is kept). */
  protected async loadBinaries(): Promise<void> {
    const methods = new Map<string, number>();
    for (const p of this.packages.values()) methods.set(p.method, (methods.get(p.method) ?? 0) + 1);
    this.pathMethod =
      [...methods]
        .sort((a, b) => b[1] - a[1])
        .map(([m]) => m)
        .join(', ') || 'unknown';
    const before = this.binaries;
    // Built aside and put in place at once: requests may run while a profile loads.
    const binaries: Binary[] = [];
    for (const pkg of [...this.packages.values()].sort((a, b) => cmp(a.dir, b.dir))) {
      if (pkg.symbolPath !== 'main' || pkg.folder === null) continue;
      const profilePath = this.override ?? path.join(pkg.dir, 'default.pgo');
      const old = before.find((b) => b.mainDir === pkg.dir && b.profilePath === profilePath && b.folder === pkg.folder);
      if (old) {
        binaries.push(old);
        continue;
      }
      if (!this.override && !fs.existsSync(profilePath)) continue; // -pgo=auto: no default.pgo, no PGO
      let load = this.loads.get(profilePath);
      if (!load) {
        load = loadProfileData(profilePath, this.threshold);
        this.loads.set(profilePath, load);
      }
      const res = await load;
      const isData = 'profile' in res;
      binaries.push({
        id: pkg.dir,
        folder: pkg.folder,
        mainDir: pkg.dir,
        mainPackage: pkg.importPath,
        profilePath,
        data: isData ? res : null,
        error: isData ? null : res,
        match: null,
        basis: null,
        external: new Map(),
        history: null,
        changed: [],
        confirm: null,
        cache: new MatchCache(),
      });
    }
    this.binaries = binaries;
  }
}
