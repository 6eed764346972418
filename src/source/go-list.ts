/**
 * Listing a workspace's packages with `go list`, safely and in priority order.
 *
 * - `findNonRegularGoFiles`: a bounded walk (directory entries' types, no reads) for `.go` names
 *   that are FIFOs, devices or sockets (or links to them): `go list` opens every `.go` file of a
 *   package it loads, and opening a FIFO waits for a writer until our time limit. Their
 *   directories are left out of the patterns, and imports are then not followed (`-find`).
 * - `listTree`: every package under a root (`./...`), each with the directories of the packages
 *   it depends on (`-deps`), so one listing serves every main package of a module.
 * - `listDirs`: only chosen directories (the open file's package, the main package, the packages
 *   of the profile's hot functions), one `go list` per module, so that they can be indexed before
 *   the whole tree is listed; `hotPackageDirs` finds the directories of profile symbols.
 * - `planFromFiles`: a package read from the file system when `go list` did not cover it.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { runGo, SpawnError } from '../platform/spawn';
import { describeNonRegular } from '../platform/safe-write';
import type { BuildContext } from './build-tags';
import { prefixToPath, splitSymbol } from './names';
import { type GoEnvInfo, inferPackagePath, type PackagePathMethod, parseGoListJson, readModulePath, readPackageFiles } from './packages';

/** A package to index: its directory, names and files. */
export interface ListedPackage {
  dir: string;
  importPath: string;
  /** The path symbols are built from: 'main' for a main package in a normal build. */
  symbolPath: string;
  method: PackagePathMethod;
  /** File names (in `dir`) of the build. */
  files: string[];
  module?: { path: string; dir: string };
  /** Files not read, with why. */
  skipped?: string[];
  /** Directories of every package it imports, directly or not (`go list -deps`; those under the listed root), when known. */
  deps?: string[];
}

export interface NonRegularGoFile {
  file: string;
  /** 'a FIFO (named pipe)', 'a character device', … */
  what: string;
}

export interface NonRegularScan {
  files: NonRegularGoFile[];
  /** The walk stopped at its directory limit: files beyond it were not checked. */
  truncated: boolean;
}

export interface WorkspaceScan extends NonRegularScan {
  /**
   * Directories holding a `default.pgo` (a regular file or a link to one), outside testdata,
   * vendor, hidden and `_` directories: the main packages `-pgo=auto` builds with a profile.
   */
  profileDirs: string[];
}

/** Directories the walk visits at most (a copy of GOROOT/src has about 1,300). */
export const MAX_SCAN_DIRS = 50_000;

/**
 * `.go` names under root that are not regular files (nor directories, which Go ignores):
 * FIFOs, devices, sockets, and symbolic links to them. Hidden directories are not entered (no
 * import path reaches them) nor are symbolic links to directories (`./...` does not follow them).
 */
export function findNonRegularGoFiles(root: string, maxDirs = MAX_SCAN_DIRS): NonRegularScan {
  const { files, truncated } = scanWorkspace(root, maxDirs);
  return { files, truncated };
}

/**
 * Why a go command that loads packages (build, test, `list -deps`) must not run in `dir`: the
 * first non-regular `.go` file of the module holding `dir` (the go command would wait on a FIFO
 * forever), or undefined when there is none. Without a go.mod above it, `dir` itself is scanned.
 */
export function nonRegularGuard(dir: string): string | undefined {
  let root = path.resolve(dir);
  for (let d = root; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'go.mod'))) {
      root = d;
      break;
    }
    if (path.dirname(d) === d) break;
  }
  const { files } = findNonRegularGoFiles(root);
  const f = files[0];
  if (!f) return undefined;
  const more = files.length > 1 ? ` (and ${files.length - 1} more)` : '';
  return `${f.file} is ${f.what}, not a regular file${more}: the go command would wait on it forever; remove it to run go in ${root}`;
}

/**
 * One bounded walk of a workspace (entry types only, nothing opened): its non-regular `.go`
 * files (findNonRegularGoFiles) and the directories of its `default.pgo` files, so an editor can
 * index the main packages with a profile (and the open file's package) before listing the tree.
 * `profilesOnly`: the profile directories alone (`files` empty), without walking testdata, vendor
 * and `_` trees, which hold no main package of the build.
 */
