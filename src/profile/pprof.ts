/**
 * pprof decoding into compact tables.
 *
 * The compiler reads only each sample's two leaf-most locations (go-pgo-semantics.md §2.2), so
 * samples are folded while decoding into a `(caller location, leaf location) → values` table; the
 * full stacks are stored only when `heat` (the editor's per-function and per-line flat/cum, computed
 * from them in src/pgo/flatcum.ts) or `keepSamples` (rewrite and merge, with labels) asks for them.
 *
 * Acceptance follows Go's `internal/profile` decoder: unknown fields are skipped, repeated numeric
 * fields may be packed or not, a known field with the wrong wire type is a type mismatch,
 * `string_table[0]` must be empty, and the `CheckValid` rules apply. Where Go would crash (a sample
 * naming a location that does not exist) this decoder reports an error instead.
 */
import { ROW_BYTES, TableBudget, type TableCounts } from './budget';
import { ProfileError } from './errors';
import { grow } from './grow';
import { StringArena, StringTable } from './string-table';
import { IntPairTable } from './int-pair-table';
import { describeNumber } from './ranges';
import {
  MAX_SAFE,
  T_FIELD,
  T_WIRE,
  V_HI,
  V_LO,
  V_POS,
  WIRE_BYTES,
  WIRE_VARINT,
  lastBigInt,
  lastField,
  lastInt,
  lastWireType,
  lastUint,
  lastUintText,
  readInt,
  readTag,
  readUint,
  readVarint64,
  skipField,
  truncated,
  typeMismatch,
} from './wire';

export interface ValueType {
  type: string;
  unit: string;
}

/** Functions, one row each (dense index = order of appearance). */
export interface FunctionTable {
  count: number;
  id: Float64Array;
  /** String-table indices. */
  name: Int32Array;
  systemName: Int32Array;
  filename: Int32Array;
  startLine: Float64Array;
}

/** Locations, one row per dense index; lines in CSR form (Line[0] = innermost inlined frame). */
export interface LocationTable {
  count: number;
  id: Float64Array;
  mappingId: Float64Array;
  addrLo: Uint32Array;
  addrHi: Uint32Array;
  isFolded: Uint8Array;
  /** 0 for ids that samples reference but no Location message defines. */
  defined: Uint8Array;
  lineStart: Int32Array; // count + 1 entries
  /** Dense function index, or -1 for a line without function. */
  lineFunc: Int32Array;
  lineLine: Float64Array;
}

/** Samples folded by their two leaf-most locations. */
export interface PairTable {
  count: number;
  /** Dense location index of the caller frame (stack[1]), or -1 for one-frame samples. */
  caller: Int32Array;
  /** Dense location index of the leaf frame (stack[0]). */
  leaf: Int32Array;
  /** count × nValues sums. */
  values: Float64Array;
}

/** Every sample's stack and values, in file order (CSR). */
export interface StackTable {
  count: number;
  stackStart: Int32Array; // count + 1
  /** Dense location indices, leaf first. */
  stack: Int32Array;
  /** count × nValues. */
  values: Float64Array;
}

/** Full samples with their labels, kept only with `keepSamples`. */
export interface SampleTable extends StackTable {
  /** Raw `label` fields (tag + payload) per sample, re-emitted verbatim by the encoder. */
  labels: (Uint8Array | null)[];
}

export interface PprofProfile {
  /**
   * The string table as JS strings. From the decoder it is decoded on first access (all at once);
   * readers of a few strings use `stringTable`, which decodes one string at a time.
   */
  strings: string[];
  /** The decoder's string table as bytes (string-table.ts); absent for tables built in code. */
  stringTable?: StringTable;
  sampleTypes: ValueType[];
  /** String-table indices of each sample type, as written (needed to re-encode exactly). */
  sampleTypeIdx: Array<[number, number]>;
  defaultSampleType: string;
  periodType: ValueType | null;
  /** Exact int64 header values (time_nanos is a Unix timestamp beyond 2^53). */
  period: bigint;
  timeNanos: bigint;
  durationNanos: bigint;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  /** Raw Mapping messages (payload only). */
  mappings: Uint8Array[];
  functions: FunctionTable;
  locations: LocationTable;
  /** Values per sample (= sampleTypes.length for a valid profile). */
  nValues: number;
  sampleCount: number;
  pairs: PairTable;
  /** Per value column: the sum over all samples. */
  valueTotals: Float64Array;
  /** Whole stacks for pprof's flat/cum (src/pgo/flatcum.ts); null when decoded with `heat: false` and without `keepSamples`. */
  stacks: StackTable | null;
  /** Per value column: true when some sum exceeded 2^53 and is not exact. */
  inexact: boolean[];
  samples: SampleTable | null;
}

