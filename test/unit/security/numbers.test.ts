/**
 * Huge numbers and deep stacks (issue #13): start lines and lines beyond ±2^53 are a typed
 * `range` error in load, preprofile, merge and encode (they were "cannot encode -Infinity" and
 * `-Infinity` offsets), messages never say "Infinity", and a 200,000-frame sample merges and
 * encodes (it overflowed the call stack).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadProfileBytes } from '../../../src/pgo/load';
import { encodePprof } from '../../../src/profile/encode';
import { isProfileError } from '../../../src/profile/errors';
import { decodePprof } from '../../../src/profile/pprof';
import { gunzip } from '../../../src/profile/inflate';
import { mergeProfiles } from '../../../src/refresh/merge';
import { ProtoWriter, WIRE_BYTES } from '../../../src/profile/wire';
import { type SynthProfile, synthPprof } from '../../synth';

function prof(start: number | bigint, line: number | bigint, depth = 2): SynthProfile {
  const locs: number[] = [];
  for (let i = 0; i < depth; i++) locs.push(i % 2 ? 2 : 1);
  return {
    functions: [
      { id: 1, name: 'main.a', start },
      { id: 2, name: 'main.b', start: 10 },
    ],
    locations: [
      { id: 1, lines: [[1, line]] },
      { id: 2, lines: [[2, 12]] },
    ],
    samples: [{ locs, values: [5, 5e6] }],
  };
}

const isRange =
  (re: RegExp) =>
  (e: unknown): boolean =>
    isProfileError(e) && e.kind === 'range' && re.test(e.message) && !/Infinity/.test(e.message);

describe('huge numbers and deep stacks', () => {
  for (const [name, start, line, what] of [
    ['start line 2^60', 2n ** 60n, 2n ** 60n + 3n, /start line beyond 2\^53/],
    ['start line -2^60', -(2n ** 60n), 5, /start line beyond -2\^53/],
    ['line 2^62', 10, 2n ** 62n, /line beyond 2\^53/],
  ] as const) {
    it(`${name}: a typed range error from load/preprofile and merge, never Infinity`, async () => {
      const bytes = synthPprof(prof(start, line));
      assert.throws(() => loadProfileBytes(bytes), isRange(what));
      await assert.rejects(() => mergeProfiles([{ name: 'in.pprof', bytes }]), isRange(/in\.pprof: .*beyond -?2\^53, which cannot be represented exactly/));
      const decoded = decodePprof(bytes, { keepSamples: true });
      assert.throws(() => encodePprof(decoded), isRange(/beyond -?2\^53/));
    });
  }

  it('a field declaring 2^64-1 bytes is named exactly', () => {
    const w = new ProtoWriter();
    w.tag(6, WIRE_BYTES);
    w.varint64(0xffffffff, 0xffffffff);
    assert.throws(
      () => decodePprof(w.finish()),
      (e: unknown) => isProfileError(e) && /declares 18446744073709551615 bytes, more than the limit of 1073741824/.test(e.message),
    );
  });

  it('a function ID beyond 2^53 is named without Infinity', () => {
    const p = prof(3, 4);
    p.locations[0]!.lines = [[2n ** 60n, 4]];
    assert.throws(
      () => loadProfileBytes(synthPprof(p)),
      (e: unknown) => isProfileError(e) && /Function ID beyond 2\^53 not found/.test(e.message),
    );
  });

  it('a 200,000-frame sample merges, encodes and decodes back', async () => {
    const bytes = synthPprof(prof(3, 4, 200_000));
    const r = await mergeProfiles([{ name: 'deep', bytes }]);
    const back = decodePprof(gunzip(r.bytes), { keepSamples: true });
    assert.equal(back.samples!.stackStart[1]! - back.samples!.stackStart[0]!, 200_000);
    assert.ok(encodePprof(back).length > 200_000);
  });
});
