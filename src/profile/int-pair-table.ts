/**
 * Interning of (a, b) pairs of int32 numbers into dense ids: open addressing on Int32Arrays.
 * The hot tables of the decoder (samples folded by caller and leaf location) and of the model
 * (graph edges between nodes) key on small integers; the general TupleTable hashes doubles and
 * loops over its arity, this one does neither.
 */
export class IntPairTable {
  private keys: Int32Array;
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.keys = new Int32Array(Math.max(expected, 16) * 2);
  }

  /** The id of (a, b), adding it if new. Both must be int32. */
  intern(a: number, b: number): number {
    const keys = this.keys;
    const slots = this.slots;
    const mask = this.mask;
    let i = hash(a, b) & mask;
    for (;;) {
      const id = slots[i]!;
      if (id < 0) break;
      if (keys[2 * id] === a && keys[2 * id + 1] === b) return id;
      i = (i + 1) & mask;
    }
    const id = this.size++;
    if (2 * id + 2 > keys.length) {
      const nk = new Int32Array(keys.length * 2);
      nk.set(keys);
      this.keys = nk;
    }
    this.keys[2 * id] = a;
    this.keys[2 * id + 1] = b;
    slots[i] = id;
    if (this.size * 2 > slots.length) this.rehash();
    return id;
  }

  /** The id of (a, b), or -1 when it was never interned. */
  find(a: number, b: number): number {
    const keys = this.keys;
    let i = hash(a, b) & this.mask;
    for (;;) {
      const id = this.slots[i]!;
      if (id < 0 || (keys[2 * id] === a && keys[2 * id + 1] === b)) return id;
      i = (i + 1) & this.mask;
    }
  }

  /** First component of pair id. */
  first(id: number): number {
    return this.keys[2 * id]!;
  }

  /** Second component of pair id. */
  second(id: number): number {
    return this.keys[2 * id + 1]!;
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    const keys = this.keys;
    for (let id = 0; id < this.size; id++) {
      let i = hash(keys[2 * id]!, keys[2 * id + 1]!) & mask;
      while (slots[i]! >= 0) i = (i + 1) & mask;
      slots[i] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function hash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x811c9dc5, 0x9e3779b1);
  h = Math.imul(h ^ b, 0x85ebca6b);
  return h ^ (h >>> 15);
}
