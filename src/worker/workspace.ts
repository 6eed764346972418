/**
 * The worker's model of the open workspace: every Go package under the workspace folders (each
 * with its incremental `PackageIndexer`), the binaries (main packages with a profile), their
 * loaded profiles and the match of each profile against the source. Editor edits re-index one
 * package and re-match only the binaries built from it.
 *
 * Everything returned is plain data (no Maps, no class instances): it crosses the thread
 * boundary by structured clone. The per-file view and the binary lists are built by pure code in
 * `src/match/` (file-view.ts, binary-lists.ts) from what this model holds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProfileFile } from '../pgo/load';
import { cleanStaleTemps, writeFileSafe } from '../platform/safe-write';
import { readRegularFile } from '../platform/safe-read';
import { MAX_PROFILE_FILE_BYTES } from '../profile/inflate';
import { changesReport, diffProfiles, type ProfileChanges } from '../refresh/changes';
import { type MergeInput, type MergeOptions, mergeProfiles } from '../refresh/merge';
import { validateForCompiler } from '../refresh/validate';
import { topOrder } from '../pgo/flatcum';
import { profileTotal } from '../pgo/percent';
import { emptyProfile, hotSet, type HotSet, type PgoProfile } from '../pgo/model';
import { isProfileError } from '../profile/errors';
import { type DetailsQuery, queryRows, type QueryRow } from './details-query';
import { UserError } from './errors';
import { restoreProfileBackup, rewriteProfileFile } from './profile-writes';
import { ConfirmState } from './confirm';
import { compareWithCompiler, predictionsFromMatch } from '../compiler/agreement';
import type { PgoChange } from '../compiler/changes';
import type { Confirmed } from '../compiler/confirm';
import { lex, type TokenStream } from '../source/lexer';
import {
  type BuildContext,
  defaultBuildContext,
  type FuncEntry,
  fileIncluded,
  headerInfo,
  type PackageIndex,
  PackageIndexer,
  splitSymbol,
} from '../source/index';
import type { ExternalPackage } from '../source/package-env';
import { createSourceResolver, escapeModulePath, goEnv, goEnvFromProcess, type GoEnvInfo, inferPackagePath, readPackageFiles } from '../source/packages';
import { createUniverse, type Universe } from '../source/universe';
import { isDeclarationsFirst } from '../source/declarations-first';
import { beginOutsideEpoch } from '../source/index-cache';
import { hotPackageDirs, type ListedPackage, scanWorkspace } from '../source/go-list';
import { indexDirs, type IndexedTreePackage, indexTreeDetailed } from '../source/symbols';
import { type BinaryMatch, MatchCache, matchBinary } from '../match/match';
import { basisOf, basisStands, type MatchBasis, sameForMatching } from './match-basis';
import { devirtualizationRows, hotCallSites, hottestFunctions, type Located } from '../match/binary-lists';
import { closureCopies, cmp, entryFor, fileHeat } from '../match/file-view';
import { profileData, type ProfileData } from '../match/profile-data';
import { ProfileHistory } from '../match/git-history';
import type { FileHistory } from '../match/history';
import type {
  BinaryDetails,
  BinarySummary,
  ChangedFunctionInfo,
  ConfirmSummary,
  FileView,
  MainPackageInfo,
  RefreshInput,
  RefreshResult,
  HotSiteInfo,
  ProfileSummary,
  RewriteResult,
  WireError,
  WorkspaceSummary,
} from './protocol';

/** A loaded profile with its tables (shared by binaries using the same file) and its summary. */
interface LoadedProfileData extends ProfileData {
  summary: ProfileSummary;
}

interface Pkg {
  dir: string;
  importPath: string;
  symbolPath: string;
  method: string;
  /** The workspace folder the package was found under; null for packages indexed on demand. */
  folder: string | null;
  /** File names in the build. */
  files: Set<string>;
  /**
   * The incremental indexer while the package is warm (viewed or edited lately); null when cold.
   * Warm packages keep every file's tokens and syntax (about 25 bytes per source character), so
   * only the most recently used ones stay warm (`WARM_BUDGET_CHARS`).
   */
  indexer: PackageIndexer | null;
  index: PackageIndex;
  /** Source characters (known once warm). */
  size: number;
  lastUse: number;
  /** Per profile path: compiler copies of inlined closures → the closure's symbol (by start line). */
  copies: Map<string, Map<string, string>>;
}

interface Binary {
  id: string;
  folder: string;
  mainDir: string;
  mainPackage: string;
  profilePath: string;
  data: LoadedProfileData | null;
  error: WireError | null;
  match: BinaryMatch | null;
  /** What `match` was computed from (match-basis.ts): an edit keeps the match only while all of it stands. */
  basis: MatchBasis<Pkg> | null;
  /** Matches of this binary's profile against packages outside its folder, by directory, with the package and index each was computed from. */
  external: Map<string, ExternalMatch>;
  /** The profile's git history (trusted workspaces), or why there is none. */
  history: ProfileHistory | string | null;
  /** Profiled functions edited since the profile's commit (follows `match`). */
  changed: ChangedFunctionInfo[];
  /** The last compiler confirmation (a `confirm` job). */
  confirm: ConfirmState | null;
  /** What the binary's matches keep between edits. */
  cache: MatchCache;
}

/** A binary's match of one package outside its folder (`matchFor`): valid while the package and its index are the ones recorded. */
interface ExternalMatch {
  pkg: Pkg;
  index: PackageIndex;
  match: BinaryMatch;
}

/** binaryDetails for an id that is not a binary of the open workspace. */
export class UnknownBinaryError extends Error {
  override readonly name = 'UnknownBinaryError';
}

/** Source characters of warm packages kept beyond the most recently used one. */
const WARM_BUDGET_CHARS = 6_000_000;
/** Packages outside the workspace indexed for views, kept (most recently used first). */
const ON_DEMAND_MAX = 32;

