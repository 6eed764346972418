#!/usr/bin/env node
// Prediction vs compiler confirmation (`npm run bench` calls it; also runnable alone after
// `node scripts/build.mjs --tests`): for every fixture binary and for cmd/compile (GOROOT/src/cmd/compile
// with its default.pgo), our profile-only predictions (pgo-lens report) against the decisions the
// compiler prints when it builds the binary (src/compiler). Every disagreement has a category and
// an explanation; `bug` lists the unexplained ones. Figures only: nothing passes or fails here.
//
// Then confirmation timings (issue #19): cold, unchanged, and after a one-line edit in one package,
// written to disk as an editor save is (a copy of the fixture; for cmd/compile a copy of the edited
// file named by a fixed -overlay, so GOROOT stays untouched), each next to plain `go build -pgo` of
// the same state in the same run (the plain "cold" build is as cold as the go build cache happens
// to be; the cold confirmation compiles every workspace package).
//
// Each timing row has wall time and CPU: ours (node, process.cpuUsage) and the go commands' with
// the compilers they ran (children CPU from /proc/self/stat, Linux), steadier than wall time on a
// loaded machine; node's CPU is split into before `go list -x`, while it runs (reading its stream and, as each compile
// ends, that compile's decisions) and after it. `--edits N` repeats "the same line, another value" N times (medians
// printed). `--baseline DIR` (another checkout with `out/` built, e.g. a `git worktree` of the previous commit) times
// its confirmation too on every other edit of that row, in the same run (its stable directories under a cache root of
// its own), each next to its own plain build: same-run old/new pairs, whose decisions must be identical.
//
//   node scripts/bench-decisions.mjs [--no-compile] [--json FILE] [--timings-only | --no-timings] [--edits N] [--overlay-edits] [--baseline DIR]
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (s = '') => process.stdout.write(s + '\n');
const { buildReport } = require(join(root, 'out', 'src', 'match', 'report.js'));
const { confirmDecisions, confirmPgoChanges } = require(join(root, 'out', 'src', 'compiler', 'confirm.js'));
const { compareWithCompiler, predictionsFromMatch } = require(join(root, 'out', 'src', 'compiler', 'agreement.js'));
const { PackageResults } = require(join(root, 'out', 'src', 'compiler', 'cache.js'));

const args = process.argv.slice(2);
const withCompile = !args.includes('--no-compile');
const timingsOnly = args.includes('--timings-only');
const noTimings = args.includes('--no-timings');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const edits = args.includes('--edits') ? Math.max(1, Number(args[args.indexOf('--edits') + 1]) || 1) : 1;
const overlayEdits = args.includes('--overlay-edits'); // edit the fixture too through a fixed -overlay, as cmd/compile is edited
const baselineDir = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined;
const baseline = baselineDir && {
  confirmDecisions: require(join(baselineDir, 'out', 'src', 'compiler', 'confirm.js')).confirmDecisions,
  PackageResults: require(join(baselineDir, 'out', 'src', 'compiler', 'cache.js')).PackageResults,
};

function fixtureMains() {
  const fx = join(root, 'test', 'fixtures');
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name === 'default.pgo') found.push(d);
    }
  };
  walk(fx);
  return found.sort().map((mainDir) => {
    let r = mainDir;
    while (!existsSync(join(r, 'go.mod'))) r = dirname(r);
    return { label: relative(fx, mainDir), root: r, mainDir };
  });
}

async function one({ label, root: wsRoot, mainDir }) {
  const t0 = performance.now();
  const report = await buildReport(wsRoot);
  const b = report.binaries.find((x) => x.mainDir === mainDir);
  if (!b) throw new Error(`${label}: no binary in the report`);
  const tReport = performance.now() - t0;
  const t1 = performance.now();
  const c = await confirmDecisions({ root: wsRoot, mainDir });
  const tBuild = performance.now() - t1;
  const a = compareWithCompiler(predictionsFromMatch(wsRoot, b), c.decisions);
  return { label, a, c, tReport, tBuild, lens: lensFigures(wsRoot, b, a) };
}

