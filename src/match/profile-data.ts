/**
 * A loaded profile with the lookups every per-file view and list derives from it, built once per
 * profile and shared by the binaries that use the same file. Pure: profile in, tables out.
 */
import type { HotSet, PgoProfile } from '../pgo/model';
import { type HeatScale, heatScale } from '../pgo/heatscale';
import { splitSymbol } from '../source/index';
import { type EdgeIndex, edgeIndexOf } from './edge-index';
import { NameIndex } from './name-index';

export interface ProfileData {
  path: string;
  profile: PgoProfile;
  /** The CDF hot set; whether a call site is hot: `sites.isHot`. */
  hot: HotSet;
  /** Edges leaving each call site, hottest first, and the offsets of each caller's sites (typed columns). */
  sites: EdgeIndex;
  /** Profile function names (heat functions and edge endpoints) by `genericKey`. */
  names: NameIndex;
  /** Weight per symbol prefix (package): whether, and how much, a package appears in the profile. */
  prefixWeight: Map<string, number>;
  /** Symbol prefixes of edge endpoints: the only packages matching can involve. */
  edgePrefixes: Set<string>;
}

/** The lookup tables of a loaded profile and its hot set. */
export function profileData(file: string, profile: PgoProfile, hot: HotSet): ProfileData {
  const prefixWeight = new Map<string, number>();
  const addWeight = (p: string, w: number): void => {
    prefixWeight.set(p, (prefixWeight.get(p) ?? 0) + w);
  };
  const heat = profile.heat;
  for (let i = 0; i < heat.count; i++) addWeight(splitSymbol(heat.names[i]!).prefix, heat.flat[i]!);
  const edgePrefixes = new Set<string>();
  for (const e of profile.edges) {
    const caller = splitSymbol(e.caller).prefix;
    edgePrefixes.add(caller);
    addWeight(caller, e.weight);
    if (e.callee !== e.caller) {
      const callee = splitSymbol(e.callee).prefix;
      edgePrefixes.add(callee);
      addWeight(callee, 0);
    }
  }
  const { thresholdPercent, hotCount, hotEdges, hotCallees } = hot;
  return {
    path: file,
    profile,
    hot: { thresholdPercent, hotCount, hotEdges, hotCallees },
    sites: edgeIndexOf(profile),
    names: new NameIndex(heat, profile.edges),
    prefixWeight,
    edgePrefixes,
  };
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
