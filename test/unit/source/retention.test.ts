import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as A from '../../../src/source/ast';
import { lex } from '../../../src/source/lexer';
import { parseFile } from '../../../src/source/parser';
import { describePackage } from '../../../src/source/packages';
import { parseDeclarations } from '../../../src/source/package-env';
import { defaultBuildContext } from '../../../src/source/build-tags';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection. */
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A Go file of its own (distinct text, ~2 MB, mostly a comment) with long identifiers, calls and a table. */
function bigFile(i: number): string {
  const rows = Array.from({ length: 2000 }, (_, j) => `\t{LongEntryName${i}x${j}, ${j}},`).join('\n');
  return (
    `// file ${i}\n${`// ${'c'.repeat(997)}\n`.repeat(2000)}package p\n\ntype Row struct{ a, b int }\n\nconst LongEntryName${i}x0 = 1\n\n` +
    `var someLongTableName${i} = []Row{\n${rows}\n}\n\n` +
    `func LongFunctionName${i}() { otherLongFunctionName${i}(1) }\n`
  );
}

// 24 files of ~2 MB: held, they would add ≥ 48 MB; the heap grows by ~9 MB once (compiled code) whatever is kept.
const FILES = 24;
const LIMIT = 24e6;

test('names kept from a parse do not keep the file text alive (V8 slices of 13+ characters are views)', () => {
  const files = FILES;
  parseFile(lex(bigFile(-1)), { lazyBodies: true }); // compiled and warm: only what is kept counts below
  const before = heapUsed();
  const kept: string[] = [];
  for (let i = 0; i < files; i++) {
    const ast = parseFile(lex(bigFile(i)), { lazyBodies: true });
    const f = ast.decls.find((d): d is A.FuncDecl => d.k === 'FuncDecl');
    assert.ok(f && f.name.value.length >= 13);
    kept.push(f.name.value);
  }
  const grown = heapUsed() - before;
  assert.equal(kept.length, files);
  assert.ok(grown < LIMIT, `heap grew ${(grown / 1e6).toFixed(1)} MB for ${files} names`);
});

test('a package description does not keep its composite literals or its files', () => {
  const files = FILES;
  describePackage([parseDeclarations('a.go', bigFile(-1))], undefined, defaultBuildContext(), 'example.com/warm').varType?.('someLongTableName-1');
  const before = heapUsed();
  const kept: unknown[] = [];
  for (let i = 0; i < files; i++) {
    const d = describePackage([parseDeclarations('a.go', bigFile(i))], undefined, defaultBuildContext(), `example.com/p${i}`);
    // what importers ask of the table: its type, from the literal's type (elements are not needed)
    const vt = d.varType?.(`someLongTableName${i}`);
    assert.equal(vt?.k, 'ArrayType');
    kept.push(d);
  }
  const grown = heapUsed() - before;
  assert.equal(kept.length, files);
  assert.ok(grown < LIMIT, `heap grew ${(grown / 1e6).toFixed(1)} MB for ${files} descriptions`);
});

test('declarations-only parse: composite literals have their type, no elements; a full parse keeps them', () => {
  const src = 'package p\nvar t = [...]T{{1, 2}, {3, 4}}\nvar m = map[string]int{"a": 1}\nfunc f() { _ = []int{1} }\n';
  const values = (ast: A.SourceFileAst): A.CompositeLit[] =>
    ast.decls.flatMap((d) => (d.k === 'GenDecl' ? d.specs.flatMap((s) => ('values' in s ? s.values : [])) : [])) as A.CompositeLit[];
  const skip = values(parseFile(lex(src), { skipBodies: true }));
  assert.deepEqual(
    skip.map((c) => [c.k, c.type?.k, c.elems.length]),
    [
      ['CompositeLit', 'ArrayType', 0],
      ['CompositeLit', 'MapType', 0],
    ],
  );
  assert.deepEqual(
    values(parseFile(lex(src), { lazyBodies: true })).map((c) => c.elems.length),
    [2, 1],
  );
});
