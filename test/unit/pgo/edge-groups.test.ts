/**
 * The edge groups the model records while it walks the pairs (model.ts, edge-groups.ts) against a
 * straightforward replay: per folded pair, the frames of its two locations by name, address, start
 * line and line, each consecutive pair of distinct frames looked up by (caller, offset, callee)
 * among the named edges. Real fixture profiles, the edge-case profile, mutated inputs and random
 * profiles with negative values (nodes whose weights cancel are dropped from the named map).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePprof, type PprofProfile } from '../../../src/profile/pprof';
import { ProfileError } from '../../../src/profile/errors';
import { chooseValueIndex, modelFromPprof, type NamedEdge } from '../../../src/pgo/model';
import type { EdgeGroups } from '../../../src/pgo/edge-groups';
import { corpus, mutate, rng } from '../../fuzzing';
import { CPU_TYPES, synthPprof, type SynthProfile } from '../../synth';

function replay(p: PprofProfile, vi: number, edges: readonly NamedEdge[]): EdgeGroups {
  const key = (caller: string, offset: number, callee: string): string => `${caller}\x00${offset}\x00${callee}`;
  const index = new Map<string, number>();
  edges.forEach((e, i) => index.set(key(e.caller, e.offset, e.callee), i));
  const { locations: locs, functions: fns, strings } = p;
  type Frame = { name: string; start: number; line: number; id: string };
  const frames = (l: number): Frame[] => {
    const res: Frame[] = [];
    const a = locs.lineStart[l]!;
    const b = locs.lineStart[l + 1]!;
    const addr = `${locs.addrHi[l]}:${locs.addrLo[l]}`;
    if (a === b) res.push({ name: '', start: 0, line: 0, id: `\x00${addr}:0:0` });
    for (let i = b - 1; i >= a; i--) {
      const f = locs.lineFunc[i]!;
      const name = f < 0 ? '' : strings[fns.name[f]!]!;
      const st = f < 0 ? 0 : fns.startLine[f]!;
      const line = f < 0 ? 0 : locs.lineLine[i]!;
      res.push({ name, start: st, line, id: `${name}\x00${addr}:${st}:${line}` });
    }
    return res;
  };
  const value: number[] = [];
  const start: number[] = [0];
  const out: number[] = [];
  for (let pi = 0; pi < p.pairs.count; pi++) {
    const w = p.pairs.values[pi * p.nValues + vi]!;
    if (w === 0) continue;
    const c = p.pairs.caller[pi]!;
    const seq = [...(c >= 0 ? frames(c) : []), ...frames(p.pairs.leaf[pi]!)];
    const seen = new Set<number>();
    for (let i = 1; i < seq.length; i++) {
      const parent = seq[i - 1]!;
      const node = seq[i]!;
      if (node.id === parent.id) continue;
      const e = index.get(key(parent.name, parent.line - parent.start, node.name));
      if (e !== undefined && !seen.has(e)) {
        seen.add(e);
        out.push(e);
      }
    }
    if (seen.size === 0) continue;
    value.push(w);
    start.push(out.length);
  }
  return { count: value.length, value: Float64Array.from(value), start: Int32Array.from(start), edge: Int32Array.from(out) };
}

/** Compares the model's groups with the replay; false when the input is rejected. */
function check(raw: Uint8Array, what: string): boolean {
  let p: PprofProfile;
  let model;
  try {
    p = decodePprof(raw);
    model = modelFromPprof(p);
  } catch (e) {
    if (e instanceof ProfileError) return false;
    throw e;
  }
  const vi = chooseValueIndex(p.sampleTypes);
  const want = vi < 0 || p.sampleCount === 0 ? undefined : replay(p, vi, model.edges);
  const got = model.edgeGroups;
  if (want === undefined) return true;
  assert.ok(got, `${what}: no groups`);
  assert.equal(got.count, want.count, `${what}: group count`);
  assert.deepEqual([...got.value], [...want.value], `${what}: values`);
  assert.deepEqual([...got.start], [...want.start], `${what}: offsets`);
  assert.deepEqual([...got.edge], [...want.edge], `${what}: edges`);
  return true;
}

function randomProfile(r: () => number): SynthProfile {
  const names = ['main.a', 'main.b', 'main.c', 'p.(*T).M', 'p.f', ''];
  const functions = names.map((name, i) => ({ id: i + 1, name, start: 10 * (i + 1) }));
  const locations = Array.from({ length: 12 }, (_, i) => ({
    id: i + 1,
    address: r() < 0.5 ? 0x1000 : 0x1000 + i, // shared addresses merge nodes by name
    lines: Array.from({ length: Math.floor(r() * 3) }, () => [1 + Math.floor(r() * functions.length), 10 + Math.floor(r() * 60)] as [number, number]),
  }));
  const samples = Array.from({ length: 1 + Math.floor(r() * 30) }, () => {
    const v = Math.floor(r() * 7) - 2; // negative and zero values too
    return { locs: Array.from({ length: 1 + Math.floor(r() * 4) }, () => 1 + Math.floor(r() * locations.length)), values: [v, v * 1000] };
  });
  return { sampleTypes: CPU_TYPES, functions, locations, samples };
}

describe('edge groups recorded by the model', () => {
  it('equal the replay on the fixture profiles and the edge-case profile', () => {
    for (const c of corpus()) assert.ok(check(c.raw, c.name), `${c.name} should load`);
  });

  it('equal the replay on mutated inputs that still load', () => {
    const r = rng(20261207);
    const inputs = corpus();
    let loaded = 0;
    for (let i = 0; i < 400; i++) if (check(mutate(inputs[i % inputs.length]!.raw, r), `mutation ${i}`)) loaded++;
    assert.ok(loaded > 15, `only ${loaded} mutated inputs loaded`);
  });

  it('equal the replay on random profiles with merged addresses, recursion and cancelling values', () => {
    const r = rng(7);
    let loaded = 0;
    let negative = 0;
    for (let i = 0; i < 300; i++) {
      const raw = synthPprof(randomProfile(r));
      if (!check(raw, `random ${i}`)) continue;
      loaded++;
      const p = decodePprof(raw);
      if (p.pairs.values.some((v) => v < 0)) negative++;
    }
    assert.ok(loaded > 200, `only ${loaded} random profiles loaded`);
    assert.ok(negative > 50, `only ${negative} loaded random profiles have negative pair values`);
  });
});

describe('a model without edge groups (preprofile, hot)', () => {
  it('has the same edges and totals and no groups, on the fixture and random profiles', () => {
    const r = rng(11);
    const inputs = [
      ...corpus().map((c) => ({ name: c.name, raw: c.raw })),
      ...Array.from({ length: 100 }, (_, i) => ({ name: `random ${i}`, raw: synthPprof(randomProfile(r)) })),
    ];
    let compared = 0;
    for (const { name, raw } of inputs) {
      let withGroups;
      try {
        withGroups = modelFromPprof(decodePprof(raw));
      } catch (e) {
        if (e instanceof ProfileError) continue;
        throw e;
      }
      const without = modelFromPprof(decodePprof(raw), { edgeGroups: false });
      assert.equal(without.edgeGroups, undefined, name);
      assert.deepEqual(without.edges, withGroups.edges, name);
      assert.equal(without.totalWeight, withGroups.totalWeight, name);
      assert.equal(without.emptyReason, withGroups.emptyReason, name);
      compared++;
    }
    assert.ok(compared > 60, `only ${compared} profiles compared`);
  });
});
