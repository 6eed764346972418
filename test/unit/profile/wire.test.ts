/**
 * The short-varint readers (src/profile/wire.ts readUint/readInt) against the general path
 * (readVarint64 + lastUint/lastInt): every length from 1 to 10 bytes, the 7-bit boundaries,
 * negative int64s, values beyond 2^53, and varints that end at or run past the buffer's end.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastInt, lastUint, readInt, readUint, readVarint64, V_POS } from '../../../src/profile/wire';
import { rng } from '../../fuzzing';

/** The varint bytes of an unsigned 64-bit value. */
function varint(v: bigint): number[] {
  const out: number[] = [];
  let x = BigInt.asUintN(64, v);
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x > 0n ? b | 0x80 : b);
  } while (x > 0n);
  return out;
}

function general(buf: Uint8Array, p: number, end: number): { u: number; i: number; pos: number } | string {
  try {
    readVarint64(buf, p, end);
    return { u: lastUint(), i: lastInt(), pos: V_POS };
  } catch (e) {
    return String(e);
  }
}

function fast(buf: Uint8Array, p: number, end: number): { u: number; i: number; pos: number } | string {
  try {
    const u = readUint(buf, p, end);
    const pos = V_POS;
    const i = readInt(buf, p, end);
    assert.equal(V_POS, pos);
    return { u, i, pos };
  } catch (e) {
    return String(e);
  }
}

describe('readUint and readInt', () => {
  it('equal readVarint64 + lastUint/lastInt on boundaries, negatives and huge values, at any offset and end', () => {
    const values: bigint[] = [0n, 1n, 127n, 128n, 300n, 16383n, 16384n, 2097151n, 2097152n, 268435455n, 268435456n];
    values.push(2n ** 31n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, -1n, -2n, -(2n ** 53n) + 1n, -(2n ** 53n));
    const r = rng(3);
    for (let k = 0; k < 2000; k++) values.push(BigInt(Math.floor(r() * 2 ** (1 + Math.floor(r() * 53)))) * (r() < 0.1 ? -1n : 1n));
    let checked = 0;
    for (const v of values) {
      const bytes = varint(v);
      for (const before of [0, 3]) {
        for (const after of [0, 1, 5]) {
          const buf = Uint8Array.from([...Array<number>(before).fill(0x81), ...bytes, ...Array<number>(after).fill(0x05)]);
          for (const end of [buf.length, before + bytes.length, before + bytes.length - 1]) {
            assert.deepEqual(fast(buf, before, end), general(buf, before, end), `${v} before ${before} after ${after} end ${end}`);
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 30000);
  });
});
