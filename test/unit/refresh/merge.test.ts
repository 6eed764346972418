import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadProfileBytes } from '../../../src/pgo/load';
import { compareEdges, type NamedEdge } from '../../../src/pgo/model';
import { serializePreprofile } from '../../../src/pgo/preprofile';
import { gunzip } from '../../../src/profile/inflate';
import { decodePprof } from '../../../src/profile/pprof';
import { mergeProfiles } from '../../../src/refresh/merge';
import { edgeCaseProfile, type SynthProfile, synthPprof } from '../../synth';

/** A second profile over partly the same code, with other location ids and function ids. */
function otherProfile(): SynthProfile {
  return {
    functions: [
      { id: 11, name: 'main.leaf', start: 40 },
      { id: 12, name: 'main.hot', start: 20 },
      { id: 13, name: 'main.inlined', start: 30 },
      { id: 14, name: 'main.main', start: 10 },
      { id: 15, name: 'main.other', start: 70 },
    ],
    locations: [
      { id: 101, address: 0x1000 + 3 * 16, lines: [[11, 41]] }, // = location 3 of edgeCaseProfile
      {
        id: 102,
        address: 0x1000 + 2 * 16,
        lines: [
          [13, 31],
          [12, 22],
        ],
      }, // = location 2
      { id: 103, address: 0x1000 + 1 * 16, lines: [[14, 12]] }, // = location 1
      { id: 104, address: 0x5000, lines: [[15, 72]] },
    ],
    samples: [
      { locs: [101, 102, 103], values: [10, 1e8] }, // same stack as the edge-case sample [3, 2, 1]
      { locs: [104, 103], values: [4, 4e7] },
      { locs: [101, 104], values: [0, 0] },
    ],
    durationNanos: 3e9,
  };
}

function edgeMapSum(...edgeLists: NamedEdge[][]): { edges: NamedEdge[]; totalWeight: number } {
  const m = new Map<string, NamedEdge>();
  for (const list of edgeLists) {
    for (const e of list) {
      const k = `${e.caller}\n${e.offset}\n${e.callee}`;
      const got = m.get(k);
      if (got) got.weight += e.weight;
      else m.set(k, { ...e });
    }
  }
  const edges = [...m.values()].sort(compareEdges);
  return { edges, totalWeight: edges.reduce((s, e) => s + e.weight, 0) };
}

describe('merge', () => {
  const a = synthPprof(edgeCaseProfile());
  const b = synthPprof(otherProfile());

  it('sums identical stacks across inputs and keeps start lines', async () => {
    const r = await mergeProfiles([
      { name: 'a', bytes: a },
      { name: 'b', bytes: b },
    ]);
    const p = decodePprof(gunzip(r.bytes), { keepSamples: true });
    const s = p.samples!;
    // stack [leaf, inlined-in-hot, main] at the same addresses in both inputs: one sample, values summed
    const names = (i: number): string =>
      Array.from(s.stack.subarray(s.stackStart[i]!, s.stackStart[i + 1]!))
        .map((l) => p.strings[p.functions.name[p.locations.lineFunc[p.locations.lineStart[l]!]!]!])
        .join(' ');
    const want = [] as number[];
    for (let i = 0; i < s.count; i++)
      if (names(i) === 'main.leaf main.inlined main.main' && p.locations.addrLo[s.stack[s.stackStart[i]!]!] === 0x1030) want.push(i);
    assert.equal(want.length, 1);
    assert.deepEqual([s.values[want[0]! * 2], s.values[want[0]! * 2 + 1]], [13, 13e7]); // 3 (a, unpacked) + 10 (b)
    // zero samples dropped: a's [3,2] zero sample and b's zero sample
    for (let i = 0; i < s.count; i++) assert.ok(s.values[i * 2]! !== 0 || s.values[i * 2 + 1]! !== 0);
    // functions deduplicated by (name, system name, file, start line), start lines kept
    const fns = new Map<string, number>();
    for (let f = 0; f < p.functions.count; f++) {
      const n = p.strings[p.functions.name[f]!]!;
      assert.ok(!fns.has(n), `duplicate function ${n}`);
      fns.set(n, p.functions.startLine[f]!);
    }
    assert.equal(fns.get('main.leaf'), 40);
    assert.equal(fns.get('main.other'), 70);
    assert.equal(fns.get('main.hot'), 20);
    assert.equal(p.durationNanos, 4_000_000_000n);
  });

  it('gives the compiler the sum of the edge maps', async () => {
    const r = await mergeProfiles([
      { name: 'a', bytes: a },
      { name: 'b', bytes: b },
    ]);
    const ea = loadProfileBytes(a).profile.edges;
    const eb = loadProfileBytes(b).profile.edges;
    const got = serializePreprofile(loadProfileBytes(r.bytes).profile).toString('latin1');
    assert.equal(got, serializePreprofile(edgeMapSum(ea, eb)).toString('latin1'));
    // merging a profile with itself doubles every weight
    const twice = await mergeProfiles([
      { name: 'a', bytes: a },
      { name: 'a again', bytes: a },
    ]);
    assert.equal(serializePreprofile(loadProfileBytes(twice.bytes).profile).toString('latin1'), serializePreprofile(edgeMapSum(ea, ea)).toString('latin1'));
  });

  it('normalizes by duration when asked', async () => {
    // a lasts 1 s, b 3 s: a's values are multiplied by 3
    const r = await mergeProfiles(
      [
        { name: 'a', bytes: a },
        { name: 'b', bytes: b },
      ],
      { normalize: true },
    );
    const ea = loadProfileBytes(a).profile.edges.map((e) => ({ ...e, weight: e.weight * 3 }));
    const eb = loadProfileBytes(b).profile.edges;
    assert.equal(serializePreprofile(r.loaded.profile).toString('latin1'), serializePreprofile(edgeMapSum(ea, eb)).toString('latin1'));
    assert.equal(decodePprof(gunzip(r.bytes)).durationNanos, 6_000_000_000n);
  });

  it('rejects mismatched sample types with a clear error', async () => {
    const heap = synthPprof({
      ...otherProfile(),
      sampleTypes: [
        ['alloc_objects', 'count'],
        ['alloc_space', 'bytes'],
      ],
    });
    await assert.rejects(
      () =>
        mergeProfiles([
          { name: 'cpu.pprof', bytes: a },
          { name: 'heap.pprof', bytes: heap },
        ]),
      /cannot merge heap\.pprof with cpu\.pprof: sample types differ \(alloc_objects\/count, alloc_space\/bytes vs samples\/count, cpu\/nanoseconds\)/,
    );
  });

  it('refuses to produce a profile without samples, garbage and preprofiles', async () => {
    const empty = synthPprof({ functions: [], locations: [], samples: [] });
    await assert.rejects(() => mergeProfiles([{ name: 'e', bytes: empty }]), /unusable for PGO/);
    await assert.rejects(() => mergeProfiles([{ name: 'junk.txt', bytes: Buffer.from('hello, this is not a profile\n') }]), /junk\.txt/);
    await assert.rejects(() => mergeProfiles([{ name: 'p', bytes: Buffer.from('GO PREPROFILE V1\n') }]), /cannot be merged/);
  });
});
