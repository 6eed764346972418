/**
 * Declarations first (issue #14): an index with only one file's bodies walked gives that file
 * the entries a full index gives it (what its heat is keyed by: symbols, start lines, closures,
 * `init.N`), on every file of every fixture package and on packages built to break it: `init`
 * numbers counted across files whose bodies were skipped, and closures of package-level variable
 * initialisers, which are numbered in initialisation order across files (a full index then).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { hasVarClosure, indexDeclarationsFirst, isDeclarationsFirst } from '../../../src/source/declarations-first';
import { defaultBuildContext, type FuncEntry, indexPackage, type IndexOptions, type PackageIndex, type SourceFile } from '../../../src/source/index';
import { parseSourceFile } from '../../../src/source/package-env';
import { createSourceResolver, goEnvFromProcess, inferPackagePath, readPackageFiles } from '../../../src/source/packages';
import { fixturesDir } from '../../paths';

/** What a file's heat is computed from: its entries, less the package's variable-initialisation entries. */
function heatEntries(ix: PackageIndex, file: string): FuncEntry[] {
  return (ix.byFile.get(file) ?? []).filter((e) => e.kind !== 'varinit' && e.kind !== 'mapinit');
}

/** Every directory under dir holding .go files. */
function goDirs(dir: string): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name.endsWith('.go'))) out.push(dir);
  for (const e of entries) if (e.isDirectory()) out.push(...goDirs(path.join(dir, e.name)));
  return out.sort();
}

/** Checks every file of the package; returns how many were indexed declarations-first and how many fully. */
function checkPackage(files: SourceFile[], opts: IndexOptions, where: string): { partial: number; full: number } {
  const full = indexPackage(files, opts);
  let partial = 0;
  let whole = 0;
  for (const f of files) {
    const ix = indexDeclarationsFirst(files, opts, new Set([f.name]));
    if (isDeclarationsFirst(ix)) {
      partial++;
      assert.deepEqual(ix.walkedOnly, full.files.includes(f.name) ? [f.name] : [], `${where}/${f.name}: walkedOnly`);
      // only the open file's bodies: no entries of other files
      for (const [name, list] of ix.byFile) if (name !== f.name) assert.equal(list.length, 0, `${where}/${f.name}: entries of ${name}`);
    } else whole++;
    assert.deepEqual(heatEntries(ix, f.name), heatEntries(full, f.name), `${where}/${f.name}: entries differ from the full index`);
    assert.deepEqual(ix.files, full.files);
    assert.equal(ix.symbolPrefix, full.symbolPrefix);
  }
  return { partial, full: whole };
}

test('every file of every fixture package gets the entries a full index gives it', () => {
  const ge = goEnvFromProcess();
  const ctx = defaultBuildContext();
  let partial = 0;
  let full = 0;
  let packages = 0;
  for (const dir of goDirs(fixturesDir)) {
    const pf = readPackageFiles(dir, ctx);
    if (!pf) continue;
    const loc = inferPackagePath(dir, ge);
    const pkgPath = pf.pkgName === 'main' ? 'main' : (loc?.importPath ?? path.basename(dir));
    const resolver = createSourceResolver({ fromDir: dir, goEnv: ge, ctx, module: loc?.module, shared: new Map() });
    const r = checkPackage(
      pf.files.map((f) => ({ name: f.name, text: f.text })),
      { pkgPath, resolver },
      path.relative(fixturesDir, dir),
    );
    partial += r.partial;
    full += r.full;
    packages++;
  }
  assert.ok(packages >= 8, `${packages} fixture packages`);
  // both ways are exercised: files indexed declarations-first, and files with package-level closures (full)
  assert.ok(partial >= 12, `${partial} files declarations-first`);
  assert.ok(full >= 2, `${full} files indexed fully`);
});

test('init numbers count the init functions of files whose bodies were skipped', () => {
  const files = [
    { name: 'a.go', text: 'package p\n\nfunc init() { println(1) }\n\nfunc init() { go func() {}() }\n' },
    { name: 'b.go', text: 'package p\n\nfunc helper() {}\n' },
    { name: 'c.go', text: 'package p\n\nfunc init() {\n\tf := func() { helper() }\n\tf()\n}\n\nfunc (t *T) M() { func() {}() }\n\ntype T struct{}\n' },
  ];
  const ix = indexDeclarationsFirst(files, { pkgPath: 'example.com/p' }, new Set(['c.go']));
  assert.ok(isDeclarationsFirst(ix));
  assert.deepEqual(
    heatEntries(ix, 'c.go').map((e) => e.symbol),
    ['example.com/p.init.2', 'example.com/p.init.2.func1', 'example.com/p.(*T).M', 'example.com/p.(*T).M.func1'],
  );
  checkPackage(files, { pkgPath: 'example.com/p' }, 'synthetic init');
});

test('a file with a closure in a package-level variable initialiser gets the full index', () => {
  // y's initialiser runs first (x depends on it): its closure is init.func1 although b.go comes later
  const files = [
    { name: 'a.go', text: 'package p\n\nvar x = func() int { return y + 1 }()\n\nfunc use() int { return x }\n' },
    { name: 'b.go', text: 'package p\n\nvar y = func() int { return 2 }()\n' },
    { name: 'c.go', text: 'package p\n\nfunc plain() { defer func() {}() }\n' },
  ];
  const full = indexPackage(files, { pkgPath: 'p' });
  const a = indexDeclarationsFirst(files, { pkgPath: 'p' }, new Set(['a.go']));
  assert.ok(!isDeclarationsFirst(a));
  assert.deepEqual(
    heatEntries(a, 'a.go').map((e) => e.symbol),
    ['p.init.func2', 'p.use'],
  );
  assert.deepEqual(heatEntries(a, 'a.go'), heatEntries(full, 'a.go'));
  assert.ok(isDeclarationsFirst(indexDeclarationsFirst(files, { pkgPath: 'p' }, new Set(['c.go']))));
  checkPackage(files, { pkgPath: 'p' }, 'synthetic glob');
});

test('hasVarClosure finds function literals at any depth of a var initialiser, and only there', () => {
  const decls = (src: string) => parseSourceFile('x.go', `package p\n\n${src}\n`).ast.decls;
  assert.equal(hasVarClosure(decls('var m = map[string]func(){"a": func() {}}')), true);
  assert.equal(hasVarClosure(decls('var (\n\ta = 1\n\tb = []int{len([]func(){nil, func() {}})}\n)')), true);
  assert.equal(hasVarClosure(decls('var f func()\nvar g = f')), false);
  assert.equal(hasVarClosure(decls('const c = 1\nfunc h() { var k = func() {}; k() }')), false);
});
