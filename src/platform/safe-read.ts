/**
 * Opening an input file without blocking on it: FIFOs, devices, sockets and directories are
 * refused after `fstat` on a descriptor opened with O_NONBLOCK (opening a FIFO for reading
 * without it waits forever for a writer; reading `/dev/zero` never ends), and a size cap holds.
 */
import * as fs from 'node:fs';
import { describeNonRegular, errnoText } from './safe-write';

export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    readonly file: string,
    message: string,
    readonly code?: string,
    /** The cause alone (`it is a FIFO (named pipe), not a regular file`), without the file name. */
    readonly reason = message,
  ) {
    super(message);
  }
}

const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/** Opens `file` for reading; refuses anything but a regular file (links are followed to it). */
export async function openRegular(file: string, what = 'file'): Promise<{ fh: fs.promises.FileHandle; size: number }> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, fs.constants.O_RDONLY | O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : errnoText(e);
    throw new InputFileError(file, `cannot read ${what} ${file}: ${why}`, code, why);
  }
  let st: fs.Stats;
  try {
    st = await fh.stat();
  } catch (e) {
    await fh.close();
    throw new InputFileError(file, `cannot read ${what} ${file}: ${errnoText(e)}`, (e as NodeJS.ErrnoException).code);
  }
  if (!st.isFile()) {
    await fh.close();
    const why = `it is ${describeNonRegular(st)}, not a regular file`;
    throw new InputFileError(file, `cannot read ${what} ${file}: ${why}`, undefined, why);
  }
  return { fh, size: st.size };
}

/** Reads a whole regular file of at most `maxBytes` bytes. */
export async function readRegularFile(file: string, maxBytes: number, what = 'file'): Promise<Buffer> {
  const { fh, size } = await openRegular(file, what);
  try {
    if (size > maxBytes) throw new InputFileError(file, `cannot read ${what} ${file}: it has ${size} bytes, more than the limit of ${maxBytes}`);
    const buf = await fh.readFile();
    if (buf.length > maxBytes) throw new InputFileError(file, `cannot read ${what} ${file}: it grew beyond the limit of ${maxBytes} bytes while being read`);
    return buf;
  } finally {
    await fh.close();
  }
}

/** Synchronous `readRegularFile` for the source indexer (regular files only, size-capped). */
export function readRegularFileSync(file: string, maxBytes: number, what = 'file'): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | O_NONBLOCK);
  } catch (e) {
    throw new InputFileError(file, `cannot read ${what} ${file}: ${errnoText(e)}`, (e as NodeJS.ErrnoException).code);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      const why = `it is ${describeNonRegular(st)}, not a regular file`;
      throw new InputFileError(file, `cannot read ${what} ${file}: ${why}`, undefined, why);
    }
    if (st.size > maxBytes) {
      const why = `it has ${st.size} bytes, more than the limit of ${maxBytes}`;
      throw new InputFileError(file, `cannot read ${what} ${file}: ${why}`, undefined, why);
    }
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Largest Go source file indexed: far above hand-written code and ordinary generated tables
 * (a 50 MB generated file cost 4.5 GB and 71 s in the worker). Larger files are skipped with a message.
 */
export const MAX_SOURCE_FILE_BYTES = 8 * 1024 * 1024;

/**
 * The text of a Go source file, or a skip message (`file: skipped: …`) when it is not a regular
 * file or exceeds MAX_SOURCE_FILE_BYTES. Other read errors throw as before.
 */
export function readSourceText(file: string, maxBytes = MAX_SOURCE_FILE_BYTES): { text: string } | { skipped: string } {
  try {
    return { text: readRegularFileSync(file, maxBytes, 'Go source file').toString('utf8') };
  } catch (e) {
    if (e instanceof InputFileError && !e.code) {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      const why = st && st.isFile() ? `it has ${st.size} bytes, more than the ${Math.round(maxBytes / 1048576)} MiB limit for a Go source file` : e.reason;
      return { skipped: `${file}: skipped: ${why}` };
    }
    throw e;
  }
}
