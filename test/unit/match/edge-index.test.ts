/**
 * The typed-array indexes of a loaded profile (edge-index.ts, name-index.ts) answer every lookup
 * exactly as the string-keyed maps they replace (table-reference.ts): on the committed fixture
 * profiles and on seeded random profiles with generic instantiations, tied weights, negative and
 * beyond-32-bit offsets, self calls, and names with and without heat.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { EdgeIndex, edgeIndexOf } from '../../../src/match/edge-index';
import { HeatTable, type FunctionHeat } from '../../../src/pgo/heat-table';
import { loadProfileBytes } from '../../../src/pgo/load';
import { baseProfile, compareEdges, hotSet, type NamedEdge, type PgoProfile } from '../../../src/pgo/model';
import { fixtureProfiles, rng } from '../../fuzzing';
import { assertSameLookups } from './table-reference';

const PACKAGES = ['main', 'example.com/m/store', 'example.com/m/v2/codec%2ev2', 'internal/bytealg'];
const SHAPES = ['go.shape.int', 'go.shape.string', 'go.shape.[]uint8', 'go.shape.struct { X int "json:\\"x]\\"" }'];

/** A seeded profile: edges in ByWeight order (unique caller, offset, callee) and heat for part of the names. */
function randomProfile(seed: number): PgoProfile {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const names: string[] = [];
  for (const pkg of PACKAGES) {
    const n = 4 + Math.floor(r() * 8);
    for (let i = 0; i < n; i++) {
      const kind = r();
      if (kind < 0.4) names.push(`${pkg}.F${i}`);
      else if (kind < 0.55) names.push(`${pkg}.(*T${i}).Run`);
      else if (kind < 0.65) names.push(`${pkg}.F${i}.func${1 + Math.floor(r() * 2)}`);
      else {
        // a generic function with several instantiations (one key, several profile names)
        for (const s of SHAPES.slice(0, 1 + Math.floor(r() * SHAPES.length))) names.push(`${pkg}.G${i}[${s}]`);
        if (r() < 0.5) names.push(`${pkg}.(*List${i}[${pick(SHAPES)}]).Push`);
      }
    }
  }
  const seen = new Set<string>();
  const edges: NamedEdge[] = [];
  const want = 50 + Math.floor(r() * 400);
  for (let k = 0; k < want * 3 && edges.length < want; k++) {
    const caller = pick(names);
    const offset = r() < 0.1 ? pick([-3, 2 ** 33 + 1, 0]) : Math.floor(r() * 12);
    const callee = r() < 0.05 ? caller : pick(names);
    const key = `${caller}\u0000${offset}\u0000${callee}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ caller, offset, callee, weight: 1 + Math.floor(r() * (r() < 0.5 ? 4 : 1000)) });
  }
  edges.sort(compareEdges);
  const rows: FunctionHeat[] = names
    .filter(() => r() < 0.7)
    .map((name) => ({ name, file: 'x.go', startLine: 10, flat: Math.floor(r() * 50), cum: Math.floor(r() * 100), lines: [] }));
  return baseProfile('pprof', { edges, totalWeight: edges.reduce((s, e) => s + e.weight, 0), heat: HeatTable.fromRows(rows) });
}

describe('profile lookups as typed-array indexes', () => {
  it('equal the string-keyed maps on seeded random profiles', () => {
    const total = { sites: 0, multiEdgeSites: 0, hotSites: 0, generic: 0, probes: 0 };
    for (let seed = 1; seed <= 40; seed++) {
      const profile = randomProfile(seed);
      for (const threshold of [99, 60]) {
        const cov = assertSameLookups(profile, hotSet(profile, threshold));
        total.sites += cov.sites;
        total.multiEdgeSites += cov.multiEdgeSites;
        total.hotSites += cov.hotSites;
        total.generic += cov.genericKeysWithSeveralNames;
        total.probes += cov.probes;
      }
    }
    // The comparison exercised what can go wrong: several edges per site, cold and hot sites, generic keys, misses.
    assert.ok(total.multiEdgeSites > 100 && total.hotSites < total.sites && total.generic > 50 && total.probes > 1000, JSON.stringify(total));
  });

  it('equal the string-keyed maps on every committed fixture profile', () => {
    const files = fixtureProfiles();
    assert.ok(files.length >= 3, `fixture profiles: ${files.join(', ')}`);
    for (const file of files) {
      const { profile } = loadProfileBytes(fs.readFileSync(file));
      const cov = assertSameLookups(profile, hotSet(profile));
      assert.ok(cov.sites > 0 && cov.keys > 0, `${file}: ${JSON.stringify(cov)}`);
    }
  });

  it('handles a profile without edges and one edge list indexed twice', () => {
    const empty = new EdgeIndex([]);
    assert.equal(empty.siteCount, 0);
    assert.deepEqual(empty.at('main.f', 0), []);
    assert.deepEqual(empty.offsetsOf('main.f'), []);
    assert.equal(empty.isHotByKey('main.g[...]', 0, 1), false);
    const profile = randomProfile(7);
    assert.equal(edgeIndexOf(profile), edgeIndexOf({ edges: profile.edges }), 'one index per edge list');
    const grown = { edges: [...profile.edges] };
    const before = edgeIndexOf(grown);
    grown.edges.push({ caller: 'main.late', offset: 1, callee: 'main.f', weight: 1 });
    assert.notEqual(edgeIndexOf(grown), before, 'a list that grew is indexed again');
    assert.equal(edgeIndexOf(grown).weight('main.late', 1, 'main.f'), 1);
  });
});
