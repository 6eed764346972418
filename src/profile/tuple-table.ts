/**
 * Interning of fixed-size numeric tuples into dense ids, with open addressing on typed arrays.
 * A JS Map keyed by a composite number is slow once keys leave the small-integer range (they
 * become heap numbers) and a string key allocates; this table does neither (perf-anchors §6.6).
 * Components are exact doubles (any safe integer).
 */
export class TupleTable {
  private keys: Float64Array;
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(
    private readonly k: number,
    expected = 1024,
  ) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.keys = new Float64Array(Math.max(expected, 16) * k);
  }

  private static hash(t: ArrayLike<number>, k: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < k; i++) {
      const x = t[i]!;
      h = Math.imul(h ^ (x | 0), 0x9e3779b1);
      h = Math.imul(h ^ ((x / 4294967296) | 0), 0x85ebca6b);
      h ^= h >>> 15;
    }
    return h;
  }

  /** The slot holding the tuple's id, or the empty slot where it would go. */
  private slotOf(t: ArrayLike<number>): number {
    const k = this.k;
    let i = TupleTable.hash(t, k) & this.mask;
    const keys = this.keys;
    for (;;) {
      const id = this.slots[i]!;
      if (id < 0) return i;
      let eq = true;
      const base = id * k;
      for (let j = 0; j < k; j++)
        if (keys[base + j] !== t[j]) {
          eq = false;
          break;
        }
      if (eq) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** The id of the tuple, adding it if new. `t` must hold at least k numbers. */
  intern(t: ArrayLike<number>): number {
    const k = this.k;
    const i = this.slotOf(t);
    const found = this.slots[i]!;
    if (found >= 0) return found;
    const id = this.size++;
    if (id * k + k > this.keys.length) {
      const nk = new Float64Array(this.keys.length * 2);
      nk.set(this.keys);
      this.keys = nk;
    }
    for (let j = 0; j < k; j++) this.keys[id * k + j] = t[j]!;
    this.slots[i] = id;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** The id of the tuple, or -1 when it was never interned. */
  find(t: ArrayLike<number>): number {
    return this.slots[this.slotOf(t)]!;
  }

  /** Component j of tuple id. */
  get(id: number, j: number): number {
    return this.keys[id * this.k + j]!;
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    const k = this.k;
    const tmp = new Float64Array(k);
    for (let id = 0; id < this.size; id++) {
      for (let j = 0; j < k; j++) tmp[j] = this.keys[id * k + j]!;
      let i = TupleTable.hash(tmp, k) & mask;
      while (slots[i]! >= 0) i = (i + 1) & mask;
      slots[i] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
