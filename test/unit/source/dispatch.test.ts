/**
 * How the PGO devirtualizer sees calls (`CallSite.dispatch`), the normalized types of
 * function-value calls (`funcType`) and of declared functions (`signature`), and
 * `importedSignature`. Expectations come from the Go 1.26 compiler's `-d=pgodebug=3` CallStats
 * for the same code (Direct / Interface / neither) and from `types.Identical`; the oracle tests
 * repeat the comparison on real packages. Imported packages are described from in-memory
 * sources (no disk).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importedSignature, indexPackage, signatureString, typeString } from '../../../src/source/index';
import type { CallSite, FuncEntry, PackageIndex } from '../../../src/source/model';
import { describePackage } from '../../../src/source/packages';
import { defaultBuildContext } from '../../../src/source/build-tags';
import { ExternalPackage, ImportResolver, parseDeclarations, parseSourceFile } from '../../../src/source/package-env';
import { extName } from '../../../src/source/types';
import type * as A from '../../../src/source/ast';

/** A resolver over in-memory packages: import path -> files. */
function memResolver(pkgs: Record<string, Record<string, string>>): ImportResolver {
  const cache = new Map<string, ExternalPackage | undefined>();
  const resolver: ImportResolver = (p) => {
    if (!cache.has(p)) {
      const files = pkgs[p];
      cache.set(
        p,
        files
          ? describePackage(
              Object.entries(files).map(([n, t]) => parseDeclarations(n, t)),
              resolver,
              defaultBuildContext(),
              p,
            )
          : undefined,
      );
    }
    return cache.get(p);
  };
  return resolver;
}

const LIB: Record<string, Record<string, string>> = {
  'example.com/lib': {
    'lib.go': `package lib

import "io"

type Shape interface {
	Area() float64
	Named
}

type Named interface{ Name() string }

type Rand struct{ seed int64 }

func (r *Rand) Intn(n int) int { return n }
func (r Rand) Seed() int64   { return r.seed }

type Builder struct{ buf []byte }

func (b *Builder) WriteString(s string) (int, error) { return len(s), nil }
func (b *Builder) Len() int                          { return len(b.buf) }

type Op func(x, y float64) float64

type Table struct {
	Fn   func(int) int
	Ops  map[string]Op
	Out  io.Writer
	Rand
}

var Hook func(string) bool
var Default = &Rand{}

const Zero Kind = 0

type Kind int

func (k Kind) String() string { return "" }

func New(seed int64) *Rand         { return &Rand{seed} }
func Get() Shape                    { return nil }
func Apply(f Op, x float64) float64 { return f(x, x) }
func Map[T, U any](xs []T, f func(T) U) []U { return nil }
func First[S ~[]E, E any](s S) E    { var e E; return e }
type Alias = Builder
type List[T any] struct{ items []T }
func (l *List[T]) At(i int) T { return l.items[i] }
`,
  },
  io: {
    'io.go': `package io

type Reader interface{ Read(p []byte) (n int, err error) }
type Writer interface{ Write(p []byte) (n int, err error) }
type ReadWriter interface {
	Reader
	Writer
}
`,
  },
};

function index(src: string, pkgs = LIB, pkgPath = 'main'): PackageIndex {
  return indexPackage([{ name: 'a.go', text: src }], { pkgPath, resolver: memResolver(pkgs) });
}

function entry(ix: PackageIndex, symbol: string): FuncEntry {
  const e = ix.bySymbol.get(symbol);
  assert.ok(e, `no entry ${symbol}; have ${[...ix.bySymbol.keys()].join(' ')}`);
  return e;
}

/** callee text -> [dispatch, calleeSymbol, funcType] of the calls of one function. */
function calls(ix: PackageIndex, symbol: string): Map<string, [string, string | undefined, string | undefined]> {
  const m = new Map<string, [string, string | undefined, string | undefined]>();
  for (const c of entry(ix, symbol).calls) m.set(c.callee, [c.dispatch, c.calleeSymbol, c.funcType]);
  return m;
}

