/**
 * Per-function and per-line flat/cum (`go tool pprof -top` / `-list`'s numbers) stored as typed
 * columns: one row per function with weight, in Go byte order of the names, and its lines (by file
 * then line) as a contiguous range of the line columns. A big profile has ~140k functions and
 * ~430k lines: as objects they cost ~80 MB of heap, as columns ~18 MB. `row`/`rows` build
 * `go tool pprof`'s objects on demand (they are not kept).
 */
import type { FunctionNumbers, LineNumbers } from './flatcum';
import { goStringCompare } from './gofmt';

/** One source line of a function: `go tool pprof -list`'s numbers. */
export interface LineHeat {
  /** Line minus the function's start line (the compiler's key). */
  offset: number;
  /** The line as recorded in the profile. */
  line: number;
  flat: number;
  cum: number;
}

/** A function as `go tool pprof -top` counts it (by name; each sample once, recursion included). */
export interface FunctionHeat {
  name: string;
  /** As recorded in the profile (Function.filename). */
  file: string;
  startLine: number;
  flat: number;
  cum: number;
  lines: LineHeat[];
}

export interface HeatColumns {
  /** Function names, strictly increasing in Go byte order. */
  names: readonly string[];
  /** File names referenced by `fnFile` and `lineFile`. */
  files: readonly string[];
  /** Per function: its Function.filename as recorded (index into `files`). */
  fnFile: Int32Array;
  startLine: Float64Array;
  flat: Float64Array;
  cum: Float64Array;
  /** Function i's lines are lineStart[i] … lineStart[i + 1] − 1 (length count + 1). */
  lineStart: Int32Array;
  lineNo: Float64Array;
  /** Per line: filepath.Clean of its function's file, as pprof prints it (index into `files`). */
  lineFile: Int32Array;
  lineFlat: Float64Array;
  lineCum: Float64Array;
}

export class HeatTable implements HeatColumns {
  readonly names: readonly string[];
  readonly files: readonly string[];
  readonly fnFile: Int32Array;
  readonly startLine: Float64Array;
  readonly flat: Float64Array;
  readonly cum: Float64Array;
  readonly lineStart: Int32Array;
  readonly lineNo: Float64Array;
  readonly lineFile: Int32Array;
  readonly lineFlat: Float64Array;
  readonly lineCum: Float64Array;

  constructor(c: HeatColumns) {
    const n = c.names.length;
    const lines = c.lineNo.length;
    const short = [c.fnFile, c.startLine, c.flat, c.cum].some((a) => a.length !== n) || c.lineStart.length !== n + 1;
    if (short || c.lineStart[n] !== lines || [c.lineFile, c.lineFlat, c.lineCum].some((a) => a.length !== lines)) {
      throw new RangeError(`heat columns disagree in length (${n} functions, ${lines} lines)`);
    }
    this.names = c.names;
    this.files = c.files;
    this.fnFile = c.fnFile;
    this.startLine = c.startLine;
    this.flat = c.flat;
    this.cum = c.cum;
    this.lineStart = c.lineStart;
    this.lineNo = c.lineNo;
    this.lineFile = c.lineFile;
    this.lineFlat = c.lineFlat;
    this.lineCum = c.lineCum;
  }

  /** Number of functions. */
  get count(): number {
    return this.names.length;
  }

  /** Number of lines over all functions. */
  get lineCount(): number {
    return this.lineNo.length;
  }

  /** Function.filename of function i, as recorded. */
  file(i: number): string {
    return this.files[this.fnFile[i]!]!;
  }

  /** Row of the function with this exact name, or −1 (binary search in Go byte order). */
  find(name: string): number {
    let lo = 0;
    let hi = this.names.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = goStringCompare(this.names[mid]!, name);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The start line of the function with this name, or undefined when it has no heat. */
  startLineOf(name: string): number | undefined {
    const i = this.find(name);
    return i < 0 ? undefined : this.startLine[i];
  }

  /** Function i as `go tool pprof` shows it, with its lines (a new object each call). */
  row(i: number): FunctionNumbers {
    const startLine = this.startLine[i]!;
    const a = this.lineStart[i]!;
    const b = this.lineStart[i + 1]!;
    const lines = new Array<LineNumbers>(b - a);
    for (let k = a; k < b; k++) {
      const line = this.lineNo[k]!;
      lines[k - a] = { file: this.files[this.lineFile[k]!]!, line, offset: line - startLine, flat: this.lineFlat[k]!, cum: this.lineCum[k]! };
    }
    return { name: this.names[i]!, file: this.file(i), startLine, flat: this.flat[i]!, cum: this.cum[i]!, lines };
  }

  /** Every function as objects, by name (allocates them all: for lists and tests, not lookups). */
  rows(): FunctionNumbers[] {
    const out = new Array<FunctionNumbers>(this.count);
    for (let i = 0; i < out.length; i++) out[i] = this.row(i);
    return out;
  }

  /**
   * A table from rows (tests, hand-built profiles). Rows are ordered by name here; a line's offset
   * must be its line minus the function's start line, and a name may occur once.
   */
  static fromRows(rows: readonly FunctionHeat[]): HeatTable {
    const sorted = [...rows].sort((x, y) => goStringCompare(x.name, y.name));
    const files: string[] = [];
    const fileIds = new Map<string, number>();
    const fileOf = (f: string): number => {
      let id = fileIds.get(f);
      if (id === undefined) {
        id = files.length;
        fileIds.set(f, id);
        files.push(f);
      }
      return id;
    };
    const n = sorted.length;
    const nLines = sorted.reduce((s, f) => s + f.lines.length, 0);
    const c: HeatColumns = {
      names: sorted.map((f) => f.name),
      files,
      fnFile: new Int32Array(n),
      startLine: new Float64Array(n),
      flat: new Float64Array(n),
      cum: new Float64Array(n),
      lineStart: new Int32Array(n + 1),
      lineNo: new Float64Array(nLines),
      lineFile: new Int32Array(nLines),
      lineFlat: new Float64Array(nLines),
      lineCum: new Float64Array(nLines),
    };
    let k = 0;
    for (let i = 0; i < n; i++) {
      const f = sorted[i]!;
      if (i > 0 && sorted[i - 1]!.name === f.name) throw new RangeError(`heat rows name ${JSON.stringify(f.name)} twice`);
      c.fnFile[i] = fileOf(f.file);
      c.startLine[i] = f.startLine;
      c.flat[i] = f.flat;
      c.cum[i] = f.cum;
      c.lineStart[i] = k;
      for (const l of f.lines) {
        if (l.offset !== l.line - f.startLine) {
          throw new RangeError(`heat row ${f.name}: line ${l.line} has offset ${l.offset}, not line − start line ${l.line - f.startLine}`);
        }
        c.lineNo[k] = l.line;
        c.lineFile[k] = fileOf((l as Partial<LineNumbers>).file ?? f.file);
        c.lineFlat[k] = l.flat;
        c.lineCum[k] = l.cum;
        k++;
      }
    }
    c.lineStart[n] = k;
    return new HeatTable(c);
  }
}

/** A profile without heat (preprofile input, no samples). */
export const EMPTY_HEAT: HeatTable = HeatTable.fromRows([]);
