#!/usr/bin/env node
// Integration tests in a real VS Code workbench: code-server (VS Code 1.139.1 served on loopback)
// driven by headless Chromium through playwright-core. Works offline, unlike
// @vscode/test-electron (see run-electron.mjs, which runs the same suite where VS Code can be
// downloaded).
//
//   node scripts/integration/run.mjs [--screenshots DIR] [--no-build] [--grep PATTERN]
//                                    [--timeout MS] [--keep] [--verbose]
//
// 1. Builds (scripts/build.mjs --tests) unless --no-build; installs Node 24 and code-server into
//    .vscode-test/ on first use (scripts/integration/install.mjs).
// 2. Packages the extension (.vscodeignore decides what ships) and the test-driver extension
//    (test/integration/driver/), and installs both into a fresh extensions folder.
// 3. Starts code-server on 127.0.0.1 (a free port, its own process group) on a temporary copy of
//    the fixture workspace named in test/integration/config.mjs, opens it in Chromium, and opens
//    a Go file through Quick Open. That fires `onLanguage:go`: the extension under test activates
//    and the driver runs the suite (out/test/integration/index.js) inside the extension host.
// 4. Waits for the suite's results file, then, if every in-host test passed, runs the DOM checks
//    of test/integration/dom-checks.mjs against the same page.
// 5. Stops Chromium and code-server by process group whatever happened, and ends with the line
//    'N passed, N failed' (exit status 1 on any failure).
//
// Logs of the last run (code-server, the browser console with the extension host's output, and
// VS Code's own log folder) are kept in .vscode-test/logs/.
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureTools } from './install.mjs';
import {
  Env,
  build,
  cacheDir,
  copyWorkspace,
  indent,
  loadConfig,
  log,
  makeRunDir,
  writeUserSettings,
  printResults,
  printSummary,
  readResults,
  root,
  since,
  suiteEntry,
} from './lib.mjs';
import { packageDriver, packageExtension } from './vsix.mjs';

const { values: args } = parseArgs({
  options: {
    screenshots: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    grep: { type: 'string' },
    timeout: { type: 'string' },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const t0 = performance.now();
const logsDir = join(cacheDir, 'logs');
const screenshotDir = args.screenshots ? resolve(args.screenshots) : undefined;
/** Process groups we started (code-server, Chromium); killed in `stopAll`, whatever happens. */
const groups = new Map();
let runDir;
let browser;
let stopping;

// Ctrl+C or a CI time-out: still stop code-server and Chromium. A last resort on any exit.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    log(`${sig}: stopping`);
    void stopAll().finally(() => process.exit(130));
  });
}
process.on('exit', () => {
  for (const pgid of groups.values()) signalGroup(pgid, 'SIGKILL');
});

const totals = { passed: 0, failed: 0, skipped: 0 };
try {
  await main();
} catch (e) {
  console.error(`\n[integration] ERROR: ${e instanceof Error ? e.message : e}`);
  if (args.verbose && e instanceof Error && e.stack) console.error(e.stack);
  totals.failed += 1;
} finally {
  await stopAll();
}
if (totals.failed > 0) log(`logs of this run: ${logsDir}`);
log(`total ${since(t0)}`);
printSummary(totals);
process.exit(totals.failed > 0 ? 1 : 0);

