/**
 * Per-function and per-line flat/cum exactly as `go tool pprof` computes them
 * (github.com/google/pprof internal/graph newGraph, as vendored in Go 1.26):
 *
 * - every Line of a Location is a frame (inlined frames count as functions of their own);
 * - `-top` (granularity functions) keys a node by the function name only; `-list` and
 *   `-top -lines` (granularity lines) by (name, filepath.Clean(file), line);
 * - a sample adds its value to the cum of every node on its stack once (recursion is counted
 *   once) and to the flat of the leaf node (the innermost Line of the leaf-most Location);
 * - samples whose chosen value is 0 are skipped; the total is the sum of |value| (computeTotal);
 * - with `names: 'pprof'`, functions are named (and so merged) as `go tool pprof` shows them by
 *   default, after its symbolizer's demangling heuristics (`pprofDisplayName`); `'raw'` keeps the
 *   profile's names, as `-symbolize=none` and the compiler do.
 *
 * One pass over the decoder's stacks with a per-sample generation stamp per node: no per-sample
 * objects.
 */
import { grow } from '../profile/grow';
import { locationFrames } from '../profile/location-frames';
import type { PprofProfile } from '../profile/pprof';
import { goSortRanks, goStringCompare } from './gofmt';
import { HeatTable } from './heat-table';
import { NodeTable } from './node-table';

/** A source line of a function, as `go tool pprof -list` shows it. */
export interface LineNumbers {
  /** filepath.Clean of Function.filename, as pprof prints it. */
  file: string;
  line: number;
  /** Line minus the function's start line (the compiler's key; the start line of the name's first record). */
  offset: number;
  flat: number;
  cum: number;
}

/** A function as `go tool pprof -top` shows it, with its lines. */
export interface FunctionNumbers {
  /** Function.name; `<unknown>` for frames without a function, as pprof prints them. */
  name: string;
  /** Function.filename and start_line of the function's first record (as recorded, not cleaned). */
  file: string;
  startLine: number;
  flat: number;
  cum: number;
  /** Lines with a non-zero flat or cum, by file then line. */
  lines: LineNumbers[];
}

export interface PprofNumbers {
  /** pprof's total: the sum over samples of |value| in the chosen column. */
  total: number;
  /** Every function with a non-zero flat or cum, by name (Go byte order). */
  functions: FunctionNumbers[];
}

/** pprof's name for a frame without a function (NodeInfo.NameComponents without an object file). */
export const UNKNOWN_FUNCTION = '<unknown>';
const UNKNOWN_BYTES = Buffer.from(UNKNOWN_FUNCTION, 'utf8');

/**
 * The name `go tool pprof` shows for a function (internal/symbolizer demangleSingleFunction with
 * the default mode, for names that are not C++-mangled): a name that differs from the system name
 * is kept; otherwise a system name that "looks like demangled C++" (it has `<>[]` or `::`, but not
 * `.<` or `]).`) loses every (…) and <…> group, e.g. Go generic shapes
 * `items[go.shape.interface { Less(btree.Item) bool }].find` → `items[go.shape.interface { Less bool }].find`.
 */
export function pprofDisplayName(name: string, systemName: string): string {
  if (name !== '' && systemName !== name) return name;
  let n = systemName;
  if (!n.includes('.<') && !n.includes(']).') && (/[<>[\]]/.test(n) || n.includes('::'))) {
    n = removeMatching(n, '(', ')');
    n = removeMatching(n, '<', '>');
  }
  return n;
}

/** pprof's removeMatching: drops nested start…end groups; an unmatched end leaves the name as is. */
function removeMatching(name: string, start: string, end: string): string {
  let nesting = 0;
  let first = 0;
  for (let cur = 0; cur < name.length; cur++) {
    const c = name[cur];
    if (c === start) {
      nesting++;
      if (nesting === 1) first = cur;
    } else if (c === end) {
      nesting--;
      if (nesting < 0) return name;
      if (nesting === 0) {
        name = name.slice(0, first) + name.slice(cur + 1);
        cur = first - 1;
      }
    }
  }
  return name;
}

/** Go's path.Clean (filepath.Clean on Unix), which pprof applies to every file name. */
export function goCleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = out.join('/');
  if (rooted) return '/' + s;
  return s === '' ? '.' : s;
}

/**
 * Flat and cum per function and per line for value column `vi`, as objects. Needs the stacks
 * (decode with heat, the default, or keepSamples).
 */
