/**
 * The specialised interning tables (src/profile/int-pair-table.ts, src/pgo/node-table.ts,
 * src/pgo/edge-key-table.ts) against
 * the general TupleTable: the same keys in the same order get the same dense ids, through rehashes
 * and with keys that collide in their low bits, negative, beyond 2^32, or -0.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EdgeKeyTable } from '../../../src/pgo/edge-key-table';
import { NodeTable } from '../../../src/pgo/node-table';
import { IntPairTable } from '../../../src/profile/int-pair-table';
import { TupleTable } from '../../../src/profile/tuple-table';
import { rng } from '../../fuzzing';

describe('IntPairTable', () => {
  it('gives the ids TupleTable(2) gives, and finds only what was interned', () => {
    for (const seed of [1, 2, 3]) {
      const rand = rng(seed);
      const ours = new IntPairTable(4); // small: many rehashes
      const ref = new TupleTable(2, 4);
      const t = new Float64Array(2);
      const range = seed === 3 ? 2 ** 31 : 300; // few distinct keys (many repeats) or wide ones
      for (let i = 0; i < 20000; i++) {
        const a = Math.floor(rand() * range) - 1; // -1 is the decoder's "no caller"
        const b = seed === 2 ? (Math.floor(rand() * 50) << 16) | 0 : Math.floor(rand() * range); // equal low bits
        t[0] = a;
        t[1] = b;
        const id = ours.intern(a, b);
        assert.equal(id, ref.intern(t), `key (${a}, ${b})`);
        assert.equal(ours.first(id), a);
        assert.equal(ours.second(id), b);
      }
      assert.equal(ours.size, ref.size);
      assert.equal(ours.find(-5, -5), -1);
      assert.equal(ours.find(ours.first(0), ours.second(0)), 0);
    }
  });
});

describe('NodeTable', () => {
  it('gives the ids TupleTable(5) gives, with addresses as two halves and lines beyond int32', () => {
    const rand = rng(7);
    const ours = new NodeTable(4);
    const ref = new TupleTable(5, 4);
    const t = new Float64Array(5);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (let i = 0; i < 30000; i++) {
      const name = Math.floor(rand() * 40);
      const hi = pick([0, 1, 0x80000000, 0xffffffff]);
      const lo = pick([0, 0x401000, 0xfffffff0, Math.floor(rand() * 2 ** 32)]);
      const start = pick([0, -0, 1, 2 ** 40 + 3, -(2 ** 33), Math.floor(rand() * 20)]);
      const line = pick([0, 7, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), Number.MAX_SAFE_INTEGER, Math.floor(rand() * 30)]);
      t[0] = name;
      t[1] = hi;
      t[2] = lo;
      t[3] = start;
      t[4] = line;
      const id = ours.intern(name, hi, lo, start, line);
      assert.equal(id, ref.intern(t), `node (${name}, ${hi}, ${lo}, ${start}, ${line})`);
      assert.equal(ours.name[id], name);
      assert.ok(ours.start[id] === start && ours.line[id] === line, 'the stored key equals the given one (-0 equals 0)');
    }
    assert.equal(ours.size, ref.size);
    assert.ok(ours.size > 1000, `enough distinct nodes to rehash (${ours.size})`);
  });
});

describe('EdgeKeyTable', () => {
  it('gives the ids TupleTable(3) gives, with offsets negative, beyond 2^32 or -0, and finds only what was interned', () => {
    for (const seed of [11, 12, 13]) {
      const rand = rng(seed);
      const ours = new EdgeKeyTable(4); // small: many rehashes
      const ref = new TupleTable(3, 4);
      const t = new Float64Array(3);
      const names = seed === 11 ? 40 : 1 << 20;
      for (let i = 0; i < 20000; i++) {
        const caller = seed === 12 ? (Math.floor(rand() * 30) << 16) | 0 : Math.floor(rand() * names); // equal low bits
        const callee = Math.floor(rand() * names);
        const r = rand();
        const offset =
          r < 0.6 ? Math.floor(rand() * 40) - 5 : r < 0.8 ? Math.floor(rand() * 2 ** 52) - 2 ** 51 : r < 0.9 ? 2 ** 32 * Math.floor(rand() * 4) : -0;
        t[0] = caller;
        t[1] = offset;
        t[2] = callee;
        const id = ours.intern(caller, offset, callee);
        assert.equal(id, ref.intern(t), `key (${caller}, ${offset}, ${callee})`);
        for (let j = 0; j < 3; j++) assert.equal(ours.get(id, j), ref.get(id, j));
      }
      assert.equal(ours.size, ref.size);
      for (let id = 0; id < ours.size; id += 97) assert.equal(ours.find(ours.caller[id]!, ours.offset[id]!, ours.callee[id]!), id);
      assert.equal(ours.find(-1, 0.5, -1), -1);
      assert.equal(ours.find(ours.caller[0]!, ours.offset[0]! + 2 ** 40, ours.callee[0]!), -1);
    }
  });
});
