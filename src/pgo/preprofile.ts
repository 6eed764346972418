/**
 * The compiler's serialized profile, `GO PREPROFILE V1` (cmd/internal/pgo/serialize.go and
 * deserialize.go, Go 1.23+): a header line, then per edge in ByWeight order the caller, the callee
 * and "offset weight". Output is byte-identical to `go tool preprofile`.
 */
import { ProfileError } from '../profile/errors';
import { decodeGoString, encodeGoString, hasEscapedBytes } from '../profile/gostring';
import { baseProfile, emptyProfile, type NamedEdge, type PgoProfile } from './model';

export const PREPROFILE_HEADER = 'GO PREPROFILE V1\n';
const HEADER_BYTES = Buffer.from(PREPROFILE_HEADER, 'latin1');

/** The compiler's IsSerialized: the first 17 bytes are exactly the header. */
export function isPreprofile(buf: Uint8Array): boolean {
  if (buf.length < HEADER_BYTES.length) return false;
  for (let i = 0; i < HEADER_BYTES.length; i++) if (buf[i] !== HEADER_BYTES[i]) return false;
  return true;
}

/**
 * The serialized profile, written straight into one buffer sized exactly beforehand (no per-line
 * strings): names as UTF-8 (Go byte strings: escaped invalid bytes written back as those bytes),
 * offsets and weights as decimal integers.
 */
export function serializePreprofile(p: Pick<PgoProfile, 'edges' | 'totalWeight'>): Buffer {
  const edges = p.totalWeight !== 0 ? p.edges : [];
  // Sizing pass: names with escaped bytes (rare) are encoded once and kept.
  let escaped: Map<string, Buffer> | null = null;
  const nameBytes = (s: string): number => {
    if (!ESCAPE_RE.test(s) || !hasEscapedBytes(s)) return Buffer.byteLength(s, 'utf8');
    escaped ??= new Map();
    let b = escaped.get(s);
    if (!b) escaped.set(s, (b = encodeGoString(s)));
    return b.length;
  };
  let size = HEADER_BYTES.length;
  for (const e of edges) size += nameBytes(e.caller) + nameBytes(e.callee) + intBytes(e.offset) + intBytes(e.weight) + 4;
  const out = Buffer.allocUnsafe(size);
  HEADER_BYTES.copy(out, 0);
  let o = HEADER_BYTES.length;
  const esc = escaped as Map<string, Buffer> | null;
  const name = (s: string): void => {
    const b = esc?.get(s);
    o += b ? b.copy(out, o) : out.write(s, o, 'utf8');
    out[o++] = 0x0a;
  };
  for (const e of edges) {
    name(e.caller);
    name(e.callee);
    o = writeInt(out, o, e.offset);
    out[o++] = 0x20;
    o = writeInt(out, o, e.weight);
    out[o++] = 0x0a;
  }
  if (o !== size) throw new Error(`internal error: preprofile output sized ${size} bytes, wrote ${o}`);
  return out;
}

/** A lone low surrogate can only come from an escaped byte (gostring.ts); the cheap pre-check. */
const ESCAPE_RE = /[\uDC80-\uDCFF]/;

/** Decimal digits (and sign) of an integer as Go's %d writes it. */
export function intBytes(v: number): number {
  if (!Number.isSafeInteger(v)) throw new ProfileError('range', `cannot write ${v} exactly in a preprocessed profile`);
  let n = v < 0 ? 2 : 1;
  let a = Math.abs(v);
  for (; a >= INT32_LIMIT; a = Math.floor(a / 10)) n++;
  // below 2^31: integer division (a double's % and / are several times slower)
  for (; a >= 10; a = (a / 10) | 0) n++;
  return n;
}

/** Writes the integer v (checked by intBytes) at o; returns the position after it. */
export function writeInt(out: Uint8Array, o: number, v: number): number {
  if (v < 0) {
    out[o++] = 0x2d;
    v = -v;
  }
  if (v < INT32_LIMIT) return writeSmall(out, o, v);
  // above 2^31: the digits above the last nine, then those nine with leading zeros (each part an int32)
  let hi = Math.floor(v / 1e9);
  let lo = v - hi * 1e9; // exact: hi * 1e9 <= v < 2^53
  if (lo < 0) {
    hi--;
    lo += 1e9;
  } else if (lo >= 1e9) {
    hi++;
    lo -= 1e9;
  }
  o = writeInt(out, o, hi);
  for (let q = o + 9; q > o;) {
    const d = (lo / 10) | 0;
    out[--q] = 0x30 + lo - d * 10;
    lo = d;
  }
  return o + 9;
}

const INT32_LIMIT = 2147483648;

function writeSmall(out: Uint8Array, o: number, v: number): number {
  let n = 1;
  for (let a = v; a >= 10; a = (a / 10) | 0) n++;
  const end = o + n;
  let q = end;
  do {
    const d = (v / 10) | 0;
    out[--q] = 0x30 + v - d * 10;
    v = d;
  } while (v > 0);
  return end;
}

const INT_RE = /^[+-]?[0-9]+$/;

function parseGoInt(s: string, what: string): number {
  if (!INT_RE.test(s)) {
    throw new ProfileError('preprofile', `preprocessed profile error processing ${what}: strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  }
  const v = Number(s);
  if (!Number.isSafeInteger(v)) {
    throw new ProfileError('precision', `preprocessed profile ${what} ${s} is outside the exactly representable range`);
  }
  return v;
}

/** Parses a serialized profile; the edges keep the file's order (the compiler does not re-sort). */
export function parsePreprofile(buf: Uint8Array): PgoProfile {
  const text = decodeGoString(buf);
  // bufio.ScanLines: split on \n, drop one trailing \r per line, last line may lack \n.
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
  if (lines.length === 0) throw new ProfileError('preprofile', 'preprocessed profile missing header');
  if (lines[0] + '\n' !== PREPROFILE_HEADER) {
    throw new ProfileError(
      'preprofile',
      `preprocessed profile malformed header; got ${JSON.stringify(lines[0] + '\n')} want ${JSON.stringify(PREPROFILE_HEADER)}`,
    );
  }
  const edges: NamedEdge[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (let i = 1; i < lines.length; i += 3) {
    const caller = lines[i]!;
    if (i + 1 >= lines.length) throw new ProfileError('preprofile', `preprocessed profile entry missing callee (line ${i + 2})`);
    const callee = lines[i + 1]!;
    if (i + 2 >= lines.length) throw new ProfileError('preprofile', `preprocessed profile entry missing weight (line ${i + 3})`);
    const split = lines[i + 2]!.split(' ');
    if (split.length !== 2) {
      throw new ProfileError('preprofile', `preprocessed profile entry got [${split.join(' ')}] want 2 fields (line ${i + 3})`);
    }
    const offset = parseGoInt(split[0]!, 'call line');
    const weight = parseGoInt(split[1]!, 'call weight');
    const key = `${caller}\u0000${offset}\u0000${callee}`;
    if (seen.has(key)) {
      throw new ProfileError('preprofile', `preprocessed profile contains duplicate edge {${caller} ${callee} ${offset}}`);
    }
    seen.add(key);
    edges.push({ caller, offset, callee, weight });
    total += weight;
  }
  if (total === 0) return emptyProfile('preprofile', 'the preprocessed profile has no weight');
  return baseProfile('preprofile', { totalWeight: total, edges });
}
