// `npm test`: lint, then the test suites on Node's built-in runner over the tsc output in out/.
// Unit tests always run; integration tests run in a real VS Code; oracle tests compare with the Go toolchain and run whenever `go` is on PATH
// (they fail, not skip, when CI=true and go is missing).
//
//   node scripts/test.mjs [lint] [integration] [unit] [oracle] [package] [--concurrency N] [--slowest N] [--save-weights]   (no suite: all five)
//
// - lint (scripts/lint.mjs: ESLint and Prettier) runs alongside the first other suite, its output held back and printed after it.
// - integration (scripts/integration/run.mjs) runs alone, before the Node tiers: its waits are for a workbench on a machine it
//   does not share with the oracle builds.
// - unit and oracle run in one `node --test`, N files at a time (default: the number of CPUs, at least 2; PGO_LENS_TEST_CONCURRENCY
//   overrides), each file in its own process, the slowest of the last run first (their times are kept in out/test-timings.json)
//   so that the long oracle files do not start last. Without that file (a fresh clone) the order comes from the seconds per file in
//   scripts/test-weights.json (committed: CPU seconds, user + sys with child processes, of each file under /usr/bin/time;
//   `--save-weights` writes this run's wall times into it instead).
//   Node's spec reporter prints each file's results together, so files running side by side do not mix their output. They run
//   with TMPDIR set to a private directory, removed afterwards (so a run leaves nothing in the system's temporary folder);
//   whatever the tests left there is listed and fails the run.
// - package (scripts/package.mjs: the release .vsix, minified, no source maps, within its size budget) runs last: it rebuilds dist/
//   as a release build, which the oracle tests' dist/cli.js must not see change under them.
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { run as runTests } from 'node:test';
import { spec } from 'node:test/reporters';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = ['lint', 'integration', 'unit', 'oracle', 'package'];
const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { concurrency: { type: 'string' }, slowest: { type: 'string', default: '5' }, 'save-weights': { type: 'boolean', default: false } },
});
for (const s of positionals) if (!SUITES.includes(s)) usage(`unknown suite ${s} (one of ${SUITES.join(', ')})`);
const suites = positionals.length ? positionals : SUITES;
const concurrency = count(flags.concurrency ?? process.env.PGO_LENS_TEST_CONCURRENCY ?? String(Math.max(2, availableParallelism())), 'concurrency', 1);
const slowest = count(flags.slowest, 'slowest', 0);
const timingsFile = join(root, 'out', 'test-timings.json');
const weightsFile = join(root, 'scripts', 'test-weights.json');

function usage(msg) {
  console.error(`test: ${msg}`);
  process.exit(2);
}

