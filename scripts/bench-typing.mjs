#!/usr/bin/env node
// Typing in hot functions, in the worker's workspace model (issue #14: ≤ 10 ms per keystroke): GOROOT/src/cmd
// opened untrusted with cmd/compile's default.pgo, then keystrokes in `allocReg` (ssa/regalloc.go) and
// `rewriteValueAMD64` (ssa/rewriteAMD64.go, 79,019 lines): a statement typed character by character
// (`_ = len(v.Args) + N`, then erased again, so the token count changes and the function is walked again)
// and typing in a comment line. Each keystroke is `update` + `fileView` against the previous text; WARM
// keystrokes first, then RUNS measured: wall and CPU (`process.cpuUsage`, includes V8's GC threads) medians
// and the per-phase wall medians (text, index, match, summary, view), with the load average. Figures only:
// nothing passes or fails on time. `--out DIR` reads another build (an old worktree's `out/`) for same-run
// A/B pairs; `--cpu-prof` prints the heaviest functions (self and total) of the measured keystrokes from the
// in-process profiler; `--file NAME` types only in that file; `--kind statement|comment` only that kind.
//
// `--lines NAME` (with `--cpu-prof`) adds the self samples of the functions named NAME by line of the built file.
//
//   node scripts/bench-typing.mjs [--runs 60] [--warm 20] [--out DIR] [--cpu-prof [--lines index]] [--file rewriteAMD64.go] [--kind statement]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hotTargets, keystroke, loadAverage, median, optionReader } from './bench-edit-kit.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = optionReader(args);
const runs = Number(opt('--runs', '60'));
const warm = Number(opt('--warm', '20'));
const outDir = resolve(opt('--out', join(root, 'out')));
const profile = args.includes('--cpu-prof');
const only = opt('--file', undefined);
const onlyKind = opt('--kind', undefined);
const linesOf = opt('--lines', undefined); // with --cpu-prof: the self samples of functions of this name by source line of the built file
const { WorkspaceModel } = require(join(outDir, 'src', 'worker', 'workspace.js'));
const out = (s = '') => process.stdout.write(s + '\n');
const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const load = loadAverage;

const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
const folder = join(goroot, 'src', 'cmd');
const ssa = join(folder, 'compile', 'internal', 'ssa');
const targets = hotTargets(ssa).filter((t) => !only || basename(t.file) === only);

/** The keystrokes of a statement typed and erased again, as the line's successive contents. */
function statementLines() {
  const stmt = '_ = len(v.Args) + 7';
  const steps = [];
  for (let i = 1; i <= stmt.length; i++) steps.push('\t' + stmt.slice(0, i));
  for (let i = stmt.length - 1; i >= 1; i--) steps.push('\t' + stmt.slice(0, i));
  return steps;
}
/** Typing in a comment line: one more character per keystroke, erased every 30. */
function commentLines() {
  const steps = [];
  for (let i = 0; i < 30; i++) steps.push('\t// typing ' + 'x'.repeat(i));
  return steps;
}

const model = new WorkspaceModel();
const t0 = performance.now();
const s = await model.open({ folders: [folder], thresholdPercent: 99, trusted: false, history: false });
const bin = s.binaries.find((b) => b.mainDir === join(folder, 'compile'));
if (!bin?.summary) throw new Error(`cmd/compile has no usable profile: ${bin?.error?.message ?? 'no binary'}`);
if (typeof model.complete === 'function') await model.complete('match');
out(`build ${outDir}; opened in ${ms(performance.now() - t0)} ms; ${warm} warm-up + ${runs} measured keystrokes per row; load ${load()}`);

const session = profile ? new Session() : undefined;
const post = (m, p) => new Promise((res, rej) => session.post(m, p, (e, r) => (e ? rej(e) : res(r))));
if (session) {
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
}
for (const t of targets) {
  const lines = readFileSync(t.file, 'utf8').split('\n');
  const at = lines.findIndex((l) => t.func.test(l));
  if (at < 0) throw new Error(`no ${t.func} in ${t.file}`);
  const textWith = (line) => {
    const copy = [...lines];
    copy.splice(at + 1, 0, line);
    return copy.join('\n');
  };
  for (const kind of [
    { name: 'statement', steps: statementLines() },
    { name: 'comment', steps: commentLines() },
  ]) {
    if (onlyKind && kind.name !== onlyKind) continue;
    const texts = [];
    for (let i = 0; i < warm + runs; i++) texts.push(textWith(kind.steps[i % kind.steps.length]));
    model.fileView(t.file);
    const wall = [];
    const cpu = [];
    const phases = { text: [], index: [], match: [], summary: [], view: [] };
    for (let i = 0; i < texts.length; i++) {
      if (i === warm && session) await post('Profiler.start');
      const k = keystroke(model, t.file, texts[i]);
      if (k.view.binary !== bin.id) throw new Error(`no heat for ${t.file}`);
      if (i < warm) continue;
      wall.push(k.wall);
      cpu.push(k.cpu);
      for (const [name, x] of Object.entries(k.phases)) phases[name].push(x);
    }
    if (session) report((await post('Profiler.stop')).profile);
    model.update(t.file, null);
    const split = Object.entries(phases)
      .map(([k, xs]) => `${k} ${ms(median(xs))}`)
      .join(', ');
    out(
      `${basename(t.file).padEnd(16)} ${kind.name.padEnd(9)} ${ms(median(wall)).padStart(6)} ms wall, ${ms(median(cpu)).padStart(6)} ms CPU  [${split}]; load ${load()}`,
    );
  }
}

/** The heaviest functions by self time and by total time (shares of the measured keystrokes). */
function report(p) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-1)[0]}:${n.callFrame.lineNumber + 1}`;
  const self = new Map();
  const incl = new Map();
  let total = 0;
  for (const id of p.samples) {
    const n = byId.get(id);
    total++;
    self.set(key(n), (self.get(key(n)) ?? 0) + 1);
    const seen = new Set();
    for (let m = n; m; m = byId.get(parent.get(m.id))) {
      const k = key(m);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + 1);
    }
  }
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  out('  self:');
  for (const [k, c] of top(self, 25)) out(`   ${((c / total) * 100).toFixed(1).padStart(5)} % ${k}`);
  out('  total:');
  for (const [k, c] of top(incl, 50)) out(`   ${((c / total) * 100).toFixed(1).padStart(5)} % ${k}`);
  if (!linesOf) return;
  const byLine = new Map();
  for (const n of p.nodes) {
    if (n.callFrame.functionName !== linesOf) continue;
    const file = n.callFrame.url.replace(/^file:\/\//, '');
    for (const { line, ticks } of n.positionTicks ?? []) byLine.set(`${file}:${line}`, (byLine.get(`${file}:${line}`) ?? 0) + ticks);
  }
  out(`  ${linesOf}, self by line:`);
  for (const [k, c] of top(byLine, 25)) {
    const [file, line] = [k.slice(0, k.lastIndexOf(':')), Number(k.slice(k.lastIndexOf(':') + 1))];
    const text = existsSync(file) ? (readFileSync(file, 'utf8').split('\n')[line - 1] ?? '').trim().slice(0, 110) : '';
    out(`   ${((c / total) * 100).toFixed(1).padStart(5)} % ${basename(file)}:${line} ${text}`);
  }
}