export interface DecodeOptions {
  keepSamples?: boolean;
  /**
   * Keep whole stacks for pprof's per-function and per-line flat/cum (the editor's heat, `top`,
   * `list`). Off for tools that only need the compiler's edges (preprofile, hot): it is the one
   * per-frame cost of the sample loop.
   */
  heat?: boolean;
  /** The tables' memory budget (budget.ts); tests pass smaller ones. */
  budget?: TableBudget;
}

/** Largest location id given a dense slot; larger ids go through a Map. */
const DENSE_ID_LIMIT = 1 << 22;
/** A single top-level field larger than this is corrupt, not a profile. */
export const MAX_FIELD_BYTES = 1 << 30;

/**
 * Incremental decoder: `feed` parses the complete top-level fields of a buffer and returns how far
 * it got (the caller carries the rest over to the next chunk); `finish` validates and returns
 * the tables. The whole-buffer path is `decodePprof`.
 */
export class PprofDecoder {
  private readonly keepSamples: boolean;
  private readonly keepStacks: boolean;
  private readonly edgesOnly: boolean;
  private readonly arena = new StringArena();
  private sampleTypeIdx: Array<[number, number]> = [];
  private periodTypeIdx: [number, number] | null = null;
  private period = 0n;
  private timeNanos = 0n;
  private durationNanos = 0n;
  private commentIdx: number[] = [];
  private dropFramesIdx = 0;
  private keepFramesIdx = 0;
  private defaultSampleTypeIdx = 0;
  private mappings: Uint8Array[] = [];
  private mappingIds: number[] = [];
  private maxStrRef = 0;
  private minStrRef = 0;

  // functions
  private fCount = 0;
  private fId = new Float64Array(256);
  private fName = new Int32Array(256);
  private fSys = new Int32Array(256);
  private fFile = new Int32Array(256);
  private fStart = new Float64Array(256);

  // locations by dense index
  private lCount = 0;
  private lId = new Float64Array(1024);
  private lMapping = new Float64Array(1024);
  private lAddrLo = new Uint32Array(1024);
  private lAddrHi = new Uint32Array(1024);
  private lFolded = new Uint8Array(1024);
  private lDefined = new Uint8Array(1024);
  private lLineOff = new Int32Array(1024);
  private lLineCnt = new Int32Array(1024);
  private lineFuncId = new Float64Array(2048);
  private lineLine = new Float64Array(2048);
  private lineCount = 0;
  private denseSlot = new Int32Array(1024); // id → dense index + 1
  private sparseSlot = new Map<number, number>();

  // samples
  private nv = -1;
  private sampleNo = 0;
  private mismatch: { sample: number; values: number } | null = null;
  private totals = new Float64Array(0);
  private pairIndex = new IntPairTable(4096);
  private pCount = 0;
  private pCaller = new Int32Array(1024);
  private pLeaf = new Int32Array(1024);
  private pValues = new Float64Array(2048);
  private stk = new Int32Array(256);
  private vals = new Float64Array(8);
  // kept stacks (heat or keepSamples) and labels (keepSamples)
  private sStart = new Int32Array(1024);
  private sStack = new Int32Array(4096);
  private sStackLen = 0;
  private sValues = new Float64Array(2048);
  private sLabels: (Uint8Array | null)[] = [];

  private readonly budget: TableBudget;
  /** Protobuf bytes consumed by earlier `feed` calls. */
  private fed = 0;

  constructor(opts: DecodeOptions = {}) {
    this.budget = opts.budget ?? new TableBudget();
    this.keepSamples = !!opts.keepSamples;
    this.keepStacks = opts.heat !== false || this.keepSamples;
    this.edgesOnly = !this.keepStacks;
  }

  /** Parses the complete top-level fields in buf[start, end); returns the position after the last one. */
  feed(buf: Uint8Array, start: number, end: number): number {
    const p = this.feedFields(buf, start, end);
    this.fed += p - start;
    return p;
  }

