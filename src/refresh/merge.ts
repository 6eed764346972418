/**
 * Merging pprof profiles with the semantics of `go tool pprof -proto -symbolize=none a b`
 * (Go's `internal/profile.Merge`), without ever re-symbolizing: `Function.start_line`, which PGO
 * needs, is carried over unchanged.
 *
 * - Mappings are deduplicated by Go's mapping key (size rounded up to 4 KiB, file offset, build
 *   ID or else file name); the first one seen is kept, and each input's addresses are shifted by
 *   the difference of the mapping starts, as Go does for address-space randomization.
 * - Functions are deduplicated by (name, system name, file name, start line).
 * - Locations are deduplicated by their contents (mapping, mapping-relative address, folded flag,
 *   lines as (function, line)), since location ids differ between inputs.
 * - Samples with identical stacks (and, with `keepLabels`, identical labels) are summed;
 *   all-zero samples are dropped.
 * - Sample types (and the period type) must match in type and unit, in order.
 * - duration_nanos is the sum, time_nanos the earliest non-zero one, period the largest
 *   (equal inputs: kept), comments are concatenated without duplicates, drop/keep frames and
 *   the default sample type come from the first input.
 *
 * Differences from Go, both options:
 * - `keepLabels` (default false): labels are dropped, so samples that differ only in labels are
 *   summed. PGO ignores labels; keeping them only makes the file larger.
 * - `normalize` (default false): every input is scaled as if it had lasted as long as the longest
 *   input: the values of input i are multiplied by `maxDuration / duration_i` and rounded to the
 *   nearest integer (a factor ≥ 1, so no non-zero value rounds to zero); the merged
 *   duration_nanos is then `inputs × maxDuration`. An input without duration_nanos cannot be
 *   normalized (error). This keeps a long collection from one instance from outweighing a short
 *   one from another.
 */
import { assertExactNumbers } from '../profile/ranges';
import { ProfileError } from '../profile/errors';
import { encodePprofGzip } from '../profile/encode';
import { type PprofProfile, type ValueType } from '../profile/pprof';
import {
  ProtoWriter,
  V_HI,
  V_LO,
  V_POS,
  WIRE_BYTES,
  WIRE_VARINT,
  lastField,
  lastInt,
  lastUint,
  lastWireType,
  readVarint64,
  skipField,
  truncated,
} from '../profile/wire';
import { isPreprofile } from '../pgo/preprofile';
import { decodePprofData, type Loaded, loadProfileData } from '../pgo/load';

export interface MergeOptions {
  /** Keep sample labels (default: drop them). */
  keepLabels?: boolean;
  /** Scale each input to the longest input's duration (see the module comment). */
  normalize?: boolean;
}

export interface MergeInput {
  /** For error messages (a file name or URL). */
  name: string;
  bytes: Uint8Array;
}

export interface MergeResult {
  /** Gzipped pprof. */
  bytes: Buffer;
  /** The merged profile as the compiler will read it. */
  loaded: Loaded;
  samples: number;
  /**
   * Things worth telling the user about the inputs (the merge still happened): inputs of
   * different durations summed without `normalize` (the Go PGO guide: merged profiles should
   * cover equal wall durations), inputs without a duration.
   */
  warnings: string[];
}

/** Durations further apart than this ratio are reported by `mergeWarnings`. */
export const DURATION_TOLERANCE = 1.1;

const fmtSeconds = (ns: bigint): string => `${(Number(ns) / 1e9).toFixed(Number(ns) % 1e9 === 0 ? 0 : 1)} s`;

