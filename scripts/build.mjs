// Bundles the extension host, the worker and the CLI with esbuild after type-checking.
// `--tests` also compiles the test tree with tsc into out/ (tests run on Node's own runner).
// `--no-check` skips the type check (used by watch loops; never by CI).
// `--release` minifies and writes no source maps (what `npm run package` ships).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

if (!args.has('--no-check')) {
  // Type-check everything (src and test); with --tests also emit to out/.
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), ...(args.has('--tests') ? [] : ['--noEmit'])], {
    stdio: 'inherit',
    cwd: root,
  });
}

const release = args.has('--release');
// A release build must not leave the previous build's source maps behind in dist/.
if (release) rmSync(join(root, 'dist'), { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !release,
  minify: release || args.has('--minify'),
  logLevel: 'warning',
  absWorkingDir: root,
};

await Promise.all([
  build({ ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  build({ ...common, entryPoints: { worker: 'src/worker/worker.ts' }, outdir: 'dist' }),
  // The profile explorer's webview: its script (for the browser) and its stylesheet, into dist/ (its only resource root).
  build({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { 'explorer-webview': 'src/editor/explorer/webview/main.ts', explorer: 'media/explorer.css' },
    outdir: 'dist',
  }),
  build({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
chmodSync(join(root, 'dist', 'cli.js'), 0o755);
