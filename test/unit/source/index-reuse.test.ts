/**
 * The incremental indexer returns the entry objects of the previous index() while their content
 * is equal (issue #14: the worker keeps a package's matches when every entry is identical), and
 * reuses unchanged files whole. Every incremental index is also compared with a one-shot index of
 * the same text, so a reused object that no longer describes the source fails here.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { type FuncEntry, indexPackage, type PackageIndex, PackageIndexer } from '../../../src/source/index';

/** An outlined map initialisation (`map.init.0`), a package closure (`init.func1`), calls from the synthetic init. */
const MAP = `var M = map[string]int{${Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`).join(', ')}}`;
const A = `package p\n\n${MAP}\n\nfunc f() int { return g() }\n\nfunc g() int {\n\tx := f()\n\treturn x\n}\n`;
const B = 'package p\n\nvar V = func() int { return f() }()\n\nfunc H() { g() }\n';

function fresh(files: Record<string, string>): PackageIndex {
  return indexPackage(
    Object.entries(files).map(([name, text]) => ({ name, text })),
    { pkgPath: 'p' },
  );
}

function bySym(ix: PackageIndex, sym: string): FuncEntry {
  const e = ix.bySymbol.get(sym);
  assert.ok(e, `no ${sym} in ${[...ix.bySymbol.keys()].join(', ')}`);
  return e;
}

test('an edit the index does not see returns every entry object of the previous index', () => {
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', A);
  ix.setFile('b.go', B);
  const first = ix.index();
  assert.ok(first.funcs.some((e) => e.kind === 'varinit') && first.funcs.some((e) => e.kind === 'mapinit'));
  // a comment typed at the end of a line inside g: g is walked again, its entry comes out equal
  const edited = { 'a.go': A.replace('\treturn x\n', '\treturn x // typed\n'), 'b.go': B };
  ix.setFile('a.go', edited['a.go']);
  const second = ix.index();
  assert.deepEqual(second.funcs, fresh(edited).funcs);
  assert.equal(second.funcs.length, first.funcs.length);
  second.funcs.forEach((e, i) => assert.equal(e, first.funcs[i], `${e.symbol} is a new object`));
});

test('an edit that changes a function gives it a new entry and keeps the others', () => {
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', A);
  ix.setFile('b.go', B);
  const first = ix.index();
  // one more call in g, on its own line: g changes, f (above it) and b.go do not
  const edited = { 'a.go': A.replace('\treturn x\n', '\tf()\n\treturn x\n'), 'b.go': B };
  ix.setFile('a.go', edited['a.go']);
  const second = ix.index();
  assert.deepEqual(second.funcs, fresh(edited).funcs);
  assert.notEqual(bySym(second, 'p.g'), bySym(first, 'p.g'));
  assert.equal(bySym(second, 'p.g').calls.length, 2);
  assert.equal(bySym(second, 'p.f'), bySym(first, 'p.f'));
  assert.equal(bySym(second, 'p.H'), bySym(first, 'p.H'));
  // taking the edit back brings back content equal to the first index (new objects are fine, equal content is required)
  ix.setFile('a.go', A);
  const third = ix.index();
  assert.deepEqual(third.funcs, first.funcs);
  assert.deepEqual(third.errors, first.errors);
});

test('an unchanged file is reused whole, and walked again when another file changes a package-level name it uses', () => {
  // a.go calls g2, which b.go does not declare yet
  const a = A.replace('return g()', 'return g() + g2()');
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', a);
  ix.setFile('b.go', B);
  const first = ix.index();
  assert.equal(bySym(first, 'p.f').calls.find((c) => c.callee === 'g2')?.calleeSymbol, undefined);
  // b.go declares g2: a.go's text is unchanged, its walk is not
  const b2 = B + '\nfunc g2() int { return 0 }\n';
  ix.setFile('b.go', b2);
  const second = ix.index();
  assert.deepEqual(second.funcs, fresh({ 'a.go': a, 'b.go': b2 }).funcs);
  assert.equal(bySym(second, 'p.f').calls.find((c) => c.callee === 'g2')?.calleeSymbol, 'p.g2');
  assert.equal(bySym(second, 'p.g'), bySym(first, 'p.g'));
  // only a.go changes now: b.go's entries are the same objects
  const a2 = a.replace('\treturn x\n', '\tg2()\n\treturn x\n');
  ix.setFile('a.go', a2);
  const third = ix.index();
  assert.deepEqual(third.funcs, fresh({ 'a.go': a2, 'b.go': b2 }).funcs);
  assert.equal(bySym(third, 'p.H'), bySym(second, 'p.H'));
  assert.equal(bySym(third, 'p.g2'), bySym(second, 'p.g2'));
});

test('syntax errors are reported the same by a reused file and by a one-shot index', () => {
  const broken = 'package p\n\nvar = 1\n\nfunc F() {\n\tx := \n}\n';
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', A);
  ix.setFile('c.go', broken);
  ix.index();
  const a2 = A.replace('\treturn x\n', '\treturn x // typed\n');
  ix.setFile('a.go', a2);
  const second = ix.index();
  const want = fresh({ 'a.go': a2, 'c.go': broken });
  assert.ok(want.errors.length >= 2);
  assert.deepEqual(second.errors, want.errors);
});
