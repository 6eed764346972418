/**
 * The one way the product writes a file. A target is replaced atomically: a temporary file in the
 * same directory (created exclusively, never through a link), flushed to disk, then renamed over
 * the target, so a reader (or `go build`) sees the old or the new complete file, never a part.
 *
 * - A target that is not a regular file is refused with a clear message: a symbolic link (even a
 *   dangling one: writing would create its target), a directory, a FIFO, a device or a socket.
 * - The backup (`<target>.bak`) is a hard link to (or, where links are impossible, an exclusive
 *   copy of) the previous file, flushed, then renamed into place: a `.bak` that is a symbolic link
 *   is replaced, never followed, and a good backup is only replaced once its successor is durable.
 * - Temporary files are named `.<name>.pgo-lens-<pid>-<random>.tmp`: removed when a write fails, and
 *   those of processes that no longer run are removed by the next write in the same directory.
 * - Failures are `SafeWriteError`s that name the target and the cause, never a temporary file.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SafeWriteOptions {
  /** Keep the previous file as `<target>.bak` (replaced each time; nothing is kept when there was no previous file). */
  backup?: boolean;
}

export type SafeWriteErrorKind = 'unsafe-target' | 'io';

export class SafeWriteError extends Error {
  override readonly name = 'SafeWriteError';
  constructor(
    readonly kind: SafeWriteErrorKind,
    readonly target: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const TEMP_TAG = 'pgo-lens';
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/** What kind of file system object a non-regular `Stats` is, in words. */
export function describeNonRegular(st: fs.Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Short, true text for an errno (no paths: callers name the file the user knows). */
export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOENT':
      return 'the directory does not exist';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'ELOOP':
      return 'it is a symbolic link';
    case 'EFBIG':
      return 'the file size limit was exceeded';
    case 'EIO':
      return 'input/output error';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return err?.code ? `error ${err.code}` : String((e as Error)?.message ?? e);
  }
}

async function lstatOrNull(p: string): Promise<fs.Stats | null> {
  try {
    return await fs.promises.lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function tempName(base: string): string {
  return `.${base}.${TEMP_TAG}-${process.pid}-${crypto.randomBytes(6).toString('hex')}.tmp`;
}

const TEMP_RE = new RegExp(`^\\.(.+)\\.${TEMP_TAG}-(\\d+)-[0-9a-f]+\\.tmp$`);

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files a killed writer left in `dir` (those of processes that no longer run).
 * Only names this module creates are touched, and only regular files (unlinking a link removes the
 * link). Returns the names removed.
 */
export async function cleanStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m || processAlive(Number(m[2]))) continue;
    const p = path.join(dir, name);
    const st = await lstatOrNull(p).catch(() => null);
    if (!st || !(st.isFile() || st.isSymbolicLink())) continue;
    await fs.promises.unlink(p).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

/** Refuses a target that is not a regular file (or absent); returns its Stats (null when absent). */
export async function checkWriteTarget(target: string): Promise<fs.Stats | null> {
  let st: fs.Stats | null;
  try {
    st = await lstatOrNull(target);
  } catch (e) {
    throw new SafeWriteError('io', target, `cannot write ${target}: ${errnoText(e)}`, (e as NodeJS.ErrnoException).code);
  }
  if (st && !st.isFile()) {
    let extra = '';
    if (st.isSymbolicLink()) {
      const to = await fs.promises.readlink(target).catch(() => '?');
      extra = ` to ${to}; pgo-lens never writes through a link: remove the link, or write to the file it points to`;
    } else extra = '; write to a regular file instead';
    throw new SafeWriteError('unsafe-target', target, `refusing to write ${target}: it is ${describeNonRegular(st)}${extra}`);
  }
  return st;
}

async function writeExclusive(p: string, data: Uint8Array, mode: number): Promise<void> {
  const fh = await fs.promises.open(p, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Copies the regular file `from` (never through a link) into the new file `to`, flushed. */
async function copyExclusive(from: string, to: string, expect: fs.Stats): Promise<void> {
  const src = await fs.promises.open(from, fs.constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    const st = await src.stat();
    if (!st.isFile() || st.ino !== expect.ino || st.dev !== expect.dev)
      throw new SafeWriteError('unsafe-target', from, `refusing to back up ${from}: it changed while being written`);
    await writeExclusive(to, await src.readFile(), st.mode & 0o777);
  } finally {
    await src.close();
  }
}

/** A durable `<target>.bak` holding the file `target` is now (`st`). */
async function makeBackup(target: string, st: fs.Stats, temps: string[]): Promise<void> {
  const bak = `${target}.bak`;
  const bst = await lstatOrNull(bak);
  if (bst && bst.isDirectory()) throw new SafeWriteError('unsafe-target', bak, `cannot keep a backup: ${bak} is a directory`);
  const tmp = path.join(path.dirname(target), tempName(path.basename(bak)));
  temps.push(tmp);
  try {
    await fs.promises.link(target, tmp); // link(2) never follows a symbolic link
    const lst = await fs.promises.lstat(tmp);
    if (!lst.isFile() || lst.ino !== st.ino) throw new SafeWriteError('unsafe-target', target, `refusing to back up ${target}: it changed while being written`);
  } catch (e) {
    if (e instanceof SafeWriteError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK' && code !== 'ENOSYS') throw e;
    await fs.promises.rm(tmp, { force: true });
    await copyExclusive(target, tmp, st);
  }
  await fs.promises.rename(tmp, bak); // replaces a `.bak` link itself, never its target
  temps.splice(temps.indexOf(tmp), 1);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await fs.promises.open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  } catch {
    /* directories cannot be opened on some platforms; the rename is still atomic */
  }
}

/** Writes `data` to `target` atomically and safely (see the module comment). */
export async function writeFileSafe(target: string, data: Uint8Array, opts: SafeWriteOptions = {}): Promise<void> {
  const abs = path.resolve(target);
  const dir = path.dirname(abs);
  await cleanStaleTemps(dir);
  const st = await checkWriteTarget(target);
  const temps: string[] = [];
  try {
    const tmp = path.join(dir, tempName(path.basename(abs)));
    temps.push(tmp);
    await writeExclusive(tmp, data, st ? st.mode & 0o777 : 0o644);
    if (opts.backup && st) await makeBackup(abs, st, temps);
    const again = await checkWriteTarget(target);
    if (st && (!again || again.ino !== st.ino))
      throw new SafeWriteError('unsafe-target', target, `refusing to replace ${target}: it changed while being written`);
    await fs.promises.rename(tmp, abs);
    temps.splice(temps.indexOf(tmp), 1);
    await syncDir(dir);
  } catch (e) {
    for (const t of temps) await fs.promises.rm(t, { force: true }).catch(() => undefined);
    if (e instanceof SafeWriteError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const kept = st ? `; ${target}${opts.backup ? ' and its backup are' : ' is'} unchanged` : '';
    throw new SafeWriteError('io', target, `cannot write ${target}: ${errnoText(e)}${kept}`, code);
  }
}

/**
 * Whether `file` (resolved through links, as far as it exists) lies inside one of `roots`. Used to
 * refuse writes outside an untrusted workspace.
 */
export function isInside(file: string, roots: string[]): boolean {
  const real = (p: string): string => {
    let cur = path.resolve(p);
    const rest: string[] = [];
    for (;;) {
      try {
        return path.join(fs.realpathSync(cur), ...rest);
      } catch {
        const parent = path.dirname(cur);
        if (parent === cur) return path.resolve(p);
        rest.unshift(path.basename(cur));
        cur = parent;
      }
    }
  };
  const f = real(file);
  return roots.some((r) => {
    const rel = path.relative(real(r), f);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
}
