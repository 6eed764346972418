// Entry point of the integration suite inside a real VS Code extension host.
//
// Both runners load this one file: `@vscode/test-electron` passes it as `extensionTestsPath`
// (scripts/integration/run-electron.mjs) and the code-server runner has the test-driver extension
// require it (scripts/integration/run.mjs, test/integration/driver/). It runs every compiled
// `suite/*.test.js` with mocha and, when PGO_LENS_TEST_RESULTS names a file, writes the outcome of
// each test there as JSON (schema: `Results` below), which the runners print and judge.
//
// Mocha rather than node:test: node:test's programmatic `run()` only runs files in-process
// (`isolation: 'none'`) from Node 22.8 on, and the Electron of the oldest VS Code we support
// (engines.vscode ^1.90) ships Node 20; in a child process the tests would have no `vscode` module.
import Mocha from 'mocha';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { sourceGuard } from './helpers';

/** One test as the runners report it. */
export interface TestResult {
  /** Suite titles and the test title joined with ' › '. */
  title: string;
  /** The compiled test file, relative to this folder. */
  file: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  error?: { message: string; stack?: string };
}

/** What PGO_LENS_TEST_RESULTS receives. */
export interface Results {
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
  tests: TestResult[];
  /** Set when the suite could not run at all (no test files, a file that throws on load). */
  error?: string;
}

/** Environment variables read here. The runners set them; a developer may set the filter. */
export const Env = {
  /** File to write `Results` to. */
  results: 'PGO_LENS_TEST_RESULTS',
  /** Optional mocha `grep` pattern (a regular expression) to run a subset of the tests. */
  grep: 'PGO_LENS_TEST_GREP',
} as const;

// `bench/` holds the editor benchmark (npm run bench), run through the same harness.
const suiteDir = path.join(__dirname, process.env['PGO_LENS_TEST_SUITE_DIR'] === 'bench' ? 'bench' : 'suite');

export async function run(): Promise<void> {
  const started = Date.now();
  const results: Results = { passed: 0, failed: 0, skipped: 0, durationMs: 0, tests: [] };
  try {
    await runMocha(results);
  } catch (e) {
    results.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  results.durationMs = Date.now() - started;
  writeResults(results);
  if (results.error !== undefined) throw new Error(results.error);
  if (results.failed > 0) throw new Error(`${results.failed} integration test(s) failed`);
}

async function runMocha(results: Results): Promise<void> {
  const grep = process.env[Env.grep];
  // The extension host is slow to start language features; 20 s per test leaves room on 2 cores.
  // sourceGuard: a test that leaves a Go file saved fails in its 'after each' hook (mocha then stops the run).
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, rootHooks: sourceGuard(), ...(grep ? { grep } : {}) });
  const files = readdirSync(suiteDir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no *.test.js files in ${suiteDir}; did tsc run?`);
  for (const f of files) mocha.addFile(path.join(suiteDir, f));

  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    const record = (test: Mocha.Runnable, state: TestResult['state'], err?: unknown): void => {
      const r: TestResult = {
        title: test.titlePath().join(' › '),
        file: path.relative(__dirname, test.file ?? '?'),
        state,
        durationMs: test.duration ?? 0,
      };
      if (err !== undefined) r.error = errorOf(err);
      results.tests.push(r);
      results[state] += 1;
    };
    runner.on('pass', (t) => record(t, 'passed'));
    runner.on('pending', (t) => record(t, 'skipped'));
    // 'fail' also fires for hooks (before/after); they count as failures of their own.
    runner.on('fail', (t, err) => record(t, 'failed', err));
  });
}

function errorOf(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return err.stack ? { message: err.message, stack: err.stack } : { message: err.message };
  return { message: String(err) };
}

function writeResults(results: Results): void {
  const file = process.env[Env.results];
  if (!file) return;
  mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a runner polling for the file never reads half of it.
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(results, null, 2));
  renameSync(tmp, file);
}