test('dispatch: static callees, interface calls and function values (local types)', () => {
  const ix = index(`package main

type I interface{ M() int }
type T struct{ n int; fn func() int }

func (t T) M() int  { return t.n }
func (t *T) P() int { return t.n }
func foo() int      { return 1 }

type Handler func() int

type Emb struct {
	I
	*T
}

func F(t T, pt *T, i I, e Emb, err error, v any, fs []func() int, m map[string]func(int) int) {
	t.M()
	pt.M()
	pt.P()
	t.fn()
	i.M()
	e.M()
	e.P()
	err.Error()
	v.(I).M()
	fs[0]()
	m["x"](1)
	(*T).P(pt)
	T.M(t)
	(*T).M(pt)
	I.M(i)
	Handler(foo)()
	func() {}()
	_ = len(fs)
	_ = string("x")
	mk()()
}

func mk() func() int { return foo }
`);
  const c = calls(ix, 'main.F');
  assert.deepEqual(c.get('t.M'), ['static', 'main.T.M', undefined]);
  assert.deepEqual(c.get('pt.M'), ['static', 'main.T.M', undefined], 'a value method through a pointer is still T.M');
  assert.deepEqual(c.get('pt.P'), ['static', 'main.(*T).P', undefined]);
  assert.deepEqual(c.get('t.fn'), ['funcvalue', undefined, 'func() int']);
  assert.deepEqual(c.get('i.M'), ['interface', undefined, undefined]);
  assert.deepEqual(c.get('e.M'), ['interface', undefined, undefined], 'promoted through an embedded interface');
  assert.deepEqual(c.get('e.P'), ['static', 'main.(*T).P', undefined], 'promoted through an embedded pointer');
  assert.deepEqual(c.get('err.Error'), ['interface', undefined, undefined]);
  assert.deepEqual(c.get('v.(I).M'), ['interface', undefined, undefined]);
  assert.deepEqual(c.get('fs[0]'), ['funcvalue', undefined, 'func() int']);
  assert.deepEqual(c.get('m["x"]'), ['funcvalue', undefined, 'func(int) int']);
  assert.deepEqual(c.get('(*T).P'), ['static', 'main.(*T).P', undefined]);
  assert.deepEqual(c.get('T.M'), ['static', 'main.T.M', undefined]);
  // pgoir.DirectCallee: the method expression's receiver must be the method's own
  assert.equal(c.get('(*T).M')?.[0], 'funcvalue');
  assert.equal(c.get('I.M')?.[0], 'funcvalue');
  assert.deepEqual(c.get('Handler(foo)'), ['static', 'main.foo', undefined], 'a conversion between func types is seen through');
  assert.equal(c.get('func(){…}')?.[0], 'static');
  assert.equal(c.get('len')?.[0], 'static');
  assert.equal(c.get('string')?.[0], 'static');
  assert.deepEqual(c.get('mk()'), ['funcvalue', undefined, 'func() int']);
  const args = new Map(entry(ix, 'main.F').calls.map((x) => [x.callee, x.args]));
  assert.deepEqual([args.get('t.M'), args.get('m["x"]'), args.get('(*T).P'), args.get('Handler'), args.get('Handler(foo)')], [0, 1, 1, 1, 0]);
});

test('dispatch: ir.StaticValue sees through local variables defined once and never reassigned', () => {
  const ix = index(`package main

func foo() int { return 1 }
func bar() int { return 2 }

var pkgVar = foo

func F(param func() int) {
	f := foo
	f()
	g := foo
	g()
	g = bar
	h := func() int { return 3 }
	h()
	func() { f(); h() }()
	var vf = foo
	vf()
	p1, p2 := foo, bar
	p2()
	var sf func() int
	sf = foo
	sf()
	param()
	pkgVar()
	a := f
	a()
	k := foo
	_ = &k
	k()
	r := foo
	func() { r = bar }()
	r()
	_ = p1
}
`);
  const c = calls(ix, 'main.F');
  assert.deepEqual(c.get('f'), ['static', 'main.foo', undefined]);
  assert.deepEqual(c.get('g'), ['funcvalue', undefined, 'func() int'], 'reassigned later');
  assert.deepEqual(c.get('h'), ['static', 'main.F.func1', undefined]);
  assert.deepEqual(c.get('vf'), ['static', 'main.foo', undefined]);
  assert.deepEqual(c.get('p2'), ['static', 'main.bar', undefined], 'OAS2 with one value per name');
  assert.equal(c.get('sf')?.[0], 'funcvalue', 'declared without a value');
  assert.equal(c.get('param')?.[0], 'funcvalue');
  assert.equal(c.get('pkgVar')?.[0], 'funcvalue', 'package variables are always reassignable');
  assert.deepEqual(c.get('a'), ['static', 'main.foo', undefined], 'a chain of variables');
  assert.equal(c.get('k')?.[0], 'funcvalue', 'address taken');
  assert.equal(c.get('r')?.[0], 'funcvalue', 'reassigned in a closure');
  const lit = calls(ix, 'main.F.func2');
  assert.deepEqual(lit.get('f'), ['static', 'main.foo', undefined], 'captured variables too');
  assert.deepEqual(lit.get('h'), ['static', 'main.F.func1', undefined]);
});

