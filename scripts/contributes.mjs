// Writes package.json `contributes` from the tables in src/editor/tables.ts (compiled in out/).
// `npm run build` does not run this; run it after changing a table. A unit test fails when
// package.json and the tables disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { contributes, capabilities } = require(join(root, 'out', 'src', 'editor', 'contributes.js'));
const pkgPath = join(root, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
pkg.contributes = contributes();
pkg.capabilities = capabilities();
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
console.log('package.json contributes updated');
