/**
 * Oracle: real GOROOT packages compiled with `-S -l` (no inlining, so no closure copies), cgo
 * off. Every emitted function must have an index entry with the same symbol and start line.
 * `PGO_LENS_ORACLE_PACKAGES="a b c"` overrides the package list (e.g. add
 * cmd/compile/internal/ssa, which takes ~25 s to compile with -S the first time).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { genericKey, indexPackage, pathToPrefix } from '../../../src/source/index';
import { createSourceResolver } from '../../../src/source/packages';
import type { ExternalPackage } from '../../../src/source/package-env';
import { compare, compileMessages, compileTextSymbols, GO_ENV, goEnvValue, requireGo, summarizeKinds } from './compiler';
import { goListJson, indexListed } from './go-list';

const DEFAULT_PACKAGES = [
  'strings', // plain code, methods, closures
  'encoding/json', // reflection-heavy, sync.Pool closures, go:linkname
  'text/template', // package-level var closures, init order
  'html/template', // map.init outlining of an imported map type
  'internal/profile', // init order through interface method calls
  'go/types', // generics, range-over-func, large
  'runtime', // linkname push, dead code under platform constants, nosplit, closures everywhere
];

/**
 * Closures the compiler never emits: every call of them sits under a false constant (here
 * `raceenabled`), which the writer drops, so nothing references them. Their names are still
 * allocated, so the index keeps them (numbering the next closure right depends on it).
 */
const DROPPED_CLOSURES = new Set(['runtime.selectgo.func1']);

const packages = (process.env.PGO_LENS_ORACLE_PACKAGES ?? '').split(/\s+/).filter(Boolean);
const list = packages.length ? packages : DEFAULT_PACKAGES;
const shared = new Map<string, ExternalPackage | undefined>();

for (const pkg of list) {
  test(`GOROOT ${pkg}: compiled functions match the index (-S -l)`, (t) => {
    if (!requireGo(t)) return;
    const goroot = goEnvValue('GOROOT');
    const listed = goListJson([pkg], GO_ENV);
    assert.equal(listed.length, 1, `go list ${pkg}: ${listed.length} packages`);
    const info = listed[0]!;
    const { pkgPath, files, ix, ms } = indexListed(info, goroot, shared);
    const entries = ix.funcs
      .filter((f) => f.kind !== 'varinit')
      .map((f) => ({ symbol: f.symbol, file: path.join(info.Dir, f.file), startLine: f.startLine, kind: f.kind }));
    const text = compileTextSymbols(info.Dir, pkg, pkg, { noInline: true });
    const c = compare(entries, text, { dirs: [info.Dir], prefixes: [pathToPrefix(pkgPath)] }, genericKey);
    t.diagnostic(`${files} files indexed in ${ms.toFixed(0)} ms; matched ${c.matched}/${c.total} compiler functions`);
    t.diagnostic(`index entries not emitted: ${c.notEmitted.length} (${summarizeKinds(c.notEmitted)})`);
    for (const e of c.notEmitted.filter((x) => !x.symbol.includes('[...]'))) t.diagnostic(`  not emitted: ${e.symbol} (${e.kind})`);
    assert.deepEqual(c.mismatches, []);
    assert.ok(c.total > 50, `only ${c.total} compiler functions in ${pkg}`);
    // The other direction: an index entry the compiler did not emit must be generic (emitted only
    // as shaped instantiations) or a closure the compiler drops because all its uses are in
    // statically dead code; anything else is a function the index invented.
    const unexplained = c.notEmitted.filter((e) => !e.symbol.includes('[...]') && !DROPPED_CLOSURES.has(e.symbol));
    assert.deepEqual(
      unexplained.map((e) => `${e.symbol} (${e.kind})`),
      [],
    );
  });
}

test('GOROOT encoding/json: call sites at the positions the compiler reports', (t) => {
  if (!requireGo(t)) return;
  const goroot = goEnvValue('GOROOT');
  const dir = path.join(goroot, 'src', 'encoding', 'json');
  const [info] = goListJson(['encoding/json'], GO_ENV);
  assert.ok(info, 'go list encoding/json');
  const files = (info.GoFiles ?? []).map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
  const ix = indexPackage(files, { pkgPath: 'encoding/json', resolver: createSourceResolver({ fromDir: dir, goEnv: { goroot }, shared }) });
  const sites = new Set<string>();
  const starts = new Set<string>();
  for (const f of ix.funcs) {
    starts.add(`${f.file}:${f.physicalStartLine}`);
    for (const c of f.calls) sites.add(`${c.file ?? f.file}:${c.physicalLine}:${c.col}`);
  }
  const msgs = compileMessages(path.dirname(dir), 'encoding/json', 'encoding/json').filter(
    (m) => /^(inlining call to|devirtualizing)/.test(m.text) && path.dirname(m.file) === dir,
  );
  const missing = msgs.filter((m) => {
    const f = path.basename(m.file);
    return !sites.has(`${f}:${m.line}:${m.col}`) && !starts.has(`${f}:${m.line}`);
  });
  t.diagnostic(`${msgs.length - missing.length}/${msgs.length} inlining/devirtualization positions are index call sites`);
  // encoding/json inlines hundreds of calls with -m: far fewer means the filter compared nothing
  assert.ok(msgs.length > 200, `only ${msgs.length} compiler positions in encoding/json`);
  assert.deepEqual(
    missing.map((m) => `${m.file}:${m.line}:${m.col} ${m.text}`),
    [],
  );
});
