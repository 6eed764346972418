// DOM checks: what a person sees in the workbench, checked by the code-server runner
// (scripts/integration/run.mjs) in Chromium after the in-host suite has passed, on the same page
// and with the same extension host. Only that runner runs them (desktop VS Code has no DOM to
// reach from @vscode/test-electron).
//
// Each check is `{ name, run(dom) }`; `run` throws (or rejects) to fail. `dom` has:
//   page                          the playwright-core Page
//   workspace                     absolute path of the opened workspace copy
//   openFile(relPath)             Quick Open (Ctrl+P) a workspace file and wait for its editor
//   runCommand(title)             run a command by its palette title (F1)
//   texts(selector)               innerText of every match
//   waitForText(selector, pattern, { timeoutMs })   wait for a match whose text matches
//   screenshot(name)              save <--screenshots DIR>/<name>.png (no-op without the flag)
// The runner also saves a screenshot named after each check once it has run (with --screenshots).
//
// Useful workbench selectors (VS Code's own classes, not API; they follow the pinned version):
//   .codelens-decoration            a CodeLens line; its text is the lenses' titles
//   .view-lines span::after         decoration text after a line (`after.contentText`, as CSS content)
//   #status\.editor\.mode           status bar: the editor's language mode
//   .statusbar-item                 any status bar entry (ours carry the extension's id in `id`)
//   .margin-view-overlays .cgmr     gutter decorations (`gutterIconPath` renders as a background)
//   .monaco-hover                   a visible hover
import assert from 'node:assert/strict';

/** Waits until some span of the editor's lines has `::after` content matching `pattern` (CSS quotes included). */
async function waitForAfter(dom, pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const contents = await dom.page.evaluate(() =>
      [...document.querySelectorAll('.monaco-editor .view-lines span')].map((e) => getComputedStyle(e, '::after').content).filter((c) => c && c !== 'none'),
    );
    if (contents.some((c) => pattern.test(c))) return;
    if (Date.now() > deadline) throw new Error(`no ::after text matches ${pattern}; seen: ${JSON.stringify(contents.slice(0, 10))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export default [
  {
    name: 'the Go PGO view lists the hottest functions, hot call sites and devirtualized calls',
    async run(dom) {
      await dom.runCommand('Go PGO: Show Report');
      await dom.waitForText('.pane-body', /Hottest functions/, { timeoutMs: 15_000 });
      await dom.waitForText('.pane-body', /Hot call sites/, { timeoutMs: 5_000 });
      await dom.waitForText('.pane-body', /Devirtualized calls/, { timeoutMs: 5_000 });
      await dom.screenshot('view');
    },
  },
  {
    name: 'decisions, status bar and gutter heat are visible on a hot file',
    async run(dom) {
      await dom.openFile('ast.go');
      // end-of-line decisions render as CSS ::after content on the line (no CodeLens line is inserted)
      await waitForAfter(dom, /^"PGO: b\.L\.Eval:18 → \(\*Binary\)\.Eval devirtualized/, 30_000);
      assert.equal((await dom.texts('.codelens-decoration')).length, 0, 'no CodeLens by default');
      await dom.waitForText('.statusbar-item', /PGO interp 100%/, { timeoutMs: 10_000 });
      // gutterIconPath renders as an element whose background image is our SVG
      const gutters = await dom.page.evaluate(
        () =>
          [...document.querySelectorAll('.monaco-editor .margin *')].filter((e) => /heat-\d-(light|dark)\.svg/.test(getComputedStyle(e).backgroundImage))
            .length,
      );
      assert.ok(gutters > 0, 'expected heat icons in the gutter');
      await dom.screenshot('overlay-ast');
    },
  },
  {
    name: 'a Go file opened through Quick Open is in Go language mode',
    async run(dom) {
      await dom.openFile('main.go');
      const mode = await dom.waitForText('#status\\.editor\\.mode', /\S/);
      assert.equal(mode.trim(), 'Go');
    },
  },
];
