#!/usr/bin/env node
// The README's editor screenshots, taken in a real VS Code (code-server + headless Chromium, as
// the integration tests run it) with the packaged extension, then quantized with pngquant:
//
//   docs/images/overlay.png        the example (scripts/example.mjs), dark theme
//   docs/images/overlay-light.png  the same, light theme
//   docs/images/compile.png        cmd/compile with its real default.pgo, on a copy of
//                                  $(go env GOROOT)/src, dark theme
//
//   node scripts/build.mjs && node scripts/screenshots.mjs [--only NAME] [--out DIR] [--keep-raw]
//
// Each shot waits until the line it frames shows heat and its end-of-line PGO decision (the
// extension's own decoration text), so a screenshot never shows a half-loaded editor. Nothing is
// written outside the run folder (deleted at the end) and --out; the GOROOT copy is in the run folder.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareExample } from './example.mjs';
import { ensureTools } from './integration/install.mjs';
import { writeUserSettings } from './integration/lib.mjs';
import { packageExtension } from './integration/vsix.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { values: args } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string' }, 'keep-raw': { type: 'boolean', default: false } } });
const outDir = args.out ?? join(root, 'docs', 'images');

const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern' };
/** Editor area only (no sidebar): small files, readable text. */
const VIEWPORT = { width: 1360, height: 540 };

/**
 * `line`: the 1-based line put in the middle of the editor; `decision`: a pattern the end-of-line
 * text of some visible line must match before the shot.
 */
