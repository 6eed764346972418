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
    name: 'a Go file opened through Quick Open is in Go language mode',
    async run(dom) {
      await dom.openFile('main.go');
      const mode = await dom.waitForText('#status\\.editor\\.mode', /\S/);
      assert.equal(mode.trim(), 'Go');
    },
  },
];
