#!/usr/bin/env node
// Agreement figures on the real-code corpus (test/corpus/; `npm run bench` calls it; also
// runnable alone after `node scripts/build.mjs --tests`): per corpus module, `pgo-lens report`'s
// predictions against the compiler's committed decisions (expected/<bin>.pgodebug.txt):
// devirtualization precision and recall, hot-budget recall and precision of the report's hot call
// sites and of the editor's inline (decision) lenses, and every
// disagreement with file:line and callee. Figures only: nothing passes or fails here (the
// tests in test/unit/corpus and test/oracle/corpus assert).
//
//   node scripts/bench-corpus.mjs [--max-listed N] [--json FILE]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { corpusModules, measureModule } = require(join(root, 'out', 'test', 'unit', 'corpus', 'measure.js'));
const { formatFigures } = require(join(root, 'out', 'test', 'unit', 'corpus', 'format.js'));

const args = process.argv.slice(2);
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const maxListed = Number(flag('--max-listed') ?? 30);
const jsonOut = flag('--json');

let goroot;
try {
  goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
} catch {
  goroot = undefined; // no toolchain: the report indexes without go list
}

const out = (s = '') => process.stdout.write(s + '\n');
out('== Real-code corpus: report vs the compiler (test/corpus, committed compiler outputs)');
const all = [];
const total = { dp: 0, dc: 0, da: 0, hb: 0, hf: 0, lm: 0, ln: 0, lo: 0, cn: 0, co: 0 };
for (const mod of corpusModules()) {
  const t0 = performance.now();
  const f = await measureModule(mod, { goroot, useGoList: goroot !== undefined, editor: true });
  const ms = performance.now() - t0;
  for (const line of formatFigures(f, maxListed)) out(line);
  out(`  (measured in ${(ms / 1000).toFixed(1)} s; ${mod.summary.samples} samples; ${mod.summary.modules.map((m) => `${m.path}@${m.version}`).join(', ')})`);
  total.dp += f.devirt.predicted;
  total.dc += f.devirt.compiler;
  total.da += f.devirt.agree;
  total.dr = (total.dr ?? 0) + f.devirt.compiler - f.devirt.misses.length;
  total.hb += f.inline.hotBudgetSites;
  total.hf += f.inline.found;
  total.lm += f.editor.missing.length;
  total.ln += f.editor.lenses;
  total.lo += f.editor.onHotBudgetLine;
  total.cn += f.inline.decisionLenses;
  total.co += f.inline.onHotBudgetLine;
  all.push(f);
}
const pct = (a, b) => (b === 0 ? '100.0 %' : `${((a / b) * 100).toFixed(1)} %`);
out(
  `corpus total: devirtualization precision ${pct(total.da, total.dp)} (${total.da}/${total.dp} certain), recall ${pct(total.dr, total.dc)} (${total.dr}/${total.dc}, certain or possible); ` +
    `hot-budget recall ${pct(total.hf, total.hb)} (${total.hf}/${total.hb}) in the report's hot call sites (precision ${pct(total.co, total.cn)}, ${total.co}/${total.cn}), ` +
    `${pct(total.hb - total.lm, total.hb)} (${total.hb - total.lm}/${total.hb}) in the editor's decision lenses (precision ${pct(total.lo, total.ln)}, ${total.lo}/${total.ln})`,
);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(all, null, 2) + '\n');
