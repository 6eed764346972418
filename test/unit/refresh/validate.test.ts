import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzip } from '../../../src/profile/inflate';
import { mergeProfiles } from '../../../src/refresh/merge';
import { validateForCompiler } from '../../../src/refresh/validate';
import { edgeCaseProfile, type SynthProfile, synthPprof } from '../../synth';

const withDuration = (p: SynthProfile, s: number): SynthProfile => ({ ...p, durationNanos: s * 1e9 });

describe('validateForCompiler', () => {
  it('accepts a CPU profile, with its facts and warnings', async () => {
    const v = await validateForCompiler(synthPprof(edgeCaseProfile()));
    assert.ok(v.ok);
    assert.equal(v.facts.format, 'pprof');
    assert.equal(v.facts.sampleType, 'samples/count');
    assert.equal(v.facts.samples, 32);
    assert.equal(v.facts.sampleRecords, 11);
    assert.equal(v.facts.durationNanos, 1e9);
    assert.ok(v.facts.totalWeight > 0 && v.facts.hotCallSites > 0);
    assert.deepEqual(v.warnings, ['only 32 samples: the hot call sites are mostly chance; profile longer for a stable profile']);
  });

  it('rejects an empty file and a profile without samples, saying what to do', async () => {
    const empty = await validateForCompiler(new Uint8Array(0));
    assert.ok(!empty.ok);
    assert.equal(empty.kind, 'empty');
    const none = await validateForCompiler(synthPprof({ ...edgeCaseProfile(), samples: [] }));
    assert.ok(!none.ok);
    assert.equal(none.kind, 'empty');
    assert.match(none.error, /no samples/);
    assert.match(none.advice, /longer/);
  });

  it("rejects what the compiler rejects, with the compiler's words and advice", async () => {
    const heap = await validateForCompiler(
      synthPprof({
        ...edgeCaseProfile(),
        sampleTypes: [
          ['alloc_objects', 'count'],
          ['alloc_space', 'bytes'],
        ],
      }),
    );
    assert.ok(!heap.ok);
    assert.equal(heap.kind, 'sample-type');
    assert.match(heap.error, /samples\/count/);
    assert.match(heap.advice, /CPU profile/);

    const p = edgeCaseProfile();
    const old = await validateForCompiler(synthPprof({ ...p, functions: p.functions.map((f) => ({ ...f, start: 0 })) }));
    assert.ok(!old.ok);
    assert.equal(old.kind, 'start-line');
    assert.match(old.error, /Function\.start_line/);

    const gz = gzip(synthPprof(p));
    const cut = await validateForCompiler(gz.subarray(0, gz.length - 9));
    assert.ok(!cut.ok);
    assert.equal(cut.kind, 'gzip');
  });

  it('warns about a profile without a duration', async () => {
    const v = await validateForCompiler(synthPprof(withDuration(edgeCaseProfile(), 0)));
    assert.ok(v.ok);
    assert.ok(v.warnings.some((w) => /no duration/.test(w)));
  });
});

describe('merge warnings', () => {
  const a = { name: 'a.pprof', bytes: synthPprof(withDuration(edgeCaseProfile(), 30)) };
  const b = { name: 'b.pprof', bytes: synthPprof(withDuration(edgeCaseProfile(), 10)) };
  const c = { name: 'c.pprof', bytes: synthPprof(withDuration(edgeCaseProfile(), 31)) };

  it('warns when durations differ and inputs are summed as they are', async () => {
    assert.deepEqual((await mergeProfiles([a, b])).warnings, [
      'durations differ: a.pprof covers 30 s, b.pprof 10 s; samples are summed, so the longer one weighs 3.0× more (collect equal durations, or merge with --normalize)',
    ]);
    assert.deepEqual((await mergeProfiles([a, c])).warnings, []);
    assert.deepEqual((await mergeProfiles([a, b], { normalize: true })).warnings, []);
    assert.deepEqual((await mergeProfiles([a])).warnings, []);
  });

  it('warns about inputs without a duration', async () => {
    const z = { name: 'z.pprof', bytes: synthPprof(withDuration(edgeCaseProfile(), 0)) };
    assert.deepEqual((await mergeProfiles([a, z])).warnings, ['z.pprof: no duration recorded; its weight relative to the other inputs is unknown']);
  });
});
