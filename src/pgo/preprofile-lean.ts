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
  const names = Array.from(used.ids, (nm) => {
    const si = nameIdx[nm]!;
    return si < 0 ? '' : arena.toString('latin1', table.byteStart(si), table.byteEnd(si));
  });
  const order = byWeightOrder(g, used, goSortRanks(names));
  const t = g.namedTable;
  const w = g.namedW;
  let size = PREPROFILE_HEADER.length;
  for (let i = 0; i < order.length; i++) {
    const id = order[i]!;
    size += names[used.at[t.get(id, 0)]!]!.length + names[used.at[t.get(id, 2)]!]!.length + intBytes(t.get(id, 1)) + intBytes(w[id]!) + 4;
  }
  const out = Buffer.allocUnsafe(size);
  let o = out.write(PREPROFILE_HEADER, 0, 'latin1');
  for (let i = 0; i < order.length; i++) {
    const id = order[i]!;
    o += out.write(names[used.at[t.get(id, 0)]!]!, o, 'latin1');
    out[o++] = 0x0a;
    o += out.write(names[used.at[t.get(id, 2)]!]!, o, 'latin1');
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