export function pprofNumbers(p: PprofProfile, vi: number, names: 'raw' | 'pprof' = 'raw'): PprofNumbers {
  const { total, heat } = pprofHeat(p, vi, names);
  return { total, functions: heat.rows() };
}

/** The same numbers as typed columns (heat-table.ts): what the model keeps. */
export function pprofHeat(p: PprofProfile, vi: number, names: 'raw' | 'pprof' = 'raw'): { total: number; heat: HeatTable } {
  const stacks = p.stacks;
  if (!stacks) throw new Error('pprofNumbers: the profile was decoded without stacks (heat: false); decode it with heat or keepSamples');
  if (!(vi >= 0 && vi < p.nValues) && p.sampleCount > 0) throw new RangeError(`sample index ${vi} out of range (${p.nValues} values)`);
  const fns = p.functions;
  const locs = p.locations;
  const nv = p.nValues;
  // Raw names from the decoder's byte table: records are merged by their name's bytes (`canon`) and
  // only the names and files of reached frames are decoded; otherwise (display names, or a table
  // already handed out as strings) by the strings themselves.
  const table = names === 'raw' && p.stringTable && !p.stringTable.materialized ? p.stringTable : null;
  const strings = table ? null : p.strings;
  const str = (i: number): string => (table ? table.get(i)! : strings![i]!);

  // Function nodes: one per name; file names canonicalized after filepath.Clean.
  const fnIds = new Map<string, number>();
  const fnNames: Array<string | undefined> = [];
  const fnNameIdx: number[] = []; // with `table`: the name's string index (decoded for the output only)
  const fnFirst: number[] = []; // first Function record of the name, -1 for <unknown>
  let unknownFn = -1;
  const newFn = (name: string | undefined, si: number, f: number): number => {
    const id = fnNames.length;
    fnNames.push(name);
    fnNameIdx.push(si);
    fnFirst.push(f);
    return id;
  };
  const fnNode = (name: string, f: number): number => {
    let id = fnIds.get(name);
    if (id === undefined) fnIds.set(name, (id = newFn(name, -1, f)));
    return id;
  };
  const fileIds = new Map<string, number>();
  const files: string[] = [];
  const fileOf = (raw: string): number => {
    const clean = raw === '' ? '' : goCleanPath(raw);
    let id = fileIds.get(clean);
    if (id === undefined) {
      id = files.length;
      fileIds.set(clean, id);
      files.push(clean);
    }
    return id;
  };
  const recFn = new Int32Array(fns.count);
  if (table) {
    const byCanon = new Int32Array(table.count).fill(-1);
    for (let f = 0; f < fns.count; f++) {
      const c = table.canon(fns.name[f]!);
      let id = byCanon[c]!;
      if (id < 0) {
        id = byCanon[c] = newFn(undefined, c, f);
        if (table.equals(c, UNKNOWN_BYTES)) unknownFn = id; // frames without a function merge with it, as by name
      }
      recFn[f] = id;
    }
  } else {
    for (let f = 0; f < fns.count; f++) {
      const raw = strings![fns.name[f]!]!;
      // pprof prints a function without a name like a frame without a function.
      recFn[f] = fnNode(names === 'raw' ? raw : pprofDisplayName(raw, strings![fns.systemName[f]!]!) || UNKNOWN_FUNCTION, f);
    }
  }
  const unknown = (): number => {
    if (unknownFn < 0) unknownFn = table ? newFn(UNKNOWN_FUNCTION, -1, -1) : fnNode(UNKNOWN_FUNCTION, -1);
    return unknownFn;
  };
  // A record's file, cleaned once per string, for the records that reached frames use.
  const recFile = new Int32Array(fns.count).fill(-1);
  const fileByIdx = new Map<number, number>(); // string-table index → file id
  const fileOfRec = (f: number): number => {
    let file = recFile[f]!;
    if (file < 0) {
      const si = fns.filename[f]!;
      const known = fileByIdx.get(si);
      file = known ?? fileOf(str(si));
      if (known === undefined) fileByIdx.set(si, file);
      recFile[f] = file;
    }
    return file;
  };
  const noFile = fileOf('');

  // Per location, its frames (Line order, innermost first) as (function node, line node) pairs.
  // (function node, file, line) keys interned by the graph's node table (one specialised probe per
  // frame; the function node in the name column, the file in the address column).
  const lineTable = new NodeTable(4096);
  let lineFn = new Int32Array(4096);
  let lineFile = new Int32Array(4096);
  let lineNo = new Float64Array(4096);
  const lineNode = (fn: number, file: number, line: number): number => {
    const before = lineTable.size;
    const id = lineTable.intern(fn, file, 0, 0, line);
    if (id === before) {
      if (id >= lineFn.length) {
        lineFn = grow(lineFn, id + 1);
        lineFile = grow(lineFile, id + 1);
        lineNo = grow(lineNo, id + 1);
      }
      lineFn[id] = fn;
      lineFile[id] = file;
      lineNo[id] = line;
    }
    return id;
  };
  const { stackStart, stack, values } = stacks;
  // Only the frames of locations that stacks reach are named.
  const reached = new Uint8Array(locs.count);
  for (let i = 0; i < stack.length; i++) reached[stack[i]!] = 1;
  const { start: frameStart, line: frameOf } = locationFrames(locs);
  const nFrames = frameOf.length;
  const frameFn = new Int32Array(nFrames);
  const frameLine = new Int32Array(nFrames);
  for (let l = 0; l < locs.count; l++) {
    if (!reached[l]) continue;
    for (let k = frameStart[l]!; k < frameStart[l + 1]!; k++) {
      const i = frameOf[k]!;
      const f = i < 0 ? -1 : locs.lineFunc[i]!;
      if (f < 0) {
        // A location without lines, or a Line without a function: pprof's address-only node.
        frameFn[k] = unknown();
        frameLine[k] = lineNode(unknownFn, noFile, 0);
      } else {
        frameFn[k] = recFn[f]!;
        frameLine[k] = lineNode(recFn[f]!, fileOfRec(f), locs.lineLine[i]!);
      }
    }
  }

  // The sample walk.
  const nFn = fnNames.length;
  const nLine = lineTable.size;
  const fFlat = new Float64Array(nFn);
  const fCum = new Float64Array(nFn);
  const fMark = new Int32Array(nFn);
  const lFlat = new Float64Array(nLine);
  const lCum = new Float64Array(nLine);
  const lMark = new Int32Array(nLine);
  let total = 0;
  for (let s = 0; s < stacks.count; s++) {
    const w = values[s * nv + vi]!;
    if (w === 0) continue;
    total += w < 0 ? -w : w;
    const a = stackStart[s]!;
    const b = stackStart[s + 1]!;
    if (a === b) continue;
    const mark = s + 1;
    for (let i = a; i < b; i++) {
      const l = stack[i]!;
      const fe = frameStart[l + 1]!;
      for (let k = frameStart[l]!; k < fe; k++) {
        const fn = frameFn[k]!;
        if (fMark[fn] !== mark) {
          fMark[fn] = mark;
          fCum[fn]! += w;
        }
        const ln = frameLine[k]!;
        if (lMark[ln] !== mark) {
          lMark[ln] = mark;
          lCum[ln]! += w;
        }
      }
    }
    const leaf = frameStart[stack[a]!]!;
    fFlat[frameFn[leaf]!]! += w;
    lFlat[frameLine[leaf]!]! += w;
  }

  // Results: functions with weight by name, their lines by file then line. Sorted as numbers
  // (Go byte-order ranks of the names and files), not with string comparisons.
  const fnOrder: number[] = [];
  for (let fn = 0; fn < nFn; fn++) {
    if (fFlat[fn] === 0 && fCum[fn] === 0) continue;
    fnOrder.push(fn);
    fnNames[fn] ??= str(fnNameIdx[fn]!);
  }
  const fnRank = goSortRanks(fnOrder.map((fn) => fnNames[fn]!));
  const rankOf = new Int32Array(nFn);
  fnOrder.forEach((fn, i) => (rankOf[fn] = fnRank[i]!));
  fnOrder.sort((a, b) => rankOf[a]! - rankOf[b]!);
  const fileRank = goSortRanks(files);
  const nOut = fnOrder.length;
  const outNames = new Array<string>(nOut);
  const outFile = new Int32Array(nOut);
  const outStart = new Float64Array(nOut);
  const outFlat = new Float64Array(nOut);
  const outCum = new Float64Array(nOut);
  const byFn = new Int32Array(nFn).fill(-1);
  // A function's recorded file name joins the cleaned line file names in one table.
  const rawFile = new Map<number, number>(); // string-table index → file id
  for (let o = 0; o < nOut; o++) {
    const fn = fnOrder[o]!;
    const f = fnFirst[fn]!;
    byFn[fn] = o;
    outNames[o] = fnNames[fn]!;
    if (f < 0) outFile[o] = noFile;
    else {
      const si = fns.filename[f]!;
      let id = rawFile.get(si);
      if (id === undefined) {
        const raw = str(si);
        id = fileIds.get(raw);
        if (id === undefined) {
          id = files.length;
          fileIds.set(raw, id);
          files.push(raw);
        }
        rawFile.set(si, id);
      }
      outFile[o] = id;
    }
    outStart[o] = f < 0 ? 0 : fns.startLine[f]!;
    outFlat[o] = fFlat[fn]!;
    outCum[o] = fCum[fn]!;
  }
  // Lines grouped by function (counting sort), then by (file rank, line) within each function.
  const segStart = new Int32Array(nOut + 1);
  for (let ln = 0; ln < nLine; ln++) {
    const o = byFn[lineFn[ln]!]!;
    if (o >= 0 && (lFlat[ln] !== 0 || lCum[ln] !== 0)) segStart[o + 1]!++;
  }
  for (let o = 0; o < nOut; o++) segStart[o + 1]! += segStart[o]!;
  const nKept = segStart[nOut]!;
  const order = new Int32Array(nKept);
  const fill = segStart.slice(0, nOut);
  for (let ln = 0; ln < nLine; ln++) {
    const o = byFn[lineFn[ln]!]!;
    if (o >= 0 && (lFlat[ln] !== 0 || lCum[ln] !== 0)) order[fill[o]!++] = ln;
  }
  const key = (ln: number): number => fileRank[lineFile[ln]!]! * 4294967296 + lineNo[ln]!;
  for (let o = 0; o < nOut; o++) {
    const a = segStart[o]!;
    const b = segStart[o + 1]!;
    if (b - a > 64) order.subarray(a, b).sort((x, y) => key(x) - key(y));
    else {
      // insertion sort: most functions have few lines
      for (let i = a + 1; i < b; i++) {
        const ln = order[i]!;
        const k = key(ln);
        let j = i - 1;
        while (j >= a && key(order[j]!) > k) {
          order[j + 1] = order[j]!;
          j--;
        }
        order[j + 1] = ln;
      }
    }
  }
  const outLineNo = new Float64Array(nKept);
  const outLineFile = new Int32Array(nKept);
  const outLineFlat = new Float64Array(nKept);
  const outLineCum = new Float64Array(nKept);
  for (let i = 0; i < nKept; i++) {
    const ln = order[i]!;
    outLineNo[i] = lineNo[ln]!;
    outLineFile[i] = lineFile[ln]!;
    outLineFlat[i] = lFlat[ln]!;
    outLineCum[i] = lCum[ln]!;
  }
  const heat = new HeatTable({
    names: outNames,
    files,
    fnFile: outFile,
    startLine: outStart,
    flat: outFlat,
    cum: outCum,
    lineStart: segStart,
    lineNo: outLineNo,
    lineFile: outLineFile,
    lineFlat: outLineFlat,
    lineCum: outLineCum,
  });
  return { total, heat };
}

