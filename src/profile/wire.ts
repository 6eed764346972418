/**
 * Minimal protobuf wire-format primitives, hand-written for speed: no per-field allocation, no
 * Long/BigInt, and varints decoded into plain numbers. The protobufjs Reader is measured against
 * this decoder in `npm run bench` (docs/performance.md).
 *
 * Long varints return through module-level registers (`V_LO`, `V_HI`, `V_POS`) instead of an
 * object, so the hot loops allocate nothing.
 */
import { ProfileError } from './errors';
import { encodeGoString } from './gostring';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

/** Low and high 32 bits (unsigned) and the position after the last long varint read. */
export let V_LO = 0;
export let V_HI = 0;
export let V_POS = 0;

const TWO32 = 4294967296;
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function truncated(what: string): ProfileError {
  return new ProfileError('protobuf', `not enough data: ${what} runs past the end of its message (truncated or corrupt file)`);
}

/** Reads a varint of any length starting at p into V_LO/V_HI/V_POS. */
export function readVarint64(buf: Uint8Array, p: number, end: number): void {
  let lo = 0;
  let hi = 0;
  let b = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (p >= end) throw truncated('a varint');
    b = buf[p++]!;
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) {
      V_LO = lo >>> 0;
      V_HI = 0;
      V_POS = p;
      return;
    }
  }
  // byte 4: bits 28..34
  if (p >= end) throw truncated('a varint');
  b = buf[p++]!;
  lo |= (b & 0x0f) << 28;
  hi = (b & 0x7f) >> 4;
  if (b < 0x80) {
    V_LO = lo >>> 0;
    V_HI = hi;
    V_POS = p;
    return;
  }
  for (let shift = 3; shift < 32; shift += 7) {
    if (p >= end) throw truncated('a varint');
    b = buf[p++]!;
    hi |= (b & 0x7f) << shift;
    if (b < 0x80) {
      V_LO = lo >>> 0;
      V_HI = hi >>> 0;
      V_POS = p;
      return;
    }
  }
  throw new ProfileError('protobuf', 'bad varint (more than 10 bytes)');
}

/**
 * A varint of up to four bytes at p (values below 2^28: ids, lines, indices, most sample values),
 * decoded without the registers' general path, with V_POS after it; -1 when it is longer (or within
 * four bytes of `end`): the caller then takes the general path. V_LO and V_HI are not set here.
 */
function shortVarint(buf: Uint8Array, p: number, end: number): number {
  if (p + 4 > end) return -1;
  const b0 = buf[p]!;
  if (b0 < 0x80) {
    V_POS = p + 1;
    return b0;
  }
  const b1 = buf[p + 1]!;
  if (b1 < 0x80) {
    V_POS = p + 2;
    return (b0 & 0x7f) | (b1 << 7);
  }
  const b2 = buf[p + 2]!;
  if (b2 < 0x80) {
    V_POS = p + 3;
    return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
  }
  const b3 = buf[p + 3]!;
  if (b3 < 0x80) {
    V_POS = p + 4;
    return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | ((b2 & 0x7f) << 14) | (b3 << 21);
  }
  return -1;
}

/** Reads the varint at p and returns it as `lastUint` would; V_POS is the position after it (V_LO/V_HI only set for long ones: callers needing them use readVarint64). */
export function readUint(buf: Uint8Array, p: number, end: number): number {
  const v = shortVarint(buf, p, end);
  if (v >= 0) return v;
  readVarint64(buf, p, end);
  return lastUint();
}

/** As readUint, with `lastInt`'s result (two's complement int64) for the long ones. */
export function readInt(buf: Uint8Array, p: number, end: number): number {
  const v = shortVarint(buf, p, end);
  if (v >= 0) return v;
  readVarint64(buf, p, end);
  return lastInt();
}

/** Field number and wire type of the last tag read by readTag. */
export let T_FIELD = 0;
export let T_WIRE = 0;

/** Reads the tag at p into T_FIELD and T_WIRE and returns the position after it (tags of fields 1..15 are one byte). */
export function readTag(buf: Uint8Array, p: number, end: number): number {
  const t = buf[p]!;
  if (t < 0x80) {
    T_FIELD = t >> 3;
    T_WIRE = t & 7;
    return p + 1;
  }
  readVarint64(buf, p, end);
  T_FIELD = lastField();
  T_WIRE = lastWireType();
  return V_POS;
}

/** The last varint as an unsigned number; Infinity when it is not exactly representable. */
export function lastUint(): number {
  const v = V_HI * TWO32 + V_LO;
  return v <= MAX_SAFE ? v : Infinity;
}

/** The last varint read, exactly, as unsigned decimal text (for messages: never "Infinity"). */
export function lastUintText(): string {
  return (BigInt(V_HI >>> 0) * 4294967296n + BigInt(V_LO >>> 0)).toString();
}

