#!/usr/bin/env node
// Integration tests in desktop VS Code through @vscode/test-electron, for machines that can
// download VS Code (a developer laptop, a public CI runner). It runs the same compiled suite as the
// code-server runner (run.mjs): out/test/integration/index.js is the `extensionTestsPath`, and the
// repository itself is the development extension. DOM checks (test/integration/dom-checks.mjs)
// are code-server only.
//
//   node scripts/integration/run-electron.mjs [--vscode-version stable|insiders|min|1.90.0]
//                                             [--executable PATH] [--no-build] [--grep PATTERN]
//
// --vscode-version  which VS Code to download into .vscode-test/ (default: the newest stable that
//                   satisfies engines.vscode; `min` = the lowest version engines.vscode allows)
// --executable      use an installed VS Code instead of downloading one (or VSCODE_EXECUTABLE)
// On Linux without a display, run it under `xvfb-run -a`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  Env,
  build,
  cacheDir,
  copyWorkspace,
  loadConfig,
  log,
  makeRunDir,
  printResults,
  printSummary,
  readResults,
  root,
  since,
  suiteEntry,
  writeUserSettings,
} from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    'vscode-version': { type: 'string' },
    executable: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    grep: { type: 'string' },
  },
});

const t0 = performance.now();
const totals = { passed: 0, failed: 0, skipped: 0 };
let run;
try {
  await main();
} catch (e) {
  console.error(`\n[integration] ERROR: ${e instanceof Error ? e.message : e}`);
  totals.failed += 1;
} finally {
  run?.cleanup();
}
log(`total ${since(t0)}`);
printSummary(totals);
process.exit(totals.failed > 0 ? 1 : 0);

async function main() {
  const config = await loadConfig();
  build(args['no-build']);
  const { runTests, TestRunFailedError } = await import('@vscode/test-electron');

  run = makeRunDir();
  const workspace = copyWorkspace(run.dir, config.workspace);
  const resultsFile = join(run.dir, 'results.json');
  const userDataDir = join(run.dir, 'user-data');
  writeUserSettings(userDataDir);
  const executable = args.executable ?? process.env.VSCODE_EXECUTABLE;
  const version = resolveVersion(args['vscode-version']);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    log('no DISPLAY: VS Code needs one on Linux; run this under `xvfb-run -a` if it fails to start');
  }

  let runError;
  try {
    await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : {}),
      ...(version ? { version } : {}),
      cachePath: cacheDir,
      extensionDevelopmentPath: root,
      extensionTestsPath: suiteEntry,
      extensionTestsEnv: {
        [Env.results]: resultsFile,
        ...(args.grep ? { [Env.grep]: args.grep } : {}),
      },
      launchArgs: [
        workspace,
        // Other installed extensions stay out; built-in ones (the Go grammar) stay in.
        '--disable-extensions',
        `--user-data-dir=${userDataDir}`,
        `--extensions-dir=${join(run.dir, 'extensions')}`,
      ],
    });
  } catch (e) {
    // A failed test makes VS Code exit non-zero (TestRunFailedError): the results file says which.
    if (!(e instanceof TestRunFailedError)) throw explainDownloadFailure(e, executable);
    runError = e;
  }

  let results;
  try {
    results = readResults(resultsFile);
  } catch {
    throw new Error(`VS Code ended (${runError?.message ?? 'exit 0'}) without writing test results to ${resultsFile}`);
  }
  const counts = printResults(results, `In-host suite (${results.durationMs} ms):`);
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (runError && counts.failed === 0) throw new Error(`VS Code exited with ${runError.message} although every test passed`);
}

/** `min` → the lowest version `engines.vscode` allows (e.g. '^1.90.0' → '1.90.0'). */
function resolveVersion(v) {
  if (v !== 'min') return v;
  const range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.vscode;
  const m = /(\d+\.\d+\.\d+)/.exec(range);
  if (!m) throw new Error(`cannot read a minimum version from engines.vscode "${range}"`);
  return m[1];
}

/** Turns a failed download (no network, blocked host) into an error that says what to do. */
function explainDownloadFailure(e, executable) {
  const msg = e instanceof Error ? e.message : String(e);
  if (executable) return new Error(`could not start ${executable}: ${msg}`);
  return new Error(
    `@vscode/test-electron could not download or find VS Code (${msg.split('\n')[0]}).\n` +
      '  This machine probably cannot reach the VS Code download servers. Either:\n' +
      '    - run the same suite in code-server instead: node scripts/integration/run.mjs\n' +
      `    - or point at an installed VS Code: --executable /path/to/code (or VSCODE_EXECUTABLE)\n` +
      `    - or put a VS Code build in ${cacheDir}/vscode-<platform>-<version>/`,
  );
}
