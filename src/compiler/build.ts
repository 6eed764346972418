/**
 * Runs the Go compiler to get its decisions for one main package: `go list -x -export -deps` with
 * a profile (or `-pgo=off`) and `-gcflags=<workspace packages>=-m=1 -d=pgodebug=1
 * -json=0,file://DIR/json` (and back-end.ts's flags: optional SSA phases, DWARF, bounds checks and write barriers off). That compiles every package of the binary exactly as `go build` does
 * (the same compile actions: `go build` afterwards finds them all in its cache) without linking,
 * and lists each package's BuildID. Nothing is written in the workspace (`-buildvcs=false` keeps
 * git out of it); the go command runs in the main package directory with GOTOOLCHAIN=local
 * unless the environment sets it.
 *
 * Build cache: DIR is a stable private directory per (workspace, main package, variant) outside
 * the workspace (workdir.ts), so the flags are identical from run to run and the go command
 * answers unchanged packages from its build cache, replaying their text output. A cache hit runs
 * no compiler and writes no JSON: `json/` is emptied before each run, so it holds exactly the
 * files of the packages compiled in this run (the `-x` trace names them), and the JSON and parsed
 * decisions of the other packages come from the package store (store.ts), keyed by the compile's
 * action ID. An unchanged second run compiles nothing; after an edit the go command recompiles
 * the edited package and those whose inputs changed, and only those are parsed again.
 *
 * Progress: a `-n` dry run counts the compile actions first ("package N of M"; packages whose
 * dependencies' export data turn out unchanged come from the cache, so N may stay below M). When
 * it counts none, its BuildIDs are the real ones (the go command looked every compile up) and the
 * stored results answer without a second go command replaying megabytes of output. After an edit
 * (the last build of the directory had the same flags and profile, and other sources) the dry run
 * is skipped and M is the edited packages and their importers (last-build.ts); so is the profile
 * warm-up once it ran for the profile, and a compile without the profile, should the go build
 * cache have lost it since, stops the build, which warms up and runs again under new flags.
 * Cancellable: the AbortSignal kills the go process group (go and the compilers it started).
 *
 * No `vscode` import. Uses the disk and child processes (run it in the worker or the CLI).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PackageResults } from './cache';
import { type CompilerDecisions, type FunctionName, type JsonFile, mergeDecisions, parsePackage, positionKey } from './decisions';
import { type FunctionPos, nameFunctions, type NameIndexers, unnamedFunctions } from './function-names';
import { collidedPackages, readVerbosePackages, writeVerbosePackages } from './json-collisions';
import { EarlyParse } from './early-parse';
import { readJsonFiles } from './json-read';
import { probeBackEnd } from './back-end';
import { countCompiles, GoOutputSplitter } from './gooutput';
import { actionIdOf, keptJson, PackageStore, type StoredPackage } from './store';
import { buildKey, changedSince, forgetWarm, isWarm, type LastBuild, markWarm, readLastBuild, recompileBound, warmKey, writeLastBuild } from './last-build';
import { bumpGeneration, confirmDir, defaultCacheRoot, ensurePrivateDir, freshSubdir, readGeneration, withDirLock } from './workdir';
import { effectiveFile, type Overlay, readOverlay } from './overlay';
import { findNonRegularGoFiles } from '../source/go-list';
import { parseGoListJson } from '../source/packages';
import { goEnvironment, type GroupOutcome, runGroup } from '../platform/spawn';

export interface BuildProgress {
  /** `command`: a go command line (for a debug log, not for users). */
  phase: 'list' | 'plan' | 'command' | 'build' | 'read';
  message: string;
  /** Compile actions started so far and planned in all (phase `build`). */
  done?: number;
  total?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Raw output of the go commands, as it arrives. */
  onOutput?: (chunk: string) => void;
  onProgress?: (p: BuildProgress) => void;
  /** Called with the process id of each go command started (its process group on POSIX). */
  onSpawn?: (pid: number) => void;
  /** `go` binary (default `go` on PATH). */
  go?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the stable per-workspace directories live (default: the user cache directory's `pgo-lens`). */
  cacheRoot?: string;
  /** Per-package results kept in memory across confirmations (the worker's); the disk store answers otherwise. */
  packageResults?: PackageResults;
}

export interface GoEnv {
  goVersion: string;
  goroot: string;
  gomodcache: string;
  /** The go build cache directory and the go environment file (plan-cache.ts keys on them; '' when the go command did not say). */
  gocache?: string;
  goenv?: string;
  /** The back-end flags this compiler accepts (back-end.ts; '' when it refused them, missing in a plan kept by an older version). */
  backEnd?: string;
}

export interface WorkspacePackage {
  importPath: string;
  /** The package clause's name. */
  name: string;
  dir: string;
  /** The compiled Go files (GoFiles and CgoFiles), absolute: function-names.ts indexes them to name closures. */
  goFiles: string[];
  /** sha256 of the package's file names and contents (Go, cgo, assembly, embedded files). */
  hash: string;
}

export interface BuildPlan {
  /** The main package directory (the go command runs there and builds `.`). */
  mainDir: string;
  /** Workspace root: packages under it get `-m=1 -d=pgodebug=1 -json`. */
  root: string;
  mainPackage: string;
  /** Packages of the build under the workspace root, and other non-module-cache, non-std ones (local replaces). */
  packages: WorkspacePackage[];
  /** `-gcflags` package patterns (`example.com/shapes/...`). */
  patterns: string[];
  /** sha256 over go.mod / go.sum / go.work of the modules involved. */
  modHash: string;
  env: GoEnv;
  /** Import path → package name for the build's packages whose name is not the path's last element (main packages left out). */
  packageNames: Record<string, string>;
  /** Every package of the build by directory (an imported generic instantiated in a workspace package is logged at its own file). */
  packageDirs: Record<string, { importPath: string; name: string }>;
  /** What the workspace packages are built from: their directories and files, the modules' go.mod, go.sum and vendor/modules.txt (unchanged.ts stats them). */
  inputs: string[];
  /** Import path → the import paths it imports, for every package of the build (what an edit can make recompile). */
  imports: Record<string, string[]>;
}

