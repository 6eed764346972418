import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteColumn, lex, relFileAt, relLineAt, Tok, TOKEN_FLAG_AUTO_SEMI, tokText, TokenStream } from '../../../src/source/lexer';

function toks(ts: TokenStream): string[] {
  const out: string[] = [];
  for (let i = 0; i < ts.count; i++) {
    const k = ts.kind[i];
    if (k === Tok.EOF) out.push('EOF');
    else if (k === Tok.Semi && (ts.flags[i] ?? 0) & TOKEN_FLAG_AUTO_SEMI) out.push(';auto');
    else out.push(tokText(ts, i));
  }
  return out;
}

test('automatic semicolons after identifiers, literals, keywords and closing brackets', () => {
  const ts = lex('x := f(a)\nreturn\nbreak\ny++\n}\n]\n"s"\n`r`\n\'c\'\n1.5\n+\nz');
  assert.deepEqual(toks(ts), [
    'x',
    ':=',
    'f',
    '(',
    'a',
    ')',
    ';auto',
    'return',
    ';auto',
    'break',
    ';auto',
    'y',
    '++',
    ';auto',
    '}',
    ';auto',
    ']',
    ';auto',
    '"s"',
    ';auto',
    '`r`',
    ';auto',
    "'c'",
    ';auto',
    '1.5',
    ';auto',
    '+',
    'z',
    ';auto',
    'EOF',
  ]);
});

test('no semicolon after operators and opening brackets; semicolon at EOF', () => {
  const ts = lex('a +\n b(\n c,\n)');
  assert.deepEqual(toks(ts), ['a', '+', 'b', '(', 'c', ',', ')', ';auto', 'EOF']);
});

test('comments: line comments end statements, multi-line block comments act as newlines', () => {
  assert.deepEqual(toks(lex('a // c\nb')), ['a', ';auto', 'b', ';auto', 'EOF']);
  assert.deepEqual(toks(lex('a /* x */ b')), ['a', 'b', ';auto', 'EOF']);
  assert.deepEqual(toks(lex('a /* x\n y */ b')), ['a', ';auto', 'b', ';auto', 'EOF']);
  // a comment containing quotes and backquotes does not start literals
  assert.deepEqual(toks(lex('a // "not `a string\nb')), ['a', ';auto', 'b', ';auto', 'EOF']);
});

test('raw strings span lines; runes and escapes do not end strings early', () => {
  const ts = lex('x := `line1\n"still raw"\nline3` + "q\\"uote" + \'\\\'\'\ny');
  const t = toks(ts);
  assert.equal(t[2], '`line1\n"still raw"\nline3`');
  assert.equal(t[4], '"q\\"uote"');
  assert.equal(t[6], "'\\''");
  // the token after the raw string is on line 4, the raw string itself on line 1
  assert.equal(ts.line[2], 1);
  const y = t.indexOf('y');
  assert.equal(ts.line[y], 4);
});

test('numbers: hex, octal, binary, floats, imaginary, underscores, .5 and 1e-3', () => {
  const ts = lex('0x1F 0o17 0b1010 017 1_000 1.5 .5 1e-3 0x1p-2 2i 3.0i');
  const kinds = Array.from(ts.kind.slice(0, 11));
  assert.deepEqual(kinds, [Tok.Int, Tok.Int, Tok.Int, Tok.Int, Tok.Int, Tok.Float, Tok.Float, Tok.Float, Tok.Float, Tok.Imag, Tok.Imag]);
  assert.equal(tokText(ts, 7), '1e-3');
});

test('operators are split the Go way', () => {
  assert.deepEqual(toks(lex('a&^=b<<=c...d<-e&&f||g!=h:=i')), [
    'a',
    '&^=',
    'b',
    '<<=',
    'c',
    '...',
    'd',
    '<-',
    'e',
    '&&',
    'f',
    '||',
    'g',
    '!=',
    'h',
    ':=',
    'i',
    ';auto',
    'EOF',
  ]);
});

