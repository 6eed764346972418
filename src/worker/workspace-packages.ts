/**
 * The workspace model's state and its packages: the workspace packages and those indexed on demand,
 * their incremental indexers (warm while used lately), unsaved editor text put into them, and
 * the closure copies located on their indexes.
 */
import * as path from 'node:path';
import { lex, type TokenStream } from '../source/lexer';
import { type BuildContext, defaultBuildContext, fileIncluded, headerInfo, type PackageIndex, PackageIndexer, splitSymbol } from '../source/index';
import type { ExternalPackage } from '../source/package-env';
import { createSourceResolver, goEnvFromProcess, type GoEnvInfo, inferPackagePath, readPackageFiles } from '../source/packages';
import { createUniverse, type Universe } from '../source/universe';
import { isDeclarationsFirst, takeParsedFiles } from '../source/declarations-first';
import { closureCopies } from '../match/file-view';
import { type ProfileData } from '../match/profile-data';
import type { WireError } from './protocol';
import { type Binary, type LoadedProfileData, type Pending, type Pkg, WARM_BUDGET_CHARS, ON_DEMAND_MAX, readText } from './workspace-data';

export abstract class WorkspacePackages {
  protected folders: string[] = [];
  protected packages = new Map<string, Pkg>();
  protected onDemand = new Map<string, Pkg | null>();
  protected binaries: Binary[] = [];
  protected ge: GoEnvInfo = goEnvFromProcess();
  protected ctx: BuildContext = defaultBuildContext();
  protected shared = new Map<string, ExternalPackage | undefined>();
  /** Per main package: types and index entries outside the workspace (read from disk, cached for the session). */
  protected universes = new Map<string, Universe>();
  protected pathMethod = 'unknown';
  protected lastMillis = 0;
  protected t0 = 0;
  protected history = true;
  /** Profile loads by path (shared by the binaries using the same file). */
  protected loads = new Map<string, Promise<LoadedProfileData | WireError>>();
  /** Set while a prioritised open has not indexed the whole workspace. */
  protected pending: Pending | null = null;
  protected clock = 0;
  protected threshold = 99;
  protected override: string | undefined;
  /** Unsaved editor text by absolute file path; survives a re-open. */
  protected readonly overlays = new Map<string, string>();
  /** Files saved (`update(file, null)`) while a whole-workspace pass lists and reads the folders; null outside such a pass. */
  protected savesDuringPass: Set<string> | null = null;
  /** Where the last `update` spent its time (taking the text, re-indexing the package, re-matching the binaries built from it), in ms. */
  readonly lastUpdate = { textMillis: 0, indexMillis: 0, matchMillis: 0 };
  /** Whether the open workspace is trusted: nothing is written, run or built for an untrusted one (false until `open`). */
  trusted = false;

