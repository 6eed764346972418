/**
 * The heat's typed columns (heat-table.ts): lookups by name in Go byte order, rows built on demand,
 * and hand-built tables checked for consistent offsets, unique names and column lengths.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_HEAT, type FunctionHeat, HeatTable } from '../../../src/pgo/heat-table';

const row = (name: string, startLine: number, lines: Array<[number, number, number]>): FunctionHeat => ({
  name,
  file: `/src/${name.split('.')[0]}.go`,
  startLine,
  flat: lines.reduce((s, l) => s + l[1], 0),
  cum: lines.reduce((s, l) => s + l[2], 0),
  lines: lines.map(([line, flat, cum]) => ({ offset: line - startLine, line, flat, cum })),
});

describe('heat table', () => {
  // U+FF5E (one UTF-16 unit) sorts after U+1D538 (a surrogate pair) in JS but before it in Go's byte order.
  const names = ['main.\u{1D538}', 'main.\uFF5E', 'main.a', 'main.b', 'zz.y', 'a.x'];
  const t = HeatTable.fromRows(names.map((n, i) => row(n, 10 * i + 1, [[10 * i + 2, i, i + 1]])));

  it('orders rows by Go byte order and finds every name by binary search', () => {
    assert.deepEqual(t.names, ['a.x', 'main.a', 'main.b', 'main.\uFF5E', 'main.\u{1D538}', 'zz.y']);
    for (const n of names) assert.equal(t.names[t.find(n)], n);
    for (const n of ['', 'main', 'main.c', 'main.\uFFFF', 'zzz']) assert.equal(t.find(n), -1);
    assert.equal(EMPTY_HEAT.find('main.a'), -1);
  });

  it('gives each function its own lines, with offsets from its start line', () => {
    const r = t.row(t.find('main.b'));
    assert.deepEqual(r, {
      name: 'main.b',
      file: '/src/main.go',
      startLine: 31,
      flat: 3,
      cum: 4,
      lines: [{ file: '/src/main.go', line: 32, offset: 1, flat: 3, cum: 4 }],
    });
    assert.equal(t.startLineOf('zz.y'), 41);
    assert.equal(t.startLineOf('main.c'), undefined);
    assert.equal(t.lineCount, 6);
    assert.deepEqual(
      t.rows().map((f) => f.name),
      t.names,
    );
  });

  it('keeps several lines of a function in their order and an empty function without lines', () => {
    const u = HeatTable.fromRows([
      row('p.f', 5, [
        [6, 1, 2],
        [9, 0, 7],
      ]),
      { name: 'p.e', file: 'e.go', startLine: 1, flat: 0, cum: 0, lines: [] },
    ]);
    assert.deepEqual(Array.from(u.lineStart), [0, 0, 2]);
    assert.deepEqual(
      u.row(1).lines.map((l) => [l.offset, l.flat, l.cum]),
      [
        [1, 1, 2],
        [4, 0, 7],
      ],
    );
    assert.deepEqual(u.row(0).lines, []);
  });

  it('rejects inconsistent hand-built rows and columns', () => {
    const bad = row('p.f', 5, [[6, 1, 1]]);
    bad.lines[0]!.offset = 3;
    assert.throws(() => HeatTable.fromRows([bad]), /p\.f: line 6 has offset 3, not line − start line 1/);
    assert.throws(() => HeatTable.fromRows([row('p.f', 1, []), row('p.f', 2, [])]), /name "p\.f" twice/);
    assert.throws(
      () =>
        new HeatTable({
          names: ['a'],
          files: [''],
          fnFile: new Int32Array(1),
          startLine: new Float64Array(1),
          flat: new Float64Array(1),
          cum: new Float64Array(0),
          lineStart: new Int32Array(2),
          lineNo: new Float64Array(0),
          lineFile: new Int32Array(0),
          lineFlat: new Float64Array(0),
          lineCum: new Float64Array(0),
        }),
      /heat columns disagree in length \(1 functions, 0 lines\)/,
    );
  });
});
