// Shared by the two integration runners (run.mjs: code-server, run-electron.mjs: desktop VS Code):
// repository paths, the build, the fixture workspace copy, and how results are printed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Git-ignored cache of downloaded tools (shared with @vscode/test-electron's downloads). */
export const cacheDir = join(root, '.vscode-test');
/** The compiled suite entry: `run()` for `extensionTestsPath` and for the test-driver extension. */
export const suiteEntry = join(root, 'out', 'test', 'integration', 'index.js');
/** Env var names understood by test/integration/index.ts (kept in sync with its `Env`). */
export const Env = { results: 'PGO_LENS_TEST_RESULTS', grep: 'PGO_LENS_TEST_GREP', entry: 'PGO_LENS_TEST_ENTRY' };

/** `console.log` with a prefix, so the runner's own lines stand out from VS Code's output. */
export function log(msg) {
  console.log(`[integration] ${msg}`);
}

/** Seconds since `t0` (a `performance.now()`), for progress lines. */
export function since(t0) {
  return `${((performance.now() - t0) / 1000).toFixed(1)}s`;
}

/**
 * Builds dist/ and compiles the tests into out/ (`scripts/build.mjs --tests`), unless `skip`
 * (scripts/test.mjs passes --no-build because `npm test` has just built). Either way, checks that
 * the files the runners need exist.
 */
export function build(skip) {
  if (!skip) {
    const t0 = performance.now();
    try {
      execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--tests'], { stdio: 'inherit', cwd: root });
    } catch (e) {
      throw new Error(`the build failed (scripts/build.mjs --tests exited ${e.status ?? e.signal}); see its output above`);
    }
    log(`built dist/ and out/ in ${since(t0)}`);
  }
  for (const f of [join(root, 'dist', 'extension.js'), suiteEntry]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`node scripts/build.mjs --tests\` first`);
  }
}

/** The suite's settings: test/integration/config.mjs. */
export async function loadConfig() {
  const mod = await import(pathToFileURL(join(root, 'test', 'integration', 'config.mjs')).href);
  return mod.default;
}

/** A fresh temporary directory for one run; `cleanup()` removes it unless `keep`. */
export function makeRunDir(prefix = 'pgo-lens-it-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }) };
}

/**
 * Copies the fixture workspace into `runDir`, so tests may edit files freely and the repository's
 * fixture stays untouched. Returns the copy's absolute path (its folder name is kept).
 */
export function copyWorkspace(runDir, relPath) {
  const src = join(root, relPath);
  if (!existsSync(src)) throw new Error(`workspace fixture ${relPath} does not exist`);
  const dst = join(runDir, 'workspace', basename(src));
  cpSync(src, dst, { recursive: true });
  return dst;
}

/** Reads the results file written by test/integration/index.ts (schema: its `Results`). */
export function readResults(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Prints one line per test and the errors of failed ones. Returns counts to add to the summary.
 * `results.error` (the suite could not run) counts as one failure.
 */
export function printResults(results, heading) {
  console.log(`\n${heading}`);
  for (const t of results.tests) {
    const mark = t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip';
    console.log(`  ${mark} ${t.title}${t.state === 'skipped' ? '' : ` (${t.durationMs} ms)`}`);
    if (t.error) console.log(indent(t.error.stack ?? t.error.message, 8));
  }
  let { passed, failed, skipped } = results;
  if (results.error) {
    console.log(`  FAIL the suite did not run:\n${indent(results.error, 8)}`);
    failed += 1;
  }
  return { passed, failed, skipped };
}

/**
 * The closing line CI reads: 'N passed, N failed' alone on a line (', N skipped' when any were).
 * Print nothing after it.
 */
export function printSummary({ passed, failed, skipped }) {
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

export function indent(text, n) {
  const pad = ' '.repeat(n);
  return String(text)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/**
 * User settings for a quiet, deterministic workbench: no welcome page, tips, updates, telemetry,
 * AI chat or git scanning, so the editors the tests open are the only ones. Avoid settings that
 * VS Code migrates to a new form (e.g. `extensions.autoUpdate: false`): it then rewrites
 * settings.json through an open document while the tests run.
 */
export function writeUserSettings(userDataDir) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'git.autoRepositoryDetection': false,
    'editor.codeLens': true,
    'security.workspace.trust.enabled': false,
    // code-server saves after a delay by default: a test's unsaved edit then lands on disk (and
    // an undo racing that save leaves a document VS Code calls saved whose text is not the file's),
    // and the fixture copy keeps it for every later suite. No suite saves a file.
    'files.autoSave': 'off',
    // background compiler confirmation (the default) would race the tests that check lenses
    // before and after "Confirm Decisions with the Compiler"
    'pgoLens.compiler.confirm': 'onCommand',
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}
