/**
 * Naming, start lines and call sites, checked by hand against the Go 1.26 compiler
 * (`go build -gcflags=-S -l`); the oracle tests repeat the comparison with the live toolchain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../../paths';
import { genericKey, indexPackage, PackageIndexer } from '../../../src/source/index';
import type { FuncEntry, PackageIndex } from '../../../src/source/model';
import { readPackageFiles } from '../../../src/source/packages';
import { defaultBuildContext } from '../../../src/source/build-tags';

const naming = path.join(fixturesDir, 'naming');

function index(src: string | Record<string, string>, pkgPath = 'main', minor?: number): PackageIndex {
  const files = typeof src === 'string' ? [{ name: 'a.go', text: src }] : Object.entries(src).map(([name, text]) => ({ name, text }));
  return indexPackage(files, { pkgPath, goVersion: minor ? { major: 1, minor } : undefined });
}

function table(ix: PackageIndex): [string, number][] {
  return ix.funcs.filter((f) => f.kind !== 'varinit').map((f) => [f.symbol, f.startLine]);
}

function entry(ix: PackageIndex, symbol: string): FuncEntry {
  const e = ix.bySymbol.get(symbol);
  assert.ok(e, `no entry ${symbol}; have ${[...ix.bySymbol.keys()].join(' ')}`);
  return e;
}

// What `go build -gcflags='example.com/naming/...=-S -l'` emits for the fixture (Go 1.26.8),
// generic instantiations folded with genericKey.
const FIXTURE_MAIN: [string, string, number][] = [
  ['main.init.func2', 'closures.go', 7],
  ['main.init.func1', 'closures.go', 9],
  ['main.init.func1.1', 'closures.go', 10],
  ['main.init.func3', 'closures.go', 13],
  ['main.init.func4', 'closures.go', 15],
  ['main.init.func5', 'closures.go', 15],
  ['main.init.func6', 'closures.go', 18],
  ['main.init.0', 'closures.go', 21],
  ['main.init.1', 'closures.go', 25],
  ['main.init.1.func1', 'closures.go', 26],
  ['main.nested', 'closures.go', 30],
  ['main.nested.func1', 'closures.go', 31],
  ['main.nested.func1.1', 'closures.go', 32],
  ['main.nested.func1.2', 'closures.go', 33],
  ['main.closures', 'closures.go', 37],
  ['main.closures.func1', 'closures.go', 39],
  ['main.closures.func2', 'closures.go', 41],
  ['main.closures.func2.1', 'closures.go', 43],
  ['main.constrained', 'constrained.go', 5],
  ['main.constrained.func1', 'constrained.go', 5],
  ['main.dead', 'deadcode.go', 12],
  ['main.dead.func1', 'deadcode.go', 28],
  ['main.live2', 'deadcode.go', 39],
  ['main.live2.func1', 'deadcode.go', 41],
  ['main.live2.func2', 'deadcode.go', 43],
  ['main.Sum[...]', 'generics.go', 7],
  ['main.Sum[...].func1', 'generics.go', 9],
  ['main.Map[...]', 'generics.go', 16],
  ['main.Pair[...].String', 'generics.go', 29],
  ['main.(*Pair[...]).Set', 'generics.go', 31],
  ['main.(*Box[...]).Get', 'generics.go', 35],
  ['main.Getter[...]', 'generics.go', 39],
  ['main.Getter[...].func1', 'generics.go', 40],
  ['main.Getter[...].func2', 'generics.go', 41],
  ['main.Getter[...].func3', 'generics.go', 42],
  ['main.Identity[...]', 'generics.go', 45],
  ['main.generics', 'generics.go', 47],
  ['main.generics.func1', 'generics.go', 51],
  ['main.noArgs', 'godefer.go', 10],
  ['main.withArgs', 'godefer.go', 13],
  ['main.withResult', 'godefer.go', 16],
  ['main.(*worker).stop', 'godefer.go', 20],
  ['main.GoDefer', 'godefer.go', 22],
  ['main.GoDefer.deferwrap1', 'godefer.go', 26],
  ['main.GoDefer.gowrap2', 'godefer.go', 28],
  ['main.GoDefer.deferwrap3', 'godefer.go', 29],
  ['main.GoDefer.deferwrap4', 'godefer.go', 30],
  ['main.GoDefer.deferwrap5', 'godefer.go', 32],
  ['main.GoDefer.func1', 'godefer.go', 33],
  ['main.GoDefer.deferwrap6', 'godefer.go', 34],
  ['main.GoDefer.func2', 'godefer.go', 34],
  ['main.GoDefer.deferwrap7', 'godefer.go', 35],
  ['main.GoDefer.func3', 'godefer.go', 37],
  ['main.GoDefer.func4', 'godefer.go', 40],
  ['main.GoDefer.func4.deferwrap1', 'godefer.go', 41],
  ['main.GoDefer.deferwrap8', 'godefer.go', 45],
  ['main.GoDefer.deferwrap9', 'godefer.go', 46],
  ['main.lines', 'lines.go', 3],
  ['main.generated', 'lines.go', 100], // //line generated.y:100
  ['main.generated.func1', 'lines.go', 101],
  ['main.generated2', 'lines.go', 201], // /*line generated.y:200*/ on the line before
  ['main.main', 'main.go', 11],
  ['main.Count', 'rangefunc.go', 9],
  ['main.Count.func1', 'rangefunc.go', 10],
  ['main.rangeFuncs', 'rangefunc.go', 19],
  ['main.rangeFuncs-range1', 'rangefunc.go', 21],
  ['main.rangeFuncs.func1', 'rangefunc.go', 22],
  ['main.rangeFuncs-range2', 'rangefunc.go', 24],
  ['main.rangeFuncs.deferwrap1', 'rangefunc.go', 25],
  ['main.rangeFuncs-range3', 'rangefunc.go', 33],
  ['main.rangeFuncs-range4', 'rangefunc.go', 36],
  ['main.rangeFuncs.func2', 'rangefunc.go', 44],
  ['main.rangeFuncs.func2-range1', 'rangefunc.go', 46],
  ['main.Point.Sum', 'receivers.go', 8],
  ['main.(*Point).Scale', 'receivers.go', 11],
  ['main.Point.Diff', 'receivers.go', 21],
  ['main.named.Upper', 'receivers.go', 25],
  ['main.receivers', 'receivers.go', 27],
  ['main.onLinux', 'tagged_linux.go', 3],
];

