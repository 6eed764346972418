import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnosticShown, LineMap, mapMeasured, movedKeys } from '../../../src/editor/line-map';
import type { FileView, LineDetail } from '../../../src/worker/protocol';

/** Applies LineChanges to text, as VS Code does, to check the map against the real lines. */
function applyText(text: string, c: { startLine: number; startChar: number; endLine: number; endChar: number; text: string }): string {
  const lines = text.split('\n');
  const off = (l: number, ch: number): number => lines.slice(0, l).reduce((n, x) => n + x.length + 1, 0) + ch;
  return text.slice(0, off(c.startLine, c.startChar)) + c.text + text.slice(off(c.endLine, c.endChar));
}

const SRC = ['func hot() {', '\tx := 1', '\tfor i := 0; i < n; i++ {', '\t\tx = step(x)', '\t}', '\treturn x', '}'].join('\n');

/** Every original line whose map is not null must hold the same text at its mapped line. */
function checkAgainstText(changes: Parameters<typeof applyText>[1][]): LineMap {
  const m = new LineMap();
  let text = SRC;
  for (const c of changes) {
    text = applyText(text, c);
    m.apply([c]);
  }
  const before = SRC.split('\n');
  const after = text.split('\n');
  before.forEach((l, i) => {
    const j = m.map(i);
    if (j !== null) assert.equal(after[j], l, `line ${i} → ${j}`);
  });
  return m;
}

describe('line map (heat stays on the measured lines while editing)', () => {
  it('Enter at the end of a line inside a function: lines below move, the new line has no origin', () => {
    const m = checkAgainstText([
      { startLine: 2, startChar: SRC.split('\n')[2]!.length, endLine: 2, endChar: SRC.split('\n')[2]!.length, text: '\n\t\tif x > 9 {\n\t\t}' },
    ]);
    assert.equal(m.edited, true);
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((l) => m.map(l)),
      [0, 1, 2, 5, 6],
    );
  });
  it('pasting whole lines at column 0 moves the line they were pasted before', () => {
    const m = checkAgainstText([{ startLine: 3, startChar: 0, endLine: 3, endChar: 0, text: '\t\tlog()\n' }]);
    assert.equal(m.map(3), 4);
    assert.equal(m.map(2), 2);
  });
  it('deleting lines drops them and moves the rest up', () => {
    const m = checkAgainstText([{ startLine: 1, startChar: 0, endLine: 2, endChar: 0, text: '' }]);
    assert.equal(m.map(1), null);
    assert.equal(m.map(3), 2);
    // Joining lines 1..3: line 1 keeps its place (its text changed), the joined ones are gone.
    const n = new LineMap();
    n.apply([{ startLine: 1, startChar: 7, endLine: 3, endChar: 2, text: '' }]);
    assert.deepEqual([n.map(1), n.map(2), n.map(3), n.map(4)], [1, null, null, 2]);
  });
  it('typing within a line moves nothing; several changes compose', () => {
    const m = new LineMap();
    m.apply([{ startLine: 3, startChar: 2, endLine: 3, endChar: 3, text: 'y' }]);
    assert.equal(m.edited, false);
    checkAgainstText([
      { startLine: 0, startChar: 0, endLine: 0, endChar: 0, text: '// doc\n' },
      { startLine: 4, startChar: 0, endLine: 5, endChar: 0, text: '' },
      { startLine: 6, startChar: 1, endLine: 6, endChar: 1, text: '\n' },
    ]);
  });
});

const detail = (line: number, symbol: string, offset: number, flat: number): LineDetail => ({
  line,
  symbol,
  offset,
  flat,
  cum: flat,
  flatPercent: flat,
  cumPercent: flat,
  callees: [],
  hotSite: false,
});
const view = (lines: LineDetail[], lenses: FileView['lenses'] = []): FileView => ({
  file: '/w/a.go',
  binary: '/w',
  binaries: ['/w'],
  profile: '/w/default.pgo',
  total: 100,
  sampleType: 'samples/count',
  heatLines: { flat: lines.length, cum: lines.length },
  heat: lines.map((d) => ({ line: d.line, flat: d.flat, cum: d.cum, flatPercent: d.flat, cumPercent: d.cum, flatLevel: 1, cumLevel: 1 })),
  functions: [{ line: 0, symbol: 'main.hot', names: 1, flat: 5, cum: 9, flatPercent: 5, cumPercent: 9 }],
  lenses,
  lines,
});

describe('measured view and drift against the compiler offsets', () => {
  // Profile view: main.hot starts at line 0; samples at offsets 3 (line 3) and 5 (line 5).
  const base = view([detail(3, 'main.hot', 3, 40), detail(5, 'main.hot', 5, 2)]);
  const m = new LineMap();
  m.apply([{ startLine: 2, startChar: 30, endLine: 2, endChar: 30, text: '\n\t\tif x > 9 {\n\t\t}' }]); // 2 lines after line 2
  // The worker's view of the edited text: the compiler still charges offset 3 to line 3 (start 0 + 3).
  const compiler = view([detail(3, 'main.hot', 3, 40), detail(5, 'main.hot', 5, 2)], [{ line: 3 } as FileView['lenses'][number]]);

  it('keeps heat, hover details and the declaration on the measured lines; the new lines get none', () => {
    const shown = mapMeasured(base, m, compiler);
    assert.deepEqual(
      shown.heat.map((h) => h.line),
      [5, 7],
    );
    assert.deepEqual(
      shown.lines.map((d) => [d.line, d.offset]),
      [
        [5, 3],
        [7, 5],
      ],
    );
    assert.deepEqual(
      shown.functions.map((f) => f.line),
      [0],
    );
    assert.equal(shown.lenses, compiler.lenses, "lenses stay the compiler's");
  });
  it('names the keys the compiler now puts elsewhere', () => {
    assert.deepEqual(movedKeys(base, m, compiler), [
      { symbol: 'main.hot', offset: 3, measured: 5, compiler: 3 },
      { symbol: 'main.hot', offset: 5, measured: 7, compiler: 5 },
    ]);
    // Lines inserted above the function move the function's start too: no drift.
    const above = new LineMap();
    above.apply([{ startLine: 0, startChar: 0, endLine: 0, endChar: 0, text: '// x\n' }]);
    const shifted = view([detail(4, 'main.hot', 3, 40), detail(6, 'main.hot', 5, 2)]);
    assert.deepEqual(movedKeys(base, above, shifted), []);
  });
  it('shows an offset drift of an edited function whatever its share', () => {
    const edited = new Set(['main.hot']);
    assert.equal(diagnosticShown({ percent: 0.01, kind: 'offset-drift', symbol: 'main.hot' }, 0.5, edited), true);
    assert.equal(diagnosticShown({ percent: 0.01, kind: 'offset-drift', symbol: 'main.cold' }, 0.5, edited), false);
    assert.equal(diagnosticShown({ percent: 0.01, kind: 'removed', symbol: 'main.hot' }, 0.5, edited), false);
    assert.equal(diagnosticShown({ percent: 0.6, kind: 'removed', symbol: 'main.x' }, 0.5, new Set()), true);
  });
});
