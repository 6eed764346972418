#!/usr/bin/env node
// The re-match after an edit, CPU only (issue #14): GOROOT/src/cmd opened untrusted with cmd/compile's
// default.pgo, then new lines (one and two `//` lines, alternating) typed after the first line of a hot
// function, `update` per edit; and a re-match of cmd/compile with nothing changed (the floor of any edit
// the index sees). CPU time (`process.cpuUsage`) of each `update` / re-match, median of N, with the load
// average. Figures only: nothing passes or fails on time. Run after `node scripts/build.mjs --tests`;
// `--out DIR` reads another build (an old worktree's `out/`) for same-run A/B pairs; `--profile` prints
// the heaviest functions (self and total time) of the new-line updates from the in-process profiler,
// `--focus NAME` those under the function NAME; `--file NAME` edits only that file; `--ab-guesses` alternates
// the new-line updates between the kept rename guesses used and not (match/guess-memo.ts), 2N updates.
//
//   node scripts/bench-rematch.mjs [--runs N] [--out DIR] [--profile] [--focus NAME] [--file regalloc.go] [--ab-guesses]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hotTargets, loadAverage, median, optionReader } from './bench-edit-kit.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = optionReader(args);
const runs = Number(opt('--runs', '9'));
const outDir = resolve(opt('--out', join(root, 'out')));
const profile = args.includes('--profile') || args.includes('--focus');
/** `--focus NAME`: only the samples under a function of that name (its callees by self and total time). */
const focus = opt('--focus', undefined);
/** `--file NAME`: only the target file of that name. */
const only = opt('--file', undefined);
const { WorkspaceModel } = require(join(outDir, 'src', 'worker', 'workspace.js'));
/**
 * `--ab-guesses`: the new-line updates alternate between the kept rename guesses used and not used (GuessMemo.get
 * answering nothing), in one process, so load drift falls on both halves alike.
 */
const abGuesses = args.includes('--ab-guesses');
let guessesOff = false;
if (abGuesses) {
  const { GuessMemo } = require(join(outDir, 'src', 'match', 'guess-memo.js'));
  const get = GuessMemo.prototype.get;
  GuessMemo.prototype.get = function (now) {
    return guessesOff ? undefined : get.call(this, now);
  };
  // and the wall time of the guesses themselves (match.js calls them through the module's exports)
  const refactor = require(join(outDir, 'src', 'match', 'refactor.js'));
  const classify = refactor.classifyUnmatched;
  refactor.classifyUnmatched = (...a) => {
    const t = performance.now();
    try {
      return classify(...a);
    } finally {
      guessMillis += performance.now() - t;
    }
  };
}
let guessMillis = 0;
const out = (s = '') => process.stdout.write(s + '\n');
const f1 = (x) => x.toFixed(1);
const load = loadAverage;
const cpuOf = (fn) => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
const folder = join(goroot, 'src', 'cmd');
const ssa = join(folder, 'compile', 'internal', 'ssa');
const targets = hotTargets(ssa).filter((t) => !only || t.file.endsWith(only));

const model = new WorkspaceModel();
const t0 = performance.now();
const s = await model.open({ folders: [folder], thresholdPercent: 99, trusted: false, history: false });
const bin = s.binaries.find((b) => b.mainDir === join(folder, 'compile'));
out(`build ${outDir}; opened in ${f1(performance.now() - t0)} ms; load ${load()}`);
// the match stage of a prioritised open
if (typeof model.complete === 'function') await model.complete('match');
const b = model.binaries.find((x) => x.id === bin.id);
model.rematch(b);
const floor = [];
for (let i = 0; i < runs; i++) floor.push(cpuOf(() => model.rematch(b)));
out(`unchanged re-match: ${f1(median(floor))} ms CPU (median of ${runs}; ${floor.map(f1).join(' ')}); load ${load()}`);

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
  const text = (i) => {
    const copy = [...lines];
    copy.splice(at + 2, 0, ...(i % 2 ? ['\t//', '\t//'] : ['\t//']));
    return copy.join('\n');
  };
  model.fileView(t.file);
  model.update(t.file, text(-1));
  model.fileView(t.file);
  const cpu = [];
  const match = [];
  const off = { cpu: [], match: [], guess: [] };
  const guess = [];
  if (session) await post('Profiler.start');
  for (let i = 0; i < (abGuesses ? 2 * runs : runs); i++) {
    // on, on, off, off, …: each half gets the one-line and the two-line text alike
    guessesOff = abGuesses && (i >> 1) % 2 === 1;
    const into = guessesOff ? off : { cpu, match, guess };
    guessMillis = 0;
    into.cpu.push(cpuOf(() => model.update(t.file, text(i))));
    into.match.push(model.lastUpdate.matchMillis);
    into.guess.push(guessMillis);
    model.fileView(t.file);
  }
  guessesOff = false;
  if (abGuesses)
    out(
      `${t.file.slice(ssa.length + 1)} a new line, kept rename guesses not used: update ${f1(median(off.cpu))} ms CPU, match ${f1(median(off.match))} ms wall, ` +
        `guesses ${f1(median(off.guess))} ms wall; used: guesses ${f1(median(guess))} ms wall (median of ${runs})`,
    );
  if (session) report((await post('Profiler.stop')).profile);
  model.update(t.file, null);
  out(`${t.file.slice(ssa.length + 1)} a new line: update ${f1(median(cpu))} ms CPU, match ${f1(median(match))} ms wall (median of ${runs}); load ${load()}`);
  // the rename guesses kept whole (match/guess-memo.ts; builds before it have none)
  const kept = model.binaries.find((x) => x.id === bin.id)?.cache?.guesses?.counts;
  if (kept)
    out(
      `  rename guesses kept whole so far: ${kept.hits} (over moved declarations ${kept.moved}, edited claimed ones ${kept.edited}); refused for a line part ${kept.band}`,
    );
}

/** The heaviest functions by self time and by total time (the share of the profiled updates). */
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
    if (focus) {
      let under = false;
      for (let m = n; m && !under; m = byId.get(parent.get(m.id))) under = m.callFrame.functionName === focus;
      if (!under) continue;
    }
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
  for (const [k, c] of top(self, 20)) out(`   ${((c / total) * 100).toFixed(1).padStart(5)} % ${k}`);
  out('  total:');
  for (const [k, c] of top(incl, 45)) out(`   ${((c / total) * 100).toFixed(1).padStart(5)} % ${k}`);
}
