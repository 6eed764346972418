/**
 * Loading a PGO profile the way the compiler does (cmd/compile/internal/pgoir.New, Go 1.23+):
 * a `GO PREPROFILE V1` file is read as serialized edges; anything else is (optionally gzipped)
 * pprof. An empty file or a profile without samples or weight is "no PGO", not an error.
 */
import * as fs from 'node:fs';
import { ProfileError } from '../profile/errors';
import { CappedGunzip, goGzipDiagnosis, goGzipError, gunzip, isGzip, MAX_INFLATED_BYTES, MAX_PROFILE_FILE_BYTES } from '../profile/inflate';
import { openRegular } from '../platform/safe-read';
import { errnoText } from '../platform/safe-write';
import { type DecodeOptions, decodePprof, PprofDecoder, type PprofProfile } from '../profile/pprof';
import { lastUint, lastWireType, readVarint64, V_POS } from '../profile/wire';
import { emptyProfile, modelFromPprof, type PgoProfile } from './model';
import { isPreprofile, parsePreprofile } from './preprofile';

export interface Loaded {
  profile: PgoProfile;
  /** The decoded pprof tables (null for preprofile input or an empty file). */
  pprof: PprofProfile | null;
  /** Bytes read from disk. */
  fileBytes: number;
}

/** Loads from bytes already in memory. */
export function loadProfileBytes(bytes: Uint8Array, opts: DecodeOptions = {}): Loaded {
  if (isPreprofile(bytes)) return { profile: parsePreprofile(bytes), pprof: null, fileBytes: bytes.length };
  const raw = isGzip(bytes) ? gunzip(bytes) : bytes;
  if (raw.length === 0) return { profile: emptyProfile('pprof', 'empty input file'), pprof: null, fileBytes: bytes.length };
  const pprof = decodePprof(raw, opts);
  return { profile: modelFromPprof(pprof), pprof, fileBytes: bytes.length };
}

/**
 * Loads a file, streaming: gzip inflates on libuv's thread pool while this thread decodes the
 * previous chunk, and the raw protobuf is never held whole (perf-anchors §6.7).
 */
export async function loadProfileFile(path: string, opts: DecodeOptions = {}): Promise<Loaded> {
  const r = await readProfileFile(path, opts);
  if ('profile' in r) return r;
  return { profile: modelFromPprof(r.pprof), pprof: r.pprof, fileBytes: r.fileBytes };
}

/**
 * Decodes a pprof file (gzip or raw, streaming) without the compiler's model, so any sample type
 * is accepted (`top` and `list` read heap profiles too). An empty file or a preprofile, which has
 * no samples, is an error that says so.
 */
export async function loadPprofFile(path: string, opts: DecodeOptions = {}): Promise<PprofProfile> {
  const r = await readProfileFile(path, opts);
  if ('profile' in r) {
    const why = r.profile.format === 'preprofile' ? 'it is a GO PREPROFILE V1 file (only call edges, no samples)' : 'the file is empty';
    throw new ProfileError('io', `${path} has no pprof samples: ${why}`);
  }
  return r.pprof;
}

