/**
 * Import paths of directories, and reading packages from disk: via `go list -json` when the
 * toolchain is available, otherwise by reasoning from go.mod / go.work / vendor / the module
 * cache / GOROOT / GOPATH. Also builds an ImportResolver from imported packages' sources.
 */
import { runGo } from '../platform/spawn';
import { readSourceText } from '../platform/safe-read';
import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type * as A from './ast';
import { BuildContext, defaultBuildContext, fileIncluded, headerInfo, isBuildableGoFileName } from './build-tags';

export { headerInfo };
import { lex } from './lexer';
import { parsePackageName, unquote } from './parser';
import type { ConstVal } from './consts';
import type { ExternalFunc, ExternalPackage, ExternalType, ExternalTypeName, FileSyntax, ImportResolver, PkgEnv } from './package-env';
import { buildPkgEnv, builtinExternal, parseDeclarations, receiverInfo } from './package-env';
import { type DepRecorder, type OutsideIndexCache, processOutsideCache } from './index-cache';
import { Walker } from './walker';

export type PackagePathMethod = 'go list' | 'go.mod' | 'go.work' | 'vendor' | 'modcache' | 'goroot' | 'gopath' | 'unknown';

export interface PackageLocation {
  dir: string;
  /** The package's import path (its real one, also for main packages). */
  importPath: string;
  /** The path symbols are built from: 'main' for a main package in a normal build. */
  symbolPath: string;
  /** Package name, when known. */
  name?: string;
  /** How the import path was found. */
  method: PackagePathMethod;
  module?: { path: string; dir: string };
  /** Files of a normal build (from go list, or chosen by build tags). */
  goFiles?: string[];
}

export interface GoEnvInfo {
  goroot?: string;
  gopath?: string;
  gomodcache?: string;
  goVersion?: string;
  goos?: string;
  goarch?: string;
  cgo?: boolean;
}

let goEnvCache: Promise<GoEnvInfo | undefined> | undefined;

/** `go env` facts, or undefined if go is not on PATH. Cached. */
export function goEnv(goBin = 'go'): Promise<GoEnvInfo | undefined> {
  if (!goEnvCache) {
    // In a private empty directory (never a workspace: its go.mod could name a toolchain), GOFLAGS cleared.
    goEnvCache = runGo(['env', '-json', 'GOROOT', 'GOPATH', 'GOMODCACHE', 'GOVERSION', 'GOOS', 'GOARCH', 'CGO_ENABLED'], {
      goBin,
      env: { trusted: true },
      timeoutMs: 30_000,
    })
      .then((r) => {
        const j = JSON.parse(r.stdout.toString('utf8')) as Record<string, string>;
        return {
          goroot: j.GOROOT || undefined,
          gopath: j.GOPATH || undefined,
          gomodcache: j.GOMODCACHE || undefined,
          goVersion: j.GOVERSION || undefined,
          goos: j.GOOS || undefined,
          goarch: j.GOARCH || undefined,
          cgo: j.CGO_ENABLED === '1',
        };
      })
      .catch(() => undefined);
  }
  return goEnvCache;
}

/** Go environment from process variables only (no toolchain). */
export function goEnvFromProcess(env: NodeJS.ProcessEnv = process.env): GoEnvInfo {
  const home = env.HOME ?? env.USERPROFILE ?? '';
  const gopath = env.GOPATH || (home ? path.join(home, 'go') : undefined);
  const firstGopath = gopath ? gopath.split(path.delimiter)[0] : undefined;
  return {
    goroot: env.GOROOT || undefined,
    gopath,
    gomodcache: env.GOMODCACHE || (firstGopath ? path.join(firstGopath, 'pkg', 'mod') : undefined),
    goos: env.GOOS || undefined,
    goarch: env.GOARCH || undefined,
  };
}

interface GoListPackage {
  Dir: string;
  ImportPath: string;
  Name: string;
  GoFiles?: string[];
  CgoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  Module?: { Path: string; Dir: string };
  Goroot?: boolean;
  Error?: { Err: string };
}

/** Parse the concatenated JSON objects `go list -json` prints (`T`: the fields the caller reads). */
export function parseGoListJson<T = GoListPackage>(out: string): T[] {
  const res: T[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0 && start >= 0) {
        res.push(JSON.parse(out.slice(start, i + 1)) as T);
        start = -1;
      }
    }
  }
  return res;
}