/** Warnings about the inputs of a merge (see `MergeResult.warnings`). */
export function mergeWarnings(inputs: Array<{ name: string; profile: Pick<PprofProfile, 'durationNanos'> }>, opts: MergeOptions = {}): string[] {
  if (inputs.length < 2) return [];
  const warnings: string[] = [];
  const missing = inputs.filter((i) => i.profile.durationNanos <= 0n);
  if (missing.length) {
    warnings.push(`${missing.map((i) => i.name).join(', ')}: no duration recorded; its weight relative to the other inputs is unknown`);
  }
  const timed = inputs.filter((i) => i.profile.durationNanos > 0n);
  if (!opts.normalize && timed.length >= 2) {
    const min = timed.reduce((a, b) => (b.profile.durationNanos < a.profile.durationNanos ? b : a));
    const max = timed.reduce((a, b) => (b.profile.durationNanos > a.profile.durationNanos ? b : a));
    const ratio = Number(max.profile.durationNanos) / Number(min.profile.durationNanos);
    if (ratio > DURATION_TOLERANCE) {
      warnings.push(
        `durations differ: ${max.name} covers ${fmtSeconds(max.profile.durationNanos)}, ${min.name} ${fmtSeconds(min.profile.durationNanos)}; ` +
          `samples are summed, so the longer one weighs ${ratio.toFixed(1)}× more (collect equal durations, or merge with --normalize)`,
      );
    }
  }
  return warnings;
}

interface MappingFields {
  id: number;
  start: bigint;
  limit: bigint;
  offset: bigint;
  file: string;
  buildId: string;
  flags: number[]; // fields 7..10 as 0/1
}

const U64 = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

function parseMapping(buf: Uint8Array, strings: string[]): MappingFields {
  const m: MappingFields = { id: 0, start: 0n, limit: 0n, offset: 0n, file: '', buildId: '', flags: [0, 0, 0, 0] };
  let p = 0;
  const e = buf.length;
  while (p < e) {
    readVarint64(buf, p, e);
    const f = lastField();
    const wt = lastWireType();
    p = V_POS;
    if (f >= 1 && f <= 10 && wt === WIRE_VARINT) {
      readVarint64(buf, p, e);
      p = V_POS;
      const u = U64(V_LO, V_HI);
      if (f === 1) m.id = lastUint();
      else if (f === 2) m.start = u;
      else if (f === 3) m.limit = u;
      else if (f === 4) m.offset = u;
      else if (f === 5) m.file = strings[lastInt()] ?? '';
      else if (f === 6) m.buildId = strings[lastInt()] ?? '';
      else m.flags[f - 7] = u !== 0n ? 1 : 0;
    } else p = skipField(buf, p, e, wt, `Mapping field ${f}`);
  }
  return m;
}

/** Go's Mapping.key(): size rounded up to 4 KiB, offset, build ID or file. */
function mappingKey(m: MappingFields): string {
  let size = BigInt.asUintN(64, m.limit - m.start);
  size = BigInt.asUintN(64, size + 0xfffn);
  size -= size % 0x1000n;
  return `${size}|${m.offset}|${m.buildId !== '' ? m.buildId : m.file}`;
}

/** Rewrites raw Label fields (tag + payload, concatenated) with string indices remapped. */
function remapLabels(raw: Uint8Array, strings: string[], str: (s: string) => number): Uint8Array {
  const w = new ProtoWriter(raw.length + 16);
  let p = 0;
  while (p < raw.length) {
    readVarint64(raw, p, raw.length);
    const wt = lastWireType();
    p = V_POS;
    if (wt !== WIRE_BYTES) {
      p = skipField(raw, p, raw.length, wt, 'Sample.label');
      continue;
    }
    readVarint64(raw, p, raw.length);
    const e = V_POS + lastUint();
    if (e > raw.length) throw truncated('Sample.label');
    let q = V_POS;
    w.message(3, (m) => {
      while (q < e) {
        readVarint64(raw, q, e);
        const f = lastField();
        const fwt = lastWireType();
        q = V_POS;
        if (fwt !== WIRE_VARINT) {
          q = skipField(raw, q, e, fwt, 'Label field');
          continue;
        }
        readVarint64(raw, q, e);
        q = V_POS;
        if (f === 1 || f === 2 || f === 4) m.int64Opt(f, str(strings[lastInt()] ?? ''));
        else if (f === 3) {
          m.tag(3, WIRE_VARINT);
          m.varint64(V_LO, V_HI);
        }
      }
    });
    p = e;
  }
  return w.finish().slice();
}

function sameTypes(a: ValueType[], b: ValueType[]): boolean {
  return a.length === b.length && a.every((t, i) => t.type === b[i]!.type && t.unit === b[i]!.unit);
}
const fmtTypes = (t: ValueType[]): string => t.map((v) => `${v.type}/${v.unit}`).join(', ') || '(none)';

