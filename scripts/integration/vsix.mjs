// Packages the two .vsix files the code-server runner installs: the extension under test, exactly
// as it would be published (root package.json + .vscodeignore), and the test-driver extension.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { root } from './lib.mjs';

const require = createRequire(import.meta.url);
const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');

/**
 * Runs `vsce package` in `cwd`; resolves with `out`. Async, so both packages build at once.
 * `extra` flags: the test driver has no repository or licence of its own.
 */
export function vscePackage(cwd, out, extra = []) {
  const argv = [
    vsce,
    'package',
    // Bundled by esbuild: node_modules is not shipped, so skip npm's dependency listing.
    '--no-dependencies',
    // The README's images ship in the package (docs/images, see .vscodeignore) and VS Code shows
    // them from the installed extension's folder: keep the links relative.
    '--no-rewrite-relative-links',
    // packageExtension stages the repository as symlinks.
    '--follow-symlinks',
    ...extra,
    '--out',
    out,
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, argv, { cwd }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`vsce package in ${cwd} failed:\n${stderr || err.message}`));
      else resolve(out);
    });
  });
}

/**
 * Top-level folders that never ship and are too big for vsce to walk: it lists every file under
 * its working folder before applying .vscodeignore, and the code-server install in .vscode-test/
 * alone (12,000 files) made packaging take 3 s instead of 0.7 s.
 */
const notWalked = new Set(['.git', '.vscode-test', 'node_modules']);

/**
 * The extension under test → `<dir>/pgo-lens.vsix`, packaged from a folder of symlinks to every
 * other top-level entry of the repository, so the repository's .vscodeignore still decides what
 * ships out of everything else in it.
 */
export function packageExtension(dir) {
  const stage = join(dir, 'extension');
  mkdirSync(stage, { recursive: true });
  for (const name of readdirSync(root)) {
    if (!notWalked.has(name)) symlinkSync(join(root, name), join(stage, name));
  }
  return vscePackage(stage, join(dir, 'pgo-lens.vsix'));
}

/**
 * The test driver → `<dir>/pgo-lens-test-driver.vsix`, from test/integration/driver/package.json
 * and the tsc output of driver/extension.ts.
 */
export function packageDriver(dir) {
  const stage = join(dir, 'driver');
  mkdirSync(stage, { recursive: true });
  copyFileSync(join(root, 'test', 'integration', 'driver', 'package.json'), join(stage, 'package.json'));
  copyFileSync(join(root, 'out', 'test', 'integration', 'driver', 'extension.js'), join(stage, 'extension.js'));
  writeFileSync(join(stage, '.vscodeignore'), '**\n!package.json\n!extension.js\n');
  return vscePackage(stage, join(dir, 'pgo-lens-test-driver.vsix'), ['--allow-missing-repository', '--skip-license']);
}