  private feedFields(buf: Uint8Array, start: number, end: number): number {
    let p = start;
    const base = this.fed - start;
    while (p < end) {
      const fieldStart = p;
      // tag
      let tag: number;
      const b0 = buf[p]!;
      if (b0 < 0x80) {
        tag = b0;
        p++;
      } else {
        if (!hasCompleteVarint(buf, p, end)) return fieldStart;
        readVarint64(buf, p, end);
        tag = lastField() * 8 + lastWireType();
        p = V_POS;
      }
      const field = Math.floor(tag / 8);
      const wt = b0 < 0x80 ? tag & 7 : lastWireType();
      if (wt !== 0 && wt !== 1 && wt !== 2 && wt !== 5) {
        throw new ProfileError('protobuf', `unknown wire type: ${wt} (at byte ${fieldStart} of the profile data)`);
      }
      if (wt === WIRE_BYTES) {
        // The length, inline: at most 5 bytes below the field limit (2^30 < 2^35).
        let len = 0;
        let s = p;
        let b = 0x80;
        for (let mul = 1; b >= 0x80 && s < end && s - p < 5; mul *= 128) {
          b = buf[s++]!;
          len += (b & 0x7f) * mul;
        }
        const long = b >= 0x80;
        if (long) {
          // incomplete here, or longer than 5 bytes (huge, or padded with zero groups)
          if (!hasCompleteVarint(buf, p, end)) return fieldStart;
          readVarint64(buf, p, end);
          len = lastUint();
          s = V_POS;
        }
        if (len > MAX_FIELD_BYTES) {
          const text = long ? lastUintText() : String(len);
          throw new ProfileError('limit', `a top-level field declares ${text} bytes, more than the limit of ${MAX_FIELD_BYTES}`);
        }
        const e = s + len;
        if (e > end) return fieldStart;
        this.budget.read = base + e;
        this.field(buf, field, s, e);
        p = e;
      } else {
        // Scalars: make sure the whole field is here.
        if (wt === WIRE_VARINT) {
          if (!hasCompleteVarint(buf, p, end)) return fieldStart;
        } else if ((wt === 1 && p + 8 > end) || (wt === 5 && p + 4 > end)) {
          return fieldStart;
        }
        p = this.scalar(buf, field, wt, p, end);
      }
    }
    return p;
  }

  private scalar(buf: Uint8Array, field: number, wt: number, p: number, end: number): number {
    if ((field >= 1 && field <= 6) || field === 11) throw typeMismatch(`profile field ${field}`, wt); // messages and strings
    const known = field === 7 || field === 8 || field === 9 || field === 10 || field === 12 || field === 13 || field === 14;
    if (!known) return skipField(buf, p, end, wt, `profile field ${field}`);
    if (wt !== WIRE_VARINT) throw typeMismatch(`profile field ${field}`, wt);
    readVarint64(buf, p, end);
    const v = lastInt();
    switch (field) {
      case 7:
        this.dropFramesIdx = v;
        break;
      case 8:
        this.keepFramesIdx = v;
        break;
      case 9:
        this.timeNanos = lastBigInt();
        break;
      case 10:
        this.durationNanos = lastBigInt();
        break;
      case 12:
        this.period = lastBigInt();
        break;
      case 13:
        this.charge(8);
        this.commentIdx.push(v);
        break;
      case 14:
        this.defaultSampleTypeIdx = v;
        break;
    }
    return V_POS;
  }

  private field(buf: Uint8Array, field: number, s: number, e: number): void {
    switch (field) {
      case 1:
        this.sampleTypeIdx.push(valueType(buf, s, e, 'sample_type'));
        return;
      case 2:
        this.sample(buf, s, e);
        return;
      case 3:
        this.mapping(buf, s, e);
        return;
      case 4:
        this.location(buf, s, e);
        return;
      case 5:
        this.func(buf, s, e);
        return;
      case 6:
        this.charge(ROW_BYTES.string + 2 * (e - s));
        this.arena.add(buf, s, e);
        if (this.arena.count === 1 && this.arena.length(0) !== 0) {
          throw new ProfileError('protobuf', "string_table[0] must be ''");
        }
        return;
      case 11:
        this.periodTypeIdx = valueType(buf, s, e, 'period_type');
        return;
      case 13: {
        // packed comments
        let p = s;
        while (p < e) {
          readVarint64(buf, p, e);
          this.charge(8);
          this.commentIdx.push(lastInt());
          p = V_POS;
        }
        return;
      }
      case 7:
      case 8:
      case 9:
      case 10:
      case 12:
      case 14:
        throw typeMismatch(`profile field ${field}`, WIRE_BYTES);
      default:
        return; // unknown field: skipped
    }
  }

  // ---- memory budget ----

  private readonly counts = (): TableCounts => ({
    locations: this.lCount,
    lines: this.lineCount,
    functions: this.fCount,
    strings: this.arena.count,
    samples: this.sampleNo,
  });

  private charge(bytes: number): void {
    this.budget.charge(bytes, this.counts);
  }

  // ---- locations ----

  private locIndex(id: number): number {
    if (id < DENSE_ID_LIMIT) {
      if (id >= this.denseSlot.length) {
        const n = Math.max(id + 1, this.denseSlot.length * 2);
        this.charge((n - this.denseSlot.length) * 4);
        this.denseSlot = grow(this.denseSlot, n);
      }
      const s = this.denseSlot[id]!;
      if (s !== 0) return s - 1;
      const ix = this.newLoc(id);
      this.denseSlot[id] = ix + 1;
      return ix;
    }
    if (!Number.isFinite(id)) throw new ProfileError('malformed', 'a location id is larger than 2^53');
    const s = this.sparseSlot.get(id);
    if (s !== undefined) return s;
    this.charge(ROW_BYTES.sparseId);
    const ix = this.newLoc(id);
    this.sparseSlot.set(id, ix);
    return ix;
  }