function count(s, name, min) {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be an integer of at least ${min}, not ${s}`);
  return n;
}

const children = new Set();
/**
 * Runs a command; resolves with its exit status (a signal counts as a failure). `hold`: its output is collected (both streams,
 * in order) into `out.text` instead of printed. Ctrl+C and SIGTERM are passed on.
 */
function run(cmd, args, { env = process.env, hold = null } = {}) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: hold ? ['ignore', 'pipe', 'pipe'] : 'inherit', cwd: root, env });
    children.add(p);
    if (hold) for (const s of [p.stdout, p.stderr]) s.on('data', (d) => (hold.text += d));
    p.on('error', (e) => {
      if (hold) hold.text += `${cmd}: ${e.message}\n`;
      else console.error(`test: ${cmd}: ${e.message}`);
    });
    p.on('close', (code, signal) => {
      children.delete(p);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

let privateTmp;
const abort = new globalThis.AbortController(); // (not among the lint globals of scripts/)
// node:test's run() adds a listener to the signal for every test file: not a leak, no warning.
setMaxListeners(0, abort.signal);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    abort.abort();
    for (const p of children) p.kill(sig);
    if (privateTmp) rmSync(privateTmp, { recursive: true, force: true, maxRetries: 3 });
    process.exit(130);
  });
}

function collect(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const repoPath = (f) => relative(root, f).split('\\').join('/');

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}
const readTimings = () => readJson(timingsFile);

/**
 * Slowest first by the last run's timings (ms), or, when there are none (a fresh clone), by the committed weights (s); files
 * without either (new) first of all; ties by path.
 */
function bySlowest(files, timings) {
  const weights = Object.keys(timings).length ? timings : readJson(weightsFile);
  const key = (f) => weights[repoPath(f)] ?? Infinity;
  return [...files].sort((a, b) => key(b) - key(a) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The time each file took: the sum of its top-level tests' durations, from the runner's events. */
function timeFiles(stream) {
  const perFile = {};
  const add = (data) => {
    if (data.nesting !== 0 || !data.file) return;
    const f = repoPath(data.file);
    perFile[f] = (perFile[f] ?? 0) + (data.details?.duration_ms ?? 0);
  };
  stream.on('test:pass', add);
  stream.on('test:fail', add);
  return perFile;
}

/** unit and/or oracle through node:test's run() (unlike the `node --test` command line, it keeps the order of the files given). */
async function nodeTiers(tiers) {
  const files = tiers.flatMap((s) => collect(join(root, 'out', 'test', s)));
  if (files.length === 0) {
    console.error('test: no test files found; did the build run?');
    return false;
  }
  const previous = readTimings();
  privateTmp = mkdtempSync(join(tmpdir(), 'pgo-lens-test-'));
  const saved = { TMPDIR: process.env.TMPDIR, TMP: process.env.TMP, TEMP: process.env.TEMP };
  Object.assign(process.env, { TMPDIR: privateTmp, TMP: privateTmp, TEMP: privateTmp });
  const t0 = performance.now();
  const load0 = loadavg()[0];
  let failed = false;
  const stream = runTests({ files: bySlowest(files, previous), concurrency, signal: abort.signal });
  stream.on('test:fail', () => (failed = true));
  const timings = timeFiles(stream);
  // spec is a class in Node 20 (a function to call in later versions)
  const reporter = Object.getOwnPropertyDescriptor(spec.prototype ?? {}, 'constructor') ? new spec() : spec;
  await pipeline(stream.compose(reporter), process.stdout, { end: false });
  // (the files' processes are started as places free up, each with the environment of that moment)
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (Object.keys(timings).length) {
    // A partial run (some suites) keeps the other files' timings.
    const tmp = `${timingsFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ ...previous, ...timings }, null, 1) + '\n');
    renameSync(tmp, timingsFile);
  }
  if (flags['save-weights']) {
    // seconds, slowest first, one decimal (only the order matters)
    const seconds = { ...readJson(weightsFile), ...Object.fromEntries(Object.entries(timings).map(([f, ms]) => [f, Math.round(ms / 100) / 10])) };
    const w = Object.fromEntries(Object.entries(seconds).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
    writeFileSync(weightsFile, JSON.stringify(w, null, 2) + '\n');
  }
  const rows = Object.entries(timings).sort((a, b) => b[1] - a[1]);
  const sum = rows.reduce((s, [, ms]) => s + ms, 0) / 1000;
  const top = rows.slice(0, slowest).map(([f, ms]) => `\n  ${(ms / 1000).toFixed(1).padStart(6)} s  ${f}`);
  console.log(
    `test: ${files.length} files (${tiers.join(' + ')}) in ${seconds.toFixed(0)} s, ${concurrency} at a time (${sum.toFixed(0)} s of tests), ` +
      `load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end${top.length ? '; slowest:' : ''}${top.join('')}`,
  );
  const left = readdirSync(privateTmp).sort();
  rmSync(privateTmp, { recursive: true, force: true, maxRetries: 3 });
  privateTmp = undefined;
  // A leftover is a failure: every test and every command the product runs removes its temporary files.
  if (left.length) console.error(`test: FAILED: the tests left ${left.length} entries in their temporary directory (now removed):\n  ${left.join('\n  ')}`);
  return !failed && left.length === 0;
}

const results = [];
let lint;
if (suites.includes('lint')) {
  const held = { text: '' };
  lint = { held, done: run(process.execPath, [join(root, 'scripts', 'lint.mjs')], { hold: suites.length > 1 ? held : null }) };
}
/** Lint's held output, once, after the first other suite (or alone). */
async function lintResult() {
  if (!lint) return;
  const ok = (await lint.done) === 0;
  process.stdout.write(lint.held.text);
  results.push(ok);
  lint = undefined;
}

if (suites.includes('integration')) {
  results.push((await run(process.execPath, [join(root, 'scripts', 'integration', 'run.mjs'), '--no-build'])) === 0);
  await lintResult();
}
const tiers = ['unit', 'oracle'].filter((s) => suites.includes(s));
if (tiers.length) {
  const ok = await nodeTiers(tiers);
  await lintResult();
  results.push(ok);
}
await lintResult();
if (suites.includes('package')) results.push((await run(process.execPath, [join(root, 'scripts', 'package.mjs')])) === 0);
process.exit(results.every(Boolean) ? 0 : 1);