export interface FindOptions {
  /** Use `go list` when go is on PATH (default true). */
  useGoList?: boolean;
  goBin?: string;
  /** Environment for `go` (e.g. CGO_ENABLED, GOOS, GOFLAGS). */
  env?: NodeJS.ProcessEnv;
  goEnv?: GoEnvInfo;
}

/** Import path of the package in `dir`, preferring `go list`, falling back to file-system reasoning. */
export async function findPackagePath(dir: string, opts: FindOptions = {}): Promise<PackageLocation> {
  const abs = path.resolve(dir);
  const ge = opts.goEnv ?? (await goEnv(opts.goBin)) ?? goEnvFromProcess();
  // GOROOT/src/vendor packages are imported as "vendor/..." by std; go list from inside the
  // directory reports the unvendored path, so decide those from the file system.
  const groot = ge.goroot ?? goEnvFromProcess().goroot;
  if (groot && isWithin(path.join(groot, 'src', 'vendor'), abs)) {
    const loc = inferPackagePath(abs, ge);
    if (loc) return loc;
  }
  // go list opens every .go file of the package: a FIFO would block it (go-list.ts scanWorkspace does this for trees).
  if (opts.useGoList !== false && !hasNonRegularGoFile(abs)) {
    try {
      // Only for trusted workspaces (callers pass useGoList: false otherwise); GOTOOLCHAIN pinned, GOFLAGS cleared.
      // -find: imports are not loaded (a FIFO in an imported package's directory cannot block it; they are not needed here).
      const r = await runGo(['list', '-e', '-find', '-json', '.'], {
        cwd: abs,
        ...(opts.goBin ? { goBin: opts.goBin } : {}),
        env: { trusted: true, ...(opts.env ? { base: opts.env } : {}) },
      });
      const [p] = parseGoListJson(r.stdout.toString('utf8'));
      if (p && p.ImportPath && !p.ImportPath.startsWith('_')) {
        return {
          dir: p.Dir || abs,
          importPath: p.ImportPath,
          symbolPath: p.Name === 'main' ? 'main' : p.ImportPath,
          name: p.Name || undefined,
          method: 'go list',
          module: p.Module ? { path: p.Module.Path, dir: p.Module.Dir } : undefined,
          goFiles: p.Name ? [...(p.GoFiles ?? []), ...(p.CgoFiles ?? [])] : undefined,
        };
      }
    } catch {
      // fall through to reasoning from the file system
    }
  }
  const loc = inferPackagePath(abs, ge);
  if (loc) return loc;
  return { dir: abs, importPath: path.basename(abs), symbolPath: path.basename(abs), method: 'unknown' };
}

/** dir has a `.go` entry that is neither a regular file nor a directory (after links). */
function hasNonRegularGoFile(dir: string): boolean {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((e) => {
    if (!e.name.endsWith('.go') || e.isFile() || e.isDirectory()) return false;
    const st = e.isSymbolicLink() ? statSync(path.join(dir, e.name), { throwIfNoEntry: false }) : undefined;
    return e.isSymbolicLink() ? !!st && !st.isFile() && !st.isDirectory() : true;
  });
}

