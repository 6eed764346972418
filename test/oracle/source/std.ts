/**
 * The source index against the compiler on the whole standard library (`npm run oracle:std`;
 * not a test: it takes minutes). Writes the headline figures the README and docs quote into
 * `docs/oracle-std-<go version>.md`:
 * - symbols: every package of `go list std` compiled with `-S -l`; each emitted source function
 *   must be an index entry with the same symbol and start line, and each index entry must be
 *   emitted (generic ones are emitted only as instantiations);
 * - dispatch: the same packages built with `-d=pgodebug=3` and cmd/compile's default.pgo; each
 *   CallStat of the PGO devirtualizer against the index call site's `dispatch`.
 *
 *   node scripts/build.mjs --tests && node out/test/oracle/source/std.js [--only a,b] [--out FILE]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { genericKey, pathToPrefix } from '../../../src/source/index';
import type { ExternalPackage } from '../../../src/source/package-env';
import { parseGoListJson } from '../../../src/source/packages';
import { compare, compileTextSymbols, GO_ENV, goEnvValue } from './compiler';
import { indexListed, type ListedPackage } from './go-list';
import { callStats, compareDispatch, indexPackages } from './dispatch-oracle';

const root = path.join(__dirname, '..', '..', '..', '..');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function stdPackages(): string[] {
  // packages with Go files for this platform (some hold only tests, or only other platforms' files)
  const r = spawnSync('go', ['list', '-f', '{{if .GoFiles}}{{.ImportPath}}{{end}}', 'std'], { env: GO_ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`go list std failed: ${r.stderr}`);
  // vendored packages are built as dependencies of std, not as std itself
  return r.stdout.split('\n').filter((p) => p && !p.startsWith('vendor/'));
}

interface SymbolRow {
  pkg: string;
  compiler: number;
  matched: number;
  mismatches: string[];
  invented: string[];
}

function symbols(pkgs: string[], shared: Map<string, ExternalPackage | undefined>, goroot: string): SymbolRow[] {
  const rows: SymbolRow[] = [];
  for (const pkg of pkgs) {
    const r = spawnSync('go', ['list', '-json', pkg], { env: GO_ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
    const [info] = parseGoListJson<ListedPackage>(r.stdout);
    if (!info || !(info.GoFiles ?? []).length) continue;
    const { pkgPath, ix } = indexListed(info, goroot, shared);
    const entries = ix.funcs
      .filter((f) => f.kind !== 'varinit')
      .map((f) => ({ symbol: f.symbol, file: path.join(info.Dir, f.file), startLine: f.startLine, kind: f.kind }));
    const text = compileTextSymbols(info.Dir, pkg, pkg, { noInline: true });
    const c = compare(entries, text, { dirs: [info.Dir], prefixes: [pathToPrefix(pkgPath)] }, genericKey);
    const invented = c.notEmitted.filter((e) => !e.symbol.includes('[...]')).map((e) => `${e.symbol} (${e.kind})`);
    rows.push({ pkg, compiler: c.total, matched: c.matched, mismatches: c.mismatches, invented });
    process.stderr.write(`symbols ${pkg}: ${c.matched}/${c.total}${invented.length ? `, ${invented.length} not emitted` : ''}\n`);
  }
  return rows;
}

function dispatch(pkgs: string[], shared: Map<string, ExternalPackage | undefined>, goroot: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgo-lens-std-'));
  try {
    const profile = path.join(goroot, 'src', 'cmd', 'compile', 'default.pgo');
    const totals = { sites: 0, agree: 0, disagreements: [] as string[], unexplained: [] as string[], calleeChecked: 0, calleeWrong: 0 };
    const CHUNK = 25;
    for (let i = 0; i < pkgs.length; i += CHUNK) {
      const chunk = pkgs.slice(i, i + CHUNK);
      const stats = callStats(dir, chunk, chunk, profile, false);
      for (const p of indexPackages(dir, chunk, shared)) {
        const r = compareDispatch(
          [p],
          stats.filter((s) => s.Pkg === p.ix.pkgPath),
        );
        totals.sites += r.sites;
        totals.agree += r.agree;
        totals.disagreements.push(...r.disagreements.map((d) => `${p.importPath}: ${d}`));
        totals.unexplained.push(...r.unexplained.map((d) => `${p.importPath}: ${d}`));
        totals.calleeChecked += r.calleeChecked;
        totals.calleeWrong += r.calleeWrong.length + r.calleeMissing.length;
      }
      process.stderr.write(`dispatch: ${Math.min(i + CHUNK, pkgs.length)}/${pkgs.length} packages, ${totals.agree}/${totals.sites} agree\n`);
    }
    return totals;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const goroot = goEnvValue('GOROOT');
  const version = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
  const only = opt('--only');
  const pkgs = only ? only.split(',') : stdPackages();
  const shared = new Map<string, ExternalPackage | undefined>();
  const t0 = Date.now();
  const sym = symbols(pkgs, shared, goroot);
  const dis = dispatch(pkgs, shared, goroot);
  const compilerFns = sym.reduce((a, r) => a + r.compiler, 0);
  const matchedFns = sym.reduce((a, r) => a + r.matched, 0);
  const mismatches = sym.flatMap((r) => r.mismatches.map((m) => `${r.pkg}: ${m}`));
  const invented = sym.flatMap((r) => r.invented.map((m) => `${r.pkg}: ${m}`));
  const list = (xs: string[]): string => (xs.length ? xs.map((x) => `- \`${x}\``).join('\n') : '- none');
  const md = `# The source index on the whole standard library, ${version}

Written by \`npm run oracle:std\` (test/oracle/source/std.ts) on ${new Date().toISOString().slice(0, 10)}, in ${((Date.now() - t0) / 1000).toFixed(0)} s.
${sym.length} packages of \`go list std\`${only ? ` (only ${only})` : ''}.

| what | agree | of |
|---|---|---|
| functions the compiler emits (\`-S -l\`) found in the index with the same symbol and start line | ${matchedFns} | ${compilerFns} |
| call sites whose dispatch (static / interface / function value) equals the PGO devirtualizer's CallStat (\`-d=pgodebug=3\`, cmd/compile's default.pgo) | ${dis.agree} | ${dis.sites} |
| direct callees (\`calleeSymbol\`) equal to the compiler's, where checkable | ${dis.calleeChecked - dis.calleeWrong} | ${dis.calleeChecked} |

## Compiler functions without an index entry (or at another line)
${list(mismatches)}

## Non-generic index entries the compiler did not emit
Closures whose every use is statically dead code are expected here (their numbers are still allocated).
${list(invented)}

## Dispatch disagreements
${list(dis.disagreements)}

## CallStats not explained
${list(dis.unexplained)}
`;
  const out = opt('--out') ?? path.join(root, 'docs', `oracle-std-${version}.md`);
  writeFileSync(out, md);
  process.stdout.write(`${out}: functions ${matchedFns}/${compilerFns}, dispatch ${dis.agree}/${dis.sites}\n`);
}

main();