export interface RawBuild {
  plan: BuildPlan;
  /** `off` or the absolute profile path. */
  pgo: string;
  /** The go command's arguments: `list -x …`, or `list -n …` when the dry run found everything cached and nothing was replayed. */
  args: string[];
  /** The arguments of the -m=2 pass of JSON-collided packages compiled in this run (empty when there was none). */
  verboseArgs: string[];
  /** The compiler's output of the packages compiled in this run (`# pkg` blocks; what the go command replays from its cache is skipped). */
  text: string;
  /** The `-json=0` files (header and `cannotInlineCall` lines) of the workspace packages, fresh or stored. */
  json: JsonFile[];
  /** The decisions of the workspace packages, joined. */
  decisions: CompilerDecisions;
  /** Workspace packages compiled in this run (their results are new) and answered from the caches. */
  compiled: string[];
  reused: string[];
  /** Compile actions the go command ran (every package, std included) and the dry run's count (after an edit without a dry run: the bound of last-build.ts). */
  compileActions: number;
  plannedActions: number;
  /** Where the JSON went: the stable directory, or a one-off one when another confirmation held it. */
  workDir: string;
  stable: boolean;
}

export class BuildError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'BuildError';
  }
}

export class AbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

interface Proc {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr in arrival order. */
  combined: string;
}

/**
 * The environment of the decision builds: the product's one policy (src/platform/spawn.ts
 * goEnvironment) for a build the user asked for in a trusted workspace — GOTOOLCHAIN=local unless
 * the user set one (a go.mod must not make us download a toolchain), the user's GOFLAGS kept.
 */
export function goCommandEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return goEnvironment({ trusted: true, keepGoflags: true, base: env });
}

type Stream = (chunk: string, fd: 'stdout' | 'stderr') => void;
/** One whole line of output without its newline. */
type LineSink = (line: string, fd: 'stdout' | 'stderr') => void;
const STDERR_TAIL = 64 * 1024;

/**
 * Runs a command through the product's one spawner (src/platform/spawn.ts `runGroup`: argument
 * array, no shell, its own process group) with `goCommandEnv`; abort kills the group (SIGINT,
 * then SIGKILL after 2 s) and rejects with AbortedError once nothing of it is left. Output is
 * streamed line by line (each line with its `\n`). With `keepStderr` false only the last 64 KiB
 * of stderr are kept (the streamed output can be hundreds of megabytes).
 */
async function run(cmd: string, args: string[], cwd: string, opts: RunOptions, stream?: Stream, keepStderr = true): Promise<Proc> {
  return runLines(cmd, args, cwd, opts, stream && ((line, fd) => stream(`${line}\n`, fd)), keepStderr);
}

/**
 * `run` with each line handed over as it is (no newline added): the decision build's stream is
 * a million lines when the go command replays a `-m=2` package from its cache, and joining,
 * splitting and concatenating each of them again cost seconds of CPU.
 */
