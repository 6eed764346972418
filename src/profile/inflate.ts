/**
 * The one seam for gzip. node:zlib is native and, measured in `npm run bench`, inflates about
 * three times faster than pako (see docs/performance.md); it also runs on libuv's thread pool when
 * streamed, overlapping inflate with decoding. pako is kept only as the benchmark's comparison.
 */
import * as zlib from 'node:zlib';
import { ProfileError } from './errors';

/**
 * Hard cap on decompressed size: a guard against decompression bombs (a 4 MB gzip can hold
 * gigabytes of zeros), far above real profiles (the largest fixture inflates to a few MB).
 */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;
/** Hard cap on a profile file read from disk (compressed or not). */
export const MAX_PROFILE_FILE_BYTES = 256 * 1024 * 1024;

export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Go's compress/gzip text for data after the last member that is not another member. */
export const GZIP_TRAILING_ERROR = 'gzip: invalid header';

/**
 * Inflates a whole gzip buffer (all members, like Go's compress/gzip). Bytes after the last
 * member that do not start another member (trailing zeros, garbage) are rejected as Go rejects
 * them ("gzip: invalid header"); Node alone would ignore them.
 */
export function gunzip(buf: Uint8Array, maxBytes = MAX_INFLATED_BYTES): Buffer {
  // One output chunk, never several: zlib returns a lone chunk as is but concatenates several at
  // the end, which doubled the peak of a 250 MB inflate (issue #13). ISIZE (the last member's size
  // mod 2^32) sizes it exactly for every genuine gzip; a gzip whose output outgrows its ISIZE
  // (crafted, or several members) stops there and is inflated again into one chunk as large as
  // the output can be (deflate expands at most 1032:1, never past the cap), of which only the
  // pages zlib writes become resident.
  const isize = buf.length >= 4 ? new DataView(buf.buffer, buf.byteOffset + buf.length - 4, 4).getUint32(0, true) : 0;
  let r: { buffer: Buffer; engine: zlib.Gunzip } | null = null;
  if (isize > 0 && isize < maxBytes) r = gunzipChunk(buf, isize + 64, isize, true);
  r ??= gunzipChunk(buf, Math.min(maxBytes, 1032 * buf.length) + 64, maxBytes, false);
  if (!r) throw inflateLimitError(maxBytes); // not reached: the second attempt throws instead
  if (r.engine.bytesWritten < buf.length) throw trailingError(buf.length - r.engine.bytesWritten);
  const out = r.buffer;
  // A result much smaller than its chunk is copied out, so that the chunk's address space goes at once.
  return out.length < out.buffer.byteLength / 2 ? Buffer.from(out) : out;
}