/** Field number of the last varint read as a tag (approximate beyond 2^53: only compared with small numbers). */
export function lastField(): number {
  return V_HI * 536870912 + (V_LO >>> 3);
}

/** Wire type of the last varint read as a tag. */
export function lastWireType(): number {
  return V_LO & 7;
}

/** The last varint as a signed int64 (two's complement); ±Infinity when not exactly representable. */
export function lastInt(): number {
  if (V_HI >= 0x80000000) {
    const mag = (~V_HI >>> 0) * TWO32 + (~V_LO >>> 0) + 1;
    return mag <= MAX_SAFE ? -mag : -Infinity;
  }
  const v = V_HI * TWO32 + V_LO;
  return v <= MAX_SAFE ? v : Infinity;
}

/** The last varint as an exact signed int64. */
export function lastBigInt(): bigint {
  return BigInt.asIntN(64, (BigInt(V_HI) << 32n) | BigInt(V_LO));
}

/** Skips a field's payload of the given wire type; returns the position after it. */
export function skipField(buf: Uint8Array, p: number, end: number, wt: number, what: string): number {
  switch (wt) {
    case WIRE_VARINT:
      readVarint64(buf, p, end);
      return V_POS;
    case WIRE_FIXED64:
      if (p + 8 > end) throw truncated(what);
      return p + 8;
    case WIRE_BYTES: {
      readVarint64(buf, p, end);
      const len = lastUint();
      const q = V_POS + len;
      if (q > end) throw truncated(what);
      return q;
    }
    case WIRE_FIXED32:
      if (p + 4 > end) throw truncated(what);
      return p + 4;
    default:
      throw new ProfileError('protobuf', `unknown wire type: ${wt} in ${what}`);
  }
}

export function typeMismatch(what: string, wt: number): ProfileError {
  return new ProfileError('protobuf', `type mismatch: ${what} has wire type ${wt}`);
}

// ---- writing ----

/** A growable byte buffer with protobuf encoders (used by the pprof encoder). */
export class ProtoWriter {
  buf: Uint8Array;
  len = 0;
  constructor(initial = 1 << 16) {
    this.buf = new Uint8Array(initial);
  }
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }
  /** Unsigned varint of a non-negative safe integer, or a negative int64 (10 bytes). */
  varint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.len;
    if (v >= 0 && v < 0x80000000 && Number.isInteger(v)) {
      while (v >= 0x80) {
        b[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      b[p++] = v;
      this.len = p;
      return;
    }
    if (!Number.isSafeInteger(v)) throw new RangeError(`cannot encode ${v} exactly`);
    // Rare path (large or negative int64): exact two's complement through BigInt.
    const u = BigInt.asUintN(64, BigInt(v));
    const lo = Number(u & 0xffffffffn);
    const hi = Number(u >> 32n);
    this.varint64(lo, hi);
  }
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.len;
    while (hi !== 0 || lo >= 0x80) {
      b[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    b[p++] = lo;
    this.len = p;
  }
  tag(field: number, wt: number): void {
    this.varint((field << 3) | wt);
  }
  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }
  /** Writes field as length-delimited, with the body produced by `body`. */
  message(field: number, body: (w: ProtoWriter) => void): void {
    this.tag(field, WIRE_BYTES);
    // Reserve 5 bytes for the length (messages < 2^35), then shift if fewer were needed.
    this.ensure(5);
    const lenPos = this.len;
    this.len += 5;
    body(this);
    const size = this.len - lenPos - 5;
    let n = 1;
    for (let v = size; v >= 0x80; v >>>= 7) n++;
    if (n < 5) this.buf.copyWithin(lenPos + n, lenPos + 5, this.len);
    let v = size;
    let p = lenPos;
    while (v >= 0x80) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
    this.len -= 5 - n;
  }
  string(field: number, s: string): void {
    const data = encodeGoString(s);
    this.tag(field, WIRE_BYTES);
    this.varint(data.length);
    this.bytes(data);
  }
  /** An int64 field, omitted when zero (proto3 semantics, as Go's encoder does). */
  int64Opt(field: number, v: number): void {
    if (v === 0) return;
    this.tag(field, WIRE_VARINT);
    this.varint(v);
  }
  /** An exact int64 field, omitted when zero. */
  int64OptBig(field: number, v: bigint): void {
    if (v === 0n) return;
    this.tag(field, WIRE_VARINT);
    const u = BigInt.asUintN(64, v);
    this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }
  /** A packed repeated int64 field; omitted when empty. */
  packed(field: number, values: ArrayLike<number>, from = 0, to = values.length): void {
    if (to <= from) return;
    this.message(field, (w) => {
      for (let i = from; i < to; i++) w.varint(values[i]!);
    });
  }
  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
