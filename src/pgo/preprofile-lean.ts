/**
 * `go tool preprofile`'s output straight from the decoded pprof tables (issue #14): the named
 * edge map (named-edges.ts) ordered ByWeight with names ranked by their bytes, and the output
 * written into one buffer sized exactly, each name copied from the string table's bytes. No
 * `NamedEdge` objects and no UTF-8 decoding or encoding: the bytes Go writes are the bytes of the
 * profile's strings.
 * Byte-identical to `serializePreprofile(modelFromPprof(p))` (test/unit/pgo/preprofile-lean.test.ts)
 * and to `go tool preprofile` (test/oracle/preprofile-lean.test.ts).
 */
import type { PprofProfile } from '../profile/pprof';
import { goSortRanks } from './gofmt';
import { buildNamedEdges, byWeightOrder, compilerValueIndex, type NamedEdgeTable, usedNames } from './named-edges';
import { intBytes, PREPROFILE_HEADER, serializePreprofile, writeInt } from './preprofile';
import type { NamedEdge } from './model';

/** The serialized profile (`GO PREPROFILE V1`) of a decoded pprof profile, as the compiler's model gives it. */
export function preprofileFromPprof(p: PprofProfile): Buffer {
  if (p.sampleCount === 0) return Buffer.from(PREPROFILE_HEADER, 'latin1');
  const g = buildNamedEdges(p, compilerValueIndex(p), { edgeGroups: false });
  if (g.total === 0) return Buffer.from(PREPROFILE_HEADER, 'latin1');
  return g.table && g.nameIdx ? fromBytes(g, g.nameIdx) : fromStrings(g);
}

/**
 * Names as the string table's bytes, each read as a latin1 string: one code unit per byte, so
 * JS string order is Go's byte order (invalid UTF-8 included), a name's length is its byte length
 * and writing it as latin1 writes exactly its bytes.
 */
function fromBytes(g: NamedEdgeTable, nameIdx: number[]): Buffer {
  const table = g.table!;
  const arena = table.arena;
  const used = usedNames(g);
  const nU = used.ids.length;
  // Per used name: its bytes in the arena (copied byte by byte below: names are short, and a
  // native write or copy call per name costs more than the copy) and, for ranking, a latin1 string.
  const from = new Int32Array(nU);
  const len = new Int32Array(nU);
  const names = new Array<string>(nU);
  for (let u = 0; u < nU; u++) {
    const si = nameIdx[used.ids[u]!]!;
    if (si < 0) {
      names[u] = '';
      continue;
    }
    from[u] = table.byteStart(si);
    len[u] = table.byteEnd(si) - from[u]!;
    names[u] = arena.toString('latin1', from[u]!, from[u]! + len[u]!);
  }
  const order = byWeightOrder(g, used, goSortRanks(names));
  const t = g.namedTable;
  const w = g.namedW;
  const at = used.at;
  let size = PREPROFILE_HEADER.length;
  for (let i = 0; i < order.length; i++) {
    const id = order[i]!;
    size += len[at[t.get(id, 0)]!]! + len[at[t.get(id, 2)]!]! + intBytes(t.get(id, 1)) + intBytes(w[id]!) + 4;
  }
  const out = Buffer.allocUnsafe(size);
  let o = out.write(PREPROFILE_HEADER, 0, 'latin1');
  for (let i = 0; i < order.length; i++) {
    const id = order[i]!;
    const c = at[t.get(id, 0)]!;
    for (let k = from[c]!, e = k + len[c]!; k < e; k++) out[o++] = arena[k]!;
    out[o++] = 0x0a;
    const d = at[t.get(id, 2)]!;
    for (let k = from[d]!, e = k + len[d]!; k < e; k++) out[o++] = arena[k]!;
    out[o++] = 0x0a;
    o = writeInt(out, o, t.get(id, 1));
    out[o++] = 0x20;
    o = writeInt(out, o, w[id]!);
    out[o++] = 0x0a;
  }
  if (o !== size) throw new Error(`internal error: preprofile output sized ${size} bytes, wrote ${o}`);
  return out;
}

/** Names read as JS strings (a table a caller may have edited): ranked as Go orders strings, written by `serializePreprofile`. */
function fromStrings(g: NamedEdgeTable): Buffer {
  const used = usedNames(g);
  const order = byWeightOrder(g, used, goSortRanks(Array.from(used.ids, g.nameStr)));
  const t = g.namedTable;
  const edges: NamedEdge[] = Array.from(order, (id) => ({
    caller: g.nameStr(t.get(id, 0)),
    offset: t.get(id, 1),
    callee: g.nameStr(t.get(id, 2)),
    weight: g.namedW[id]!,
  }));
  return serializePreprofile({ edges, totalWeight: g.total });
}
