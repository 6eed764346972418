/**
 * Trimming a decoded pprof profile to what its readers need (issue #17).
 *
 * - `pgo` (default): each sample folded to its two leaf-most locations (all the compiler's graph
 *   reads, go-pgo-semantics.md §2.2), and only the locations, functions, mappings and strings
 *   those need. The compiler's graph node is (function name, location address, start line,
 *   line) (internal/profile NodeInfo), so locations keep their ids, addresses and every inline
 *   line: two PCs of one line stay two nodes, and `go tool preprofile` prints the same bytes.
 *   Functions also keep their system name and file (go tool pprof -list and the heat view of
 *   files outside the workspace use the file). Labels, comments, deeper frames, mapping build
 *   ids and everything unreferenced are dropped.
 * - `stacks`: whole stacks and the header (comments, build ids) kept for `go tool pprof`
 *   and the heat view; labels and unreferenced locations/functions/mappings/strings dropped.
 *
 * The result is encoded by `encodePprof` (src/profile/encode.ts) from a compacted copy of the tables.
 */
import { ProfileError } from './errors';
import type { FunctionTable, LocationTable, PprofProfile } from './pprof';
import { ProtoWriter, V_POS, WIRE_VARINT, lastField, lastInt, lastWireType, readVarint64, skipField, typeMismatch } from './wire';

export type TrimMode = 'pgo' | 'stacks';

/** Mapping fields that hold string-table indices: filename and build_id. */
const MAPPING_FILENAME = 5;
const MAPPING_BUILD_ID = 6;

