/**
 * A profile's locations as frames, the way `go tool pprof` walks them: every Line of a Location is
 * a frame (Line[0] innermost, the last one the physical frame the others were inlined into), and
 * a Location without lines is one frame without a function. The one walk behind the per-function
 * numbers (src/pgo/flatcum.ts) and the explorer's frames (src/explore/frames.ts).
 */
import type { LocationTable } from './pprof';

/** Per location (dense index) its frames in CSR form, innermost first. */
export interface LocationFrames {
  /** locations + 1 entries: location l's frames are [start[l], start[l + 1]). */
  start: Int32Array;
  /** Per frame: the index of its Line in the location table's line columns, or -1 for a location without lines. */
  line: Int32Array;
}

export function locationFrames(locs: LocationTable): LocationFrames {
  const start = new Int32Array(locs.count + 1);
  let n = 0;
  for (let l = 0; l < locs.count; l++) {
    start[l] = n;
    n += Math.max(1, locs.lineStart[l + 1]! - locs.lineStart[l]!);
  }
  start[locs.count] = n;
  const line = new Int32Array(n);
  for (let l = 0, k = 0; l < locs.count; l++) {
    const a = locs.lineStart[l]!;
    const b = locs.lineStart[l + 1]!;
    if (a === b) line[k++] = -1;
    for (let i = a; i < b; i++) line[k++] = i;
  }
  return { start, line };
}
