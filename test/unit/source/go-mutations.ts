/**
 * Seeded mutations of Go source text for the front-end fuzz test (fuzz.test.ts): byte flips,
 * truncations, deletions / duplications / moves of token ranges, nesting beyond the parser's
 * limit, huge literals, unterminated literals and comments, and small valid edits (the kind an
 * editor sends: blank lines, comments, a renamed identifier) so that the incremental indexer's
 * caches are exercised as well as its error paths.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lex } from '../../../src/source/lexer';
import { MAX_NESTING } from '../../../src/source/parser';

export interface GoPackage {
  /** Where the files come from (for failure messages). */
  origin: string;
  files: { name: string; text: string }[];
}

/** The Go packages under `root` (one per directory, `_test.go` files left out), in a stable order. */
export function goPackagesUnder(root: string, maxFiles: number): GoPackage[] {
  const out: GoPackage[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files = entries
      .filter((e) => e.isFile() && e.name.endsWith('.go') && !e.name.endsWith('_test.go'))
      .slice(0, maxFiles)
      .map((e) => ({ name: e.name, text: fs.readFileSync(path.join(dir, e.name), 'utf8') }));
    if (files.length) out.push({ origin: dir, files });
    for (const e of entries) if (e.isDirectory() && e.name !== 'testdata') walk(path.join(dir, e.name));
  };
  walk(root);
  return out;
}

const SNIPPETS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ';',
  ',',
  ':=',
  '=',
  '.',
  '...',
  '<-',
  '~',
  '|',
  '*',
  '&',
  'func',
  'func() {',
  'func (x *T) M() {',
  'go ',
  'defer ',
  'for range ',
  'for i := range ',
  'range',
  'return',
  'if true {',
  'if false {',
  'switch x := y.(type) {',
  'case ',
  'default:',
  'select {',
  'goto L',
  'L:',
  'var ',
  'const ',
  'type ',
  'type T[P any] struct{}',
  'interface{ M() }',
  'struct{ f func() }',
  'map[string]func()',
  'chan ',
  'import "fmt"',
  'package p',
  'panic("x")',
  'iota',
  '_',
  'init',
  'x.y.z',
  'f[int]',
  'f[int, string](1)',
  '"\\x00"',
  "'\\''",
  '`',
  '"',
  "'",
  '/*',
  '*/',
  '//',
  '\n//line other.go:100\n',
  '\n//line :7:3\n',
  '\n//go:linkname f runtime.f\n',
  '\n//go:build ignore\n',
  '\n//go:noinline\n',
  '\u00e9',
  '\u2028',
  '\uFEFF',
  '\u0000',
  '\ud800',
  '\r\n',
  '\t',
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  const x = xs[Math.floor(r() * xs.length)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
}

function int(r: () => number, n: number): number {
  return Math.floor(r() * n);
}

/** Nesting at, around and far beyond MAX_NESTING, in the places the parser recurses. */
function deepNesting(r: () => number): string {
  const n = pick(r, [MAX_NESTING - 1, MAX_NESTING, MAX_NESTING + 1, MAX_NESTING + 100, 4 * MAX_NESTING]);
  switch (int(r, 6)) {
    case 0:
      return '{'.repeat(n) + '}'.repeat(n);
    case 1:
      return '('.repeat(n) + 'x' + ')'.repeat(n);
    case 2:
      return 'func() {'.repeat(n) + '}'.repeat(n);
    case 3:
      return '[]'.repeat(n) + 'int';
    case 4:
      return '*'.repeat(n) + 'T';
    default:
      return 'if x {'.repeat(n) + '}'.repeat(n);
  }
}

function hugeLiteral(r: () => number): string {
  const n = pick(r, [10_000, 100_000, 300_000]);
  switch (int(r, 5)) {
    case 0:
      return '"' + 'a'.repeat(n) + '"';
    case 1:
      return '`' + 'line\n'.repeat(n / 5) + '`';
    case 2:
      return '1' + '0'.repeat(n);
    case 3:
      return '/*' + ' '.repeat(n) + '*/';
    default:
      return 'x' + 'y'.repeat(n);
  }
}

/** One random mutation of a Go source text. */
export function mutateGo(text: string, r: () => number): string {
  const ts = lex(text);
  const n = ts.count;
  const tokStart = (i: number): number => (n ? (ts.start[Math.min(Math.max(i, 0), n - 1)] ?? 0) : 0);
  const tokEnd = (i: number): number => (n ? (ts.end[Math.min(Math.max(i, 0), n - 1)] ?? 0) : 0);
  const at = int(r, text.length + 1);
  const tok = int(r, n + 1);
  const insertAt = (pos: number, s: string): string => text.slice(0, pos) + s + text.slice(pos);
  switch (int(r, 12)) {
    case 0: {
      // flip a byte (as a character: the front end reads decoded text)
      const code = text.charCodeAt(at) ^ (1 << int(r, 8));
      return text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1);
    }
    case 1:
      return text.slice(0, at);
    case 2: {
      // delete a token range
      const len = 1 + int(r, 20);
      return text.slice(0, tokStart(tok)) + text.slice(tokEnd(tok + len - 1));
    }
    case 3: {
      // duplicate a token range somewhere else
      const len = 1 + int(r, 60);
      const piece = text.slice(tokStart(tok), tokEnd(tok + len - 1));
      return insertAt(tokStart(int(r, n + 1)), piece);
    }
    case 4: {
      // move a token range
      const len = 1 + int(r, 30);
      const a = tokStart(tok);
      const b = tokEnd(tok + len - 1);
      const rest = text.slice(0, a) + text.slice(b);
      const to = int(r, rest.length + 1);
      return rest.slice(0, to) + text.slice(a, b) + rest.slice(to);
    }
    case 5:
      return insertAt(tokStart(tok), ' ' + pick(r, SNIPPETS) + ' ');
    case 6:
      return insertAt(tokStart(tok), deepNesting(r));
    case 7:
      return insertAt(tokStart(tok), hugeLiteral(r));
    case 8:
      // an editor's edit: blank lines or a comment line (shifts every later declaration)
      return insertAt(text.lastIndexOf('\n', at) + 1, pick(r, ['\n', '\n\n\n', '// edited\n', '/* a\nb */\n']));
    case 9: {
      // rename every use of one identifier
      const names = new Set<string>();
      for (let i = 0; i < n && names.size < 200; i++) {
        const s = ts.src.slice(ts.start[i], ts.end[i]);
        if (/^[A-Za-z_]\w*$/.test(s)) names.add(s);
      }
      if (!names.size) return text + '\n';
      const from = pick(r, [...names]);
      const to = pick(r, ['x', 'init', '_', 'main', 'T', 'f', from + '2', 'panic', 'any', 'nil']);
      return text.replace(new RegExp(`\\b${from}\\b`, 'g'), to);
    }
    case 10:
      // a new declaration at the end (package variable with a closure, a function, a method)
      return (
        text +
        pick(r, [
          '\nvar z = func() int { return 1 }()\n',
          '\nfunc Z() { go func() {}(); defer Z() }\n',
          '\nfunc (T) Z() {}\n',
          '\nvar m = map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8}\n',
          '\nfunc init() { for range 3 {} }\n',
        ])
      );
    default: {
      // several snippets at once
      let t = text;
      for (let k = 0; k < 1 + int(r, 5); k++) {
        const p = int(r, t.length + 1);
        t = t.slice(0, p) + pick(r, SNIPPETS) + t.slice(p);
      }
      return t;
    }
  }
}
