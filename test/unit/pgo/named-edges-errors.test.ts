/**
 * Which error the named-edge build reports when several locations are bad: the one the walk over
 * the folded pairs meets first (per pair: an undefined location, then the caller's lines, then the
 * leaf's), although the graph's nodes are made in location order. Location indices follow first
 * reference (the leaf before its caller), so these profiles put the two orders apart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildNamedEdges } from '../../../src/pgo/named-edges';
import { ProfileError } from '../../../src/profile/errors';
import { decodePprof } from '../../../src/profile/pprof';
import { synthPprof, type SynthProfile } from '../../synth';

const BIG = 2n ** 60n;

function profile(samples: SynthProfile['samples']): SynthProfile {
  return {
    functions: [
      { id: 1, name: 'main.ok', start: 10 },
      { id: 2, name: 'main.badLeaf', start: BIG },
      { id: 3, name: 'main.badCaller', start: BIG },
    ],
    locations: [
      { id: 1, address: 0x1000, lines: [[1, 12]] },
      { id: 2, address: 0x2000, lines: [[2, 5]] },
      { id: 3, address: 0x3000, lines: [[3, 7]] },
    ],
    samples,
  };
}

function errorOf(p: SynthProfile): ProfileError {
  const decoded = decodePprof(synthPprof(p), { heat: false });
  try {
    buildNamedEdges(decoded, 1, { edgeGroups: false });
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
  assert.fail('no error');
}

describe('named edges: the first error in pair order', () => {
  it('the caller of a pair before its leaf, though the leaf has the lower location index', () => {
    const e = errorOf(profile([{ locs: [2, 3], values: [1, 10] }]));
    assert.equal(e.kind, 'range');
    assert.match(e.message, /main\.badCaller/);
  });

  it('an earlier pair before a later one, whatever their locations', () => {
    const e = errorOf(
      profile([
        { locs: [1, 1], values: [1, 10] },
        { locs: [1, 2], values: [1, 10] },
        { locs: [3, 1], values: [1, 10] },
      ]),
    );
    assert.match(e.message, /main\.badLeaf/);
  });

  it('a bad line before an undefined location, and an undefined location before a bad line', () => {
    const lineFirst = errorOf(
      profile([
        { locs: [1, 3], values: [1, 10] },
        { locs: [9, 1], values: [1, 10] },
      ]),
    );
    assert.equal(lineFirst.kind, 'range');
    assert.match(lineFirst.message, /main\.badCaller/);
    const undefinedFirst = errorOf(
      profile([
        { locs: [9, 1], values: [1, 10] },
        { locs: [1, 3], values: [1, 10] },
      ]),
    );
    assert.equal(undefinedFirst.kind, 'malformed');
    assert.match(undefinedFirst.message, /location id 9/);
  });

  it('pairs without weight are not walked', () => {
    const e = errorOf(
      profile([
        { locs: [1, 3], values: [1, 0] },
        { locs: [1, 2], values: [1, 10] },
      ]),
    );
    assert.match(e.message, /main\.badLeaf/);
  });
});
