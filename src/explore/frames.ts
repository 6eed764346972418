/**
 * A profile's locations as frames, the way `go tool pprof` counts them at function granularity:
 * every Line of a Location is a frame (Line[0] innermost), keyed by the function name; a line
 * without a function (or a location without lines) is pprof's `<unknown>` node. A frame that is
 * not the last Line of its Location was inlined into the next outer one.
 *
 * Function ids come from a `FunctionNames` table that several profiles can share (a diff keys
 * both sides' frames by the same ids).
 */
import { ProfileError } from '../profile/errors';
import { grow } from '../profile/grow';
import type { PprofProfile, StackTable } from '../profile/pprof';
import { UNKNOWN_FUNCTION } from '../pgo/flatcum';

/** Function names ↔ dense ids, with the profile's file and start line of the first record seen. */
export class FunctionNames {
  readonly names: string[] = [];
  readonly files: string[] = [];
  readonly startLines: number[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string, file = '', startLine = 0): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
      this.files.push(file);
      this.startLines.push(startLine);
    }
    return id;
  }

  lookup(name: string): number | undefined {
    return this.ids.get(name);
  }

  get size(): number {
    return this.names.length;
  }
}

/** Per location (dense index) its frames, innermost first, in CSR form. */
export interface Frames {
  names: FunctionNames;
  /** locations + 1 entries. */
  start: Int32Array;
  fn: Int32Array;
  /** 1 when the frame was inlined into the next frame of its location. */
  inlined: Uint8Array;
  stacks: StackTable;
  nValues: number;
}

export function framesOf(p: PprofProfile, names: FunctionNames): Frames {
  const stacks = p.stacks;
  if (!stacks) throw new ProfileError('malformed', 'the profile was decoded without stacks (heat: false): the explorer needs them');
  const { strings, functions: fns, locations: locs } = p;
  const recFn = new Int32Array(fns.count);
  for (let f = 0; f < fns.count; f++) recFn[f] = names.id(strings[fns.name[f]!]!, strings[fns.filename[f]!]!, fns.startLine[f]!);
  const start = new Int32Array(locs.count + 1);
  let fn = new Int32Array(Math.max(16, locs.lineFunc.length + 16));
  let inlined = new Uint8Array(fn.length);
  let n = 0;
  for (let l = 0; l < locs.count; l++) {
    start[l] = n;
    const a = locs.lineStart[l]!;
    const b = locs.lineStart[l + 1]!;
    const cnt = Math.max(1, b - a);
    if (n + cnt > fn.length) {
      fn = grow(fn, n + cnt);
      inlined = grow(inlined, n + cnt);
    }
    for (let i = a; i < a + cnt; i++) {
      const f = i < b ? locs.lineFunc[i]! : -1;
      fn[n] = f < 0 ? names.id(UNKNOWN_FUNCTION) : recFn[f]!;
      inlined[n] = i < a + cnt - 1 ? 1 : 0;
      n++;
    }
  }
  start[locs.count] = n;
  return { names, start, fn, inlined, stacks, nValues: p.nValues };
}
