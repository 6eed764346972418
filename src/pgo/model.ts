/**
 * The Go compiler's PGO model (go-pgo-semantics.md §1.4–§2.4, §4.2), reproduced exactly:
 * sample-type choice, the graph built from each sample's two leaf-most frames with inline
 * chains, the named edge map (caller, line − start line, callee), ByWeight order, and the CDF
 * hot set. Also the editor's per-function and per-line flat/cum over whole stacks, equal to
 * `go tool pprof -top` / `-list` (src/pgo/flatcum.ts), kept as typed columns (src/pgo/heat-table.ts).
 *
 * Verified against Go 1.26's cmd/internal/pgo/pprof.go and internal/profile/graph.go.
 */
import { COMPILER_MESSAGES, ProfileError } from '../profile/errors';
import type { PprofProfile, ValueType } from '../profile/pprof';
import { grow } from '../profile/grow';
import { IntPairTable } from '../profile/int-pair-table';
import { TupleTable } from '../profile/tuple-table';
import { NodeTable } from './node-table';
import { pprofHeat } from './flatcum';
import { EMPTY_HEAT, type HeatTable } from './heat-table';
import { type EdgeGroups, PairGroups } from './edge-groups';
import { describeNumber } from '../profile/ranges';
import { goSortRanks, goStringCompare } from './gofmt';

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
  const vi = chooseValueIndex(p.sampleTypes);
  if (vi < 0) {
    const have = p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');
    throw new ProfileError('sample-type', `${COMPILER_MESSAGES.sampleType} (this profile has ${have})`);
  }
  if (p.inexact[vi]) throw new ProfileError('precision', `${p.sampleTypes[vi]!.type}/${p.sampleTypes[vi]!.unit} sums exceed 2^53`);
  const nv = p.nValues;
  const fns = p.functions;
  const locs = p.locations;

  // Names are compared by content (Go keys nodes by the string, not its table index): one dense
  // id per distinct name. With the decoder's byte table, contents are compared as bytes and only
  // the names that edges use are decoded; a table already handed out as JS strings (which a caller
  // may have edited) is read as strings.
  const table = p.stringTable && !p.stringTable.materialized ? p.stringTable : null;
  const strings = table ? null : p.strings;
  const nameText: Array<string | undefined> = [];
  const nameIdx: number[] = [];
  const newName = (text: string | undefined, si: number): number => {
    nameText.push(text);
    nameIdx.push(si);
    return nameText.length - 1;
  };
  const canon = new Map<string, number>();
  const canonOf = (str: string): number => {
    let c = canon.get(str);
    if (c === undefined) canon.set(str, (c = newName(str, -1)));
    return c;
  };
  const emptyName = table ? newName('', -1) : canonOf('');
  // Only the functions of locations that samples reach are named, each string once.
  const byString = new Int32Array(table ? table.count : strings!.length).fill(-1);
  if (table && table.count > 0) byString[table.canon(0)] = emptyName; // string_table[0] is ''
  const fnName = new Int32Array(fns.count).fill(-1);
  const nameOf = (f: number): number => {
    let c = fnName[f]!;
    if (c < 0) {
      const si = fns.name[f]!;
      if (table) {
        const k = table.canon(si);
        c = byString[k]!;
        if (c < 0) c = byString[k] = newName(undefined, k);
      } else {
        c = byString[si]!;
        if (c < 0) c = byString[si] = canonOf(strings![si]!);
      }
      fnName[f] = c;
    }
    return c;
  };
  const nameStr = (id: number): string => {
    let t = nameText[id];
    if (t === undefined) t = nameText[id] = table!.get(nameIdx[id]!)!;
    return t;
  };

  // Graph nodes: one per distinct (name, address, start line, line), for referenced locations.
  const nodes = new NodeTable(Math.max(4096, p.pairs.count));
  const listStart = new Int32Array(locs.count).fill(-1);
  const listLen = new Int32Array(locs.count);
  let lists = new Int32Array(Math.max(4096, p.pairs.count));
  let listsUsed = 0;
  /** Start of location l's node list (Line order: innermost first) in `lists`. */
  const nodesOf = (l: number): number => {
    let st = listStart[l]!;
    if (st >= 0) return st;
    const a = locs.lineStart[l]!;
    const b = locs.lineStart[l + 1]!;
    const cnt = Math.max(1, b - a);
    if (listsUsed + cnt > lists.length) lists = grow(lists, listsUsed + cnt);
    st = listsUsed;
    const hi = locs.addrHi[l]!;
    const lo = locs.addrLo[l]!;
    if (a === b) lists[listsUsed++] = nodes.intern(emptyName, hi, lo, 0, 0);
    for (let i = a; i < b; i++) {
      const f = locs.lineFunc[i]!;
      if (f >= 0 && !(Number.isSafeInteger(fns.startLine[f]!) && Number.isSafeInteger(locs.lineLine[i]!))) inexact(p, f, locs.lineLine[i]!);
      lists[listsUsed++] = f < 0 ? nodes.intern(emptyName, hi, lo, 0, 0) : nodes.intern(nameOf(f), hi, lo, fns.startLine[f]!, locs.lineLine[i]!);
    }
    listStart[l] = st;
    listLen[l] = cnt;
    return st;
  };

  // Every reached location's nodes first (in pair order, so the errors are the ones the pair
  // walk met first), so the per-node columns are allocated once at their size.
  let maxList = 1;
  for (let pi = 0; pi < p.pairs.count; pi++) {
    if (p.pairs.values[pi * nv + vi]! === 0) continue;
    const c = p.pairs.caller[pi]!;
    const leaf = p.pairs.leaf[pi]!;
    if ((c >= 0 && !locs.defined[c]) || !locs.defined[leaf]) {
      const bad = c >= 0 && !locs.defined[c] ? c : leaf;
      throw new ProfileError(
        'malformed',
        `a sample refers to location id ${locs.id[bad]}, which the profile does not define (the Go tools crash on this file)`,
      );
    }
    if (c >= 0) nodesOf(c);
    nodesOf(leaf);
    const len = (c >= 0 ? listLen[c]! : 0) + listLen[leaf]!;
    if (len > maxList) maxList = len;
  }
  const cum = new Float64Array(nodes.size);
  const flat = new Float64Array(nodes.size);
  const edgeTable = new IntPairTable(Math.max(4096, p.pairs.count));
  let edgeW = new Float64Array(Math.max(4096, p.pairs.count));
  const seq = new Int32Array(maxList);
  const seenPairs = new Float64Array(maxList * 2);
  // Per folded pair the graph edges it adds (edge-groups.ts): CSR over edgeTable ids, mapped to named edges below.
  const pairGroups = opts.edgeGroups === false ? null : new PairGroups();
  for (let pi = 0; pi < p.pairs.count; pi++) {
    const w = p.pairs.values[pi * nv + vi]!;
    if (w === 0) continue;
    const c = p.pairs.caller[pi]!;
    const leaf = p.pairs.leaf[pi]!;
    // outermost physical frame first, innermost inlined frame last; caller location, then leaf
    let n = 0;
    for (let side = c >= 0 ? 0 : 1; side < 2; side++) {
      const l = side === 0 ? c : leaf;
      const st = listStart[l]!;
      const len = listLen[l]!;
      for (let k = len - 1; k >= 0; k--) seq[n++] = lists[st + k]!;
    }
    pairGroups?.open(w);
    let nPairs = 0;
    let parent = -1;
    for (let i = 0; i < n; i++) {
      const node = seq[i]!;
      let saw = false;
      for (let j = 0; j < i; j++)
        if (seq[j] === node) {
          saw = true;
          break;
        }
      if (!saw) cum[node]! += w;
      if (parent >= 0 && node !== parent) {
        const pk = node * 67108864 + parent;
        let dup = false;
        if (saw) for (let j = 0; j < nPairs; j++) if (seenPairs[j] === pk) dup = true;
        if (!dup) {
          seenPairs[nPairs++] = pk;
          const e = edgeTable.intern(parent, node);
          if (e >= edgeW.length) edgeW = grow(edgeW, e + 1);
          edgeW[e]! += w;
          pairGroups?.add(e);
        }
      }
      parent = node;
    }
    if (parent >= 0) flat[parent]! += w;
  }

  // Named edge map over kept nodes (cum or flat non-zero).
  let seenStartLine = false;
  const nodeName = nodes.name;
  const nodeStart = nodes.start;
  const nodeLine = nodes.line;
  for (let node = 0; node < nodes.size && !seenStartLine; node++) {
    if ((cum[node] !== 0 || flat[node] !== 0) && nodeStart[node] !== 0) seenStartLine = true;
  }
  if (!seenStartLine) throw new ProfileError('start-line', COMPILER_MESSAGES.startLine);
  const namedTable = new TupleTable(3, Math.max(4096, p.pairs.count >> 1));
  let namedW = new Float64Array(4096);
  const t3 = new Float64Array(3);
  let total = 0;
  // Graph edge → named edge; an edge from a dropped node (cum and flat 0) still names the edge
  // its names and offset key, when a kept node added that key (looked up after all are added).
  const namedOf = new Int32Array(edgeTable.size).fill(-1);
  const namedKey = (e: number): Float64Array => {
    const parent = edgeTable.first(e);
    t3[0] = nodeName[parent]!;
    t3[1] = nodeLine[parent]! - nodeStart[parent]!;
    t3[2] = nodeName[edgeTable.second(e)]!;
    return t3;
  };
  for (let e = 0; e < edgeTable.size; e++) {
    const parent = edgeTable.first(e);
    if (cum[parent] === 0 && flat[parent] === 0) continue;
    const w = edgeW[e]!;
    total += w;
    const id = namedTable.intern(namedKey(e));
    if (id >= namedW.length) namedW = grow(namedW, id + 1);
    namedW[id]! += w;
    namedOf[e] = id;
  }
  for (let e = 0; e < edgeTable.size; e++) {
    const parent = edgeTable.first(e);
    if (cum[parent] === 0 && flat[parent] === 0) namedOf[e] = namedTable.find(namedKey(e));
  }
  if (Math.abs(total) > Number.MAX_SAFE_INTEGER) throw new ProfileError('precision', 'the total edge weight exceeds 2^53');

  let edges: NamedEdge[] = [];
  let groups: EdgeGroups | null = pairGroups ? pairGroups.named(namedOf, null) : null;
  if (total !== 0) {
    // Rank only the names that occur in edges (the sort key), not every function name.
    const used = new Int32Array(nameText.length).fill(-1);
    const usedNames: string[] = [];
    for (let k = 0; k < 2 * namedTable.size; k++) {
      const nm = namedTable.get(k >> 1, k & 1 ? 2 : 0);
      if (used[nm] === -1) {
        used[nm] = usedNames.length;
        usedNames.push(nameStr(nm));
      }
    }
    const usedRank = goSortRanks(usedNames);
    const rank = new Int32Array(nameText.length);
    for (let nm = 0; nm < nameText.length; nm++) if (used[nm]! >= 0) rank[nm] = usedRank[used[nm]!]!;
    // ByWeight: weight desc, then caller, callee (Go byte order, as ranks) and offset; the ranks
    // and offsets are read from typed columns so the comparator does no lookups.
    const nN = namedTable.size;
    const cRank = new Int32Array(nN);
    const eRank = new Int32Array(nN);
    const off = new Float64Array(nN);
    const order = new Int32Array(nN);
    for (let i = 0; i < nN; i++) {
      order[i] = i;
      cRank[i] = rank[namedTable.get(i, 0)]!;
      eRank[i] = rank[namedTable.get(i, 2)]!;
      off[i] = namedTable.get(i, 1);
    }
    order.sort((a, b) => {
      const wa = namedW[a]!;
      const wb = namedW[b]!;
      if (wa !== wb) return wa > wb ? -1 : 1;
      if (cRank[a] !== cRank[b]) return cRank[a]! - cRank[b]!;
      if (eRank[a] !== eRank[b]) return eRank[a]! - eRank[b]!;
      return off[a]! - off[b]!;
    });
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

/** A start line or line beyond ±2^53: the offset (line − start line) cannot be computed exactly. */
function inexact(p: PprofProfile, f: number, line: number): never {
  const si = p.functions.name[f]!;
  const name = (p.stringTable ? p.stringTable.get(si) : p.strings[si]) ?? '?';
  const start = p.functions.startLine[f]!;
  const what = Number.isSafeInteger(start) ? `line ${describeNumber(line)}` : `start line ${describeNumber(start)}`;
  throw new ProfileError('range', `function ${name} has ${what}: its call-site offsets cannot be computed exactly`);
}