  private newLoc(id: number): number {
    this.charge(ROW_BYTES.location);
    const ix = this.lCount++;
    if (ix >= this.lId.length) {
      const n = ix + 1;
      this.lId = grow(this.lId, n);
      this.lMapping = grow(this.lMapping, n);
      this.lAddrLo = grow(this.lAddrLo, n);
      this.lAddrHi = grow(this.lAddrHi, n);
      this.lFolded = grow(this.lFolded, n);
      this.lDefined = grow(this.lDefined, n);
      this.lLineOff = grow(this.lLineOff, n);
      this.lLineCnt = grow(this.lLineCnt, n);
    }
    this.lId[ix] = id;
    return ix;
  }

  private location(buf: Uint8Array, s: number, e: number): void {
    let id = 0;
    let mappingId = 0;
    let addrLo = 0;
    let addrHi = 0;
    let folded = 0;
    const lineOff = this.lineCount;
    let p = s;
    while (p < e) {
      p = readTag(buf, p, e);
      const f = T_FIELD;
      const wt = T_WIRE;
      if (f === 4) {
        if (wt !== WIRE_BYTES) throw typeMismatch('Location.line', wt);
        const le = readUint(buf, p, e) + V_POS;
        if (le > e) throw truncated('Location.line');
        this.line(buf, V_POS, le);
        p = le;
      } else if (f === 1 || f === 2) {
        if (wt !== WIRE_VARINT) throw typeMismatch(`Location field ${f}`, wt);
        const v = readUint(buf, p, e);
        p = V_POS;
        if (f === 1) id = v;
        else mappingId = v;
      } else if (f === 3 || (f === 5 && wt === WIRE_VARINT)) {
        // Go's decoder does not know is_folded (5): kept when well-formed, else skipped like Go.
        if (wt !== WIRE_VARINT) throw typeMismatch(`Location field ${f}`, wt);
        readVarint64(buf, p, e);
        p = V_POS;
        if (f === 3) {
          addrLo = V_LO;
          addrHi = V_HI;
        } else folded = V_LO !== 0 || V_HI !== 0 ? 1 : 0;
      } else {
        p = skipField(buf, p, e, wt, `Location field ${f}`);
      }
    }
    if (id === 0) throw new ProfileError('malformed', 'found location with reserved id=0');
    const ix = this.locIndex(id);
    if (this.lDefined[ix]) throw new ProfileError('malformed', `multiple locations with same id: ${id}`);
    this.lDefined[ix] = 1;
    this.lMapping[ix] = mappingId;
    this.lAddrLo[ix] = addrLo;
    this.lAddrHi[ix] = addrHi;
    this.lFolded[ix] = folded;
    this.lLineOff[ix] = lineOff;
    this.lLineCnt[ix] = this.lineCount - lineOff;
  }

  private line(buf: Uint8Array, s: number, e: number): void {
    let fn = 0;
    let line = 0;
    let p = s;
    while (p < e) {
      p = readTag(buf, p, e);
      const f = T_FIELD;
      const wt = T_WIRE;
      if (f === 1 || f === 2) {
        if (wt !== WIRE_VARINT) throw typeMismatch(`Line field ${f}`, wt);
        if (f === 1) fn = readUint(buf, p, e);
        else line = readInt(buf, p, e);
        p = V_POS;
      } else {
        p = skipField(buf, p, e, wt, `Line field ${f}`);
      }
    }
    this.charge(ROW_BYTES.line);
    const i = this.lineCount++;
    if (i >= this.lineLine.length) {
      this.lineLine = grow(this.lineLine, i + 1);
      this.lineFuncId = grow(this.lineFuncId, i + 1);
    }
    this.lineFuncId[i] = fn;
    this.lineLine[i] = line;
  }

