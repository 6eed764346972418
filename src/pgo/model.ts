/**
 * The Go compiler's PGO model (go-pgo-semantics.md §1.4–§2.4, §4.2), reproduced exactly:
 * sample-type choice, the graph built from each sample's two leaf-most frames with inline
 * chains, the named edge map (caller, line − start line, callee), ByWeight order, and the CDF
 * hot set. Also the editor's own per-(function, offset) flat/cum heat over whole stacks.
 *
 * Verified against Go 1.26's cmd/internal/pgo/pprof.go and internal/profile/graph.go.
 */
import { COMPILER_MESSAGES, ProfileError } from '../profile/errors';
import type { PprofProfile, ValueType } from '../profile/pprof';
import { goStringCompare } from './gofmt';

export interface NamedEdge {
  caller: string;
  /** Call-site line minus the caller's Function.start_line. */
  offset: number;
  callee: string;
  weight: number;
}

/** Heat of one (function, line offset) over whole stacks, in the chosen sample value. */
export interface LineHeat {
  offset: number;
  flat: number;
  cum: number;
}

export interface FunctionHeat {
  name: string;
  /** As recorded in the profile (Function.filename). */
  file: string;
  startLine: number;
  flat: number;
  /** Sum over lines of cum can double count; this is the max line cum, a lower bound. */
  lines: LineHeat[];
}

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
  /** Per function name; empty for preprofile input (it has no lines). */
  functions: FunctionHeat[];
  /** Why the compiler ignores this profile, when totalWeight is 0. */
  emptyReason?: string;
}

export const DEFAULT_CDF_THRESHOLD = 99;
export const INLINE_HOT_MAX_BUDGET = 2000;

/** The compiler's `valueIndex`: first samples/count or cpu/nanoseconds. */
export function chooseValueIndex(types: ValueType[]): number {
  return types.findIndex((t) => (t.type === 'samples' && t.unit === 'count') || (t.type === 'cpu' && t.unit === 'nanoseconds'));
}

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
    functions: [],
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
export function modelFromPprof(p: PprofProfile): PgoProfile {
  const base = {
    sampleTypes: p.sampleTypes,
    sampleCount: p.sampleCount,
    durationNanos: Number(p.durationNanos),
  };
  if (p.sampleCount === 0) return emptyProfile('pprof', 'the profile has no samples', base);
  const vi = chooseValueIndex(p.sampleTypes);
  if (vi < 0) {
    const have = p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');
    throw new ProfileError('sample-type', `${COMPILER_MESSAGES.sampleType} (this profile has ${have})`);
  }
  if (p.inexact[vi]) throw new ProfileError('precision', `${p.sampleTypes[vi]!.type}/${p.sampleTypes[vi]!.unit} sums exceed 2^53`);
  const nv = p.nValues;
  const strings = p.strings;
  const fns = p.functions;
  const locs = p.locations;

  // Names are compared by content (Go keys nodes by the string, not its table index).
  const canon = new Map<string, number>();
  const names: string[] = [];
  const canonOf = (s: string): number => {
    let c = canon.get(s);
    if (c === undefined) {
      c = names.length;
      names.push(s);
      canon.set(s, c);
    }
    return c;
  };
  const emptyName = canonOf('');
  const fnName = new Int32Array(fns.count);
  for (let f = 0; f < fns.count; f++) fnName[f] = canonOf(strings[fns.name[f]!]!);

  // Graph nodes: one per distinct (name, address, start line, line) among referenced locations.
  const nodeKey = new Map<string, number>();
  const nodeName: number[] = [];
  const nodeStart: number[] = [];
  const nodeLine: number[] = [];
  const locNodes = new Map<number, number[]>(); // dense location → nodes in Line order (innermost first)
  const nodesOf = (l: number): number[] => {
    let ns = locNodes.get(l);
    if (ns) return ns;
    ns = [];
    const a = locs.lineStart[l]!;
    const b = locs.lineStart[l + 1]!;
    const addr = `${locs.addrHi[l]}:${locs.addrLo[l]}`;
    const add = (name: number, start: number, line: number): void => {
      const k = `${name}|${addr}|${start}|${line}`;
      let n = nodeKey.get(k);
      if (n === undefined) {
        n = nodeName.length;
        nodeKey.set(k, n);
        nodeName.push(name);
        nodeStart.push(start);
        nodeLine.push(line);
      }
      ns!.push(n);
    };
    if (a === b) add(emptyName, 0, 0);
    for (let i = a; i < b; i++) {
      const f = locs.lineFunc[i]!;
      if (f < 0) add(emptyName, 0, 0);
      else add(fnName[f]!, fns.startLine[f]!, locs.lineLine[i]!);
    }
    locNodes.set(l, ns);
    return ns;
  };

  const cum: number[] = [];
  const flat: number[] = [];
  const edgeW = new Map<number, number>(); // parent * 2^26 + child
  const SHIFT = 67108864;
  const seq: number[] = [];
  const seenNodes: number[] = [];
  const seenPairs: number[] = [];
  for (let pi = 0; pi < p.pairs.count; pi++) {
    const w = p.pairs.values[pi * nv + vi]!;
    if (w === 0) continue;
    for (const l of [p.pairs.caller[pi]!, p.pairs.leaf[pi]!]) {
      if (l >= 0 && !locs.defined[l]) {
        throw new ProfileError('malformed', `a sample refers to location id ${locs.id[l]}, which the profile does not define (the Go tools crash on this file)`);
      }
    }
    seq.length = 0;
    const c = p.pairs.caller[pi]!;
    if (c >= 0) {
      const ns = nodesOf(c);
      for (let k = ns.length - 1; k >= 0; k--) seq.push(ns[k]!);
    }
    const ls = nodesOf(p.pairs.leaf[pi]!);
    for (let k = ls.length - 1; k >= 0; k--) seq.push(ls[k]!);
    seenNodes.length = 0;
    seenPairs.length = 0;
    let parent = -1;
    for (const n of seq) {
      while (cum.length <= n) {
        cum.push(0);
        flat.push(0);
      }
      const saw = seenNodes.includes(n);
      if (!saw) {
        seenNodes.push(n);
        cum[n]! += w;
      }
      if (parent >= 0 && n !== parent) {
        const pairKey = n * SHIFT + parent;
        if (!saw || !seenPairs.includes(pairKey)) {
          seenPairs.push(pairKey);
          const ek = parent * SHIFT + n;
          edgeW.set(ek, (edgeW.get(ek) ?? 0) + w);
        }
      }
      parent = n;
    }
    if (parent >= 0) flat[parent]! += w;
  }

  // Named edge map over kept nodes (cum or flat non-zero).
  let seenStartLine = false;
  for (let n = 0; n < cum.length; n++) {
    if ((cum[n] !== 0 || flat[n] !== 0) && nodeStart[n] !== 0) {
      seenStartLine = true;
      break;
    }
  }
  if (!seenStartLine) throw new ProfileError('start-line', COMPILER_MESSAGES.startLine);
  const named = new Map<string, NamedEdge>();
  let total = 0;
  for (const [ek, w] of edgeW) {
    const parent = Math.floor(ek / SHIFT);
    const child = ek - parent * SHIFT;
    if (cum[parent] === 0 && flat[parent] === 0) continue;
    total += w;
    const caller = names[nodeName[parent]!]!;
    const callee = names[nodeName[child]!]!;
    const offset = nodeLine[parent]! - nodeStart[parent]!;
    const key = `${nodeName[parent]}\u0000${offset}\u0000${nodeName[child]}`;
    const e = named.get(key);
    if (e) e.weight += w;
    else named.set(key, { caller, offset, callee, weight: w });
  }
  if (Math.abs(total) > Number.MAX_SAFE_INTEGER) throw new ProfileError('precision', 'the total edge weight exceeds 2^53');

  const sampleTotal = p.valueTotals[vi]!;
  const functions = heatFromPprof(p, vi, fnName, names);
  const result: PgoProfile = {
    ...base,
    totalWeight: total,
    edges: total === 0 ? [] : [...named.values()].sort(compareEdges),
    format: 'pprof',
    sampleType: p.sampleTypes[vi]!,
    sampleTotal,
    functions,
  };
  if (total === 0) result.emptyReason = 'all call edges have zero weight';
  return result;
}

