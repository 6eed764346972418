/**
 * Declaration-text hashes taken over from the previous version of a file (decl-hashes.ts) equal
 * hashing the text itself, for every line range of every version of a randomly edited text (so
 * ranges before, after and across each edit are asked, and most are taken over).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeclHashes } from '../../../src/source/decl-hashes';
import { textChange } from '../../../src/source/text-change';
import { hash53 } from '../../../src/source/hash';
import { rng } from '../../fuzzing';

/** [start, end) of each line and of each run of three lines from it: declaration-like ranges. */
function ranges(text: string): Array<[number, number]> {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < starts.length - 1; i++) {
    out.push([starts[i]!, starts[i + 1]!]);
    out.push([starts[i]!, starts[Math.min(starts.length - 1, i + 3)]!]);
  }
  return out;
}

describe('declaration hashes across versions', () => {
  it('equal hash53 of the text for every range after random edits, most taken over', () => {
    for (const seed of [1, 2, 3, 4]) {
      const rand = rng(seed);
      let text = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(i % 17)}`).join('\n') + '\n';
      let hashes = new DeclHashes(text);
      for (const [s, e] of ranges(text)) hashes.of(s, e);
      let asked = 0;
      let same = 0;
      for (let step = 0; step < 60; step++) {
        const at = Math.floor(rand() * text.length);
        const insert = ['', 'y', '\n', 'zz\nw', '\n\n', 'q', 'abc'][Math.floor(rand() * 7)]!;
        // a third of the edits type over the text (same length: only the offsets tell them apart)
        const kind = Math.floor(rand() * 3);
        const cut = kind === 0 ? insert.length : kind === 1 ? Math.floor(rand() * 40) : 0;
        const next = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + cut));
        const change = textChange(text, next);
        assert.equal(text.slice(0, change.start), next.slice(0, change.start));
        assert.equal(text.slice(change.oldEnd), next.slice(change.newEnd));
        hashes = new DeclHashes(next, { hashes: hashes.settled(), change });
        text = next;
        for (const [s, e] of ranges(text)) {
          assert.equal(hashes.of(s, e), hash53(text.slice(s, e)), `seed ${seed}, step ${step}, [${s}, ${e})`);
          asked++;
          if (e <= change.start || s >= change.newEnd) same++;
        }
      }
      // the edits left most ranges outside the change (the paths that take a hash over)
      assert.ok(same > asked / 2, `${same} of ${asked}`);
    }
  });
});