  private func(buf: Uint8Array, s: number, e: number): void {
    let id = 0;
    let name = 0;
    let sys = 0;
    let file = 0;
    let start = 0;
    let p = s;
    while (p < e) {
      p = readTag(buf, p, e);
      const f = T_FIELD;
      const wt = T_WIRE;
      if (f >= 1 && f <= 5) {
        if (wt !== WIRE_VARINT) throw typeMismatch(`Function field ${f}`, wt);
        if (f === 1) id = readUint(buf, p, e);
        else if (f === 2) name = readInt(buf, p, e);
        else if (f === 3) sys = readInt(buf, p, e);
        else if (f === 4) file = readInt(buf, p, e);
        else start = readInt(buf, p, e);
        p = V_POS;
      } else {
        p = skipField(buf, p, e, wt, `Function field ${f}`);
      }
    }
    this.charge(ROW_BYTES.function);
    const i = this.fCount++;
    if (i >= this.fId.length) {
      this.fId = grow(this.fId, i + 1);
      this.fName = grow(this.fName, i + 1);
      this.fSys = grow(this.fSys, i + 1);
      this.fFile = grow(this.fFile, i + 1);
      this.fStart = grow(this.fStart, i + 1);
    }
    this.fId[i] = id;
    this.fName[i] = clampIdx(name);
    this.fSys[i] = clampIdx(sys);
    this.fFile[i] = clampIdx(file);
    this.fStart[i] = start;
  }

  private mapping(buf: Uint8Array, s: number, e: number): void {
    let id = 0;
    let p = s;
    while (p < e) {
      readVarint64(buf, p, e);
      const f = lastField();
      const wt = lastWireType();
      p = V_POS;
      if (f >= 1 && f <= 10) {
        if (wt !== WIRE_VARINT) throw typeMismatch(`Mapping field ${f}`, wt);
        readVarint64(buf, p, e);
        p = V_POS;
        if (f === 1) id = lastUint();
        else if (f === 5 || f === 6) this.strRef(lastInt()); // filename, build_id
      } else {
        p = skipField(buf, p, e, wt, `Mapping field ${f}`);
      }
    }
    this.charge(ROW_BYTES.string + (e - s));
    this.mappingIds.push(id);
    this.mappings.push(Uint8Array.prototype.slice.call(buf, s, e)); // a copy: Buffer#slice is a view that would pin the whole input
  }

  /** Records a string reference that is checked (not resolved) at the end, like Go's getString. */
  private strRef(idx: number): void {
    if (idx > this.maxStrRef) this.maxStrRef = idx;
    if (idx < this.minStrRef) this.minStrRef = idx;
  }

  private label(buf: Uint8Array, s: number, e: number): void {
    let p = s;
    let key = 0;
    let str = 0;
    while (p < e) {
      readVarint64(buf, p, e);
      const f = lastField();
      const wt = lastWireType();
      p = V_POS;
      if (f >= 1 && f <= 3) {
        if (wt !== WIRE_VARINT) throw typeMismatch(`Label field ${f}`, wt);
        readVarint64(buf, p, e);
        p = V_POS;
        if (f === 1) key = lastInt();
        else if (f === 2) str = lastInt();
      } else p = skipField(buf, p, e, wt, `Label field ${f}`);
    }
    this.strRef(key);
    if (str !== 0) this.strRef(str);
  }

  // ---- samples (the hot path) ----

  private sample(buf: Uint8Array, s: number, e: number): void {
    let nloc = 0;
    let nval = 0;
    let stk = this.stk;
    let vals = this.vals;
    let labelStart = -1;
    let labelParts: Array<[number, number]> | null = null;
    let p = s;
    while (p < e) {
      const tag = buf[p++]!; // sample tags are single-byte for fields 1..15
      const f = tag >> 3;
      const wt = tag & 7;
      if (tag >= 0x80) {
        p = skipUnknownLongTag(buf, p - 1, e);
        continue;
      }
      if (f === 1 || f === 2) {
        let q: number;
        let qe: number;
        if (wt === WIRE_BYTES) {
          readVarint64(buf, p, e);
          q = V_POS;
          qe = q + lastUint();
          if (qe > e) throw truncated('Sample field');
        } else if (wt === WIRE_VARINT) {
          q = p;
          qe = e;
        } else throw typeMismatch(`Sample field ${f}`, wt);
        const single = wt === WIRE_VARINT;
        if (f === 1) {
          // location ids: inline varint decode for the common short case
          while (q < qe) {
            let b = buf[q++]!;
            let v = b & 0x7f;
            if (b >= 0x80) {
              if (q >= qe) throw truncated('Sample.location_id');
              b = buf[q++]!;
              v |= (b & 0x7f) << 7;
              if (b >= 0x80) {
                if (q >= qe) throw truncated('Sample.location_id');
                b = buf[q++]!;
                v |= (b & 0x7f) << 14;
                if (b >= 0x80) {
                  readVarint64(buf, q - 3, qe);
                  v = lastUint();
                  q = V_POS;
                }
              }
            }
            // id 0 (reserved) names no location: an undefined one, an error only among the two leaf-most frames
            if (nloc >= stk.length) stk = this.growStack(nloc + 1);
            stk[nloc++] = this.locIndex(v);
            if (single) break;
            // Without heat or kept samples only the two leaf-most frames matter (all the
            // compiler reads): skip the rest of the packed run undecoded.
            if (nloc === 2 && this.edgesOnly) {
              q = qe;
              break;
            }
          }
        } else {
          while (q < qe) {
            const b = buf[q]!;
            let v: number;
            if (b < 0x80) {
              v = b;
              q++;
            } else {
              v = readInt(buf, q, qe);
              q = V_POS;
              if (!Number.isFinite(v)) v = v > 0 ? MAX_SAFE * 2 : -MAX_SAFE * 2; // marks the column inexact
            }
            if (nval >= vals.length) vals = this.growValues(nval + 1);
            vals[nval++] = v;
            if (single) break;
          }
        }
        p = single ? q : qe;
      } else if (f === 3) {
        if (wt !== WIRE_BYTES) throw typeMismatch('Sample.label', wt);
        const fs = p - 1;
        p = skipField(buf, p, e, wt, 'Sample.label');
        readVarint64(buf, fs + 1, e);
        this.label(buf, V_POS, p);
        if (this.keepSamples) {
          if (labelStart < 0) labelStart = fs;
          (labelParts ??= []).push([fs, p]);
        }
      } else {
        p = skipField(buf, p, e, wt, `Sample field ${f}`);
      }
    }
    this.addSample(stk, nloc, vals, nval);
    if (this.keepStacks) this.keepStack(stk, nloc, vals, nval);
    if (this.keepSamples) this.keepLabels(buf, labelParts);
    this.sampleNo++;
  }