export function scanWorkspace(root: string, maxDirs = MAX_SCAN_DIRS, profilesOnly = false): WorkspaceScan {
  const files: NonRegularGoFile[] = [];
  const profileDirs: string[] = [];
  // [directory, inside testdata/vendor/_ (no main package of the build there)]
  const stack: Array<[string, boolean]> = [[path.resolve(root), false]];
  let visited = 0;
  let truncated = false;
  while (stack.length) {
    const [dir, ignored] = stack.pop() as [string, boolean];
    if (visited++ >= maxDirs) {
      truncated = true;
      break;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        const under = ignored || e.name === 'testdata' || e.name === 'vendor' || e.name.startsWith('_');
        if (!e.name.startsWith('.') && !(profilesOnly && under)) stack.push([p, under]);
        continue;
      }
      if (e.name === 'default.pgo' && !ignored && (e.isFile() || (e.isSymbolicLink() && statSync(p, { throwIfNoEntry: false })?.isFile()))) {
        profileDirs.push(dir);
        continue;
      }
      if (profilesOnly || !e.name.endsWith('.go') || e.isFile()) continue;
      const what = nonRegularTarget(p, e);
      if (what) files.push({ file: p, what });
    }
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, truncated, profileDirs: profileDirs.sort() };
}

/** What a non-regular `.go` entry is, or undefined when Go would not block on it (a link to a regular file or directory, a dangling link). */
function nonRegularTarget(p: string, e: Dirent): string | undefined {
  if (e.isSymbolicLink()) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st || st.isFile() || st.isDirectory()) return undefined;
    return `a symbolic link to ${describeNonRegular(st)}`;
  }
  const st = lstatSync(p, { throwIfNoEntry: false });
  return st ? describeNonRegular(st) : undefined;
}

/** The skip message of a non-regular `.go` file (named relative to root). */
export function nonRegularMessage(root: string, f: NonRegularGoFile): string {
  return `${f.file}: skipped: it is ${f.what}, not a regular file; go list was not run on ${path.relative(root, path.dirname(f.file)) || '.'}`;
}

/**
 * The patterns `./...` stands for, minus the directories in `exclude`: whole subtrees without
 * an excluded directory stay `./x/...`; directories on the way to one are listed alone (`./x`).
 * Like `./...`: testdata, vendor, hidden and `_` directories and nested modules are not entered.
 */
export function patternsExcluding(root: string, exclude: ReadonlySet<string>): string[] {
  const abs = path.resolve(root);
  const bad = [...exclude].map((d) => path.resolve(d));
  const hasBadUnder = (dir: string): boolean => bad.some((b) => b === dir || b.startsWith(dir + path.sep));
  const out: string[] = [];
  const stack: string[] = [abs];
  while (stack.length) {
    const dir = stack.pop() as string;
    const rel = path.relative(abs, dir).split(path.sep).join('/');
    const pat = rel ? `./${rel}` : '.';
    if (!hasBadUnder(dir)) {
      out.push(rel ? `${pat}/...` : './...');
      continue;
    }
    if (!bad.includes(dir)) out.push(pat);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name === 'testdata' || e.name === 'vendor' || e.name.startsWith('.') || e.name.startsWith('_')) continue;
      const sub = path.join(dir, e.name);
      if (existsSync(path.join(sub, 'go.mod'))) continue;
      stack.push(sub);
    }
  }
  return out.sort();
}

export interface ListOptions {
  ctx: BuildContext;
  goEnv: GoEnvInfo;
  goBin?: string;
  /** Kill go list after this long (default 600 s). */
  timeoutMs?: number;
}

export interface TreeListing {
  packages: ListedPackage[];
  /** Non-regular `.go` files whose directories were left out of the listing. */
  excluded: NonRegularGoFile[];
  /** Skip messages (one per excluded file; and when the scan was cut short). */
  messages: string[];
}

interface GoListEntry {
  Dir?: string;
  ImportPath?: string;
  Name?: string;
  GoFiles?: string[];
  CgoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  Module?: { Path: string; Dir: string };
  DepOnly?: boolean;
  Deps?: string[];
}

/**
 * Every package under root as `go list -e -json -deps ./...` in root reports it (the packages
 * matched by the pattern, not those only depended on), with `deps`. With non-regular `.go` files
 * under root, their directories are left out and imports are not followed (`-find`: no `deps`).
 */
export async function listTree(root: string, opts: ListOptions): Promise<TreeListing> {
  const abs = path.resolve(root);
  const scan = scanWorkspace(abs);
  const messages = scan.files.map((f) => nonRegularMessage(abs, f));
  if (scan.truncated) messages.push(`${abs}: more than ${MAX_SCAN_DIRS} directories: .go files beyond them were not checked for FIFOs and devices`);
  const exclude = new Set(scan.files.map((f) => path.dirname(f.file)));
  const patterns = exclude.size ? patternsExcluding(abs, exclude) : ['./...'];
  const packages = patterns.length ? await goList(abs, patterns, exclude.size ? 'find' : 'deps', opts) : [];
  return { packages: packages.filter((p) => !exclude.has(p.dir)), excluded: scan.files, messages };
}

