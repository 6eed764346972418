/**
 * The named edge map's keys (caller name id, offset, callee name id) interned into dense ids: one
 * specialised open-addressing table on typed columns, in place of the general three-double
 * `TupleTable` (the model interns one key per graph edge). Names are dense int32 ids; the offset
 * is any safe integer (a line minus a start line).
 */
import { grow } from '../profile/grow';

export class EdgeKeyTable {
  /** Per key: caller name id, offset, callee name id. */
  caller: Int32Array<ArrayBuffer>;
  offset: Float64Array<ArrayBuffer>;
  callee: Int32Array<ArrayBuffer>;
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 4096) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const n = Math.max(expected, 16);
    this.caller = new Int32Array(n);
    this.offset = new Float64Array(n);
    this.callee = new Int32Array(n);
  }

  /** The id of the key, adding it if new. */
  intern(caller: number, offset: number, callee: number): number {
    const at = this.slotOf(caller, offset, callee);
    const found = this.slots[at]!;
    if (found >= 0) return found;
    const id = this.size++;
    if (id >= this.caller.length) {
      this.caller = grow(this.caller, id + 1);
      this.offset = grow(this.offset, id + 1);
      this.callee = grow(this.callee, id + 1);
    }
    this.caller[id] = caller;
    this.offset[id] = offset;
    this.callee[id] = callee;
    this.slots[at] = id;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** The id of the key, or -1 when it was never interned. */
  find(caller: number, offset: number, callee: number): number {
    return this.slots[this.slotOf(caller, offset, callee)]!;
  }

  /** Component j of key id: 0 caller, 1 offset, 2 callee (the order of Go's NamedCallEdge). */
  get(id: number, j: number): number {
    return j === 0 ? this.caller[id]! : j === 1 ? this.offset[id]! : this.callee[id]!;
  }

  /** The slot holding the key's id, or the empty slot where it would go. */
  private slotOf(caller: number, offset: number, callee: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash(caller, offset, callee) & mask;
    for (;;) {
      const id = slots[i]!;
      if (id < 0 || (this.caller[id] === caller && this.callee[id] === callee && this.offset[id] === offset)) return i;
      i = (i + 1) & mask;
    }
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let id = 0; id < this.size; id++) {
      let i = hash(this.caller[id]!, this.offset[id]!, this.callee[id]!) & mask;
      while (slots[i]! >= 0) i = (i + 1) & mask;
      slots[i] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Mixes the key; the offset contributes its low 32 bits and, beyond, its high part. */
function hash(caller: number, offset: number, callee: number): number {
  let h = Math.imul(caller ^ 0x811c9dc5, 0x9e3779b1);
  h = Math.imul(h ^ callee, 0x85ebca6b);
  h = Math.imul(h ^ (offset | 0) ^ ((offset / 4294967296) | 0), 0xc2b2ae35);
  return h ^ (h >>> 15);
}
