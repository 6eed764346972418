/**
 * Runs the Go compiler to get its decisions: `go build` of one main package with a profile (or
 * `-pgo=off`) and `-gcflags=<workspace packages>=-m=2 -d=pgodebug=1 -json=0,file://TMP/json`, into
 * a temporary directory (the binary and the JSON go there; nothing in the workspace is written;
 * `-buildvcs=false` keeps it from asking git). Cancellable: the AbortSignal kills the go process
 * group (go and the compilers it started).
 *
 * Build cache: the go command replays a cached compile's text output (-m, pgodebug) but a cache
 * hit runs no compiler, so the JSON files would be missing. The JSON directory is a fresh
 * temporary path, and the flag is part of the compile's cache key, so the workspace packages are
 * always really compiled; everything else (std, module cache, each rebuilt for the profile)
 * comes from the cache as usual.
 *
 * No `vscode` import. Uses the disk and child processes (run it in the worker or the CLI).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonFile } from './decisions';
import { parseGoListJson } from '../source/packages';

export interface BuildProgress {
  phase: 'list' | 'build' | 'read';
  message: string;
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
}

export interface GoEnv {
  goVersion: string;
  goroot: string;
  gomodcache: string;
}

export interface WorkspacePackage {
  importPath: string;
  dir: string;
  /** sha256 of the package's file names and contents (Go, cgo, assembly, embedded files). */
  hash: string;
}

export interface BuildPlan {
  /** The main package directory (the go command runs there and builds `.`). */
  mainDir: string;
  /** Workspace root: packages under it get `-m=2 -d=pgodebug=1 -json`. */
  root: string;
  mainPackage: string;
  /** Packages of the build under the workspace root, and other non-module-cache, non-std ones (local replaces). */
  packages: WorkspacePackage[];
  /** `-gcflags` package patterns (`example.com/shapes/...`). */
  patterns: string[];
  /** sha256 over go.mod / go.sum / go.work of the modules involved. */
  modHash: string;
  env: GoEnv;
}

