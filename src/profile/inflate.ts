/**
 * The one seam for gzip. node:zlib is native and, measured in `npm run bench`, inflates about
 * three times faster than pako (see docs/performance.md); it also runs on libuv's thread pool when
 * streamed, overlapping inflate with decoding. pako is kept only as the benchmark's comparison.
 */
import * as zlib from 'node:zlib';
import { ProfileError } from './errors';

/** Hard cap on decompressed size: a guard against decompression bombs, far above real profiles. */
export const MAX_INFLATED_BYTES = 2 ** 31 - 1;

export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Inflates a whole gzip buffer (all members, like Go's compress/gzip). */
export function gunzip(buf: Uint8Array, maxBytes = MAX_INFLATED_BYTES): Buffer {
  // ISIZE (uncompressed size mod 2^32) as the chunk size gives one output buffer (18-23% faster).
  const isize = buf.length >= 4 ? new DataView(buf.buffer, buf.byteOffset + buf.length - 4, 4).getUint32(0, true) : 0;
  const chunkSize = Math.min(Math.max(isize + 64, 64 * 1024), 64 * 1024 * 1024);
  try {
    return zlib.gunzipSync(buf, { chunkSize, maxOutputLength: maxBytes });
  } catch (e) {
    throw gzipError(e, maxBytes);
  }
}

export function gzipError(e: unknown, maxBytes = MAX_INFLATED_BYTES): ProfileError {
  const err = e as NodeJS.ErrnoException;
  if (err && (err.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|Buffer too large/i.test(String(err.message)))) {
    return new ProfileError('limit', `decompressed data exceeds ${maxBytes} bytes`);
  }
  if (err && err.code === 'Z_BUF_ERROR') {
    return new ProfileError('gzip', 'unexpected end of gzip data (the file is truncated)');
  }
  return new ProfileError('gzip', `decompressing profile: ${err?.message ?? String(e)}`);
}

export function gzip(buf: Uint8Array, level = zlib.constants.Z_DEFAULT_COMPRESSION): Buffer {
  return zlib.gzipSync(buf, { level });
}

/** A streaming gunzip; data events carry decompressed chunks. */
export function createGunzip(chunkSize = 256 * 1024): zlib.Gunzip {
  return zlib.createGunzip({ chunkSize });
}
