/**
 * The graph's nodes as pprof keys them for the compiler (internal/profile/graph.go NodeInfo: name,
 * address, start line, line): interned into dense ids by open addressing on typed arrays, one
 * specialised table instead of a general tuple table (the model interns one key per reached frame).
 * Name is a dense name id, the address its two 32-bit halves, start and line any safe integers.
 */
import { grow } from '../profile/grow';

export class NodeTable {
  /** Per node: name id, address high and low halves (int32 bit patterns). */
  name: Int32Array<ArrayBuffer>;
  private hi: Int32Array<ArrayBuffer>;
  private lo: Int32Array<ArrayBuffer>;
  /** Per node: start line and line. */
  start: Float64Array<ArrayBuffer>;
  line: Float64Array<ArrayBuffer>;
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 4096) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const n = Math.max(expected, 16);
    this.name = new Int32Array(n);
    this.hi = new Int32Array(n);
    this.lo = new Int32Array(n);
    this.start = new Float64Array(n);
    this.line = new Float64Array(n);
  }

  /** The id of the node, adding it if new. */
  intern(name: number, addrHi: number, addrLo: number, start: number, line: number): number {
    const hi = addrHi | 0;
    const lo = addrLo | 0;
    const slots = this.slots;
    const mask = this.mask;
    let i = hash(name, hi, lo, start, line) & mask;
    for (;;) {
      const id = slots[i]!;
      if (id < 0) break;
      if (this.name[id] === name && this.lo[id] === lo && this.line[id] === line && this.start[id] === start && this.hi[id] === hi) return id;
      i = (i + 1) & mask;
    }
    const id = this.size++;
    if (id >= this.name.length) {
      this.name = grow(this.name, id + 1);
      this.hi = grow(this.hi, id + 1);
      this.lo = grow(this.lo, id + 1);
      this.start = grow(this.start, id + 1);
      this.line = grow(this.line, id + 1);
    }
    this.name[id] = name;
    this.hi[id] = hi;
    this.lo[id] = lo;
    this.start[id] = start;
    this.line[id] = line;
    slots[i] = id;
    if (this.size * 2 > slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let id = 0; id < this.size; id++) {
      let i = hash(this.name[id]!, this.hi[id]!, this.lo[id]!, this.start[id]!, this.line[id]!) & mask;
      while (slots[i]! >= 0) i = (i + 1) & mask;
      slots[i] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Mixes the key; start and line contribute their low 32 bits and, beyond, their high part. */
function hash(name: number, hi: number, lo: number, start: number, line: number): number {
  let h = Math.imul(name ^ 0x811c9dc5, 0x9e3779b1);
  h = Math.imul(h ^ lo, 0x85ebca6b);
  h = Math.imul(h ^ hi, 0xc2b2ae35);
  h = Math.imul(h ^ (line | 0) ^ ((line / 4294967296) | 0), 0x9e3779b1);
  h = Math.imul(h ^ (start | 0) ^ ((start / 4294967296) | 0), 0x85ebca6b);
  return h ^ (h >>> 15);
}
