/**
 * Mutation fuzzing of the decoders: every mutated input must either load or fail with a
 * ProfileError — never another exception, a hang or runaway memory. Bounded by default;
 * `FUZZ_ITERATIONS=200000 npm test` for a long local run. Seeds: `FUZZ_SEED`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { loadProfileBytes } from '../../../src/pgo/load';
import { ProfileError } from '../../../src/profile/errors';
import { fixturesDir } from '../../paths';
import { edgeCaseProfile, synthPprof } from '../../synth';

const ITERATIONS = Number(process.env['FUZZ_ITERATIONS'] ?? 1500);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261124);

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real profiles committed with the fixtures, plus the synthetic edge-case profile. */
export function corpus(): Array<{ name: string; raw: Uint8Array }> {
  const out = [{ name: 'synthetic', raw: synthPprof(edgeCaseProfile()) }];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'default.pgo') {
        const b = fs.readFileSync(p);
        out.push({ name: path.relative(fixturesDir, p), raw: b[0] === 0x1f ? zlib.gunzipSync(b) : b });
      }
    }
  };
  walk(fixturesDir);
  return out;
}

export function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = Buffer.from(src);
  const n = 1 + Math.floor(r() * 4);
  let out: Buffer = b;
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * out.length);
    switch (Math.floor(r() * 7)) {
      case 0: // bit flip
        out[at] = out[at]! ^ (1 << Math.floor(r() * 8));
        break;
      case 1: // random byte
        out[at] = Math.floor(r() * 256);
        break;
      case 2: // truncate
        out = out.subarray(0, at);
        break;
      case 3: // insert random bytes
        out = Buffer.concat([out.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256))), out.subarray(at)]);
        break;
      case 4: // huge varint
        out = Buffer.concat([out.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), out.subarray(at)]);
        break;
      case 5: {
        // duplicate a slice (repeats fields)
        const len = Math.floor(r() * 64);
        out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + len), out.subarray(at)]);
        break;
      }
      default: // delete a slice
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + Math.floor(r() * 32))]);
    }
    if (out.length === 0) break;
  }
  return out;
}

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
