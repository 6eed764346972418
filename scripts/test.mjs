// Runs the test suites on Node's built-in runner over the tsc output in out/.
// Unit tests always run; integration tests run in a real VS Code; oracle tests compare with the Go toolchain and run whenever `go` is on PATH
// (they fail, not skip, when CI=true and go is missing).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'oracle', 'integration'];
let failed = false;
// The integration suite runs inside a real VS Code (scripts/integration/run.mjs: code-server +
// Chromium here, installed on first use into .vscode-test/). It runs first so that Node's own
// summary stays the last lines of the output.
if (suites.includes('integration')) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'integration', 'run.mjs'), '--no-build'], { stdio: 'inherit', cwd: root });
  failed ||= r.status !== 0;
}

function collect(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = suites.filter((s) => s !== 'integration').flatMap((s) => collect(join(root, 'out', 'test', s)));
if (files.length === 0) {
  console.error('no test files found; did the build run?');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: root });
failed ||= r.status !== 0;
process.exit(failed ? 1 : 0);