/**
 * The packages in `dirs` only (each directory's own package; not their dependencies), one
 * `go list -e -json -find` per module (run in the module's directory); directories outside any
 * module, or that go list does not report, are read from the file system (`planFromFiles`).
 * A directory holding a non-regular `.go` file is read from the file system, never listed.
 */
export async function listDirs(root: string, dirs: readonly string[], opts: ListOptions & { useGoList?: boolean }): Promise<TreeListing> {
  const abs = path.resolve(root);
  const want = [...new Set(dirs.map((d) => path.resolve(d)))].filter((d) => existsSync(d));
  const excluded: NonRegularGoFile[] = [];
  const byModule = new Map<string, string[]>();
  for (const d of want) {
    const bad = nonRegularIn(d);
    excluded.push(...bad);
    if (bad.length) continue;
    const mod = moduleRootOf(d);
    if (!mod) continue;
    const list = byModule.get(mod) ?? [];
    list.push(d);
    byModule.set(mod, list);
  }
  const found = new Map<string, ListedPackage>();
  if (opts.useGoList !== false && opts.goEnv.goroot !== undefined) {
    for (const [mod, ds] of byModule) {
      const pats = ds.map((d) => {
        const rel = path.relative(mod, d).split(path.sep).join('/');
        return rel ? `./${rel}` : '.';
      });
      for (const p of await goList(mod, pats, 'find', opts)) if (ds.includes(p.dir) && !found.has(p.dir)) found.set(p.dir, p);
    }
  }
  const packages: ListedPackage[] = [];
  for (const d of want) {
    const p = found.get(d) ?? planFromFiles(d, opts.ctx, opts.goEnv);
    if (p) packages.push(p);
  }
  return { packages, excluded, messages: excluded.map((f) => nonRegularMessage(abs, f)) };
}

/** Non-regular `.go` entries of one directory (not its subdirectories). */
function nonRegularIn(dir: string): NonRegularGoFile[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: NonRegularGoFile[] = [];
  for (const e of entries) {
    if (!e.name.endsWith('.go') || e.isFile() || e.isDirectory()) continue;
    const p = path.join(dir, e.name);
    const what = nonRegularTarget(p, e);
    if (what) out.push({ file: p, what });
  }
  return out;
}

/** The directory of the nearest go.mod at or above dir. */
function moduleRootOf(dir: string): string | undefined {
  for (let cur = path.resolve(dir); ;) {
    if (existsSync(path.join(cur, 'go.mod'))) return cur;
    const parent = path.dirname(cur);
    if (parent === cur) return undefined;
    cur = parent;
  }
}

/**
 * Directories under root of the packages that profile symbols name (e.g. the hot functions'
 * callers and callees), through the modules under root: the go.mod at or above root and those at
 * or above `hintDirs` (the open file's, the main package's). `main` symbols name no directory.
 */
export function hotPackageDirs(root: string, symbols: Iterable<string>, hintDirs: readonly string[] = []): string[] {
  const abs = path.resolve(root);
  const modules: Array<{ path: string; dir: string }> = [];
  for (const d of [abs, ...hintDirs.map((h) => path.resolve(h))]) {
    const dir = moduleRootOf(d);
    if (!dir || modules.some((m) => m.dir === dir)) continue;
    let text: string;
    try {
      text = readFileSync(path.join(dir, 'go.mod'), 'utf8');
    } catch {
      continue;
    }
    const mp = readModulePath(text);
    if (mp) modules.push({ path: mp, dir });
  }
  // Longest module path first: a nested module owns its subtree.
  modules.sort((a, b) => b.path.length - a.path.length);
  const paths = new Set<string>();
  for (const s of symbols) {
    const ip = prefixToPath(splitSymbol(s).prefix);
    if (ip && ip !== 'main') paths.add(ip);
  }
  const out = new Set<string>();
  for (const ip of paths) {
    for (const m of modules) {
      if (ip !== m.path && !ip.startsWith(m.path + '/') && m.path !== 'std') continue;
      // module std: its packages' paths have no module prefix (GOROOT/src or a copy of it)
      const rest = m.path === 'std' ? ip : ip.slice(m.path.length + 1);
      const dir = path.join(m.dir, ...rest.split('/').filter(Boolean));
      if ((dir === abs || dir.startsWith(abs + path.sep)) && existsSync(dir)) {
        out.add(dir);
        break;
      }
    }
  }
  return [...out].sort();
}