const FIXTURE_LIB: [string, string, number][] = [
  ['example.com/naming/lib%2ev2.NewStack[...]', 'lib.go', 8],
  ['example.com/naming/lib%2ev2.(*Stack[...]).Push', 'lib.go', 10],
  ['example.com/naming/lib%2ev2.(*Stack[...]).Pop', 'lib.go', 12],
  ['example.com/naming/lib%2ev2.map.init.0', 'lib.go', 19],
  ['example.com/naming/lib%2ev2.init.func1', 'lib.go', 23],
  ['example.com/naming/lib%2ev2.init.0', 'lib.go', 25],
  ['example.com/naming/lib%2ev2.Apply', 'lib.go', 29],
  ['example.com/naming/lib%2ev2.Apply.func1', 'lib.go', 30],
];

test('naming fixture (main package, linux/amd64 files): exactly the compiler functions', () => {
  const pf = readPackageFiles(naming, defaultBuildContext());
  assert.ok(pf);
  assert.deepEqual(
    pf.files.map((f) => f.name),
    ['closures.go', 'constrained.go', 'deadcode.go', 'generics.go', 'godefer.go', 'lines.go', 'main.go', 'rangefunc.go', 'receivers.go', 'tagged_linux.go'],
  );
  const ix = indexPackage(pf.files, { pkgPath: 'main' });
  assert.deepEqual(ix.errors, []);
  const got = ix.funcs
    .filter((f) => f.kind !== 'varinit')
    .map((f) => [f.symbol, f.file, f.startLine] as [string, string, number])
    .sort();
  assert.deepEqual(got, [...FIXTURE_MAIN].sort());
});

test('naming fixture (lib.v2: escaped import path, map.init, init order)', () => {
  const pf = readPackageFiles(path.join(naming, 'lib.v2'));
  assert.ok(pf);
  const ix = indexPackage(pf.files, { pkgPath: 'example.com/naming/lib.v2' });
  assert.equal(ix.symbolPrefix, 'example.com/naming/lib%2ev2');
  const got = ix.funcs.filter((f) => f.kind !== 'varinit').map((f) => [f.symbol, f.file, f.startLine] as [string, string, number]);
  assert.deepEqual(got.sort(), [...FIXTURE_LIB].sort());
});

