/**
 * Structure-aware fuzzing of load, merge, encode and rewrite (issue #13: 119 of 10,119 inputs that
 * load threw untyped RangeErrors in merge/encode). Random profiles with odd numbers (zero,
 * negative and huge lines and start lines, ids beyond 2^53, missing functions, deep stacks, zero
 * weights), sometimes byte-mutated. Properties: every step either succeeds or fails with a typed
 * error (ProfileError, or merge's own message) — never a RangeError or TypeError; merging one
 * profile and re-encoding it keep the compiler's model (edges and weights); a rewrite keeps the
 * total weight. Bounded in npm test; `FUZZ_ITERATIONS=20000` for a long run, `FUZZ_SEED` to vary.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rewritePprof, encodeValidated } from '../../../src/match/rewrite';
import { loadProfileBytes } from '../../../src/pgo/load';
import type { PgoProfile } from '../../../src/pgo/model';
import { encodePprof } from '../../../src/profile/encode';
import { ProfileError } from '../../../src/profile/errors';
import { decodePprof } from '../../../src/profile/pprof';
import { mergeProfiles } from '../../../src/refresh/merge';
import { mutate, rng } from '../../fuzzing';
import { type SynthProfile, synthPprof } from '../../synth';

const ITERATIONS = Math.max(1, Math.floor(Number(process.env['FUZZ_ITERATIONS'] ?? 1500) / 3));
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261207);

function randomProfile(r: () => number): SynthProfile {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (n: number): number => Math.floor(r() * n);
  const oddLine = (): number | bigint => pick<number | bigint>([0, 1, int(500), -int(50), 2 ** 31, 2 ** 53 - 1, 2n ** 53n + 1n, 2n ** 60n, -(2n ** 60n)]);
  const nf = 1 + int(6);
  const functions = Array.from({ length: nf }, (_, i) => ({
    id: i + 1,
    name: pick(['main.main', 'main.f', 'main.(*T).m', 'pkg.g[...]', 'main.f.func1', '']) + (i ? `.${i}` : ''),
    start: r() < 0.85 ? 1 + int(200) : oddLine(),
  }));
  const nl = 1 + int(8);
  const locations = Array.from({ length: nl }, (_, i) => ({
    id: i + 1,
    lines: Array.from(
      { length: 1 + int(3) },
      () => [r() < 0.95 ? 1 + int(nf) : pick<number | bigint>([nf + 7, 2n ** 60n]), r() < 0.9 ? 1 + int(400) : oddLine()] as [number | bigint, number | bigint],
    ),
  }));
  const samples = Array.from({ length: 1 + int(6) }, () => {
    const depth = r() < 0.02 ? 3000 + int(3000) : 1 + int(12);
    return { locs: Array.from({ length: depth }, () => 1 + int(nl)), values: [int(3) === 0 ? 0 : 1 + int(1000), r() < 0.05 ? 2 ** 52 : int(1e9)] };
  });
  return { functions, locations, samples, durationNanos: 1e9 };
}

function model(p: PgoProfile): string {
  return JSON.stringify([p.totalWeight, p.edges.map((e) => [e.caller, e.offset, e.callee, e.weight])]);
}

/** Fails the test for anything but a typed error. */
function typed(step: string, i: number, e: unknown): void {
  if (e instanceof ProfileError) return;
  const err = e as Error;
  if (err instanceof Error && err.constructor === Error && !/^internal/.test(err.message)) return; // merge's own messages
  assert.fail(`input ${i} (seed ${SEED}): ${step} threw ${err?.stack ?? e}`);
}

describe('fuzzing load, merge, encode and rewrite', () => {
  it(`${ITERATIONS} random and mutated profiles: typed errors only, models kept`, async () => {
    const r = rng(SEED);
    const counts = { loaded: 0, merged: 0, rewritten: 0, rejected: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      let bytes: Uint8Array = synthPprof(randomProfile(r));
      if (i % 4 === 3) bytes = mutate(bytes, r);
      let before: PgoProfile;
      try {
        before = loadProfileBytes(bytes).profile;
        counts.loaded++;
      } catch (e) {
        typed('load', i, e);
        counts.rejected++;
        continue;
      }
      try {
        const m = await mergeProfiles([{ name: 'in', bytes }]);
        assert.equal(model(loadProfileBytes(m.bytes).profile), model(before), `input ${i}: merging one profile changed its model`);
        counts.merged++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        typed('merge', i, e);
      }
      try {
        const p = decodePprof(bytes, { keepSamples: true });
        assert.equal(model(loadProfileBytes(encodePprof(p)).profile), model(before), `input ${i}: encoding changed the model`);
        const from = before.edges[0]?.caller;
        if (from) {
          const plan = { renames: new Map([[from, `${from}Renamed`]]), realign: new Map() };
          rewritePprof(p, plan);
          const { profile } = encodeValidated(p, before, plan);
          assert.equal(profile.totalWeight, before.totalWeight);
          counts.rewritten++;
        }
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        typed('encode/rewrite', i, e);
      }
    }
    console.log(`fuzz (seed ${SEED}): ${JSON.stringify(counts)}`);
    assert.ok(counts.merged > ITERATIONS / 10 && counts.rewritten > 0 && counts.rejected > 0, JSON.stringify(counts));
  });
});
