/**
 * The one way the product runs `go` and `git`. Arguments are arrays (never a shell), the
 * environment is fixed, and what a repository controls cannot run code:
 *
 * - go: `GOTOOLCHAIN=local` (a `toolchain` line in an untrusted go.mod downloads and runs nothing),
 *   unless the user set GOTOOLCHAIN in their own environment or settings and the workspace is
 *   trusted; internal queries (`go env`, `go list`) get an empty GOFLAGS, so an inherited
 *   `-toolexec`, `-modfile` or `-pgo` changes no answer; `go env` runs in a private empty directory,
 *   never in the workspace.
 * - git: repository configuration that runs programs is switched off on the command line (which
 *   overrides every config file): `core.fsmonitor`, hooks, every `filter.<driver>` found in the
 *   configuration, textconv and external diff drivers, pagers, signature checks in `log`;
 *   `safe.bareRepository=explicit` refuses a bare repository committed in a subfolder (it arrives
 *   with a plain clone and would otherwise be found by discovery), `protocol.file.allow=never`
 *   keeps submodules from reading local repositories. Inherited `GIT_*` variables (GIT_DIR,
 *   GIT_CONFIG_PARAMETERS, GIT_EXTERNAL_DIFF…) are dropped; the user's own global and system
 *   configuration stay (they are the user's, and carry e.g. `safe.directory`).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineSplitter } from './line-split';
import { makeTempDir, withTempDir } from './temp';

export class SpawnError extends Error {
  override readonly name = 'SpawnError';
  constructor(
    /** `go`, `git`… */
    readonly command: string,
    message: string,
    /** The exit code (null: it did not start, was killed or timed out). */
    readonly code: number | null,
    readonly stderr: string,
    readonly kind: 'missing' | 'failed' | 'timeout' | 'too-much-output' | 'cancelled' = 'failed',
    /** What it printed before failing (`go list -e` prints packages and exits 1). */
    readonly stdout: Buffer = Buffer.alloc(0),
  ) {
    super(message);
  }
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill after this long (default 60 s). */
  timeoutMs?: number;
  /** Largest stdout kept; more kills the process (default 256 MiB). */
  maxOutput?: number;
  /** Written to stdin, then closed. */
  input?: string;
  signal?: AbortSignal;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Runs `cmd args` (no shell) and resolves when it exits 0; otherwise rejects with a SpawnError. */
export function run(cmd: string, args: string[], o: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const name = path.basename(cmd);
    const posix = process.platform !== 'win32';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'], detached: posix, windowsHide: true });
    } catch (e) {
      reject(new SpawnError(name, `cannot run ${name}: ${(e as Error).message}`, null, ''));
      return;
    }
    const out: Buffer[] = [];
    let outLen = 0;
    let err = '';
    let stop: SpawnError | null = null;
    const kill = (why: SpawnError): void => {
      if (stop) return;
      stop = why;
      try {
        if (posix && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        /* gone */
      }
    };
    const timeoutMs = o.timeoutMs ?? 60_000;
    const timer = setTimeout(
      () => kill(new SpawnError(name, `${name} ${args[0] ?? ''} did not finish within ${Math.round(timeoutMs / 1000)} s`, null, err, 'timeout')),
      timeoutMs,
    );
    const onAbort = (): void => kill(new SpawnError(name, `${name} ${args[0] ?? ''} cancelled`, null, err, 'cancelled'));
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    const max = o.maxOutput ?? 256 << 20;
    child.stdout!.on('data', (c: Buffer) => {
      outLen += c.length;
      if (outLen > max) kill(new SpawnError(name, `${name} ${args[0] ?? ''} printed more than ${max} bytes`, null, err, 'too-much-output'));
      else out.push(c);
    });
    child.stderr!.on('data', (c: Buffer) => {
      if (err.length < 64 * 1024) err += c.toString('utf8');
    });
    child.stdin!.on('error', () => undefined); // a process that exits without reading its input
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      const missing = e.code === 'ENOENT';
      reject(
        new SpawnError(
          name,
          missing ? `the ${name} command was not found (${cmd}); install it or put it on PATH` : `cannot run ${name}: ${e.message}`,
          null,
          '',
          missing ? 'missing' : 'failed',
        ),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (stop) return reject(stop);
      if (code !== 0) {
        const first = err.trim().split('\n')[0] || `exit status ${code}`;
        return reject(new SpawnError(name, `${name} ${args[0] ?? ''}: ${first}`, code, err, 'failed', Buffer.concat(out, outLen)));
      }
      resolve({ stdout: Buffer.concat(out, outLen), stderr: err, code: 0 });
    });
    child.stdin!.end(o.input ?? '');
  });
}