test('profile names match index entries through genericKey', () => {
  const pf = readPackageFiles(naming);
  assert.ok(pf);
  const ix = indexPackage(pf.files, { pkgPath: 'main' });
  for (const profileName of [
    'main.Sum[go.shape.int]',
    'main.Sum[go.shape.float64].func1',
    'main.(*Pair[go.shape.string,go.shape.int]).Set',
    'main.Pair[int,bool].String',
    'main.Getter[go.shape.string].func2',
  ]) {
    assert.ok(ix.bySymbol.has(genericKey(profileName)), profileName);
  }
});

test('start lines: declarations at the token after func, literals at func, wrappers at go/defer', () => {
  const ix = index(`package main

func (
	t T,
) M() {}

type T struct{}

func F() {
	defer g(
		1,
	)
	f := func() {
	}
	f()
}

func g(int) {}
`);
  assert.equal(entry(ix, 'main.T.M').startLine, 3);
  assert.equal(entry(ix, 'main.F.deferwrap1').startLine, 10);
  assert.equal(entry(ix, 'main.F.deferwrap1').endLine, 12);
  assert.equal(entry(ix, 'main.F.func1').startLine, 13);
  assert.equal(entry(ix, 'main.F.func1').endLine, 14);
  assert.equal(entry(ix, 'main.F').endLine, 16);
});

test('call sites: line of "(", owner is the innermost function, offsets from its start', () => {
  const ix = index(`package main

import "fmt"

func F(x int) int {
	y := g(x)
	h := func() {
		fmt.Println(
			y)
	}
	h()
	return y
}

func g(x int) int { return x }
`);
  const f = entry(ix, 'main.F');
  assert.deepEqual(
    f.calls.map((c) => [c.callee, c.line, c.offset, c.kind, c.calleeSymbol]),
    [
      ['g', 6, 1, 'ident', 'main.g'],
      // h is never reassigned: the compiler sees the literal through it (ir.StaticValue)
      ['h', 11, 6, 'ident', 'main.F.func1'],
    ],
  );
  const lit = entry(ix, 'main.F.func1');
  assert.deepEqual(
    lit.calls.map((c) => [c.callee, c.line, c.offset, c.kind, c.pkgPath, c.calleeSymbol]),
    [['fmt.Println', 8, 1, 'qualified', 'fmt', 'fmt.Println']],
  );
  assert.equal(lit.calls[0]?.col, 14);
  assert.equal(lit.calls[0]?.character, 13);
});

test('call classification: builtins, conversions, methods, func literals, method symbols', () => {
  const ix = index(`package main

type T struct{ fn func() }

func (t *T) M() {}
func (t T) V() {}

func F(t *T, s []byte) {
	_ = len(s)
	_ = string(s)
	_ = T{}
	t.M()
	t.V()
	(*T).M(t)
	t.fn()
	func() {}()
	var v T
	v.M()
}
`);
  const calls = entry(ix, 'main.F').calls.map((c) => [c.callee, c.kind, c.name, c.calleeSymbol]);
  assert.deepEqual(calls, [
    ['len', 'builtin', 'len', undefined],
    ['string', 'conversion', 'string', undefined],
    ['t.M', 'method', 'M', 'main.(*T).M'],
    ['t.V', 'method', 'V', 'main.T.V'],
    ['(*T).M', 'method', 'M', 'main.(*T).M'],
    ['t.fn', 'method', 'fn', undefined],
    ['func(){…}', 'funclit', undefined, 'main.F.func1'],
    ['v.M', 'method', 'M', 'main.(*T).M'],
  ]);
});

test('//line directives: lines and offsets in the directive space, physical lines for the editor', () => {
  const ix = index('package main\n\n//line gen.y:40\nfunc F() {\n\tg()\n}\nfunc g() {}\n');
  const f = entry(ix, 'main.F');
  assert.equal(f.startLine, 40);
  assert.equal(f.physicalStartLine, 4);
  assert.equal(f.relFile, 'gen.y');
  assert.equal(f.calls[0]?.line, 41);
  assert.equal(f.calls[0]?.physicalLine, 5);
  assert.equal(f.calls[0]?.offset, 1);
});

