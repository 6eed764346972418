/**
 * The worker's profile lookups as they were before the typed-array indexes (string-keyed maps of
 * arrays), kept as the reference the indexes must agree with on every site, caller, name and
 * prefix; `assertSameLookups` compares the two on one profile.
 */
import assert from 'node:assert/strict';
import { type HotSet, type NamedEdge, type PgoProfile, siteKey } from '../../../src/pgo/model';
import { genericKey, splitSymbol } from '../../../src/source/index';
import { profileData } from '../../../src/match/profile-data';

interface ReferenceTables {
  bySite: Map<string, NamedEdge[]>;
  namesByKey: Map<string, string[]>;
  offsetsByCaller: Map<string, number[]>;
  prefixWeight: Map<string, number>;
  edgePrefixes: Set<string>;
  /** `siteKey(genericKey(caller), offset)` of the hot sites (matchBinary's `hotSitesG`). */
  hotSitesByKey: Set<string>;
}

/** The old `profileData` tables, verbatim in meaning. */
export function referenceTables(profile: PgoProfile, hot: HotSet): ReferenceTables {
  const namesByKey = new Map<string, string[]>();
  const addName = (n: string): void => {
    const k = genericKey(n);
    const list = namesByKey.get(k);
    if (!list) namesByKey.set(k, [n]);
    else if (!list.includes(n)) list.push(n);
  };
  const prefixWeight = new Map<string, number>();
  const addWeight = (n: string, w: number): void => {
    const p = splitSymbol(n).prefix;
    prefixWeight.set(p, (prefixWeight.get(p) ?? 0) + w);
  };
  const heat = profile.heat;
  for (let i = 0; i < heat.count; i++) {
    addName(heat.names[i]!);
    addWeight(heat.names[i]!, heat.flat[i]!);
  }
  const offsetsByCaller = new Map<string, number[]>();
  const edgePrefixes = new Set<string>();
  for (const e of profile.edges) {
    edgePrefixes.add(splitSymbol(e.caller).prefix);
    edgePrefixes.add(splitSymbol(e.callee).prefix);
    addName(e.caller);
    addName(e.callee);
    addWeight(e.caller, e.weight);
    if (e.callee !== e.caller) addWeight(e.callee, 0);
    const offs = offsetsByCaller.get(e.caller);
    if (!offs) offsetsByCaller.set(e.caller, [e.offset]);
    else if (!offs.includes(e.offset)) offs.push(e.offset);
  }
  const hotSitesByKey = new Set(hot.hotEdges.map((e) => siteKey(genericKey(e.caller), e.offset)));
  return { bySite: calleesBySite(profile), namesByKey, offsetsByCaller, prefixWeight, edgePrefixes, hotSitesByKey };
}

/** What the comparison covered (so a test can check it was not vacuous). */
export interface Coverage {
  sites: number;
  multiEdgeSites: number;
  hotSites: number;
  callers: number;
  keys: number;
  genericKeysWithSeveralNames: number;
  probes: number;
}

/** Every lookup of the new ProfileData equals the reference's, on all sites, callers and names, plus misses. */
export function assertSameLookups(profile: PgoProfile, hot: HotSet): Coverage {
  const ref = referenceTables(profile, hot);
  const data = profileData('p.pgo', profile, hot);
  const cov: Coverage = { sites: 0, multiEdgeSites: 0, hotSites: 0, callers: 0, keys: 0, genericKeysWithSeveralNames: 0, probes: 0 };
  const n = hot.hotCount;
  const hotSites = new Set(hot.hotEdges.map((e) => siteKey(e.caller, e.offset))); // every call at a hot site is hot
  for (const [k, edges] of ref.bySite) {
    const z = k.lastIndexOf('\u0000');
    const caller = k.slice(0, z);
    const offset = Number(k.slice(z + 1));
    const got = data.sites.at(caller, offset);
    assert.equal(got.length, edges.length, `edges at ${caller}:${offset}`);
    got.forEach((e, i) => assert.equal(e, edges[i], `edge ${i} at ${caller}:${offset} (same object, same order)`));
    for (const e of edges) assert.equal(data.sites.weight(caller, offset, e.callee), e.weight);
    assert.equal(data.sites.weight(caller, offset, `${edges[0]!.callee}·absent`), 0);
    assert.equal(
      data.sites.siteWeight(caller, offset),
      edges.reduce((s, x) => s + x.weight, 0),
    );
    const isHot = hotSites.has(k);
    assert.equal(data.sites.isHot(caller, offset, n), isHot, `hot site ${caller}:${offset}`);
    assert.equal(data.sites.isHotByKey(genericKey(caller), offset, n), ref.hotSitesByKey.has(siteKey(genericKey(caller), offset)));
    cov.sites++;
    if (edges.length > 1) cov.multiEdgeSites++;
    if (isHot) cov.hotSites++;
    // Misses next to a present site: the neighbouring offsets when absent, another caller.
    for (const off of [offset - 1, offset + 1, offset + 0.5]) {
      if (ref.bySite.has(siteKey(caller, off))) continue;
      assert.deepEqual(data.sites.at(caller, off), []);
      assert.equal(data.sites.siteWeight(caller, off), 0);
      assert.equal(data.sites.isHot(caller, off, n), false);
      cov.probes++;
    }
  }
  for (const [caller, offsets] of ref.offsetsByCaller) {
    assert.deepEqual(data.sites.offsetsOf(caller), offsets, `offsets of ${caller}`);
    assert.deepEqual(data.sites.offsetsOf(`${caller}·absent`), []);
    assert.deepEqual(data.sites.at(`${caller}·absent`, offsets[0]!), []);
    cov.callers++;
  }
  for (const [key, names] of ref.namesByKey) {
    assert.deepEqual(data.names.namesOf(key), names, `names of ${key}`);
    cov.keys++;
    if (names.length > 1) cov.genericKeysWithSeveralNames++;
    for (const miss of [`${key}·absent`, key.slice(0, -1), `${key}[...]`]) {
      if (ref.namesByKey.has(miss)) continue;
      assert.deepEqual(data.names.namesOf(miss), [], `no names for ${miss}`);
      cov.probes++;
    }
  }
  assert.deepEqual(data.prefixWeight, ref.prefixWeight);
  assert.deepEqual(data.edgePrefixes, ref.edgePrefixes);
  assert.equal(data.hot.hotCount, hot.hotCount);
  assert.equal(data.hot.hotEdges, hot.hotEdges);
  assert.equal(data.hot.hotCallees, hot.hotCallees);
  return cov;
}

/** All profile edges leaving each call site, hottest first (the map the worker kept before `EdgeIndex`). */
function calleesBySite(profile: Pick<PgoProfile, 'edges'>): Map<string, NamedEdge[]> {
  const m = new Map<string, NamedEdge[]>();
  for (const e of profile.edges) {
    const k = siteKey(e.caller, e.offset);
    const list = m.get(k);
    if (list) list.push(e);
    else m.set(k, [e]);
  }
  return m;
}
