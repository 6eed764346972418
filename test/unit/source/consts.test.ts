import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as A from '../../../src/source/ast';
import { constToString, ConstEnv, ConstVal, evalConst, staticBool } from '../../../src/source/consts';
import { lex } from '../../../src/source/lexer';
import { parseFile } from '../../../src/source/parser';

function expr(src: string): A.Expr {
  const ast = parseFile(lex(`package p\nvar _ = ${src}\n`));
  const x = ((ast.decls[0] as A.GenDecl).specs[0] as A.ValueSpec).values[0];
  assert.ok(x, `no expression parsed from ${src}`);
  return x;
}

const consts: Record<string, ConstVal> = {
  debug: { k: 'bool', v: false },
  size: { k: 'int', v: 8n },
  name: { k: 'string', v: 'linux' },
};

const env: ConstEnv = {
  ident: (n) => consts[n.value] ?? (n.value === 'true' ? { k: 'bool', v: true } : n.value === 'false' ? { k: 'bool', v: false } : undefined),
  qualified: (pkg, name) => (pkg === 'runtime' && name === 'GOOS' ? { k: 'string', v: 'linux' } : undefined),
  isBasicType: (name) => name === 'Mode',
};

function ev(src: string): string | undefined {
  const v = evalConst(expr(src), env);
  return v && constToString(v);
}

test('constant expressions', () => {
  assert.equal(ev('1 + 2*3'), '7');
  assert.equal(ev('1 << 10'), '1024');
  assert.equal(ev('7 / 2'), '3');
  assert.equal(ev('-7 % 3'), '-1');
  assert.equal(ev('0x10 | 0b1'), '17');
  assert.equal(ev('1.5 * 2'), '3');
  assert.equal(ev('"a" + "b"'), '"ab"');
  assert.equal(ev('size == 8 && !debug'), 'true');
  assert.equal(ev('runtime.GOOS == "windows"'), 'false');
  assert.equal(ev('name < "m"'), 'true');
  assert.equal(ev("'a' + 1"), '98');
  assert.equal(ev('len("héllo")'), '6');
  assert.equal(ev('Mode(3) + 1'), '4');
  assert.equal(ev('min(3, 1, 2)'), '1');
  assert.equal(ev('4 << (^uintptr(0) >> 63)'), '8', 'goarch.PtrSize');
  assert.equal(ev('^0'), '-1');
  assert.equal(ev('x + 1'), undefined);
  assert.equal(ev('f()'), undefined);
});

test('staticBool follows the compiler, including the rewrite of && / || operands', () => {
  assert.equal(staticBool(expr('debug'), env).v, -1);
  assert.equal(staticBool(expr('!debug'), env).v, 1);
  assert.equal(staticBool(expr('x > 0'), env).v, 0);
  const r = staticBool(expr('false && g()'), env);
  assert.equal(r.v, -1);
  assert.equal(r.kept.k, 'Name', 'the call on the right is dropped');
  const r2 = staticBool(expr('true && g()'), env);
  assert.equal(r2.v, 0);
  assert.equal(r2.kept.k, 'CallExpr', 'only the call is kept');
  assert.equal(staticBool(expr('x || true'), env).v, 1);
  // the compiler's staticBool does not look through parentheses (syntax.ParenExpr)
  assert.equal(staticBool(expr('!(false && x)'), env).v, 0);
  assert.equal(staticBool(expr('(debug)'), env).v, -1, 'but a parenthesised constant is constant');
});
