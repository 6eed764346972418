// `npm run package`: the release .vsix — a minified build without source maps, packaged with vsce
// from the repository (the allow-list in .vscodeignore decides what ships), checked against the
// size budget. Writes pgo-lens-<version>.vsix in the repository root and prints what it holds.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './integration/lib.mjs';
import { vscePackage } from './integration/vsix.mjs';

const BUDGET = 500 * 1024;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--release'], { stdio: 'inherit', cwd: root });
const out = join(root, `pgo-lens-${version}.vsix`);
await vscePackage(root, out);
const listing = execFileSync('unzip', ['-l', out], { encoding: 'utf8' });
const files = listing.split('\n').filter((l) => /^\s*\d+\s+\S+\s+\S+\s+extension\//.test(l));
for (const l of files) console.log(l.trim().replace(/\s+/, '\t'));
const maps = files.filter((l) => l.endsWith('.map'));
const size = statSync(out).size;
console.log(`${out}: ${(size / 1024).toFixed(0)} kB (budget ${BUDGET / 1024} kB), ${files.length} files`);
if (maps.length) throw new Error(`the package ships source maps: ${maps.join(', ')}`);
if (size > BUDGET) throw new Error(`the package is ${(size / 1024).toFixed(0)} kB, over the ${BUDGET / 1024} kB budget`);
