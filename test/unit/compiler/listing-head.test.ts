import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headEnd, listingHead } from '../../../src/compiler/listing-head';

const FILE = [
  '//go:build linux',
  '',
  '// Package p: the word func in a comment, "type" in a string.',
  'package p',
  '',
  '/*',
  'const int limit = 3; // cgo preamble: C at the start of a line',
  'var x;',
  '*/',
  'import "C"',
  '',
  'import (',
  '\t"fmt"',
  '\tstrs `strings`',
  ')',
  '',
  'func F() { fmt.Println(strs.ToUpper("x")) }',
  '',
].join('\n');

describe('listing-head', () => {
  it('ends at the first top-level declaration, past comments, strings and the cgo preamble', () => {
    assert.equal(headEnd(FILE), FILE.indexOf('func F'));
    assert.ok(listingHead(FILE).includes('strs `strings`'), 'every import is in the head');
  });

  it('an edit inside a body or a new declaration keeps the head; an import, the package clause or a build constraint changes it', () => {
    const head = listingHead(FILE);
    assert.equal(listingHead(FILE.replace('ToUpper("x")', 'ToLower("y")')), head);
    assert.equal(listingHead(`${FILE}\nfunc G() int { return 1 }\n`), head);
    assert.notEqual(listingHead(FILE.replace('\t"fmt"', '\t"fmt"\n\t"os"')), head);
    assert.notEqual(listingHead(FILE.replace('package p', 'package q')), head);
    assert.notEqual(listingHead(FILE.replace('//go:build linux', '//go:build darwin')), head);
  });

  it('keeps the //go:embed lines wherever they are', () => {
    const embed = `${FILE}\n//go:embed a.txt\nvar a string\n`;
    assert.notEqual(listingHead(embed), listingHead(FILE));
    assert.notEqual(listingHead(embed.replace('a.txt', 'b.txt')), listingHead(embed));
  });

  it('a file without declarations is all head; keywords inside runes, raw strings and comments do not end it', () => {
    assert.equal(headEnd('package p\n'), 'package p\n'.length);
    const src = "package p\nimport _ \"x\" // func\nimport _ `type` /* var */\n\nconst c = '\\''\n";
    assert.equal(headEnd(src), src.indexOf('const c'));
  });
});
