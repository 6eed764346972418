/**
 * The Go compiler's PGO model (go-pgo-semantics.md §1.4–§2.4, §4.2), reproduced exactly:
 * sample-type choice, the graph built from each sample's two leaf-most frames with inline
 * chains, the named edge map (caller, line − start line, callee), ByWeight order, and the CDF
 * hot set. Also the editor's per-function and per-line flat/cum over whole stacks, equal to
 * `go tool pprof -top` / `-list` (src/pgo/flatcum.ts), kept as typed columns (src/pgo/heat-table.ts).
 *
 * Verified against Go 1.26's cmd/internal/pgo/pprof.go and internal/profile/graph.go.
 */
import type { PprofProfile, ValueType } from '../profile/pprof';
import { pprofHeat } from './flatcum';
import { EMPTY_HEAT, type HeatTable } from './heat-table';
import type { EdgeGroups } from './edge-groups';
import { goSortRanks, goStringCompare } from './gofmt';
import { buildNamedEdges, byWeightOrder, compilerValueIndex, usedNames } from './named-edges';

export interface NamedEdge {
  caller: string;
  /** Call-site line minus the caller's Function.start_line. */
  offset: number;
  callee: string;
  weight: number;
}

export type { FunctionHeat, LineHeat } from './heat-table';

export interface PgoProfile {
  /** Sum of all edge weights (the compiler's TotalWeight). 0 means PGO is off for this profile. */
  totalWeight: number;
  /** ByWeight order: weight desc, caller, callee (byte-wise), offset. */
  edges: NamedEdge[];
  format: 'pprof' | 'preprofile';
  /** The sample type the compiler uses, or null for preprofile input. */
  sampleType: ValueType | null;
  sampleTypes: ValueType[];
  sampleCount: number;
  /** Sum over samples of the chosen value (whole-profile total for heat percentages). */
  sampleTotal: number;
  durationNanos: number;
  /** Per function name, as typed columns (heat-table.ts); empty for preprofile input (it has no lines). */
  heat: HeatTable;
  /** Why the compiler ignores this profile, when totalWeight is 0. */
  emptyReason?: string;
  /** pprof input: the edges each group of samples carries (edge-groups.ts); absent for preprofile input and with `edgeGroups: false`. */
  edgeGroups?: EdgeGroups;
}

export interface ModelOptions {
  /**
   * Record which edges each group of samples carries (`PgoProfile.edgeGroups`, the editor's loss
   * accounting). Default true; tools that only need the edges (preprofile, hot) turn it off.
   */
  edgeGroups?: boolean;
}

export const DEFAULT_CDF_THRESHOLD = 99;
export const INLINE_HOT_MAX_BUDGET = 2000;

export { chooseValueIndex } from './named-edges';

/** A profile with no edges yet; `emptyProfile` adds why the compiler would ignore it. */
export function baseProfile(format: PgoProfile['format'], base: Partial<PgoProfile> = {}): PgoProfile {
  return {
    totalWeight: 0,
    edges: [],
    format,
    sampleType: null,
    sampleTypes: [],
    sampleCount: 0,
    sampleTotal: 0,
    durationNanos: 0,
    heat: EMPTY_HEAT,
    ...base,
  };
}

export function emptyProfile(format: PgoProfile['format'], reason: string, base: Partial<PgoProfile> = {}): PgoProfile {
  return { ...baseProfile(format, base), emptyReason: reason };
}

export function compareEdges(a: NamedEdge, b: NamedEdge): number {
  if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
  if (a.caller !== b.caller) return goStringCompare(a.caller, b.caller);
  if (a.callee !== b.callee) return goStringCompare(a.callee, b.callee);
  return a.offset - b.offset;
}

