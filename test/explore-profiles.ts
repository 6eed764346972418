/**
 * Derived profiles with a known change, for the explorer's diff tests: a fixture profile without
 * every sample whose stack passes through one function (so that function's weight, its hot call
 * sites and the devirtualizations that target it disappear).
 */
import { encodePprofGzip } from '../src/profile/encode';
import { gunzip, isGzip } from '../src/profile/inflate';
import { decodePprof } from '../src/profile/pprof';

export function withoutFunction(bytes: Uint8Array, fn: string): Buffer {
  const p = decodePprof(isGzip(bytes) ? gunzip(bytes) : bytes, { keepSamples: true });
  const s = p.samples!;
  const { strings, functions: fns, locations: locs } = p;
  const hit = new Uint8Array(locs.count);
  for (let l = 0; l < locs.count; l++) {
    for (let i = locs.lineStart[l]!; i < locs.lineStart[l + 1]!; i++) {
      const f = locs.lineFunc[i]!;
      if (f >= 0 && strings[fns.name[f]!] === fn) hit[l] = 1;
    }
  }
  const nv = p.nValues;
  const keep: number[] = [];
  for (let i = 0; i < s.count; i++) {
    let drop = false;
    for (let k = s.stackStart[i]!; k < s.stackStart[i + 1]!; k++) if (hit[s.stack[k]!]) drop = true;
    if (!drop) keep.push(i);
  }
  if (keep.length === s.count) throw new Error(`no sample passes through ${fn}`);
  const stackStart = new Int32Array(keep.length + 1);
  const stack: number[] = [];
  const values = new Float64Array(keep.length * nv);
  keep.forEach((i, j) => {
    for (let k = s.stackStart[i]!; k < s.stackStart[i + 1]!; k++) stack.push(s.stack[k]!);
    stackStart[j + 1] = stack.length;
    values.set(s.values.subarray(i * nv, (i + 1) * nv), j * nv);
  });
  p.samples = { count: keep.length, stackStart, stack: Int32Array.from(stack), values, labels: keep.map((i) => s.labels[i]!) };
  p.sampleCount = keep.length;
  return encodePprofGzip(p);
}
