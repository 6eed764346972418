/**
 * The stable per-workspace directory of compiler confirmation, OUTSIDE the workspace: the
 * decision flags name its `json/` folder, so they are identical from run to run and the go
 * command's build cache answers for unchanged packages. One directory per (workspace root, main
 * package, variant `pgo`/`off`) under the user cache directory (`$XDG_CACHE_HOME` or `~/.cache`,
 * `~/Library/Caches`, `%LocalAppData%`, as Go's os.UserCacheDir), created 0700 and checked
 * (a directory, not a symbolic link, owned by this user, no access for others) before use.
 *
 * A lock file keeps two confirmations of the same directory from sharing `json/` at once; the
 * loser builds in a one-off temporary directory (correct, only not cached).
 *
 * No `vscode` import. Uses the disk.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export class UnsafeDirError extends Error {
  constructor(
    readonly dir: string,
    why: string,
  ) {
    super(`refusing to use ${dir} for the compiler's output: ${why}`);
    this.name = 'UnsafeDirError';
  }
}

/** Go's os.UserCacheDir; undefined when the environment names none. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'win32') return env['LocalAppData'] || env['LOCALAPPDATA'] || undefined;
  if (platform === 'darwin') return env['HOME'] ? path.join(env['HOME'], 'Library', 'Caches') : undefined;
  if (env['XDG_CACHE_HOME'] && path.isAbsolute(env['XDG_CACHE_HOME'])) return env['XDG_CACHE_HOME'];
  return env['HOME'] ? path.join(env['HOME'], '.cache') : undefined;
}

/** `$PGO_LENS_CACHE_DIR` (absolute), else `<user cache>/pgo-lens`, else `<tmp>/pgo-lens-<uid>`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const own = env['PGO_LENS_CACHE_DIR'];
  if (own && path.isAbsolute(own)) return own;
  const u = userCacheDir(env);
  if (u) return path.join(u, 'pgo-lens');
  const uid = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  return path.join(os.tmpdir(), `pgo-lens-${uid}`);
}

export type Variant = 'pgo' | 'off';

/** `<cacheRoot>/confirm/<sha256(root, mainDir)>/<variant>`. */
export function confirmDir(cacheRoot: string, root: string, mainDir: string, variant: Variant): string {
  const key = createHash('sha256')
    .update(`${path.resolve(root)}\0${path.resolve(mainDir)}`)
    .digest('hex')
    .slice(0, 24);
  return path.join(cacheRoot, 'confirm', key, variant);
}

/**
 * Creates `dir` (and missing parents) with mode 0700 and checks that only this user can use it
 * and every directory from `top` down to it (so nobody else can swap a component).
 */
export async function ensurePrivateDir(dir: string, top: string): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const rel = path.relative(top, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UnsafeDirError(dir, `it is not inside ${top}`);
  let d = top;
  await checkPrivate(d);
  for (const part of rel.split(path.sep).filter(Boolean)) await checkPrivate((d = path.join(d, part)));
}

async function checkPrivate(dir: string): Promise<void> {
  const st = await fs.promises.lstat(dir);
  if (st.isSymbolicLink()) throw new UnsafeDirError(dir, 'it is a symbolic link');
  if (!st.isDirectory()) throw new UnsafeDirError(dir, 'it is not a directory');
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return;
  if (st.uid !== process.getuid()) throw new UnsafeDirError(dir, `it belongs to user ${st.uid}, not to this user (${process.getuid()})`);
  if ((st.mode & 0o077) !== 0) await fs.promises.chmod(dir, 0o700);
}

/** Empties `dir/name` for a build: the compiles of this run then write the only files there. */
export async function freshSubdir(dir: string, name: string): Promise<string> {
  const sub = path.join(dir, name);
  await fs.promises.rm(sub, { recursive: true, force: true });
  await fs.promises.mkdir(sub, { mode: 0o700 });
  return sub;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes `dir/lock` (exclusive create, holding this process's id). A lock left by a process that
 * is gone is taken over. Returns the release function, or undefined when another live process
 * holds it. Use withDirLock (it also orders the holders within this process).
 */
export async function tryLock(dir: string): Promise<(() => Promise<void>) | undefined> {
  const file = path.join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const h = await fs.promises.open(file, 'wx', 0o600);
      await h.writeFile(String(process.pid));
      await h.close();
      return async () => {
        await fs.promises.rm(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await fs.promises.readFile(file, 'utf8').catch(() => '')).trim());
      // this process's own holders take turns in withDirLock, so a file naming this process is stale
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) return undefined;
      await fs.promises.rm(file, { force: true });
    }
  }
  return undefined;
}

const held = new Map<string, Promise<void>>();

/**
 * Runs `fn` holding `dir`: confirmations in this process take turns (a cancelled build releases
 * the directory as soon as its go command is gone, so the newer one waits for that instead of
 * building elsewhere); another process is kept out by the lock file, and then `fn` gets `false`
 * (it should build in a one-off directory).
 */
export async function withDirLock<T>(dir: string, fn: (locked: boolean) => Promise<T>): Promise<T> {
  const before = held.get(dir) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((r) => (done = r));
  const chain = before.then(() => mine);
  held.set(dir, chain);
  try {
    await before;
    const release = await tryLock(dir);
    try {
      return await fn(release !== undefined);
    } finally {
      await release?.();
    }
  } finally {
    done();
    if (held.get(dir) === chain) held.delete(dir);
  }
}

/** The generation number in `dir/generation` (0 when absent): part of the JSON path, bumped to force real compiles. */
export async function readGeneration(dir: string): Promise<number> {
  const n = Number((await fs.promises.readFile(path.join(dir, 'generation'), 'utf8').catch(() => '0')).trim());
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

export async function bumpGeneration(dir: string): Promise<number> {
  const n = (await readGeneration(dir)) + 1;
  await fs.promises.writeFile(path.join(dir, 'generation'), String(n), { mode: 0o600 });
  return n;
}
