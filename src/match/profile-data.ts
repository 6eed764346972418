/**
 * A loaded profile with the lookups every per-file view and list derives from it, built once per
 * profile and shared by the binaries that use the same file. Pure: profile in, tables out.
 */
import { calleesBySite, type HotSet, type NamedEdge, type PgoProfile } from '../pgo/model';
import { type HeatScale, heatScale } from '../pgo/heatscale';
import { genericKey, splitSymbol } from '../source/index';

export interface ProfileData {
  path: string;
  profile: PgoProfile;
  hot: HotSet;
  /** Edges leaving each call site (`siteKey`), hottest first. */
  bySite: Map<string, NamedEdge[]>;
  /** Profile function names (heat functions and edge endpoints) by `genericKey`. */
  namesByKey: Map<string, string[]>;
  /** Offsets at which each caller has profile edges. */
  offsetsByCaller: Map<string, number[]>;
  /** Weight per symbol prefix (package): whether, and how much, a package appears in the profile. */
  prefixWeight: Map<string, number>;
  /** Symbol prefixes of edge endpoints: the only packages matching can involve. */
  edgePrefixes: Set<string>;
}

/** The lookup tables of a loaded profile and its hot set. */
export function profileData(file: string, profile: PgoProfile, hot: HotSet): ProfileData {
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
    const name = heat.names[i]!;
    addName(name);
    addWeight(name, heat.flat[i]!);
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
  return { path: file, profile, hot, bySite: calleesBySite(profile), namesByKey, prefixWeight, edgePrefixes, offsetsByCaller };
}

/** Heat scales of a profile's lines, computed on first use and kept with the profile. */
const scaleCache = new WeakMap<ProfileData, { flat: HeatScale; cum: HeatScale }>();
export function scalesOf(data: ProfileData): { flat: HeatScale; cum: HeatScale } {
  let s = scaleCache.get(data);
  if (!s) {
    s = { flat: heatScale(data.profile.heat, 'flat'), cum: heatScale(data.profile.heat, 'cum') };
    scaleCache.set(data, s);
  }
  return s;
}