test('go/defer: wrapper decisions and the shared counter', () => {
  const ix = index(`package main

import "sync"

type T struct{}

func (T) M() {}
func noop() {}
func arg(int) {}
func res() int { return 0 }
func G[X any]() {}

func F(t T, mu *sync.Mutex, f func(), fr func() int) {
	defer noop()
	go arg(1)
	defer res()
	defer t.M()
	defer mu.Unlock()
	defer f()
	defer fr()
	defer func() {}()
	go func(int) {}(1)
	defer panic(1)
	defer G[int]()
}
`);
  const f = entry(ix, 'main.F');
  assert.deepEqual(
    f.calls.filter((c) => c.goDefer).map((c) => [c.callee, c.goDefer, c.wrapper ?? '-']),
    [
      ['noop', 'defer', '-'],
      ['arg', 'go', 'main.F.gowrap1'],
      ['res', 'defer', 'main.F.deferwrap2'],
      ['t.M', 'defer', 'main.F.deferwrap3'],
      ['mu.Unlock', 'defer', 'main.F.deferwrap4'],
      ['f', 'defer', '-'],
      ['fr', 'defer', 'main.F.deferwrap5'],
      ['func(){…}', 'defer', '-'],
      ['func(){…}', 'go', 'main.F.gowrap6'],
      ['panic', 'defer', 'main.F.deferwrap7'],
      ['G[int]', 'defer', 'main.F.deferwrap8'],
    ],
  );
  assert.ok(ix.bySymbol.has('main.F.func1'));
  assert.ok(ix.bySymbol.has('main.F.func2'));
});

test('Go 1.21: no go/defer wrapper names, package closures are glob..funcN, no dead-code elimination', () => {
  const src = `package main

var V = func() int { return 1 }()

func F() {
	defer arg(1)
	if false {
		_ = func() {}
	}
	_ = func() {}
}

func arg(int) {}
`;
  const ix21 = index(src, 'main', 21);
  assert.ok(ix21.bySymbol.has('main.glob..func1'));
  assert.ok(ix21.bySymbol.has('main.F.func2'), 'the dead literal is numbered in 1.21');
  assert.ok(!ix21.funcs.some((f) => f.kind === 'deferwrap'));
  const ix26 = index(src);
  assert.ok(ix26.bySymbol.has('main.init.func1'));
  assert.ok(ix26.bySymbol.has('main.F.func1') && !ix26.bySymbol.has('main.F.func2'));
  assert.ok(ix26.bySymbol.has('main.F.deferwrap1'));
});

test('package-level closures follow initialisation order, across files', () => {
  const ix = index({
    'a.go': 'package main\n\nvar A = func() int { return B + C() }()\n',
    'b.go': 'package main\n\nvar B = func() int { return 2 }()\n\nfunc C() int { return D }\n\nvar D = func() int { return 4 }()\n',
  });
  // A needs B and (through C) D: B and D are initialised first, in source order.
  assert.deepEqual(
    table(ix).filter(([s]) => s.startsWith('main.init.func')),
    [
      ['main.init.func3', 3],
      ['main.init.func1', 3],
      ['main.init.func2', 7],
    ],
  );
  assert.equal(entry(ix, 'main.init.func3').file, 'a.go');
});

test('init functions are numbered across files in file-name order', () => {
  const ix = index({
    'z.go': 'package main\n\nfunc init() {}\n',
    'a.go': 'package main\n\nfunc init() {}\nfunc init() { _ = func() {} }\n',
  });
  assert.equal(entry(ix, 'main.init.0').file, 'a.go');
  assert.equal(entry(ix, 'main.init.1.func1').file, 'a.go');
  assert.equal(entry(ix, 'main.init.2').file, 'z.go');
});

test('dead code: constant conditions, terminating statements, labels', () => {
  const ix = index(`package main

import "runtime"

const off = false

func F() int {
	if off {
		_ = func() {}
	} else {
		_ = func() {} // func1
	}
	for off {
		_ = func() {}
	}
	if runtime.GOOS == "windows" {
		_ = func() {}
	}
	if x := 1; x > 0 {
		_ = func() {} // func2
	}
	return 1
	_ = func() {} // func3: live, because a label follows
L:
	_ = func() {} // func4
	goto L
	_ = func() {} // dead: after goto, and no label follows
	return 0
}
`);
  assert.deepEqual(
    table(ix).filter(([s]) => s.startsWith('main.F.')),
    [
      ['main.F.func1', 11],
      ['main.F.func2', 20],
      ['main.F.func3', 23],
      ['main.F.func4', 25],
    ],
  );
});

