/**
 * Mutation fuzzing of the decoders: every mutated input must either load or fail with a
 * ProfileError — never another exception, a hang or runaway memory. Bounded by default;
 * `FUZZ_ITERATIONS=200000 npm test` for a long local run. Seeds: `FUZZ_SEED`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { loadProfileBytes } from '../../../src/pgo/load';
import { ProfileError } from '../../../src/profile/errors';
import { corpus, mutate, rng } from '../../fuzzing';

const ITERATIONS = Number(process.env['FUZZ_ITERATIONS'] ?? 1500);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261124);

describe('decoder fuzzing', () => {
  const inputs = corpus();
  it(`${ITERATIONS} mutated profiles load or fail with a ProfileError`, () => {
    const r = rng(SEED);
    let ok = 0;
    let rejected = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const base = inputs[i % inputs.length]!;
      let data = mutate(base.raw, r);
      if (i % 5 === 4) data = zlib.gzipSync(data); // valid gzip around a mutated protobuf
      if (i % 11 === 10) data = mutate(zlib.gzipSync(base.raw), r); // mutated gzip
      try {
        loadProfileBytes(data);
        ok++;
      } catch (e) {
        if (!(e instanceof ProfileError)) {
          assert.fail(`input ${i} (from ${base.name}, seed ${SEED}) threw ${(e as Error)?.stack ?? e}`);
        }
        rejected++;
      }
    }
    assert.equal(ok + rejected, ITERATIONS);
    assert.ok(rejected > 0, 'mutations should break some inputs');
  });
});
