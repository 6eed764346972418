/**
 * The lean preprofile path (`preprofileFromPprof`: named edges written straight from the string
 * table's bytes) against the model's path (`serializePreprofile(modelFromPprof(...))`) and
 * against hand-computed edges: identical bytes on every committed fixture profile, on synthetic
 * edge cases (invalid UTF-8, empty and non-ASCII names, negative offsets and weights, no weight),
 * on an edited string table (the JS-string fallback) and on mutated inputs (same bytes or the same
 * error). test/oracle/preprofile-lean.test.ts compares it with `go tool preprofile`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelFromPprof } from '../../../src/pgo/model';
import { parsePreprofile, PREPROFILE_HEADER, serializePreprofile } from '../../../src/pgo/preprofile';
import { preprofileFromPprof } from '../../../src/pgo/preprofile-lean';
import { ProfileError } from '../../../src/profile/errors';
import { decodePprof } from '../../../src/profile/pprof';
import { corpus, mutate, rng } from '../../fuzzing';
import { edgeCaseProfile, synthPprof, type SynthProfile } from '../../synth';

/** The model path's bytes, or its error. */
function viaModel(raw: Uint8Array): Buffer | ProfileError {
  try {
    return serializePreprofile(modelFromPprof(decodePprof(raw, { heat: false }), { edgeGroups: false }));
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
}

function viaLean(raw: Uint8Array): Buffer | ProfileError {
  try {
    return preprofileFromPprof(decodePprof(raw, { heat: false }));
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
}

function assertSame(raw: Uint8Array, what: string): Buffer | ProfileError {
  const want = viaModel(raw);
  const got = viaLean(raw);
  if (want instanceof ProfileError) {
    assert.ok(got instanceof ProfileError, `${what}: the model rejects (${want.message}), the lean path accepts`);
    assert.equal(got.kind, want.kind, what);
    assert.equal(got.message, want.message, what);
  } else {
    assert.ok(Buffer.isBuffer(got), `${what}: the model accepts, the lean path rejects: ${(got as ProfileError).message}`);
    assert.ok(got.equals(want), `${what}: outputs differ (lean ${got.length} bytes, model ${want.length} bytes)`);
  }
  return got;
}

describe('lean preprofile path equals the model path', () => {
  it('every committed fixture profile (and the synthetic edge cases)', () => {
    const all = corpus();
    assert.ok(all.length >= 4, `expected the synthetic profile and at least 3 fixture profiles, found ${all.length}`);
    for (const { name, raw } of all) {
      const out = assertSame(raw, name);
      assert.ok(Buffer.isBuffer(out) && out.length > PREPROFILE_HEADER.length, `${name} has edges`);
    }
  });

  it('gives the hand-computed edges of the edge-case profile', () => {
    const out = viaLean(synthPprof(edgeCaseProfile()));
    assert.ok(Buffer.isBuffer(out));
    const e = parsePreprofile(out).edges.map((x) => `${x.caller}|${x.offset}|${x.callee}|${x.weight}`);
    assert.deepEqual(e, [
      'main.hot|2|main.inlined|14',
      'main.inlined|1|main.leaf|10',
      'example.com/p.(*T).M|1|main.leaf|7',
      'main.inlined|3|example.com/p.(*T).M|7',
      'main.main|2||2',
      '|0|main.main|1',
      'main.rec|3|main.rec|1',
    ]);
  });

  it('names with invalid UTF-8, non-ASCII and astral characters, negative offsets and weights', () => {
    const prof: SynthProfile = edgeCaseProfile();
    prof.functions.push(
      { id: 8, name: 'example.com/ü.Fünf', start: 70 },
      { id: 9, name: 'example.com/q.ZZbad', start: 90 },
      { id: 10, name: 'example.com/q.\u{1F600}', start: 100 },
      { id: 11, name: 'example.com/q.\uFF21', start: 110 },
    );
    prof.locations.push({ id: 10, lines: [[8, 65]] }, { id: 11, lines: [[9, 95]] }, { id: 12, lines: [[10, 101]] }, { id: 13, lines: [[11, 111]] });
    prof.samples.push(
      { locs: [11, 10], values: [3, 9007199254] },
      { locs: [10, 11], values: [1, 123456789012] },
      // equal weights: the astral name (F0 bytes) sorts after U+FF21 (EF bytes) in Go's byte order, before it in UTF-16
      { locs: [12, 1], values: [2, 2e7] },
      { locs: [13, 1], values: [2, 2e7] },
      { locs: [13, 12], values: [-1, -1e7] },
    );
    const raw = Buffer.from(synthPprof(prof));
    const at = raw.indexOf('ZZbad');
    assert.ok(at > 0);
    raw[at] = 0xff;
    raw[at + 1] = 0xc3;
    const out = assertSame(raw, 'bytes');
    assert.ok(Buffer.isBuffer(out));
    assert.ok(out.includes(Buffer.from([0xff, 0xc3, 0x62])), 'the invalid bytes are written back as they were');
    assert.ok(out.includes(Buffer.from('\n-5 ')), 'a negative offset');
    const astral = out.indexOf(Buffer.from('main.main\nexample.com/q.\u{1F600}'));
    const fullwidth = out.indexOf(Buffer.from('main.main\nexample.com/q.\uFF21'));
    assert.ok(astral > 0 && fullwidth > 0 && fullwidth < astral, 'Go byte order between the two equal-weight edges');
  });

  it('no samples, or weights that cancel out: the header alone; all weights zero: the same error', () => {
    const none: SynthProfile = { ...edgeCaseProfile(), samples: [] };
    assert.equal(String(assertSame(synthPprof(none), 'no samples')), PREPROFILE_HEADER);
    const cancel = edgeCaseProfile();
    cancel.samples = [
      { locs: [4, 5], values: [1, 1e7] }, // main.rec → main.rec
      { locs: [1, 6], values: [-1, -1e7] }, // runtime.main → main.main
    ];
    assert.equal(String(assertSame(synthPprof(cancel), 'cancel')), PREPROFILE_HEADER);
    const zero = edgeCaseProfile();
    for (const s of zero.samples) s.values = [0, 0];
    const err = assertSame(synthPprof(zero), 'zero');
    assert.ok(err instanceof ProfileError && err.kind === 'start-line', "no node kept: the compiler's missing start line error");
  });

  it('an edited string table is read as JS strings (the fallback) with the same result', () => {
    const raw = synthPprof(edgeCaseProfile());
    const p = decodePprof(raw, { heat: false });
    const q = decodePprof(raw, { heat: false });
    const renamed = (strings: string[]): void => {
      const i = strings.indexOf('main.leaf');
      assert.ok(i > 0);
      strings[i] = 'main.aaa';
    };
    renamed(p.strings);
    renamed(q.strings);
    const lean = preprofileFromPprof(p);
    assert.ok(lean.equals(serializePreprofile(modelFromPprof(q, { edgeGroups: false }))));
    assert.ok(lean.includes(Buffer.from('\nmain.aaa\n')) && !lean.includes(Buffer.from('main.leaf')), 'the edit is seen');
  });

  it('mutated profiles: identical bytes or the identical error', () => {
    const seeds = corpus();
    const r = rng(Number(process.env['FUZZ_SEED'] ?? 1414));
    const N = 300;
    let accepted = 0;
    for (let i = 0; i < N; i++) {
      const raw = mutate(seeds[i % seeds.length]!.raw, r);
      if (Buffer.isBuffer(assertSame(raw, `mutation ${i}`))) accepted++;
    }
    assert.ok(accepted > 0 && accepted < N, `both outcomes are exercised (${accepted} of ${N} accepted)`);
  });
});
