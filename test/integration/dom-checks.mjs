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
//   #status\.editor\.mode           status bar: the editor's language mode
//   .statusbar-item                 any status bar entry (ours carry the extension's id in `id`)
//   .margin-view-overlays .cgmr     gutter decorations (`gutterIconPath` renders as a background)
//   .monaco-hover                   a visible hover
import assert from 'node:assert/strict';

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
    name: 'lenses, status bar and gutter heat are visible on a hot file',
    async run(dom) {
      await dom.openFile('ast.go');
      await dom.waitForText('.codelens-decoration', /PGO devirtualizes/, { timeoutMs: 30_000 });
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
