/** Growable typed arrays: doubles capacity (at least to `need`), keeping the contents. */
type Growable = Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;

export function grow<T extends Growable>(a: T, need: number): T {
  if (need <= a.length) return a;
  const n = new (a.constructor as new (length: number) => T)(Math.max(need, a.length * 2));
  n.set(a as never);
  return n;
}