/** A package read from the file system (no go list): files by build constraints, import path reasoned (inferPackagePath). */
export function planFromFiles(dir: string, ctx: BuildContext, ge: GoEnvInfo): ListedPackage | undefined {
  const pf = readPackageFiles(dir, ctx);
  if (!pf) return undefined;
  const loc = inferPackagePath(dir, ge);
  const importPath = loc?.importPath ?? path.basename(dir);
  const internal = pf.files.filter((f) => !isExternalTest(f.text, pf.pkgName));
  return {
    dir,
    importPath,
    symbolPath: pf.pkgName === 'main' && !ctx.tests ? 'main' : importPath,
    method: loc?.method ?? 'unknown',
    files: internal.map((f) => f.name),
    ...(loc?.module ? { module: loc.module } : {}),
    ...(pf.skipped ? { skipped: pf.skipped } : {}),
  };
}

/** A `_test.go` file of the external test package (`package x_test`). */
export function isExternalTest(text: string, pkgName: string): boolean {
  const m = /^package\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(text);
  return !!m && m[1] === pkgName + '_test';
}

/** Runs go list in cwd on patterns; 'deps' adds every package's dependencies, 'find' resolves no imports. */
async function goList(cwd: string, patterns: string[], mode: 'deps' | 'find', opts: ListOptions): Promise<ListedPackage[]> {
  const { ctx, goEnv: ge } = opts;
  const args = ['list', '-e', '-json', mode === 'deps' ? '-deps' : '-find'];
  if (ctx.tags.length) args.push('-tags', ctx.tags.join(','));
  args.push(...patterns);
  // GOTOOLCHAIN pinned, GOFLAGS cleared (src/platform/spawn.ts).
  const env = { trusted: true, extra: { GOOS: ctx.goos, GOARCH: ctx.goarch, CGO_ENABLED: ctx.cgo ? '1' : '0' } };
  let stdout: string;
  try {
    const r = await runGo(args, { cwd, env, maxOutput: 1 << 30, timeoutMs: opts.timeoutMs ?? 600_000, ...(opts.goBin ? { goBin: opts.goBin } : {}) });
    stdout = r.stdout.toString('utf8');
  } catch (e) {
    stdout = e instanceof SpawnError ? e.stdout.toString('utf8') : ''; // `go list -e` exits 1 with packages printed
  }
  let entries: GoListEntry[];
  try {
    entries = parseGoListJson<GoListEntry>(stdout);
  } catch {
    return [];
  }
  const dirOf = new Map<string, string>();
  for (const p of entries) if (p.ImportPath && p.Dir) dirOf.set(p.ImportPath, p.Dir);
  const root = path.resolve(cwd);
  const plans: ListedPackage[] = [];
  for (const p of entries) {
    if (!p.Dir || !p.Name || !p.ImportPath || p.DepOnly) continue;
    // std's vendored packages are "vendor/..." (go list run inside them says otherwise)
    const vendored = ge.goroot && p.Dir.startsWith(path.join(ge.goroot, 'src', 'vendor') + path.sep);
    const importPath = vendored ? (inferPackagePath(p.Dir, ge)?.importPath ?? p.ImportPath) : p.ImportPath;
    const module = p.Module ? { path: p.Module.Path, dir: p.Module.Dir } : undefined;
    const files = [...(p.GoFiles ?? []), ...(ctx.cgo ? (p.CgoFiles ?? []) : [])];
    if (ctx.tests) files.push(...(p.TestGoFiles ?? []));
    const isMain = p.Name === 'main';
    let deps: string[] | undefined;
    if (mode === 'deps') {
      deps = [];
      for (const ip of p.Deps ?? []) {
        const d = dirOf.get(ip);
        if (d && (d === root || d.startsWith(root + path.sep))) deps.push(d);
      }
    }
    plans.push({
      dir: p.Dir,
      importPath,
      symbolPath: isMain && !ctx.tests ? 'main' : importPath,
      method: 'go list',
      files: files.sort(),
      ...(module ? { module } : {}),
      ...(deps ? { deps } : {}),
    });
    if (ctx.tests && p.XTestGoFiles?.length) {
      plans.push({
        dir: p.Dir,
        importPath: importPath + '_test',
        symbolPath: importPath + '_test',
        method: 'go list',
        files: [...p.XTestGoFiles].sort(),
        ...(module ? { module } : {}),
      });
    }
  }
  return plans;
}
