/**
 * pprof encoding from the decoded tables, in the field order of Go's own encoder. With full
 * samples (`keepSamples`) the profile round-trips; otherwise every folded (caller, leaf) pair
 * becomes one two-frame sample — exactly what the compiler reads (a "PGO-trimmed" profile,
 * far smaller, with identical compiler decisions).
 */
import { gzip } from './inflate';
import { assertExactNumbers } from './ranges';
import type { PprofProfile } from './pprof';
import { ProtoWriter, WIRE_BYTES } from './wire';

export function encodePprof(p: PprofProfile): Uint8Array {
  assertExactNumbers(p); // a typed error, not a RangeError from the writer
  const w = new ProtoWriter(1 << 20);
  const strIdx = new Map<string, number>();
  p.strings.forEach((s, i) => {
    if (!strIdx.has(s)) strIdx.set(s, i);
  });
  const idx = (s: string): number => {
    const i = strIdx.get(s);
    if (i === undefined) throw new Error(`internal: string ${JSON.stringify(s)} missing from the table`);
    return i;
  };
  for (const [t, u] of p.sampleTypeIdx) {
    w.message(1, (m) => {
      m.int64Opt(1, t);
      m.int64Opt(2, u);
    });
  }
  const nv = p.nValues;
  const locId = p.locations.id;
  if (p.samples) {
    const s = p.samples;
    for (let i = 0; i < s.count; i++) {
      w.message(2, (m) => {
        const a = s.stackStart[i]!;
        const b = s.stackStart[i + 1]!;
        if (b > a) {
          m.message(1, (q) => {
            for (let k = a; k < b; k++) q.varint(locId[s.stack[k]!]!);
          });
        }
        m.packed(2, s.values, i * nv, i * nv + nv);
        const labels = s.labels[i];
        if (labels) m.bytes(labels);
      });
    }
  } else {
    const pr = p.pairs;
    for (let i = 0; i < pr.count; i++) {
      w.message(2, (m) => {
        m.message(1, (q) => {
          q.varint(locId[pr.leaf[i]!]!);
          if (pr.caller[i]! >= 0) q.varint(locId[pr.caller[i]!]!);
        });
        m.packed(2, pr.values, i * nv, i * nv + nv);
      });
    }
  }
  for (const mp of p.mappings) {
    w.tag(3, WIRE_BYTES);
    w.varint(mp.length);
    w.bytes(mp);
  }
  const L = p.locations;
  const F = p.functions;
  for (let l = 0; l < L.count; l++) {
    if (!L.defined[l]) continue;
    w.message(4, (m) => {
      m.int64Opt(1, L.id[l]!);
      m.int64Opt(2, L.mappingId[l]!);
      if (L.addrLo[l] !== 0 || L.addrHi[l] !== 0) {
        m.tag(3, 0);
        m.varint64(L.addrLo[l]!, L.addrHi[l]!);
      }
      for (let i = L.lineStart[l]!; i < L.lineStart[l + 1]!; i++) {
        m.message(4, (ln) => {
          const f = L.lineFunc[i]!;
          if (f >= 0) ln.int64Opt(1, F.id[f]!);
          ln.int64Opt(2, L.lineLine[i]!);
        });
      }
      if (L.isFolded[l]) m.int64Opt(5, 1);
    });
  }
  for (let f = 0; f < F.count; f++) {
    w.message(5, (m) => {
      m.int64Opt(1, F.id[f]!);
      m.int64Opt(2, F.name[f]!);
      m.int64Opt(3, F.systemName[f]!);
      m.int64Opt(4, F.filename[f]!);
      m.int64Opt(5, F.startLine[f]!);
    });
  }
  for (const s of p.strings) w.string(6, s);
  w.int64Opt(7, p.dropFrames ? idx(p.dropFrames) : 0);
  w.int64Opt(8, p.keepFrames ? idx(p.keepFrames) : 0);
  w.int64OptBig(9, p.timeNanos);
  w.int64OptBig(10, p.durationNanos);
  if (p.periodType) {
    const pt = p.periodType;
    w.message(11, (m) => {
      m.int64Opt(1, idx(pt.type));
      m.int64Opt(2, idx(pt.unit));
    });
  }
  w.int64OptBig(12, p.period);
  if (p.comments.length) w.packed(13, p.comments.map(idx));
  w.int64Opt(14, p.defaultSampleType ? idx(p.defaultSampleType) : 0);
  return w.finish();
}

/** Gzipped pprof, as `default.pgo` files usually are. */
export function encodePprofGzip(p: PprofProfile): Buffer {
  return gzip(encodePprof(p));
}