test('keywords vs identifiers', () => {
  const ts = lex('func funcs go gox range ranger defer fallthrough');
  assert.deepEqual(Array.from(ts.kind.slice(0, 8)), [Tok.Func, Tok.Ident, Tok.Go, Tok.Ident, Tok.Range, Tok.Ident, Tok.Defer, Tok.Fallthrough]);
});

test('//line directives change RelLine from the next line on', () => {
  const src = 'package p\n//line foo.y:100\nfunc a() {}\nfunc b() {}\n';
  const ts = lex(src);
  assert.equal(ts.lineDirectives.length, 1);
  const a = src.indexOf('a()');
  const b = src.indexOf('b()');
  assert.equal(relLineAt(ts, a, 3), 100);
  assert.equal(relLineAt(ts, b, 4), 101);
  assert.equal(relFileAt(ts, a), 'foo.y');
  // before the directive, lines are physical
  assert.equal(relLineAt(ts, 0, 1), 1);
});

test('//line must start at column 1; /*line*/ applies right after the comment, mid-line', () => {
  const src = 'package p\n  //line ignored.y:5\nvar x = 1 /*line mid.y:50*/ + f()\nvar y = 2\n';
  const ts = lex(src);
  assert.equal(ts.lineDirectives.length, 1);
  assert.equal(ts.lineDirectives[0]?.relFile, 'mid.y');
  const before = src.indexOf('1 /*');
  const after = src.indexOf('f()');
  assert.equal(relLineAt(ts, before, 3), 3);
  assert.equal(relLineAt(ts, after, 3), 50);
  assert.equal(relLineAt(ts, src.indexOf('y ='), 4), 51);
});

test('line directive forms: file:line:col, empty file, invalid numbers are ignored', () => {
  const ts = lex('//line a.go:10:5\nx\n//line :20:1\ny\n//line b.go:zz\nz\n//line c.go:0\nw\n');
  assert.deepEqual(
    ts.lineDirectives.map((d) => [d.relFile, d.relLine]),
    [
      ['a.go', 10],
      ['a.go', 20],
    ],
  );
});

test('//go:build header and // +build lines; pragmas recorded with lines', () => {
  const ts = lex(
    '// Copyright\n\n//go:build linux && !cgo\n// +build linux,!cgo\n\npackage p\n\n//go:noinline\nfunc f() {}\n//go:build ignored-after-package\n',
  );
  assert.equal(ts.goBuild, 'linux && !cgo');
  assert.deepEqual(ts.plusBuild, ['linux,!cgo']);
  assert.ok(ts.goDirectives.some((d) => d.text === 'go:noinline' && d.line === 8));
});

test('columns: UTF-16 for editors, bytes for the compiler', () => {
  const src = 'x := "héllo" + f()';
  const ts = lex(src);
  const lp = src.indexOf('(');
  assert.equal(byteColumn(ts, lp, 1), lp + 2); // é is two bytes
  assert.ok(ts.nonAscii);
  const ident = lex('π := 1');
  assert.equal(ident.kind[0], Tok.Ident);
  assert.equal(tokText(ident, 0), 'π');
});

test('never throws on garbage, unterminated literals and a BOM', () => {
  for (const s of ['\uFEFFpackage p', '"unterminated\nx', '`never closed', "'", '/* open', '@#$%', '']) {
    const ts = lex(s);
    assert.equal(ts.kind[ts.count - 1], Tok.EOF);
  }
  assert.equal(lex('\uFEFFpackage p').kind[0], Tok.Package);
});

test('token positions: line, column and line-start flags', () => {
  const ts = lex('a\n\tb c');
  assert.equal(ts.line[2], 2); // b
  assert.equal(ts.col[2], 2);
  assert.equal(ts.col[3], 4); // c
  assert.equal(ts.lineCount, 2);
});