function isWithin(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

/** Decode the module cache's case escaping: `!x` stands for `X`. */
export function unescapeModulePath(p: string): string {
  return p.replace(/!([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Encode a module path for the module cache (`X` -> `!x`). */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

/** Read `module` from a go.mod file. */
export function readModulePath(goModText: string): string | undefined {
  for (const raw of goModText.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const m = /^module\s+(.+)$/.exec(line);
    if (m?.[1] !== undefined) {
      let p = m[1].trim();
      if (p.startsWith('"') || p.startsWith('`')) p = unquote(p);
      return p;
    }
  }
  return undefined;
}

/** `use` directories of a go.work file (relative to its directory). */
export function readGoWorkUses(text: string): string[] {
  const uses: string[] = [];
  let inBlock = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (inBlock) {
      if (line === ')') inBlock = false;
      else if (line) uses.push(unquoteMaybe(line));
      continue;
    }
    const m = /^use\s+(.*)$/.exec(line);
    if (m?.[1] === undefined) continue;
    const arg = m[1].trim();
    if (arg === '(') inBlock = true;
    else uses.push(unquoteMaybe(arg));
  }
  return uses;
}

function unquoteMaybe(s: string): string {
  return s.startsWith('"') || s.startsWith('`') ? unquote(s) : s;
}

/** Package name from the first buildable .go file in dir. */
function packageNameOf(dir: string): string | undefined {
  try {
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.go') || f.endsWith('_test.go')) continue;
      const r = readSourceText(path.join(dir, f));
      if (!('text' in r)) continue;
      const text = r.text;
      const name = parsePackageName(lex(text.slice(0, Math.min(text.length, headerLength(text)))));
      if (name) return name;
    }
  } catch {
    // unreadable directory
  }
  return undefined;
}

function headerLength(text: string): number {
  const i = text.search(/^package\s+\w+/m);
  if (i < 0) return Math.min(text.length, 4096);
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl + 1;
}

/** Import path from the file system alone. */
export function inferPackagePath(dir: string, ge: GoEnvInfo = goEnvFromProcess()): PackageLocation | undefined {
  const abs = path.resolve(dir);
  const name = packageNameOf(abs);
  const mk = (importPath: string, method: PackagePathMethod, module?: { path: string; dir: string }): PackageLocation => ({
    dir: abs,
    importPath,
    symbolPath: name === 'main' ? 'main' : importPath,
    name,
    method,
    module,
  });
  // GOROOT: std and cmd, with their vendor directories.
  if (ge.goroot) {
    const src = path.join(ge.goroot, 'src');
    if (isWithin(src, abs)) {
      const rel = toSlash(path.relative(src, abs));
      if (rel.startsWith('cmd/vendor/')) return mk(rel.slice('cmd/vendor/'.length), 'goroot', { path: 'cmd', dir: path.join(src, 'cmd') });
      if (rel.startsWith('cmd/') || rel === 'cmd') return mk(rel, 'goroot', { path: 'cmd', dir: path.join(src, 'cmd') });
      return mk(rel, 'goroot', { path: 'std', dir: src });
    }
  }
  // Module cache: $GOMODCACHE/<escaped module>@<version>/<sub>
  if (ge.gomodcache && isWithin(ge.gomodcache, abs)) {
    const rel = toSlash(path.relative(ge.gomodcache, abs));
    const parts = rel.split('/');
    const at = parts.findIndex((p) => p.includes('@'));
    if (at >= 0 && !rel.startsWith('cache/')) {
      const modParts = parts.slice(0, at);
      const versioned = parts[at] ?? '';
      modParts.push(versioned.slice(0, versioned.indexOf('@')));
      const modPath = unescapeModulePath(modParts.join('/'));
      const sub = parts.slice(at + 1).join('/');
      const modDir = path.join(ge.gomodcache, ...parts.slice(0, at + 1));
      return mk(sub ? `${modPath}/${sub}` : modPath, 'modcache', { path: modPath, dir: modDir });
    }
  }
  // Walk up: vendor/ directories and go.mod files.
  let cur = abs;
  for (;;) {
    const parent = path.dirname(cur);
    if (path.basename(cur) === 'vendor' && existsSync(path.join(parent, 'go.mod'))) {
      const rel = toSlash(path.relative(cur, abs));
      if (rel) return mk(rel, 'vendor');
    }
    const gomod = path.join(cur, 'go.mod');
    if (existsSync(gomod)) {
      const mod = readModulePath(readFileSync(gomod, 'utf8'));
      if (mod) {
        const rel = toSlash(path.relative(cur, abs));
        const inWork = findGoWork(cur);
        return mk(rel ? `${mod}/${rel}` : mod, inWork ? 'go.work' : 'go.mod', { path: mod, dir: cur });
      }
    }
    if (parent === cur) break;
    cur = parent;
  }
  // GOPATH mode: $GOPATH/src/<import path>
  for (const gp of (ge.gopath ?? '').split(path.delimiter).filter(Boolean)) {
    const src = path.join(gp, 'src');
    if (isWithin(src, abs) && src !== abs) return mk(toSlash(path.relative(src, abs)), 'gopath');
  }
  return undefined;
}

/** The go.work that includes module directory `modDir`, if any. */
function findGoWork(modDir: string): string | undefined {
  let cur = modDir;
  for (;;) {
    const gw = path.join(cur, 'go.work');
    if (existsSync(gw)) {
      const uses = readGoWorkUses(readFileSync(gw, 'utf8')).map((u) => path.resolve(cur, u));
      if (uses.some((u) => u === modDir)) return gw;
      return undefined;
    }
    const parent = path.dirname(cur);
    if (parent === cur) return undefined;
    cur = parent;
  }
}

// ---- reading packages -----------------------------------------------------------------------------

export interface PackageFiles {
  dir: string;
  pkgName: string;
  files: { name: string; text: string }[];
  /** Files not read, each with why (too large for a Go source file, not a regular file). */
  skipped?: string[];
}

/**
 * The files of the package in `dir` for a normal build in `ctx` (build constraints, file-name
 * suffixes, cgo, `_test.go`). Files of other packages (e.g. the external test package
 * `package x_test`) are excluded unless `allPackages`.
 */
export function readPackageFiles(dir: string, ctx: BuildContext = defaultBuildContext(), allPackages = false): PackageFiles | undefined {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((f) => isBuildableGoFileName(f, ctx))
      .sort();
  } catch {
    return undefined;
  }
  const files: { name: string; text: string; pkg: string }[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    let text: string;
    try {
      const r = readSourceText(path.join(dir, name)); // size-capped, regular files only
      if (!('text' in r)) {
        skipped.push(r.skipped);
        continue;
      }
      text = r.text;
    } catch {
      continue;
    }
    const head = headerInfo(text);
    if (!fileIncluded(name, head, ctx)) continue;
    if (!head.pkgName) continue;
    files.push({ name, text, pkg: head.pkgName });
  }
  if (!files.length) return undefined;
  // Package name: the non-_test name (documentation files of another name would be a build error).
  const pkgName = files.find((f) => !f.pkg.endsWith('_test'))?.pkg ?? files[0]?.pkg ?? '';
  const keep = allPackages ? files : files.filter((f) => f.pkg === pkgName);
  return { dir, pkgName, files: keep.map(({ name, text }) => ({ name, text })), ...(skipped.length ? { skipped } : {}) };
}

// ---- resolving imports ----------------------------------------------------------------------------

/** Directory of an import path as seen from a package in `fromDir`. */
export function resolveImportDir(importPath: string, fromDir: string, ge: GoEnvInfo, module?: { path: string; dir: string }): string | undefined {
  const goroot = ge.goroot;
  // std (no dot in the first element)
  const first = importPath.split('/')[0];
  if (goroot && first !== undefined && !first.includes('.')) {
    const d = path.join(goroot, 'src', importPath);
    if (existsSync(d)) return d;
  }
  // vendor directories between fromDir and the module root (and GOROOT's own vendor dirs)
  let cur = path.resolve(fromDir);
  const stop = module ? path.resolve(module.dir) : undefined;
  for (;;) {
    const v = path.join(cur, 'vendor', importPath);
    if (existsSync(v)) return v;
    if (stop && cur === stop) break;
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  if (goroot) {
    for (const v of [path.join(goroot, 'src', 'vendor', importPath), path.join(goroot, 'src', 'cmd', 'vendor', importPath)]) {
      if (existsSync(v)) return v;
    }
  }
  // the importing module itself
  if (module && (importPath === module.path || importPath.startsWith(module.path + '/'))) {
    const d = path.join(module.dir, importPath.slice(module.path.length));
    if (existsSync(d)) return d;
  }
  // module cache: try each prefix as a module path, newest version directory
  if (ge.gomodcache) {
    const parts = importPath.split('/');
    for (let n = parts.length; n >= 1; n--) {
      const modPath = parts.slice(0, n).join('/');
      const esc = escapeModulePath(modPath);
      const parent = path.join(ge.gomodcache, path.dirname(esc));
      const base = path.basename(esc) + '@';
      let entries: string[];
      try {
        entries = readdirSync(parent).filter((e) => e.startsWith(base));
      } catch {
        continue;
      }
      if (!entries.length) continue;
      entries.sort();
      const newest = entries[entries.length - 1];
      if (newest === undefined) continue;
      const d = path.join(parent, newest, ...parts.slice(n));
      if (existsSync(d)) return d;
    }
  }
  return undefined;
}

export interface ResolverOptions {
  /** Directory of the importing package (for vendor and module lookups). */
  fromDir: string;
  goEnv?: GoEnvInfo;
  ctx?: BuildContext;
  module?: { path: string; dir: string };
  /**
   * Shared across resolvers (e.g. all packages of a tree): described packages by directory, so
   * each imported package is read and parsed at most once.
   */
  shared?: Map<string, ExternalPackage | undefined>;
  /**
   * Descriptions of packages in GOROOT and the module cache, across resolvers and models
   * (default: the process-wide `processOutsideCache()`; null: none).
   */
  outside?: OutsideIndexCache | null;
  /** Told of every import this resolver (and the ones it makes) resolves: how a cached description records what it depends on. */
  record?: DepRecorder;
}

/**
 * An ImportResolver that reads imported packages' sources: their names (from one file header),
 * and lazily, on first use, constants (evaluated, following their own imports), function
 * signatures and func types. Results are cached per import path for the resolver's lifetime.
 */
export function createSourceResolver(opts: ResolverOptions): ImportResolver {
  const ge = opts.goEnv ?? goEnvFromProcess();
  const ctx = { ...(opts.ctx ?? defaultBuildContext()), tests: false };
  const cache = new Map<string, ExternalPackage | undefined>();
  const outside = opts.outside === undefined ? processOutsideCache() : opts.outside;
  const resolver: ImportResolver = (importPath) => {
    if (cache.has(importPath)) return cache.get(importPath);
    let result: ExternalPackage | undefined;
    if (importPath === 'C') result = undefined;
    else if (importPath === 'unsafe') result = { name: 'unsafe' };
    else {
      const dir = resolveImportDir(importPath, opts.fromDir, ge, opts.module);
      const cacheable = !!dir && !!outside?.cacheable(dir, ge);
      if (dir && opts.shared?.has(dir)) {
        result = opts.shared.get(dir);
        opts.record?.(null); // not from the cache (a resolver working for a cached entry has no shared map)
      } else {
        // GOROOT's vendored packages are compiled as vendor/<path> (std) and cmd/vendor/<path> (cmd)
        let canonical = importPath;
        if (ge.goroot && dir) {
          if (isWithin(path.join(ge.goroot, 'src', 'vendor'), dir) && !importPath.startsWith('vendor/')) canonical = 'vendor/' + importPath;
          else if (isWithin(path.join(ge.goroot, 'src', 'cmd', 'vendor'), dir) && !importPath.startsWith('cmd/')) canonical = 'cmd/vendor/' + importPath;
        }
        if (dir && cacheable && outside) {
          // Its resolver shares nothing with this one's model: the cache may outlive it.
          const got = outside.lookup('describe', dir, canonical, ctx, ge, (record) => {
            const pf = readPackageFiles(dir, ctx);
            if (!pf) return undefined;
            const sub = createSourceResolver({ fromDir: dir, goEnv: ge, ctx, outside, record });
            return { value: lazyDescription(pf, sub, ctx, canonical), chars: sourceChars(pf) };
          });
          result = got?.value;
          opts.record?.(got?.dep ?? null);
        } else opts.record?.(null);
        if (!result) {
          const pf = dir ? readPackageFiles(dir, ctx) : undefined;
          if (pf) {
            // The imported package resolves its own imports from its own directory.
            const sub = dir === opts.fromDir ? resolver : createSourceResolver({ ...opts, fromDir: dir as string, module: undefined });
            result = lazyDescription(pf, sub, ctx, canonical);
          } else result = builtinExternal(importPath, ctx.goos, ctx.goarch);
        }
        if (dir && opts.shared) opts.shared.set(dir, result);
      }
    }
    cache.set(importPath, result);
    return result;
  };
  return resolver;
}

/** The source characters of a package's files (what a cache entry counts against its bound). */
export function sourceChars(pf: PackageFiles): number {
  let n = 0;
  for (const f of pf.files) n += f.text.length;
  return n;
}

function lazyDescription(pf0: PackageFiles, resolver: ImportResolver, ctx: BuildContext, selfPath: string): ExternalPackage {
  let described: ExternalPackage | undefined;
  let busy = false;
  // The sources are only needed until the package is parsed; drop them afterwards.
  let pf: PackageFiles | undefined = pf0;
  const name = pf0.pkgName;
  const get = (): ExternalPackage | undefined => {
    if (!described && !busy && pf) {
      busy = true; // an import cycle through constants cannot happen in valid Go; guard anyway
      try {
        described = describePackage(
          pf.files.map((f) => parseDeclarations(f.name, f.text)),
          resolver,
          ctx,
          selfPath,
        );
        pf = undefined;
      } finally {
        busy = false;
      }
    }
    return described;
  };
  return {
    name,
    path: selfPath,
    constValue: (n) => get()?.constValue?.(n),
    func: (n) => get()?.func?.(n),
    isFuncType: (n) => get()?.isFuncType?.(n) ?? false,
    typeInfo: (n) => get()?.typeInfo?.(n),
    method: (t, n) => get()?.method?.(t, n),
    field: (t, n) => get()?.field?.(t, n),
    objKind: (n) => get()?.objKind?.(n),
    typeDecl: (n) => get()?.typeDecl?.(n),
    funcSig: (n) => get()?.funcSig?.(n),
    methodSig: (t, n) => get()?.methodSig?.(t, n),
    methodNames: (t) => get()?.methodNames?.(t),
    varType: (n) => get()?.varType?.(n),
  };
}

/** Summarise a package's declarations for importers (constants are evaluated on demand). */
export function describePackage(files: FileSyntax[], resolver: ImportResolver | undefined, ctx: BuildContext, selfPath = ''): ExternalPackage {
  const env = buildPkgEnv(files, resolver, ctx.goos, ctx.goarch, ctx.goMinor);
  const walker = new Walker(env, { prefix: '', goMinor: ctx.goMinor, pkgPath: selfPath, track: false }); // descriptions are never re-validated
  const consts = new Map<string, ConstVal | null>();
  const funcs = new Map<string, ExternalFunc | null>();
  const types = new Map<string, ExternalType | null>();
  // neutral descriptions, computed on first use
  const memo = <T>(f: (k: string) => T | undefined): ((k: string) => T | undefined) => {
    const m = new Map<string, T | null>();
    return (k) => {
      let v = m.get(k);
      if (v === undefined) m.set(k, (v = f(k) ?? null));
      return v ?? undefined;
    };
  };
  const typeDecl = memo((n) => walker.exportTypeDecl(n));
  const funcSig = memo((n) => walker.exportFuncSig(n));
  const methodSig = memo((k) => {
    const dot = k.indexOf('.');
    return walker.exportMethodSig(k.slice(0, dot), k.slice(dot + 1));
  });
  const varType = memo((n) => walker.exportVarType(n));
  return {
    objKind: (n) => walker.objectKind(n),
    typeDecl,
    funcSig,
    methodSig: (t, n) => methodSig(t + '.' + n),
    methodNames: (t) => walker.exportMethodNames(t),
    varType,
    name: env.pkgName,
    constValue(name) {
      if (!consts.has(name)) consts.set(name, isExported(name) ? (walker.packageConst(name) ?? null) : null);
      return consts.get(name) ?? undefined;
    },
    func(name) {
      if (!funcs.has(name)) {
        const f = isExported(name) ? env.funcs.get(name) : undefined;
        funcs.set(name, f ? signatureFacts(f.node, f.file, walker, env, selfPath) : null);
      }
      return funcs.get(name) ?? undefined;
    },
    method(typeName, name) {
      const key = typeName + '.' + name;
      if (!funcs.has(key)) {
        const m = isExported(name) ? env.methods.get(typeName)?.get(name) : undefined;
        funcs.set(key, m ? signatureFacts(m.decl, m.file, walker, env, selfPath) : null);
      }
      return funcs.get(key) ?? undefined;
    },
    isFuncType(name) {
      return this.typeInfo?.(name)?.kind === 'func';
    },
    field(typeName, name) {
      const t = isExported(typeName) ? env.types.get(typeName) : undefined;
      if (!t) return undefined;
      let st = t.node.type;
      while (st.k === 'ParenExpr') st = st.x;
      if (st.k !== 'StructType') return undefined;
      for (const f of st.fields) {
        if (!f.names.some((n) => n.value === name)) continue;
        return { isFunc: walker.isFuncTypeExpr(f.type, t.file), type: namedTypeOf(f.type, t.file, env, selfPath) };
      }
      return undefined;
    },
    typeInfo(name) {
      if (!types.has(name)) {
        const t = isExported(name) ? env.types.get(name) : undefined;
        types.set(name, t ? (walker.describeTypeExpr(t.node.type, t.file) ?? null) : null);
      }
      return types.get(name) ?? undefined;
    },
  };
}

/** The named type (through one pointer) a type expression denotes, in importer terms. */
function namedTypeOf(t: A.Expr, file: FileSyntax, env: PkgEnv, selfPath: string): ExternalTypeName | undefined {
  let x = t;
  while (x.k === 'ParenExpr') x = x.x;
  if (x.k === 'UnaryExpr' && x.op === '*') x = x.x;
  if (x.k === 'IndexExpr') x = x.x;
  if (x.k === 'Name' && env.types.has(x.value) && selfPath) return { path: selfPath, name: x.value };
  if (x.k === 'SelectorExpr' && x.x.k === 'Name') {
    const p = env.importNames.get(file.name)?.get(x.x.value);
    if (p !== undefined) return { path: p, name: x.sel.value };
  }
  return undefined;
}

function signatureFacts(d: A.FuncDecl, file: FileSyntax, walker: Walker, env: PkgEnv, selfPath: string): ExternalFunc {
  const last = d.type.params[d.type.params.length - 1];
  return {
    resultTypes: d.type.results.flatMap((r) =>
      new Array<ExternalTypeName | undefined>(Math.max(1, r.names.length)).fill(namedTypeOf(r.type, file, env, selfPath)),
    ),
    params: countFields(d.type.params),
    results: countFields(d.type.results),
    variadic: !!last && last.type.k === 'EllipsisType',
    resultIsFunc: d.type.results.flatMap((r) => new Array<boolean>(Math.max(1, r.names.length)).fill(walker.isFuncTypeExpr(r.type, file))),
    generic: !!d.type.typeParams?.length || !!(d.recv && receiverInfo(d.recv.type)?.generic),
  };
}

function isExported(name: string): boolean {
  const c = name.charCodeAt(0);
  return (c >= 65 && c <= 90) || c > 127;
}

function countFields(fs: A.Field[]): number {
  let n = 0;
  for (const f of fs) n += Math.max(1, f.names.length);
  return n;
}

// ---- walking a tree of packages --------------------------------------------------------------------

/**
 * Directories of the packages a module's vendor/modules.txt lists (its non-comment lines are the
 * vendored packages' import paths), for a `vendor` directory next to a go.mod; none otherwise.
 */
export function vendoredPackageDirs(vendorDir: string): string[] {
  if (!existsSync(path.join(path.dirname(vendorDir), 'go.mod'))) return [];
  let text: string;
  try {
    text = readFileSync(path.join(vendorDir, 'modules.txt'), 'utf8');
  } catch {
    return [];
  }
  const dirs = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((ip) => path.join(vendorDir, ...ip.split('/')));
  return [...new Set(dirs)].filter((d) => existsSync(d)).sort();
}

/**
 * Package directories under root: skips testdata, hidden and `_`-prefixed directories; of a
 * module's vendor/ directory only the packages its modules.txt lists (the library code the
 * module's binaries are built from, where profiles are often hottest).
 */
export function packageDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    let hasGo = false;
    const subdirs: string[] = [];
    for (const e of entries) {
      const p = path.join(dir, e);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (e === 'vendor') out.push(...vendoredPackageDirs(p));
        if (e === 'testdata' || e === 'vendor' || e.startsWith('.') || e.startsWith('_')) continue;
        // a nested module is a different module, but its packages still live under root
        subdirs.push(p);
      } else if (e.endsWith('.go')) hasGo = true;
    }
    if (hasGo) out.push(dir);
    for (const s of subdirs) walk(s);
  };
  walk(path.resolve(root));
  return out;
}
