/**
 * The compiler's named edge map from a decoded pprof profile (go-pgo-semantics.md §1.4–§2.1): the
 * graph of each sample's two leaf-most frames with their inline chains (internal/profile.NewGraph),
 * its nodes kept when cum or flat is non-zero, and each graph edge named (caller, call line −
 * caller start line, callee). Shared by the model (`modelFromPprof`, which makes `NamedEdge`
 * objects) and the lean preprofile path (`preprofileFromPprof`, which writes bytes); both order by
 * `byWeightOrder`.
 *
 * Verified against Go 1.26's cmd/internal/pgo/pprof.go and internal/profile/graph.go.
 */
import { COMPILER_MESSAGES, ProfileError } from '../profile/errors';
import type { PprofProfile, ValueType } from '../profile/pprof';
import type { StringTable } from '../profile/string-table';
import { grow } from '../profile/grow';
import { IntPairTable } from '../profile/int-pair-table';
import { describeNumber } from '../profile/ranges';
import { EdgeKeyTable } from './edge-key-table';
import { NodeTable } from './node-table';
import { PairGroups } from './edge-groups';

/** The compiler's `valueIndex`: first samples/count or cpu/nanoseconds. */
export function chooseValueIndex(types: ValueType[]): number {
  return types.findIndex((t) => (t.type === 'samples' && t.unit === 'count') || (t.type === 'cpu' && t.unit === 'nanoseconds'));
}

/** The compiler's `valueIndex` for a profile with samples, or its error (sample type, inexact sums). */
export function compilerValueIndex(p: PprofProfile): number {
  const vi = chooseValueIndex(p.sampleTypes);
  if (vi < 0) {
    const have = p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');
    throw new ProfileError('sample-type', `${COMPILER_MESSAGES.sampleType} (this profile has ${have})`);
  }
  if (p.inexact[vi]) throw new ProfileError('precision', `${p.sampleTypes[vi]!.type}/${p.sampleTypes[vi]!.unit} sums exceed 2^53`);
  return vi;
}

export interface NamedEdgeTable {
  /** Per named edge (dense id): caller name id, offset, callee name id. */
  namedTable: EdgeKeyTable;
  /** Per named edge: its weight. */
  namedW: Float64Array;
  /** Sum of the named edges' weights (the compiler's TotalWeight). */
  total: number;
  /** Number of name ids. */
  nameCount: number;
  /** Name id → its text (decoded on first use). */
  nameStr: (id: number) => string;
  /**
   * With the decoder's byte table (`table`): name id → the string-table index of its bytes (-1 for
   * the empty name). Distinct name ids have distinct bytes. Null when names were read as JS strings.
   */
  nameIdx: number[] | null;
  table: StringTable | null;
  /** With edge groups: per folded pair the graph edges it adds, and graph edge → named edge. */
  pairGroups: PairGroups | null;
  namedOf: Int32Array;
}