class StringTable {
  readonly strings: string[] = [''];
  private readonly index = new Map<string, number>([['', 0]]);
  add(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

function mappingId(payload: Uint8Array): number {
  let p = 0;
  while (p < payload.length) {
    readVarint64(payload, p, payload.length);
    const f = lastField();
    const wt = lastWireType();
    p = V_POS;
    if (f === 1 && wt === WIRE_VARINT) {
      readVarint64(payload, p, payload.length);
      return lastInt();
    }
    p = skipField(payload, p, payload.length, wt, `Mapping field ${f}`);
  }
  return 0;
}

/** Re-encodes a raw Mapping message with its string indices moved to the new table (build id dropped unless kept). */
function remapMapping(payload: Uint8Array, old: string[], table: StringTable, keepBuildId: boolean): Uint8Array {
  const w = new ProtoWriter(payload.length + 16);
  let p = 0;
  while (p < payload.length) {
    const start = p;
    readVarint64(payload, p, payload.length);
    const f = lastField();
    const wt = lastWireType();
    p = V_POS;
    if (f === MAPPING_FILENAME || f === MAPPING_BUILD_ID) {
      if (wt !== WIRE_VARINT) throw typeMismatch(`Mapping field ${f}`, wt);
      readVarint64(payload, p, payload.length);
      p = V_POS;
      const s = old[lastInt()];
      if (s === undefined) throw new ProfileError('malformed', `Mapping string index ${lastInt()} is out of range`);
      if (f === MAPPING_BUILD_ID && !keepBuildId) continue;
      w.int64Opt(f, table.add(s));
      continue;
    }
    p = skipField(payload, p, payload.length, wt, `Mapping field ${f}`);
    w.bytes(payload.subarray(start, p));
  }
  return w.finish().slice();
}

export interface TrimResult {
  /** The compacted tables, ready for `encodePprof`. */
  profile: PprofProfile;
  locations: number;
  functions: number;
  samples: number;
}

/**
 * A compacted copy of `p` for `mode`. `p` must have been decoded with `keepSamples` for the
 * `stacks` mode; the `pgo` mode uses the folded pairs every decode has.
 */
export function trimPprof(p: PprofProfile, mode: TrimMode): TrimResult {
  if (mode === 'stacks' && !p.samples) throw new Error('internal: --keep-stacks needs a profile decoded with keepSamples');
  const bad = p.inexact.findIndex((x) => x);
  if (bad >= 0) {
    throw new ProfileError('precision', `sample values of type ${p.sampleTypes[bad]?.type ?? bad} add up beyond 2^53; trimming would not be exact`);
  }
  const L = p.locations;
  const F = p.functions;
  // Locations in use, in their original order.
  const usedLoc = new Uint8Array(L.count);
  if (mode === 'stacks') {
    const s = p.samples!;
    for (let k = 0; k < s.stack.length; k++) usedLoc[s.stack[k]!] = 1;
  } else {
    for (let i = 0; i < p.pairs.count; i++) {
      usedLoc[p.pairs.leaf[i]!] = 1;
      if (p.pairs.caller[i]! >= 0) usedLoc[p.pairs.caller[i]!] = 1;
    }
  }
  const newLoc = new Int32Array(L.count).fill(-1);
  let nl = 0;
  let nLines = 0;
  const usedFn = new Uint8Array(F.count);
  const usedMapping = new Set<number>();
  for (let l = 0; l < L.count; l++) {
    if (!usedLoc[l]) continue;
    newLoc[l] = nl++;
    nLines += L.lineStart[l + 1]! - L.lineStart[l]!;
    for (let i = L.lineStart[l]!; i < L.lineStart[l + 1]!; i++) if (L.lineFunc[i]! >= 0) usedFn[L.lineFunc[i]!] = 1;
    if (L.mappingId[l]! !== 0) usedMapping.add(L.mappingId[l]!);
  }

  const table = new StringTable();
  const str = (i: number): number => table.add(p.strings[i]!);
  const sampleTypeIdx = p.sampleTypeIdx.map(([t, u]): [number, number] => [str(t), str(u)]);
  const mappings = p.mappings.filter((m) => usedMapping.has(mappingId(m))).map((m) => remapMapping(m, p.strings, table, mode === 'stacks'));

  const newFn = new Int32Array(F.count).fill(-1);
  let nf = 0;
  for (let f = 0; f < F.count; f++) if (usedFn[f]) newFn[f] = nf++;
  const functions: FunctionTable = {
    count: nf,
    id: new Float64Array(nf),
    name: new Int32Array(nf),
    systemName: new Int32Array(nf),
    filename: new Int32Array(nf),
    startLine: new Float64Array(nf),
  };
  for (let f = 0; f < F.count; f++) {
    const d = newFn[f]!;
    if (d < 0) continue;
    functions.id[d] = F.id[f]!;
    functions.name[d] = str(F.name[f]!);
    functions.systemName[d] = str(F.systemName[f]!);
    functions.filename[d] = str(F.filename[f]!);
    functions.startLine[d] = F.startLine[f]!;
  }

  const locations: LocationTable = {
    count: nl,
    id: new Float64Array(nl),
    mappingId: new Float64Array(nl),
    addrLo: new Uint32Array(nl),
    addrHi: new Uint32Array(nl),
    isFolded: new Uint8Array(nl),
    defined: new Uint8Array(nl),
    lineStart: new Int32Array(nl + 1),
    lineFunc: new Int32Array(nLines),
    lineLine: new Float64Array(nLines),
  };
  let li = 0;
  for (let l = 0; l < L.count; l++) {
    const d = newLoc[l]!;
    if (d < 0) continue;
    locations.id[d] = L.id[l]!;
    locations.mappingId[d] = L.mappingId[l]!;
    locations.addrLo[d] = L.addrLo[l]!;
    locations.addrHi[d] = L.addrHi[l]!;
    locations.isFolded[d] = L.isFolded[l]!;
    locations.defined[d] = L.defined[l]!;
    locations.lineStart[d] = li;
    for (let i = L.lineStart[l]!; i < L.lineStart[l + 1]!; i++, li++) {
      const fn = L.lineFunc[i]!;
      locations.lineFunc[li] = fn >= 0 ? newFn[fn]! : -1;
      locations.lineLine[li] = L.lineLine[i]!;
    }
  }
  locations.lineStart[nl] = li;

  const pairs = {
    count: p.pairs.count,
    caller: p.pairs.caller.map((c) => (c >= 0 ? newLoc[c]! : -1)),
    leaf: p.pairs.leaf.map((l) => newLoc[l]!),
    values: p.pairs.values,
  };
  let samples: PprofProfile['samples'] = null;
  if (mode === 'stacks') {
    const s = p.samples!;
    samples = {
      count: s.count,
      stackStart: s.stackStart,
      stack: s.stack.map((l) => newLoc[l]!),
      values: s.values,
      labels: new Array<Uint8Array | null>(s.count).fill(null),
    };
  }
  const keepStr = (s: string): string => {
    if (s) table.add(s);
    return s;
  };
  const comments = mode === 'stacks' ? p.comments.map(keepStr) : [];
  if (p.periodType) {
    keepStr(p.periodType.type);
    keepStr(p.periodType.unit);
  }
  const trimmed: PprofProfile = {
    ...p,
    strings: table.strings,
    stringTable: undefined, // the decoder's byte table indexes the old strings
    sampleTypeIdx,
    defaultSampleType: keepStr(p.defaultSampleType),
    comments,
    dropFrames: keepStr(p.dropFrames),
    keepFrames: keepStr(p.keepFrames),
    mappings,
    functions,
    locations,
    pairs,
    samples,
    // the encoder writes `samples` (whole stacks) or `pairs`; the decoded stacks are not carried over
    stacks: null,
  };
  return { profile: trimmed, locations: nl, functions: nf, samples: mode === 'stacks' ? p.samples!.count : p.pairs.count };
}