test('dispatch: imported types, methods, fields, variables and interfaces (source resolver)', () => {
  const ix = index(`package main

import (
	"example.com/lib"
	"io"
)

func F(r *lib.Rand, b *lib.Builder, s lib.Shape, t lib.Table, rw io.ReadWriter, a *lib.Alias, l *lib.List[int]) {
	r.Intn(10)
	r.Seed()
	b.WriteString("x")
	s.Area()
	s.Name()
	t.Fn(1)
	t.Ops["+"](1, 2)
	t.Out.Write(nil)
	t.Intn(3)
	rw.Read(nil)
	lib.Hook("x")
	lib.Default.Intn(1)
	lib.New(1).Seed()
	lib.Get().Area()
	lib.Zero.String()
	a.Len()
	l.At(0)
	f := lib.Apply
	f(nil, 1)
	n, err := rw.Write(nil)
	err.Error()
	_ = n
}
`);
  const c = calls(ix, 'main.F');
  assert.deepEqual(c.get('r.Intn'), ['static', 'example.com/lib.(*Rand).Intn', undefined]);
  assert.deepEqual(c.get('r.Seed'), ['static', 'example.com/lib.Rand.Seed', undefined]);
  assert.deepEqual(c.get('b.WriteString'), ['static', 'example.com/lib.(*Builder).WriteString', undefined]);
  assert.equal(c.get('s.Area')?.[0], 'interface');
  assert.equal(c.get('s.Name')?.[0], 'interface', 'a method of an embedded interface');
  assert.deepEqual(c.get('t.Fn'), ['funcvalue', undefined, 'func(int) int']);
  assert.deepEqual(c.get('t.Ops["+"]'), ['funcvalue', undefined, 'func(float64, float64) float64'], 'the underlying type of a named func type');
  assert.equal(c.get('t.Out.Write')?.[0], 'interface');
  assert.deepEqual(c.get('t.Intn'), ['static', 'example.com/lib.(*Rand).Intn', undefined], 'promoted from an embedded struct of another package');
  assert.equal(c.get('rw.Read')?.[0], 'interface');
  assert.deepEqual(c.get('lib.Hook'), ['funcvalue', undefined, 'func(string) bool'], 'a package variable of another package');
  assert.deepEqual(c.get('lib.Default.Intn'), ['static', 'example.com/lib.(*Rand).Intn', undefined]);
  assert.deepEqual(c.get('lib.New(1).Seed'), ['static', 'example.com/lib.Rand.Seed', undefined]);
  assert.equal(c.get('lib.Get().Area')?.[0], 'interface');
  assert.deepEqual(c.get('lib.Zero.String'), ['static', 'example.com/lib.Kind.String', undefined], 'a typed constant');
  assert.deepEqual(c.get('a.Len'), ['static', 'example.com/lib.(*Builder).Len', undefined], 'through an alias');
  assert.deepEqual(c.get('l.At'), ['static', 'example.com/lib.(*List[...]).At', undefined]);
  assert.deepEqual(c.get('f'), ['static', 'example.com/lib.Apply', undefined]);
  assert.equal(c.get('err.Error')?.[0], 'interface', 'a result of an interface method promoted from an embedded interface');
});

test('dispatch: type switches, range variables, generics and type parameters', () => {
  const ix = index(`package main

import "example.com/lib"

type I interface{ M() int }
type T struct{}

func (T) M() int { return 0 }

type Num interface {
	~int
	M() int
}

type Stack[E any] struct{ xs []E }

func (s *Stack[E]) Top() E { return s.xs[len(s.xs)-1] }

func G[N Num](x N, s *Stack[N]) int {
	f := x.M
	return x.M() + f()
}

func F(v any, is []I, m map[string]I, st *Stack[T], sh []lib.Shape) {
	switch z := v.(type) {
	case I:
		z.M()
	case T, *T:
		_ = z
	}
	for _, x := range is {
		x.M()
	}
	for k, x := range m {
		x.M()
		_ = k
	}
	st.Top().M()
	lib.First(sh).Area()
	lib.Map(is, func(i I) T { return T{} })[0].M()
}
`);
  const c = calls(ix, 'main.F');
  assert.equal(c.get('z.M')?.[0], 'interface', 'a case with one interface type');
  assert.equal(
    entry(ix, 'main.F')
      .calls.filter((x) => x.callee === 'x.M')
      .every((x) => x.dispatch === 'interface'),
    true,
  );
  assert.deepEqual(c.get('st.Top().M'), ['static', 'main.T.M', undefined], 'a method result of an instantiated generic type');
  assert.equal(c.get('lib.First(sh).Area')?.[0], 'interface', 'inferred type arguments (through the core type of ~[]E)');
  assert.deepEqual(c.get('lib.Map(is, func(i I) T { return T{} })[0].M'), ['static', 'main.T.M', undefined], 'inferred from a function literal');
  const g = calls(ix, 'main.G[...]');
  // shaped code calls a type parameter's method through the dictionary: a function value
  assert.equal(g.get('x.M')?.[0], 'funcvalue');
  assert.equal(g.get('x.M')?.[2], undefined);
  // a method value in generic code is a synthetic closure: static
  assert.equal(g.get('f')?.[0], 'static');
});

