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
import { emptyProfile, type ModelOptions, modelFromPprof, type PgoProfile } from './model';
import { isPreprofile, parsePreprofile, serializePreprofile } from './preprofile';
import { preprofileFromPprof } from './preprofile-lean';

/** How to decode (`DecodeOptions`) and what of the model to build (`ModelOptions`). */
export interface LoadOptions extends DecodeOptions, ModelOptions {}

export interface Loaded {
  profile: PgoProfile;
  /** The decoded pprof tables (null for preprofile input or an empty file). */
  pprof: PprofProfile | null;
  /** Bytes read from disk. */
  fileBytes: number;
}

/**
 * Loads from bytes already in memory, inflating them whole first: the raw protobuf and the decoded
 * tables are held together. For bytes this process encoded itself (a rewrite's output checked
 * before it is written) and for tests; input from disk or the network goes through
 * `loadProfileData` or `loadProfileFile`, which never hold the raw protobuf whole (issue #13).
 */
export function loadProfileBytes(bytes: Uint8Array, opts: LoadOptions = {}): Loaded {
  if (isPreprofile(bytes)) return { profile: parsePreprofile(bytes), pprof: null, fileBytes: bytes.length };
  const raw = isGzip(bytes) ? gunzip(bytes) : bytes;
  if (raw.length === 0) return { profile: emptyProfile('pprof', 'empty input file'), pprof: null, fileBytes: bytes.length };
  const pprof = decodePprof(raw, opts);
  return { profile: modelFromPprof(pprof, opts), pprof, fileBytes: bytes.length };
}

/**
 * Loads from bytes already in memory, streaming like `loadProfileFile`: gzip inflates in 1 MiB
 * slices on libuv's thread pool and feeds the decoder, so a small gzip crafted to inflate to
 * 256 MiB of tiny messages never has its raw protobuf held next to its tables (issue #13). Errors
 * are the ones `loadProfileBytes` gives for the same bytes. `data` may be the chunks the bytes
 * arrived in (collect), read in order as one input without being joined.
 */
export async function loadProfileData(data: Uint8Array | readonly Uint8Array[], opts: LoadOptions = {}): Promise<Loaded> {
  const parts = data instanceof Uint8Array ? [data] : data;
  const size = parts.reduce((n, p) => n + p.length, 0);
  if (isPreprofile(head(parts))) {
    const bytes = joined(parts);
    return { profile: parsePreprofile(bytes), pprof: null, fileBytes: size };
  }
  const pprof = await decodePprofData(parts, opts);
  if (!pprof) return { profile: emptyProfile('pprof', 'empty input file'), pprof: null, fileBytes: size };
  return { profile: modelFromPprof(pprof, opts), pprof, fileBytes: size };
}

/**
 * Decodes pprof bytes (gzip or raw; whole or in chunks, as in `loadProfileData`) without the
 * compiler's model; null when they are empty once inflated. Gzip streams as in `loadProfileData`;
 * raw protobuf is decoded in place (it is already whole).
 */
export async function decodePprofData(data: Uint8Array | readonly Uint8Array[], opts: DecodeOptions = {}): Promise<PprofProfile | null> {
  const parts = data instanceof Uint8Array ? [data] : data;
  if (!isGzip(head(parts))) {
    const bytes = joined(parts);
    return bytes.length === 0 ? null : decodePprof(bytes, opts);
  }
  const d = new StreamDecode(true, opts);
  let size = 0;
  try {
    for (const part of parts) {
      size += part.length;
      for (let p = 0; p < part.length; p += SLICE_BYTES) await d.push(part.subarray(p, p + SLICE_BYTES));
    }
    await d.end();
  } catch (e) {
    throw await goWordsFor(e, size, () => Promise.resolve(joined(parts)));
  }
  return d.result();
}

/** The first 17 bytes of `parts` (enough for the gzip magic and the preprofile header). */
function head(parts: readonly Uint8Array[]): Uint8Array {
  const first = parts[0] ?? new Uint8Array(0);
  return first.length >= 17 || parts.length < 2 ? first : joined(parts).subarray(0, 17);
}

