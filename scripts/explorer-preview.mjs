#!/usr/bin/env node
// Renders the profile explorer's webview in headless Chromium (playwright-core, Debian's
// /usr/bin/chromium) outside VS Code, answering its queries with the real engine in this process:
// a smoke test of the webview script (fails on any page error or error message shown) and the
// README screenshots (docs/images/explorer-flame.png, explorer-diff.png).
//
//   node scripts/build.mjs --tests && node scripts/explorer-preview.mjs [--out DIR] [--theme dark|light] [--after]
// (--after: also a screenshot after the smoke interactions)
//
// The page gets the same HTML and CSP as in VS Code (src/editor/explorer/html.ts), the bundled
// dist/explorer-webview.js and dist/explorer.css, and a few --vscode-* theme variables.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const { Engine } = require(join(root, 'out', 'src', 'worker', 'engine.js'));
const { explorerHtml } = require(join(root, 'out', 'src', 'editor', 'explorer', 'html.js'));

const argv = process.argv.slice(2);
const outDir = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : join(root, 'docs', 'images');
const theme = argv.includes('--theme') ? argv[argv.indexOf('--theme') + 1] : 'dark';
const THEMES = {
  dark: {
    cls: 'vscode-dark',
    vars: {
      foreground: '#cccccc',
      'editor-background': '#1e1e1e',
      'editor-foreground': '#d4d4d4',
      focusBorder: '#007fd4',
      descriptionForeground: '#9d9d9d',
      'button-background': '#0e639c',
      'button-foreground': '#ffffff',
      'button-secondaryBackground': '#3a3d41',
      'button-secondaryForeground': '#cccccc',
      'input-background': '#3c3c3c',
      'input-foreground': '#cccccc',
      'panel-border': '#444444',
      'list-activeSelectionBackground': '#04395e',
      'list-activeSelectionForeground': '#ffffff',
      'list-hoverBackground': '#2a2d2e',
      'textLink-foreground': '#3794ff',
      'charts-orange': '#d18616',
      'charts-purple': '#b180d7',
      errorForeground: '#f48771',
      'font-family': 'sans-serif',
      'font-size': '13px',
      'editor-font-family': 'monospace',
    },
  },
  light: {
    cls: 'vscode-light',
    vars: {
      foreground: '#3b3b3b',
      'editor-background': '#ffffff',
      'editor-foreground': '#000000',
      focusBorder: '#0090f1',
      descriptionForeground: '#717171',
      'button-background': '#007acc',
      'button-foreground': '#ffffff',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'input-background': '#ffffff',
      'input-foreground': '#3b3b3b',
      'panel-border': '#e5e5e5',
      'list-activeSelectionBackground': '#0060c0',
      'list-activeSelectionForeground': '#ffffff',
      'list-hoverBackground': '#f0f0f0',
      'textLink-foreground': '#006ab1',
      'charts-orange': '#d18616',
      'charts-purple': '#652d90',
      errorForeground: '#a1260d',
      'font-family': 'sans-serif',
      'font-size': '13px',
      'editor-font-family': 'monospace',
    },
  },
};