const SHOTS = [
  { name: 'overlay', workspace: 'example', file: 'ast.go', line: 42, theme: 'dark', decision: /^"PGO: b\.L\.Eval:18 → / },
  { name: 'overlay-light', workspace: 'example', file: 'ast.go', line: 42, theme: 'light', decision: /^"PGO: b\.L\.Eval:18 → / },
  // (*regAllocState).regalloc, hot: hot-budget inlines and a "may" on the calls of one loop
  {
    name: 'compile',
    workspace: 'goroot',
    file: 'cmd/compile/internal/ssa/regalloc.go',
    line: 982,
    theme: 'dark',
    decision: /→ \(\*AuxCall\)\.Reg inlined \(hot budget\)/,
  },
].filter((s) => !args.only || s.name === args.only);

const runDir = mkdtempSync(join(tmpdir(), 'pgo-lens-shots-'));
const groups = [];
let browser;
try {
  await main();
} finally {
  if (browser) await browser.close().catch(() => {});
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(runDir, { recursive: true, force: true });
}

async function main() {
  const tools = ensureTools();
  const { chromium } = require('playwright-core');
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  writeUserSettings(userDataDir);
  const vsix = await packageExtension(runDir);
  const config = join(runDir, 'code-server.yaml');
  writeFileSync(config, '# written by scripts/screenshots.mjs\nauth: none\n');
  const env = isolatedEnv();
  const base = [tools.codeServer, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const inst = spawnSync(tools.node, [...base, '--force', '--install-extension', vsix], { env, encoding: 'utf8' });
  if (inst.status !== 0) throw new Error(`installing the extension failed: ${inst.stderr}`);
  const workspaces = {
    example: () => prepareExample(join(runDir, 'example', 'interp')),
    goroot: () => {
      const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
      const dir = join(runDir, 'goroot', 'src');
      cpSync(join(goroot, 'src'), dir, { recursive: true });
      return dir;
    },
  };
  const server = await chromium.launch({ executablePath: tools.chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  browser = server;
  mkdirSync(outDir, { recursive: true });
  for (const ws of [...new Set(SHOTS.map((s) => s.workspace))]) {
    const folder = workspaces[ws]();
    const url = await startCodeServer(
      tools.node,
      [...base, '--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
      env,
    );
    const page = await browser.newPage({ viewport: VIEWPORT });
    for (const shot of SHOTS.filter((s) => s.workspace === ws)) {
      writeUserSettings(userDataDir);
      setTheme(userDataDir, THEMES[shot.theme]);
      await page.goto(`${url}?folder=${encodeURIComponent(folder)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await openFile(page, shot.file);
      await hideChrome(page);
      const status = await waitForStatus(page, 180_000);
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(shot.line));
      await page.keyboard.press('Enter');
      await waitForAfter(page, shot.decision, 60_000);
      await dismissNotifications(page);
      await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
      await sleep(800);
      const raw = join(runDir, `${shot.name}.raw.png`);
      await page.screenshot({ path: raw });
      const out = join(outDir, `${shot.name}.png`);
      const q = spawnSync('pngquant', ['--force', '--quality', '40-80', '--speed', '1', '32', '--output', out, raw]);
      if (q.status !== 0) throw new Error(`pngquant failed on ${raw}: ${q.stderr}`);
      if (args['keep-raw']) cpSync(raw, join(outDir, `${shot.name}.raw.png`));
      console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} kB (${status})`);
    }
    await page.close();
  }
}

function setTheme(userDataDir, theme) {
  const file = join(userDataDir, 'User', 'settings.json');
  const s = JSON.parse(readFileSync(file, 'utf8'));
  Object.assign(s, {
    'workbench.colorTheme': theme,
    'workbench.activityBar.location': 'hidden',
    'workbench.statusBar.visible': true,
    'workbench.editor.showTabs': 'single',
    'breadcrumbs.enabled': false,
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
    'workbench.layoutControl.enabled': false,
    'editor.fontSize': 13,
  });
  writeFileSync(file, JSON.stringify(s, null, 2));
}

async function hideChrome(page) {
  // the editor and the status bar are the subject: no side bars, no panel
  await runCommand(page, ['Close Primary Side Bar'], { optional: true });
  // each offered only when open (the layout persists between shots)
  await runCommand(page, ['Close Panel', 'Hide Panel'], { optional: true });
  await runCommand(page, ['Close Secondary Side Bar', 'Hide Secondary Side Bar'], { optional: true });
}

/** Runs the first command found by one of its palette titles (F1, type, wait for the row, Enter). */
async function runCommand(page, titles, { optional = false } = {}) {
  for (const title of titles) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    try {
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: title }).waitFor({ timeout: 3_000 });
    } catch {
      await page.keyboard.press('Escape');
      continue;
    }
    await page.keyboard.press('Enter');
    await sleep(300);
    return;
  }
  if (!optional) throw new Error(`no command titled ${titles.join(' or ')}`);
}

async function openFile(page, rel) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(rel);
  const name = rel.split('/').pop();
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).waitFor({ timeout: 60_000 });
  await page.keyboard.press('Enter');
  await page.locator('.editor-instance .view-lines').first().waitFor({ timeout: 15_000 });
}

/** Waits for our status bar item to show a loaded profile (`PGO compile 98%`); returns its text. */
async function waitForStatus(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const texts = await page.locator('.statusbar-item').allInnerTexts();
    const hit = texts.find((t) => /PGO \S+ \d+%/.test(t));
    if (hit) return hit.trim();
    if (Date.now() > deadline) throw new Error(`no loaded profile in the status bar after ${timeoutMs} ms: ${JSON.stringify(texts)}`);
    await sleep(500);
  }
}

/** The editor's end-of-line decoration texts (CSS ::after content, quotes included). */
function afterTexts(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.monaco-editor .view-lines span')].map((e) => getComputedStyle(e, '::after').content).filter((c) => c && c !== 'none'),
  );
}

async function waitForAfter(page, pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const contents = await afterTexts(page);
    if (contents.some((c) => pattern.test(c))) return;
    if (Date.now() > deadline) throw new Error(`no end-of-line text matches ${pattern}; seen ${JSON.stringify(contents.slice(0, 8))}`);
    await sleep(300);
  }
}

async function dismissNotifications(page) {
  await runCommand(page, ['Clear All Notifications']);
}

function isolatedEnv() {
  const home = process.env.HOME ?? '/root';
  const tmp = join(runDir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return {
    ...process.env,
    GOCACHE: process.env.GOCACHE ?? join(process.env.XDG_CACHE_HOME ?? join(home, '.cache'), 'go-build'),
    TMPDIR: tmp,
    XDG_CONFIG_HOME: join(runDir, 'xdg', 'config'),
    XDG_DATA_HOME: join(runDir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(runDir, 'xdg', 'cache'),
  };
}

function startCodeServer(node, argv, env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    groups.push(child.pid);
    let text = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 30 s:\n${text}`)), 30_000);
    const onData = (d) => {
      text += d;
      const m = /HTTP server listening on (http:\/\/\S+?)\/?\s/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`code-server exited (${code}):\n${text}`)));
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