test('range-over-func: bodies, literals inside them, nesting, inside closures; break/continue end the body', () => {
  const ix = index(`package main

import "iter"

func Seq() iter.Seq[int] { return func(yield func(int) bool) {} }

func F() {
	for x := range Seq() {
		_ = func() int { return x }
		for range Seq() {
			defer arg(1)
		}
		break
		_ = func() {}
	}
	for range []int{} {
		break
		_ = func() {}
	}
	g := func() {
		for range Seq() {
			_ = func() {}
		}
	}
	g()
}

func arg(int) {}
`);
  assert.deepEqual(
    table(ix).filter(([s]) => s.startsWith('main.F')),
    [
      ['main.F', 7],
      ['main.F-range1', 8],
      ['main.F.func1', 9],
      ['main.F-range2', 10],
      ['main.F.deferwrap1', 11],
      ['main.F.func2', 18], // after break in an ordinary loop: live
      ['main.F.func3', 20],
      ['main.F.func3-range1', 21],
      ['main.F.func3.1', 22],
    ],
  );
  // the rewritten iterator call sits at the for keyword of the enclosing function
  const call = entry(ix, 'main.F').calls.find((c) => c.kind === 'range');
  assert.ok(call);
  assert.equal(call.line, 8);
  assert.equal(call.rangeBody, 'main.F-range1');
  assert.equal(call.callee, 'Seq()');
});

test('generic code: method values and generic function values take funcN numbers', () => {
  const ix = index(`package main

type Box[T any] struct{ v T }

func (b *Box[T]) Get() T { return b.v }

func Id[T any](x T) T { return x }

func Use[T any](b *Box[T]) func() T {
	get := b.Get
	id := Id[T]
	fixed := Id[int]
	_ = fixed
	return func() T { return id(get()) }
}
`);
  assert.deepEqual(
    table(ix).filter(([s]) => s.startsWith('main.Use')),
    [
      ['main.Use[...]', 9],
      ['main.Use[...].func1', 10],
      ['main.Use[...].func2', 11],
      ['main.Use[...].func3', 14],
    ],
  );
  assert.equal(entry(ix, 'main.Use[...].func1').kind, 'synthetic');
});

test('//go:linkname on a function with a body renames its symbol', () => {
  const ix = index('package sync\n\nimport _ "unsafe"\n\n//go:linkname hasWaiters syscall.hasWaiters\nfunc hasWaiters() bool { return false }\n', 'sync');
  assert.ok(ix.bySymbol.has('syscall.hasWaiters'));
});

test('blank functions are not compiled; bodiless declarations are not indexed', () => {
  const ix = index('package main\n\nfunc _() { _ = func() {} }\n\nfunc asm()\n\nfunc F() {}\n');
  assert.deepEqual(table(ix), [['main.F', 7]]);
});

test('incremental: re-indexing after an edit reuses unchanged declarations and shifts moved ones', () => {
  const a = 'package main\n\nfunc A() {\n\tB()\n}\n\nfunc B() { _ = func() {} }\n';
  const b = 'package main\n\nvar V = func() int { return 1 }()\n\nfunc C() { B() }\n';
  const ix = new PackageIndexer({ pkgPath: 'main' });
  ix.setFile('a.go', a);
  ix.setFile('b.go', b);
  const first = ix.index();
  assert.equal(entry(first, 'main.B.func1').startLine, 7);
  // insert two lines inside A: B moves down by two
  ix.setFile('a.go', a.replace('\tB()\n', '\tB()\n\tB()\n\tB()\n'));
  const second = ix.index();
  assert.equal(entry(second, 'main.B').startLine, 9);
  assert.equal(entry(second, 'main.B.func1').startLine, 9);
  assert.equal(entry(second, 'main.A').calls.length, 3);
  assert.deepEqual(
    entry(second, 'main.A').calls.map((c) => c.line),
    [4, 5, 6],
  );
  // b.go is untouched: the same objects come back
  assert.equal(entry(second, 'main.C'), entry(first, 'main.C'));
  // a package-level change renumbers package closures
  ix.setFile('b.go', 'package main\n\nvar W = func() int { return 0 }()\n\n' + b.slice('package main\n\n'.length));
  const third = ix.index();
  assert.equal(entry(third, 'main.init.func2').startLine, 5);
  ix.removeFile('b.go');
  assert.ok(!ix.index().bySymbol.has('main.C'));
});

