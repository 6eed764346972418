/**
 * What the matcher needs to know about code outside the indexed workspace packages: the type
 * facts of any package (method sets, interface satisfaction) and the index entries of functions
 * in packages it has not indexed (the standard library, module dependencies), for their inliner
 * cost (whether their bodies are in export data). Reads the disk (like packages.ts): not for
 * index.ts.
 *
 * Paths are the ones symbols use: the main package is `main` (its types described under that
 * name, as its own index spells them), every other package its import path.
 */
import type { BuildContext } from './build-tags';
import { genericKey, indexPackage, prefixToPath, splitSymbol } from './index';
import type { FuncEntry, PackageIndex } from './model';
import { typeSource, type TypeSource } from './method-sets';
import type { ExternalPackage, ImportResolver } from './package-env';
import { parseDeclarations } from './package-env';
import { type OutsideIndexCache, processOutsideCache } from './index-cache';
import { createSourceResolver, describePackage, type GoEnvInfo, inferPackagePath, readPackageFiles, resolveImportDir, sourceChars } from './packages';

export interface Universe {
  types: TypeSource;
  /** The index entry of a function by linker symbol, in a package outside the workspace's (indexed on first use). */
  entry(symbol: string): FuncEntry | undefined;
}

export interface UniverseOptions {
  /** Directory of the main package (imports resolve from here). */
  mainDir: string;
  goEnv: GoEnvInfo;
  ctx: BuildContext;
  module?: { path: string; dir: string };
  /** Shared descriptions of imported packages (see `ResolverOptions.shared`). */
  shared?: Map<string, ExternalPackage | undefined>;
  /** At most this many outside packages are indexed (default 64). */
  maxPackages?: number;
  /**
   * Indexes of outside packages shared by the universes of one build context (e.g. every binary
   * of a report), keyed by directory and path: each is indexed once. `maxPackages` still counts
   * per universe.
   */
  sharedIndexes?: Map<string, PackageIndex | null>;
  /**
   * An index made before of exactly these files (by name, in order) of the package at `dir` with
   * the same inputs as here (`indexPackage` with this context's goos/goarch and the default Go
   * version, imports resolved from `dir` in `module`), e.g. by the report's indexTree; reused
   * instead of indexing the package again. Undefined when there is none.
   */
  indexed?: (dir: string, path: string, files: readonly string[], module: { path: string; dir: string } | undefined) => PackageIndex | undefined;
  /**
   * Indexes of packages in GOROOT and the module cache across universes and models (default: the
   * process-wide `outsideIndexCache`; null: none). Checked after `sharedIndexes` and `indexed`.
   */
  outside?: OutsideIndexCache | null;
}

export function createUniverse(opts: UniverseOptions): Universe {
  const resolver = createSourceResolver({
    fromDir: opts.mainDir,
    goEnv: opts.goEnv,
    ctx: opts.ctx,
    module: opts.module,
    ...(opts.shared ? { shared: opts.shared } : {}),
  });
  let mainDesc: ExternalPackage | undefined | null = null;
  const main = (): ExternalPackage | undefined => {
    if (mainDesc === null) {
      const pf = readPackageFiles(opts.mainDir, opts.ctx);
      mainDesc = pf
        ? describePackage(
            pf.files.map((f) => parseDeclarations(f.name, f.text)),
            resolver,
            opts.ctx,
            'main',
          )
        : undefined;
    }
    return mainDesc;
  };
  const byPath: ImportResolver = (p) => (p === 'main' ? main() : resolver(p));
  const indexes = new Map<string, PackageIndex | null>();
  const max = opts.maxPackages ?? 64;
  const outside = opts.outside === undefined ? processOutsideCache() : opts.outside;
  const indexOf = (path: string): PackageIndex | undefined => {
    if (indexes.has(path)) return indexes.get(path) ?? undefined;
    let ix: PackageIndex | undefined;
    if (path !== 'main' && indexes.size < max) {
      const dir = resolveImportDir(path, opts.mainDir, opts.goEnv, opts.module);
      const key = dir ? `${dir}\0${path}` : undefined;
      if (key && opts.sharedIndexes?.has(key)) {
        ix = opts.sharedIndexes.get(key) ?? undefined;
        indexes.set(path, ix ?? null);
        return ix;
      }
      const cacheable = !!dir && !!outside?.cacheable(dir, opts.goEnv);
      // The caller's own index of exactly these files first (the report's tree), then the process-wide
      // cache of outside packages, then a fresh index.
      const pf = dir && (opts.indexed || !cacheable) ? readPackageFiles(dir, opts.ctx) : undefined;
      const loc = dir && pf && pf.pkgName !== 'main' ? inferPackagePath(dir, opts.goEnv) : undefined;
      if (dir && pf && pf.pkgName !== 'main')
        ix = opts.indexed?.(
          dir,
          path,
          pf.files.map((f) => f.name),
          loc?.module,
        );
      if (!ix && dir && cacheable && outside)
        ix = outside.lookup('index', dir, path, opts.ctx, opts.goEnv, (record) => {
          const files = readPackageFiles(dir, opts.ctx);
          if (!files || files.pkgName === 'main') return undefined;
          // Its resolver shares nothing with this universe's model: the cache may outlive it.
          const r = createSourceResolver({
            fromDir: dir,
            goEnv: opts.goEnv,
            ctx: opts.ctx,
            module: inferPackagePath(dir, opts.goEnv)?.module,
            outside,
            record,
          });
          return { value: indexPackage(files.files, { pkgPath: path, goos: opts.ctx.goos, goarch: opts.ctx.goarch, resolver: r }), chars: sourceChars(files) };
        })?.value;
      if (!ix && dir && !cacheable && pf && pf.pkgName !== 'main') {
        const r = createSourceResolver({
          fromDir: dir,
          goEnv: opts.goEnv,
          ctx: opts.ctx,
          module: loc?.module,
          ...(opts.shared ? { shared: opts.shared } : {}),
        });
        ix = indexPackage(pf.files, { pkgPath: path, goos: opts.ctx.goos, goarch: opts.ctx.goarch, resolver: r });
      }
      if (key) opts.sharedIndexes?.set(key, ix ?? null);
    }
    indexes.set(path, ix ?? null);
    return ix;
  };
  return {
    types: typeSource(byPath),
    entry(symbol) {
      const { prefix } = splitSymbol(symbol);
      const path = prefixToPath(prefix);
      if (path === undefined) return undefined;
      return indexOf(path)?.bySymbol.get(genericKey(symbol)) ?? indexOf(path)?.bySymbol.get(symbol);
    },
  };
}
