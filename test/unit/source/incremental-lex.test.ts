/**
 * Re-lexing an edited file from its previous tokens (incremental-lex.ts) gives exactly the token
 * stream a whole-file lex gives, after every step of seeded random edit sequences on the fixture
 * programs' files, and is taken (not the whole-file fallback) for ordinary typing.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { relex } from '../../../src/source/incremental-lex';
import { lex, type TokenStream } from '../../../src/source/lexer';
import { fixturesDir } from '../../paths';
import { fixtureGoFiles, randomEdit, rng } from './incremental-edits';

/** Every field of a token stream, as plain data. */
function plain(ts: TokenStream): unknown {
  return {
    src: ts.src,
    count: ts.count,
    kind: [...ts.kind],
    start: [...ts.start],
    end: [...ts.end],
    line: [...ts.line],
    col: [...ts.col],
    flags: [...ts.flags],
    lineStarts: [...ts.lineStarts],
    lineCount: ts.lineCount,
    lineDirectives: ts.lineDirectives,
    goDirectives: ts.goDirectives,
    goBuild: ts.goBuild,
    plusBuild: ts.plusBuild,
    nonAscii: ts.nonAscii,
  };
}

/** A stream's token and line tables (copies when `copy`), compared natively by deepEqual. */
function columns(ts: TokenStream, copy: boolean): unknown {
  const c = <T extends Uint8Array | Uint32Array>(a: T): T => (copy ? (a.slice() as T) : a);
  return { kind: c(ts.kind), start: c(ts.start), end: c(ts.end), line: c(ts.line), col: c(ts.col), flags: c(ts.flags), lineStarts: c(ts.lineStarts) };
}

test('relex equals a whole-file lex after every random edit (fixture files)', () => {
  const files = fixtureGoFiles(400);
  assert.ok(files.length >= 10, `only ${files.length} fixture files`);
  const kinds = new Map<string, { n: number; spliced: number }>();
  for (const [fi, file] of files.entries()) {
    const r = rng(1000 + fi);
    let text = fs.readFileSync(file, 'utf8');
    let ts = lex(text);
    for (let step = 0; step < 30; step++) {
      const e = randomEdit(text, r);
      const before = columns(ts, true);
      const inc = relex(ts, e.text);
      const full = lex(e.text);
      assert.deepEqual(plain(inc ?? full), plain(full), `${path.relative(fixturesDir, file)} step ${step} (${e.kind})`);
      // the new stream may share arrays with the previous one: re-lexing never changes the previous stream
      assert.deepEqual(columns(ts, false), before, `${path.relative(fixturesDir, file)} step ${step}: the previous stream changed`);
      const k = kinds.get(e.kind) ?? { n: 0, spliced: 0 };
      k.n++;
      if (inc) k.spliced++;
      kinds.set(e.kind, k);
      text = e.text;
      ts = inc ?? full;
    }
  }
  // the splice is what runs for typing and new lines (not the fallback)
  for (const kind of ['typing', 'new line', 'delete in a line']) {
    const k = kinds.get(kind);
    assert.ok(k && k.spliced >= k.n * 0.5, `${kind}: ${k?.spliced} of ${k?.n} spliced`);
  }
});

test("relex: a column the edit left as it was is the previous stream's own array, the others are new", () => {
  const base = 'package p\n\nfunc f() {\n\t// typing\n\tx := 1\n}\n\nfunc g() { f() }\n';
  const old = lex(base);
  const same = (ts: TokenStream): string[] => (['kind', 'start', 'end', 'line', 'col', 'flags', 'lineStarts'] as const).filter((k) => ts[k] === old[k]).sort();
  const cases: [string, string, string[]][] = [
    ['// typing', '// typingx', ['col', 'flags', 'kind', 'line']], // a comment: every token after it only moves by one offset
    ['x := 1', 'x := 2', ['col', 'end', 'flags', 'kind', 'line', 'start']], // the same length, the same kinds and places
    ['x := 1', 'y := 1', ['col', 'end', 'flags', 'kind', 'line', 'start']],
    ['x := 1', 'x := "a"', ['flags', 'line']], // another kind, the tokens after it move on the line
    ['x := 1', 'x := 1 + 2', []], // two more tokens: every column moves by two indexes
    ['\t// typing\n', '\t// typing\n\n', ['col', 'flags', 'kind']], // a new line: the lines after it move
    ['f() }', 'f()  }', ['flags', 'kind', 'line']], // in the file's last lines (the span reaches the end)
  ];
  for (const [from, to, shared] of cases) {
    const text = base.replace(from, to);
    const inc = relex(old, text);
    assert.ok(inc, `${from} → ${to}: not re-lexed in part`);
    assert.deepEqual(plain(inc), plain(lex(text)), `${from} → ${to}`);
    assert.deepEqual(same(inc), shared, `${from} → ${to}: shared columns`);
  }
  assert.deepEqual(plain(old), plain(lex(base)), 'the previous stream changed');
});

test('relex: edits at the edges', () => {
  const base = 'package p\n\n// c\nfunc f() {\n\tx := "a"\n}\n\nfunc g() {}\n';
  const cases = [
    base.replace('x := "a"', 'x := "a\\\n'), // an escaped newline at the end of the span
    base.replace('x := "a"', 'x := `a'), // an open raw string runs to the end
    base.replace('// c', '/* c'), // an open comment
    base.replace('func g() {}\n', 'func g() {}'), // the end of the file
    base + 'é', // non-ASCII appended
    base.replace('package p', 'package q'), // the first token
    base.replace('// c', '//go:noinline'),
    base.replace('// c', '//line x.go:1'),
    base.replace('\t', '   '),
  ];
  // lines whose first token sits after a block comment or a raw string that began on an earlier line:
  // lexing may not restart at such a line's start (edits on it, and edits just above it)
  const spanning = 'package p\n\nfunc f() {\n\ta := 1 /* one\n\ttwo */ + 2\n\tb := `x\ny` + "z"\n\t_ = a\n}\n';
  for (const [from, to] of [
    ['+ 2', '+ 3'],
    ['+ "z"', '+ "zz"'],
    ['a := 1', 'a := 11'],
    ['b := `x', 'b := `xx'],
    ['_ = a', '_ = b'],
  ]) {
    const text = spanning.replace(from as string, to as string);
    const inc = relex(lex(spanning), text);
    assert.ok(inc, `${from} → ${to}: not re-lexed in part`);
    assert.deepEqual(plain(inc), plain(lex(text)), `${from} → ${to}`);
  }
  const withNonAscii = base.replace('// c', '// é');
  cases.push(withNonAscii.replace('// é', '// e'));
  for (const [i, text] of cases.entries()) {
    for (const from of [base, withNonAscii]) {
      const inc = relex(lex(from), text);
      assert.deepEqual(plain(inc ?? lex(text)), plain(lex(text)), `case ${i}`);
    }
  }
});
