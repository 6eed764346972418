/**
 * The preprocessed profile's integers (`intBytes`, `writeInt`: Go's %d of an offset or a weight)
 * against JS's own decimal form of the same safe integer, around every boundary the writer
 * splits at (2^31, multiples of 10^9) and over random magnitudes up to ±(2^53 − 1).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intBytes, writeInt } from '../../../src/pgo/preprofile';
import { ProfileError } from '../../../src/profile/errors';
import { rng } from '../../fuzzing';

function written(v: number): string {
  const out = new Uint8Array(intBytes(v) + 2).fill(0x3f);
  const end = writeInt(out, 1, v);
  assert.equal(end, 1 + intBytes(v), `end of ${v}`);
  assert.equal(out[0], 0x3f, `wrote before ${v}`);
  assert.equal(out[end], 0x3f, `wrote after ${v}`);
  return Buffer.from(out.subarray(1, end)).toString('latin1');
}

describe('preprofile integers', () => {
  it('boundaries', () => {
    const edges = [0, 1, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32, 1e9 - 1, 1e9, 1e9 + 1, 2e9, 999999999999, 1e12, 1e12 + 1];
    const more = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1, 9007199000000000, 9007199000000001, 9007198999999999];
    for (let k = 1; k <= 15; k++) more.push(10 ** k - 1, 10 ** k, 10 ** k + 1, 10 ** k * 7 + 123456789);
    for (const a of [...edges, ...more]) {
      for (const v of [a, -a]) assert.equal(written(v), String(v));
    }
  });

  it('random magnitudes', () => {
    const r = rng(0x1e7);
    for (let i = 0; i < 20000; i++) {
      const bits = 1 + Math.floor(r() * 53);
      let v = Math.floor(r() * 2 ** bits);
      if (v > Number.MAX_SAFE_INTEGER) v = Number.MAX_SAFE_INTEGER;
      if (r() < 0.3) v = -v;
      assert.equal(written(v), String(v), `value ${v}`);
    }
  });

  it('refuses what it cannot write exactly', () => {
    for (const v of [2 ** 53, -(2 ** 53), 1.5, Number.NaN, Infinity]) assert.throws(() => intBytes(v), ProfileError);
  });
});
