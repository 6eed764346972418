/**
 * A profile's string table kept as bytes: one arena of the strings' UTF-8 bytes and their offsets,
 * with each JS string decoded on first use (issue #14: the compiler's model names only the
 * functions that samples reach). Equal strings are found by their bytes (`canon`, for the strings
 * asked about), without decoding them or hashing JS strings. Physical cost per string: its bytes + 4, against ~40 bytes
 * plus its bytes as a JS string in an array (issue #13).
 *
 * `all()` decodes every string into one array, once; from then on `get` reads that array, so the
 * edits of a caller that changes it (rewrite interns new names) are seen by every reader.
 */
import { decodeGoString } from './gostring';
import { grow } from './grow';

export class StringTable {
  readonly count: number;
  private readonly bytes: Buffer;
  /** count + 1 offsets into `bytes`. */
  private readonly off: Int32Array;
  private cache: Array<string | undefined> | null = null;
  private whole: string[] | null = null;
  /** Per string its representative (-1: not asked yet), and the hash of the representatives asked so far. */
  private canonIds: Int32Array | null = null;
  /** Per representative its byte hash, so a rehash never reads the bytes again. */
  private canonHash = new Int32Array(0);
  private canonSlots = new Int32Array(0);
  private canonUsed = 0;

  constructor(bytes: Uint8Array, off: Int32Array, count: number) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    this.off = off;
    this.count = count;
  }

  static fromStrings(strings: string[]): StringTable {
    const parts = strings.map((s) => Buffer.from(s, 'utf8'));
    const off = new Int32Array(strings.length + 1);
    for (let i = 0; i < parts.length; i++) off[i + 1] = off[i]! + parts[i]!.length;
    const t = new StringTable(Buffer.concat(parts), off, strings.length);
    t.whole = strings;
    return t;
  }

  /** String i, or undefined when i is out of range. */
  get(i: number): string | undefined {
    if (this.whole) return this.whole[i];
    if (!(i >= 0 && i < this.count)) return undefined;
    const cache = (this.cache ??= new Array<string | undefined>(this.count));
    let s = cache[i];
    if (s === undefined) s = cache[i] = decodeBytes(this.bytes, this.off[i]!, this.off[i + 1]!);
    return s;
  }

  /** Every string, decoded once into an array that later `get` calls read (and see edits of). */
  all(): string[] {
    if (!this.whole) {
      const out = new Array<string>(this.count);
      const cache = this.cache;
      for (let i = 0; i < this.count; i++) out[i] = cache?.[i] ?? decodeBytes(this.bytes, this.off[i]!, this.off[i + 1]!);
      this.whole = out;
      this.cache = null;
    }
    return this.whole;
  }

  /** True when string i has exactly these UTF-8 bytes (compared without decoding string i). */
  equals(i: number, utf8: Uint8Array): boolean {
    if (!(i >= 0 && i < this.count)) return false;
    if (this.whole) return this.whole[i] === decodeBytes(Buffer.from(utf8.buffer, utf8.byteOffset, utf8.length), 0, utf8.length);
    const s = this.off[i]!;
    const e = this.off[i + 1]!;
    if (e - s !== utf8.length) return false;
    for (let k = 0; k < e - s; k++) if (this.bytes[s + k] !== utf8[k]) return false;
    return true;
  }

  /** The bytes of every string (string i is `arena[byteStart(i), byteEnd(i))`). */
  get arena(): Buffer {
    return this.bytes;
  }

  byteStart(i: number): number {
    return this.off[i]!;
  }

  byteEnd(i: number): number {
    return this.off[i + 1]!;
  }

  /** True once `all()` handed out the array (its contents may have changed since). */
  get materialized(): boolean {
    return this.whole !== null;
  }

  /**
   * A representative index of the strings with the same bytes as string i: the first such index
   * asked for (string contents compared without decoding). Only the strings asked about are
   * hashed (the model and heat ask for the names of reached functions, not every string). Only
   * valid before `all()`, which may let a caller change the strings.
   */
  canon(i: number): number {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`string index ${i} out of range (${this.count} strings)`);
    let ids = this.canonIds;
    if (!ids) {
      ids = this.canonIds = new Int32Array(this.count).fill(-1);
      this.canonHash = new Int32Array(this.count);
      let size = 16;
      while (size < Math.min(this.count, 1 << 12) * 2) size *= 2;
      this.canonSlots = new Int32Array(size).fill(-1);
    }
    const c = ids[i]!;
    return c >= 0 ? c : (ids[i] = this.findOrAdd(i));
  }

  /** The representative of string i's bytes, i itself when they are new (open addressing by FNV-1a of the bytes). */
  private findOrAdd(i: number): number {
    const b = this.bytes;
    const off = this.off;
    const s = off[i]!;
    const e = off[i + 1]!;
    let h = 0x811c9dc5 ^ (e - s);
    for (let k = s; k < e; k++) h = Math.imul(h ^ b[k]!, 0x01000193);
    h ^= h >>> 15;
    const slots = this.canonSlots;
    const hashes = this.canonHash;
    const mask = slots.length - 1;
    let at = h & mask;
    for (;;) {
      const j = slots[at]!;
      if (j < 0) break;
      if (hashes[j] === h && sameBytes(b, off[j]!, off[j + 1]!, s, e)) return j;
      at = (at + 1) & mask;
    }
    slots[at] = i;
    hashes[i] = h;
    if (++this.canonUsed * 2 > slots.length) this.rehashCanon();
    return i;
  }

  private rehashCanon(): void {
    const old = this.canonSlots;
    const slots = new Int32Array(old.length * 2).fill(-1);
    const mask = slots.length - 1;
    const hashes = this.canonHash;
    for (const j of old) {
      if (j < 0) continue;
      let at = hashes[j]! & mask;
      while (slots[at]! >= 0) at = (at + 1) & mask;
      slots[at] = j;
    }
    this.canonSlots = slots;
  }
}

function sameBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (b[s1 + k] !== b[s2 + k]) return false;
  return true;
}

/** Strings of the decoder being built: bytes appended to one growing arena. */
export class StringArena {
  count = 0;
  private bytes = new Uint8Array(1 << 16);
  private off = new Int32Array(1025);
  private used = 0;

  /** Appends buf[s, e) as the next string. */
  add(buf: Uint8Array, s: number, e: number): void {
    const n = e - s;
    if (this.used + n > this.bytes.length) this.bytes = grow(this.bytes, this.used + n);
    this.bytes.set(buf.subarray(s, e), this.used);
    this.used += n;
    if (this.count + 2 > this.off.length) this.off = grow(this.off, this.count + 2);
    this.off[++this.count] = this.used;
  }

  /** Byte length of string i. */
  length(i: number): number {
    return this.off[i + 1]! - this.off[i]!;
  }

  /** The finished table (copied to size when the arena is much larger than its contents). */
  table(): StringTable {
    const bytes = this.used < this.bytes.length * 0.75 ? this.bytes.slice(0, this.used) : this.bytes.subarray(0, this.used);
    const off = this.off.slice(0, this.count + 1);
    return new StringTable(bytes, off, this.count);
  }
}

/** UTF-8 bytes to a JS string: ASCII (most names) through Buffer's native latin1 path, Go's byte-string rules otherwise. */
function decodeBytes(buf: Buffer, s: number, e: number): string {
  for (let i = s; i < e; i++) if (buf[i]! >= 0x80) return decodeGoString(buf.subarray(s, e));
  return buf.toString('latin1', s, e);
}
