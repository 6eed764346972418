/** The profile with the given hot edges hidden (exclude.ts), checked the way the compiler reads it. */
import { loadProfileData, loadProfileFile } from '../pgo/load';
import { encodePprofGzip } from '../profile/encode';
import { type EdgeKey, excludeEdges, type ExcludeStats } from './exclude';

export async function excludeFromProfile(
  profile: string,
  edges: EdgeKey[],
): Promise<{ bytes: Buffer; stats: ExcludeStats; weightBefore: number; weightAfter: number }> {
  const loaded = await loadProfileFile(profile, { keepSamples: true, heat: false });
  if (!loaded.pprof) throw new Error(`${profile} is not a pprof profile (a preprocessed profile cannot be rewritten)`);
  const stats = excludeEdges(loaded.pprof, edges);
  const bytes = encodePprofGzip(loaded.pprof);
  const back = (await loadProfileData(bytes, { heat: false })).profile;
  const left = back.edges.filter((e) => edges.some((x) => x.caller === e.caller && x.offset === e.offset && x.callee === e.callee));
  if (left.length) throw new Error(`internal: ${left.length} excluded edge(s) are still in the rewritten profile; nothing written`);
  return { bytes, stats, weightBefore: loaded.profile.totalWeight, weightAfter: back.totalWeight };
}