  /** The per-sample scratch arrays grow to the longest sample: charged like tables. */
  private growStack(need: number): Int32Array<ArrayBuffer> {
    const before = this.stk.length;
    this.stk = grow(this.stk, need);
    this.charge((this.stk.length - before) * 4);
    return this.stk;
  }

  private growValues(need: number): Float64Array<ArrayBuffer> {
    const before = this.vals.length;
    this.vals = grow(this.vals, need);
    this.charge((this.vals.length - before) * 8);
    return this.vals;
  }

  private addSample(stk: Int32Array, nloc: number, vals: Float64Array, nval: number): void {
    if (this.nv < 0) {
      this.nv = nval;
      this.totals = new Float64Array(nval);
    }
    const nv = this.nv;
    if (nval !== nv) {
      this.mismatch ??= { sample: this.sampleNo, values: nval };
      return;
    }
    for (let j = 0; j < nv; j++) this.totals[j]! += vals[j]!;
    if (nloc === 0 || nv === 0) return;
    const leaf = stk[0]!;
    const caller = nloc > 1 ? stk[1]! : -1;
    const pi = this.pairIndex.intern(caller, leaf);
    if (pi === this.pCount) {
      this.charge(ROW_BYTES.pair + 8 * nv);
      this.pCount++;
      if (pi >= this.pCaller.length) {
        this.pCaller = grow(this.pCaller, pi + 1);
        this.pLeaf = grow(this.pLeaf, pi + 1);
      }
      if ((pi + 1) * nv > this.pValues.length) this.pValues = grow(this.pValues, (pi + 1) * nv);
      this.pCaller[pi] = caller;
      this.pLeaf[pi] = leaf;
    }
    const pv = this.pValues;
    for (let j = 0; j < nv; j++) pv[pi * nv + j]! += vals[j]!;
  }

  /** Appends the sample's stack and values (CSR); sample i's stack is sStack[sStart[i], sStart[i + 1]). */
  private keepStack(stk: Int32Array, nloc: number, vals: Float64Array, nval: number): void {
    this.charge(ROW_BYTES.sample + 4 * nloc + 8 * Math.max(this.nv, 0));
    const i = this.sampleNo;
    if (i + 2 > this.sStart.length) this.sStart = grow(this.sStart, i + 2);
    this.sStart[i] = this.sStackLen;
    if (this.sStackLen + nloc > this.sStack.length) this.sStack = grow(this.sStack, this.sStackLen + nloc);
    const dst = this.sStack;
    const at = this.sStackLen;
    for (let k = 0; k < nloc; k++) dst[at + k] = stk[k]!; // no subarray view per sample
    this.sStackLen += nloc;
    this.sStart[i + 1] = this.sStackLen;
    const nv = Math.max(this.nv, 0);
    if ((i + 1) * nv > this.sValues.length) this.sValues = grow(this.sValues, (i + 1) * nv);
    if (nval === nv) for (let j = 0; j < nv; j++) this.sValues[i * nv + j] = vals[j]!;
  }