export interface OpenOptions {
  folders: string[];
  profileOverride?: string;
  thresholdPercent: number;
  trusted?: boolean;
  /** Use git history (default true; never in an untrusted workspace). */
  history?: boolean;
  /**
   * The files the editor shows: when given (and no override), `open` indexes only their packages
   * and the main packages with a default.pgo, and answers with a partial summary; `complete`
   * indexes the rest.
   */
  openFiles?: string[];
}

/** What a prioritised open still has to do. */
interface Pending {
  /** Per folder: the directories holding a default.pgo. */
  profileDirs: Map<string, string[]>;
  openDirs: string[];
  hot?: Promise<void>;
  all?: Promise<void>;
}

export class WorkspaceModel {
  private folders: string[] = [];
  private packages = new Map<string, Pkg>();
  private onDemand = new Map<string, Pkg | null>();
  private binaries: Binary[] = [];
  private ge: GoEnvInfo = goEnvFromProcess();
  private ctx: BuildContext = defaultBuildContext();
  private shared = new Map<string, ExternalPackage | undefined>();
  /** Per main package: types and index entries outside the workspace (read from disk, cached for the session). */
  private universes = new Map<string, Universe>();
  private pathMethod = 'unknown';
  private lastMillis = 0;
  private t0 = 0;
  private history = true;
  /** Profile loads by path (shared by the binaries using the same file). */
  private loads = new Map<string, Promise<LoadedProfileData | WireError>>();
  /** Set while a prioritised open has not indexed the whole workspace. */
  private pending: Pending | null = null;
  private clock = 0;
  private threshold = 99;
  private override: string | undefined;
  /** Unsaved editor text by absolute file path; survives a re-open. */
  private readonly overlays = new Map<string, string>();
  /** Where the last `update` spent its time (taking the text, re-indexing the package, re-matching the binaries built from it), in ms. */
  readonly lastUpdate = { textMillis: 0, indexMillis: 0, matchMillis: 0 };
  /** Whether the open workspace is trusted: nothing is written, run or built for an untrusted one (false until `open`). */
  trusted = false;

