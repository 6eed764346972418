/**
 * Unchanged re-confirmation without running go: the last confirmation of a (workspace, main
 * package, variant) is kept in its stable directory (workdir.ts) with a stat fingerprint of
 * everything its result depends on, and answers while nothing of it changed.
 *
 * What the fingerprint covers: every workspace package's directory (a file added or removed) and
 * its compiled files (Go, cgo, assembly, C, embedded: size, modification and change times in
 * nanoseconds, inode), the modules' go.mod / go.sum / vendor/modules.txt, a go.work anywhere
 * above the main package, the profile, the go binary found on PATH, `$GOROOT/VERSION`, and the
 * environment that changes a build (GO*, CGO_*, CC, CXX, PATH). Not covered: sources of the
 * standard library and of the module cache (read-only; a different Go changes the binary's
 * stat). Not used at all when GOFLAGS names an -overlay or -modfile (their files change unseen).
 *
 * Racy stats (git's "racy clean" problem): a file modified within the timestamp granularity of
 * the snapshot could change again unseen, so a record whose inputs were modified less than
 * RACY_MS before the snapshot is not written; the next confirmation runs go and writes it.
 *
 * No `vscode` import. Uses the disk.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Bump when the record's shape or what it covers changes. */
const VERSION = 1;
const RACY_MS = 2000;
const FILE = 'last-confirmation.json';

export interface Inputs {
  /** Files and directories whose stat the result depends on (absolute). */
  paths: string[];
  /** The build environment's entries that change a build. */
  env: Record<string, string>;
}

interface Record_<T> {
  v: number;
  fingerprint: string;
  paths: string[];
  value: T;
}

/** The environment entries that change a build (sorted), or undefined when an -overlay or -modfile in GOFLAGS rules the fast path out. */
export function buildEnv(env: NodeJS.ProcessEnv): Record<string, string> | undefined {
  const goflags = env['GOFLAGS'] ?? '';
  if (/(?:^|\s)--?(?:overlay|modfile)\b/.test(goflags)) return undefined;
  const out: Record<string, string> = {};
  for (const k of Object.keys(env).sort())
    if (/^(?:GO|CGO_)/.test(k) || k === 'CC' || k === 'CXX' || k === 'PATH') {
      const v = env[k];
      if (v !== undefined) out[k] = v;
    }
  return out;
}

/** The go binary `go` (a name looked up on PATH, or a path) resolves to; undefined when not found. */
export function resolveGo(go: string, env: NodeJS.ProcessEnv): string | undefined {
  if (go.includes('/') || go.includes('\\')) return path.resolve(go);
  const exts = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE').split(';') : [''];
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = path.join(dir, go + ext.toLowerCase());
      try {
        if (fs.statSync(p).isFile()) return p;
      } catch {
        /* not here */
      }
    }
  }
  return undefined;
}

/** go.work candidates from dir up to the filesystem root (stat'ed as missing or present). */
export function workFiles(dir: string): string[] {
  const out: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    out.push(path.join(d, 'go.work'));
    if (path.dirname(d) === d) return out;
  }
}

interface Snapshot {
  fingerprint: string;
  /** The newest modification time among the inputs (ms). */
  newest: number;
}

async function snapshot(inputs: Inputs): Promise<Snapshot> {
  const h = createHash('sha256');
  h.update(`v${VERSION}\0${JSON.stringify(inputs.env)}\0`);
  let newest = 0;
  const stats = await Promise.all(inputs.paths.map((p) => fs.promises.stat(p, { bigint: true }).catch(() => undefined)));
  inputs.paths.forEach((p, i) => {
    const st = stats[i];
    if (!st) h.update(`${p}\0missing\0`);
    else {
      h.update(`${p}\0${st.size}\0${st.mtimeNs}\0${st.ctimeNs}\0${st.ino}\0${st.mode}\0`);
      newest = Math.max(newest, Number(st.mtimeNs / 1_000_000n), Number(st.ctimeNs / 1_000_000n));
    }
  });
  return { fingerprint: h.digest('hex'), newest };
}

/** The last result kept in `dir` if none of its inputs changed (same environment, same stats). */
export async function lastIfUnchanged<T>(dir: string, env: Record<string, string>): Promise<T | undefined> {
  let r: Record_<T>;
  try {
    r = JSON.parse(await fs.promises.readFile(path.join(dir, FILE), 'utf8')) as Record_<T>;
  } catch {
    return undefined;
  }
  if (r.v !== VERSION || !Array.isArray(r.paths) || typeof r.fingerprint !== 'string') return undefined;
  const now = await snapshot({ paths: r.paths, env });
  return now.fingerprint === r.fingerprint ? r.value : undefined;
}

/**
 * The fingerprint of `inputs` now (take it before the build reads the sources: an edit during the
 * build then makes the record stale); `racy` when an input changed too recently to trust its stat.
 */
export async function fingerprintNow(inputs: Inputs): Promise<{ fingerprint: string; racy: boolean }> {
  const s = await snapshot(inputs);
  return { fingerprint: s.fingerprint, racy: Date.now() - s.newest < RACY_MS };
}

/** Keeps `value` in `dir` with the fingerprint taken before its build. */
export async function remember<T>(dir: string, inputs: Inputs, fingerprint: string, value: T): Promise<void> {
  const file = path.join(dir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  const rec: Record_<T> = { v: VERSION, fingerprint, paths: inputs.paths, value };
  await fs.promises.writeFile(tmp, JSON.stringify(rec), { mode: 0o600 });
  await fs.promises.rename(tmp, file);
}

/** Forgets the kept result (a failed or cancelled confirmation leaves none behind). */
export async function forget(dir: string): Promise<void> {
  await fs.promises.rm(path.join(dir, FILE), { force: true });
}