async function runLines(cmd: string, args: string[], cwd: string, opts: RunOptions, onLine?: LineSink, keepStderr = true): Promise<Proc> {
  if (opts.signal?.aborted) throw new AbortedError();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const combined: string[] = [];
  // the last STDERR_TAIL characters of stderr (or a little more): lines from tailStart on
  const tail: string[] = [];
  let tailStart = 0;
  let tailChars = 0;
  let pid: number | undefined;
  let outcome: GroupOutcome;
  try {
    outcome = await runGroup(cmd, args, {
      cwd,
      env: goCommandEnv(opts.env),
      ...(opts.signal ? { signal: opts.signal } : {}),
      killGraceMs: 2000,
      tailLines: 1, // the lines are kept here, by stream
      onPid: (p) => {
        pid = p;
        opts.onSpawn?.(p);
      },
      onLine: (line, fd) => {
        if (fd === 'stdout') {
          const l = `${line}\n`;
          stdout.push(l);
          combined.push(l);
        } else if (keepStderr) {
          const l = `${line}\n`;
          stderr.push(l);
          combined.push(l);
        } else {
          tail.push(line);
          tailChars += line.length + 1;
          while (tailChars - (tail[tailStart]?.length ?? 0) - 1 >= STDERR_TAIL) tailChars -= (tail[tailStart++]?.length ?? 0) + 1;
          if (tailStart > 4096) {
            tail.splice(0, tailStart);
            tailStart = 0;
          }
        }
        onLine?.(line, fd);
      },
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' && !fs.existsSync(cwd)) throw new BuildError(`cannot run ${cmd}: the directory ${cwd} does not exist`, '');
    if (err.code === 'ENOENT') throw new BuildError(`cannot run ${cmd}: not found (install Go or put it on PATH)`, '');
    throw new BuildError(`cannot run ${cmd}: ${err.message}`, '');
  }
  if (outcome.cancelled || opts.signal?.aborted) {
    // the leader has exited; make sure the compilers it started (same process group) are gone too
    await reapGroup(pid);
    throw new AbortedError();
  }
  const err = keepStderr
    ? stderr.join('')
    : tail
        .slice(tailStart)
        .map((l) => `${l}\n`)
        .join('')
        .slice(-STDERR_TAIL);
  return { code: outcome.code, signal: outcome.signal, stdout: stdout.join(''), stderr: err, combined: combined.join('') };
}

/** SIGKILLs what is left of a process group and waits (up to 2 s) until it is gone. */
async function reapGroup(pid: number | undefined): Promise<void> {
  if (pid === undefined || process.platform === 'win32') return;
  const alive = (): boolean => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100 && alive(); i++) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function goOut(args: string[], cwd: string, opts: RunOptions): Promise<string> {
  const r = await run(opts.go ?? 'go', args, cwd, opts);
  if (r.code !== 0) throw new BuildError(`go ${args.join(' ')} failed in ${cwd}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, r.stderr);
  return r.stdout;
}

export async function goEnv(cwd: string, opts: RunOptions = {}): Promise<GoEnv> {
  const quiet: RunOptions = { ...opts, onOutput: undefined, onProgress: undefined };
  // Both settle before either's failure is reported: no go command outlives the call (a caller that
  // cleans up after a failed `go env` must not find the probe still running).
  const [env, probe] = await Promise.allSettled([
    goOut(['env', '-json', 'GOVERSION', 'GOROOT', 'GOMODCACHE', 'GOCACHE', 'GOENV'], cwd, opts),
    probeBackEnd(async (args, dir) => {
      const r = await run(opts.go ?? 'go', ['tool', 'compile', ...args], dir, quiet);
      return r.code === 0;
    }),
  ]);
  if (env.status === 'rejected') throw env.reason;
  if (probe.status === 'rejected') throw probe.reason;
  const out = env.value;
  const backEnd = probe.value;
  const j = JSON.parse(out) as Record<string, string>;
  return {
    goVersion: j['GOVERSION'] ?? '',
    goroot: j['GOROOT'] ?? '',
    gomodcache: j['GOMODCACHE'] ?? '',
    gocache: j['GOCACHE'] ?? '',
    goenv: j['GOENV'] ?? '',
    backEnd,
  };
}

/** What `go list -deps -json` says of a package (the fields the plan uses). */
export interface ListedPackage {
  ImportPath: string;
  BuildID?: string;
  Dir?: string;
  Name?: string;
  Standard?: boolean;
  Module?: { Path: string; Dir?: string; GoMod?: string; Main?: boolean };
  GoFiles?: string[];
  CgoFiles?: string[];
  CFiles?: string[];
  CXXFiles?: string[];
  HFiles?: string[];
  SFiles?: string[];
  SysoFiles?: string[];
  EmbedFiles?: string[];
  EmbedPatterns?: string[];
  IgnoredGoFiles?: string[];
  IgnoredOtherFiles?: string[];
  Imports?: string[];
}

const within = (dir: string, root: string): boolean => dir === root || dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/** The files a package is compiled from (names in its directory). */
export function packageFiles(p: ListedPackage): string[] {
  return [
    ...(p.GoFiles ?? []),
    ...(p.CgoFiles ?? []),
    ...(p.CFiles ?? []),
    ...(p.CXXFiles ?? []),
    ...(p.HFiles ?? []),
    ...(p.SFiles ?? []),
    ...(p.SysoFiles ?? []),
    ...(p.EmbedFiles ?? []),
  ].sort();
}

/** The package's files as the build reads them (through the GOFLAGS overlay, overlay.ts). */
async function hashPackage(p: ListedPackage, overlay: Overlay | undefined): Promise<string> {
  const h = createHash('sha256');
  h.update(`${p.ImportPath}\0${p.Dir}\0`);
  for (const f of packageFiles(p)) {
    h.update(`${f}\0`);
    try {
      const file = effectiveFile(overlay, path.join(p.Dir ?? '', f));
      if (file === '') throw new Error('deleted by the overlay');
      h.update(await fs.promises.readFile(file));
    } catch {
      h.update('\0missing\0');
    }
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * Refuses a workspace with `.go` names that are FIFOs, devices or sockets (the scan of
 * source/go-list.ts): `go list -deps` and the compiles open every `.go` file of the packages they
 * load, and opening a FIFO waits for a writer until the time limit. The index skips such
 * directories (`-find`), but a build needs every dependency, so the confirmation says which files instead.
 */
export function refuseNonRegularGoFiles(mainDir: string, root: string): void {
  const scans = [findNonRegularGoFiles(root)];
  if (!within(mainDir, root)) scans.push(findNonRegularGoFiles(mainDir));
  const files = scans.flatMap((s) => s.files);
  if (files.length === 0) return;
  const list = files.map((f) => `${f.file} is ${f.what}`).join('; ');
  throw new BuildError(
    `cannot build ${mainDir}: go would wait on .go files that are not regular files (${list}); remove them or move them out of the workspace`,
    '',
  );
}

/** `go env` and `go list -deps -json` of the main package directory: what a build plan is made of. */
export interface Listing {
  env: GoEnv;
  listed: ListedPackage[];
}

/** Runs the plan's two go commands (plan-cache.ts answers them from the last run when nothing they read changed). */
export async function listBuild(mainDir: string, opts: RunOptions = {}): Promise<Listing> {
  opts.onProgress?.({ phase: 'list', message: `listing the packages of ${mainDir}` });
  const env = await goEnv(mainDir, opts);
  const listed = parseGoListJson<ListedPackage>(await goOut(['list', '-deps', '-json', '.'], mainDir, opts));
  return { env, listed };
}

/** The packages `go build` of mainDir compiles that belong to the workspace, with source hashes. */
export async function planBuild(mainDir: string, root: string, opts: RunOptions = {}): Promise<BuildPlan> {
  mainDir = path.resolve(mainDir);
  root = path.resolve(root);
  refuseNonRegularGoFiles(mainDir, root);
  return planFromListing(mainDir, root, await listBuild(mainDir, opts), await readOverlay(goCommandEnv(opts.env), mainDir));
}

/** The workspace packages of a build whose listing is at hand (whose hashes read the files through `overlay`). */
export function workspaceListed(listing: Listing, root: string): ListedPackage[] {
  const modCache = listing.env.gomodcache ? path.resolve(listing.env.gomodcache) : '';
  return listing.listed.filter((p) => p.Dir && (within(p.Dir, root) || (!p.Standard && !(modCache && within(p.Dir, modCache)))));
}

/** The plan from a listing (planBuild's second half): the workspace packages hashed, the -gcflags patterns, the module files. */
export async function planFromListing(mainDir: string, root: string, listing: Listing, overlay: Overlay | undefined): Promise<BuildPlan> {
  const { env, listed } = listing;
  const main = listed[listed.length - 1];
  if (!main || main.Name !== 'main') throw new BuildError(`${mainDir} is not a main package (go list says package ${main?.Name ?? '?'})`, '');
  const mine = workspaceListed(listing, root);
  const packages = await Promise.all(
    mine.map(async (p) => ({
      importPath: p.ImportPath,
      name: p.Name ?? '',
      dir: p.Dir!,
      goFiles: [...(p.GoFiles ?? []), ...(p.CgoFiles ?? [])].map((f) => path.join(p.Dir!, f)),
      hash: await hashPackage(p, overlay),
    })),
  );
  packages.sort((a, b) => (a.importPath < b.importPath ? -1 : a.importPath > b.importPath ? 1 : 0));

  // One pattern per module (or for the root inside a module): the import path of max(root, module dir) + "/...".
  const patterns = new Set<string>();
  for (const p of mine) {
    if (!within(p.Dir!, root)) {
      patterns.add(p.ImportPath); // a local replace outside the root: exactly that package
      continue;
    }
    const modDir = p.Module?.Dir ? path.resolve(p.Module.Dir) : undefined;
    const base = modDir && within(modDir, root) ? modDir : root;
    const rel = path.relative(base, p.Dir!).split(path.sep).join('/');
    if (rel === '') patterns.add(`${p.ImportPath}/...`);
    else if (p.ImportPath.endsWith(`/${rel}`)) patterns.add(`${p.ImportPath.slice(0, -rel.length - 1)}/...`);
    else patterns.add(p.ImportPath);
  }
  const mh = createHash('sha256');
  const modFiles = new Set<string>();
  const inputs = new Set<string>();
  for (const p of mine) {
    if (p.Module?.GoMod) {
      modFiles.add(p.Module.GoMod);
      modFiles.add(p.Module.GoMod.replace(/go\.mod$/, 'go.sum'));
      inputs.add(path.join(path.dirname(p.Module.GoMod), 'vendor', 'modules.txt'));
    }
    inputs.add(p.Dir!);
    for (const f of packageFiles(p)) inputs.add(path.join(p.Dir!, f));
    // files left out by build constraints: an edit to their constraint brings them in (in place: the directory's stat stays)
    for (const f of [...(p.IgnoredGoFiles ?? []), ...(p.IgnoredOtherFiles ?? [])]) inputs.add(path.join(p.Dir!, f));
  }
  for (const f of modFiles) inputs.add(f);
  for (const f of [...modFiles].sort()) {
    mh.update(`${f}\0`);
    try {
      mh.update(await fs.promises.readFile(f));
    } catch {
      /* no go.sum */
    }
  }
  const packageNames: Record<string, string> = {};
  const packageDirs: Record<string, { importPath: string; name: string }> = {};
  for (const p of listed) {
    const last = (p.ImportPath.split('/').pop() ?? '').replace(/\.v\d+$/, '');
    if (p.Name && p.Name !== 'main' && p.Name !== last) packageNames[p.ImportPath] = p.Name;
    if (p.Dir && p.Name) packageDirs[path.resolve(p.Dir)] = { importPath: p.ImportPath, name: p.Name };
  }
  return {
    mainDir,
    root,
    mainPackage: main.ImportPath,
    packages,
    patterns: [...patterns].sort(),
    modHash: mh.digest('hex'),
    env,
    packageNames,
    packageDirs,
    inputs: [...inputs].sort(),
    imports: Object.fromEntries(listed.map((p) => [p.ImportPath, p.Imports ?? []])),
  };
}

/** Quotes one -gcflags argument for the go command's quoted.Split when it has spaces or quotes. */
function quoteFlag(s: string): string {
  if (!/[\s'"]/.test(s)) return s;
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  throw new Error(`cannot quote ${s} for -gcflags`);
}

/**
 * The decision flags; the JSON directory is the only path in them (stable directory ⇒ stable flags).
 * `-m=1` with `-json`, not `-m=2` alone: the text has no line for a call site refused for its cost
 * or for recursion (inl.go logs those with logopt only; test/oracle/compiler-decisions/json-only),
 * and on all of cmd/compile with its profile (Go 1.26.8, 50 packages, CPU of go and its compiles)
 * `-m=2 -d=pgodebug=1` costs more than `-m=1 -d=pgodebug=1 -json`: 56.6 s against 53.8 s (46.4 s
 * without `-json`, 43.0 s with no flags), and prints 174 MB of text (8.3 MB at `-m=1`), which the
 * go command stores, replays on every cache hit and we scan. What only `-m=2` prints (function
 * costs and refusal reasons) comes from the JSON (decisions.ts). Both `-m` (base/flag.go
 * concurrentFlagOk) and `-d=pgodebug` (no `concurrent:"ok"` tag in base/debug.go) turn off the
 * compiler's concurrent back end (`-c=N`), which plain builds use; `-json` does not. Neither can go:
 * successful inlines, devirtualizations and the hot-budget attribution are printed only there
 * (logopt has no record of them: docs/performance.md, #19). `backEnd` (back-end.ts: optional SSA
 * phases, DWARF, bounds checks and write barriers off) shrinks that serial back end without changing a decision or export data.
 */
export function decisionFlags(jsonDir: string, m: 1 | 2 = 1, backEnd = ''): string {
  const flags = `-m=${m} -d=pgodebug=1 ${quoteFlag(`-json=0,file://${jsonDir.split(path.sep).join('/')}`)}`;
  return backEnd ? `${flags} ${backEnd}` : flags;
}

/**
 * The arguments after `go list` (the real run adds `-x`, the dry run `-n`) for `targets` (the main
 * package). `verbose` packages get `-m=2` (the JSON-collision pass, json-collisions.ts): a later
 * -gcflags pattern wins for the packages it matches.
 */
export function listArgs(plan: BuildPlan, pgo: string, jsonDir: string, verbose: readonly string[] = [], targets: readonly string[] = ['.']): string[] {
  const flags = decisionFlags(jsonDir, 1, plan.env.backEnd);
  const m2 = decisionFlags(jsonDir, 2, plan.env.backEnd);
  return [
    '-export',
    '-deps',
    '-json=ImportPath,BuildID',
    '-buildvcs=false',
    `-pgo=${pgo}`,
    ...plan.patterns.map((p) => `-gcflags=${p}=${flags}`),
    ...verbose.map((p) => `-gcflags=${p}=${m2}`),
    ...targets,
  ];
}

/** The `-json=0` files of a JSON directory (`<escaped package>/<base name>.json`), in name order. */
export function readJsonDir(dir: string): Promise<JsonFile[]> {
  return readJsonFiles(dir, (name, bytes) => ({ name, text: bytes.toString('utf8') }));
}

/** JSON files by the import path of the package that wrote them (their header names it; `main` is the main package). */
export function jsonByPackage(files: JsonFile[], mainPackage: string): Map<string, JsonFile[]> {
  const out = new Map<string, JsonFile[]>();
  for (const f of files) {
    let pkg: string | undefined;
    try {
      pkg = (JSON.parse(f.text.slice(0, f.text.indexOf('\n') >>> 0)) as { package?: unknown }).package as string | undefined;
    } catch {
      pkg = undefined;
    }
    if (typeof pkg !== 'string') continue;
    if (pkg === 'main') pkg = mainPackage;
    out.set(pkg, [...(out.get(pkg) ?? []), f]);
  }
  return out;
}

interface Attempt {
  raw: RawBuild;
  /** The build's last-build.ts key, and whether this attempt ran the profile warm-up. */
  key: string;
  warmed: boolean;
  /** Workspace packages the go command answered from its cache whose JSON we do not have. */
  missing: string[];
  /** Packages compiled in this run whose own JSON lines another file of the same base name overwrote (json-collisions.ts). */
  collided: string[];
}

/**
 * Builds plan.mainDir's packages with `-pgo=<pgo>` ('off' or a profile path) and the decision
 * flags, in the stable directory of (workspace, main package, variant) — or a one-off temporary
 * one while another confirmation holds it. Throws BuildError when the build fails, AbortedError
 * when cancelled, UnsafeDirError when the directory is not private.
 */
export async function runDecisionBuild(plan: BuildPlan, pgo: string, opts: RunOptions = {}): Promise<RawBuild> {
  const pgoArg = pgo === 'off' ? 'off' : path.resolve(pgo);
  const top = opts.cacheRoot ?? defaultCacheRoot();
  const dir = confirmDir(top, plan.root, plan.mainDir, pgoArg === 'off' ? 'off' : 'pgo');
  await ensurePrivateDir(dir, top);
  return withDirLock(dir, async (locked) => {
    if (!locked) {
      // another process is confirming the same binary: a one-off directory (correct, not cached)
      const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pgo-lens-decisions-'));
      try {
        return (await attempt(plan, pgoArg, tmp, 0, undefined, opts, await readVerbosePackages(dir))).raw;
      } finally {
        await fs.promises.rm(tmp, { recursive: true, force: true });
      }
    }
    const store = new PackageStore(path.join(dir, 'store'));
    const verbose = await readVerbosePackages(dir);
    const profile = await profileHash(pgoArg);
    const warmId = pgoArg === 'off' ? undefined : warmKey(pgoArg, profile, plan.env.goVersion, plan.env.gocache ?? '', opts.go ?? 'go');
    const hints: Hints = {
      last: await readLastBuild(dir),
      profile,
      hashes: Object.fromEntries(plan.packages.map((p) => [p.importPath, p.hash])),
      warm: warmId !== undefined && !(await isWarm(dir, warmId)),
      checkProfile: warmId !== undefined,
    };
    const tryOnce = async (generation: number): Promise<Attempt> => {
      try {
        return await attempt(plan, pgoArg, dir, generation, store, opts, verbose, hints);
      } catch (e) {
        if (!(e instanceof UnprofiledError) || !warmId) throw e;
        // the go build cache lost the preprocessed profile since the last warm-up: warm up, and
        // build under new flags (whatever that go command compiled without the profile stays unused)
        opts.onProgress?.({ phase: 'plan', message: 'the go build cache lost the prepared profile: preparing it again' });
        await forgetWarm(dir);
        return attempt(plan, pgoArg, dir, await bumpGeneration(dir), store, opts, verbose, { ...hints, warm: true, last: undefined });
      }
    };
    let r = await tryOnce(await readGeneration(dir));
    let raw = r.raw;
    if (r.missing.length) {
      // The go command answered packages from its cache whose JSON we no longer have (the store
      // was removed): a new JSON directory (new flags) makes it compile them once more.
      opts.onProgress?.({ phase: 'plan', message: `${r.missing.length} package(s) were cached without their JSON diagnostics: compiling again` });
      r = await tryOnce(await bumpGeneration(dir));
      raw = joinPasses(raw, r.raw);
    }
    if (warmId && r.warmed) await markWarm(dir, warmId);
    await writeLastBuild(dir, { key: r.key, hashes: hints.hashes });
    const added = r.collided.filter((p) => !verbose.includes(p));
    if (added.length) await writeVerbosePackages(dir, [...verbose, ...added]); // their next compiles get the -m=2 pass right away
    return raw;
  });
}

/** What runDecisionBuild knows before a go command runs (last-build.ts). */
interface Hints {
  /** The last build of this directory, and this one's profile hash and workspace package hashes. */
  last: LastBuild | undefined;
  profile: string;
  hashes: Record<string, string>;
  /** Run the profile warm-up first. */
  warm: boolean;
  /** Stop with UnprofiledError at a compile without `-pgoprofile` (a profile build whose warm-up was skipped or lost). */
  checkProfile: boolean;
}

/** A compile of a profile build ran without the profile: the go build cache had not the preprocessed profile (last-build.ts). */
class UnprofiledError extends Error {
  constructor(readonly pkg: string) {
    super(`${pkg} was compiled without the profile`);
    this.name = 'UnprofiledError';
  }
}

/** A `-x`/`-n` compile command of a profile build without its `-pgoprofile` (the package name), or undefined. */
function unprofiledCompile(line: string): string | undefined {
  if (line.includes(' -pgoprofile=')) return undefined;
  return COMPILE_LINE.exec(line)?.[1];
}
const COMPILE_LINE = /^(?:.*[/\\])?compile(?:\.exe)?\s+-o\s.*?\s-p\s+(\S+)/;

/**
 * One confirmation that took several go commands (a pass after packages came from the go build
 * cache without their stored results, or after a JSON collision): the last pass's decisions, and
 * what all passes compiled — a package compiled by an earlier pass and answered from the store by
 * the last one was compiled by this confirmation.
 */
export function joinPasses(earlier: RawBuild, later: RawBuild): RawBuild {
  const compiledSet = new Set([...earlier.compiled, ...later.compiled]);
  const order = later.plan.packages.map((p) => p.importPath);
  return {
    ...later,
    compiled: order.filter((p) => compiledSet.has(p)),
    reused: later.reused.filter((p) => !compiledSet.has(p)),
    compileActions: earlier.compileActions + later.compileActions,
    plannedActions: earlier.plannedActions + later.plannedActions,
  };
}

/**
 * `go list -export` never runs the "preprocess PGO profile" action (cmd/go/internal/work/action.go:
 * pgoActor.Act returns early when IsCmdList): unless `go build` already put the preprocessed
 * profile in the build cache, go list compiles WITHOUT the profile, silently. So a `go build` of
 * an empty main package in our private directory (GOFLAGS and GOWORK cleared, nothing of the
 * workspace involved) caches it first; the action is keyed by the profile's contents only. When
 * it is cached already, that build does nothing (its binary is up to date).
 */
async function cachePreprocessedProfile(pgo: string, dir: string, opts: RunOptions): Promise<void> {
  const warm = path.join(dir, 'preprofile');
  await fs.promises.mkdir(warm, { recursive: true, mode: 0o700 });
  await fs.promises.writeFile(path.join(warm, 'go.mod'), 'module pgolens.invalid/preprofile\n\ngo 1.21\n', { mode: 0o600 });
  await fs.promises.writeFile(path.join(warm, 'main.go'), 'package main\n\nfunc main() {}\n', { mode: 0o600 });
  const env = { ...(opts.env ?? process.env), GOFLAGS: '', GOWORK: 'off' };
  const args = ['build', '-o', path.join(warm, process.platform === 'win32' ? 'bin.exe' : 'bin'), `-pgo=${pgo}`, '.'];
  opts.onProgress?.({ phase: 'command', message: `go ${args.join(' ')} (in ${warm})` });
  const r = await run(opts.go ?? 'go', args, warm, { ...opts, env });
  if (r.code !== 0)
    throw new BuildError(
      `go build -pgo=${pgo} of an empty program failed (the profile cannot be used?): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`,
      r.stderr,
    );
}

async function attempt(
  plan: BuildPlan,
  pgo: string,
  dir: string,
  generation: number,
  store: PackageStore | undefined,
  opts: RunOptions,
  verbose: readonly string[],
  hints?: Hints,
): Promise<Attempt> {
  const warm = hints ? hints.warm : pgo !== 'off';
  if (warm) {
    opts.onProgress?.({ phase: 'plan', message: 'preparing the profile' });
    await cachePreprocessedProfile(pgo, dir, opts);
  }
  const jsonName = generation ? `json.${generation}` : 'json';
  for (const old of await fs.promises.readdir(dir))
    if (/^json(\.\d+)?$/.test(old) && old !== jsonName) await fs.promises.rm(path.join(dir, old), { recursive: true, force: true });
  const jsonDir = await freshSubdir(dir, jsonName);
  const args = listArgs(plan, pgo, jsonDir);
  const key = hints ? buildKey(args, hints.profile, plan.env.goVersion) : '';
  const go = opts.go ?? 'go';
  const mainName = (p: string): string => (p === 'main' ? plan.mainPackage : p);
  const checkProfile = hints?.checkProfile === true;

  // Sources changed since the last build with these flags: go will compile, so no dry run (last-build.ts).
  const changed = hints && changedSince(hints.last, key, hints.hashes);
  let planned: number;
  let estimated = false;
  if (changed?.length && store) {
    planned = recompileBound(plan.imports, changed);
    estimated = true;
  } else {
    opts.onProgress?.({ phase: 'plan', message: 'checking what needs compiling' });
    opts.onProgress?.({ phase: 'command', message: `go list -n ${args.join(' ')} (in ${plan.mainDir})` });
    const dry = await run(go, ['list', '-n', ...args], plan.mainDir, opts);
    if (dry.code !== 0)
      throw new BuildError(
        `go list failed in ${plan.mainDir} (exit ${dry.code ?? dry.signal}): ${dry.stderr.trim().split('\n').slice(-3).join(' ')}`,
        dry.stderr,
      );
    if (checkProfile)
      for (const l of dry.stderr.split('\n')) {
        const pkg = unprofiledCompile(l);
        if (pkg !== undefined) throw new UnprofiledError(pkg);
      }
    planned = countCompiles(dry.stderr);
    if (planned === 0 && store) {
      // Everything is in the go build cache: the dry run's BuildIDs are the real ones (it looked
      // each compile up), so the stored results answer without replaying the compiler's output.
      const fromCache = await assemble(plan, parseGoListJson<ListedPackage>(dry.stdout), new Set(), new Map(), new Map(), store, opts);
      if (fromCache.missing.length === 0) {
        opts.onProgress?.({ phase: 'build', message: 'nothing to compile: all packages come from the go build cache', done: 0, total: 0 });
        return {
          raw: { ...fromCache.raw, pgo, args: ['list', '-n', ...args], plannedActions: 0, workDir: dir, stable: true },
          missing: [],
          collided: [],
          key,
          warmed: warm,
        };
      }
    }
  }

  opts.onProgress?.({ phase: 'command', message: `go list -x ${args.join(' ')} (in ${plan.mainDir})` });
  opts.onProgress?.({
    phase: 'build',
    message: estimated
      ? `${changed?.length ?? 0} changed package(s): up to ${planned} package(s) to compile`
      : planned
        ? `${planned} package(s) to compile`
        : 'nothing to compile: all packages come from the go build cache',
    done: 0,
    total: planned,
  });
  let started = 0;
  const startedNow = new Set<string>();
  // Each compile's decisions are read as soon as its output block ends, while the go command compiles the others
  // (early-parse.ts); packages whose text a -m=2 pass replaces (json-collisions.ts) wait for the end.
  const workspace = new Map(plan.packages.map((p) => [p.importPath, p]));
  const early = new EarlyParse({
    jsonDir,
    mainPackage: plan.mainPackage,
    eligible: (pkg, files) => {
      const p = workspace.get(pkg);
      return (
        p !== undefined &&
        startedNow.has(pkg) &&
        !verbose.includes(pkg) &&
        collidedPackages([p], () => files, { cwd: plan.mainDir, goroot: plan.env.goroot }).length === 0
      );
    },
    parse: async (pkg, text, files) => {
      const p = workspace.get(pkg);
      if (!p) throw new Error(`${pkg} is not a workspace package`);
      return parseCompiled(plan, p, text, files, store, opts.packageResults?.nameIndexers);
    },
  });
  const splitter = new GoOutputSplitter(
    (c) => {
      started++;
      startedNow.add(mainName(c.pkg));
      opts.onProgress?.({
        phase: 'build',
        message: `compiling ${mainName(c.pkg)} (package ${started} of ${Math.max(planned, started)})`,
        done: started,
        total: Math.max(planned, started),
      });
    },
    // Only what this run compiles is parsed: a replayed block's decisions come from the store (a
    // compile's -x line comes before its output, so the set is complete when the block arrives).
    (pkg) => startedNow.has(pkg) || !store,
    (pkg, blockText) => {
      if (startedNow.has(pkg) && workspace.has(pkg)) early.blockEnded(pkg, blockText);
    },
  );
  let listed: { text: string; stdout: string };
  try {
    listed = await listExport(go, args, plan, opts, splitter, checkProfile);
  } catch (e) {
    await early.settle(); // nothing of it runs on after a failed or cancelled build
    throw e;
  }
  const { text, stdout } = listed;

  opts.onProgress?.({ phase: 'read', message: "reading the compiler's decisions" });
  // only the lines the parser reads (the rest, escape analysis and bounds checks, is most of the bytes and is not decoded); the
  // folders of the compiles whose output ended before the go command did were read already
  const fresh = await early.finish();
  const compiledNow = new Set(splitter.compiled.map(mainName));
  const collided = collidedPackages(
    plan.packages.filter((p) => compiledNow.has(p.importPath)),
    (p) => fresh.get(p),
    { cwd: plan.mainDir, goroot: plan.env.goroot },
  );
  // Packages whose JSON loses lines to a file of the same name, compiled now: their -m=2 text
  // states the function facts the JSON lost (json-collisions.ts). A pass of their own rather than
  // -m=2 in the main run: the go command would replay that text (109 MB for cmd/compile's types2)
  // on every later run; so only a change to them pays for a second compile.
  const m2 = [...new Set([...verbose, ...collided])].filter((p) => compiledNow.has(p)).sort();
  let blocks = splitter.blocks;
  let verboseText = '';
  let verboseCompiles = 0;
  let verboseArgs: string[] = [];
  if (m2.length) {
    const v = await verbosePass(plan, pgo, jsonDir, m2, opts);
    blocks = new Map([...blocks, ...v.blocks]); // the -m=2 text of those packages in place of their -m=1 text; the JSON is the main run's
    verboseText = v.text;
    verboseCompiles = v.compiles;
    verboseArgs = v.args;
  }
  const a = await assemble(plan, parseGoListJson<ListedPackage>(stdout), compiledNow, blocks, fresh, store, opts, early);
  return {
    raw: {
      ...a.raw,
      pgo,
      args: ['list', '-x', ...args],
      verboseArgs,
      text: text + verboseText,
      compileActions: splitter.compiled.length + verboseCompiles,
      plannedActions: planned,
      workDir: dir,
      stable: store !== undefined,
    },
    missing: a.missing,
    collided,
    key,
    warmed: warm,
  };
}

/** Runs `go list -x ARGS` in the main package's folder, feeding its stderr to `splitter` line by line; the compiler text and the listing (stdout), or a BuildError. */
async function listExport(
  go: string,
  args: string[],
  plan: BuildPlan,
  opts: RunOptions,
  splitter: GoOutputSplitter,
  checkProfile = false,
): Promise<{ text: string; stdout: string }> {
  // a compile without the profile stops the go command at once (UnprofiledError)
  const stop = new AbortController();
  let unprofiled: string | undefined;
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let r: Proc;
  try {
    r = await runLines(
      go,
      ['list', '-x', ...args],
      plan.mainDir,
      { ...opts, signal },
      (line, fd) => {
        opts.onOutput?.(`${line}\n`);
        if (fd !== 'stderr') return;
        if (checkProfile && unprofiled === undefined && line.includes(' -p ')) {
          unprofiled = unprofiledCompile(line);
          if (unprofiled !== undefined) stop.abort();
        }
        splitter.pushLine(line);
      },
      false,
    );
  } catch (e) {
    if (e instanceof AbortedError && unprofiled !== undefined && !opts.signal?.aborted) throw new UnprofiledError(unprofiled);
    throw e;
  }
  if (unprofiled !== undefined && !opts.signal?.aborted) throw new UnprofiledError(unprofiled);
  const text = splitter.finish();
  if (r.code !== 0) {
    const tail = (splitter.other.length ? splitter.other : text.trim().split('\n')).slice(-3).join(' ');
    throw new BuildError(`go list -export failed in ${plan.mainDir} (exit ${r.code ?? r.signal}): ${tail}`, `${text}${splitter.other.join('\n')}\n${r.stderr}`);
  }
  return { text, stdout: r.stdout };
}

/**
 * The -m=2 pass of JSON-collided packages compiled by the main run: `go list -export` of those
 * packages alone with the main run's flags and `-m=2` for them (their dependencies come from the
 * go build cache: same flags; nothing imports them here). Their text blocks, compiled now or
 * replayed (the compile's JSON equals the main run's: the log does not depend on -m).
 */
async function verbosePass(
  plan: BuildPlan,
  pgo: string,
  jsonDir: string,
  pkgs: string[],
  opts: RunOptions,
): Promise<{ args: string[]; blocks: Map<string, string>; text: string; compiles: number }> {
  const args = listArgs(plan, pgo, jsonDir, pkgs, pkgs);
  const want = new Set(pkgs);
  opts.onProgress?.({ phase: 'plan', message: `${pkgs.length} package(s) lose JSON lines to a file of the same name: compiling them with -m=2` });
  opts.onProgress?.({ phase: 'command', message: `go list -x ${args.join(' ')} (in ${plan.mainDir})` });
  const splitter = new GoOutputSplitter(
    (c) => opts.onProgress?.({ phase: 'build', message: `compiling ${c.pkg === 'main' ? plan.mainPackage : c.pkg} with -m=2` }),
    (pkg) => want.has(pkg),
  );
  const { text } = await listExport(opts.go ?? 'go', args, plan, opts, splitter);
  const blocks = new Map([...splitter.blocks].filter(([p]) => want.has(p)));
  return { args: ['list', '-x', ...args], blocks, text, compiles: splitter.compiled.length };
}

/**
 * The build's decisions from its packages: those compiled in this run are parsed (their block of
 * the output and the JSON they wrote) and stored by action ID; the others come from memory or the
 * store (`missing` when neither has them).
 */
async function assemble(
  plan: BuildPlan,
  listed: ListedPackage[],
  compiledNow: Set<string>,
  blocks: Map<string, string>,
  fresh: Map<string, JsonFile[]>,
  store: PackageStore | undefined,
  opts: RunOptions,
  early?: EarlyParse,
): Promise<Attempt> {
  const buildIds = new Map(listed.map((p) => [p.ImportPath, p.BuildID]));
  const parts: CompilerDecisions[] = [];
  const json: JsonFile[] = [];
  const compiled: string[] = [];
  const reused: string[] = [];
  const missing: string[] = [];
  for (const p of plan.packages) {
    const pkg = p.importPath;
    const actionId = actionIdOf(buildIds.get(pkg));
    let got: Pick<StoredPackage, 'json' | 'decisions'> | undefined;
    if (!compiledNow.has(pkg) && actionId) {
      got = opts.packageResults?.get(pkg, actionId) ?? (await store?.get(pkg, actionId));
      if (got) reused.push(pkg);
      else missing.push(pkg);
    }
    if (!got) {
      const files = keptJson(fresh.get(pkg) ?? []);
      const text = blocks.get(pkg) ?? '';
      // parsed while the build ran, from the same text and JSON (early-parse.ts), or now
      const parsed = compiledNow.has(pkg) ? await early?.parsed(pkg, text, files) : undefined;
      got = parsed ?? { json: files, decisions: await parseCompiled(plan, p, text, files, store, opts.packageResults?.nameIndexers) };
      if (compiledNow.has(pkg)) {
        compiled.push(pkg);
        if (actionId) await store?.put({ pkg, actionId, ...got });
      }
    }
    if (actionId && (compiledNow.has(pkg) || reused.includes(pkg))) opts.packageResults?.set(pkg, actionId, got);
    parts.push(got.decisions);
    json.push(...got.json);
  }
  const raw: RawBuild = {
    plan,
    pgo: '',
    args: [],
    verboseArgs: [],
    text: '',
    json,
    decisions: mergeDecisions(parts, plan.packageNames),
    compiled,
    reused,
    compileActions: 0,
    plannedActions: 0,
    workDir: '',
    stable: store !== undefined,
  };
  return { raw, missing, collided: [], key: '', warmed: false };
}

/** One workspace package's decisions from its compile's text block and kept JSON files (its JSON function facts named first). */
async function parseCompiled(
  plan: BuildPlan,
  p: WorkspacePackage,
  text: string,
  files: JsonFile[],
  store: PackageStore | undefined,
  indexers: NameIndexers | undefined,
): Promise<CompilerDecisions> {
  const parseOpts = { cwd: plan.mainDir, goroot: plan.env.goroot, packageNames: plan.packageNames, mainPackage: plan.mainPackage };
  const byDir = new Map(Object.entries(plan.packageDirs));
  const functionNames = await namesOf(p, unnamedFunctions(files, { ...parseOpts, pkg: p.importPath }), byDir, store, indexers);
  return parsePackage(p.importPath, text, files, { ...parseOpts, functionNames });
}

/**
 * nameFunctions of a compiled package's positions; those in the package's own directory come from
 * the store when its sources are the same as when they were named (PackageStore.getNames).
 */
async function namesOf(
  p: WorkspacePackage,
  positions: FunctionPos[],
  byDir: ReadonlyMap<string, { importPath: string; name: string }>,
  store: PackageStore | undefined,
  indexers?: NameIndexers,
): Promise<Map<string, FunctionName>> {
  const dir = path.resolve(p.dir);
  const own = positions.filter((x) => path.dirname(x.file) === dir);
  const other = positions.filter((x) => path.dirname(x.file) !== dir);
  const out = other.length ? nameFunctions(other, { pkg: p, byDir, ...(indexers ? { indexers } : {}) }) : new Map<string, FunctionName>();
  if (!own.length) return out;
  const kept = await store?.getNames(p.importPath, p.hash);
  if (kept && own.every((x) => positionKey(x) in kept)) {
    for (const x of own) {
      const n = kept[positionKey(x)];
      if (n) out.set(positionKey(x), n);
    }
    return out;
  }
  const named = nameFunctions(own, { pkg: p, byDir, ...(indexers ? { indexers } : {}) });
  for (const [k, n] of named) out.set(k, n);
  await store?.putNames(p.importPath, p.hash, Object.fromEntries(own.map((x) => [positionKey(x), named.get(positionKey(x)) ?? null])));
  return out;
}

/** sha256 of a profile file ('off' hashes to 'off'). */
export async function profileHash(pgo: string): Promise<string> {
  if (pgo === 'off') return 'off';
  return createHash('sha256')
    .update(await fs.promises.readFile(pgo))
    .digest('hex');
}

/** The process runner of the decision builds, for other go commands (evaluate's builds and benchmark runs). */
export { run as runGoProcess, type Proc as GoProcess };
