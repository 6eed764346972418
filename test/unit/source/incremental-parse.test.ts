/**
 * Re-parsing an edited file from its previous tree (incremental-parse.ts) gives exactly the tree a
 * whole-file lazy parse gives — declarations, bodies, imports, errors, the per-declaration layout
 * and the declaration signatures — after every step of seeded random edit sequences on the fixture
 * programs' files, and reuses declarations (not the whole-file fallback) for ordinary typing.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import type * as A from '../../../src/source/ast';
import { relexSplice } from '../../../src/source/incremental-lex';
import { reparse } from '../../../src/source/incremental-parse';
import { lex } from '../../../src/source/lexer';
import { parseSourceFile, type FileSyntax } from '../../../src/source/package-env';
import { parseFile, topLevelLayout } from '../../../src/source/parser';
import { fixturesDir } from '../../paths';
import { fixtureGoFiles, randomEdit, rng } from './incremental-edits';

/** Parses every function body (in declaration order, so that body errors land in the same order), then the tree as plain data. */
function settled(ast: A.SourceFileAst): unknown {
  for (const d of ast.decls) if (d.k === 'FuncDecl') void d.body;
  return { ast, layout: topLevelLayout(ast) };
}

/** What parseSourceFile derives from the tree. */
function derived(s: FileSyntax): unknown {
  return { pkgName: s.pkgName, imports: s.imports, importsC: s.importsC, envSig: s.envSig, initCount: s.initCount, declSigs: s.declSigs };
}

test('reparse equals a whole-file lazy parse after every random edit (fixture files)', () => {
  const files = fixtureGoFiles(400);
  assert.ok(files.length >= 10, `only ${files.length} fixture files`);
  const kinds = new Map<string, { spliced: number; reused: number }>();
  for (const [fi, file] of files.entries()) {
    const r = rng(3000 + fi);
    const name = path.basename(file);
    let syntax = parseSourceFile(name, fs.readFileSync(file, 'utf8'));
    for (let step = 0; step < 40; step++) {
      const e = randomEdit(syntax.text, r);
      const where = `${path.relative(fixturesDir, file)} step ${step} (${e.kind})`;
      const re = relexSplice(syntax.ts, e.text);
      const full = parseSourceFile(name, e.text);
      const next = re ? parseSourceFile(name, e.text, re.ts, { syntax, splice: re.splice }) : full;
      const k = kinds.get(e.kind) ?? { spliced: 0, reused: 0 };
      if (re) {
        k.spliced++;
        const again = reparse(syntax.ast, re.ts, re.splice);
        if (again && again.head + (again.ast.decls.length - again.tail) > 0) k.reused++;
      }
      kinds.set(e.kind, k);
      assert.deepEqual(derived(next), derived(full), where);
      assert.deepEqual(settled(next.ast), settled(full.ast), where);
      syntax = next;
    }
  }
  // when the tokens were re-lexed in part (incremental-lex.test.ts counts those), the parse is too (not for an edit on the
  // package clause's line, or in a file of one declaration)
  for (const kind of ['typing', 'typing in a comment', 'new line', 'delete in a line']) {
    const k = kinds.get(kind);
    assert.ok(k && k.spliced >= 20 && k.reused >= k.spliced * 0.7, `${kind}: ${k?.reused} of ${k?.spliced} re-parsed in part`);
  }
});

test('reparse: the parser state and lookahead at declaration boundaries', () => {
  const base = [
    'package p',
    '',
    'import "fmt"',
    '',
    'type T[P *C] struct{ x [N]int }',
    '',
    'var x = []int{1, 2}',
    '',
    'func f() {',
    '\tfmt.Println(x)',
    '}',
    '',
    'const (',
    '\ta = iota',
    '\tb',
    ')',
    '',
    'func g(a [4]int) int { return a[0] }',
    '',
    'func h() {}',
    '',
  ].join('\n');
  const edits: [string, string][] = [
    ['fmt.Println(x)', 'fmt.Println(x, 1)'], // inside a body
    ['func f() {', 'func f( {'], // a broken signature: the parser syncs to the next declaration
    ['var x = []int{1, 2}', 'var x = []int{1, 2'], // an open composite literal runs into the next declarations
    ['var x = []int{1, 2}', 'var x = [int{1, 2}'], // an error that leaves exprLev raised
    ['\tb\n', '\tb\n\tc\n'], // a const group's implicit values (shared nodes)
    ['func h() {}', 'func h() {'], // an open body to EOF
    ['func h() {}\n', 'func h() {}\nfunc i() {}\n'], // a declaration appended
    ['import "fmt"', 'import "os"'], // the imports
    ['package p', 'package q'], // the package clause
    ['type T[P *C]', 'type T[P *C, Q any]'], // lookahead deciding type parameters
    ['\n\nfunc g', '\nx := 1\nfunc g'], // a statement outside a body
  ];
  for (const [from, to] of edits) {
    const text = base.replace(from, to);
    assert.notEqual(text, base, from);
    for (const [a, b] of [
      [base, text],
      [text, base],
    ] as const) {
      const before = parseSourceFile('a.go', a);
      const re = relexSplice(before.ts, b);
      const full = parseSourceFile('a.go', b);
      const next = re ? parseSourceFile('a.go', b, re.ts, { syntax: before, splice: re.splice }) : full;
      assert.deepEqual(derived(next), derived(full), `${from} → ${to}`);
      assert.deepEqual(settled(next.ast), settled(full.ast), `${from} → ${to}`);
    }
  }
});

test('reparse keeps the declarations before and after the edit, with fresh lazy bodies', () => {
  const text = ['package p', '', 'func a() { x() }', '', 'func b() { y() }', '', 'func c() { z() }', ''].join('\n');
  const before = parseSourceFile('a.go', text);
  const edited = text.replace('y()', 'y(1, 2)');
  const re = relexSplice(before.ts, edited);
  assert.ok(re);
  const again = reparse(before.ast, re.ts, re.splice);
  assert.ok(again);
  // a and c are taken over, b is parsed again
  assert.equal(again.head, 1);
  assert.equal(again.tail, 2);
  assert.equal(again.oldTail, 2);
  const c = again.ast.decls[2] as A.FuncDecl;
  const oldC = before.ast.decls[2] as A.FuncDecl;
  assert.notEqual(c, oldC);
  assert.equal(c.t, oldC.t + re.splice.shift);
  assert.equal(re.splice.shift, 3); // `1`, `,`, `2`
  // the body is parsed from the new tokens
  const call = (c.body?.list[0] as A.ExprStmt).x as A.CallExpr;
  assert.equal(re.ts.src.slice(re.ts.start[call.t], re.ts.end[call.rparen]), 'z()');
  assert.deepEqual(settled(again.ast), settled(parseFile(lex(edited), { lazyBodies: true })));
});