/** Builds the named edge map of `p` for value column `vi` (`compilerValueIndex`). */
export function buildNamedEdges(p: PprofProfile, vi: number, opts: { edgeGroups?: boolean } = {}): NamedEdgeTable {
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

  // Every reached location's nodes first, so the per-node columns are allocated once at their
  // size. The pairs name the reached locations (and the first undefined one, in pair order); their
  // nodes are then made in location order, which reads the location and line columns front to
  // back instead of at random (node ids are internal: every output is ordered by names and weights).
  const reached = new Uint8Array(locs.count);
  let undefinedAt = p.pairs.count; // the first pair naming an undefined location
  for (let pi = 0; pi < p.pairs.count; pi++) {
    if (p.pairs.values[pi * nv + vi]! === 0) continue;
    const c = p.pairs.caller[pi]!;
    const leaf = p.pairs.leaf[pi]!;
    if ((c >= 0 && !locs.defined[c]) || !locs.defined[leaf]) {
      undefinedAt = pi;
      break;
    }
    if (c >= 0) reached[c] = 1;
    reached[leaf] = 1;
  }
  let maxLen = 1;
  try {
    for (let l = 0; l < locs.count; l++) {
      if (!reached[l]) continue;
      nodesOf(l);
      if (listLen[l]! > maxLen) maxLen = listLen[l]!;
    }
  } catch (e) {
    if (!(e instanceof ProfileError)) throw e;
    // A line that cannot be keyed exactly: the error the pair walk meets first (caller, then leaf).
    for (let pi = 0; pi < undefinedAt; pi++) {
      if (p.pairs.values[pi * nv + vi]! === 0) continue;
      const c = p.pairs.caller[pi]!;
      if (c >= 0) nodesOf(c);
      nodesOf(p.pairs.leaf[pi]!);
    }
    throw e;
  }
  if (undefinedAt < p.pairs.count) {
    const c = p.pairs.caller[undefinedAt]!;
    const bad = c >= 0 && !locs.defined[c] ? c : p.pairs.leaf[undefinedAt]!;
    throw new ProfileError('malformed', `a sample refers to location id ${locs.id[bad]}, which the profile does not define (the Go tools crash on this file)`);
  }
  const maxList = 2 * maxLen;
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
  const namedTable = new EdgeKeyTable(Math.max(4096, p.pairs.count >> 1));
  let namedW = new Float64Array(4096);
  let total = 0;
  // Graph edge → named edge; an edge from a dropped node (cum and flat 0) still names the edge
  // its names and offset key, when a kept node added that key (looked up after all are added).
  const namedOf = new Int32Array(edgeTable.size).fill(-1);
  for (let e = 0; e < edgeTable.size; e++) {
    const parent = edgeTable.first(e);
    if (cum[parent] === 0 && flat[parent] === 0) continue;
    const w = edgeW[e]!;
    total += w;
    const id = namedTable.intern(nodeName[parent]!, nodeLine[parent]! - nodeStart[parent]!, nodeName[edgeTable.second(e)]!);
    if (id >= namedW.length) namedW = grow(namedW, id + 1);
    namedW[id]! += w;
    namedOf[e] = id;
  }
  for (let e = 0; e < edgeTable.size; e++) {
    const parent = edgeTable.first(e);
    if (cum[parent] === 0 && flat[parent] === 0) {
      namedOf[e] = namedTable.find(nodeName[parent]!, nodeLine[parent]! - nodeStart[parent]!, nodeName[edgeTable.second(e)]!);
    }
  }
  if (Math.abs(total) > Number.MAX_SAFE_INTEGER) throw new ProfileError('precision', 'the total edge weight exceeds 2^53');
  return {
    namedTable,
    namedW,
    total,
    nameCount: nameText.length,
    nameStr,
    nameIdx: table ? nameIdx : null,
    table,
    pairGroups,
    namedOf,
  };
}

/** The name ids that occur in named edges (the sort keys), and each one's position in `ids`. */
export interface UsedNames {
  ids: Int32Array;
  /** Name id → index in `ids`, or -1. */
  at: Int32Array;
}

export function usedNames(g: NamedEdgeTable): UsedNames {
  const at = new Int32Array(g.nameCount).fill(-1);
  let ids = new Int32Array(1024);
  let n = 0;
  const t = g.namedTable;
  for (let k = 0; k < 2 * t.size; k++) {
    const nm = t.get(k >> 1, k & 1 ? 2 : 0);
    if (at[nm] === -1) {
      at[nm] = n;
      if (n >= ids.length) ids = grow(ids, n + 1);
      ids[n++] = nm;
    }
  }
  return { ids: ids.subarray(0, n), at };
}

/**
 * ByWeight order of the named edges (ids): weight desc, then caller, callee (Go byte order, given
 * as `rank[i]` for the name `used.ids[i]`) and offset; ranks and offsets are read from typed
 * columns so the comparator does no lookups.
 */
export function byWeightOrder(g: NamedEdgeTable, used: UsedNames, rank: Int32Array): Int32Array {
  const t = g.namedTable;
  const w = g.namedW;
  const nN = t.size;
  const cRank = new Int32Array(nN);
  const eRank = new Int32Array(nN);
  const off = new Float64Array(nN);
  const order = new Int32Array(nN);
  for (let i = 0; i < nN; i++) {
    order[i] = i;
    cRank[i] = rank[used.at[t.get(i, 0)]!]!;
    eRank[i] = rank[used.at[t.get(i, 2)]!]!;
    off[i] = t.get(i, 1);
  }
  order.sort((a, b) => {
    const wa = w[a]!;
    const wb = w[b]!;
    if (wa !== wb) return wa > wb ? -1 : 1;
    if (cRank[a] !== cRank[b]) return cRank[a]! - cRank[b]!;
    if (eRank[a] !== eRank[b]) return eRank[a]! - eRank[b]!;
    return off[a]! - off[b]!;
  });
  return order;
}

/** A start line or line beyond ±2^53: the offset (line − start line) cannot be computed exactly. */
function inexact(p: PprofProfile, f: number, line: number): never {
  const si = p.functions.name[f]!;
  const name = (p.stringTable ? p.stringTable.get(si) : p.strings[si]) ?? '?';
  const start = p.functions.startLine[f]!;
  const what = Number.isSafeInteger(start) ? `line ${describeNumber(line)}` : `start line ${describeNumber(start)}`;
  throw new ProfileError('range', `function ${name} has ${what}: its call-site offsets cannot be computed exactly`);
}