// Decision lenses: the report's candidates marked pgo 'hot-budget' (claims) and 'possible', against
// the compiler's verdict on the same (line, caller, callee); devirtualizations certain vs possible.
function lensFigures(wsRoot, b, a) {
  const key = (file, line, caller, callee) => `${join(wsRoot, file)}:${line}:${caller}:${callee}`;
  const cat = new Map();
  for (const j of a.judged) if (j.what === 'inline') cat.set(key(relative(wsRoot, j.file), j.line, j.caller, j.callee), j.category);
  const tally = { 'hot-budget': [0, 0], possible: [0, 0], none: [0, 0] };
  for (const c of b.inlineCandidates) {
    const k = cat.get(key(c.file, c.line, c.caller, c.callee));
    tally[c.pgo][0]++;
    if (k === 'hot-budget') tally[c.pgo][1]++;
  }
  const dv = a.judged.filter((j) => j.what === 'devirtualize');
  const certainKeys = new Set(b.devirtualizations.filter((d) => d.certain).map((d) => `${d.line}:${d.callee}`));
  const agreeCertain = dv.filter((j) => j.category === 'devirtualized' && certainKeys.has(`${j.line}:${j.callee}`)).length;
  const nCertain = b.devirtualizations.filter((d) => d.certain).length;
  return { tally, devirtCertain: nCertain, agreeCertain, devirtPossible: b.devirtualizations.length - nCertain };
}

