/**
 * The little git the matcher needs: which commit last changed a profile, which files changed
 * since, and their text at that commit. Runs the `git` command (never in an untrusted
 * workspace: repository config can run programs); every failure is an answer of "no history"
 * with the reason, never an exception.
 */
import { execFile, spawn } from 'node:child_process';
import * as path from 'node:path';

const TIMEOUT_MS = 15_000;

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-c', 'core.quotepath=off', ...args], { cwd, timeout: TIMEOUT_MS, maxBuffer: 64 << 20, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args[0]}: ${(stderr || err.message).trim().split('\n')[0]}`));
      else resolve(stdout);
    });
  });
}

export interface ProfileCommit {
  /** Repository top level (absolute). */
  top: string;
  commit: string;
  /** Commit time, seconds since the epoch. */
  time: number;
  subject: string;
}

export type HistoryAnswer = { ok: true; value: ProfileCommit } | { ok: false; reason: string };

/**
 * The commit that last changed `profile`, when the profile in the working tree is exactly that
 * version (a modified, staged or untracked profile has no commit describing it).
 */
export async function profileCommit(profile: string): Promise<HistoryAnswer> {
  const dir = path.dirname(profile);
  let top: string;
  try {
    top = (await git(dir, ['rev-parse', '--show-toplevel'])).trim();
  } catch {
    return { ok: false, reason: 'not in a git repository' };
  }
  const rel = path.relative(top, profile).split(path.sep).join('/');
  try {
    if (!(await git(top, ['rev-parse', '--verify', '-q', 'HEAD']).then(() => true, () => false))) return { ok: false, reason: 'the repository has no commits yet' };
    const log = (await git(top, ['log', '-1', '--format=%H%x00%ct%x00%s', '--', rel])).trim();
    if (!log) return { ok: false, reason: `${rel} has never been committed` };
    const [commit, time, subject] = log.split('\0');
    const status = (await git(top, ['status', '--porcelain', '--', rel])).trim();
    if (status) return { ok: false, reason: `${rel} has uncommitted changes, so no commit describes it` };
    return { ok: true, value: { top, commit: commit!, time: Number(time), subject: subject ?? '' } };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

export interface ChangedFile {
  /** Path at the commit, relative to the top level ('/'-separated). */
  old: string;
  /** Path now (differs from `old` for a rename). */
  now: string;
  status: string;
}

/** Files whose working-tree text differs from `commit` (renames detected), Go files only. */
export async function changedGoFiles(top: string, commit: string): Promise<ChangedFile[]> {
  const out = await git(top, ['diff', '--name-status', '-M', '-z', commit, '--', '*.go']);
  const parts = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length - 1; ) {
    const status = parts[i++]!;
    if (status.startsWith('R') || status.startsWith('C')) {
      const old = parts[i++]!;
      const now = parts[i++]!;
      files.push({ old, now, status: status[0]! });
    } else {
      const p = parts[i++]!;
      files.push({ old: p, now: p, status });
    }
  }
  return files;
}

/** The text of each path at `commit` (missing paths are absent from the result). */
export function readAtCommit(top: string, commit: string, rels: string[]): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, string>();
    if (rels.length === 0) return resolve(out);
    const p = spawn('git', ['cat-file', '--batch'], { cwd: top, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    const chunks: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => p.kill(), TIMEOUT_MS);
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`git cat-file: ${err.trim() || `exit ${code}`}`));
      const buf = Buffer.concat(chunks);
      let at = 0;
      for (const rel of rels) {
        const nl = buf.indexOf(10, at);
        if (nl < 0) break;
        const header = buf.toString('utf8', at, nl);
        at = nl + 1;
        const m = /^\S+ (\S+) (\d+)$/.exec(header);
        if (!m) continue; // "<object> missing"
        const size = Number(m[2]);
        if (m[1] === 'blob') out.set(rel, buf.toString('utf8', at, at + size));
        at += size + 1;
      }
      resolve(out);
    });
    p.stdin.end(rels.map((r) => `${commit}:${r}\n`).join(''));
  });
}
