/**
 * Walks over every sample's frames, outermost first, as `go tool pprof`'s graph builder does:
 * samples whose value is 0 are skipped. One callback per sample with its frames in a reused
 * buffer (function ids, root first), so queries cost no per-sample allocation.
 */
import type { Frames } from './frames';

export function forEachStack(frames: Frames, vi: number, visit: (s: number, w: number, fns: Int32Array, n: number) => void): void {
  const { start, fn, stacks, nValues: nv } = frames;
  const { stackStart, stack, values } = stacks;
  let buf = new Int32Array(256);
  for (let s = 0; s < stacks.count; s++) {
    const w = values[s * nv + vi]!;
    if (w === 0) continue;
    let n = 0;
    for (let i = stackStart[s + 1]! - 1; i >= stackStart[s]!; i--) {
      const l = stack[i]!;
      for (let k = start[l + 1]! - 1; k >= start[l]!; k--) {
        if (n === buf.length) {
          const b = new Int32Array(n * 2);
          b.set(buf);
          buf = b;
        }
        buf[n++] = fn[k]!;
      }
    }
    visit(s, w, buf, n);
  }
}