/** `go tool pprof -top` order (FlatNameOrder): flat desc, then name, then cum desc. */
export function topOrder<T extends { name: string; flat: number; cum: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => {
    const fa = Math.abs(a.flat);
    const fb = Math.abs(b.flat);
    if (fa !== fb) return fb - fa;
    const n = goStringCompare(a.name, b.name);
    if (n !== 0) return n;
    return Math.abs(b.cum) - Math.abs(a.cum);
  });
}

/**
 * pprof's `-sample_index` (profile.SampleIndexByName): empty → the profile's default_sample_type,
 * else the last sample type; a number; or a type name (an `inuse_` prefix is ignored).
 */
export function pprofSampleIndex(p: Pick<PprofProfile, 'sampleTypes' | 'defaultSampleType'>, name?: string): number {
  const types = p.sampleTypes;
  if (name === undefined || name === '') {
    if (p.defaultSampleType !== '') {
      const i = types.findIndex((t) => t.type === p.defaultSampleType);
      if (i >= 0) return i;
    }
    return types.length - 1;
  }
  if (/^[+-]?\d+$/.test(name)) {
    const i = Number(name);
    if (i < 0 || i >= types.length) throw new RangeError(`sample index ${name} is outside the range [0..${types.length - 1}]`);
    return i;
  }
  const noInuse = name.startsWith('inuse_') ? name.slice(6) : name;
  const i = types.findIndex((t) => t.type === name || t.type === noInuse);
  if (i < 0) throw new RangeError(`sample index ${JSON.stringify(name)} must be one of: ${types.map((t) => t.type).join(', ')}`);
  return i;
}
