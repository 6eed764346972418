// `npm start`: until the editor overlay lands, runs the CLI on the bundled example — a fixture
// Go program with a real default.pgo — and prints what the compiler will treat as hot.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'test', 'fixtures');
const profiles = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(d, e.name));
    else if (e.name === 'default.pgo') profiles.push(join(d, e.name));
  }
};
if (existsSync(fixtures)) walk(fixtures);
if (profiles.length === 0) {
  console.error('no example profile found under test/fixtures (run `npm run fixtures` with Go installed)');
  process.exit(1);
}
const example = profiles.sort()[0];
console.log(`Example: ${relative(root, example)}\n$ pgo-lens hot ${relative(root, example)}\n`);
const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'hot', example], { stdio: 'inherit' });
process.exit(r.status ?? 1);
