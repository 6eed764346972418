#!/usr/bin/env node
// How far the inliner cost estimate (src/source/inline-cost.ts + src/match/inlinable.ts) is from
// the compiler's: builds a main package with `-pgo=off -gcflags=all=-m=2` (or reads such output
// from --m2 FILE), indexes every package the output mentions (its own sources, GOROOT included)
// and compares per function the compiler's `can inline F with cost N` /
// `cannot inline F: function too complex: cost N exceeds budget 80` with our estimate.
// Prints the error distribution and the verdict agreement at the normal budget (yes/no/maybe).
// Run after `node scripts/build.mjs --tests`.
//
//   node scripts/inline-cost.mjs DIR [--m2 FILE]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { indexPackage, genericKey } = require(join(root, 'out', 'src', 'source', 'index.js'));
const { createSourceResolver, readPackageFiles, inferPackagePath, goEnv } = require(join(root, 'out', 'src', 'source', 'packages.js'));
const { defaultBuildContext } = require(join(root, 'out', 'src', 'source', 'build-tags.js'));
const { costModel, verdict, INLINE_BUDGET } = require(join(root, 'out', 'src', 'match', 'inlinable.js'));

const args = process.argv.slice(2);
const dir = resolve(args[0] ?? '.');
const m2 = args.includes('--m2')
  ? readFileSync(args[args.indexOf('--m2') + 1], 'utf8')
  : (() => {
      try {
        execFileSync('go', ['build', '-o', '/dev/null', '-pgo=off', '-gcflags=all=-m=2', '.'], {
          cwd: dir,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          maxBuffer: 1 << 30,
        });
        return '';
      } catch (e) {
        return String(e.stderr ?? '');
      }
    })();

const facts = [];
const re = /^(.+?\.go):(\d+):\d+: (?:can inline (\S+) with cost (\d+) as: |cannot inline (\S+): (.*)$)/;
for (const line of m2.split('\n')) {
  const m = re.exec(line);
  if (!m) continue;
  const file = isAbsolute(m[1]) ? m[1] : join(dir, m[1]);
  if (m[3]) facts.push({ file, name: m[3], cost: Number(m[4]), ok: true });
  else {
    const c = /function too complex: cost (\d+)/.exec(m[6]);
    facts.push({ file, name: m[5], cost: c ? Number(c[1]) : undefined, ok: false, reason: m[6] });
  }
}
const ge = await goEnv();
const ctx = defaultBuildContext();
const shared = new Map();
const byDir = new Map();
const entries = new Map();
for (const d of new Set(facts.map((f) => dirname(f.file)))) {
  const pf = readPackageFiles(d, ctx);
  if (!pf) continue;
  const loc = inferPackagePath(d, ge);
  const importPath = pf.pkgName === 'main' ? 'main' : (loc?.importPath ?? d);
  const resolver = createSourceResolver({ fromDir: d, goEnv: ge, ctx, module: loc?.module, shared });
  const ix = indexPackage(pf.files, { pkgPath: importPath, resolver });
  byDir.set(d, ix);
  for (const e of ix.funcs) entries.set(genericKey(e.symbol), e);
}
const cost = costModel((s) => entries.get(genericKey(s)));
const rows = [];
for (const f of facts) {
  const ix = byDir.get(dirname(f.file));
  if (!ix || f.name.includes('[') || /\.func\d/.test(f.name)) continue;
  const sym = `${ix.symbolPrefix}.${f.name}`;
  const e = cost(sym);
  if (!e) continue;
  rows.push({ sym, f, e });
}
const withCost = rows.filter((r) => r.f.cost !== undefined && !r.e.refusal);
const errs = withCost.map((r) => (r.e.cost - r.f.cost) / Math.max(r.f.cost, 1));
errs.sort((a, b) => a - b);
const q = (p) => errs[Math.min(errs.length - 1, Math.floor(p * errs.length))];
const out = (s) => process.stdout.write(s + '\n');
out(`${rows.length} functions compared (${facts.length} compiler lines, ${byDir.size} packages)`);
out(
  `relative error (ours - compiler) / compiler over ${withCost.length} costed: p10 ${q(0.1).toFixed(2)} p25 ${q(0.25).toFixed(2)} median ${q(0.5).toFixed(2)} p75 ${q(0.75).toFixed(2)} p90 ${q(0.9).toFixed(2)}`,
);
const within = (t) => withCost.filter((r) => Math.abs(r.e.cost - r.f.cost) <= t * Math.max(r.f.cost, 1) + 6).length;
out(`within ±10 %+6: ${within(0.1)}, ±30 %+6: ${within(0.3)}, ±50 %+6: ${within(0.5)}`);
const tally = { yes: [0, 0], no: [0, 0], maybe: [0, 0] };
const wrong = [];
for (const r of rows) {
  const truth = r.f.ok && r.f.cost <= INLINE_BUDGET; // inlinable with the normal budget (-pgo=off)
  const v = verdict(r.e, INLINE_BUDGET);
  tally[v][truth ? 0 : 1]++;
  if ((v === 'yes' && !truth) || (v === 'no' && truth)) wrong.push(r);
}
out(
  `verdict at budget 80: yes ${tally.yes[0]} right / ${tally.yes[1]} wrong; no ${tally.no[1]} right / ${tally.no[0]} wrong; maybe ${tally.maybe[0] + tally.maybe[1]}`,
);
for (const r of wrong.slice(0, Number(process.env.SHOW ?? 10)))
  out(
    `  wrong: ${r.sym} compiler ${r.f.ok ? 'can' : 'cannot'} (cost ${r.f.cost ?? '-'}${r.f.reason && !r.f.cost ? ', ' + r.f.reason : ''}), ours ${r.e.cost} [${r.e.low}, ${r.e.high}]${r.e.refusal ? ' ' + r.e.refusal : ''}`,
  );
