/**
 * List every function, method and closure of the Go packages under a directory, with linker
 * symbols as they appear in profiles (for the `symbols` CLI command and for tests).
 */
import * as path from 'node:path';
import { readSourceText } from '../platform/safe-read';
import { BuildContext, defaultBuildContext } from './build-tags';
import { indexPackage } from './index';
import type { FuncKind, GoVersion, PackageIndex } from './model';
import type { ExternalPackage } from './package-env';
import {
  createSourceResolver,
  goEnv,
  goEnvFromProcess,
  GoEnvInfo,
  inferPackagePath,
  PackagePathMethod,
  packageDirs,
  parseGoListJson,
  readPackageFiles,
} from './packages';
import { runGo, SpawnError } from '../platform/spawn';

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

interface PkgPlan {
  dir: string;
  importPath: string;
  symbolPath: string;
  method: PackagePathMethod;
  files: string[];
  module?: { path: string; dir: string };
  /** Files not read, with why. */
  skipped?: string[];
}

/** One indexed package of a tree. */
export interface IndexedTreePackage extends PackageSummary {
  index: PackageIndex;
}

/** Indexes every package under dir (the same selection and naming as listSymbols). */
export async function indexTree(dir: string, opts: ListSymbolsOptions = {}): Promise<IndexedTreePackage[]> {
  const root = path.resolve(dir);
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
  const plans = new Map<string, PkgPlan[]>();
  if (useGo && ge.goroot !== undefined) {
    for (const p of await goListPlans(root, ctx, opts, ge)) {
      const list = plans.get(p.dir) ?? [];
      list.push(p);
      plans.set(p.dir, list);
    }
  }
  // Directories go list did not cover (no toolchain, nested modules, GOPATH trees, errors).
  for (const d of packageDirs(root)) {
    if (plans.has(d)) continue;
    const pf = readPackageFiles(d, ctx);
    if (!pf) continue;
    const loc = inferPackagePath(d, ge);
    const importPath = loc?.importPath ?? path.basename(d);
    const method = loc?.method ?? 'unknown';
    const isMain = pf.pkgName === 'main';
    const list: PkgPlan[] = [];
    const internal = pf.files.filter((f) => !isExternalTest(f.text, pf.pkgName));
    list.push({
      dir: d,
      importPath,
      symbolPath: isMain && !ctx.tests ? 'main' : importPath,
      method,
      files: internal.map((f) => f.name),
      module: loc?.module,
      ...(pf.skipped ? { skipped: pf.skipped } : {}),
    });
    if (ctx.tests) {
      const all = readPackageFiles(d, ctx, true);
      const xtest = all ? all.files.filter((f) => f.name.endsWith('_test.go') && isExternalTest(f.text, pf.pkgName)).map((f) => f.name) : [];
      if (xtest.length) list.push({ dir: d, importPath: importPath + '_test', symbolPath: importPath + '_test', method, files: xtest, module: loc?.module });
    }
    plans.set(d, list);
  }

  const shared = new Map<string, ExternalPackage | undefined>();
  const out: IndexedTreePackage[] = [];
  for (const d of [...plans.keys()].sort()) {
    for (const plan of plans.get(d) as PkgPlan[]) {
      const files: Array<{ name: string; text: string }> = [];
      const skipped: string[] = [...(plan.skipped ?? [])];
      for (const name of plan.files) {
        const r = readSourceText(path.join(plan.dir, name)); // size-capped, regular files only
        if ('text' in r) files.push({ name, text: r.text });
        else skipped.push(r.skipped);
      }
      if (!files.length) continue;
      const resolver = createSourceResolver({ fromDir: plan.dir, goEnv: ge, ctx, module: plan.module, shared });
      const ix = indexPackage(files, { pkgPath: plan.symbolPath, goVersion: opts.goVersion, goos: ctx.goos, goarch: ctx.goarch, resolver });
      out.push({
        dir: plan.dir,
        importPath: plan.importPath,
        symbolPath: plan.symbolPath,
        method: plan.method,
        files: files.map((f) => f.name),
        errors: ix.errors.length,
        index: ix,
        ...(skipped.length ? { skipped } : {}),
      });
    }
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

/** A `_test.go` file of the external test package (`package x_test`). */
function isExternalTest(text: string, pkgName: string): boolean {
  const m = /^package\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(text);
  return !!m && m[1] === pkgName + '_test';
}

async function goListPlans(root: string, ctx: BuildContext, opts: ListSymbolsOptions, ge: GoEnvInfo): Promise<PkgPlan[]> {
  const args = ['list', '-e', '-json'];
  if (ctx.tags.length) args.push('-tags', ctx.tags.join(','));
  args.push('./...');
  // GOTOOLCHAIN pinned, GOFLAGS cleared (src/platform/spawn.ts).
  const env = { trusted: true, extra: { GOOS: ctx.goos, GOARCH: ctx.goarch, CGO_ENABLED: ctx.cgo ? '1' : '0' } };
  let stdout: string;
  try {
    stdout = (await runGo(args, { cwd: root, env, maxOutput: 1 << 30, timeoutMs: 600_000, ...(opts.goBin ? { goBin: opts.goBin } : {}) })).stdout.toString(
      'utf8',
    );
  } catch (e) {
    stdout = e instanceof SpawnError ? e.stdout.toString('utf8') : ''; // `go list -e` exits 1 with packages printed
  }
  const plans: PkgPlan[] = [];
  try {
    for (const p of parseGoListJson(stdout)) {
      if (!p.Dir || !p.Name) continue;
      // std's vendored packages are "vendor/..." (go list run inside them says otherwise)
      const vendored = ge.goroot && p.Dir.startsWith(path.join(ge.goroot, 'src', 'vendor') + path.sep);
      const importPath = vendored ? (inferPackagePath(p.Dir, ge)?.importPath ?? p.ImportPath) : p.ImportPath;
      const module = p.Module ? { path: p.Module.Path, dir: p.Module.Dir } : undefined;
      const files = [...(p.GoFiles ?? []), ...(ctx.cgo ? (p.CgoFiles ?? []) : [])];
      if (ctx.tests) files.push(...(p.TestGoFiles ?? []));
      const isMain = p.Name === 'main';
      plans.push({
        dir: p.Dir,
        importPath,
        symbolPath: isMain && !ctx.tests ? 'main' : importPath,
        method: 'go list',
        files: files.sort(),
        module,
      });
      if (ctx.tests && p.XTestGoFiles?.length) {
        plans.push({
          dir: p.Dir,
          importPath: importPath + '_test',
          symbolPath: importPath + '_test',
          method: 'go list',
          files: [...p.XTestGoFiles].sort(),
          module,
        });
      }
    }
  } catch {
    return [];
  }
  return plans;
}