/** Builds the compiler's model from a decoded pprof profile (Go 1.23–1.26 semantics). */
export function modelFromPprof(p: PprofProfile, opts: ModelOptions = {}): PgoProfile {
  const base = {
    sampleTypes: p.sampleTypes,
    sampleCount: p.sampleCount,
    durationNanos: Number(p.durationNanos),
  };
  if (p.sampleCount === 0) return emptyProfile('pprof', 'the profile has no samples', base);
  const vi = compilerValueIndex(p);
  const g = buildNamedEdges(p, vi, opts);
  const { namedTable, namedW, total, nameStr, pairGroups, namedOf } = g;

  let edges: NamedEdge[] = [];
  let groups: EdgeGroups | null = pairGroups ? pairGroups.named(namedOf, null) : null;
  if (total !== 0) {
    // Rank only the names that occur in edges (the sort key), not every function name.
    const used = usedNames(g);
    const usedRank = goSortRanks(Array.from(used.ids, nameStr));
    const order = byWeightOrder(g, used, usedRank);
    edges = new Array<NamedEdge>(order.length);
    const position = new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) {
      const id = order[i]!;
      position[id] = i;
      edges[i] = { caller: nameStr(namedTable.get(id, 0)), offset: namedTable.get(id, 1), callee: nameStr(namedTable.get(id, 2)), weight: namedW[id]! };
    }
    if (pairGroups) groups = pairGroups.named(namedOf, position);
  }

  const result: PgoProfile = {
    ...base,
    totalWeight: total,
    edges,
    format: 'pprof',
    sampleType: p.sampleTypes[vi]!,
    sampleTotal: p.valueTotals[vi]!,
    heat: EMPTY_HEAT,
    ...(groups ? { edgeGroups: groups } : {}),
  };
  // Whole-stack heat is the editor's, not the compiler's: computed on first use.
  lazyHeat(result, p, vi);
  if (total === 0) result.emptyReason = 'all call edges have zero weight';
  return result;
}

/**
 * Defines `heat` as computed on first use: per function and line flat/cum over whole stacks
 * (pprof's numbers) as typed columns. A function of its own, so the getter's closure holds only the
 * decoded tables, not modelFromPprof's scope, and drops them once the heat is computed.
 */
function lazyHeat(result: PgoProfile, p: PprofProfile, vi: number): void {
  let src: PprofProfile | null = p.stacks ? p : null;
  let heat: HeatTable | undefined = src ? undefined : EMPTY_HEAT;
  Object.defineProperty(result, 'heat', {
    enumerable: true,
    configurable: true,
    get(): HeatTable {
      if (!heat) {
        heat = pprofHeat(src!, vi).heat;
        src = null;
      }
      return heat;
    },
  });
}

export interface HotSet {
  /** What the compiler prints as hot-callsite-thres-from-CDF (a percentage; 0 when never exceeded). */
  thresholdPercent: number;
  /** The first `hotCount` edges in ByWeight order are hot. */
  hotCount: number;
  hotEdges: NamedEdge[];
  /** Callees of hot edges: they get the 2000 inline budget when their package is compiled. */
  hotCallees: Set<string>;
}

/**
 * `caller\0offset` of a call site. Every call at a hot site counts as hot, whatever the callee; the
 * hot set keeps no such strings (one per hot site is ~12 MB on a 50 MB profile): the edge index
 * (match/edge-index.ts) answers hotness by position, and callers needing strings build them.
 */
export function siteKey(caller: string, offset: number): string {
  return `${caller}\u0000${offset}`;
}

/** The CDF hot set (inline.hotNodesFromCDF): strictly greater than the threshold percentage. */
export function hotSet(profile: PgoProfile, thresholdPercent = DEFAULT_CDF_THRESHOLD): HotSet {
  if (!(thresholdPercent >= 0 && thresholdPercent <= 100)) {
    throw new RangeError('invalid PGOInlineCDFThreshold, must be between 0 and 100');
  }
  const edges = profile.edges;
  const total = profile.totalWeight;
  let cum = 0;
  let hotCount = edges.length;
  let printed = 0;
  for (let i = 0; i < edges.length; i++) {
    const w = edges[i]!.weight;
    cum += w;
    if ((cum / total) * 100 > thresholdPercent) {
      hotCount = i + 1;
      printed = (w / total) * 100;
      break;
    }
  }
  const hotEdges = edges.slice(0, hotCount);
  return {
    thresholdPercent: printed,
    hotCount,
    hotEdges,
    hotCallees: new Set(hotEdges.map((e) => e.callee)),
  };
}
