/**
 * Oracle: the naming fixture module (test/fixtures/naming) compiled by the installed Go. Every
 * function the compiler emits from the module's sources must have an index entry with the same
 * linker symbol (generic instantiations compared through genericKey) and the same start line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixturesDir } from '../../paths';
import { listSymbolsDetailed } from '../../../src/source/symbols';
import { genericKey, indexPackage, pathToPrefix } from '../../../src/source/index';
import { readPackageFiles } from '../../../src/source/packages';
import { compare, compileMessages, compileTextSymbols, IndexedFunction, requireGo, summarizeKinds } from './compiler';

const moduleDir = path.join(fixturesDir, 'naming');

async function indexed(): Promise<{ entries: IndexedFunction[]; dirs: string[]; prefixes: string[] }> {
  const { symbols, packages } = await listSymbolsDetailed(moduleDir, { useGoList: true });
  assert.ok(packages.length >= 2, 'main and lib.v2 packages');
  for (const p of packages) assert.equal(p.method, 'go list');
  return {
    entries: symbols.map((s) => ({ symbol: s.symbol, file: path.join(moduleDir, s.file), startLine: s.startLine, kind: s.kind })),
    dirs: packages.map((p) => p.dir),
    prefixes: packages.map((p) => pathToPrefix(p.symbolPath)),
  };
}

test('naming fixture, -l: every compiled function has an index entry with its start line', async (t) => {
  if (!requireGo(t)) return;
  const { entries, dirs, prefixes } = await indexed();
  const text = compileTextSymbols(moduleDir, 'example.com/naming/...', './...', { noInline: true });
  const r = compare(entries, text, { dirs, prefixes }, genericKey);
  t.diagnostic(`matched ${r.matched}/${r.total} compiler functions`);
  t.diagnostic(`index entries the compiler did not emit: ${r.notEmitted.length} (${summarizeKinds(r.notEmitted)})`);
  for (const e of r.notEmitted) t.diagnostic(`  not emitted: ${e.symbol} (${e.kind})`);
  assert.deepEqual(r.mismatches, []);
  assert.deepEqual(r.inlinedCopies, []);
  assert.ok(r.total >= 80, `expected the fixture to produce many functions, got ${r.total}`);
  // Without inlining only uninstantiated generics and go/defer wrappers the compiler folds are
  // left over; the fixture instantiates everything it declares.
  for (const e of r.notEmitted) assert.ok(e.symbol.includes('[...]') || e.kind === 'varinit', `unexpected: ${e.symbol}`);
});

test('naming fixture, default build: the rest are closures copied by inlining', async (t) => {
  if (!requireGo(t)) return;
  const { entries, dirs, prefixes } = await indexed();
  const text = compileTextSymbols(moduleDir, 'example.com/naming/...', './...');
  const r = compare(entries, text, { dirs, prefixes }, genericKey);
  t.diagnostic(`matched ${r.matched}/${r.total}; inlined closure copies ${r.inlinedCopies.length}; inlined from other packages ${r.foreign.length}`);
  t.diagnostic(`index entries not emitted (inlined away, or generic and not instantiated): ${r.notEmitted.length} (${summarizeKinds(r.notEmitted)})`);
  assert.deepEqual(r.mismatches, []);
});

test('naming fixture: call sites are where the compiler reports calls (line:col of "(")', async (t) => {
  if (!requireGo(t)) return;
  const pf = readPackageFiles(moduleDir);
  assert.ok(pf);
  const ix = indexPackage(pf.files, { pkgPath: 'main' });
  const sites = new Set<string>();
  const starts = new Set<string>();
  for (const f of ix.funcs) {
    starts.add(`${f.file}:${f.physicalStartLine}`);
    for (const c of f.calls) sites.add(`${c.file ?? f.file}:${c.physicalLine}:${c.col}`);
  }
  const msgs = compileMessages(moduleDir, 'example.com/naming', '.').filter(
    (m) => /^(inlining call to|PGO devirtualizing|devirtualizing)/.test(m.text) && path.dirname(m.file) === moduleDir,
  );
  assert.ok(msgs.length > 20, `only ${msgs.length} compiler positions in the naming fixture`);
  let ok = 0;
  const missing: string[] = [];
  for (const m of msgs) {
    const f = path.basename(m.file);
    if (sites.has(`${f}:${m.line}:${m.col}`)) ok++;
    // Calls the compiler synthesises: dictionary wrappers of generic functions (at the
    // declaration) and closures for method values in generic code (at the selector).
    else if (starts.has(`${f}:${m.line}`)) ok++;
    else missing.push(`${m.file}:${m.line}:${m.col}: ${m.text}`);
  }
  t.diagnostic(`${ok}/${msgs.length} compiler call positions found in the index`);
  assert.deepEqual(missing, []);
});

test('listSymbols: go list and the file-system fallback agree on the fixture module', async (t) => {
  if (!requireGo(t)) return;
  const withGo = await listSymbolsDetailed(moduleDir, { useGoList: true });
  const without = await listSymbolsDetailed(moduleDir, { useGoList: false });
  assert.deepEqual(
    withGo.packages.map((p) => [p.importPath, p.symbolPath, p.files]),
    without.packages.map((p) => [p.importPath, p.symbolPath, p.files]),
  );
  assert.deepEqual(withGo.symbols, without.symbols);
});
