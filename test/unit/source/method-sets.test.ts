/**
 * Method sets and interface satisfaction (method-sets.ts) over in-memory packages. The
 * expectations are the Go spec's rules; every `implements` and method-set size of the
 * `example.com/ast` package below was checked with go/types (`types.Implements`,
 * `types.NewMethodSet`) on Go 1.26.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBuildContext } from '../../../src/source/build-tags';
import { describePackage } from '../../../src/source/packages';
import { type ExternalPackage, type ImportResolver, parseDeclarations } from '../../../src/source/package-env';
import { implementsInterface, interfaceMethodSet, methodSet, receiverOfSymbol, typeSource } from '../../../src/source/method-sets';
import { extName } from '../../../src/source/types';
import { indexPackage } from '../../../src/source/index';

function memResolver(pkgs: Record<string, string>): ImportResolver {
  const cache = new Map<string, ExternalPackage | undefined>();
  const resolver: ImportResolver = (p) => {
    if (!cache.has(p)) {
      const text = pkgs[p];
      cache.set(p, text ? describePackage([parseDeclarations('a.go', text)], resolver, defaultBuildContext(), p) : undefined);
    }
    return cache.get(p);
  };
  return resolver;
}

const PKGS: Record<string, string> = {
  'example.com/ast': `package ast

type Node interface {
	Parent() Node
	Eval(env map[string]float64) float64
}

type BaseNode struct{ parent Node }

func (b *BaseNode) Parent() Node { return b.parent }

type Num struct {
	BaseNode
	V float64
}

func (n *Num) Eval(env map[string]float64) float64 { return n.V }

type Val struct{ BaseNode }

func (v Val) Eval(env map[string]float64) float64 { return 0 }

type PtrEmbed struct{ *BaseNode }

func (p PtrEmbed) Eval(env map[string]float64) float64 { return 0 }

type WrongSig struct{ BaseNode }

func (w *WrongSig) Eval(env map[string]int) float64 { return 0 }

type A struct{}

func (A) Name() string { return "a" }

type B struct{}

func (B) Name() string { return "b" }

type Both struct {
	A
	B
}

type Shadow struct {
	A
	Name string
}

type Deeper struct {
	Both
}

type Namer interface{ Name() string }

type HasNamer struct{ Namer }

type Defined Num

type Alias = Num

type ErrT struct{ error }

type hidden interface{ secret() int }

type Own struct{}

func (Own) secret() int { return 1 }
`,
  'example.com/other': `package other

import "example.com/ast"

type Foreign struct{}

func (Foreign) secret() int { return 2 }

type Wrap struct{ *ast.Num }

type Unknown struct {
	missing.T
}

func (Unknown) Name() string { return "" }
`,
};

const src = typeSource(memResolver(PKGS));
const AST = 'example.com/ast';
const ifaceOf = (path: string, name: string): Map<string, string> => interfaceMethodSet(src.decl, extName(path, name), path)!;
const impl = (path: string, name: string, pointer: boolean, iface: Map<string, string>) => implementsInterface(src, { path, name, pointer }, iface);

test('a pointer-receiver method promoted from an embedded struct does not make the embedder a Node by itself', () => {
  const node = ifaceOf(AST, 'Node');
  assert.deepEqual([...node.keys()].sort(), ['Eval', 'Parent']);
  // *BaseNode has Parent but no Eval
  assert.equal(impl(AST, 'BaseNode', true, node), false);
  const ms = methodSet(src, { path: AST, name: 'BaseNode', pointer: true })!;
  assert.deepEqual([...ms.methods.keys()], ['Parent']);
  assert.equal(ms.methods.get('Parent')!.symbol, 'example.com/ast.(*BaseNode).Parent');
  // *Num: Eval declared, Parent promoted from the embedded BaseNode (addressable through *Num)
  assert.equal(impl(AST, 'Num', true, node), true);
  const num = methodSet(src, { path: AST, name: 'Num', pointer: true })!;
  assert.equal(num.methods.get('Parent')!.depth, 1);
  assert.equal(num.methods.get('Eval')!.depth, 0);
  // Num (value): Eval has a pointer receiver and BaseNode.Parent needs *BaseNode
  assert.equal(impl(AST, 'Num', false, node), false);
  assert.deepEqual([...methodSet(src, { path: AST, name: 'Num', pointer: false })!.methods.keys()], []);
});

test('value receivers and embedded pointers', () => {
  const node = ifaceOf(AST, 'Node');
  // Val: value Eval, but Parent of the embedded value BaseNode is a pointer method
  assert.equal(impl(AST, 'Val', false, node), false);
  assert.equal(impl(AST, 'Val', true, node), true);
  // PtrEmbed embeds *BaseNode: even the value type gets Parent
  assert.equal(impl(AST, 'PtrEmbed', false, node), true);
  // a method with another signature does not count
  assert.equal(impl(AST, 'WrongSig', true, node), false);
});

test('same-depth collisions cancel, fields hide, depth decides', () => {
  const namer = ifaceOf(AST, 'Namer');
  assert.equal(impl(AST, 'A', false, namer), true);
  // Both embeds A and B, each with Name at depth 1: ambiguous, not in the method set
  assert.equal(impl(AST, 'Both', false, namer), false);
  assert.equal(methodSet(src, { path: AST, name: 'Both', pointer: true })!.methods.has('Name'), false);
  // Deeper embeds Both: the collision still hides Name one level down
  assert.equal(impl(AST, 'Deeper', true, namer), false);
  // a field named Name at depth 0 hides A.Name at depth 1
  assert.equal(impl(AST, 'Shadow', true, namer), false);
  // an embedded interface promotes its methods
  assert.equal(impl(AST, 'HasNamer', false, namer), true);
  assert.equal(methodSet(src, { path: AST, name: 'HasNamer', pointer: false })!.methods.get('Name')!.symbol, undefined);
});

test('defined types do not inherit methods, aliases are the type; error embeds', () => {
  const node = ifaceOf(AST, 'Node');
  // type Defined Num: no Eval of its own, but the embedded BaseNode's Parent is still promoted
  const d = methodSet(src, { path: AST, name: 'Defined', pointer: true })!;
  assert.deepEqual([...d.methods.keys()], ['Parent']);
  assert.equal(impl(AST, 'Defined', true, node), false);
  assert.equal(impl(AST, 'Alias', true, node), true);
  const errIface = interfaceMethodSet(src.decl, { k: 'Name', t: 0, value: 'error' }, AST)!;
  assert.equal(impl(AST, 'ErrT', false, errIface), true);
  // a pointer to an interface type has no methods
  assert.equal(methodSet(src, { path: AST, name: 'Namer', pointer: true })!.methods.size, 0);
  assert.equal(impl(AST, 'Namer', false, ifaceOf(AST, 'Namer')), true);
});

test('unexported methods belong to their package', () => {
  const hidden = ifaceOf(AST, 'hidden');
  assert.deepEqual([...hidden.keys()], ['example.com/ast.secret']);
  assert.equal(impl(AST, 'Own', false, hidden), true);
  assert.equal(impl('example.com/other', 'Foreign', false, hidden), false);
});

test('across packages, and what cannot be told', () => {
  const node = ifaceOf(AST, 'Node');
  // Wrap embeds *ast.Num: both Eval and Parent promoted
  assert.equal(impl('example.com/other', 'Wrap', false, node), true);
  const w = methodSet(src, { path: 'example.com/other', name: 'Wrap', pointer: false })!;
  assert.equal(w.methods.get('Parent')!.depth, 2);
  assert.equal(w.methods.get('Parent')!.symbol, 'example.com/ast.(*BaseNode).Parent');
  // an embedded type from a package that cannot be resolved: the method set is incomplete
  const u = methodSet(src, { path: 'example.com/other', name: 'Unknown', pointer: false })!;
  assert.equal(u.complete, false);
  assert.equal(impl('example.com/other', 'Unknown', false, node), undefined);
  assert.equal(impl('example.com/other', 'Unknown', false, ifaceOf(AST, 'Namer')), true);
  assert.equal(methodSet(src, { path: 'example.com/nope', name: 'T', pointer: false }), undefined);
});

test('receiverOfSymbol reads the declared receiver', () => {
  assert.deepEqual(receiverOfSymbol('example.com/ast.(*Num).Eval'), { path: 'example.com/ast', name: 'Num', pointer: true, method: 'Eval' });
  assert.deepEqual(receiverOfSymbol('example.com/m/p%2ev2.T.M'), { path: 'example.com/m/p.v2', name: 'T', pointer: false, method: 'M' });
  assert.equal(receiverOfSymbol('example.com/ast.F'), undefined);
  assert.equal(receiverOfSymbol('example.com/ast.F.func1'), undefined);
  assert.equal(receiverOfSymbol('example.com/ast.(*List[...]).Push'), undefined);
});

test('CallSite.ifaceMethods: the interface the call goes through', () => {
  const ix = indexPackage(
    [
      {
        name: 'a.go',
        text: `package p

type I interface{ M() int }

type J interface {
	I
	N(s string) error
}

type S struct{ I }

func f(i I, j J, s S, e error) {
	i.M()
	j.M()
	s.M()
	_ = e.Error()
}
`,
      },
    ],
    { pkgPath: 'example.com/p' },
  );
  const calls = ix.bySymbol.get('example.com/p.f')!.calls;
  const at = (callee: string) => calls.find((c) => c.callee === callee)!;
  assert.deepEqual(at('i.M').ifaceMethods, ['M func() int']);
  // through J: J's whole method set, the embedded I's method included
  assert.deepEqual(at('j.M').ifaceMethods, ['M func() int', 'N func(string) error']);
  // promoted from the struct's embedded I: the call goes through I
  assert.equal(at('s.M').dispatch, 'interface');
  assert.deepEqual(at('s.M').ifaceMethods, ['M func() int']);
  assert.deepEqual(at('e.Error').ifaceMethods, ['Error func() string']);
});