  private keepLabels(buf: Uint8Array, labelParts: Array<[number, number]> | null): void {
    if (labelParts) {
      let n = 0;
      for (const [a, b] of labelParts) n += b - a;
      this.charge(ROW_BYTES.string + n);
      const out = new Uint8Array(n);
      let o = 0;
      for (const [a, b] of labelParts) {
        out.set(buf.subarray(a, b), o);
        o += b - a;
      }
      this.sLabels.push(out);
    } else this.sLabels.push(null);
  }

  // ---- validation and result ----

  finish(): PprofProfile {
    const table = this.arena.table();
    const nStrings = table.count;
    /** Go's getString check, without decoding the string. */
    const checkStr = (idx: number, what: string): void => {
      if (idx < 0 || idx >= nStrings) {
        throw new ProfileError('protobuf', `malformed profile format: ${what} refers to string ${idx}, but the string table has ${nStrings} entries`);
      }
    };
    const str = (idx: number, what: string): string => {
      checkStr(idx, what);
      return table.get(idx)!;
    };
    if (this.minStrRef < 0 || this.maxStrRef >= nStrings) {
      checkStr(this.minStrRef < 0 ? this.minStrRef : this.maxStrRef, 'a mapping or label');
    }
    const nTypes = this.sampleTypeIdx.length;
    if (this.sampleNo > 0 && nTypes === 0) {
      throw new ProfileError('malformed', 'missing sample type information');
    }
    if (this.mismatch) {
      // Go reports the first sample whose value count differs from the number of types.
      throw new ProfileError('malformed', `mismatch: sample has: ${this.nv !== nTypes ? this.nv : this.mismatch.values} values vs. ${nTypes} types`);
    }
    if (this.sampleNo > 0 && this.nv !== nTypes) {
      throw new ProfileError('malformed', `mismatch: sample has: ${this.nv} values vs. ${nTypes} types`);
    }
    // functions
    // Go's writer numbers functions 1..N: a dense table then, a Map otherwise.
    const dense = this.fCount < 1 << 22;
    const fDense = dense ? new Int32Array(this.fCount + 1).fill(-1) : null;
    const fMap = new Map<number, number>();
    const fGet = (id: number): number | undefined => {
      if (fDense && id <= this.fCount) {
        const v = fDense[id]!;
        return v < 0 ? undefined : v;
      }
      return fMap.get(id);
    };
    for (let i = 0; i < this.fCount; i++) {
      const id = this.fId[i]!;
      if (id === 0) throw new ProfileError('malformed', 'found function with reserved ID=0');
      if (fGet(id) !== undefined) throw new ProfileError('malformed', `multiple functions with same id: ${id}`);
      if (fDense && id <= this.fCount) fDense[id] = i;
      else fMap.set(id, i);
      checkStr(this.fName[i]!, `function ${id} name`);
      checkStr(this.fSys[i]!, `function ${id} system_name`);
      checkStr(this.fFile[i]!, `function ${id} filename`);
    }
    const seenMapping = new Set<number>();
    for (const id of this.mappingIds) {
      if (id === 0) throw new ProfileError('malformed', 'found mapping with reserved ID=0');
      if (seenMapping.has(id)) throw new ProfileError('malformed', `multiple mappings with same id: ${id}`);
      seenMapping.add(id);
    }
    // locations: every referenced one must be defined; lines → dense function indices
    const n = this.lCount;
    const lineStart = new Int32Array(n + 1);
    let total = 0;
    for (let ix = 0; ix < n; ix++) {
      // An undefined location (referenced by a sample only) keeps no lines; the compiler crashes
      // only if one is among a sample's two leaf-most frames, which the model reports.
      lineStart[ix] = total;
      total += this.lLineCnt[ix]!;
    }
    lineStart[n] = total;
    const lineFunc = new Int32Array(total);
    const lineLine = new Float64Array(total);
    for (let ix = 0; ix < n; ix++) {
      const off = this.lLineOff[ix]!;
      const cnt = this.lLineCnt[ix]!;
      const dst = lineStart[ix]!;
      for (let k = 0; k < cnt; k++) {
        const fid = this.lineFuncId[off + k]!;
        let fi = -1;
        if (fid !== 0) {
          const f = fGet(fid);
          if (f === undefined) throw new ProfileError('protobuf', `Function ID ${describeNumber(fid)} not found`);
          fi = f;
        }
        lineFunc[dst + k] = fi;
        lineLine[dst + k] = this.lineLine[off + k]!;
      }
    }
    const sampleTypes = this.sampleTypeIdx.map(([t, u], i) => ({ type: str(t, `sample_type ${i}`), unit: str(u, `sample_type ${i}`) }));
    const periodType = this.periodTypeIdx ? { type: str(this.periodTypeIdx[0], 'period_type'), unit: str(this.periodTypeIdx[1], 'period_type') } : null;
    const comments = this.commentIdx.map((c) => str(c, 'comment'));
    const nv = Math.max(this.nv, 0);
    const ns = this.sampleNo;
    const stacks: StackTable | null = this.keepStacks
      ? {
          count: ns,
          stackStart: ns === 0 ? new Int32Array(1) : fit(this.sStart, ns + 1),
          stack: fit(this.sStack, this.sStackLen),
          values: fit(this.sValues, ns * nv),
        }
      : null;
    const inexact = new Array<boolean>(nv).fill(false);
    for (let j = 0; j < nv; j++) {
      if (Math.abs(this.totals[j]!) > MAX_SAFE) inexact[j] = true;
      for (let i = 0; i < this.pCount && !inexact[j]; i++) if (Math.abs(this.pValues[i * nv + j]!) > MAX_SAFE) inexact[j] = true;
    }
    return {
      get strings(): string[] {
        return table.all();
      },
      stringTable: table,
      sampleTypes,
      sampleTypeIdx: this.sampleTypeIdx,
      defaultSampleType: nStrings ? str(this.defaultSampleTypeIdx, 'default_sample_type') : '',
      periodType,
      period: this.period,
      timeNanos: this.timeNanos,
      durationNanos: this.durationNanos,
      comments,
      dropFrames: nStrings ? str(this.dropFramesIdx, 'drop_frames') : '',
      keepFrames: nStrings ? str(this.keepFramesIdx, 'keep_frames') : '',
      mappings: this.mappings,
      functions: {
        count: this.fCount,
        id: fit(this.fId, this.fCount),
        name: fit(this.fName, this.fCount),
        systemName: fit(this.fSys, this.fCount),
        filename: fit(this.fFile, this.fCount),
        startLine: fit(this.fStart, this.fCount),
      },
      locations: {
        count: n,
        id: fit(this.lId, n),
        mappingId: fit(this.lMapping, n),
        addrLo: fit(this.lAddrLo, n),
        addrHi: fit(this.lAddrHi, n),
        isFolded: fit(this.lFolded, n),
        defined: fit(this.lDefined, n),
        lineStart,
        lineFunc,
        lineLine,
      },
      nValues: nv,
      sampleCount: this.sampleNo,
      pairs: {
        count: this.pCount,
        caller: fit(this.pCaller, this.pCount),
        leaf: fit(this.pLeaf, this.pCount),
        values: fit(this.pValues, this.pCount * nv),
      },
      valueTotals: fit(this.totals, nv),
      inexact,
      stacks,
      samples: stacks && this.keepSamples ? { ...stacks, labels: this.sLabels } : null,
    };
  }
}

