/**
 * The little git the matcher needs: which commit last changed a profile, which files changed
 * since, and their text at that commit. Every git command goes through src/platform/spawn.ts
 * (repository configuration that runs programs is switched off: fsmonitor, hooks, filters,
 * textconv, external diffs, pagers; a bare repository committed in a subfolder is refused), and
 * the working-tree profile is compared with the commit by hashing it here, not with `git status`.
 * Every failure is an answer of "no history" with the reason, never an exception.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filterOverrides, runGit, SpawnError } from '../platform/spawn';

async function git(cwd: string, args: string[], extraConfig?: string[]): Promise<string> {
  try {
    return (await runGit(args, { cwd, maxOutput: 64 << 20, ...(extraConfig ? { extraConfig } : {}) })).stdout.toString('utf8');
  } catch (e) {
    if (e instanceof SpawnError) throw new Error(`git ${args[0]}: ${e.stderr.trim().split('\n')[0] || e.message}`);
    throw e;
  }
}

/** The object id git would give `bytes` as a blob (no filters), in the repository's hash. */
function blobId(bytes: Buffer, format: string): string {
  const h = crypto.createHash(format === 'sha256' ? 'sha256' : 'sha1');
  h.update(`blob ${bytes.length}\0`);
  h.update(bytes);
  return h.digest('hex');
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
  } catch (e) {
    const msg = (e as Error).message;
    if (/not a git repository/i.test(msg)) return { ok: false, reason: 'not in a git repository' };
    return { ok: false, reason: `git history is not used: ${msg.replace(/^git rev-parse: (fatal: )?/, '')}` };
  }
  if (!top) return { ok: false, reason: `not in a git working tree (${dir})` };
  const rel = path.relative(top, profile).split(path.sep).join('/');
  const where = `the git repository at ${top}`;
  try {
    if (
      !(await git(top, ['rev-parse', '--verify', '-q', 'HEAD']).then(
        () => true,
        () => false,
      ))
    )
      return { ok: false, reason: `${where} has no commits yet` };
    const log = (await git(top, ['log', '-1', '--no-show-signature', '--format=%H%x00%ct%x00%s', '--', rel])).trim();
    if (!log) return { ok: false, reason: `${rel} has never been committed in ${where}` };
    const [commit, time, subject] = log.split('\0');
    const committed = (await git(top, ['rev-parse', '--verify', '-q', `HEAD:${rel}`]).catch(() => '')).trim();
    const format = (await git(top, ['rev-parse', '--show-object-format']).catch(() => 'sha1')).trim();
    const now = await fs.promises.readFile(profile).catch(() => null);
    if (!committed || !now || blobId(now, format) !== committed)
      return { ok: false, reason: `${rel} has uncommitted changes in ${where}, so no commit describes it` };
    return { ok: true, value: { top, commit: commit!, time: Number(time), subject: subject ?? '' } };
  } catch (e) {
    return { ok: false, reason: `${(e as Error).message} (in ${where})` };
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
  // Against the working tree: every configured filter driver is switched off (a clean filter would run otherwise).
  const out = await git(
    top,
    ['diff', '--no-textconv', '--no-ext-diff', '--ignore-submodules=all', '--name-status', '-M', '-z', commit, '--', '*.go'],
    await filterOverrides(top),
  );
  const parts = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length - 1;) {
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

/** The text of each path at `commit` (missing paths are absent from the result); `cat-file` runs no filter. */
export async function readAtCommit(top: string, commit: string, rels: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (rels.length === 0) return out;
  let buf: Buffer;
  try {
    buf = (await runGit(['cat-file', '--batch'], { cwd: top, input: rels.map((r) => `${commit}:${r}\n`).join(''), maxOutput: 512 << 20 })).stdout;
  } catch (e) {
    throw new Error(`git cat-file: ${e instanceof SpawnError ? e.stderr.trim() || e.message : (e as Error).message}`);
  }
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
  return out;
}
