#!/usr/bin/env node
// Times the profile explorer's worker queries on a large profile (default: the 50 MB profile
// scripts/gen-large-profile.mjs makes, cached in bench-data/ by `npm run bench`): opening, the
// first flame graph (builds the call tree), a table page, the inverted view, a zoom, callers/
// callees and a search; prints one JSON line. Uses the compiled engine in out/ (build first).
//
//   node scripts/build.mjs --tests && node scripts/bench-explorer.mjs [PROFILE]
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { Engine } = require(join(root, 'out', 'src', 'worker', 'engine.js'));
const file = process.argv[2] ?? join(root, 'bench-data', 'large-50mb.pgo');
if (!existsSync(file)) {
  console.error(`${file} does not exist: run npm run bench once, or node scripts/gen-large-profile.mjs -o FILE and pass FILE`);
  process.exit(2);
}
const engine = new Engine();
const call = async (m, a) => {
  const r = await engine.handle(1, m, a);
  if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
  return r.value;
};
const ms = {};
const time = async (name, f) => {
  const t = performance.now();
  const v = await f();
  ms[name] = Math.round(performance.now() - t);
  return v;
};
const info = await time('open', () => call('explorerOpen', { path: file }));
const width = 1200;
const flame = await time('firstFlame', () =>
  call('explorerFlame', { session: info.session, view: 'top-down', root: 0, minFraction: 1 / width, maxNodes: 20000 }),
);
await time('topPage', () => call('explorerTop', { session: info.session, sort: 'flat', desc: true, filter: '', offset: 0, count: 100 }));
await time('inverted', () => call('explorerFlame', { session: info.session, view: 'bottom-up', root: 0, minFraction: 1 / width, maxNodes: 20000 }));
await time('zoom', () =>
  call('explorerFlame', {
    session: info.session,
    view: 'top-down',
    root: flame.node[Math.min(3, flame.node.length - 1)],
    minFraction: 1 / width,
    maxNodes: 20000,
  }),
);
await time('neighbors', () => call('explorerNeighbors', { session: info.session, name: 'runtime.mallocgc' }));
await time('search', () => call('explorerSearch', { session: info.session, pattern: 'ssa' }));
console.log(
  JSON.stringify({
    file,
    functions: info.functions,
    samples: info.samples[0],
    flameNodes: flame.node.length,
    flameBytes: JSON.stringify(flame).length,
    ms,
    rssMB: Math.round(process.memoryUsage().rss / 1e6),
  }),
);
