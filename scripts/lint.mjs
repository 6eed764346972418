// `npm run lint` (and the first step of `npm test`): ESLint (typescript-eslint and the layer rules
// in eslint.config.mjs) and Prettier's check of every TypeScript and script file. `npm run format`
// rewrites what Prettier would change.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const bin = (pkg, rel) => join(dirname(require.resolve(`${pkg}/package.json`)), rel);
const run = (label, argv) => {
  const r = spawnSync(process.execPath, argv, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`${label} failed${label === 'prettier' ? ': run `npm run format`' : ''}`);
    process.exit(1);
  }
};
run('eslint', [bin('eslint', 'bin/eslint.js'), '--max-warnings=0', '.']);
run('prettier', [bin('prettier', 'bin/prettier.cjs'), '--check', '--log-level=warn', '.']);
console.log('lint: eslint and prettier clean');