function print({ label, a, c, tReport, tBuild, lens }) {
  const d = c.decisions;
  const inl = d.calls.filter((x) => x.kind === 'inline');
  out(
    `${label}: ${inl.filter((x) => x.inlined).length} inlined (${inl.filter((x) => x.hotBudget).length} with the hot budget), ${inl.filter((x) => !x.inlined).length} refusals, ${d.calls.filter((x) => x.kind === 'devirtualize' && x.pgo).length} PGO devirtualizations; report ${(tReport / 1000).toFixed(1)} s, compiler build ${(tBuild / 1000).toFixed(1)} s`,
  );
  const ia = a.inlineAgreement;
  out(
    `  inline candidates: ${ia.total}: ${ia.agree} inlined with the hot budget as predicted, ${ia.explained} explained disagreements, ${ia.bugs} unexplained`,
  );
  out(`  devirtualizations: ${a.devirtAgreement.agree} agree, ${a.devirtAgreement.bugs} unexplained (of ${a.devirtAgreement.total})`);
  const t = lens.tally;
  out(
    `  decisions (pgo): hot-budget ${t['hot-budget'][1]}/${t['hot-budget'][0]} inlined with the hot budget, possible ${t.possible[1]}/${t.possible[0]}, none ${t.none[1]}/${t.none[0]}; ` +
      `devirtualizations certain ${lens.agreeCertain}/${lens.devirtCertain} done, possible ${lens.devirtPossible}`,
  );
  const cats = Object.entries(a.counts).sort((x, y) => y[1] - x[1]);
  out(`  categories: ${cats.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  // one example explanation per category
  const seen = new Set();
  for (const j of a.judged) {
    if (seen.has(j.category) || j.category === 'hot-budget' || j.category === 'devirtualized') continue;
    seen.add(j.category);
    out(`    e.g. ${j.category}: ${relative(dirname(c.mainDir), j.file)}:${j.line} ${j.callee} — ${j.explanation}`);
  }
  for (const bug of a.bugs.slice(0, 20)) out(`    BUG ${bug.what} ${relative(dirname(c.mainDir), bug.file)}:${bug.line} ${bug.callee}: ${bug.explanation}`);
  if (a.bugs.length > 20) out(`    … ${a.bugs.length - 20} more`);
}

// ---- confirmation timings (issue #19) ----------------------------------------------------------

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** CPU ms of this process's waited-for children and their descendants (the go commands and their compilers); 0 where /proc is missing. */
function childrenCpuMs() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    // fields 16 and 17 (cutime, cstime) in clock ticks; rest[0] is field 3
    return ((Number(rest[13]) + Number(rest[14])) * 1000) / 100;
  } catch {
    return 0;
  }
}
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Plain `go build -pgo=default.pgo` of mainDir (binary discarded): ms, go CPU ms, and the compiler runs its `-x` trace shows. */
function plainBuild(mainDir, env) {
  const bin = mkdtempSync(join(tmpdir(), 'pgo-lens-bench-bin-'));
  try {
    const t0 = performance.now();
    const g0 = childrenCpuMs();
    const r = spawnSync('go', ['build', '-x', '-o', join(bin, 'a.out'), '-pgo=default.pgo', '.'], { cwd: mainDir, env, encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`go build failed in ${mainDir}: ${r.stderr}`);
    return { ms, goCpu: childrenCpuMs() - g0, compiles: r.stderr.split('\n').filter((l) => /\/compile -o /.test(l)).length };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

/**
 * One confirmation in a given cache root (per-package results kept in memory as the worker does; no decision cache): ms,
 * packages compiled, compile actions. `side` is the code timed: this checkout's, or the baseline's (`--baseline`).
 */
async function timedConfirm(target, cacheRoot, env, quick = true, side = { confirmDecisions, packageResults: target.packageResults }) {
  const packageResults = side.packageResults;
  const t0 = performance.now();
  const n0 = cpuMs();
  const g0 = childrenCpuMs();
  // when the build's go command started and when it ended (build.ts: a `go list -x` command, then phase `read`), wall and node CPU
  let goStart;
  let goEnd;
  let cpuStart;
  let cpuEnd;
  const onProgress = (p) => {
    if (p.phase === 'command' && p.message.startsWith('go list -x ') && goStart === undefined) [goStart, cpuStart] = [performance.now(), cpuMs()];
    if (p.phase === 'read' && goEnd === undefined) [goEnd, cpuEnd] = [performance.now(), cpuMs()];
  };
  const c = await side.confirmDecisions({ root: target.root, mainDir: target.mainDir, cacheRoot, env, quick, onProgress, packageResults });
  const end = performance.now();
  const nodeEnd = cpuMs();
  return {
    ms: end - t0,
    phases: goStart !== undefined && goEnd !== undefined ? { before: goStart - t0, go: goEnd - goStart, after: end - goEnd } : undefined,
    nodePhases: cpuStart !== undefined && cpuEnd !== undefined ? { before: cpuStart - n0, go: cpuEnd - cpuStart, after: nodeEnd - cpuEnd } : undefined,
    nodeCpu: nodeEnd - n0,
    goCpu: childrenCpuMs() - g0,
    plan: c.plan ?? 'none',
    compiled: c.compiled.length,
    reused: c.reused.length,
    actions: c.compileActions,
    calls: c.decisions.calls.length,
    digest: decisionsDigest(c.decisions),
    unchanged: c.unchanged === true,
  };
}

/** A digest of the decisions, field for field (order-free): same-run old/new pairs must agree on it. */
function decisionsDigest(d) {
  const calls = d.calls.map((c) => JSON.stringify(c, Object.keys(c).sort())).sort();
  return createHash('sha256')
    .update(JSON.stringify([calls, d.thresholds ?? []]))
    .digest('hex');
}

/**
 * The workspace a timing run edits, on disk as an editor save does (the kept plan and the last build
 * then answer as they would in the editor): a copy of the fixture, or for cmd/compile (which cannot
 * leave GOROOT) a copy of the edited file that a fixed `-overlay` names in every run of both sides,
 * cold and unchanged included, so GOFLAGS stay the same from run to run and only the copy changes.
 */
function editableTarget(target, scratch) {
  if (!target.overlay) {
    const root = join(scratch, 'ws');
    cpSync(target.root, root, { recursive: true, filter: (s) => !s.includes(`${sep}expected`) });
    const at = (p) => join(root, relative(target.root, p));
    return { ...target, root, mainDir: at(target.mainDir), editFile: at(target.editFile), writeTo: at(target.editFile), goflags: '-buildvcs=false' };
  }
  const copy = join(scratch, basename(target.editFile));
  writeFileSync(copy, readFileSync(target.editFile, 'utf8'));
  const overlay = join(scratch, 'overlay.json');
  writeFileSync(overlay, JSON.stringify({ Replace: { [target.editFile]: copy } }));
  return { ...target, writeTo: copy, goflags: `-buildvcs=false -overlay=${overlay}` };
}

/** Cold, unchanged and one-line-edit confirmation of one target, each next to plain go build -pgo. */
async function confirmTimings(target0) {
  const cacheRoot = mkdtempSync(join(tmpdir(), 'pgo-lens-bench-confirm-'));
  // the baseline's own stable directories: sharing them, two versions whose flags or records differ would each find
  // the other's last build and kept plan, and pay a dry run and a re-listing no user pays
  const oldCacheRoot = baseline ? mkdtempSync(join(tmpdir(), 'pgo-lens-bench-confirm-old-')) : cacheRoot;
  const scratch = mkdtempSync(join(tmpdir(), 'pgo-lens-bench-edit-'));
  try {
    // each package's results kept in memory across the target's confirmations, as the editor's worker keeps them
    // (engine.ts): an edit then reads none of the unchanged packages' results from the disk store
    const target = { ...editableTarget(target0, scratch), packageResults: new PackageResults() };
    // a workspace is older than a moment: a confirmation keeps nothing whose inputs changed within 2 s (plan-cache.ts, unchanged.ts)
    await new Promise((r) => setTimeout(r, 2100));
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: target.goflags };
    const original = readFileSync(target.writeTo, 'utf8');
    const cold = await timedConfirm(target, cacheRoot, env);
    const coldPlain = plainBuild(target.mainDir, env);
    const again = await timedConfirm(target, cacheRoot, env);
    const againGo = await timedConfirm(target, cacheRoot, env, false); // without the kept result: go and the build cache answer
    const againPlain = plainBuild(target.mainDir, env);
    // An -overlay in GOFLAGS rules out the no-go path (unchanged.ts): the unchanged state once more without it (the
    // same action IDs: the copy is the file), then once with it so the edits find the overlay's kept plan again.
    let bare;
    if (target.overlay) {
      const envBare = { ...env, GOFLAGS: '-buildvcs=false' };
      await timedConfirm(target, cacheRoot, envBare);
      bare = [await timedConfirm(target, cacheRoot, envBare), plainBuild(target.mainDir, envBare)];
      await timedConfirm(target, cacheRoot, env);
    }
    // Edits are written to the file on disk, then both sides build the same state. The first adds an exported
    // function whose name is new in every run, so its package's export data (and with it the objects of every
    // importer) is new to the go build cache of BOTH sides: neither was primed by an earlier run. (An unexported
    // addition changes the importers' objects the same way whatever its name; a plain build that saw such an edit
    // in an earlier bench run then compiled 6 packages where a confirmation with new flags compiled 21; an addition
    // of a shape new to both makes plain go build compile the same 21: docs/performance.md, #19.) The next edits
    // change a value inside its body, which is not in the export data (a `go` statement keeps it from being
    // inlined): the edited package and its importers recompile, their objects stay the same, nothing further does.
    const stamp = Date.now();
    const line = (v) => `\nfunc PgoLensBenchEdit${stamp}(c chan int64) { go func() { c <- ${v} }() }\n`;
    const editWith = async (v, side) => {
      writeFileSync(target.writeTo, original + line(v));
      await new Promise((r) => setTimeout(r, 1500)); // the editor's debounce between a save and its background confirmation
      const c = await timedConfirm(target, side ? oldCacheRoot : cacheRoot, env, true, side);
      return [c, plainBuild(target.mainDir, env)];
    };
    const [edit, editPlain] = await editWith(stamp);
    const again2 = [];
    const old2 = [];
    const oldSide = baseline && { confirmDecisions: baseline.confirmDecisions, packageResults: new baseline.PackageResults() };
    if (oldSide) await timedConfirm(target, oldCacheRoot, env, false, oldSide); // the baseline's cold run: its per-package results in memory, as this side's are
    for (let i = 1; i <= edits; i++) {
      // each value is new to both sides; pairs alternate which side goes first
      if (oldSide && i % 2 === 1) old2.push(await editWith(stamp + 1000 + i, oldSide));
      again2.push(await editWith(stamp + i));
      if (oldSide && i % 2 === 0) old2.push(await editWith(stamp + 1000 + i, oldSide));
    }
    const mid = (xs, f) => [...xs].map(f).sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const med = (runs, i) => ({
      ...runs[0][i],
      ms: mid(runs, (x) => x[i].ms),
      ...(i === 0 && runs.every((x) => x[0].phases)
        ? { phases: Object.fromEntries(['before', 'go', 'after'].map((k) => [k, mid(runs, (x) => x[0].phases[k])])) }
        : {}),
      ...(i === 0 && runs.every((x) => x[0].nodePhases)
        ? { nodePhases: Object.fromEntries(['before', 'go', 'after'].map((k) => [k, mid(runs, (x) => x[0].nodePhases[k])])) }
        : {}),
      ...(i === 0 ? { nodeCpu: mid(runs, (x) => x[0].nodeCpu) } : {}),
      goCpu: mid(runs, (x) => x[i].goCpu),
      ratioWall: mid(runs, (x) => x[0].ms / x[1].ms),
      ratioCpu: mid(runs, (x) => (x[0].goCpu + x[0].nodeCpu) / Math.max(1, x[1].goCpu)),
    });
    const [edit2, edit2Plain] = [med(again2, 0), med(again2, 1)];
    const [old2Edit, old2Plain] = old2.length ? [med(old2, 0), med(old2, 1)] : [];
    const ms = (x) => `${Math.round(x)} ms`;
    const cpu = (c) =>
      `CPU ${secs(c.goCpu)} go${c.nodeCpu === undefined ? '' : ` + ${secs(c.nodeCpu)} node`}` +
      (c.nodePhases ? ` (node: ${ms(c.nodePhases.before)} before go, ${ms(c.nodePhases.go)} while it runs, ${ms(c.nodePhases.after)} after)` : '') +
      (c.phases ? `; wall: ${secs(c.phases.before)} to start go list -x, ${secs(c.phases.go)} in it, ${secs(c.phases.after)} reading` : '');
    const row = (name, c, plain) =>
      out(
        `  ${name.padEnd(44)} ${secs(c.ms).padStart(8)} (${cpu(c)}; ${c.unchanged ? `nothing changed: go not run, ${c.reused} workspace packages` : `${c.compiled} workspace packages compiled, ${c.reused} from the cache, ${c.actions} compile actions, plan ${c.plan}`})` +
          `   go build -pgo: ${secs(plain.ms).padStart(8)} (${cpu(plain)}; ${plain.compiles} compiles)   ratio wall ${(c.ms / plain.ms).toFixed(2)}, CPU ${((c.goCpu + (c.nodeCpu ?? 0)) / Math.max(1, plain.goCpu)).toFixed(2)}`,
      );
    out(
      `${target.label} (edited on disk: ${target.overlay ? `a copy of ${relative(target.root, target.editFile)} named by a fixed -overlay` : `a copy of the workspace, ${relative(target.root, target.editFile)}`}):`,
    );
    // the plain build's "cold" is whatever the go build cache holds already (std with this profile, and the
    // workspace packages if built before); a cold confirmation compiles the workspace packages (new flags)
    row('cold confirmation', cold, coldPlain);
    row('unchanged re-confirmation', again, againPlain);
    row('unchanged, go asked (no kept result)', againGo, againPlain);
    if (bare) row('unchanged, no -overlay in GOFLAGS', ...bare);
    row('one-line edit, first (a new exported function)', edit, editPlain);
    row(`the same line, another value${edits > 1 ? ` (median of ${edits})` : ''}`, edit2, edit2Plain);
    if (edits > 1)
      for (const [c, p] of again2)
        out(
          `    one run: ${secs(c.ms)} (${cpu(c)}; ${c.compiled} compiled, plan ${c.plan}) against ${secs(p.ms)} (${cpu(p)}; ${p.compiles} compiles): ${(c.ms / p.ms).toFixed(2)}`,
        );
    if (old2Edit) {
      row(`  baseline (${basename(baselineDir)}), same row${old2.length > 1 ? ` (median of ${old2.length})` : ''}`, old2Edit, old2Plain);
      for (const [c, p] of old2)
        out(
          `    one baseline run: ${secs(c.ms)} (${cpu(c)}; ${c.compiled} compiled, plan ${c.plan}) against ${secs(p.ms)} (${cpu(p)}; ${p.compiles} compiles): ${(c.ms / p.ms).toFixed(2)}`,
        );
      const digests = new Set([...again2, ...old2].map(([c]) => c.digest));
      out(
        `  decisions of every run of this row, this checkout's and the baseline's: ${digests.size === 1 ? 'identical' : `${digests.size} different sets: NOT IDENTICAL`}`,
      );
      out(
        `  same-run pairs, this checkout / baseline: node CPU ${ms(edit2.nodeCpu)} / ${ms(old2Edit.nodeCpu)}` +
          (edit2.nodePhases && old2Edit.nodePhases ? ` (after go: ${ms(edit2.nodePhases.after)} / ${ms(old2Edit.nodePhases.after)})` : '') +
          `; median ratio to plain go build -pgo, wall ${edit2.ratioWall.toFixed(2)} / ${old2Edit.ratioWall.toFixed(2)}, CPU ${edit2.ratioCpu.toFixed(2)} / ${old2Edit.ratioCpu.toFixed(2)}; load average now ${(
            await import('node:os')
          )
            .loadavg()
            .map((x) => x.toFixed(1))
            .join(' ')}`,
      );
    }
    return {
      label: target.label,
      cold,
      coldPlain,
      again,
      againGo,
      againPlain,
      bare,
      edit,
      editPlain,
      edit2,
      edit2Plain,
      edit2Runs: again2,
      ...(old2.length ? { baseline: { edit2: old2Edit, edit2Plain: old2Plain, runs: old2 } } : {}),
    };
  } finally {
    rmSync(cacheRoot, { recursive: true, force: true });
    if (oldCacheRoot !== cacheRoot) rmSync(oldCacheRoot, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

function timingTargets() {
  const fx = join(root, 'test', 'fixtures', 'textproc');
  const targets = [
    {
      label: 'fixture textproc/cmd/digest',
      root: fx,
      mainDir: join(fx, 'cmd', 'digest'),
      editFile: join(fx, 'container', 'container.go'),
      overlay: overlayEdits,
    },
  ];
  if (withCompile) {
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const dir = join(goroot, 'src', 'cmd', 'compile');
    targets.push({ label: 'cmd/compile', root: dir, mainDir: dir, editFile: join(dir, 'internal', 'inline', 'inl.go'), overlay: true });
  }
  return targets;
}

const results = [];
if (!timingsOnly) {
  out('== Prediction vs compiler confirmation (src/compiler; pgo-lens decisions)');
  for (const f of fixtureMains()) {
    const r = await one(f);
    print(r);
    const ch = await confirmPgoChanges({ root: f.root, mainDir: f.mainDir });
    const mine = ch.changes.filter((x) => x.file.startsWith(f.root) && !x.nested);
    out(
      `  what PGO changed (vs -pgo=off): ${ch.changes.length} sites, ${mine.length} written in the workspace (${mine.filter((x) => x.change === 'gained').length} gained, ${mine.filter((x) => x.change === 'lost').length} lost)`,
    );
    results.push({
      label: r.label,
      counts: r.a.counts,
      inline: r.a.inlineAgreement,
      devirt: r.a.devirtAgreement,
      lens: r.lens,
      bugs: r.a.bugs,
      buildMs: r.tBuild,
    });
  }
  if (withCompile) {
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const dir = join(goroot, 'src', 'cmd', 'compile');
    const r = await one({ label: 'cmd/compile (GOROOT/src/cmd/compile, default.pgo)', root: dir, mainDir: dir });
    print(r);
    results.push({
      label: r.label,
      counts: r.a.counts,
      inline: r.a.inlineAgreement,
      devirt: r.a.devirtAgreement,
      lens: r.lens,
      bugs: r.a.bugs,
      buildMs: r.tBuild,
    });
  }
}
const timings = [];
if (!noTimings) {
  out();
  out(
    `== Compiler confirmation timings (go build cache; pgo-lens decisions; load average ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')})`,
  );
  for (const t of timingTargets()) timings.push(await confirmTimings(t));
  out();
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ results, timings }, null, 1));
