// Shared by the edit benches (bench-edits.mjs, bench-typing.mjs, bench-rematch.mjs): option reading, medians, the
// load average, the two hot functions of cmd/compile/internal/ssa they type in, and one timed keystroke.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

/** `opt(name, dflt)`: the value after `name` in `args`, else `dflt`. */
export const optionReader = (args) => (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** The files edited, each inside a hot function: a hot one of ordinary size and the largest one (79,019 lines). */
export function hotTargets(ssa) {
  return [
    { file: join(ssa, 'regalloc.go'), func: /^func \(s \*regAllocState\) allocReg\(/m },
    { file: join(ssa, 'rewriteAMD64.go'), func: /^func rewriteValueAMD64\(v \*Value\) bool \{/m },
  ].filter((t) => existsSync(t.file));
}

/**
 * One keystroke in the worker's model: `update` then `fileView` of the file. Wall and CPU (`process.cpuUsage`,
 * which includes V8's GC threads) in ms, and the wall split by phase (text, index, match from `lastUpdate`; the
 * summary is the rest of `update`; the view).
 */
export function keystroke(model, file, text) {
  const c0 = process.cpuUsage();
  const s0 = performance.now();
  model.update(file, text);
  const s1 = performance.now();
  const view = model.fileView(file);
  const s2 = performance.now();
  const c = process.cpuUsage(c0);
  const u = model.lastUpdate;
  return {
    view,
    wall: s2 - s0,
    cpu: (c.user + c.system) / 1000,
    phases: { text: u.textMillis, index: u.indexMillis, match: u.matchMillis, summary: s1 - s0 - u.textMillis - u.indexMillis - u.matchMillis, view: s2 - s1 },
  };
}