async function readProfileFile(path: string, opts: DecodeOptions): Promise<Loaded | { pprof: PprofProfile; fileBytes: number }> {
  let fh: fs.promises.FileHandle;
  let size: number;
  try {
    ({ fh, size } = await openRegular(path, 'profile'));
  } catch (e) {
    throw new ProfileError('io', `error opening profile ${path}: ${(e as { reason?: string }).reason ?? errnoText(e)}`);
  }
  const head = Buffer.alloc(17);
  let headLen: number;
  try {
    if (size > MAX_PROFILE_FILE_BYTES)
      throw new ProfileError('limit', `${path} has ${size} bytes, more than the ${MAX_PROFILE_FILE_BYTES}-byte safety limit for a profile file`);
    headLen = (await fh.read(head, 0, 17, 0)).bytesRead;
  } catch (e) {
    await fh.close();
    throw e instanceof ProfileError ? e : new ProfileError('io', `reading profile ${path}: ${errnoText(e)}`);
  }
  const first = head.subarray(0, headLen);
  if (isPreprofile(first) || size === 0) {
    let bytes: Buffer;
    try {
      bytes = await fh.readFile();
    } finally {
      await fh.close();
    }
    if (bytes.length === 0) return { profile: emptyProfile('pprof', 'empty input file'), pprof: null, fileBytes: 0 };
    return { profile: parsePreprofile(bytes), pprof: null, fileBytes: bytes.length };
  }
  const decoder = new PprofDecoder(opts);
  const feeder = new ChunkFeeder(decoder);
  const gz = isGzip(first) ? new CappedGunzip(MAX_INFLATED_BYTES, (c) => feeder.push(c)) : null;
  const input = fh.createReadStream({ start: 0, highWaterMark: 1 << 20, autoClose: true });
  let read = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      read += chunk.length;
      if (read > MAX_PROFILE_FILE_BYTES)
        throw new ProfileError('limit', `${path} grew beyond the ${MAX_PROFILE_FILE_BYTES}-byte safety limit for a profile file while being read`);
      if (gz) {
        gz.push(chunk);
        await Promise.race([new Promise<void>((r) => setImmediate(r)), gz.done]); // lets the inflater keep up (and fail early)
      } else feeder.push(chunk);
    }
    if (gz) await gz.end();
  } catch (e) {
    input.destroy();
    if (e instanceof ProfileError && e.kind === 'gzip' && !/after the last gzip member\)$/.test(e.detail) && size <= 64 << 20) {
      // Go's own words for the failure (error path only: the file is read again).
      const go = goGzipDiagnosis(await fs.promises.readFile(path).catch(() => Buffer.alloc(0)));
      if (go) throw goGzipError(go);
    }
    if (e instanceof ProfileError) throw e;
    throw new ProfileError('io', `reading profile ${path}: ${errnoText(e)}`);
  } finally {
    await fh.close().catch(() => undefined);
  }
  if (feeder.total === 0) return { profile: emptyProfile('pprof', 'empty input file'), pprof: null, fileBytes: size };
  feeder.end();
  return { pprof: decoder.finish(), fileBytes: size };
}

/**
 * Carries partial top-level fields across chunks. A pending field is completed by collecting
 * chunks until its declared length is available, so a large field costs one copy, not one per chunk.
 */
export class ChunkFeeder {
  total = 0;
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private need = 0;
  constructor(private readonly decoder: PprofDecoder) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.pendingLen > 0) {
      this.pending.push(chunk);
      this.pendingLen += chunk.length;
      if (this.pendingLen < this.need) return;
      const buf = Buffer.concat(this.pending, this.pendingLen);
      this.pending = [];
      this.pendingLen = 0;
      this.consume(buf);
    } else {
      this.consume(chunk);
    }
  }

  private consume(buf: Buffer): void {
    const p = this.decoder.feed(buf, 0, buf.length);
    if (p < buf.length) {
      const rest = Buffer.from(buf.subarray(p)); // own copy: stream buffers may be reused
      this.pending = [rest];
      this.pendingLen = rest.length;
      this.need = fieldSize(rest);
    }
  }

  end(): void {
    if (this.pendingLen > 0) {
      throw new ProfileError('protobuf', `not enough data: the file ends inside a top-level field (${this.pendingLen} bytes left over; truncated file)`);
    }
  }
}

/** Bytes needed for the whole field starting at buf[0], or buf.length + 1 when its header is incomplete. */
function fieldSize(buf: Uint8Array): number {
  try {
    readVarint64(buf, 0, buf.length);
    if (lastWireType() !== 2) return buf.length + 1;
    const lenPos = V_POS;
    readVarint64(buf, lenPos, buf.length);
    return V_POS + lastUint();
  } catch {
    return buf.length + 1;
  }
}
