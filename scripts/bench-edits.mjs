#!/usr/bin/env node
// Edit → new heat in the worker's workspace model, including re-matching the binary (issue #14;
// `npm run bench` calls it; also runnable alone after `node scripts/build.mjs --tests`): GOROOT/src/cmd
// opened as a workspace with cmd/compile's default.pgo (optionally with another profile, e.g. the
// 50 MB bench profile, as a -pgo= override), then keystroke-like edits in hot files of
// cmd/compile/internal/ssa (typing in a line; a new line): `update` + `fileView` per edit, with
// where the time went (taking the text, re-index, re-match, summary, view; and the CPU time of update + view), against re-indexing the same package
// alone (the floor: a PackageIndexer given the same edits) in the same run. Figures only:
// nothing passes or fails on time. The workspace is opened untrusted (no go list, no git), so the
// figures do not depend on the go command's speed.
//
//   node scripts/bench-edits.mjs [PROFILE] [--runs N]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hotTargets, keystroke, median } from './bench-edit-kit.mjs';
import { setImmediate } from 'node:timers';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { WorkspaceModel } = require(join(root, 'out', 'src', 'worker', 'workspace.js'));
const { PackageIndexer } = require(join(root, 'out', 'src', 'source', 'index.js'));

const GOAL_MS = 10;
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 15;
const override = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
const out = (s = '') => process.stdout.write(s + '\n');

let goroot;
try {
  goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
} catch {
  out('== Edit → new heat: skipped (no go on PATH to find GOROOT)');
  process.exit(0);
}
const ms = (x) => `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)} ms`;

const folder = join(goroot, 'src', 'cmd');
const ssa = join(folder, 'compile', 'internal', 'ssa');
const targets = hotTargets(ssa);

async function main() {
  out(`== Edit → new heat, including re-matching (workspace ${folder}, profile ${override ?? 'cmd/compile/default.pgo'}; goal ≤ ${GOAL_MS} ms)`);
  const model = new WorkspaceModel();
  const t0 = performance.now();
  const s = await model.open({ folders: [folder], thresholdPercent: 99, trusted: false, history: false, ...(override ? { profileOverride: override } : {}) });
  const bin = s.binaries.find((b) => b.mainDir === join(folder, 'compile'));
  if (!bin?.summary) {
    out(`  (cmd/compile has no usable profile here: ${bin?.error?.message ?? 'no binary'})`);
    return;
  }
  out(
    `  opened in ${ms(performance.now() - t0)}: ${s.packages} packages; cmd/compile ${bin.summary.edgeCount} edges, ${bin.matchedPercent.toFixed(1)} % matched, ${bin.unmatched.length} unmatched`,
  );
  floor(model, bin.id);
  for (const t of targets) {
    const text = readFileSync(t.file, 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => t.func.test(l));
    if (at < 0) continue;
    /**
     * Two kinds of keystrokes inside the hot function, each edit against the previous one:
     * typing in a comment line (what the index describes stays as it was) and pressing Enter
     * (one line more or less: the function's later call sites and the rest of the file move).
     */
    const kinds = [
      { name: 'typing in a line', text: (i) => splice(lines, at + 2, [`\t// typing ${i}`]) },
      { name: 'a new line', text: (i) => splice(lines, at + 2, i % 2 ? ['\t//', '\t//'] : ['\t//']) },
    ];
    out(`  ${basename(t.file)} (${lines.length} lines), median of ${runs}:`);
    for (const kind of kinds) {
      // The view warms the package's indexer; the first edit pays for the package's first incremental index.
      model.fileView(t.file);
      await new Promise((r) => setImmediate(r));
      model.update(t.file, kind.text(-1));
      model.fileView(t.file);
      const edit = [];
      const cpu = [];
      const phases = { text: [], index: [], match: [], summary: [], view: [] };
      for (let i = 0; i < runs; i++) {
        const k = keystroke(model, t.file, kind.text(i));
        if (k.view.binary !== bin.id) throw new Error(`no heat for ${t.file}`);
        cpu.push(k.cpu);
        edit.push(k.wall);
        for (const [name, x] of Object.entries(k.phases)) phases[name].push(x);
      }
      model.update(t.file, null);
      // The floor: the same package re-indexed alone, with the same edits.
      const indexer = new PackageIndexer({ pkgPath: 'cmd/compile/internal/ssa' });
      for (const f of readPackage(dirname(t.file))) indexer.setFile(f.name, f.text);
      indexer.index();
      indexer.setFile(basename(t.file), kind.text(-1));
      indexer.index();
      const reindex = [];
      for (let i = 0; i < runs; i++) {
        const s0 = performance.now();
        indexer.setFile(basename(t.file), kind.text(i));
        indexer.index();
        reindex.push(performance.now() - s0);
      }
      const e = median(edit);
      const r = median(reindex);
      const phase = Object.entries(phases)
        .map(([k, xs]) => `${k} ${ms(median(xs))}`)
        .join(', ');
      out(
        `    ${kind.name.padEnd(16)} edit → new heat ${ms(e).padStart(9)} (CPU ${ms(median(cpu))})  re-index only ${ms(r).padStart(9)}  ${(e / r).toFixed(2)}× re-index; ` +
          `goal ${GOAL_MS} ms (${(e / GOAL_MS).toFixed(1)}× the goal)  [${phase}]`,
      );
    }
  }
}

/**
 * The floor every edit that changes what the index describes pays today: re-matching cmd/compile with
 * nothing changed (the per-binary caches warm), CPU and wall, median of `runs`. Reaches into the
 * model's binaries (a private field): the bench measures the re-match alone.
 */
function floor(model, id) {
  const b = model.binaries?.find((x) => x.id === id);
  if (!b || typeof model.rematch !== 'function') return;
  model.rematch(b);
  const cpu = [];
  const wall = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    model.rematch(b);
    wall.push(performance.now() - w0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  out(
    `  re-matching cmd/compile with nothing changed (the floor of an edit the index sees), median of ${runs}: ${ms(median(cpu))} CPU, ${ms(median(wall))} wall`,
  );
}

/** lines with `insert` put before line `at` (0-based), as one text. */
function splice(lines, at, insert) {
  const copy = [...lines];
  copy.splice(at, 0, ...insert);
  return copy.join('\n');
}

/** The package's Go files in the build (tests excluded), as the workspace indexes them. */
function readPackage(dir) {
  const { readPackageFiles } = require(join(root, 'out', 'src', 'source', 'packages.js'));
  const { defaultBuildContext } = require(join(root, 'out', 'src', 'source', 'index.js'));
  return readPackageFiles(dir, defaultBuildContext())?.files ?? [];
}

try {
  await main();
} catch (e) {
  process.stderr.write(`bench-edits: ${e?.stack ?? e}\n`);
  process.exit(1);
}
