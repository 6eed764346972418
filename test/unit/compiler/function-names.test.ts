/**
 * Naming the JSON's function facts by position (function-names.ts) and joining them with the
 * `-m=1` text (decisions.ts). The compiler's own names are checked by
 * test/oracle/compiler-decisions/functions.test.ts (`-m=1` + JSON against `-m=2` text).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parsePackage, positionKey } from '../../../src/compiler/decisions';
import { declaredFunctionName, nameFunctions, unnamedFunctions } from '../../../src/compiler/function-names';

const base = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-fnames-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

describe('declaredFunctionName', () => {
  it('names functions and methods as the compiler prints them, type parameters as [...]', () => {
    assert.equal(declaredFunctionName('func Parse(s string) error {', 6), 'Parse');
    assert.equal(declaredFunctionName('func Map[T, U any](xs []T, f func(T) U) []U {', 6), 'Map[...]');
    assert.equal(declaredFunctionName('func (r *Rect) Area() float64 {', 6), '(*Rect).Area');
    assert.equal(declaredFunctionName('func (p Point) Sub(q Point) Point {', 6), 'Point.Sub');
    assert.equal(declaredFunctionName('func (*T) M() {}', 6), '(*T).M');
    assert.equal(declaredFunctionName('func (T) M() {}', 6), 'T.M');
    assert.equal(declaredFunctionName('func (t *BTreeG[T]) Get(key T) (_ T, _ bool) {', 6), '(*BTreeG[...]).Get');
    assert.equal(declaredFunctionName('func (m Map[K, V]) Len() int {', 6), 'Map[...].Len');
    assert.equal(declaredFunctionName('func Größe() int {', 6), 'Größe');
  });

  it('leaves closures, init functions and other positions to the source index', () => {
    assert.equal(declaredFunctionName('\tf := func(x int) int { return x }', 7), undefined, 'a func literal');
    assert.equal(declaredFunctionName('func init() {', 6), undefined, 'init is numbered by the compiler');
    assert.equal(declaredFunctionName('func Parse(s string) error {', 1), undefined, 'not after func');
    assert.equal(declaredFunctionName('\treturn Parse(s)', 9), undefined);
  });
});

describe('nameFunctions', () => {
  const dir = path.join(base, 'p');
  const other = path.join(base, 'slices');
  fs.mkdirSync(dir);
  fs.mkdirSync(other);
  const a = path.join(dir, 'a.go');
  const b = path.join(dir, 'b.go');
  const s = path.join(other, 'sort.go');
  fs.writeFileSync(
    a,
    [
      'package p',
      '',
      'func Outer(xs []int) int {',
      '\tf := func(x int) int {',
      '\t\tfor range x {',
      '\t\t}',
      '\t\treturn x',
      '\t}',
      '\treturn f(xs[0])',
      '}',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    b,
    ['package p', '', 'func init() {}', '', 'func init() {', '\tprintln()', '}', '', 'func (t *T) M() {}', '', 'type T struct{}', ''].join('\n'),
  );
  fs.writeFileSync(s, ['package slices', '', 'func Sort[E any](x []E) {', '}', ''].join('\n'));

  it('declared functions by their header, closures and init functions by the index, imported generics qualified', () => {
    const names = nameFunctions(
      [
        { file: a, line: 3, col: 6 },
        { file: a, line: 4, col: 7 },
        { file: b, line: 3, col: 6 },
        { file: b, line: 5, col: 6 },
        { file: b, line: 9, col: 6 },
        { file: s, line: 3, col: 6 },
        { file: a, line: 9, col: 2 }, // names nothing
      ],
      { pkg: { importPath: 'example.com/p', name: 'p', dir, goFiles: [a, b] }, byDir: new Map([[other, { importPath: 'slices', name: 'slices' }]]) },
    );
    const spelled = (v: { name: string; pkgName?: string }): string => (v.pkgName ? `${v.pkgName}.${v.name}` : v.name);
    assert.deepEqual(Object.fromEntries([...names].map(([k, v]) => [k.split('\0').slice(1).join(':') + ':' + path.basename(k.split('\0')[0]!), spelled(v)])), {
      '3:6:a.go': 'Outer',
      '4:7:a.go': 'Outer.func1',
      '3:6:b.go': 'init.0',
      '5:6:b.go': 'init.1',
      '9:6:b.go': '(*T).M',
      '3:6:sort.go': 'slices.Sort[...]',
    });
  });

  it('finds the positions of the JSON lines that carry no name', () => {
    const header = JSON.stringify({ version: 0, package: 'example.com/p', file: a });
    const line = (code: string, l: number, c: number, message: string): string =>
      JSON.stringify({ range: { start: { line: l, character: c }, end: { line: l, character: c } }, code, message });
    const files = [
      {
        name: 'p/a.json',
        text: [
          header,
          line('cannotInlineFunction', 3, 6, 'function too complex: cost 95 exceeds budget 80'),
          line('canInlineFunction', 4, 7, 'cost: 9'),
          line(': should not PGO devirtualize function', 3, 6, 'function too complex: cost 95 exceeds budget 80'),
          line('escape', 4, 7, 'func literal does not escape'),
          'not json',
        ].join('\n'),
      },
    ];
    assert.deepEqual(unnamedFunctions(files, { cwd: dir }), [
      { file: a, line: 3, col: 6 },
      { file: a, line: 3, col: 6 },
    ]);
  });
});

describe('decisions from -m=1 text and the JSON function facts', () => {
  const cwd = path.join(base, 'ws');
  const file = path.join(cwd, 'a.go');
  const header = JSON.stringify({ version: 0, package: 'example.com/p', file });
  const j = (code: string, l: number, c: number, message: string): string =>
    JSON.stringify({ range: { start: { line: l, character: c }, end: { line: l, character: c } }, code, message });
  const json = [
    {
      name: 'p/a.json',
      text:
        [
          header,
          j('canInlineFunction', 3, 6, 'cost: 12'),
          j('cannotInlineFunction', 9, 6, 'function too complex: cost 95 exceeds budget 80'),
          j(': should not PGO devirtualize function', 9, 6, 'function too complex: cost 95 exceeds budget 80'),
          j('cannotInlineFunction', 20, 9, 'unhandled op DEFER'),
          j('canInlineFunction', 30, 6, 'cost: 4'),
          j('canInlineFunction', 30, 6, 'cost: 5'),
        ].join('\n') + '\n',
    },
  ];
  const text = [
    './a.go:3:6: can inline Small',
    './a.go:30:6: can inline G[go.shape.int]',
    './a.go:30:6: can inline G[go.shape.string]',
    './a.go:12:9: inlining call to Small',
    '',
  ].join('\n');
  const functionNames = new Map([[positionKey({ file, line: 9, col: 6 }), { name: 'Big' }]]);

  it('costs from canInlineFunction at the same position, refusals named by position, unnamed ones left out', () => {
    const d = parsePackage('example.com/p', text, json, { cwd, functionNames });
    const facts = d.functions.map((f) => `${f.line}:${f.col} ${f.name} ${f.inlinable ? `cost ${f.cost}` : `refused ${f.reason} (cost ${f.cost})`}`);
    assert.deepEqual(facts.sort(), [
      '30:6 G[go.shape.int] cost 4',
      '30:6 G[go.shape.string] cost 5',
      '3:6 Small cost 12',
      '9:6 Big refused function too complex: cost 95 exceeds budget 80 (cost 95)',
    ]);
    assert.deepEqual(
      d.noDevirt.map((x) => `${x.line} ${x.name}: ${x.reason}`),
      ['9 Big: function too complex: cost 95 exceeds budget 80'],
    );
    const call = d.calls.find((c) => c.kind === 'inline' && c.callee === 'Small');
    assert.equal(call?.kind === 'inline' ? call.cost : undefined, 12, "an inlined call's cost comes from the JSON cost of its callee");
  });

  it('with -m=2 text the text facts win: no second refusal from the JSON', () => {
    const m2 = `${text}./a.go:9:6: cannot inline Big: function too complex: cost 95 exceeds budget 80\n./a.go:9:6: should not PGO devirtualize Big: function too complex: cost 95 exceeds budget 80\n`;
    const d = parsePackage('example.com/p', m2, json, { cwd, functionNames });
    assert.equal(d.functions.filter((f) => !f.inlinable).length, 1);
    assert.equal(d.noDevirt.length, 1);
  });
});
