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
import { locationFrames } from '../profile/location-frames';
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
  const { start, line } = locationFrames(locs);
  const fn = new Int32Array(line.length);
  const inlined = new Uint8Array(line.length);
  for (let l = 0; l < locs.count; l++) {
    const last = start[l + 1]! - 1;
    for (let k = start[l]!; k <= last; k++) {
      const i = line[k]!;
      const f = i < 0 ? -1 : locs.lineFunc[i]!;
      fn[k] = f < 0 ? names.id(UNKNOWN_FUNCTION) : recFn[f]!;
      inlined[k] = k < last ? 1 : 0;
    }
  }
  return { names, start, fn, inlined, stacks, nValues: p.nValues };
}