const tmp = mkdtempSync(join(tmpdir(), 'pgo-lens-preview-'));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const dir = join(tmp, 'interp');
  cpSync(join(root, 'test', 'fixtures', 'interp'), dir, { recursive: true });
  const pgo = join(dir, 'default.pgo');
  const noArith = join(tmp, 'no-arith.pprof');
  writeFileSync(noArith, execFileSync('go', ['tool', 'pprof', '-proto', '-symbolize=none', '-ignore=^main\\.execArith$', pgo], { maxBuffer: 1 << 28 }));
  const engine = new Engine();
  const call = async (method, args) => {
    const r = await engine.handle(1, method, args);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value;
  };
  await call('openWorkspace', { folders: [dir], thresholdPercent: 99, trusted: false });

  const shots = [
    { name: 'explorer-flame.png', info: await call('explorerOpen', { path: pgo }), search: '' },
    { name: 'explorer-diff.png', info: await call('explorerDiff', { base: pgo, next: noArith, normalize: 'total' }), search: '' },
  ];
  const methods = {
    flame: 'explorerFlame',
    top: 'explorerTop',
    diffTable: 'explorerDiffTable',
    neighbors: 'explorerNeighbors',
    search: 'explorerSearch',
    changes: 'explorerChanges',
  };
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    const origin = 'https://webview.test';
    await page.route(`${origin}/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/') {
        const html = explorerHtml({
          cspSource: origin,
          scriptUri: `${origin}/dist/explorer-webview.js`,
          styleUri: `${origin}/dist/explorer.css`,
          nonce: 'preview',
        });
        // VS Code puts the theme's variables on the page itself; here a stylesheet from the allowed origin does.
        return route.fulfill({
          contentType: 'text/html',
          body: html.replace('<body>', `<body class="${THEMES[theme].cls}">`).replace('</head>', `<link rel="stylesheet" href="${origin}/theme.css">\n</head>`),
        });
      }
      if (url.pathname === '/theme.css') {
        const vars = Object.entries(THEMES[theme].vars)
          .map(([k, v]) => `--vscode-${k}: ${v};`)
          .join(' ');
        return route.fulfill({ contentType: 'text/css', body: `body { ${vars} }` });
      }
      const file = join(root, url.pathname);
      return route.fulfill({ contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript', body: readFileSync(file) });
    });
    await page.exposeFunction('__toHost', async (m) => {
      const reply = (msg) => page.evaluate((x) => window.postMessage(x, '*'), msg);
      if (m.type === 'ready') await reply({ type: 'init', info: shot.info });
      else if (m.type === 'request') {
        try {
          await reply({ type: 'response', id: m.id, ok: true, value: await call(methods[m.method], { ...m.args, session: shot.info.session }) });
        } catch (e) {
          await reply({ type: 'response', id: m.id, ok: false, error: e.message });
        }
      }
    });
    await page.addInitScript(() => {
      let state;
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__toHost(m), getState: () => state, setState: (s) => (state = s) });
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.querySelectorAll('#tbody .row').length > 0, null, { timeout: 60_000 });
    await page.waitForTimeout(500);
    // Select the first interpreter function so the callers/callees pane is filled.
    await page.click('#tbody .row[data-name^="main."]');
    await page
      .waitForFunction(() => document.querySelectorAll('#callers li').length > 0, null, { timeout: 30_000 })
      .catch(() => problems.push('no callers shown for the selected row'));
    const err = await page.evaluate(() => (document.getElementById('error').hidden ? null : document.getElementById('error').textContent));
    if (err) problems.push(`error shown: ${err}`);
    await page.screenshot({ path: join(outDir, shot.name) });
    // Smoke: search, zoom by click, keyboard moves, the inverted view, sorting, filtering.
    await page.fill('#search', 'exec');
    await page
      .waitForFunction(() => /functions ·/.test(document.getElementById('share').textContent), null, { timeout: 30_000 })
      .catch(() => problems.push('no search share'));
    await page.mouse.click(40, 125);
    await page
      .waitForFunction(() => document.querySelectorAll('#crumbs .crumb').length > 1, null, { timeout: 30_000 })
      .catch(() => problems.push('click did not zoom'));
    await page.focus('#flame');
    for (const k of ['ArrowDown', 'ArrowRight', 'ArrowUp', 'Escape']) await page.keyboard.press(k);
    await page.click('[data-view="bottom-up"]');
    await page.waitForTimeout(1500);
    await page.click('#thead [data-sort="name"]');
    await page.fill('#filter', '^runtime\\.');
    await page
      .waitForFunction(
        () =>
          [...document.querySelectorAll('#tbody .row')].every((r) => r.dataset.name.startsWith('runtime.')) &&
          document.querySelectorAll('#tbody .row').length > 0,
        null,
        { timeout: 30_000 },
      )
      .catch(() => problems.push('filter did not apply'));
    await page.focus('#tbody');
    for (const k of ['ArrowDown', 'ArrowDown', 'End', 'Home']) await page.keyboard.press(k);
    await page.waitForTimeout(500);
    const err2 = await page.evaluate(() => (document.getElementById('error').hidden ? null : document.getElementById('error').textContent));
    if (err2) problems.push(`error shown after interactions: ${err2}`);
    if (argv.includes('--after')) await page.screenshot({ path: join(outDir, `after-${shot.name}`) });
    console.log(`${shot.name}: ${problems.length ? problems.join('; ') : 'ok'}`);
    if (problems.length) process.exitCode = 1;
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}
