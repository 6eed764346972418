/**
 * Access to the Go toolchain for oracle tests. They run whenever `go` is on PATH; on CI
 * (CI=true) a missing toolchain fails the run instead of silently skipping the oracle.
 */
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

/** Runs `go tool preprofile -i input`; returns stdout bytes, or the error text on failure. */
export function goPreprofile(input: string): { ok: true; out: Buffer } | { ok: false; err: string } {
  const r = spawnSync('go', ['tool', 'preprofile', '-i', input], { maxBuffer: 1 << 30 });
  if (r.status === 0) return { ok: true, out: r.stdout };
  return { ok: false, err: `${r.stderr.toString()}`.trim() || `exit ${r.status} signal ${r.signal}` };
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

/** The threshold the compiler prints with -d=pgodebug=1 (all `hot-callsite-thres-from-CDF=` values seen). */
export function printedThresholds(buildOutput: string): string[] {
  return [...buildOutput.matchAll(/^hot-callsite-thres-from-CDF=(\S+)$/gm)].map((m) => m[1]!);
}
