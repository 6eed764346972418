/** Unit tests for the profile trimmer (no Go needed; the oracle compares with go tool preprofile). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadProfileBytes } from '../../../src/pgo/load';
import { serializePreprofile } from '../../../src/pgo/preprofile';
import { encodePprof } from '../../../src/profile/encode';
import { trimPprof } from '../../../src/profile/trim';
import { edgeCaseProfile, synthPprof } from '../../synth';

function withExtras(): Uint8Array {
  const p = edgeCaseProfile();
  // A function and a location no sample uses, and a deep-only frame (runtime.main at depth 4).
  p.functions.push({ id: 99, name: 'main.unused', start: 90, file: 'unused.go' });
  p.locations.push({ id: 99, lines: [[99, 91]] });
  return synthPprof(p);
}

describe('trimPprof', () => {
  it('keeps the compiler edges and drops unreferenced functions, locations and strings', () => {
    const raw = withExtras();
    const full = loadProfileBytes(raw, { keepSamples: true });
    const t = trimPprof(full.pprof!, 'pgo');
    const back = loadProfileBytes(encodePprof(t.profile));
    assert.ok(serializePreprofile(back.profile).equals(serializePreprofile(full.profile)));
    assert.ok(!t.profile.strings.includes('main.unused'));
    assert.ok(!t.profile.strings.includes('unused.go'));
    assert.equal(t.profile.locations.count, 8, 'location 99 and the deep-only location 6 are dropped');
    assert.ok(!back.pprof!.strings.includes('runtime.main'), 'runtime.main only appears at depth ≥ 3');
    assert.deepEqual(
      [...back.pprof!.valueTotals],
      [...full.pprof!.valueTotals.map((v, i) => v - (i === 0 ? 1 : 1e7))],
      'only the location-less sample is gone',
    );
  });
  it('stacks mode keeps every stack and its totals, drops unused entries', () => {
    const full = loadProfileBytes(withExtras(), { keepSamples: true });
    const t = trimPprof(full.pprof!, 'stacks');
    const back = loadProfileBytes(encodePprof(t.profile), { keepSamples: true });
    assert.equal(back.pprof!.samples!.count, full.pprof!.samples!.count);
    assert.deepEqual([...back.pprof!.valueTotals], [...full.pprof!.valueTotals]);
    assert.ok(back.pprof!.strings.includes('runtime.main'));
    assert.ok(!back.pprof!.strings.includes('main.unused'));
    assert.ok(serializePreprofile(back.profile).equals(serializePreprofile(full.profile)));
  });
  it('refuses the stacks mode without the samples', () => {
    const p = loadProfileBytes(withExtras()).pprof!;
    assert.throws(() => trimPprof(p, 'stacks'), /keepSamples/);
  });
});