async function main() {
  const config = await loadConfig();
  build(args['no-build']);
  const tools = ensureTools();
  const { chromium } = await import('playwright-core');

  rmSync(logsDir, { recursive: true, force: true });
  mkdirSync(logsDir, { recursive: true });
  if (screenshotDir) mkdirSync(screenshotDir, { recursive: true });
  runDir = makeRunDir().dir; // Removed by stopAll().
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  const resultsFile = join(runDir, 'results.json');
  const workspace = copyWorkspace(runDir, config.workspace);
  writeUserSettings(userDataDir);

  let t = performance.now();
  const vsixes = await Promise.all([packageExtension(runDir), packageDriver(runDir)]);
  log(`packaged ${vsixes.map((v) => basename(v)).join(', ')} in ${since(t)}`);

  t = performance.now();
  const csArgs = [tools.codeServer, '--config', writeConfigFile(runDir), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  await runToEnd(tools.node, [...csArgs, '--force', ...vsixes.flatMap((v) => ['--install-extension', v])], 'install-extensions');
  log(`installed both extensions in code-server in ${since(t)}`);

  t = performance.now();
  const url = await startCodeServer(
    tools.node,
    [
      ...csArgs,
      '--auth',
      'none',
      '--bind-addr',
      '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    {
      [Env.entry]: suiteEntry,
      [Env.results]: resultsFile,
      ...(args.grep ? { [Env.grep]: args.grep } : {}),
    },
  );
  log(`code-server listening on ${url} after ${since(t)}`);

  t = performance.now();
  const server = await chromium.launchServer({
    executablePath: tools.chromium,
    headless: true,
    // Our own handlers stop everything (code-server too); Playwright's would exit(130) first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: isolatedEnv(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  groups.set('chromium', server.process().pid);
  browser = await chromium.connect(server.wsEndpoint());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleLog = join(logsDir, 'browser-console.log');
  page.on('console', (m) => appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => appendFileSync(consoleLog, `[pageerror] ${e.stack ?? e}\n`));
  let crashed = false;
  page.on('crash', () => (crashed = true));

  await page.goto(`${url}?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  log(`workbench loaded in ${since(t)}`);

  const dom = domHelpers(page, workspace);
  t = performance.now();
  try {
    await dom.openFile(config.openFile);
    log(`opened ${config.openFile}; waiting for the in-host suite`);

    const timeoutMs = Number(args.timeout ?? config.suiteTimeoutMs ?? 120_000);
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(resultsFile)) {
      if (Date.now() > deadline) throw new Error(`no results from the in-host suite after ${timeoutMs} ms (see ${consoleLog})`);
      if (crashed) throw new Error('the browser page crashed');
      if (!groupAlive(groups.get('code-server'))) throw new Error('code-server exited during the tests');
      await sleep(200);
    }
  } catch (e) {
    await dom.screenshot('failure');
    throw e;
  }
  const results = readResults(resultsFile);
  const suite = printResults(results, `In-host suite (${results.durationMs} ms):`);
  add(suite);

  const checks = await loadDomChecks();
  if (suite.failed > 0) {
    await dom.screenshot('failure');
    console.log(`\nDOM checks: skipped, the in-host suite failed`);
    totals.skipped += checks.length;
  } else {
    console.log(`\nDOM checks:`);
    for (const check of checks) {
      const ts = performance.now();
      try {
        await check.run(dom);
        await dom.screenshot(slug(check.name));
        console.log(`  ok   dom › ${check.name} (${Math.round(performance.now() - ts)} ms)`);
        totals.passed += 1;
      } catch (e) {
        await dom.screenshot(`failure-${slug(check.name)}`);
        console.log(`  FAIL dom › ${check.name}\n${indent(e instanceof Error ? (e.stack ?? e.message) : e, 8)}`);
        totals.failed += 1;
      }
    }
  }
  log(`tests ran in ${since(t)}`);
}

function add({ passed, failed, skipped }) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
}

/** test/integration/dom-checks.mjs: `export default [{ name, run(dom) }]`. */
async function loadDomChecks() {
  const file = join(root, 'test', 'integration', 'dom-checks.mjs');
  if (!existsSync(file)) return [];
  const checks = (await import(pathToFileURL(file).href)).default;
  const grep = args.grep ? new RegExp(args.grep) : undefined;
  return grep ? checks.filter((c) => grep.test(`dom › ${c.name}`)) : checks;
}

/**
 * What a DOM check receives (documented in test/integration/README.md). Selectors are the
 * workbench's own classes; they are not API and may change with the pinned VS Code version.
 */
function domHelpers(page, workspace) {
  const helpers = {
    page,
    workspace,
    /** Opens a workspace file through Quick Open (Ctrl+P), as a person would, and waits for its tab. */
    async openFile(relPath) {
      const name = basename(relPath);
      const input = await openQuickInput(page, 'Control+P');
      // Enter opens the focused row: wait until the file search has put this file there. The search
      // runs in the extension host, which is still activating extensions when the workbench shows:
      // on a loaded machine (load 27) it took longer than 15 s. Wait 45 s, then type the name again
      // once (a search that came back empty is not run again).
      const row = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name });
      for (let attempt = 1; ; attempt++) {
        await input.fill('');
        await input.fill(relPath);
        try {
          await row.waitFor({ timeout: 45_000 });
          break;
        } catch (e) {
          if (attempt === 2) throw e;
        }
      }
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 15_000 });
      await page.locator('.editor-instance .view-lines').first().waitFor({ timeout: 15_000 });
    },
    /** Runs a command by its palette title (F1, type, Enter). */
    async runCommand(title) {
      const input = await openQuickInput(page, 'F1');
      await input.fill(`>${title}`);
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: title }).waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
    },
    /** innerText of every element matching `selector`. */
    async texts(selector) {
      return page.locator(selector).allInnerTexts();
    },
    /**
     * Waits until an element matching `selector` has text matching `pattern` (a RegExp, or a
     * substring); returns that text.
     */
    async waitForText(selector, pattern, { timeoutMs = 15_000 } = {}) {
      const test = typeof pattern === 'string' ? (s) => s.includes(pattern) : (s) => pattern.test(s);
      const deadline = Date.now() + timeoutMs;
      let seen = [];
      for (;;) {
        seen = await page.locator(selector).allInnerTexts();
        const hit = seen.find(test);
        if (hit !== undefined) return hit;
        if (Date.now() > deadline) {
          throw new Error(`no ${selector} with text ${pattern} after ${timeoutMs} ms; saw ${JSON.stringify(seen.slice(0, 20))}`);
        }
        await sleep(100);
      }
    },
    /**
     * Saves `<--screenshots DIR>/<name>.png` when screenshots were asked for. Without the flag
     * only failure screenshots are taken, into .vscode-test/logs/.
     */
    async screenshot(name) {
      const dir = screenshotDir ?? (name.startsWith('failure') ? logsDir : undefined);
      if (!dir) return undefined;
      const file = join(dir, `${name}.png`);
      try {
        await page.screenshot({ path: file });
        return file;
      } catch {
        return undefined; // The page may be gone after a crash; the failure is reported anyway.
      }
    },
  };
  return helpers;
}

/**
 * Presses `key` until the quick input shows (a key pressed while the workbench is still restoring
 * can go unheard), then returns its text box.
 */
async function openQuickInput(page, key) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(key);
    try {
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      return input;
    } catch (e) {
      if (attempt === 5) throw e;
    }
  }
}

/** An empty code-server config file, so it does not write one (with a password) into $HOME. */
function writeConfigFile(dir) {
  const file = join(dir, 'code-server.yaml');
  writeFileSync(file, '# written by scripts/integration/run.mjs\nauth: none\n');
  return file;
}

/**
 * Environment for code-server (and the extension host it starts) and Chromium: their config,
 * data, cache and temporary files (code-server's config, VS Code's device id, the extension
 * host's vscode-ipc-*.sock, Chromium's crash reports) go to the run folder, which is deleted,
 * not to $HOME or /tmp. Go keeps its usual build cache, so `go` stays fast.
 */
function isolatedEnv(extra = {}) {
  const home = process.env.HOME ?? '/root';
  const goCache = process.env.GOCACHE ?? join(process.env.XDG_CACHE_HOME ?? join(home, '.cache'), 'go-build');
  const tmp = join(runDir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return {
    ...process.env,
    GOCACHE: goCache,
    TMPDIR: tmp,
    XDG_CONFIG_HOME: join(runDir, 'xdg', 'config'),
    XDG_DATA_HOME: join(runDir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(runDir, 'xdg', 'cache'),
    ...extra,
  };
}

/** Runs a short code-server command (extension install) in its own process group, to the end. */
function runToEnd(node, argv, name) {
  return new Promise((resolvePromise, reject) => {
    const out = join(logsDir, `${name}.log`);
    const child = spawn(node, argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: isolatedEnv() });
    groups.set(name, child.pid);
    let text = '';
    const onData = (d) => {
      text += d;
      appendFileSync(out, d);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      groups.delete(name);
      if (code === 0) resolvePromise();
      else reject(new Error(`${name} failed (exit ${code}):\n${indent(text.trim(), 4)}`));
    });
  });
}

/** Starts code-server in its own process group; resolves with its URL once it listens. */
function startCodeServer(node, argv, extraEnv) {
  return new Promise((resolvePromise, reject) => {
    const out = join(logsDir, 'code-server.log');
    const child = spawn(node, argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: isolatedEnv(extraEnv) });
    groups.set('code-server', child.pid);
    let text = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`code-server did not start listening within 30 s:\n${indent(text, 4)}`)), 30_000);
    const finish = (err, url) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolvePromise(url);
    };
    const onData = (d) => {
      appendFileSync(out, d);
      if (args.verbose) process.stdout.write(d);
      if (done) return;
      text += d;
      const m = /HTTP server listening on (http:\/\/\S+?)\/?\s/.exec(text);
      if (m) finish(undefined, m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => finish(e));
    child.on('exit', (code, signal) => finish(new Error(`code-server exited (${code ?? signal}) before listening:\n${indent(text, 4)}`)));
  });
}

/**
 * Stops everything this run started: closes the browser, then SIGTERMs each process group and
 * SIGKILLs what is left after 5 s; last, kills any process still naming the run folder (none is
 * expected) and removes the folder. Keeps VS Code's logs in .vscode-test/logs/vscode/.
 */
function stopAll() {
  // Called from the normal end and from signal handlers, possibly both at once: stop only once.
  stopping ??= stopAllOnce();
  return stopping;
}

async function stopAllOnce() {
  const ts = performance.now();
  if (browser) await Promise.race([browser.close().catch(() => {}), sleep(5_000)]);
  for (const pgid of groups.values()) signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while ([...groups.values()].some(groupAlive) && Date.now() < deadline) await sleep(100);
  for (const [name, pgid] of groups) {
    if (groupAlive(pgid)) {
      log(`${name} (process group ${pgid}) did not stop on SIGTERM; sending SIGKILL`);
      signalGroup(pgid, 'SIGKILL');
    }
  }
  if (runDir) {
    const strays = processesMentioning(runDir);
    if (strays.length > 0) {
      log(`killing ${strays.length} stray process(es) outside the process groups: ${strays.join(', ')}`);
      for (const pid of strays) signalPid(pid, 'SIGKILL');
    }
    const vscodeLogs = join(runDir, 'user-data', 'logs');
    if (existsSync(vscodeLogs)) cpSync(vscodeLogs, join(logsDir, 'vscode'), { recursive: true });
    if (args.keep) log(`kept the run folder ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  }
  if (groups.size > 0) log(`stopped code-server and Chromium in ${since(ts)}`);
  groups.clear();
}

function groupAlive(pgid) {
  if (!pgid) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

function signalPid(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Pids (other than ours) whose command line contains `text`; Linux only. */
function processesMentioning(text) {
  if (!existsSync('/proc')) return [];
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function slug(s) {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