/** One gunzipSync into chunks of `chunkSize`; null when `retry` and the output passed `maxBytes`. */
function gunzipChunk(buf: Uint8Array, chunkSize: number, maxBytes: number, retry: boolean): { buffer: Buffer; engine: zlib.Gunzip } | null {
  try {
    return zlib.gunzipSync(buf, { chunkSize, maxOutputLength: maxBytes, info: true }) as unknown as { buffer: Buffer; engine: zlib.Gunzip };
  } catch (e) {
    if (retry && isTooLarge(e)) return null;
    const go = (e as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' || (e as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? goGzipDiagnosis(buf) : null;
    throw go ? goGzipError(go) : gzipError(e, maxBytes);
  }
}

function isTooLarge(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException;
  return !!err && (err.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|Buffer too large/i.test(String(err.message)));
}

/**
 * Go reads a 10-byte header after each member: fewer bytes left is "unexpected EOF", ten or more
 * that do not start a member "gzip: invalid header" (compress/gzip Reader.readHeader).
 */
function trailingError(n: number): ProfileError {
  const go = n < 10 ? 'unexpected EOF' : GZIP_TRAILING_ERROR;
  return new ProfileError('gzip', `decompressing profile: ${go} (${n} byte${n === 1 ? '' : 's'} after the last gzip member)`);
}

/**
 * What Go's compress/gzip says about `buf` when Node's zlib rejected it, or null when the members
 * parse (the error is then in deflate data, where zlib's own words stand). Walks the members as Go
 * does: a 10-byte header (fewer bytes: "unexpected EOF"; no gzip magic or method: "gzip: invalid
 * header"), its optional fields, the deflate data, the 8-byte trailer ("gzip: invalid checksum").
 * Error path only: it inflates again.
 */
export function goGzipDiagnosis(buf: Uint8Array): string | null {
  let p = 0;
  while (p < buf.length) {
    if (buf.length - p < 10) return 'unexpected EOF';
    if (buf[p] !== 0x1f || buf[p + 1] !== 0x8b || buf[p + 2] !== 8) return GZIP_TRAILING_ERROR;
    const flg = buf[p + 3]!;
    let q = p + 10;
    if (flg & 4) {
      if (q + 2 > buf.length) return 'unexpected EOF';
      q += 2 + (buf[q]! | (buf[q + 1]! << 8));
    }
    for (const bit of [8, 16]) {
      if (!(flg & bit)) continue;
      while (q < buf.length && buf[q] !== 0) q++;
      q++;
    }
    if (flg & 2) q += 2;
    if (q > buf.length) return 'unexpected EOF';
    let out: { buffer: Buffer; engine: zlib.InflateRaw };
    try {
      out = zlib.inflateRawSync(buf.subarray(q), { info: true, maxOutputLength: MAX_INFLATED_BYTES }) as unknown as { buffer: Buffer; engine: zlib.InflateRaw };
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'unexpected EOF' : null;
    }
    q += out.engine.bytesWritten;
    if (buf.length - q < 8) return 'unexpected EOF';
    const dv = new DataView(buf.buffer, buf.byteOffset + q, 8);
    const crc32 = (zlib as { crc32?: (b: Uint8Array) => number }).crc32; // Node 20.15+
    if ((crc32 && dv.getUint32(0, true) !== crc32(out.buffer) >>> 0) || dv.getUint32(4, true) !== out.buffer.length >>> 0) return 'gzip: invalid checksum';
    p = q + 8;
  }
  return null;
}

/** A ProfileError in Go's words (from `goGzipDiagnosis`). */
export function goGzipError(go: string): ProfileError {
  return new ProfileError('gzip', `decompressing profile: ${go}${go === 'unexpected EOF' ? ' (the gzip data ends early: the file is truncated)' : ''}`);
}

export function gzipError(e: unknown, maxBytes = MAX_INFLATED_BYTES): ProfileError {
  const err = e as NodeJS.ErrnoException;
  if (err instanceof ProfileError) return err;
  if (isTooLarge(err)) {
    return inflateLimitError(maxBytes);
  }
  if (err && err.code === 'Z_BUF_ERROR') {
    return new ProfileError('gzip', 'unexpected end of gzip data (the file is truncated)');
  }
  return new ProfileError('gzip', `decompressing profile: ${err?.message ?? String(e)}`);
}

export function inflateLimitError(maxBytes: number): ProfileError {
  return new ProfileError('limit', `decompressed data exceeds ${maxBytes} bytes (${Math.round(maxBytes / 1048576)} MiB), the safety limit`);
}

/**
 * Streaming inflate with a size cap and a trailing-data check: `push` compressed chunks, get
 * decompressed chunks back through `onData`; inflating runs on libuv's thread pool, so timers
 * (deadlines) and cancellation keep working while it runs. Fails (`done` rejects) as soon as the
 * output passes `maxBytes`.
 */
export class CappedGunzip {
  readonly done: Promise<void>;
  /** Decompressed bytes so far. */
  outBytes = 0;
  private readonly z = createGunzip();
  private inBytes = 0;
  private failed: ProfileError | null = null;
  private rejectDone: (e: ProfileError) => void = () => undefined;

  constructor(
    private readonly maxBytes: number,
    onData: (chunk: Buffer) => void,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.rejectDone = reject;
      this.z.on('end', () => {
        if (this.failed) return;
        if (this.z.bytesWritten < this.inBytes) this.fail(trailingError(this.inBytes - this.z.bytesWritten));
        else resolve();
      });
    });
    this.done.catch(() => undefined); // observed by the caller
    this.z.on('data', (c: Buffer) => {
      if (this.failed) return;
      this.outBytes += c.length;
      if (this.outBytes > this.maxBytes) return this.fail(inflateLimitError(this.maxBytes));
      try {
        onData(c);
      } catch (e) {
        this.fail(e instanceof ProfileError ? e : gzipError(e, this.maxBytes));
      }
    });
    this.z.on('error', (e) => this.fail(gzipError(e, this.maxBytes)));
  }

  /** Stops with `e` (the first failure wins). */
  fail(e: ProfileError): void {
    if (this.failed) return;
    this.failed = e;
    this.z.destroy();
    this.rejectDone(e);
  }

  push(chunk: Uint8Array): void {
    if (this.failed) return;
    this.inBytes += chunk.length;
    this.z.write(chunk);
  }

  end(): Promise<void> {
    if (!this.failed) this.z.end();
    return this.done;
  }
}

export function gzip(buf: Uint8Array, level = zlib.constants.Z_DEFAULT_COMPRESSION): Buffer {
  return zlib.gzipSync(buf, { level });
}

/** A streaming gunzip; data events carry decompressed chunks. */
export function createGunzip(chunkSize = 256 * 1024): zlib.Gunzip {
  return zlib.createGunzip({ chunkSize });
}
