// Settings of the integration suite, read by both runners (scripts/integration/run.mjs and
// run-electron.mjs). Paths are relative to the repository root.
export default {
  /** Fixture folder copied to a temporary directory and opened as the workspace. */
  workspace: 'test/fixtures/interp',
  /**
   * File (relative to the workspace) that the code-server runner opens through Quick Open before
   * the suite starts: opening a Go file is what fires `onLanguage:go`, which also starts the
   * test-driver extension.
   */
  openFile: 'main.go',
  /**
   * How long the code-server runner waits for the in-host suite's results, in milliseconds: a guard
   * against a hung host, not a test timeout (each test has its own). The suite took 80 s at load 13
   * on 2 cores; this leaves room for load 30.
   */
  suiteTimeoutMs: 300_000,
};
