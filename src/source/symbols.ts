/**
 * List every function, method and closure of the Go packages under a directory, with linker
 * symbols as they appear in profiles (for the `symbols` CLI command and for tests).
 */
import * as path from 'node:path';
import { readSourceText } from '../platform/safe-read';
import { BuildContext, DEFAULT_GO_MINOR, defaultBuildContext } from './build-tags';
import { indexPackage } from './index';
import { indexDeclarationsFirst } from './declarations-first';
import type { FuncKind, GoVersion, PackageIndex } from './model';
import type { ExternalPackage } from './package-env';
import { createSourceResolver, goEnv, goEnvFromProcess, GoEnvInfo, PackagePathMethod, packageDirs, readPackageFiles } from './packages';
import { isExternalTest, listDirs, type ListedPackage, listTree, planFromFiles } from './go-list';

export interface ListSymbolsOptions {
  /** Target platform (default linux/amd64, or the toolchain's GOOS/GOARCH when go list is used). */
  goos?: string;
  goarch?: string;
  /** Extra build tags. */
  tags?: string[];
  /** cgo build tag and files importing "C" (default false). */
  cgo?: boolean;
  /**
   * Include `_test.go` files (default false: a normal build excludes them). Then packages are
   * named as `go test` compiles them: a main package gets its import path instead of `main`,
   * and external test files form the package `<path>_test`.
   */
  tests?: boolean;
  /** Naming rules of this Go version (default 1.26). */
  goVersion?: GoVersion;
  /** Use `go list` (if go is on PATH) for import paths and file lists (default true). */
  useGoList?: boolean;
  goBin?: string;
  /** Per package directory: walk only these files' bodies (declarations-first.ts; e.g. the files an editor shows). */
  walkOnly?: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface SymbolInfo {
  symbol: string;
  /** File relative to the listed directory, with '/' separators. */
  file: string;
  /** Physical line of the function's start in `file`. */
  line: number;
  /** Physical line of the function's end. */
  endLine: number;
  /** Start line as the profile records it (after `//line` directives; usually equal to `line`). */
  startLine: number;
  kind: FuncKind;
  /** Import path of the package. */
  pkgPath: string;
}

export interface PackageSummary {
  dir: string;
  importPath: string;
  /** The path symbols were built from ('main' for main packages in a normal build). */
  symbolPath: string;
  /** How the import path was determined. */
  method: PackagePathMethod;
  files: string[];
  errors: number;
  /** Files not indexed, each with why (`file: skipped: it has N bytes, more than the 8 MiB limit…`). */
  skipped?: string[];
}

export async function listSymbols(dir: string, opts: ListSymbolsOptions = {}): Promise<SymbolInfo[]> {
  return (await listSymbolsDetailed(dir, opts)).symbols;
}

/** One indexed package of a tree. */
export interface IndexedTreePackage extends PackageSummary {
  index: PackageIndex;
  /** Directories (under the indexed root) of the packages it depends on, directly or not (`go list -deps`), when known. */
  deps?: string[];
}

/** The packages of a tree, and the skip messages of what could not be listed (FIFOs and devices named `*.go`). */
export interface IndexedTree {
  packages: IndexedTreePackage[];
  messages: string[];
  /** What they were indexed with (to tell whether indexing a package again would give the same index). */
  indexing: TreeIndexing;
}

/** The inputs of the packages' indexes besides their files: `indexPackage` options and each package's source resolver. */
export interface TreeIndexing {
  goEnv: GoEnvInfo;
  ctx: BuildContext;
  /** `goVersion.minor` of the indexes. */
  goMinor: number;
  /** The module of the package indexed from `dir` as `symbolPath` (its resolver's), when known. */
  module(dir: string, symbolPath: string): { path: string; dir: string } | undefined;
  /** The descriptions of imported packages the resolvers made, by directory (`ResolverOptions.shared`; for this goEnv and ctx). */
  shared: Map<string, ExternalPackage | undefined>;
}

/** Indexes the plans; what with. */
function indexWith(
  plans: ListedPackage[],
  ge: GoEnvInfo,
  ctx: BuildContext,
  o: ListSymbolsOptions,
): { packages: IndexedTreePackage[]; indexing: TreeIndexing } {
  const shared = new Map<string, ExternalPackage | undefined>();
  const modules = new Map(plans.map((p) => [`${p.dir}\0${p.symbolPath}`, p.module]));
  return {
    packages: indexPlans(plans, ge, ctx, o, shared),
    indexing: { goEnv: ge, ctx, goMinor: o.goVersion?.minor ?? DEFAULT_GO_MINOR, module: (dir, symbolPath) => modules.get(`${dir}\0${symbolPath}`), shared },
  };
}

/** Indexes every package under dir (the same selection and naming as listSymbols). */
export async function indexTree(dir: string, opts: ListSymbolsOptions = {}): Promise<IndexedTreePackage[]> {
  return (await indexTreeDetailed(dir, opts)).packages;
}

/**
 * indexTree, with the skip messages of the listing. `select` chooses which of the listed
 * packages to read and index (e.g. only those some binary is built from); default all.
 */
export async function indexTreeDetailed(
  dir: string,
  opts: ListSymbolsOptions = {},
  select?: (listed: ListedPackage[]) => ListedPackage[],
): Promise<IndexedTree> {
  const root = path.resolve(dir);
  const useGo = opts.useGoList !== false;
  const { ge, ctx, opts: o } = await treeContext(opts);
  const plans = new Map<string, ListedPackage[]>();
  let messages: string[] = [];
  if (useGo && ge.goroot !== undefined) {
    // One listing of the whole tree, with each package's dependencies; FIFOs and devices named *.go left out (go-list.ts).
    const listing = await listTree(root, { ctx, goEnv: ge, ...(o.goBin ? { goBin: o.goBin } : {}) });
    messages = listing.messages;
    for (const p of listing.packages) {
      const list = plans.get(p.dir) ?? [];
      list.push(p);
      plans.set(p.dir, list);
    }
  }
  // Directories go list did not cover (no toolchain, nested modules, GOPATH trees, errors).
  for (const d of packageDirs(root)) {
    if (plans.has(d)) continue;
    const plan = planFromFiles(d, ctx, ge);
    if (!plan) continue;
    const list: ListedPackage[] = [plan];
    if (ctx.tests) {
      const all = readPackageFiles(d, ctx, true);
      const pkgName = readPackageFiles(d, ctx)?.pkgName ?? '';
      const xtest = all ? all.files.filter((f) => f.name.endsWith('_test.go') && isExternalTest(f.text, pkgName)).map((f) => f.name) : [];
      const { importPath, method, module } = plan;
      if (xtest.length)
        list.push({ dir: d, importPath: importPath + '_test', symbolPath: importPath + '_test', method, files: xtest, ...(module ? { module } : {}) });
    }
    plans.set(d, list);
  }
  const ordered = [...plans.keys()].sort().flatMap((d) => plans.get(d) ?? []);
  return { ...indexWith(select ? select(ordered) : ordered, ge, ctx, o), messages };
}

/**
 * Indexes only the packages in `dirs` (under root), without listing the whole tree: e.g. the
 * open file's package, the main package and the packages of the profile's hot functions
 * (go-list.ts `hotPackageDirs`) first, the rest later with indexTree. Same naming as indexTree;
 * no `deps`.
 */
export async function indexDirs(root: string, dirs: readonly string[], opts: ListSymbolsOptions = {}): Promise<IndexedTree> {
  const { ge, ctx, opts: o } = await treeContext(opts);
  const listing = await listDirs(root, dirs, { ctx, goEnv: ge, useGoList: o.useGoList !== false, ...(o.goBin ? { goBin: o.goBin } : {}) });
  const ordered = [...listing.packages].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  return { ...indexWith(ordered, ge, ctx, o), messages: listing.messages };
}

async function treeContext(opts: ListSymbolsOptions): Promise<{ ge: GoEnvInfo; ctx: BuildContext; opts: ListSymbolsOptions }> {
  const useGo = opts.useGoList !== false;
  // `go env` runs outside dir (it reads no module there); `go list` runs in dir, only when allowed.
  const ge: GoEnvInfo = (await goEnv(opts.goBin)) ?? goEnvFromProcess();
  // Naming rules follow the Go version: the option, else the toolchain on PATH (go env GOVERSION).
  const m = /^go1\.(\d+)/.exec(ge.goVersion ?? '');
  if (!opts.goVersion && m) opts = { ...opts, goVersion: { major: 1, minor: Number(m[1]) } };
  const ctx: BuildContext = defaultBuildContext({
    goos: opts.goos ?? (useGo ? ge.goos : undefined),
    goarch: opts.goarch ?? (useGo ? ge.goarch : undefined),
    cgo: opts.cgo ?? false,
    tags: opts.tags ?? [],
    goMinor: opts.goVersion?.minor,
    tests: opts.tests ?? false,
  });
  return { ge, ctx, opts };
}

/** Reads and indexes listed packages, in the given order (packages without a readable file are left out). */
function indexPlans(
  plans: ListedPackage[],
  ge: GoEnvInfo,
  ctx: BuildContext,
  opts: ListSymbolsOptions,
  shared: Map<string, ExternalPackage | undefined>,
): IndexedTreePackage[] {
  const out: IndexedTreePackage[] = [];
  for (const plan of plans) {
    const files: Array<{ name: string; text: string }> = [];
    const skipped: string[] = [...(plan.skipped ?? [])];
    for (const name of plan.files) {
      const r = readSourceText(path.join(plan.dir, name)); // size-capped, regular files only
      if ('text' in r) files.push({ name, text: r.text });
      else skipped.push(r.skipped);
    }
    if (!files.length) continue;
    const resolver = createSourceResolver({ fromDir: plan.dir, goEnv: ge, ctx, module: plan.module, shared });
    const io = { pkgPath: plan.symbolPath, goVersion: opts.goVersion, goos: ctx.goos, goarch: ctx.goarch, resolver };
    const only = opts.walkOnly?.get(plan.dir);
    const ix = only ? indexDeclarationsFirst(files, io, only) : indexPackage(files, io);
    out.push({
      dir: plan.dir,
      importPath: plan.importPath,
      symbolPath: plan.symbolPath,
      method: plan.method,
      files: files.map((f) => f.name),
      errors: ix.errors.length,
      index: ix,
      ...(skipped.length ? { skipped } : {}),
      ...(plan.deps ? { deps: plan.deps } : {}),
    });
  }
  return out;
}

export async function listSymbolsDetailed(dir: string, opts: ListSymbolsOptions = {}): Promise<{ symbols: SymbolInfo[]; packages: PackageSummary[] }> {
  const root = path.resolve(dir);
  const symbols: SymbolInfo[] = [];
  const packages: PackageSummary[] = [];
  for (const { index: ix, ...summary } of await indexTree(root, opts)) {
    packages.push(summary);
    const relDir = path.relative(root, summary.dir).split(path.sep).join('/');
    for (const f of ix.funcs) {
      if (f.kind === 'varinit') continue;
      symbols.push({
        symbol: f.symbol,
        file: relDir ? `${relDir}/${f.file}` : f.file,
        line: f.physicalStartLine,
        endLine: f.physicalEndLine,
        startLine: f.startLine,
        kind: f.kind,
        pkgPath: summary.importPath,
      });
    }
  }
  return { symbols, packages };
}
