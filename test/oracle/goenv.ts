/**
 * Access to the Go toolchain for oracle tests. They run whenever `go` is on PATH; on CI
 * (CI=true) a missing toolchain fails the run instead of silently skipping the oracle.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let cached: string | null | undefined;

/** `go version` output, or null when go is not on PATH. */
export function goVersion(): string | null {
  if (cached !== undefined) return cached;
  try {
    cached = execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    cached = null;
  }
  return cached;
}

/** Options for node:test's `describe`/`it`: skip without go, except on CI where that is a failure. */
export function requireGo(): { skip?: string } {
  if (goVersion()) return {};
  if (process.env['CI']) throw new Error('oracle tests need the Go toolchain on PATH (CI=true)');
  return { skip: 'go is not on PATH' };
}

export function goroot(): string {
  return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
}

const made = new Set<string>();
process.on('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true, maxRetries: 3 });
});

/**
 * A new temporary directory `pgo-lens-<prefix>-XXXXXX`. Removed when the test file's process exits
 * (node --test runs each file in its own process), unless the test removed it before.
 */
export function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `pgo-lens-${prefix}-`));
  made.add(d);
  return d;
}

/** tmpDir with symbolic links resolved (go prints real paths: on some systems the temp folder is a link). */
export function realTmpDir(prefix: string): string {
  return fs.realpathSync(tmpDir(prefix));
}

/** Runs `go tool preprofile -i input`; returns stdout bytes, or the error text on failure. */
export function goPreprofile(input: string): { ok: true; out: Buffer } | { ok: false; err: string } {
  const r = spawnSync('go', ['tool', 'preprofile', '-i', input], { maxBuffer: 1 << 30 });
  if (r.status === 0) return { ok: true, out: r.stdout };
  return { ok: false, err: `${r.stderr.toString()}`.trim() || `exit ${r.status} signal ${r.signal}` };
}

/** Asserts that `ours(file)` is byte for byte what `go tool preprofile` writes for `file` (`what` names our path in the message); returns it. */
export async function assertPreprofileAsGo(file: string, what: string, ours: (file: string) => Promise<Buffer>): Promise<Buffer> {
  const go = goPreprofile(file);
  assert.ok(go.ok, `go tool preprofile failed on ${file}: ${!go.ok && go.err}`);
  const out = await ours(file);
  assert.ok(out.equals(go.out), `${what} output differs for ${file} (ours ${out.length} bytes, go ${go.out.length} bytes)`);
  return out;
}

/** Builds `pkg` in `dir` and returns the compiler's combined output. */
export function goBuild(dir: string, args: string[], env: Record<string, string> = {}): string {
  const bin = tmpDir('bin');
  try {
    const r = spawnSync('go', ['build', '-o', path.join(bin, 'a.out'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-buildvcs=false', ...env },
      maxBuffer: 1 << 30,
    });
    if (r.status !== 0) throw new Error(`go build ${args.join(' ')} failed in ${dir}:\n${r.stderr}`);
    return `${r.stdout}${r.stderr}`;
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
}

/**
 * `goBuild` with -trimpath, its output written as a build without it prints it, but for the `./` that build puts in front of some
 * relative positions and not others (`./geom/generic.go` and `geom/generic.go` in one build): none here. -trimpath keeps the module's directory out of the go
 * command's cache keys: a build of a temporary copy (or of a fresh clone at a new path) takes its compiles, whose inputs are the same
 * from run to run, from the build cache, where a plain build compiles every package of the module again (the compiler's decisions
 * do not depend on where the files are). Only the positions differ, and only where a position stands (at the start of a line and
 * after ` at ` of a hot-budget line): see `untrimPositions`.
 */
export function goBuildTrimmed(dir: string, args: string[], env: Record<string, string> = {}): string {
  return untrimPositions(dir, goBuild(dir, ['-trimpath', ...args], env));
}

/**
 * Positions of a -trimpath build as the go command prints them without it, run in `dir` (inside a module), without a leading `./`:
 * the main module's `module/pkg/file.go` relative to `dir`, a vendored `module@version/file.go` as
 * `vendor/module/file.go` relative to `dir`, another `module@version/file.go` in the module cache, and the standard library's
 * `pkg/file.go` under $GOROOT/src, both absolute.
 */
export function untrimPositions(dir: string, out: string): string {
  let root = path.resolve(dir);
  while (!fs.existsSync(path.join(root, 'go.mod'))) {
    if (path.dirname(root) === root) throw new Error(`no go.mod at or above ${dir}`);
    root = path.dirname(root);
  }
  const main = /^module\s+(\S+)/m.exec(fs.readFileSync(path.join(root, 'go.mod'), 'utf8'))?.[1];
  if (!main) throw new Error(`no module line in ${root}/go.mod`);
  const vendored = new Map<string, string>();
  const modules = path.join(root, 'vendor', 'modules.txt');
  if (fs.existsSync(modules)) for (const m of fs.readFileSync(modules, 'utf8').matchAll(/^# (\S+) (\S+)$/gm)) vendored.set(`${m[1]}@${m[2]}`, m[1]!);
  const src = path.join(goroot(), 'src');
  const modcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const cwd = path.resolve(dir);
  /** As the go command shortens a path: relative to its working directory when that is shorter and not above it (no `./`). */
  const short = (abs: string): string => {
    const rel = path.relative(cwd, abs);
    if (rel.length >= abs.length || rel === '..' || rel.startsWith(`..${path.sep}`)) return abs;
    return rel;
  };
  const untrim = (file: string): string => {
    if (file.startsWith(`${main}/`)) return short(path.join(root, file.slice(main.length + 1)));
    const at = /^([^@]+@[^/]+)\/(.*)$/.exec(file);
    if (at) {
      const v = vendored.get(at[1]!);
      return v ? short(path.join(root, 'vendor', v, at[2]!)) : path.join(modcache, file);
    }
    return file.startsWith('<') ? file : path.join(src, file);
  };
  return out.replace(/(^| at )(\S+?\.go|<autogenerated>)(?=:\d+:\d+)/gm, (_, before: string, file: string) => `${before}${untrim(file)}`);
}

/** The threshold the compiler prints with -d=pgodebug=1 (all `hot-callsite-thres-from-CDF=` values seen). */
export function printedThresholds(buildOutput: string): string[] {
  return [...buildOutput.matchAll(/^hot-callsite-thres-from-CDF=(\S+)$/gm)].map((m) => m[1]!);
}