/**
 * The first n entries of a table: a view when that is most of it, else a copy (a table doubles as it
 * grows, so a view would keep up to twice its size alive). Most of the copies `finish` made.
 */
function fit<T extends Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Float64Array<ArrayBuffer>>(a: T, n: number): T {
  return (n >= a.length * 0.75 ? a.subarray(0, n) : a.slice(0, n)) as T;
}

function clampIdx(v: number): number {
  // String indices beyond int32 are certainly out of range; keep them detectably invalid.
  return v >= 0 && v < 0x7fffffff ? v : -1;
}

function hasCompleteVarint(buf: Uint8Array, p: number, end: number): boolean {
  for (let i = p; i < end && i < p + 10; i++) if (buf[i]! < 0x80) return true;
  if (end - p >= 10) throw new ProfileError('protobuf', 'bad varint (more than 10 bytes)');
  return false;
}

function skipUnknownLongTag(buf: Uint8Array, p: number, e: number): number {
  readVarint64(buf, p, e);
  return skipField(buf, V_POS, e, lastWireType(), `Sample field ${lastField()}`);
}

function valueType(buf: Uint8Array, s: number, e: number, what: string): [number, number] {
  let t = 0;
  let u = 0;
  let p = s;
  while (p < e) {
    readVarint64(buf, p, e);
    const f = lastField();
    const wt = lastWireType();
    p = V_POS;
    if (f === 1 || f === 2) {
      if (wt !== WIRE_VARINT) throw typeMismatch(`${what} field ${f}`, wt);
      readVarint64(buf, p, e);
      p = V_POS;
      if (f === 1) t = clampIdx(lastInt());
      else u = clampIdx(lastInt());
    } else p = skipField(buf, p, e, wt, `${what} field ${f}`);
  }
  return [t, u];
}

/** Decodes a whole raw (not gzipped) pprof buffer. Zero bytes is not an error here: see `load`. */
export function decodePprof(raw: Uint8Array, opts: DecodeOptions = {}): PprofProfile {
  const d = new PprofDecoder(opts);
  const p = d.feed(raw, 0, raw.length);
  if (p !== raw.length) throw truncated('the last top-level field');
  return d.finish();
}