/** Per (function name, offset) flat/cum over whole stacks, from the decoder's per-location folds. */
function heatFromPprof(p: PprofProfile, vi: number, fnName: Int32Array, names: string[]): FunctionHeat[] {
  const nv = p.nValues;
  const fns = p.functions;
  const locs = p.locations;
  const byName = new Map<number, { fh: FunctionHeat; lines: Map<number, LineHeat> }>();
  for (let l = 0; l < locs.count; l++) {
    const c = p.locCum[l * nv + vi]!;
    const fl = p.locFlat[l * nv + vi]!;
    if (c === 0 && fl === 0) continue;
    const a = locs.lineStart[l]!;
    const b = locs.lineStart[l + 1]!;
    for (let i = a; i < b; i++) {
      const f = locs.lineFunc[i]!;
      if (f < 0) continue;
      const nm = fnName[f]!;
      let e = byName.get(nm);
      if (!e) {
        e = {
          fh: { name: names[nm]!, file: p.strings[fns.filename[f]!]!, startLine: fns.startLine[f]!, flat: 0, lines: [] },
          lines: new Map(),
        };
        byName.set(nm, e);
      }
      const offset = locs.lineLine[i]! - fns.startLine[f]!;
      let lh = e.lines.get(offset);
      if (!lh) {
        lh = { offset, flat: 0, cum: 0 };
        e.lines.set(offset, lh);
      }
      lh.cum += c;
      if (i === a) {
        lh.flat += fl;
        e.fh.flat += fl;
      }
    }
  }
  const out: FunctionHeat[] = [];
  for (const { fh, lines } of byName.values()) {
    fh.lines = [...lines.values()].sort((x, y) => x.offset - y.offset);
    out.push(fh);
  }
  return out.sort((x, y) => goStringCompare(x.name, y.name));
}

export interface HotSet {
  /** What the compiler prints as hot-callsite-thres-from-CDF (a percentage; 0 when never exceeded). */
  thresholdPercent: number;
  /** The first `hotCount` edges in ByWeight order are hot. */
  hotCount: number;
  hotEdges: NamedEdge[];
  /** Callees of hot edges: they get the 2000 inline budget when their package is compiled. */
  hotCallees: Set<string>;
  /** `caller\0offset`: every call at this site counts as hot, whatever the callee. */
  hotSites: Set<string>;
}

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
    hotSites: new Set(hotEdges.map((e) => siteKey(e.caller, e.offset))),
  };
}

/** All profile edges leaving each call site, hottest first (devirtualization candidates). */
export function calleesBySite(profile: PgoProfile): Map<string, NamedEdge[]> {
  const m = new Map<string, NamedEdge[]>();
  for (const e of profile.edges) {
    const k = siteKey(e.caller, e.offset);
    const list = m.get(k);
    if (list) list.push(e);
    else m.set(k, [e]);
  }
  return m;
}
