// The test-driver extension: installed next to the extension under test by the code-server runner
// (scripts/integration/run.mjs), never shipped. code-server only loads extensions installed from a
// .vsix (the `extensionTestsPath` launch option of desktop VS Code has no working equivalent there),
// so this extension stands in for it: on activation it loads the same suite entry that
// @vscode/test-electron loads (test/integration/index.ts) and calls its `run()`, which writes the
// results file that the runner waits for.
//
// It activates on `onLanguage:go`, i.e. once the runner has opened a Go file in the workbench, so the
// suite starts with the window in the state a user would have it in. It does nothing unless
// PGO_LENS_TEST_ENTRY is set, which only the runner does.
import { existsSync, writeFileSync } from 'node:fs';

export function activate(): void {
  const entry = process.env.PGO_LENS_TEST_ENTRY;
  if (!entry) return;
  // Not awaited: activation returns at once, and the outcome travels through the results file.
  void runSuite(entry);
}

export function deactivate(): void {}

async function runSuite(entry: string): Promise<void> {
  try {
    // A plain require: the path is only known at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const suite = require(entry) as { run(): Promise<void> };
    await suite.run();
  } catch (e) {
    // run() writes the results file itself, failures included; this covers an entry that could not
    // even be loaded, so the runner reports the cause instead of timing out.
    const file = process.env.PGO_LENS_TEST_RESULTS;
    if (file && !existsSync(file)) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      writeFileSync(file, JSON.stringify({ passed: 0, failed: 0, skipped: 0, durationMs: 0, tests: [], error }));
    }
  }
}
