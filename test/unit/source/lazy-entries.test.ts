/**
 * Bodies walked on demand for a universe's callee costs (lazy-entries.ts): every symbol the full
 * index has, and symbols it does not have, are answered by `bySymbol.get` as `indexPackage`
 * answers them, in a shuffled order, on every fixture and corpus package and on a package built
 * to break it (linkname targets in and out of the package, closures in variable initialisers,
 * `init` functions, methods of one name on several types, generics, a broken duplicate).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { defaultBuildContext, type SourceFile } from '../../../src/source/index';
import { lazyOutsideIndex } from '../../../src/source/lazy-entries';
import { checkLazyEntries } from './lazy-entries-check';
import { createSourceResolver, goEnvFromProcess, inferPackagePath, readPackageFiles } from '../../../src/source/packages';
import { fixturesDir, repoRoot } from '../../paths';

function goDirs(dir: string): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name.endsWith('.go'))) out.push(dir);
  for (const e of entries) if (e.isDirectory() && e.name !== 'testdata') out.push(...goDirs(path.join(dir, e.name)));
  return out.sort();
}

const ge = goEnvFromProcess();
const ctx = defaultBuildContext();

test('entries walked on demand equal the full index on every fixture and corpus package', () => {
  let symbols = 0;
  let seed = 1;
  for (const dir of [...goDirs(fixturesDir), ...goDirs(path.join(repoRoot, 'test', 'corpus'))]) {
    const pf = readPackageFiles(dir, ctx);
    const loc = inferPackagePath(dir, ge);
    if (!pf || !loc || pf.pkgName === 'main') continue;
    const resolver = createSourceResolver({ fromDir: dir, goEnv: ge, ctx, module: loc.module, outside: null });
    symbols += checkLazyEntries(pf.files, { pkgPath: loc.importPath, resolver }, seed++);
  }
  assert.ok(symbols > 500, `symbols checked: ${symbols}`);
});

const BUILT: SourceFile[] = [
  {
    name: 'a.go',
    text: `package p

import _ "unsafe"

//go:linkname localName example.com/p.OtherName
func localName() int { return 1 }

//go:linkname fromElsewhere q.Target
func fromElsewhere() int { f := func() int { return 2 }; return f() }

var handlers = map[string]func() int{"a": func() int { return 3 }}

var table = func() []int { return []int{1, 2} }()

func init() { _ = handlers }

type T struct{ n int }

func (t T) String() string { return "T" }

func (t *T) Inc() { go func() { t.n++ }(); defer t.Inc() }
`,
  },
  {
    name: 'b.go',
    text: `package p

func init() { _ = table }

type U struct{}

func (U) String() string { g := func() string { return "U" }; return g() }

func Map[S ~[]E, E any](s S, f func(E) E) S { for i := range s { s[i] = f(s[i]) }; return s }

type List[E any] struct{ items []E }

func (l *List[E]) Push(e E) { l.items = append(l.items, e) }

func Seq(yield func(int) bool) { for i := range 3 { if !yield(i) { return } } }

func Use() { for x := range Seq { _ = x } }
`,
  },
  { name: 'c_test.go', text: 'package p_test\n\nfunc Helper() {}\n' },
];

test('entries walked on demand: linknames, variable-initialiser closures, init, repeated method names, generics', () => {
  const n = checkLazyEntries(BUILT, { pkgPath: 'example.com/p' }, 7);
  assert.ok(n >= 12, `symbols: ${n}`);
  const lazy = lazyOutsideIndex(BUILT, { pkgPath: 'example.com/p' });
  // a linkname inside the package renames the entry; one to another package's symbol is there under that symbol
  assert.equal(lazy.bySymbol.get('example.com/p.OtherName')?.name, 'localName');
  assert.equal(lazy.bySymbol.get('q.Target')?.symbol, 'q.Target');
  assert.equal(lazy.bySymbol.get('example.com/p.localName'), undefined);
});

test('a broken package with one symbol declared twice answers as the full index (the first)', () => {
  const files: SourceFile[] = [
    { name: 'a.go', text: 'package p\n\nfunc F() int { return 1 }\n' },
    { name: 'b.go', text: 'package p\n\nfunc F() int { return 2 }\n' },
  ];
  checkLazyEntries(files, { pkgPath: 'p' }, 3);
  assert.equal(lazyOutsideIndex(files, { pkgPath: 'p' }).bySymbol.get('p.F')?.file, 'a.go');
});