export interface RawBuild {
  plan: BuildPlan;
  /** `off` or the absolute profile path. */
  pgo: string;
  args: string[];
  /** The go command's combined stdout+stderr. */
  text: string;
  json: JsonFile[];
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

/** Runs a command in its own process group; abort kills the group (SIGTERM, then SIGKILL). */
function run(cmd: string, args: string[], cwd: string, opts: RunOptions, stream: boolean): Promise<Proc> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new AbortedError());
    const child = spawn(cmd, args, { cwd, env: opts.env ?? process.env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    let combined = '';
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
        else process.kill(-child.pid, sig);
      } catch {
        /* already gone */
      }
    };
    const onAbort = (): void => {
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), 2000);
      killTimer.unref();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      stdout += c;
      combined += c;
      if (stream) opts.onOutput?.(c);
    });
    child.stderr.on('data', (c: string) => {
      stderr += c;
      combined += c;
      if (stream) opts.onOutput?.(c);
    });
    child.on('error', (e) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (opts.signal?.aborted) {
        // go has exited; make sure the compilers it started (same process group) are gone too.
        void reapGroup(child.pid).then(() => reject(new AbortedError()));
        return;
      }
      resolve({ code, signal, stdout, stderr, combined });
    });
  });
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
  const r = await run(opts.go ?? 'go', args, cwd, opts, false);
  if (r.code !== 0) throw new BuildError(`go ${args.join(' ')} failed in ${cwd}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, r.stderr);
  return r.stdout;
}

export async function goEnv(cwd: string, opts: RunOptions = {}): Promise<GoEnv> {
  const j = JSON.parse(await goOut(['env', '-json', 'GOVERSION', 'GOROOT', 'GOMODCACHE'], cwd, opts)) as Record<string, string>;
  return { goVersion: j['GOVERSION'] ?? '', goroot: j['GOROOT'] ?? '', gomodcache: j['GOMODCACHE'] ?? '' };
}

interface ListedPackage {
  ImportPath: string;
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
}

const within = (dir: string, root: string): boolean => dir === root || dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

async function hashPackage(p: ListedPackage): Promise<string> {
  const h = createHash('sha256');
  h.update(`${p.ImportPath}\0${p.Dir}\0`);
  const files = [...(p.GoFiles ?? []), ...(p.CgoFiles ?? []), ...(p.CFiles ?? []), ...(p.CXXFiles ?? []), ...(p.HFiles ?? []), ...(p.SFiles ?? []), ...(p.SysoFiles ?? []), ...(p.EmbedFiles ?? [])].sort();
  for (const f of files) {
    h.update(`${f}\0`);
    try {
      h.update(await fs.promises.readFile(path.join(p.Dir ?? '', f)));
    } catch {
      h.update('\0missing\0');
    }
    h.update('\0');
  }
  return h.digest('hex');
}

/** The packages `go build` of mainDir compiles that belong to the workspace, with source hashes. */
export async function planBuild(mainDir: string, root: string, opts: RunOptions = {}): Promise<BuildPlan> {
  mainDir = path.resolve(mainDir);
  root = path.resolve(root);
  opts.onProgress?.({ phase: 'list', message: `go list -deps ${mainDir}` });
  const env = await goEnv(mainDir, opts);
  const listed = parseGoListJson<ListedPackage>(await goOut(['list', '-deps', '-json', '.'], mainDir, opts));
  const main = listed[listed.length - 1];
  if (!main || main.Name !== 'main') throw new BuildError(`${mainDir} is not a main package (go list says package ${main?.Name ?? '?'})`, '');
  const modCache = env.gomodcache ? path.resolve(env.gomodcache) : '';
  const mine = listed.filter((p) => p.Dir && (within(p.Dir, root) || (!p.Standard && !(modCache && within(p.Dir, modCache)))));
  const packages = await Promise.all(mine.map(async (p) => ({ importPath: p.ImportPath, dir: p.Dir!, hash: await hashPackage(p) })));
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
  for (const p of mine) {
    if (p.Module?.GoMod) {
      modFiles.add(p.Module.GoMod);
      modFiles.add(p.Module.GoMod.replace(/go\.mod$/, 'go.sum'));
    }
  }
  for (const f of [...modFiles].sort()) {
    mh.update(`${f}\0`);
    try {
      mh.update(await fs.promises.readFile(f));
    } catch {
      /* no go.sum */
    }
  }
  return { mainDir, root, mainPackage: main.ImportPath, packages, patterns: [...patterns].sort(), modHash: mh.digest('hex'), env };
}

/** Quotes one -gcflags argument for the go command's quoted.Split when it has spaces or quotes. */
function quoteFlag(s: string): string {
  if (!/[\s'"]/.test(s)) return s;
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  throw new Error(`cannot quote ${s} for -gcflags`);
}

/** The `go build` arguments (after `build`). */
export function buildArgs(plan: BuildPlan, pgo: string, outDir: string): string[] {
  const jsonDir = path.join(outDir, 'json');
  const flags = `-m=2 -d=pgodebug=1 ${quoteFlag(`-json=0,file://${jsonDir.split(path.sep).join('/')}`)}`;
  return ['-o', path.join(outDir, process.platform === 'win32' ? 'bin.exe' : 'bin'), '-buildvcs=false', `-pgo=${pgo}`, ...plan.patterns.map((p) => `-gcflags=${p}=${flags}`), '.'];
}

async function readJsonDir(dir: string): Promise<JsonFile[]> {
  const out: JsonFile[] = [];
  let pkgs: string[];
  try {
    pkgs = (await fs.promises.readdir(dir)).sort();
  } catch {
    return out;
  }
  for (const p of pkgs) {
    const sub = path.join(dir, p);
    let files: string[];
    try {
      files = (await fs.promises.readdir(sub)).sort();
    } catch {
      continue;
    }
    for (const f of files) out.push({ name: `${p}/${f}`, text: await fs.promises.readFile(path.join(sub, f), 'utf8') });
  }
  return out;
}

/**
 * Builds plan.mainDir with `-pgo=<pgo>` ('off' or a profile path) and the decision flags, in a
 * temporary directory that is removed afterwards. Throws BuildError when the build fails,
 * AbortedError when cancelled.
 */
export async function runDecisionBuild(plan: BuildPlan, pgo: string, opts: RunOptions = {}): Promise<RawBuild> {
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pgo-lens-decisions-'));
  try {
    const pgoArg = pgo === 'off' ? 'off' : path.resolve(pgo);
    const args = buildArgs(plan, pgoArg, tmp);
    opts.onProgress?.({ phase: 'build', message: `go build ${args.join(' ')}` });
    const wrapped: RunOptions = {
      ...opts,
      onOutput: (c) => {
        opts.onOutput?.(c);
        for (const m of c.matchAll(/^# (\S+)/gm)) opts.onProgress?.({ phase: 'build', message: `compiled ${m[1]}` });
      },
    };
    const r = await run(opts.go ?? 'go', ['build', ...args], plan.mainDir, wrapped, true);
    const text = r.combined;
    if (r.code !== 0) throw new BuildError(`go build failed in ${plan.mainDir} (exit ${r.code ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, text);
    opts.onProgress?.({ phase: 'read', message: 'reading the compiler\'s JSON diagnostics' });
    const json = await readJsonDir(path.join(tmp, 'json'));
    return { plan, pgo: pgoArg, args, text, json };
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

/** sha256 of a profile file ('off' hashes to 'off'). */
export async function profileHash(pgo: string): Promise<string> {
  if (pgo === 'off') return 'off';
  return createHash('sha256').update(await fs.promises.readFile(pgo)).digest('hex');
}

/** The process runner of the decision builds, for other go commands (evaluate's builds and benchmark runs). */
export { run as runGoProcess, type Proc as GoProcess };