// ---- long commands

export interface GroupOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string[];
  stderr: string[];
  cancelled: boolean;
}

/** Runs a command in its own process group, streaming lines; kills the group on abort. */
export interface GroupOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Every output line, as it comes. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Milliseconds between SIGINT and SIGKILL when cancelled (default 3000). */
  killGraceMs?: number;
  /** Called with the process (group) id once started. */
  onPid?: (pid: number) => void;
  /** Lines kept per stream (about; default all). */
  tailLines?: number;
}

/**
 * Runs a long command (a build, benchmarks) in its own process group, streaming lines; on abort
 * the whole group gets SIGINT, then SIGKILL after a grace period. Use `goEnvironment()` for `env`.
 */
export function runGroup(cmd: string, args: string[], o: GroupOptions): Promise<GroupOutcome> {
  const { cwd, onPid } = o;
  const tailLines = o.tailLines ?? Infinity;
  // A go command killed on cancel cannot remove its go-build* work directory: it goes into a
  // private GOTMPDIR removed after the group (unless the caller chose one).
  const gotmp = o.env.GOTMPDIR ? undefined : makeTempDir('gotmp');
  const env = gotmp ? { ...o.env, GOTMPDIR: gotmp } : o.env;
  const removeTmp = (): Promise<void> =>
    gotmp ? fs.promises.rm(gotmp, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined) : Promise.resolve();
  return new Promise((resolve, reject) => {
    const posix = process.platform !== 'win32';
    let child;
    try {
      child = spawn(cmd, args, { cwd, env, detached: posix, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (e) {
      void removeTmp().then(() => reject(e));
      return;
    }
    const out: GroupOutcome = { code: null, signal: null, stdout: [], stderr: [], cancelled: false };
    const pid = child.pid;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (sig: NodeJS.Signals): void => {
      if (pid === undefined) return;
      try {
        if (posix) process.kill(-pid, sig);
        else spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      } catch {
        /* already gone */
      }
    };
    const onAbort = (): void => {
      if (out.cancelled) return;
      out.cancelled = true;
      killGroup('SIGINT');
      killTimer = setTimeout(() => killGroup('SIGKILL'), o.killGraceMs ?? 3000);
      killTimer.unref?.();
    };
    const lines = (stream: 'stdout' | 'stderr', sink: string[]): LineSplitter =>
      new LineSplitter((line) => {
        sink.push(line);
        if (sink.length > 4 * tailLines) sink.splice(0, sink.length - 2 * tailLines);
        o.onLine?.(line, stream);
      });
    const so = lines('stdout', out.stdout);
    const se = lines('stderr', out.stderr);
    child.stdout!.on('data', (d: Buffer) => so.write(d));
    child.stderr!.on('data', (d: Buffer) => se.write(d));
    child.on('error', (e) => {
      o.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      void removeTmp().then(() => reject(e));
    });
    child.on('close', (code, signal) => {
      o.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      // Whatever the leader did, make sure nothing of the group outlives it.
      if (out.cancelled) killGroup('SIGKILL');
      so.end();
      se.end();
      out.code = code;
      out.signal = signal;
      void removeTmp().then(() => resolve(out));
    });
    if (pid !== undefined) onPid?.(pid);
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort);
  });
}

// ---- go

export interface GoEnvOptions {
  /** The workspace is trusted (default false: nothing of the user's toolchain choice is used). */
  trusted?: boolean;
  /** GOTOOLCHAIN the user chose in their own settings (wins over the environment's when trusted). */
  toolchain?: string;
  /** Keep the inherited GOFLAGS (a build the user asked for); internal queries clear it. */
  keepGoflags?: boolean;
  /** Variables set last (GOOS, GOARCH, CGO_ENABLED, GOTMPDIR…). */
  extra?: NodeJS.ProcessEnv;
  /** The environment inherited (default process.env). */
  base?: NodeJS.ProcessEnv;
}

/** The environment of a `go` command (see the module comment). */
export function goEnvironment(o: GoEnvOptions = {}): NodeJS.ProcessEnv {
  const base = o.base ?? process.env;
  const env: NodeJS.ProcessEnv = { ...base };
  if (!o.keepGoflags) env.GOFLAGS = '';
  Object.assign(env, o.extra ?? {});
  // Set last: `extra` cannot re-open it.
  env.GOTOOLCHAIN = (o.trusted ? o.toolchain || base.GOTOOLCHAIN : undefined) || 'local';
  return env;
}

/**
 * Runs `go args` with `goEnvironment(env)` and a private GOTMPDIR (removed after it, so a killed
 * or cancelled command leaves no `go-build*`). Without `cwd` it runs in a private empty directory,
 * also removed after it: no go.mod, go.work or .git of anyone's can be found from there.
 */
export function runGo(
  args: string[],
  o: { goBin?: string; cwd?: string; env?: GoEnvOptions; timeoutMs?: number; maxOutput?: number; signal?: AbortSignal } = {},
): Promise<RunResult> {
  return withTempDir('gotmp', (gotmp) => {
    const go = (cwd: string): Promise<RunResult> =>
      run(o.goBin ?? 'go', args, {
        cwd,
        env: goEnvironment({ ...o.env, extra: { GOTMPDIR: gotmp, ...o.env?.extra } }),
        timeoutMs: o.timeoutMs ?? 120_000,
        ...(o.maxOutput !== undefined ? { maxOutput: o.maxOutput } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
    return o.cwd !== undefined ? go(o.cwd) : withTempDir('neutral', go);
  });
}

// ---- git

/** Configuration set on every git command line: nothing a repository configures runs. */
export const GIT_SAFE_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'safe.bareRepository=explicit',
  'protocol.file.allow=never',
  'core.quotepath=off',
  'core.pager=cat',
  'core.untrackedCache=false',
  'log.showSignature=false',
  'submodule.recurse=false',
];

/** The environment of a git command: inherited GIT_* variables dropped, no prompts, no pager, C locale. */
export function gitEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!/^GIT_/i.test(k) && k !== 'PAGER') env[k] = v;
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', PAGER: 'cat', LC_ALL: 'C', GIT_ASKPASS: '', SSH_ASKPASS: '' };
}

function gitConfigArgs(extra: readonly string[] = []): string[] {
  return ['--no-pager', ...[...GIT_SAFE_CONFIG, ...extra].flatMap((c) => ['-c', c])];
}

/**
 * `-c` overrides that switch off every filter driver configured anywhere (repository, user,
 * system): `git diff` against the working tree would otherwise run `filter.<name>.clean`.
 * Reading configuration runs nothing.
 */
export async function filterOverrides(cwd: string, o: { timeoutMs?: number } = {}): Promise<string[]> {
  let out: string;
  try {
    out = (
      await run('git', [...gitConfigArgs(), 'config', '-z', '--get-regexp', '^filter\\.'], {
        cwd,
        env: gitEnvironment(),
        timeoutMs: o.timeoutMs ?? 15_000,
        maxOutput: 1 << 20,
      })
    ).stdout.toString('utf8');
  } catch (e) {
    if (e instanceof SpawnError && e.code === 1) return []; // no filter configured
    throw e;
  }
  const names = new Set<string>();
  for (const entry of out.split('\0')) {
    const key = entry.split('\n')[0]!;
    const m = /^filter\.(.+)\.[^.]+$/i.exec(key);
    if (m) names.add(m[1]!);
  }
  return [...names].flatMap((n) => [`filter.${n}.clean=`, `filter.${n}.smudge=`, `filter.${n}.process=`, `filter.${n}.required=false`]);
}

/** Runs `git args` hardened (see the module comment); `extraConfig` adds `-c` settings. */
export function runGit(
  args: string[],
  o: { cwd: string; extraConfig?: readonly string[]; input?: string; timeoutMs?: number; maxOutput?: number },
): Promise<RunResult> {
  return run('git', [...gitConfigArgs(o.extraConfig), ...args], {
    cwd: o.cwd,
    env: gitEnvironment(),
    timeoutMs: o.timeoutMs ?? 15_000,
    ...(o.maxOutput !== undefined ? { maxOutput: o.maxOutput } : {}),
    ...(o.input !== undefined ? { input: o.input } : {}),
  });
}
