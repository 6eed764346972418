#!/usr/bin/env node
// Big-workspace open → first heat (issue #14): a copy of GOROOT/src (with cmd/compile's
// default.pgo) opened by the worker's model with `ssa/regalloc.go` as the open file.
//
//   prioritised: open({ openFiles }) → fileView(regalloc.go) has heat (only regalloc.go's bodies
//                walked, no match yet); then complete('match') (decisions, lenses), complete('hot'),
//                complete('all') (the background stages, timed too)
//   full:        open() of the whole workspace (go list ./... and every package) → fileView
//   reopen:      two prioritised opens in one process: the second takes GOROOT's descriptions and
//                indexes from the process-wide cache (src/source/index-cache.ts)
//
// Each measurement runs in a fresh process (no module-level caches shared); the rows print ratios
// against the full open measured in the same run, never pass/fail on time. The first view's heat
// and the final prioritised model's view (heat and lenses) are checked against the full open's.
//
//   node scripts/bench-open.mjs [--keep] [--stages] [--src DIR]
//     --keep: leave the GOROOT/src copy in bench-data/; --stages: only the prioritised open's
//     timeline (open → first heat → warm-up → match → hot → all, wall and CPU per stage), twice;
//     --src: an existing copy of GOROOT/src to open (kept)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { benchDir, root } from './gen-large-profile.mjs';

const SELF = fileURLToPath(import.meta.url);
const MODEL = join(benchDir, 'workspace-model.cjs');
const require = createRequire(import.meta.url);
const REL_FILE = join('cmd', 'compile', 'internal', 'ssa', 'regalloc.go');

const ms = (x) => `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ms`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

/** A digest of what the editor paints for a file: heat lines and lenses. */
function heatDigest(view) {
  return JSON.stringify({ binary: view.binary, heat: view.heat, lenses: view.lenses.length, functions: view.functions.length });
}

/** The heat part alone (what the first stage answers, before any match). */
function heatOnly(view) {
  return JSON.stringify({ binary: view.binary, heat: view.heat, functions: view.functions });
}

const cpuMs = (c) => (c.user + c.system) / 1000;

/** What a stage's match answers for each binary (timings left out). */
function summaryDigest(s) {
  return JSON.stringify(s.binaries.map((b) => ({ ...b, summary: b.summary ? { ...b.summary, loadMillis: 0 } : null })));
}

async function child(mode, src) {
  const { WorkspaceModel } = require(MODEL);
  const file = join(src, REL_FILE);
  const opts = { folders: [src], thresholdPercent: 99, history: false };
  if (mode === 'reopen') {
    // A re-open in the same process (the worker re-opens on a settings or profile change): the
    // second model takes GOROOT's descriptions and indexes from the process-wide cache.
    const rows = [];
    for (let i = 0; i < 2; i++) {
      const m = new WorkspaceModel();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await m.open({ ...opts, openFiles: [file] });
      const view = m.fileView(file);
      rows.push({ firstHeat: performance.now() - t0, firstHeatCpu: cpuMs(process.cpuUsage(c0)), digest: heatOnly(view) });
      await setImmediate(); // the view's warm-up of its package (a worker does it right after the view)
    }
    process.stdout.write(JSON.stringify({ mode, rows }));
    return;
  }
  const m = new WorkspaceModel();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const first = await m.open(mode === 'lazy' ? { ...opts, openFiles: [file] } : opts);
  const view = m.fileView(file);
  const firstHeat = performance.now() - t0;
  const firstHeatCpu = cpuMs(process.cpuUsage(c0));
  const res = { mode, firstHeat, firstHeatCpu, packages: first.packages, heatLines: view.heat.length, partial: !!first.partial };
  res.firstHeatOnly = heatOnly(view);
  if (mode === 'lazy') {
    // Each stage timed on its own (wall and this process's CPU), as the editor asks for them.
    const stage = async (name, fn) => {
      const s0 = performance.now();
      const sc = process.cpuUsage();
      const out = await fn();
      res[name] = performance.now() - t0; // since the open
      res[`${name}Wall`] = performance.now() - s0;
      res[`${name}Cpu`] = cpuMs(process.cpuUsage(sc));
      return out;
    };
    await stage('warm', () => setImmediate()); // the view's warm-up of its package (a worker does it right after the view)
    await stage('match', () => m.complete('match'));
    res.matchLenses = m.fileView(file).lenses.length;
    res.matchSummary = summaryDigest(m.summary());
    const hot = await stage('hot', () => m.complete('hot'));
    res.hotPackages = hot.packages;
    res.hotSummary = summaryDigest(hot);
    res.hotLenses = m.fileView(file).lenses.length;
    const all = await stage('all', () => m.complete('all'));
    res.allPackages = all.packages;
    res.totalCpu = cpuMs(process.cpuUsage(c0));
  }
  const last = m.fileView(file);
  res.digest = heatDigest(last);
  res.heatOnly = heatOnly(last);
  process.stdout.write(JSON.stringify(res));
}

