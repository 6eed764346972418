/**
 * Line-level diff for re-aligning profile offsets: which line of the old text (the source at the
 * commit that recorded default.pgo) each line of the new text is. Myers' O((N+M)·D) greedy
 * algorithm on the lines left after trimming the common prefix and suffix; when the edit
 * distance exceeds `maxEdits` (a rewrite of most of the file) only the prefix and suffix map.
 */

/** old line index (0-based) → new line index, or -1 where the old line was deleted or changed. */
export function lineMap(oldLines: readonly string[], newLines: readonly string[], maxEdits = 2000): Int32Array {
  const n = oldLines.length;
  const m = newLines.length;
  const map = new Int32Array(n).fill(-1);
  let pre = 0;
  while (pre < n && pre < m && oldLines[pre] === newLines[pre]) {
    map[pre] = pre;
    pre++;
  }
  let suf = 0;
  while (suf < n - pre && suf < m - pre && oldLines[n - 1 - suf] === newLines[m - 1 - suf]) {
    map[n - 1 - suf] = m - 1 - suf;
    suf++;
  }
  const a = oldLines.slice(pre, n - suf);
  const b = newLines.slice(pre, m - suf);
  if (a.length === 0 || b.length === 0) return map;
  // Intern lines so the inner loop compares integers.
  const ids = new Map<string, number>();
  const id = (s: string): number => {
    let v = ids.get(s);
    if (v === undefined) ids.set(s, (v = ids.size));
    return v;
  };
  const A = Int32Array.from(a, id);
  const B = Int32Array.from(b, id);
  const snakes = myers(A, B, maxEdits);
  if (!snakes) return map;
  for (const [x, y, len] of snakes) for (let k = 0; k < len; k++) map[pre + x + k] = pre + y + k;
  return map;
}

/** Diagonal runs [x, y, length] of a shortest edit script, or null beyond `maxEdits`. */
function myers(A: Int32Array, B: Int32Array, maxEdits: number): Array<[number, number, number]> | null {
  const N = A.length;
  const M = B.length;
  const max = Math.min(N + M, maxEdits);
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d, off + d + 1)); // V of d−1, k ∈ [−d, d] at k + d
    const next = v;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < N && y < M && A[x] === B[y]) {
        x++;
        y++;
      }
      next[off + k] = x;
      if (x >= N && y >= M) {
        found = d;
        break;
      }
    }
    v = next;
    if (found >= 0) break;
  }
  if (found < 0) return null;
  // Walk back through the saved frontiers.
  const snakes: Array<[number, number, number]> = [];
  let x = N;
  let y = M;
  for (let d = found; d > 0; d--) {
    const vd = trace[d]!;
    const at = (k: number): number => vd[k + d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const startX = prevK === k + 1 ? prevX : prevX + 1;
    const startY = startX - k;
    if (x > startX) snakes.push([startX, startY, x - startX]);
    x = prevX;
    y = prevY;
  }
  if (x > 0) snakes.push([0, 0, x]);
  return snakes.reverse();
}

/** Splits text into lines the way line numbers count them (\n, with \r\n tolerated). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
  return lines;
}
