/**
 * The workspace report: for each main package under a directory that has a profile (its
 * `default.pgo`, or one `-pgo=` profile for all), the profile matched against the source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProfileFile } from '../pgo/load';
import { DEFAULT_CDF_THRESHOLD, hotSet, type PgoProfile } from '../pgo/model';
import { type BuildContext, DEFAULT_GO_MINOR, defaultBuildContext } from '../source/build-tags';
import type { PackageIndex } from '../source/model';
import type { ExternalPackage } from '../source/package-env';
import { goEnv, goEnvFromProcess, type GoEnvInfo, inferPackagePath, resolveImportDir } from '../source/packages';
import type { ListedPackage } from '../source/go-list';
import { type IndexedTree, indexTreeDetailed, type IndexedTreePackage, type ListSymbolsOptions } from '../source/symbols';
import { createUniverse, type UniverseOptions } from '../source/universe';
import { withLazyOutside } from './report-outside';
import { type BinaryMatch, matchBinary } from './match';
import { type HistoryInfo, ProfileHistory } from './git-history';
import { PERCENT_BASE, type PercentBase } from '../pgo/percent';

export interface ReportOptions extends ListSymbolsOptions {
  /** Like `go build -pgo=FILE`: one profile for every main package. */
  profile?: string;
  thresholdPercent?: number;
  /**
   * Use git history: the commit that last changed each profile re-aligns drifted offsets exactly
   * and lists the hot functions edited since (default false; runs `git`).
   */
  history?: boolean;
}

export interface BinaryReportJson {
  mainPackage: string;
  profile: string;
  /** Every percentage below is of the profile total (pgo/percent.ts). */
  percentBase: PercentBase;
  /** The base: sum of the chosen sample values (TotalWeight for preprofile input). */
  profileTotal: number;
  inlineCandidates: BinaryMatch['inlineCandidates'];
  devirtualizations: Array<Omit<BinaryMatch['devirtualizations'][number], 'col' | 'kind'>>;
  /** Each lost hot edge charged to one entry: Σ unmatched[].percent = lostPercent = 100 − matchedPercent. */
  unmatched: Array<Omit<BinaryMatch['unmatched'][number], 'lineMap'>>;
  matchedPercent: number;
  lostPercent: number;
  /** With `history`: the profile's commit and the hot functions edited since (files relative to root); or why there is none. */
  history?: HistoryInfo | { none: string };
}

export interface WorkspaceReport {
  root: string;
  /** The packages read and indexed: those the binaries with a profile are built from (`builtFrom`). */
  packages: IndexedTreePackage[];
  /** What could not be listed or read (FIFOs and devices named `*.go`, oversized files), one message each. */
  skipped: string[];
  binaries: Array<BinaryMatch & { pgo: PgoProfile; history?: HistoryInfo | { none: string } }>;
}

export async function buildReport(dir: string, opts: ReportOptions = {}): Promise<WorkspaceReport> {
  const root = path.resolve(dir);
  // Each package listed (with its dependencies), read and indexed once, shared by every binary.
  // Only the packages some binary with a profile is built from are read and indexed.
  const tree = await indexTreeDetailed(root, opts, (listed) => builtFrom(listed, opts.profile !== undefined));
  const { packages, messages } = tree;
  const named = new Set(messages.map(fileOfMessage));
  const skipped = [...messages, ...packages.flatMap((p) => p.skipped ?? []).filter((m) => !named.has(fileOfMessage(m)))];
  const binaries: WorkspaceReport['binaries'] = [];
  const cache = new Map<string, PgoProfile>();
  const ge = (await goEnv(opts.goBin)) ?? goEnvFromProcess();
  const ctx = defaultBuildContext({
    goos: opts.goos ?? ge.goos,
    goarch: opts.goarch ?? ge.goarch,
    cgo: opts.cgo ?? false,
    tags: opts.tags ?? [],
    goMinor: opts.goVersion?.minor,
    tests: false,
  });
  const sharedIndexes = new Map<string, PackageIndex | null>();
  // A package of the tree that some binary does not contain (cmd/compile/internal/ssa for cmd/go) is not indexed again for its
  // costs, and imported packages are not described again, when the tree was indexed with the same inputs.
  const same = sameInputs(tree, ge, ctx);
  const indexed = withLazyOutside(same ? treeIndexes(tree, ge) : undefined, ge, ctx);
  const shared = same ? tree.indexing.shared : new Map<string, ExternalPackage | undefined>();
  for (const main of packages.filter((p) => p.symbolPath === 'main')) {
    const file = opts.profile ? path.resolve(opts.profile) : path.join(main.dir, 'default.pgo');
    if (!opts.profile && !fs.existsSync(file)) continue; // -pgo=auto: no default.pgo, no PGO
    let pgo = cache.get(file);
    if (!pgo) {
      pgo = (await loadProfileFile(file)).profile;
      cache.set(file, pgo);
    }
    const hot = hotSet(pgo, opts.thresholdPercent ?? DEFAULT_CDF_THRESHOLD);
    const universe = createUniverse({ mainDir: main.dir, goEnv: ge, ctx, module: inferPackagePath(main.dir, ge)?.module, shared, sharedIndexes, indexed });
    const input = { root, mainDir: main.dir, profilePath: file, profile: pgo, hot, packages: closureOf(main, packages), universe };
    let m = matchBinary(input);
    let history: HistoryInfo | { none: string } | undefined;
    if (opts.history) {
      const h = await ProfileHistory.load(
        file,
        [...m.resolved.values()].map((r) => path.join(r.pkg.dir, r.entry.file)),
      );
      if (typeof h === 'string') history = { none: h };
      else {
        const read = (abs: string): string | undefined => {
          try {
            return fs.readFileSync(abs, 'utf8');
          } catch {
            return undefined;
          }
        };
        const fileHistory = (abs: string) => h.file(abs, undefined, read);
        if (h.differs(new Map())) m = matchBinary({ ...input, history: (pkg, f) => fileHistory(path.join(pkg.dir, f)) });
        history = h.summary(h.changedFunctions(pgo, m, fileHistory).map((c) => ({ ...c, file: path.relative(root, c.file).split(path.sep).join('/') })));
      }
    }
    binaries.push({ ...m, pgo, ...(history ? { history } : {}) });
  }
  return { root, packages, binaries, skipped };
}

