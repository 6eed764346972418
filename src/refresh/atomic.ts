/**
 * Atomic file replacement: write a temporary file in the same directory, flush it to disk, then
 * rename it over the target. A reader (or `go build`) sees either the old or the new complete
 * file, never a partial one, even if the process is killed mid-write.
 *
 * A target that exists but is not a regular file (`/dev/null`, a FIFO, a character device) is
 * written directly: renaming over it would replace the device node with a file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /** Keep the previous file as `<target>.bak` (replaced each time). */
  backup?: boolean;
}

export async function writeFileAtomic(target: string, data: Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  let st: fs.Stats | null = null;
  try {
    st = await fs.promises.stat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (st && !st.isFile()) {
    if (st.isDirectory()) throw new Error(`${target} is a directory`);
    await fs.promises.writeFile(target, data);
    return;
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fh = await fs.promises.open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    if (opts.backup) {
      try {
        await fs.promises.copyFile(target, `${target}.bak`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    await fs.promises.rename(tmp, target);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  // Persist the rename itself.
  try {
    const d = await fs.promises.open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  } catch {
    /* directories cannot be opened on some platforms; the rename is still atomic */
  }
}