test('dispatch: range-over-func iterator calls at the for keyword', () => {
  const ix = index(`package main

func count(yield func(int) bool) {}

func Count(n int) func(func(int) bool) { return count }

func F() {
	for range Count(3) {
	}
	for range count {
	}
	seq := Count(2)
	for range seq {
	}
}
`);
  const sites = entry(ix, 'main.F').calls.filter((c) => c.kind === 'range');
  assert.deepEqual(
    sites.map((c) => [c.callee, c.dispatch, c.calleeSymbol, c.funcType]),
    [
      ['Count(3)', 'funcvalue', undefined, 'func(func(int) bool)'],
      ['count', 'static', 'main.count', undefined],
      ['seq', 'funcvalue', undefined, 'func(func(int) bool)'],
    ],
  );
});

test('signature: normalized like types.Identical, receivers dropped, generic functions omitted', () => {
  const ix = index(`package main

import (
	"example.com/lib"
	"io"
)

type B = byte
type MyInt int
type T struct{}

func A(x []byte, r rune, a any, e error) (int, error)     { return 0, nil }
func B2(x []B, r int32, a interface{}, e error) (n int, err error) { return 0, nil }
func (T) M(w io.Writer, ops ...lib.Op) *lib.Rand         { return nil }
func (*T) N(ch <-chan int, s chan<- string, c chan bool) {}
func C(m map[string][4]MyInt, f func(int) (bool, error))  {}
func D(x interface{ B(); A(int) string })                 {}
func E(x interface{ A(int) string; B() })                 {}
func Gen[X any](x X) X                                     { return x }
func (r *lib.Rand) bad()                                   {}
`);
  const sig = (s: string): string | undefined => entry(ix, s).signature;
  assert.equal(sig('main.A'), 'func([]uint8, int32, interface{}, error) (int, error)');
  assert.equal(sig('main.B2'), sig('main.A'), 'aliases, byte/rune and parameter names do not matter');
  assert.equal(sig('main.T.M'), 'func(io.Writer, ...example.com/lib.Op) *example.com/lib.Rand');
  assert.equal(sig('main.(*T).N'), 'func(<-chan(int), chan<-(string), chan(bool))');
  assert.equal(sig('main.C'), 'func(map[string][4]main.MyInt, func(int) (bool, error))');
  assert.equal(sig('main.D'), sig('main.E'), 'interface methods are a set');
  assert.equal(sig('main.D'), 'func(interface{A(int) string; B()})');
  assert.equal(sig('main.Gen[...]'), undefined);
});

test('importedSignature: functions and methods of other packages by linker symbol', () => {
  const r = memResolver(LIB);
  assert.equal(importedSignature(r, 'example.com/lib.New'), 'func(int64) *example.com/lib.Rand');
  assert.equal(importedSignature(r, 'example.com/lib.(*Rand).Intn'), 'func(int) int');
  assert.equal(importedSignature(r, 'example.com/lib.Rand.Seed'), 'func() int64');
  assert.equal(importedSignature(r, 'example.com/lib.Apply'), 'func(example.com/lib.Op, float64) float64');
  assert.equal(importedSignature(r, 'example.com/lib.Rand.Intn'), undefined, 'the receiver form must match');
  assert.equal(importedSignature(r, 'example.com/lib.Map[...]'), undefined, 'generic');
  assert.equal(importedSignature(r, 'example.com/lib.(*List[...]).At'), undefined);
  assert.equal(importedSignature(r, 'example.com/lib.New.func1'), undefined, 'closures');
  assert.equal(importedSignature(r, 'example.com/nope.F'), undefined);
  // the same normalization as the index's own entries
  const ix = index('package lib\n\ntype Rand struct{}\n\nfunc New(seed int64) *Rand { return nil }\n', LIB, 'example.com/lib');
  assert.equal(entry(ix, 'example.com/lib.New').signature, importedSignature(r, 'example.com/lib.New'));
});

