/** A PgoProfile of bare call edges ([caller, offset, callee, weight]), hottest first, as the unit tests of matching build them. */
import { EMPTY_HEAT } from '../../../src/pgo/heat-table';
import type { NamedEdge, PgoProfile } from '../../../src/pgo/model';

export function edgeProfile(edges: Array<[string, number, string, number]>): PgoProfile {
  const es: NamedEdge[] = edges.map(([caller, offset, callee, weight]) => ({ caller, offset, callee, weight }));
  es.sort((a, b) => b.weight - a.weight);
  return {
    totalWeight: es.reduce((s, e) => s + e.weight, 0),
    edges: es,
    format: 'pprof',
    sampleType: null,
    sampleTypes: [],
    sampleCount: 0,
    sampleTotal: 0,
    durationNanos: 0,
    heat: EMPTY_HEAT,
  };
}