test('mid-edit code still yields an index for the parts that parse', () => {
  const ix = index('package main\n\nfunc A() {\n\tx := \n}\n\nfunc B() { _ = func() {} }\n');
  assert.ok(ix.errors.length > 0);
  assert.ok(ix.bySymbol.has('main.B.func1'));
});

test('var initialiser calls belong to the synthetic init, with their own files', () => {
  const ix = index({ 'a.go': 'package main\n\nvar x = f()\n\nfunc f() int { return 1 }\n' });
  const init = ix.funcs.find((f) => f.kind === 'varinit');
  assert.ok(init);
  assert.equal(init.symbol, 'main.init');
  assert.deepEqual(
    init.calls.map((c) => [c.callee, c.line, c.offset, c.file]),
    [['f', 3, 2, 'a.go']],
  );
});

test('findBySymbol folds profile names; functionAt finds the innermost function of a line', async () => {
  const { findBySymbol, functionAt } = await import('../../../src/source/index');
  const ix = index('package main\n\nfunc Sum[T any](x T) T {\n\tf := func() T {\n\t\treturn x\n\t}\n\treturn f()\n}\n');
  assert.equal(findBySymbol(ix, 'main.Sum[go.shape.int].func1')?.startLine, 4);
  assert.equal(functionAt(ix, 'a.go', 5)?.symbol, 'main.Sum[...].func1');
  assert.equal(functionAt(ix, 'a.go', 7)?.symbol, 'main.Sum[...]');
  assert.equal(functionAt(ix, 'a.go', 1), undefined);
});

test('incremental: cached functions are re-analysed when a package-level name they used changes', () => {
  const ix = new PackageIndexer({ pkgPath: 'main' });
  ix.setFile('a.go', 'package main\n\nfunc F() {\n\tif debug {\n\t\t_ = func() {}\n\t}\n\t_ = func() {}\n\tdefer G()\n}\n\nfunc (a A) M() {}\n');
  ix.setFile('b.go', 'package main\n\nconst debug = false\n\nfunc G() {}\n\ntype T struct{}\n\ntype A = T\n');
  let r = ix.index();
  assert.equal(entry(r, 'main.F.func1').startLine, 7, 'the literal under `if debug` is dead');
  assert.ok(!r.funcs.some((f) => f.kind === 'deferwrap'));
  assert.ok(r.bySymbol.has('main.T.M'), 'a method through an alias belongs to the aliased type');
  // b.go changes: debug becomes true, G gets a result, A becomes its own type
  ix.setFile('b.go', 'package main\n\nconst debug = true\n\nfunc G() int { return 0 }\n\ntype T struct{}\n\ntype A struct{}\n');
  r = ix.index();
  assert.equal(entry(r, 'main.F.func1').startLine, 5);
  assert.equal(entry(r, 'main.F.func2').startLine, 7);
  assert.ok(r.bySymbol.has('main.F.deferwrap1'), 'G has a result now: a wrapper');
  assert.ok(r.bySymbol.has('main.A.M') && !r.bySymbol.has('main.T.M'));
  // an unrelated addition keeps everything
  const before = entry(r, 'main.F');
  ix.setFile('b.go', 'package main\n\nconst debug = true\n\nfunc G() int { return 0 }\n\ntype T struct{}\n\ntype A struct{}\n\nvar unrelated = 1\n');
  r = ix.index();
  assert.equal(entry(r, 'main.F'), before);
});

test('incremental: a body broken past its closing brace gives the same errors on every index() and keeps its function', () => {
  // the lazily parsed body's errors used to leak past the body: the second index() reported
  // them as top-level errors (the incremental index differed from the batch one; fuzz.test.ts)
  const text = 'package p\n\nfunc f() {\n\tg(x\n}\n\nfunc h() { h() }\n';
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', text);
  const first = ix.index();
  const second = ix.index();
  assert.deepEqual(second.errors, first.errors);
  assert.deepEqual(indexPackage([{ name: 'a.go', text }], { pkgPath: 'p' }).errors, first.errors);
  assert.deepEqual(
    first.errors.map((e) => e.line),
    [4, 5],
  );
  assert.deepEqual(
    first.funcs.map((f) => f.symbol),
    ['p.f', 'p.h'],
  );
  assert.equal(first.bySymbol.get('p.h')?.calls.length, 1);
});

