/** Hiding edges: the samples whose two leaf-most frames make the edge go, nothing else (no Go needed; the oracle builds with the result). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { excludeEdges } from '../../../src/evaluate/exclude';
import { loadProfileBytes } from '../../../src/pgo/load';
import { encodePprof } from '../../../src/profile/encode';
import { edgeCaseProfile, synthPprof } from '../../synth';

describe('excludeEdges', () => {
  it('drops the samples making main.inlined:+1 → main.leaf (both leaf addresses), keeps the rest', () => {
    const raw = synthPprof(edgeCaseProfile());
    const before = loadProfileBytes(raw, { keepSamples: true });
    const edge = { caller: 'main.inlined', offset: 1, callee: 'main.leaf' };
    assert.ok(before.profile.edges.some((e) => e.caller === edge.caller && e.offset === edge.offset && e.callee === edge.callee));
    const stats = excludeEdges(before.pprof!, [edge]);
    // [3,2,1,6], [3,2,1], [8,2,1] and the zero-weight [3,2]: location 2 inlines main.inlined (line 31) into main.hot.
    assert.equal(stats.samplesDropped, 4);
    assert.deepEqual(stats.valuesDropped, [10, 10e7]);
    const after = loadProfileBytes(encodePprof(before.pprof!)).profile;
    assert.ok(!after.edges.some((e) => e.caller === edge.caller && e.offset === edge.offset && e.callee === edge.callee));
    const key = (e: { caller: string; offset: number; callee: string }): string => `${e.caller} ${e.offset} ${e.callee}`;
    const old = new Map(before.profile.edges.map((e) => [key(e), e.weight]));
    for (const e of after.edges) assert.ok(e.weight <= old.get(key(e))!, key(e));
    // main.inlined:+3 → (*T).M comes from location 9 and is untouched.
    assert.ok((old.get('main.inlined 3 example.com/p.(*T).M') ?? 0) > 0);
    assert.equal(after.edges.find((e) => key(e) === 'main.inlined 3 example.com/p.(*T).M')?.weight, old.get('main.inlined 3 example.com/p.(*T).M'));
  });
});