function joined(parts: readonly Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

const SLICE_BYTES = 1 << 20;

/**
 * Loads a file, streaming: gzip inflates on libuv's thread pool while this thread decodes the
 * previous chunk, and the raw protobuf is never held whole (perf-anchors §6.7).
 */
export async function loadProfileFile(path: string, opts: LoadOptions = {}): Promise<Loaded> {
  const r = await readProfileFile(path, opts);
  if ('profile' in r) return r;
  return { profile: modelFromPprof(r.pprof, opts), pprof: r.pprof, fileBytes: r.fileBytes };
}

/**
 * `go tool preprofile -i path`'s output: pprof input is decoded streaming (edges only) and written
 * by the lean path (`preprofileFromPprof`: no model objects, names copied as bytes); a preprofile
 * input is written back as the compiler reads it; an empty file gives the header alone.
 */
export async function preprofileFile(path: string): Promise<Buffer> {
  const r = await readProfileFile(path, { heat: false });
  return 'profile' in r ? serializePreprofile(r.profile) : preprofileFromPprof(r.pprof);
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
  const d = new StreamDecode(isGzip(first), opts);
  const input = fh.createReadStream({ start: 0, highWaterMark: 1 << 20, autoClose: true });
  let read = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      read += chunk.length;
      if (read > MAX_PROFILE_FILE_BYTES)
        throw new ProfileError('limit', `${path} grew beyond the ${MAX_PROFILE_FILE_BYTES}-byte safety limit for a profile file while being read`);
      await d.push(chunk);
    }
    await d.end();
  } catch (e) {
    input.destroy();
    // Go's own words for the failure (error path only: the file is read again).
    const err = await goWordsFor(e, size, () => fs.promises.readFile(path).catch(() => Buffer.alloc(0)));
    if (err instanceof ProfileError) throw err;
    throw new ProfileError('io', `reading profile ${path}: ${errnoText(e)}`);
  } finally {
    await fh.close().catch(() => undefined);
  }
  const pprof = d.result();
  if (!pprof) return { profile: emptyProfile('pprof', 'empty input file'), pprof: null, fileBytes: size };
  return { pprof, fileBytes: size };
}

/**
 * A gzip error in Go's compress/gzip words where Go words it differently (a truncated or corrupt
 * member; inputs up to 64 MiB, as it inflates again), else `e` itself.
 */
async function goWordsFor(e: unknown, size: number, bytes: () => Promise<Uint8Array>): Promise<unknown> {
  if (e instanceof ProfileError && e.kind === 'gzip' && !/after the last gzip member\)$/.test(e.detail) && size <= 64 << 20) {
    const go = goGzipDiagnosis(await bytes());
    if (go) return goGzipError(go);
  }
  return e;
}

/**
 * Decodes pprof from a sequence of chunks (a file read or slices of a buffer). Gzip inflates on
 * libuv's thread pool while this thread decodes the previous output chunk; the raw protobuf is
 * never held whole (perf-anchors §6.7).
 */
class StreamDecode {
  private readonly decoder: PprofDecoder;
  private readonly feeder: ChunkFeeder;
  private readonly gz: CappedGunzip | null;
  /** The decoder's first error: it wins only if the gzip turns out sound (see the constructor). */
  private decodeError: unknown = null;

  constructor(gzip: boolean, opts: DecodeOptions) {
    this.decoder = new PprofDecoder(opts);
    const feeder = (this.feeder = new ChunkFeeder(this.decoder));
    // Go inflates the whole file before it parses, so a corrupt gzip (a bad checksum after deflate
    // data that decodes to garbage) is a gzip error there, not a protobuf one. Here a decode error
    // stops decoding but not inflating, and is thrown only once the gzip ended cleanly; a limit
    // stops both at once.
    this.gz = gzip
      ? new CappedGunzip(MAX_INFLATED_BYTES, (c) => {
          if (this.decodeError) return;
          try {
            feeder.push(c);
          } catch (e) {
            if (e instanceof ProfileError && e.kind === 'limit') throw e;
            this.decodeError = e;
          }
        })
      : null;
  }

  async push(chunk: Buffer | Uint8Array): Promise<void> {
    if (!this.gz) return this.feeder.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.gz.push(chunk);
    await Promise.race([new Promise<void>((r) => setImmediate(r)), this.gz.done]); // lets the inflater keep up (and fail early)
  }

  /** Waits for the inflater to finish (and fails with its error). */
  async end(): Promise<void> {
    if (this.gz) await this.gz.end();
    if (this.decodeError) throw this.decodeError;
  }

  /** The decoded tables, after `end`; null when the (inflated) input is empty. */
  result(): PprofProfile | null {
    if (this.feeder.total === 0) return null;
    this.feeder.end();
    return this.decoder.finish();
  }
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
