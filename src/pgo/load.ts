/**
 * Loading a PGO profile the way the compiler does (cmd/compile/internal/pgoir.New, Go 1.23+):
 * a `GO PREPROFILE V1` file is read as serialized edges; anything else is (optionally gzipped)
 * pprof. An empty file or a profile without samples or weight is "no PGO", not an error.
 */
import * as fs from 'node:fs';
import { ProfileError } from '../profile/errors';
import { createGunzip, gunzip, gzipError, isGzip } from '../profile/inflate';
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
  try {
    fh = await fs.promises.open(path, 'r');
  } catch (e) {
    throw new ProfileError('io', `error opening profile: ${(e as Error).message}`);
  }
  let size: number;
  const head = Buffer.alloc(17);
  let headLen: number;
  try {
    size = (await fh.stat()).size;
    headLen = (await fh.read(head, 0, 17, 0)).bytesRead;
  } finally {
    await fh.close();
  }
  const first = head.subarray(0, headLen);
  if (isPreprofile(first)) {
    const bytes = await fs.promises.readFile(path);
    return { profile: parsePreprofile(bytes), pprof: null, fileBytes: bytes.length };
  }
  if (size === 0) return { profile: emptyProfile('pprof', 'empty input file'), pprof: null, fileBytes: 0 };
  const decoder = new PprofDecoder(opts);
  const input = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  const gz = isGzip(first);
  const stream: NodeJS.ReadableStream = gz ? input.pipe(createGunzip()) : input;
  if (gz) input.on('error', (e) => (stream as unknown as { destroy(e: Error): void }).destroy(e));
  const feeder = new ChunkFeeder(decoder);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) feeder.push(chunk);
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    if (gz && (e as NodeJS.ErrnoException).code?.startsWith('Z_')) throw gzipError(e);
    throw new ProfileError('io', `reading profile: ${(e as Error).message}`);
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