/** The stages after the first heat: each one's own wall and CPU, and the time since the open. */
function stageRows(l, full) {
  const row = (label, name, extra) =>
    console.log(
      `                 + ${label.padEnd(22)} ${ms(l[name])} since the open (${full ? ratio(l[name], full.firstHeat) : '-'}); this stage ${ms(l[`${name}Wall`])}, CPU ${ms(l[`${name}Cpu`])}; ${extra}`,
    );
  row("view's warm-up", 'warm', 'the open package indexed for edits');
  row('match (lenses)', 'match', `${l.matchLenses} lenses`);
  row(
    'hot packages',
    'hot',
    `${l.hotPackages} packages, ${l.hotLenses} lenses; summary ${l.hotSummary === l.matchSummary ? 'equal to' : 'differs from'} the match stage's`,
  );
  row('every package', 'all', `${l.allPackages} packages; CPU from the open to the end ${ms(l.totalCpu)}`);
}

async function main() {
  const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
  if (!goroot || !existsSync(join(goroot, 'src', 'cmd', 'compile', 'default.pgo'))) {
    console.error('bench-open: needs go on PATH and GOROOT/src/cmd/compile/default.pgo');
    process.exit(2);
  }
  const { build } = await import('esbuild');
  mkdirSync(benchDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'src', 'worker', 'workspace.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: MODEL,
    logLevel: 'error',
  });
  // --src DIR: an existing copy (e.g. shared by an A/B of two checkouts); never removed
  const srcArg = process.argv.indexOf('--src');
  const given = srcArg > 0 ? process.argv[srcArg + 1] : undefined;
  const src = given ? realpathSync(given) : join(benchDir, 'goroot-copy', 'src');
  if (given && !existsSync(join(src, REL_FILE))) {
    console.error(`bench-open: ${src} is not a copy of GOROOT/src`);
    process.exit(2);
  }
  if (!existsSync(join(src, REL_FILE))) {
    rmSync(join(benchDir, 'goroot-copy'), { recursive: true, force: true });
    cpSync(join(goroot, 'src'), src, { recursive: true });
  }
  const run = (mode) => {
    const r = spawnSync(process.execPath, [SELF, '--child', mode, src], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`bench-open child ${mode} failed (exit ${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const load0 = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  try {
    if (process.argv.includes('--stages')) {
      // the prioritised open's timeline alone (no full open to compare with)
      for (let i = 0; i < 2; i++) {
        const l = run('lazy');
        console.log(
          `  prioritised, run ${i + 1}: first heat           ${ms(l.firstHeat)}  CPU ${ms(l.firstHeatCpu)}; ${l.packages} packages, ${l.heatLines} heat lines`,
        );
        stageRows(l, null);
      }
      console.log(
        `  load average at the start: ${load0}, at the end: ${loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
      );
      return;
    }
    // lazy first (the colder file cache), the full open, lazy again
    const lazy1 = run('lazy');
    const full = run('full');
    const lazy2 = run('lazy');
    const reopen = run('reopen');
    const load = loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
    console.log('== Big workspace open → first heat in ssa/regalloc.go (copy of GOROOT/src, cmd/compile default.pgo; goal ≤ 2 s)');
    console.log(`  load average at the start: ${load0}, at the end: ${load}; CPU is this process's (go list's own CPU not included)`);
    console.log(
      `  full open (reference)                   ${ms(full.firstHeat)}  CPU ${ms(full.firstHeatCpu)}  ${full.packages} packages, ${full.heatLines} heat lines`,
    );
    for (const [i, l] of [lazy1, lazy2].entries()) {
      console.log(
        `  prioritised, run ${i + 1}: first heat           ${ms(l.firstHeat)}  CPU ${ms(l.firstHeatCpu)}  ${ratio(l.firstHeat, full.firstHeat)} the full open (CPU ${ratio(l.firstHeatCpu, full.firstHeatCpu)}); ${l.packages} packages, ${l.heatLines} heat lines`,
      );
      stageRows(l, full);
      console.log(
        `                 final view equals full: ${l.digest === full.digest ? 'yes' : 'NO'}; first-stage heat equals full: ${l.firstHeatOnly === full.heatOnly ? 'yes' : 'NO'}`,
      );
    }
    const [r1, r2] = reopen.rows;
    console.log(
      `  re-open in one process: first heat      ${ms(r1.firstHeat)} then ${ms(r2.firstHeat)}; CPU ${ms(r1.firstHeatCpu)} then ${ms(r2.firstHeatCpu)} (${ratio(r2.firstHeatCpu, r1.firstHeatCpu)}); same heat: ${r1.digest === r2.digest ? 'yes' : 'NO'}`,
    );
    const firstOk = [lazy1, lazy2].every((l) => l.firstHeatOnly === full.heatOnly) && r1.digest === full.heatOnly;
    if (lazy1.digest !== full.digest || lazy2.digest !== full.digest || r1.digest !== r2.digest || !firstOk) process.exitCode = 1;
  } finally {
    if (!process.argv.includes('--keep') && !given) rmSync(join(benchDir, 'goroot-copy'), { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();