/** Decodes one input with full samples; a preprocessed (GO PREPROFILE V1) file cannot be merged. */
export async function decodeForMerge(input: MergeInput): Promise<PprofProfile> {
  const b = input.bytes;
  if (isPreprofile(b)) {
    throw new Error(`${input.name}: a preprocessed profile (GO PREPROFILE V1) cannot be merged; merge the original pprof profiles`);
  }
  try {
    const p = await decodePprofData(b, { keepSamples: true, heat: false });
    if (!p) throw new ProfileError('protobuf', 'empty input');
    assertExactNumbers(p);
    return p;
  } catch (e) {
    if (e instanceof ProfileError) throw new ProfileError(e.kind, `${input.name}: ${e.detail}`);
    throw e;
  }
}

/** Merges decoded profiles into a new profile (tables ready for `encodePprof`). */
export function mergePprof(inputs: Array<{ name: string; profile: PprofProfile }>, opts: MergeOptions = {}): PprofProfile {
  if (inputs.length === 0) throw new Error('nothing to merge');
  const first = inputs[0]!.profile;
  for (const { name, profile } of inputs) {
    if (!sameTypes(profile.sampleTypes, first.sampleTypes)) {
      throw new Error(
        `cannot merge ${name} with ${inputs[0]!.name}: sample types differ (${fmtTypes(profile.sampleTypes)} vs ${fmtTypes(first.sampleTypes)}); only profiles of the same kind can be merged`,
      );
    }
    const pa = profile.periodType;
    const pb = first.periodType;
    if ((pa === null) !== (pb === null) || (pa && pb && (pa.type !== pb.type || pa.unit !== pb.unit))) {
      throw new Error(`cannot merge ${name} with ${inputs[0]!.name}: period types differ`);
    }
    if (!profile.samples) throw new Error('internal: profile decoded without samples');
  }
  const nv = first.sampleTypes.length;

  let factors = inputs.map(() => 1);
  let durationNanos = inputs.reduce((s, i) => s + i.profile.durationNanos, 0n);
  if (opts.normalize) {
    const bad = inputs.find((i) => i.profile.durationNanos <= 0n);
    if (bad) throw new Error(`cannot normalize by duration: ${bad.name} has no duration_nanos`);
    const max = inputs.reduce((m, i) => (i.profile.durationNanos > m ? i.profile.durationNanos : m), 0n);
    factors = inputs.map((i) => Number(max) / Number(i.profile.durationNanos));
    durationNanos = max * BigInt(inputs.length);
  }

  // strings
  const strings: string[] = [''];
  const strIdx = new Map<string, number>([['', 0]]);
  const str = (s: string): number => {
    let i = strIdx.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      strIdx.set(s, i);
    }
    return i;
  };
  const sampleTypeIdx = first.sampleTypes.map((t) => [str(t.type), str(t.unit)] as [number, number]);

  // mappings
  const mappings: Uint8Array[] = [];
  const mapByKey = new Map<string, { id: number; start: bigint }>();
  // functions
  const fId: number[] = [];
  const fName: number[] = [];
  const fSys: number[] = [];
  const fFile: number[] = [];
  const fStart: number[] = [];
  const fByKey = new Map<string, number>();
  // locations
  const lMap: number[] = [];
  const lLo: number[] = [];
  const lHi: number[] = [];
  const lFold: number[] = [];
  const lLineStart: number[] = [0];
  const lLineFunc: number[] = [];
  const lLineLine: number[] = [];
  const lByKey = new Map<string, number>();
  // samples
  const sByKey = new Map<string, number>();
  const sStart: number[] = [0];
  const sStack: number[] = [];
  const sValues: number[] = [];
  const sLabels: (Uint8Array | null)[] = [];

  let period = 0n;
  let timeNanos = 0n;
  const comments: string[] = [];
  for (const { profile } of inputs) {
    if (profile.period > period) period = profile.period;
    if (profile.timeNanos !== 0n && (timeNanos === 0n || profile.timeNanos < timeNanos)) timeNanos = profile.timeNanos;
    for (const c of profile.comments) if (!comments.includes(c)) comments.push(c);
  }

  inputs.forEach(({ name, profile: p }, inputNo) => {
    const factor = factors[inputNo]!;
    // mapping id → merged id and address delta
    const mapInfo = new Map<number, { id: number; delta: bigint; start: bigint }>();
    const mapMapping = (raw: Uint8Array): void => {
      const m = parseMapping(raw, p.strings);
      const k = mappingKey(m);
      let merged = mapByKey.get(k);
      if (!merged) {
        merged = { id: mappings.length + 1, start: m.start };
        mapByKey.set(k, merged);
        const w = new ProtoWriter(64);
        w.int64Opt(1, merged.id);
        const u64 = (f: number, v: bigint): void => {
          if (v === 0n) return;
          w.tag(f, WIRE_VARINT);
          w.varint64(Number(v & 0xffffffffn), Number(v >> 32n));
        };
        u64(2, m.start);
        u64(3, m.limit);
        u64(4, m.offset);
        w.int64Opt(5, m.file ? str(m.file) : 0);
        w.int64Opt(6, m.buildId ? str(m.buildId) : 0);
        m.flags.forEach((v, i) => w.int64Opt(7 + i, v));
        mappings.push(w.finish().slice());
      }
      mapInfo.set(m.id, { id: merged.id, delta: merged.start - m.start, start: merged.start });
    };
    if (mappings.length === 0 && p.mappings.length > 0) mapMapping(p.mappings[0]!);
    for (const raw of p.mappings) mapMapping(raw);

    const fMemo = new Int32Array(p.functions.count).fill(-1);
    const mapFunction = (f: number): number => {
      let r = fMemo[f]!;
      if (r >= 0) return r;
      const F = p.functions;
      const nm = p.strings[F.name[f]!] ?? '';
      const sys = p.strings[F.systemName[f]!] ?? '';
      const file = p.strings[F.filename[f]!] ?? '';
      const start = F.startLine[f]!;
      const k = `${start}\0${nm}\0${sys}\0${file}`;
      let got = fByKey.get(k);
      if (got === undefined) {
        got = fId.length;
        fByKey.set(k, got);
        fId.push(got + 1);
        fName.push(str(nm));
        fSys.push(str(sys));
        fFile.push(str(file));
        fStart.push(start);
      }
      fMemo[f] = r = got;
      return r;
    };

    const L = p.locations;
    const lMemo = new Int32Array(L.count).fill(-1);
    const mapLocation = (l: number): number => {
      let r = lMemo[l]!;
      if (r >= 0) return r;
      if (!L.defined[l]) throw new ProfileError('malformed', `${name}: a sample refers to location id ${L.id[l]}, which the profile does not define`);
      let addr = U64(L.addrLo[l]!, L.addrHi[l]!);
      let mapId = 0;
      let relAddr = addr;
      const mid = L.mappingId[l]!;
      if (mid !== 0) {
        const mi = mapInfo.get(mid);
        if (!mi) throw new ProfileError('malformed', `${name}: location ${L.id[l]} refers to mapping ${mid}, which does not exist`);
        addr = BigInt.asUintN(64, addr + mi.delta);
        mapId = mi.id;
        relAddr = BigInt.asUintN(64, addr - mi.start);
      }
      const fl: number[] = [];
      for (let i = L.lineStart[l]!; i < L.lineStart[l + 1]!; i++) {
        const f = L.lineFunc[i]!;
        fl.push(f < 0 ? -1 : mapFunction(f), L.lineLine[i]!);
      }
      const k = `${mapId}|${relAddr}|${L.isFolded[l]}|${fl.join(',')}`;
      let got = lByKey.get(k);
      if (got === undefined) {
        got = lMap.length;
        lByKey.set(k, got);
        lMap.push(mapId);
        lLo.push(Number(addr & 0xffffffffn));
        lHi.push(Number(addr >> 32n));
        lFold.push(L.isFolded[l]!);
        for (let i = 0; i < fl.length; i += 2) {
          lLineFunc.push(fl[i]!);
          lLineLine.push(fl[i + 1]!);
        }
        lLineStart.push(lLineFunc.length);
      }
      lMemo[l] = r = got;
      return r;
    };

    const S = p.samples!;
    for (let i = 0; i < S.count; i++) {
      let zero = true;
      for (let j = 0; j < nv; j++) if (S.values[i * nv + j] !== 0) zero = false;
      if (zero) continue;
      const stack: number[] = [];
      for (let k = S.stackStart[i]!; k < S.stackStart[i + 1]!; k++) stack.push(mapLocation(S.stack[k]!));
      let labels: Uint8Array | null = null;
      let key = stack.join('|');
      if (opts.keepLabels && S.labels[i]) {
        labels = remapLabels(S.labels[i]!, p.strings, str);
        key += `#${Buffer.from(labels).toString('base64')}`;
      }
      let s = sByKey.get(key);
      if (s === undefined) {
        s = sLabels.length;
        sByKey.set(key, s);
        for (const x of stack) sStack.push(x); // no spread: a 100k-frame stack would overflow the call stack
        sStart.push(sStack.length);
        for (let j = 0; j < nv; j++) sValues.push(0);
        sLabels.push(labels);
      }
      for (let j = 0; j < nv; j++) {
        const v = S.values[i * nv + j]!;
        const k = s * nv + j;
        sValues[k] = (sValues[k] ?? 0) + (factor === 1 ? v : Math.round(v * factor));
      }
    }
  });

  for (let j = 0; j < sValues.length; j++) {
    if (!Number.isSafeInteger(sValues[j]!)) {
      throw new ProfileError('precision', `merged ${fmtTypes([first.sampleTypes[j % nv]!])} value exceeds 2^53`);
    }
  }

  const nL = lMap.length;
  const nS = sLabels.length;
  // Make sure every header string is in the table.
  const dropFrames = first.dropFrames;
  const keepFrames = first.keepFrames;
  for (const s of [dropFrames, keepFrames, first.defaultSampleType, ...comments]) str(s);
  if (first.periodType) {
    str(first.periodType.type);
    str(first.periodType.unit);
  }
  return {
    strings,
    sampleTypes: first.sampleTypes,
    sampleTypeIdx,
    defaultSampleType: first.defaultSampleType,
    periodType: first.periodType,
    period,
    timeNanos,
    durationNanos,
    comments,
    dropFrames,
    keepFrames,
    mappings,
    functions: {
      count: fId.length,
      id: Float64Array.from(fId),
      name: Int32Array.from(fName),
      systemName: Int32Array.from(fSys),
      filename: Int32Array.from(fFile),
      startLine: Float64Array.from(fStart),
    },
    locations: {
      count: nL,
      id: Float64Array.from({ length: nL }, (_, i) => i + 1),
      mappingId: Float64Array.from(lMap),
      addrLo: Uint32Array.from(lLo),
      addrHi: Uint32Array.from(lHi),
      isFolded: Uint8Array.from(lFold),
      defined: new Uint8Array(nL).fill(1),
      lineStart: Int32Array.from(lLineStart),
      lineFunc: Int32Array.from(lLineFunc),
      lineLine: Float64Array.from(lLineLine),
    },
    nValues: nv,
    sampleCount: nS,
    pairs: { count: 0, caller: new Int32Array(0), leaf: new Int32Array(0), values: new Float64Array(0) },
    valueTotals: new Float64Array(nv),
    stacks: null, // encoded, never shown: the stacks are in `samples`
    inexact: new Array<boolean>(nv).fill(false),
    samples: {
      count: nS,
      stackStart: Int32Array.from(sStart),
      stack: Int32Array.from(sStack),
      values: Float64Array.from(sValues),
      labels: sLabels,
    },
  };
}

/**
 * Decodes, merges, encodes (gzipped) and validates the result the way the compiler will read it.
 * Throws when the merged profile has no samples or cannot be used for PGO, so that such a file
 * is never written.
 */
export async function mergeProfiles(inputs: MergeInput[], opts: MergeOptions = {}): Promise<MergeResult> {
  const decoded: Array<{ name: string; profile: PprofProfile }> = [];
  for (const i of inputs) decoded.push({ name: i.name, profile: await decodeForMerge(i) });
  const merged = mergePprof(decoded, opts);
  const bytes = encodePprofGzip(merged);
  const loaded = await loadProfileData(bytes, { heat: false });
  if (merged.sampleCount === 0 || loaded.profile.totalWeight === 0) {
    throw new Error(`the merged profile is unusable for PGO: ${loaded.profile.emptyReason ?? 'it has no samples'}; nothing written`);
  }
  return { bytes, loaded, samples: merged.sampleCount, warnings: mergeWarnings(decoded, opts) };
}