test('typeString: named types by path, aliases resolved, unknowns undefined', () => {
  const decl = (p: string, n: string) => (p === 'x' && n === 'A' ? { type: { k: 'Name', t: 0, value: 'int' } as A.Expr, alias: true } : undefined);
  assert.equal(typeString(extName('x', 'A'), decl), 'int');
  assert.equal(typeString(extName('x', 'B'), decl), 'x.B');
  assert.equal(typeString({ k: 'Name', t: 0, value: '\u0001T' }, decl), undefined, 'type parameters');
  const ft = parseSourceFile('a.go', 'package p\nvar f func(a, b int, c ...string) (x, y bool)\n').ast.decls[0];
  const vt = ((ft as A.GenDecl).specs[0] as A.ValueSpec).type as A.FuncType;
  assert.equal(signatureString(vt, decl), 'func(int, int, ...string) (bool, bool)');
});

test('parser: type parameter lists that start like an array length (go/parser extractName)', () => {
  const kind = (src: string): string => {
    const d = parseSourceFile('a.go', `package p\n\n${src}\n`).ast.decls[0] as A.GenDecl | undefined;
    const s = d?.specs[0] as A.TypeSpec | undefined;
    return s ? (s.typeParams ? `generic ${s.typeParams.length}` : s.type.k) : 'dropped';
  };
  assert.equal(kind('type S[T *net.IPNet | string, V net.IP | string] struct{}'), 'generic 2');
  assert.equal(kind('type S[T *C,] struct{}'), 'generic 1');
  assert.equal(kind('type S[T *int | ~string] struct{}'), 'generic 1');
  assert.equal(kind('type A [N * M]int'), 'ArrayType');
  assert.equal(kind('type A [N | M]int'), 'ArrayType');
  assert.equal(kind('type P[T *C] struct{}'), 'ArrayType', 'ambiguous: go/parser reads an array type');
});

test('scopes: a declaration does not see itself (s := s.parent, func (t *t) M())', () => {
  const ix = index(`package main

type node struct{ parent *node }

func (n *node) up() *node { return n.parent }

type loopnest struct{ f int }

func (loopnest *loopnest) M() { loopnest.g() }
func (l *loopnest) g()         {}

func F(s *node) {
	s := s.up()
	s.up()
	var lines lines
	lines.add()
}

type lines []string

func (l *lines) add() {}
`);
  assert.deepEqual(calls(ix, 'main.(*loopnest).M').get('loopnest.g'), ['static', 'main.(*loopnest).g', undefined]);
  const c = calls(ix, 'main.F');
  assert.deepEqual(c.get('s.up'), ['static', 'main.(*node).up', undefined]);
  assert.deepEqual(c.get('lines.add'), ['static', 'main.(*lines).add', undefined]);
});

test('dot imports bring types, functions and variables into scope', () => {
  const ix = index(`package main

import . "example.com/lib"

func F(s Shape, r *Rand) {
	s.Area()
	r.Intn(1)
	New(1).Seed()
	Hook("x")
	var c Kind
	c.String()
}
`);
  const c = calls(ix, 'main.F');
  assert.equal(c.get('s.Area')?.[0], 'interface');
  assert.deepEqual(c.get('r.Intn'), ['static', 'example.com/lib.(*Rand).Intn', undefined]);
  assert.deepEqual(c.get('New(1).Seed'), ['static', 'example.com/lib.Rand.Seed', undefined]);
  assert.deepEqual(c.get('Hook'), ['funcvalue', undefined, 'func(string) bool']);
  assert.deepEqual(c.get('c.String'), ['static', 'example.com/lib.Kind.String', undefined]);
});

test('unknown when the type cannot be determined; unsafe builtins have no callee symbol', () => {
  const ix = index(`package main

import (
	"unsafe"
	"example.com/missing"
)

func F(x missing.T, p unsafe.Pointer) {
	x.M()
	_ = unsafe.Sizeof(p)
	_ = (*int)(p)
}
`);
  const sites = new Map<string, CallSite>(entry(ix, 'main.F').calls.map((c) => [c.callee, c]));
  assert.equal(sites.get('x.M')?.dispatch, 'unknown');
  assert.equal(sites.get('unsafe.Sizeof')?.kind, 'builtin');
  assert.equal(sites.get('unsafe.Sizeof')?.calleeSymbol, undefined);
  assert.equal(sites.get('(*int)')?.kind, 'conversion');
});