  /**
   * Puts unsaved text (from before a re-open, or typed while the workspace was being indexed)
   * into newly indexed packages; returns the saved text's index of each package it changed.
   */
  protected applyOverlays(fresh: ReadonlySet<Pkg>): Map<Pkg, PackageIndex> {
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
  protected locateCopies(saved: ReadonlyMap<Pkg, PackageIndex>): void {
    for (const b of this.binaries)
      if (b.data) for (const pkg of this.packages.values()) if (pkg.folder === b.folder) this.copiesFor(pkg, b.data, saved.get(pkg) ?? pkg.index);
  }

  protected universeFor(mainDir: string): Universe {
    let u = this.universes.get(mainDir);
    if (!u) {
      u = createUniverse({ mainDir, goEnv: this.ge, ctx: this.ctx, module: inferPackagePath(mainDir, this.ge)?.module, shared: this.shared });
      this.universes.set(mainDir, u);
    }
    return u;
  }

  /** Puts a file's text into its package's indexer if the file belongs to the build; true if it does. */
  protected putFile(pkg: Pkg, name: string, text: string): boolean {
    if (!pkg.files.has(name)) {
      if (!this.joins(name, text)) return false;
      pkg.files.add(name);
    }
    this.warm(pkg).setFile(name, text);
    return true;
  }

  /** A new file (or one excluded before) joins its package if the build would include it. */
  private joins(name: string, text: string): boolean {
    const head = headerInfo(text);
    return fileIncluded(name, head, this.ctx) && !!head.pkgName && !head.pkgName.endsWith('_test');
  }

  /**
   * Indexes a package again from the files as saved now (unsaved text is put in afterwards by
   * `applyOverlays`, which locates closure copies on this index): for a package a listing pass
   * read before one of its files was saved.
   */
  protected rereadSaved(pkg: Pkg, saved: Iterable<string>): void {
    // A file created and saved during the pass may be missing from a listing taken before it existed.
    for (const file of saved) {
      const name = path.basename(file);
      const text = pkg.files.has(name) ? undefined : readText(file);
      if (text !== undefined && this.joins(name, text)) pkg.files.add(name);
    }
    pkg.indexer = null;
    pkg.index = this.warm(pkg, true).index();
    if ([...this.overlays.keys()].some((f) => path.dirname(f) === pkg.dir)) pkg.indexer = null; // applyOverlays warms it with the unsaved text
  }

  /** The package's incremental indexer, created from the files (and unsaved text, unless `savedOnly`) if it is cold. */
  protected warm(pkg: Pkg, savedOnly = false): PackageIndexer {
    pkg.lastUse = ++this.clock;
    if (pkg.indexer) return pkg.indexer;
    const loc = inferPackagePath(pkg.dir, this.ge);
    const resolver = createSourceResolver({ fromDir: pkg.dir, goEnv: this.ge, ctx: this.ctx, module: loc?.module, shared: this.shared });
    const indexer = new PackageIndexer({ pkgPath: pkg.symbolPath, goos: this.ctx.goos, goarch: this.ctx.goarch, resolver });
    // The files a prioritised open's first stage lexed and parsed are not lexed and parsed again (while their text stands).
    const parsed = takeParsedFiles(pkg.index);
    let size = 0;
    for (const name of [...pkg.files]) {
      const text = (savedOnly ? undefined : this.overlays.get(path.join(pkg.dir, name))) ?? readText(path.join(pkg.dir, name));
      if (text === undefined) {
        pkg.files.delete(name);
        continue;
      }
      const syntax = parsed?.get(name);
      if (syntax && syntax.text === text) indexer.setParsed(syntax);
      else indexer.setFile(name, text);
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

  protected scheduleWarm(pkg: Pkg): void {
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
  protected fullIndex(pkg: Pkg, ix: PackageIndex = this.warm(pkg).index()): void {
    pkg.index = ix;
    pkg.copies.clear();
    for (const b of this.binaries) if (b.data && pkg.folder === b.folder) this.copiesFor(pkg, b.data);
  }

  /** Tokens of a file, for `//line` directives (undefined: the file has none). */
  protected tokensOf(pkg: Pkg, name: string): TokenStream | undefined {
    if (pkg.indexer) return pkg.indexer.getFile(name)?.ts;
    const file = path.join(pkg.dir, name);
    const text = this.overlays.get(file) ?? readText(file);
    if (text === undefined || !/\/[/*]line /.test(text)) return undefined;
    return lex(text);
  }

  /** The package of a file: a workspace package, or one indexed on demand (GOROOT, module cache). */
  protected packageOf(file: string): Pkg | undefined {
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

  protected indexOnDemand(dir: string): Pkg | null {
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
  protected binariesFor(pkg: Pkg): Binary[] {
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
  protected pkgOfSymbol(b: Binary, sym: string): Pkg | undefined {
    const prefix = splitSymbol(sym).prefix;
    for (const p of this.packages.values()) {
      if (p.folder !== b.folder || p.index.symbolPrefix !== prefix) continue;
      if (p.symbolPath === 'main' && p.dir !== b.mainDir) continue;
      return p;
    }
    return undefined;
  }

  /** Compiler copies of the package's inlined closures in a profile (`closureCopies`), computed once per profile, on first use. */
  protected copiesFor(pkg: Pkg, data: ProfileData, index: PackageIndex = pkg.index): Map<string, string> {
    if (isDeclarationsFirst(index)) return closureCopies(index, data.profile.heat); // the open files' closures only: not kept
    let m = pkg.copies.get(data.path);
    if (!m) {
      m = closureCopies(index, data.profile.heat);
      pkg.copies.set(data.path, m);
    }
    return m;
  }
}
