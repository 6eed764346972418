/**
 * Go's string order for ranks (src/pgo/gofmt.ts goSortRanks): the multikey quicksort for plain
 * strings and the goStringCompare path for strings with surrogates, against ranks from sorting
 * the strings' Go bytes with Buffer.compare (equal strings by index).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goSortRanks } from '../../../src/pgo/gofmt';
import { encodeGoString } from '../../../src/profile/gostring';
import { rng } from '../../fuzzing';

function byteRanks(s: string[]): Int32Array {
  const bytes = s.map((x) => encodeGoString(x));
  const order = s.map((_, i) => i).sort((a, b) => Buffer.compare(bytes[a]!, bytes[b]!) || a - b);
  const rank = new Int32Array(s.length);
  order.forEach((v, i) => (rank[v] = i));
  return rank;
}

/** Names with long shared prefixes, duplicates, empty strings and non-ASCII code units. */
function names(r: () => number, n: number, units: string[]): string[] {
  const prefixes = ['', 'example.com/m07/cmd/compile/internal/ssa.', 'example.com/m07/cmd/compile/internal/ssa.(*Value).', 'runtime.'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (out.length > 0 && r() < 0.1) {
      out.push(out[Math.floor(r() * out.length)]!);
      continue;
    }
    let x = prefixes[Math.floor(r() * prefixes.length)]!;
    const len = Math.floor(r() * 6);
    for (let k = 0; k < len; k++) x += units[Math.floor(r() * units.length)]!;
    out.push(x);
  }
  return out;
}

describe('goSortRanks', () => {
  it('ranks plain strings in Go byte order, equal ones by index (sizes 0 to 3,000)', () => {
    const r = rng(5);
    for (const n of [0, 1, 2, 11, 12, 13, 50, 400, 3000]) {
      const s = names(r, n, ['a', 'b', 'z', 'A', '.', '_', 'é', '\uFF21', '\u00e9x']);
      assert.deepEqual([...goSortRanks(s)], [...byteRanks(s)], `n = ${n}`);
    }
  });

  it('ranks strings with astral characters and escaped bytes by their Go bytes', () => {
    const r = rng(6);
    const s = names(r, 600, ['a', 'b', '\uFF21', '\u{1F600}', '\udcff', 'é']);
    assert.ok(s.some((x) => /[\uD800-\uDFFF]/.test(x)));
    assert.deepEqual([...goSortRanks(s)], [...byteRanks(s)]);
  });

  it('sorts strings that share a 200,000-character prefix without running out of stack', () => {
    const long = 'p'.repeat(200_000);
    const s = Array.from({ length: 40 }, (_, i) => long + String.fromCharCode(97 + (i % 7)) + (i % 3 ? 'x' : ''));
    assert.deepEqual([...goSortRanks(s)], [...byteRanks(s)]);
  });
});