  /** Refuses anything that writes, runs or builds in an untrusted workspace (the worker's own check, not only the UI's). */
  assertTrusted(what: string): void {
    if (!this.trusted)
      throw new UserError(
        `${what}: not done in an untrusted workspace (nothing is written, run or built there)`,
        'Trust the workspace (Workspaces: Manage Workspace Trust) to allow it.',
      );
  }

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
      if (!p.hot) for (const b of this.binaries) this.rematch(b);
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
  private async indexAll(): Promise<void> {
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
    const saved = this.applyOverlays(fresh);
    await this.loadBinaries();
    for (const b of this.binaries) this.rematch(b);
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
  private async openFirst(openFiles: string[]): Promise<WorkspaceSummary> {
    const openDirs = [...new Set(openFiles.map((f) => path.dirname(path.resolve(f))))];
    const pending: Pending = { profileDirs: new Map(), openDirs };
    this.pending = pending;
    const walkOnly = new Map<string, Set<string>>();
    for (const f of openFiles) walkOnly.set(path.dirname(path.resolve(f)), (walkOnly.get(path.dirname(path.resolve(f))) ?? new Set()).add(path.basename(f)));
    for (const folder of this.folders) {
      const profileDirs = scanWorkspace(folder).profileDirs;
      pending.profileDirs.set(folder, profileDirs);
      for (const d of profileDirs) if (!walkOnly.has(d)) walkOnly.set(d, new Set()); // a main package's bodies: for the match
      await this.indexSome(folder, [...openDirs.filter((d) => listedUnder(folder, d)), ...profileDirs], walkOnly);
    }
    await this.loadBinaries();
    this.lastMillis = performance.now() - this.t0;
    return this.summary();
  }

  /** The second stage: the packages of the hot callers and callees, then a re-match. */
  private async indexHot(p: Pending): Promise<void> {
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
    for (const b of this.binaries) this.rematch(b);
    this.lastMillis = performance.now() - this.t0;
  }

  /** Indexes the packages in `dirs` (under folder) not indexed yet, as packages of folder. */
  private async indexSome(folder: string, dirs: string[], walkOnly?: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
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

  /**
   * Puts unsaved text (from before a re-open, or typed while the workspace was being indexed)
   * into newly indexed packages; returns the saved text's index of each package it changed.
   */
  private applyOverlays(fresh: ReadonlySet<Pkg>): Map<Pkg, PackageIndex> {
    const touched = new Set<Pkg>();
    for (const [file, text] of this.overlays) {
      const pkg = this.packages.get(path.dirname(file));
      if (pkg && fresh.has(pkg) && !touched.has(pkg) && (pkg.files.has(path.basename(file)) || this.putFile(pkg, path.basename(file), text))) touched.add(pkg);
    }
    // The saved text's index, for locating closure copies.
    const saved = new Map<Pkg, PackageIndex>();
    for (const pkg of touched) {
      saved.set(pkg, pkg.index);
      pkg.index = this.warm(pkg).index();
    }
    return saved;
  }

  /**
   * Closure copies are located by start line against the text the profile was taken from: the
   * files as saved when indexed, before further edits (unsaved text is such an edit, so a re-open
   * with unsaved text locates them as the model it replaces did). Computed once per package.
   */
  private locateCopies(saved: ReadonlyMap<Pkg, PackageIndex>): void {
    for (const b of this.binaries)
      if (b.data) for (const pkg of this.packages.values()) if (pkg.folder === b.folder) this.copiesFor(pkg, b.data, saved.get(pkg) ?? pkg.index);
  }

  /** Binaries: main packages with a default.pgo next to them, or all of them with an override (a binary already loaded is kept). */
  private async loadBinaries(): Promise<void> {
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

  /** Takes over another model's unsaved editor text (before `open`). */
  adoptOverlays(other: WorkspaceModel): void {
    for (const [f, t] of other.overlays) this.overlays.set(f, t);
  }

  /** Takes over another model's compiler confirmations (after `open`) whose profile did not change since. */
  adoptConfirmations(other: WorkspaceModel): void {
    for (const o of other.binaries) {
      const b = this.binaries.find((x) => x.id === o.id && x.profilePath === o.profilePath);
      if (!b || !o.confirm) continue;
      const mtime = fs.statSync(b.profilePath, { throwIfNoEntry: false })?.mtimeMs ?? Infinity;
      if (mtime <= o.confirm.at) b.confirm = o.confirm;
    }
  }

  /** The build a `confirm` job makes for a binary: its folder, main package and profile. */
  confirmTarget(mainDir: string): { root: string; mainDir: string; pgo: string } {
    // The host only asks in a trusted workspace; the worker refuses as well (the build runs code
    // paths chosen by the workspace: go.mod, cgo, toolchain lines).
    if (!this.trusted) throw new UserError('the compiler is not run in an untrusted workspace: predictions only');
    const b = this.binaries.find((x) => x.mainDir === path.resolve(mainDir));
    if (!b) throw new UnknownBinaryError(`${mainDir} is not a main package with a profile in the workspace`);
    if (!b.data) throw new UserError(`${b.profilePath} cannot be used, so there is nothing to confirm`);
    return { root: b.folder, mainDir: b.mainDir, pgo: b.profilePath };
  }

  /** Stores a confirming build and judges the binary's current predictions against it (`changesPending`: the -pgo=off build is still running). */
  setConfirmation(mainDir: string, confirmed: Confirmed, changes: PgoChange[] | null, millis: number, changesPending = false): ConfirmSummary {
    const b = this.binaries.find((x) => x.mainDir === path.resolve(mainDir));
    if (!b || !b.match) throw new UnknownBinaryError(`${mainDir} is no longer a matched binary of the workspace`);
    const agreement = compareWithCompiler(predictionsFromMatch(b.folder, b.match), confirmed.decisions);
    // The raw build output can be hundreds of MB (cmd/compile): keep only the parsed decisions.
    b.confirm = new ConfirmState({ ...confirmed, output: '' }, agreement, changes, millis, changesPending);
    for (const f of this.overlays.keys()) b.confirm.stale.add(f); // the build saw the saved files
    return b.confirm.summary();
  }

  summary(): WorkspaceSummary {
    return {
      folders: [...this.folders],
      // While partial, profile functions of packages not indexed yet would all look unmatched: none is reported until complete.
      binaries: this.binaries.map((b) => (this.pending ? { ...binarySummary(b), unmatched: [] } : this.withLocations(b, binarySummary(b)))),
      packages: this.packages.size,
      indexMillis: this.lastMillis,
      pathMethod: this.pathMethod,
      ...(this.pending ? { partial: true } : {}),
    };
  }

  /** Adds where each unmatched entry belongs in the source, and which decisions it loses. */
  private withLocations(b: Binary, s: BinarySummary): BinarySummary {
    const hot = b.data?.hot;
    const hotCallees = new Map<string, string[]>();
    for (const e of hot?.hotEdges ?? []) {
      const list = hotCallees.get(e.caller);
      if (list) list.push(e.callee);
      else hotCallees.set(e.caller, [e.callee]);
    }
    for (const u of s.unmatched) {
      const sym = u.kind === 'renamed' || u.kind === 'moved' ? u.suggestion : u.kind === 'offset-drift' || u.kind === 'changed' ? u.symbol : undefined;
      u.location = sym ? this.locate(sym) : null;
      if (hot) {
        const lost = new Set<string>();
        for (const callee of hotCallees.get(u.symbol) ?? []) lost.add(`inlining of ${callee}`);
        for (const d of b.match?.devirtualizations ?? []) if (d.caller === u.symbol) lost.add(`devirtualization to ${d.callee}`);
        if (hot.hotCallees.has(u.symbol)) lost.add(`the hot inline budget of ${u.symbol}`);
        u.lost = [...lost].slice(0, 6);
      }
    }
    return s;
  }

  /**
   * The declaration of a linker symbol among the workspace's packages: the first package (in the
   * listing's order) declaring it. Only packages defining the symbol's prefix can (a package's own
   * prefix and its `//go:linkname` ones); the others are looked at only when none of those has it.
   */
  private locate(sym: string): { file: string; line: number; character: number } | null {
    const at = (pkg: Pkg) => {
      const e = entryFor(pkg.index, sym);
      return e ? { file: path.join(pkg.dir, e.file), line: e.physicalStartLine - 1, character: Math.max(0, e.startColumn - 1) } : null;
    };
    const prefix = splitSymbol(sym).prefix;
    for (const pkg of this.packages.values()) {
      const r = symbolPrefixes(pkg.index).includes(prefix) ? at(pkg) : null;
      if (r) return r;
    }
    for (const pkg of this.packages.values()) {
      const r = at(pkg);
      if (r) return r;
    }
    return null;
  }

  /** Rewrites a binary's profile after a refactor (renames, re-aligned offsets), atomically, keeping a `.bak`. */
  async rewrite(id: string, symbols?: string[]): Promise<RewriteResult> {
    const b = this.binaries.find((x) => x.id === id);
    if (!b || !b.match) throw new UnknownBinaryError(`no matched binary ${id}`);
    this.assertTrusted(`rewriting ${b.profilePath}`);
    return rewriteProfileFile(b.profilePath, symbols ? b.match.unmatched.filter((u) => symbols.includes(u.symbol)) : b.match.unmatched);
  }

  /** Main packages of the workspace folders: where a refresh can write a profile. */
  mainPackages(): MainPackageInfo[] {
    const out: MainPackageInfo[] = [];
    for (const pkg of [...this.packages.values()].sort((a, b) => cmp(a.dir, b.dir))) {
      if (pkg.symbolPath !== 'main' || pkg.folder === null) continue;
      const b = this.binaries.find((x) => x.mainDir === pkg.dir);
      const profile = b?.profilePath ?? this.override ?? path.join(pkg.dir, 'default.pgo');
      out.push({ dir: pkg.dir, importPath: pkg.importPath, profile, hasProfile: !!b?.data || fs.existsSync(profile) });
    }
    return out;
  }

  /** See `applyRefresh` in protocol.ts. */
  async applyRefresh(mainDir: string, inputs: RefreshInput[], opts: MergeOptions): Promise<RefreshResult> {
    const main = this.packages.get(path.resolve(mainDir));
    if (!main || main.symbolPath !== 'main' || main.folder === null) throw new UnknownBinaryError(`${mainDir} is not a main package of the workspace`);
    this.assertTrusted(`writing a refreshed profile for ${main.dir}`);
    if (inputs.length === 0) throw new UserError('no profiles to merge');
    const read: MergeInput[] = [];
    for (const i of inputs) {
      if (i.bytes) read.push({ name: i.name, bytes: Buffer.from(i.bytes.buffer, i.bytes.byteOffset, i.bytes.byteLength) });
      else if (i.path) read.push({ name: i.name, bytes: await readRegularFile(i.path, MAX_PROFILE_FILE_BYTES, 'profile') });
    }
    const merged = await mergeProfiles(read, opts);
    const v = await validateForCompiler(merged.bytes, { cdfThreshold: this.threshold });
    if (!v.ok) throw new UserError(`the merged profile cannot be used: ${v.error}`, v.advice);
    const b = this.binaries.find((x) => x.mainDir === main.dir);
    const target = b?.profilePath ?? this.override ?? path.join(main.dir, 'default.pgo');
    const next = v.loaded.profile;
    const after = { match: this.matchProfile(main, target, next, hotSet(next, this.threshold)), profile: next };
    const before =
      b?.data && b.match
        ? { match: b.match, profile: b.data.profile }
        : { match: this.matchProfile(main, target, null, null), profile: emptyProfile('pprof', 'no profile') };
    const changes = diffProfiles(before, after);
    const existed = fs.existsSync(target);
    await writeFileSafe(target, merged.bytes, { backup: existed });
    return {
      profile: target,
      backup: existed ? `${target}.bak` : null,
      changes,
      report: changesReport(changes, `Profile refresh: ${path.relative(main.folder, target) || target}`),
      warnings: [...merged.warnings, ...v.warnings],
      bytes: merged.bytes.length,
    };
  }

  /** The match of `profile` for main package `main` over the workspace's packages (empty without a profile). */
  private matchProfile(main: Pkg, profilePath: string, profile: PgoProfile | null, hot: HotSet | null): BinaryMatch {
    const p = profile ?? emptyProfile('pprof', 'no profile');
    const h = hot ?? hotSet(p, this.threshold);
    const packages = [...this.packages.values()].filter((x) => x.folder === main.folder && (x.dir === main.dir || x.symbolPath !== 'main'));
    return matchBinary({ root: main.folder!, mainDir: main.dir, profilePath, profile: p, hot: h, packages, universe: this.universeFor(main.dir) });
  }

  async undoRewrite(id: string): Promise<{ profile: string }> {
    const b = this.binaries.find((x) => x.id === id);
    if (!b) throw new UnknownBinaryError(`no binary ${id}`);
    this.assertTrusted(`restoring ${b.profilePath}`);
    return restoreProfileBackup(b.profilePath);
  }

  /** Unsaved text (null: the saved file) of one Go file; re-indexes its package and re-matches. */
  update(file: string, text: string | null): WorkspaceSummary {
    const t0 = performance.now();
    const abs = path.resolve(file);
    const dir = path.dirname(abs);
    const pkg = this.packages.get(dir) ?? this.onDemand.get(dir) ?? undefined;
    this.lastUpdate.textMillis = 0;
    this.lastUpdate.indexMillis = 0;
    this.lastUpdate.matchMillis = 0;
    if (pkg && isDeclarationsFirst(pkg.index)) this.fullIndex(pkg); // the saved text's full index first (closure copies are located on it)
    // Warm a cold package with the text it had so far, then apply the change.
    const indexer = pkg && this.warm(pkg);
    if (text === null) this.overlays.delete(abs);
    else this.overlays.set(abs, text);
    if (text === null) for (const b of this.binaries) if (b.history && typeof b.history !== 'string') b.history.saved(abs);
    // The last confirming build saw other text: its lines no longer apply to this file.
    for (const b of this.binaries) b.confirm?.stale.add(abs);
    if (pkg && indexer) {
      const name = path.basename(abs);
      let changed: boolean;
      const next = text ?? readText(abs);
      if (next === undefined) {
        changed = pkg.files.delete(name);
        if (changed) indexer.removeFile(name);
      } else if (pkg.files.has(name) && indexer.getFile(name)?.text === next)
        changed = false; // e.g. a save
      else changed = this.putFile(pkg, name, next);
      const ti = performance.now();
      this.lastUpdate.textMillis = ti - t0;
      if (changed) {
        pkg.index = indexer.index();
        const tm = performance.now();
        this.lastUpdate.indexMillis = tm - ti;
        // A binary built from the package is re-matched unless everything its match was computed
        // from stands (match-basis.ts): an edit the index does not see (a comment, text typed and
        // taken back) keeps it. The check is against what the match recorded, not against the
        // package's previous index, which a prioritised open can change without re-matching.
        for (const b of this.binaries) {
          const ext = b.external.get(pkg.dir);
          if (ext && !(ext.pkg === pkg && sameForMatching(ext.index, pkg.index))) b.external.delete(pkg.dir);
          else if (ext) ext.index = pkg.index;
          if (pkg.folder !== null && builtFrom(b, pkg)) this.rematch(b, pkg);
        }
        this.lastUpdate.matchMillis = performance.now() - tm;
      }
    } else if (this.onDemand.get(dir) === null) this.onDemand.delete(dir); // a package may exist now
    this.lastMillis = performance.now() - t0;
    return this.summary();
  }

  fileView(file: string, binary?: string): FileView {
    const abs = path.resolve(file);
    const empty: FileView = {
      file: abs,
      binary: null,
      binaries: [],
      profile: null,
      total: 0,
      sampleType: null,
      heatLines: { flat: 0, cum: 0 },
      heat: [],
      functions: [],
      lenses: [],
      lines: [],
    };
    const pkg = this.packageOf(abs);
    if (!pkg) return empty;
    const candidates = this.binariesFor(pkg);
    const chosen = (binary !== undefined ? this.binaries.find((b) => b.id === binary && b.data) : undefined) ?? candidates[0];
    const view: FileView = { ...empty, binaries: candidates.map((b) => b.id) };
    if (!chosen?.data) return view;
    view.binary = chosen.id;
    view.profile = chosen.profilePath;
    const name = path.basename(abs);
    if (!pkg.index.files.includes(name)) return view; // not in the build (build constraints)
    if (pkg.index.walkedOnly && !pkg.index.walkedOnly.includes(name)) this.fullIndex(pkg); // only the open files' bodies were walked
    const tokens = this.tokensOf(pkg, name);
    // The user is looking at this package and may start typing: make its indexer ready.
    if (!pkg.indexer) this.scheduleWarm(pkg);
    const heat = fileHeat({
      file: abs,
      index: pkg.index,
      root: pkgRoot(chosen, pkg),
      data: chosen.data,
      match: this.matchFor(chosen, pkg),
      tokens,
      copies: this.copiesFor(pkg, chosen.data),
    });
    Object.assign(view, heat);
    const cs = chosen.confirm;
    if (cs) {
      for (const l of view.lenses) {
        const c = cs.lens(abs, l);
        if (c) l.confirmation = c;
      }
      for (const d of view.lines) {
        const said = cs.lineDecisions(abs, d.line);
        if (said.length) d.compiler = said;
      }
    }
    return view;
  }

  /** The view's lists of a binary: filtered, sorted and cut to `limit` (a number: the limit alone), with the totals that matched. */
  binaryDetails(id: string, query: DetailsQuery | number = {}): BinaryDetails {
    const q: DetailsQuery = typeof query === 'number' ? { limit: query } : query;
    const b = this.binaries.find((x) => x.id === id);
    if (!b) throw new UnknownBinaryError(`no binary ${id} in the open workspace`);
    const out: BinaryDetails = {
      binary: id,
      hottestFunctions: [],
      hotCallSites: [],
      devirtualizations: [],
      unmatched: [],
      compilerChanges: b.confirm?.changeList() ?? null,
    };
    if (!b.data || !b.match) return out;
    const match = b.match;
    const locate = (sym: string): Located | undefined => {
      const r = match.resolved.get(sym);
      if (r && !r.copy) return { dir: r.pkg.dir, entry: r.entry };
      const pkg = this.pkgOfSymbol(b, sym);
      const entry = pkg && entryFor(pkg.index, sym);
      return pkg && entry ? { dir: pkg.dir, entry } : undefined;
    };
    const inp = { data: b.data, match, locate };

    // `pgo-lens top`'s rows and order (pprof -top), unless another order is asked.
    const fq = queryRows(
      topOrder(b.data.profile.heat.rows()).map((f) => ({ ...f, text: '' })),
      q,
    );
    out.hottestFunctions = hottestFunctions(inp, fq.rows, (f) => localPath(f, this.ge));
    const siteRow = (x: HotSiteInfo): HotSiteInfo & QueryRow => ({ ...x, name: x.caller, text: x.callee, flat: x.weight, cum: x.weight });
    const strip = ({ name: _n, text: _t, flat: _f, cum: _c, ...x }: HotSiteInfo & QueryRow): HotSiteInfo => x;
    const sq = queryRows(
      hotCallSites(inp, (dir, file) => {
        const pkg = this.packages.get(dir) ?? this.onDemand.get(dir) ?? undefined;
        return pkg && this.tokensOf(pkg, file);
      }).map(siteRow),
      q,
    );
    out.hotCallSites = sq.rows.map(strip);
    const dq = queryRows(devirtualizationRows(inp, b.folder).map(siteRow), q);
    out.devirtualizations = dq.rows.map(strip);
    const unmatched = this.pending ? [] : this.withLocations(b, binarySummary(b)).unmatched;
    const uq = queryRows(
      unmatched.map((u) => ({ ...u, name: u.symbol, text: u.suggestion ?? '', file: u.location?.file ?? null, flat: u.weight, cum: u.weight })),
      q,
    );
    out.unmatched = uq.rows.map(({ name: _n, text: _t, file: _f, flat: _fl, cum: _c, ...u }) => u);
    out.totals = { hottestFunctions: fq.total, hotCallSites: sq.total, devirtualizations: dq.total, unmatched: uq.total };
    return out;
  }

  // ---- the profile explorer (src/explore) -----------------------------------------------------

  /** The binary whose profile is `file`, else `preferred` when it is a binary of the workspace, else null. */
  explorerBinary(file: string, preferred?: string): string | null {
    const abs = path.resolve(file);
    const own = this.binaries.find((b) => path.resolve(b.profilePath) === abs);
    if (own) return own.id;
    return this.binaries.find((b) => b.id === preferred)?.id ?? null;
  }

  /** The (caller, callee) pairs of a binary's hot call sites (PGO inline candidates) and devirtualizations. */
  explorerPgoCalls(id: string | null): { inline: Array<[string, string]>; devirt: Array<[string, string]> } {
    const m = this.binaries.find((b) => b.id === id)?.match;
    if (!m) return { inline: [], devirt: [] };
    return { inline: m.inlineCandidates.map((c) => [c.caller, c.callee]), devirt: m.devirtualizations.map((d) => [d.caller, d.callee]) };
  }

  /**
   * The declaration of a profile function, as the overlay matches it: the binary's match, then a
   * workspace package with the symbol's prefix, then the profile's own file and start line when it
   * exists here (GOROOT, the module cache). Lines are 0-based.
   */
  explorerLocate(id: string | null, symbol: string, profileFile: string, startLine: number): { file: string; line: number } | null {
    const b = this.binaries.find((x) => x.id === id);
    const r = b?.match?.resolved.get(symbol);
    if (r && !r.copy) return { file: path.join((r.pkg as Pkg).dir, r.entry.file), line: r.entry.physicalStartLine - 1 };
    const pkg = b && this.pkgOfSymbol(b, symbol);
    const entry = pkg && entryFor(pkg.index, symbol);
    if (pkg && entry) return { file: path.join(pkg.dir, entry.file), line: entry.physicalStartLine - 1 };
    const ws = this.locate(symbol);
    if (ws) return { file: ws.file, line: ws.line };
    const local = localPath(profileFile, this.ge);
    return local ? { file: local, line: Math.max(0, startLine - 1) } : null;
  }

  /** The linker symbol of the innermost function declared around 0-based `line` of `file`, or null. */
  explorerSymbolAt(file: string, line: number): string | null {
    const abs = path.resolve(file);
    const pkg = this.packageOf(abs);
    if (!pkg) return null;
    let best: FuncEntry | undefined;
    for (const e of pkg.index.byFile.get(path.basename(abs)) ?? []) {
      if (e.kind === 'varinit' || e.kind === 'mapinit') continue;
      if (line + 1 < e.physicalStartLine || line + 1 > e.physicalEndLine) continue;
      if (!best || e.physicalEndLine - e.physicalStartLine < best.physicalEndLine - best.physicalStartLine) best = e;
    }
    return best?.symbol ?? null;
  }

  /** What replacing binary `id`'s profile `before` with `after` changes for the compiler, over the current source. */
  explorerChanges(id: string, before: PgoProfile, after: PgoProfile): ProfileChanges {
    const b = this.binaries.find((x) => x.id === id);
    const main = b && this.packages.get(b.mainDir);
    if (!b || !main) throw new UnknownBinaryError(`no binary ${id} in the open workspace`);
    const side = (p: PgoProfile) => ({ match: this.matchProfile(main, b.profilePath, p, hotSet(p, this.threshold)), profile: p });
    return diffProfiles(side(before), side(after));
  }

  // ---- internals ------------------------------------------------------------------------------

  private universeFor(mainDir: string): Universe {
    let u = this.universes.get(mainDir);
    if (!u) {
      u = createUniverse({ mainDir, goEnv: this.ge, ctx: this.ctx, module: inferPackagePath(mainDir, this.ge)?.module, shared: this.shared });
      this.universes.set(mainDir, u);
    }
    return u;
  }

  /** Puts a file's text into its package's indexer if the file belongs to the build; true if it does. */
  private putFile(pkg: Pkg, name: string, text: string): boolean {
    if (!pkg.files.has(name)) {
      // A new file (or one excluded before): it joins the package if the build would include it.
      const head = headerInfo(text);
      if (!fileIncluded(name, head, this.ctx) || !head.pkgName || head.pkgName.endsWith('_test')) return false;
      pkg.files.add(name);
    }
    this.warm(pkg).setFile(name, text);
    return true;
  }

  /** The package's incremental indexer, created from the files (and unsaved text) if it is cold. */
  private warm(pkg: Pkg): PackageIndexer {
    pkg.lastUse = ++this.clock;
    if (pkg.indexer) return pkg.indexer;
    const loc = inferPackagePath(pkg.dir, this.ge);
    const resolver = createSourceResolver({ fromDir: pkg.dir, goEnv: this.ge, ctx: this.ctx, module: loc?.module, shared: this.shared });
    const indexer = new PackageIndexer({ pkgPath: pkg.symbolPath, goos: this.ctx.goos, goarch: this.ctx.goarch, resolver });
    let size = 0;
    for (const name of [...pkg.files]) {
      const text = this.overlays.get(path.join(pkg.dir, name)) ?? readText(path.join(pkg.dir, name));
      if (text === undefined) {
        pkg.files.delete(name);
        continue;
      }
      indexer.setFile(name, text);
      size += text.length;
    }
    pkg.indexer = indexer;
    pkg.size = size;
    // Cool down the least recently used packages beyond the budget (their index stays).
    const warm = [...this.packages.values(), ...[...this.onDemand.values()].filter((p): p is Pkg => !!p)]
      .filter((p) => p.indexer && p !== pkg)
      .sort((a, b) => b.lastUse - a.lastUse);
    let total = 0;
    for (const p of warm) {
      total += p.size;
      if (total > WARM_BUDGET_CHARS) p.indexer = null;
    }
    return indexer;
  }

  private scheduleWarm(pkg: Pkg): void {
    setImmediate(() => {
      try {
        // the first index() of a new indexer walks everything: do it now, not on the first keystroke
        if (!pkg.indexer && (this.packages.get(pkg.dir) === pkg || this.onDemand.get(pkg.dir) === pkg)) {
          const ix = this.warm(pkg).index();
          if (isDeclarationsFirst(pkg.index)) this.fullIndex(pkg, ix);
        }
      } catch {
        /* warming is an optimisation; update() warms (and reports failures) itself */
      }
    });
  }

  /**
   * Replaces a declarations-first index (only the open files' bodies walked) with the package's
   * full index, and locates its closure copies on it (such a package has no unsaved text: `update`
   * calls this before taking any).
   */
  private fullIndex(pkg: Pkg, ix: PackageIndex = this.warm(pkg).index()): void {
    pkg.index = ix;
    pkg.copies.clear();
    for (const b of this.binaries) if (b.data && pkg.folder === b.folder) this.copiesFor(pkg, b.data);
  }

  /** Tokens of a file, for `//line` directives (undefined: the file has none). */
  private tokensOf(pkg: Pkg, name: string): TokenStream | undefined {
    if (pkg.indexer) return pkg.indexer.getFile(name)?.ts;
    const file = path.join(pkg.dir, name);
    const text = this.overlays.get(file) ?? readText(file);
    if (text === undefined || !/\/[/*]line /.test(text)) return undefined;
    return lex(text);
  }

  /** The packages binary b's match covers, in match order: its folder's, the main package and those defining a symbol prefix of the profile's edges. */
  private matchedPackages(b: Binary, data: LoadedProfileData): Pkg[] {
    // Packages none of whose symbols occur in the profile's edges cannot change the match.
    const edgePrefixes = data.edgePrefixes;
    return [...this.packages.values()].filter(
      (p) => p.folder === b.folder && (p.dir === b.mainDir || (p.symbolPath !== 'main' && symbolPrefixes(p.index).some((x) => edgePrefixes.has(x)))),
    );
  }

  /**
   * Matches binary b again over the current packages; with `edited` (the package an edit just
   * re-indexed), only when the match's basis does not stand (match-basis.ts).
   */
  private rematch(b: Binary, edited?: Pkg): void {
    if (!b.data) {
      b.external.clear();
      b.match = null;
      b.basis = null;
      return;
    }
    for (const p of this.packages.values()) if (isDeclarationsFirst(p.index)) this.fullIndex(p);
    const packages = this.matchedPackages(b, b.data);
    const universe = this.universeFor(b.mainDir);
    // git history maps lines through the text itself: with it every edit re-matches
    const inputs = [b.data, b.history, universe];
    if (edited && b.match && (!b.history || typeof b.history === 'string')) {
      const kept = basisStands(b.basis, inputs, packages, edited);
      if (kept) {
        b.basis = kept;
        return;
      }
    }
    b.external.clear();
    const h = b.history;
    const history = h && typeof h !== 'string' ? (pkg: { dir: string }, file: string) => this.fileHistory(h, path.join(pkg.dir, file)) : undefined;
    b.match = matchBinary({
      root: b.folder,
      mainDir: b.mainDir,
      profilePath: b.profilePath,
      profile: b.data.profile,
      hot: b.data.hot,
      packages,
      universe,
      ...(history ? { history } : {}),
      cache: b.cache,
    });
    b.basis = basisOf(inputs, packages);
    this.updateChanged(b);
  }

  private updateChanged(b: Binary): void {
    const h = b.history;
    b.changed = h && typeof h !== 'string' && b.match && b.data ? h.changedFunctions(b.data.profile, b.match, (abs) => this.fileHistory(h, abs)) : [];
  }

  private fileHistory(h: ProfileHistory, abs: string): FileHistory | undefined {
    return h.file(abs, this.overlays.get(abs), readText);
  }

  /** The match that covers `pkg` for binary `b` (a package outside its folder is matched alone). */
  private matchFor(b: Binary, pkg: Pkg): BinaryMatch | null {
    if (!b.data) return null;
    if (pkg.folder === b.folder) return b.match;
    const kept = b.external.get(pkg.dir);
    if (kept && kept.pkg === pkg && kept.index === pkg.index) return kept.match;
    const m = matchBinary({
      root: pkg.dir,
      mainDir: b.mainDir,
      profilePath: b.profilePath,
      profile: b.data.profile,
      hot: b.data.hot,
      packages: [pkg],
      universe: this.universeFor(b.mainDir),
    });
    b.external.set(pkg.dir, { pkg, index: pkg.index, match: m });
    return m;
  }

  /** The package of a file: a workspace package, or one indexed on demand (GOROOT, module cache). */
  private packageOf(file: string): Pkg | undefined {
    const dir = path.dirname(file);
    const ws = this.packages.get(dir);
    if (ws) return ws;
    if (this.onDemand.has(dir)) {
      const p = this.onDemand.get(dir) ?? undefined;
      if (p) p.lastUse = ++this.clock;
      return p;
    }
    let pkg: Pkg | null = null;
    try {
      pkg = this.indexOnDemand(dir);
    } catch {
      pkg = null;
    }
    this.onDemand.set(dir, pkg);
    // Forget the least recently used packages beyond the limit, unless they have unsaved text.
    if (this.onDemand.size > ON_DEMAND_MAX) {
      const old = [...this.onDemand]
        .filter(([d]) => d !== dir && ![...this.overlays.keys()].some((f) => path.dirname(f) === d))
        .sort((a, b) => (a[1]?.lastUse ?? 0) - (b[1]?.lastUse ?? 0));
      for (const [d] of old.slice(0, this.onDemand.size - ON_DEMAND_MAX)) {
        this.onDemand.delete(d);
        for (const b of this.binaries) b.external.delete(d);
      }
    }
    return pkg ?? undefined;
  }

  private indexOnDemand(dir: string): Pkg | null {
    const pf = readPackageFiles(dir, this.ctx);
    if (!pf) return null;
    const loc = inferPackagePath(dir, this.ge);
    const importPath = loc?.importPath ?? path.basename(dir);
    const symbolPath = pf.pkgName === 'main' ? 'main' : importPath;
    const resolver = createSourceResolver({ fromDir: dir, goEnv: this.ge, ctx: this.ctx, module: loc?.module, shared: this.shared });
    const indexer = new PackageIndexer({ pkgPath: symbolPath, goos: this.ctx.goos, goarch: this.ctx.goarch, resolver });
    let size = 0;
    for (const f of pf.files) {
      const text = this.overlays.get(path.join(dir, f.name)) ?? f.text;
      indexer.setFile(f.name, text);
      size += text.length;
    }
    // Indexed with an indexer anyway: it starts warm (and cools down like the others).
    return {
      dir,
      importPath,
      symbolPath,
      method: loc?.method ?? 'unknown',
      folder: null,
      files: new Set(pf.files.map((f) => f.name)),
      indexer,
      index: indexer.index(),
      size,
      lastUse: ++this.clock,
      copies: new Map(),
    };
  }

  /**
   * The binaries a package is built into, hottest for it first: its own binary for a main
   * package; for another package the binaries of its folder (a package outside the workspace or
   * in a folder without binaries: the binaries whose profile mentions it, else all, since std
   * and dependencies are rebuilt with the binary's profile).
   */
  private binariesFor(pkg: Pkg): Binary[] {
    const usable = this.binaries.filter((b) => b.data);
    if (pkg.symbolPath === 'main') return usable.filter((b) => b.mainDir === pkg.dir);
    const prefix = pkg.index.symbolPrefix;
    const weight = (b: Binary): number => b.data?.prefixWeight.get(prefix) ?? -1;
    let list = usable.filter((b) => b.folder === pkg.folder);
    if (!list.length) {
      list = usable.filter((b) => weight(b) >= 0);
      if (!list.length) list = usable;
    }
    return list
      .map((b, i) => ({ b, i, w: weight(b) }))
      .sort((x, y) => y.w - x.w || x.i - y.i)
      .map((x) => x.b);
  }

  /** A workspace package of binary b's folder whose symbol prefix is sym's. */
  private pkgOfSymbol(b: Binary, sym: string): Pkg | undefined {
    const prefix = splitSymbol(sym).prefix;
    for (const p of this.packages.values()) {
      if (p.folder !== b.folder || p.index.symbolPrefix !== prefix) continue;
      if (p.symbolPath === 'main' && p.dir !== b.mainDir) continue;
      return p;
    }
    return undefined;
  }

  /** Compiler copies of the package's inlined closures in a profile (`closureCopies`), computed once per profile, on first use. */
  private copiesFor(pkg: Pkg, data: ProfileData, index: PackageIndex = pkg.index): Map<string, string> {
    if (isDeclarationsFirst(index)) return closureCopies(index, data.profile.heat); // the open files' closures only: not kept
    let m = pkg.copies.get(data.path);
    if (!m) {
      m = closureCopies(index, data.profile.heat);
      pkg.copies.set(data.path, m);
    }
    return m;
  }
}

function newPkg(p: IndexedTreePackage, folder: string): Pkg {
  return {
    dir: p.dir,
    importPath: p.importPath,
    symbolPath: p.symbolPath,
    method: p.method,
    folder,
    files: new Set(p.files),
    indexer: null,
    index: p.index,
    size: 0,
    lastUse: 0,
    copies: new Map(),
  };
}

/** Whether `./...` in folder reaches dir: under it, and not through testdata, vendor, hidden or `_` directories. */
function listedUnder(folder: string, dir: string): boolean {
  const rel = path.relative(folder, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return rel.split(path.sep).every((s) => s === '' || !(s === 'testdata' || s === 'vendor' || s.startsWith('.') || s.startsWith('_')));
}

const prefixCache = new WeakMap<PackageIndex, string[]>();

/** The symbol prefixes a package defines: its own and those of `//go:linkname` symbols. */
function symbolPrefixes(ix: PackageIndex): string[] {
  let list = prefixCache.get(ix);
  if (!list) {
    const set = new Set([ix.symbolPrefix]);
    for (const f of ix.funcs) if (f.linkname) set.add(splitSymbol(f.symbol).prefix);
    list = [...set];
    prefixCache.set(ix, list);
  }
  return list;
}

/** Whether binary b is built from workspace package pkg. */
function builtFrom(b: Binary, pkg: Pkg): boolean {
  if (pkg.folder !== b.folder) return false;
  return pkg.symbolPath !== 'main' || pkg.dir === b.mainDir;
}

/** Directory the match's relative file names are relative to. */
function pkgRoot(b: Binary, pkg: Pkg): string {
  return pkg.folder === b.folder ? b.folder : pkg.dir;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The local file of a profile's file name: as is if it exists, else re-rooted under this GOROOT
 * (`/other/go/src/strconv/ftoa.go`, or `strconv/ftoa.go` from a -trimpath build), else in the
 * module cache (`example.com/m@v1.2.3/x.go` from a -trimpath build).
 */
function localPath(file: string, ge: GoEnvInfo): string | null {
  if (!file || file === '<autogenerated>') return null;
  const cands: string[] = [];
  if (path.isAbsolute(file)) cands.push(file);
  if (ge.goroot) {
    const i = file.lastIndexOf('/src/');
    if (i >= 0) cands.push(path.join(ge.goroot, file.slice(i + 1)));
    if (!path.isAbsolute(file)) cands.push(path.join(ge.goroot, 'src', file));
  }
  const at = file.indexOf('@');
  if (ge.gomodcache && !path.isAbsolute(file) && at > 0) cands.push(path.join(ge.gomodcache, escapeModulePath(file.slice(0, at)) + file.slice(at)));
  return cands.find((c) => fs.existsSync(c)) ?? null;
}

function binarySummary(b: Binary): BinarySummary {
  return {
    id: b.id,
    mainPackage: b.mainPackage,
    mainDir: b.mainDir,
    profile: b.profilePath,
    summary: b.data ? { ...b.data.summary } : null,
    error: b.error ? { ...b.error } : null,
    ...(b.data && !b.error && !b.match ? { matching: true } : {}),
    matchedPercent: b.match?.matchedPercent ?? 0,
    inlineCandidates: b.match?.inlineCandidates.length ?? 0,
    devirtualizations: b.match?.devirtualizations.length ?? 0,
    unmatched: (b.match?.unmatched ?? []).map(({ lineMap: _, ...u }) => ({ ...u })),
    history: b.history && typeof b.history !== 'string' ? b.history.summary(b.changed.map((c) => ({ ...c }))) : null,
    confirmed: b.confirm?.summary() ?? null,
    ...(typeof b.history === 'string' ? { historyNote: b.history } : {}),
  };
}

function profileSummary(file: string, profile: PgoProfile, hot: HotSet, fileBytes: number, loadMillis: number): ProfileSummary {
  return {
    path: file,
    format: profile.format,
    totalWeight: profile.totalWeight,
    edgeCount: profile.edges.length,
    sampleType: profile.sampleType ? `${profile.sampleType.type}/${profile.sampleType.unit}` : null,
    sampleCount: profile.sampleCount,
    total: profileTotal(profile),
    durationNanos: profile.durationNanos,
    thresholdPercent: hot.thresholdPercent,
    hotCount: hot.hotCount,
    emptyReason: profile.totalWeight === 0 ? (profile.emptyReason ?? 'empty profile') : null,
    loadMillis,
    fileBytes,
  };
}

function wireError(e: unknown): WireError {
  if (isProfileError(e)) return { kind: e.kind, message: e.message, ...(e.advice !== undefined ? { advice: e.advice } : {}) };
  const err = e as Error;
  return { kind: 'internal', message: err?.stack ?? String(e) };
}

async function loadProfileData(file: string, thresholdPercent: number): Promise<LoadedProfileData | WireError> {
  const t0 = performance.now();
  let profile: PgoProfile;
  let fileBytes: number;
  try {
    ({ profile, fileBytes } = await loadProfileFile(file));
  } catch (e) {
    return wireError(e);
  }
  const hot = hotSet(profile, thresholdPercent);
  const data = profileData(file, profile, hot);
  return { ...data, summary: profileSummary(file, profile, hot, fileBytes, performance.now() - t0) };
}
