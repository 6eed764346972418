/** Rejection messages with the numbers Go prints (issue #13: "2 values vs. 2 types" where Go says 1 vs 2). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadProfileBytes } from '../../../src/pgo/load';
import { synthPprof } from '../../synth';
import { goPreprofile, requireGo, tmpDir } from '../goenv';

const opts = requireGo();

describe('value-count mismatch, against go tool preprofile', opts, () => {
  const dir = tmpDir('mismatch');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const functions = [
    { id: 1, name: 'main.a', start: 3 },
    { id: 2, name: 'main.b', start: 10 },
  ];
  const locations = [
    { id: 1, lines: [[1, 4]] as Array<[number, number]> },
    { id: 2, lines: [[2, 12]] as Array<[number, number]> },
  ];
  const cases: Array<[string, number[][]]> = [
    ['first sample short', [[5], [5, 5e6]]],
    [
      'second sample long',
      [
        [5, 5e6],
        [5, 5e6, 7],
      ],
    ],
    [
      'first sample long',
      [
        [5, 5e6, 1],
        [5, 5e6],
      ],
    ],
    ['all samples short', [[5], [6]]],
  ];
  for (const [name, values] of cases) {
    it(`${name}: the same numbers as Go`, () => {
      const bytes = synthPprof({ functions, locations, samples: values.map((v) => ({ locs: [1, 2], values: v })) });
      const f = path.join(dir, `${name.replace(/\W+/g, '_')}.pprof`);
      fs.writeFileSync(f, bytes);
      const g = goPreprofile(f);
      assert.ok(!g.ok);
      const go = /mismatch: sample has: \d+ values vs\. \d+ types/.exec(g.err)?.[0];
      assert.ok(go, g.err);
      assert.throws(
        () => loadProfileBytes(bytes),
        (e: Error) => e.message.includes(go) || assert.fail(`${e.message} vs Go: ${go}`),
      );
    });
  }
});