test('incremental: calls in a package variable initialiser that moved keep their offset from the synthetic init', () => {
  // the cached initialiser walk was shifted to the new line without its offsets (found by fuzz.test.ts)
  const before = 'package p\n\nvar x = f()\n\nfunc f() int { return 1 }\n';
  const after = '// a new first line\n' + before;
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', before);
  assert.equal(ix.index().bySymbol.get('p.init')?.calls[0]?.offset, 2);
  ix.setFile('a.go', after);
  const call = ix.index().bySymbol.get('p.init')?.calls[0];
  assert.deepEqual([call?.line, call?.offset], [4, 3]);
  assert.deepEqual(call, indexPackage([{ name: 'a.go', text: after }], { pkgPath: 'p' }).bySymbol.get('p.init')?.calls[0]);
});

test('incremental: declarations walked while the file had a //line directive are not reused once it is gone', () => {
  // the walk under a directive (relFile, no noCode) was cached and reused after the directive
  // was deleted: F lost its noCode lines (found by fuzz.test.ts)
  const plain = 'package p\n\nvar v = func() int {\n\n\treturn 1\n}()\n\nfunc F() {\n\n\t// c\n\tG()\n}\n\nfunc G() {}\n';
  const directive = plain.replace('func G() {}', '//line other.go:100\nfunc G() {}');
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', directive);
  ix.index();
  ix.setFile('a.go', plain);
  const incremental = ix.index();
  const batch = indexPackage([{ name: 'a.go', text: plain }], { pkgPath: 'p' });
  assert.deepEqual(incremental.bySymbol.get('p.F')?.noCode, [1, 2]);
  assert.deepEqual(incremental.funcs, batch.funcs);
});

test('incremental: a cached constant value brings its dependencies into every walk that uses it', () => {
  // G reused the value of A computed for F without recording that A depends on B: after B changed,
  // G's cached walk kept the old dead-code decision (a closure missing)
  const text = (b: number): string =>
    `package p\n\nconst A = B + 1\n\nconst B = ${b}\n\nfunc F() {\n\tif A > 2 {\n\t\tfunc() {}()\n\t}\n}\n\nfunc G() {\n\tif A > 2 {\n\t\tfunc() {}()\n\t}\n}\n`;
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', text(1));
  assert.deepEqual(
    ix.index().funcs.map((f) => f.symbol),
    ['p.F', 'p.G'],
  );
  ix.setFile('a.go', text(5));
  assert.deepEqual(
    ix.index().funcs.map((f) => f.symbol),
    ['p.F', 'p.F.func1', 'p.G', 'p.G.func1'],
  );
});

test('incremental: a cached interface method set brings its dependencies into every walk that uses it', () => {
  // two versions of goldmark's renderer.go from the front-end fuzz (FUZZ_SEED=7, edit sequence
  // 326: the import block moved into an interface): a call kept the method set computed before
  const dir = path.join(repoRoot, 'test', 'unit', 'source', 'testdata');
  const before = readFileSync(path.join(dir, 'stale-iface-before.go.txt'), 'utf8');
  const after = readFileSync(path.join(dir, 'stale-iface-after.go.txt'), 'utf8');
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('renderer.go', before);
  ix.index();
  ix.setFile('renderer.go', after);
  const incremental = ix.index();
  const batch = indexPackage([{ name: 'renderer.go', text: after }], { pkgPath: 'p' });
  assert.ok(batch.funcs.some((f) => f.calls.some((c) => c.dispatch === 'interface')));
  assert.deepEqual(incremental.funcs, batch.funcs);
});

test('incremental: a pragma added above an unchanged function re-estimates its inline cost', () => {
  // the cached walk (with its inline estimate) was keyed by the text from func to } only (found by fuzz.test.ts)
  const plain = 'package p\n\nfunc F() { g() }\n\nfunc g() {}\n';
  const marked = plain.replace('func F', '//go:noinline\nfunc F');
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', plain);
  assert.equal(ix.index().bySymbol.get('p.F')?.inline?.refusal, undefined);
  ix.setFile('a.go', marked);
  const incremental = ix.index();
  assert.equal(incremental.bySymbol.get('p.F')?.inline?.refusal, 'marked go:noinline');
  assert.deepEqual(incremental.funcs, indexPackage([{ name: 'a.go', text: marked }], { pkgPath: 'p' }).funcs);
});
