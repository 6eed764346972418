import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as A from '../../../src/source/ast';
import { lex } from '../../../src/source/lexer';
import { parseFile, unquote } from '../../../src/source/parser';

function parse(src: string): A.SourceFileAst {
  return parseFile(lex(src));
}

function funcs(ast: A.SourceFileAst): A.FuncDecl[] {
  return ast.decls.filter((d): d is A.FuncDecl => d.k === 'FuncDecl');
}

test('package clause, imports with names, dot and blank imports', () => {
  const ast = parse('package p\nimport (\n  "fmt"\n  y "gopkg.in/yaml.v3"\n  . "strings"\n  _ "embed"\n)\nimport "os"\n');
  assert.equal(ast.pkgName, 'p');
  assert.deepEqual(
    ast.imports.map((i) => [i.name, i.path]),
    [
      [undefined, 'fmt'],
      ['y', 'gopkg.in/yaml.v3'],
      ['.', 'strings'],
      ['_', 'embed'],
      [undefined, 'os'],
    ],
  );
  assert.deepEqual(ast.errors, []);
});

test('generic declarations, receivers and type parameter lists', () => {
  const ast = parse(`package p
type Pair[K comparable, V any] struct{ k K; v V }
type Arr [4]int
type Num interface{ ~int | ~float64 }
func (p *Pair[K, V]) Set(v V) {}
func (Pair[K, V]) Get() (v V) { return }
func Map[T, U any](xs []T, f func(T) U) []U { return nil }
`);
  assert.deepEqual(ast.errors, []);
  const fs = funcs(ast);
  assert.equal(fs[2]?.type.typeParams?.length, 1);
  assert.deepEqual(
    fs[2]?.type.typeParams?.[0]?.names.map((n) => n.value),
    ['T', 'U'],
  );
  const types = ast.decls.filter((d) => d.k === 'GenDecl' && d.tok === 'type').flatMap((d) => (d as A.GenDecl).specs as A.TypeSpec[]);
  assert.ok(types[0]?.typeParams, 'Pair is generic');
  assert.equal(types[1]?.typeParams, undefined, 'Arr is an array type');
  assert.equal(fs[1]?.recv?.names.length, 0);
});

test('composite literals are not allowed at the top of control clauses', () => {
  const ast = parse(`package p
func f() {
  if x == (T{}) { }
  for _, v := range []T{{1}, {2}} { _ = v }
  switch y := z.(type) { case *T, []int: _ = y }
  if v, ok := m[k]; ok { }
  for i := 0; i < n; i++ { }
  for { break }
  L: for range ch { continue L }
  select { case v := <-ch: _ = v; case ch <- 1: default: }
}`);
  assert.deepEqual(ast.errors, []);
  const body = funcs(ast)[0]?.body as A.BlockStmt;
  assert.deepEqual(
    body.list.map((s) => s.k),
    ['IfStmt', 'RangeStmt', 'SwitchStmt', 'IfStmt', 'ForStmt', 'ForStmt', 'LabeledStmt', 'SelectStmt'],
  );
  const sw = body.list[2] as A.SwitchStmt;
  assert.equal(sw.typeSwitch?.bind?.value, 'y');
});

test('calls record the opening parenthesis; func literals and conversions parse as expressions', () => {
  const ast = parse('package p\nvar x = func() int { return 1 }()\nvar y = []byte("s")\nvar z = (*T)(nil)\nvar w = F[int, string](1)\n');
  assert.deepEqual(ast.errors, []);
  const specs = ast.decls.flatMap((d) => (d as A.GenDecl).specs as A.ValueSpec[]);
  const call = specs[0]?.values[0] as A.CallExpr;
  assert.equal(call.k, 'CallExpr');
  assert.equal(call.fun.k, 'FuncLit');
  assert.equal((specs[3]?.values[0] as A.CallExpr).fun.k, 'IndexExpr');
});

test('go/defer statements keep the call and the keyword position', () => {
  const ast = parse('package p\nfunc f() {\n\tdefer mu.Unlock()\n\tgo func(x int) {}(1)\n}');
  const body = funcs(ast)[0]?.body as A.BlockStmt;
  const d = body.list[0] as A.GoDeferStmt;
  assert.equal(d.tok, 'defer');
  assert.equal((body.list[1] as A.GoDeferStmt).tok, 'go');
});

test('syntax errors are recovered from at statement and declaration level', () => {
  const ast = parse('package p\nfunc a() {\n\tx := \n\ty := 2\n}\nfunc b() { ) }\nfunc c() {}\n');
  assert.ok(ast.errors.length > 0);
  assert.deepEqual(
    funcs(ast).map((f) => f.name.value),
    ['a', 'b', 'c'],
  );
});

test('unquote handles interpreted and raw strings', () => {
  assert.equal(unquote('"a\\tb\\u00e9\\x41"'), 'a\tbéA');
  assert.equal(unquote('`raw\\n`'), 'raw\\n');
});

test('a lazily parsed body never reads past its closing brace: its errors stay inside it and its statements are kept', () => {
  // `g(x` leaves a parenthesis open: recovery used to run to the end of the file, reporting
  // errors in later declarations and dropping the body (found by fuzz.test.ts)
  const ts = lex('package p\n\nfunc f() {\n\ta := 1\n\tg(x\n}\n\nfunc h() { h() }\n');
  const ast = parseFile(ts, { lazyBodies: true });
  const [f, h] = funcs(ast);
  assert.ok(f && h && f.bodyRange && h.bodyRange);
  const body = f.body;
  assert.ok(body, 'the broken body is kept');
  assert.equal(body.list[0]?.k, 'AssignStmt');
  assert.equal(body.rbrace, f.bodyRange[1]);
  const [lb, rb] = f.bodyRange;
  assert.ok(ast.errors.length >= 1);
  for (const e of ast.errors) assert.ok(e.t >= lb && e.t <= rb, `error ${e.msg} at token ${e.t} outside the body [${lb}, ${rb}]`);
  assert.equal(h.body?.list.length, 1);
  assert.deepEqual(
    ast.errors.map((e) => ts.line[e.t]),
    [5, 6],
  );
});