/** The tree was indexed with this Go environment and build context. */
function sameInputs(tree: IndexedTree, ge: GoEnvInfo, ctx: BuildContext): boolean {
  return JSON.stringify(tree.indexing.ctx) === JSON.stringify(ctx) && JSON.stringify(tree.indexing.goEnv) === JSON.stringify(ge);
}

/**
 * The tree's index of a package, for a universe (`UniverseOptions.indexed`) that would index the
 * same files with the same inputs: the same Go environment and build context, the default Go
 * version, the same module or one under which every import of the package resolves to the same
 * directory; else undefined (the universe indexes it itself).
 */
function treeIndexes(tree: IndexedTree, ge: GoEnvInfo): UniverseOptions['indexed'] {
  const t = tree.indexing;
  if (t.goMinor !== DEFAULT_GO_MINOR) return undefined;
  const byDir = new Map<string, IndexedTreePackage[]>();
  for (const p of tree.packages) byDir.set(p.dir, [...(byDir.get(p.dir) ?? []), p]);
  return (dir, pkgPath, files, module) => {
    const p = byDir.get(dir)?.find((x) => x.symbolPath === pkgPath);
    if (!p || p.files.length !== files.length || p.files.some((f, i) => f !== files[i])) return undefined;
    // The module only steers where the package's own imports resolve (packages.ts resolveImportDir): they must resolve alike.
    const m = t.module(dir, pkgPath);
    const same = m?.path === module?.path && m?.dir === module?.dir;
    if (!same && (!p.index.imports || p.index.imports.some((i) => resolveImportDir(i, dir, ge, m) !== resolveImportDir(i, dir, ge, module)))) return undefined;
    return p.index;
  };
}

/**
 * The listed packages the binaries with a profile are built from: their main packages (every
 * main package with `anyMain`, as with --profile; else those with a default.pgo) and their
 * dependencies. All of them when some such main package's dependencies are not known.
 */
export function builtFrom(listed: ListedPackage[], anyMain: boolean): ListedPackage[] {
  const keep = new Set<string>();
  for (const p of listed) {
    if (p.symbolPath !== 'main' || (!anyMain && !fs.existsSync(path.join(p.dir, 'default.pgo')))) continue;
    if (!p.deps) return listed;
    keep.add(p.dir);
    for (const d of p.deps) keep.add(d);
  }
  return listed.filter((p) => keep.has(p.dir));
}

/** The file a skip message (`FILE: skipped: why`) names. */
function fileOfMessage(m: string): string {
  const i = m.indexOf(': skipped: ');
  return i < 0 ? m : m.slice(0, i);
}

/**
 * The packages a main package's binary is built from: itself and the indexed packages it
 * depends on (go list -deps). Without that listing (no toolchain, a nested module) every
 * indexed package: matchBinary then keeps every non-main one.
 */
export function closureOf(main: IndexedTreePackage, packages: IndexedTreePackage[]): IndexedTreePackage[] {
  if (!main.deps) return packages;
  const deps = new Set(main.deps);
  return packages.filter((p) => p === main || (p.symbolPath !== 'main' && deps.has(p.dir)));
}

export function reportJson(r: WorkspaceReport): { binaries: BinaryReportJson[] } {
  return {
    binaries: r.binaries.map((b) => ({
      mainPackage: b.mainPackage,
      profile: path.relative(r.root, b.profile).split(path.sep).join('/') || b.profile,
      percentBase: PERCENT_BASE,
      profileTotal: b.profileTotal,
      inlineCandidates: b.inlineCandidates,
      devirtualizations: b.devirtualizations.map(({ file, line, caller, callee, weight, certain, doubt }) => ({
        file,
        line,
        caller,
        callee,
        weight,
        certain,
        ...(doubt ? { doubt } : {}),
      })),
      unmatched: b.unmatched.map(({ lineMap: _, ...u }) => u),
      matchedPercent: b.matchedPercent,
      lostPercent: b.lostPercent,
      ...(b.history ? { history: b.history } : {}),
    })),
  };
}
