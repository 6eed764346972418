import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePprof } from '../../../src/profile/pprof';
import { goCleanPath, pprofDisplayName, pprofNumbers, topOrder, UNKNOWN_FUNCTION } from '../../../src/pgo/flatcum';
import { corpus } from '../../fuzzing';
import { edgeCaseProfile, synthPprof } from '../../synth';

// Expectations worked out by hand from pprof's definitions (internal/graph newGraph): every Line
// of a Location is a frame; a sample adds to each node's cum once and to the flat of the
// innermost Line of its leaf-most Location; -top keys nodes by name, -list by (name, file, line).
describe('pprof flat/cum (hand-computed from pprof definitions)', () => {
  const p = decodePprof(synthPprof(edgeCaseProfile()));
  const n = pprofNumbers(p, 0);
  const fn = (name: string) => n.functions.find((f) => f.name === name)!;

  it('totals the sum of sample values, empty stacks included', () => {
    assert.equal(n.total, 5 + 3 + 2 + 4 + 6 + 1 + 2 + 1 + 7 + 0 + 1);
  });

  it('counts each function once per sample and names inlined frames', () => {
    const rows = n.functions.map((f) => [f.name, f.flat, f.cum]);
    assert.deepEqual(rows, [
      [UNKNOWN_FUNCTION, 2, 3], // unsymbolized location 7: flat in sample 7, cum in samples 7 and 8
      ['example.com/p.(*T).M', 0, 7], // inlined frame of location 9
      ['main.hot', 0, 14],
      ['main.inlined', 4, 21], // innermost Line of location 2 (flat 4 from the one-frame sample), 14 + 7 via location 9
      ['main.leaf', 17, 17], // two addresses, one function
      ['main.main', 1, 26],
      ['main.rec', 7, 7], // recursion (locations 4, 4, 5 in one sample) counted once: 6 + 1, not 6 × 3 + 1 × 2
      ['runtime.main', 0, 5],
    ]);
    for (const f of n.functions) assert.ok(f.cum >= f.flat, `${f.name}: cum ${f.cum} below flat ${f.flat}`);
  });

  it('gives pprof -list numbers per (file, line)', () => {
    assert.deepEqual(fn('main.rec').lines, [
      { file: 'main.go', line: 52, offset: 2, flat: 7, cum: 7 }, // location 4 twice in sample 5: once
      { file: 'main.go', line: 53, offset: 3, flat: 0, cum: 7 },
    ]);
    assert.deepEqual(fn('main.inlined').lines, [
      { file: 'main.go', line: 31, offset: 1, flat: 4, cum: 14 },
      { file: 'main.go', line: 33, offset: 3, flat: 0, cum: 7 },
    ]);
    assert.deepEqual(fn('main.leaf').lines, [{ file: 'main.go', line: 41, offset: 1, flat: 17, cum: 17 }]);
    assert.deepEqual(fn('runtime.main').lines, [{ file: 'proc.go', line: 7, offset: 2, flat: 0, cum: 5 }]);
    assert.deepEqual(fn(UNKNOWN_FUNCTION).lines, [{ file: '', line: 0, offset: 0, flat: 2, cum: 3 }]);
  });

  it('uses the chosen sample column', () => {
    const cpu = pprofNumbers(p, 1);
    assert.equal(cpu.total, 32e7);
    assert.deepEqual(
      cpu.functions.map((f) => [f.name, f.flat, f.cum]),
      n.functions.map((f) => [f.name, f.flat * 1e7, f.cum * 1e7]),
    );
  });

  it('sorts like pprof -top: flat desc, then name, then cum desc', () => {
    assert.deepEqual(
      topOrder(n.functions).map((f) => f.name),
      ['main.leaf', 'main.rec', 'main.inlined', UNKNOWN_FUNCTION, 'main.main', 'example.com/p.(*T).M', 'main.hot', 'runtime.main'],
    );
  });

  it('merges functions by name and lines by cleaned file name', () => {
    const q = decodePprof(
      synthPprof({
        functions: [
          { id: 1, name: 'main.f', file: '/src/./a//b.go', start: 10 },
          { id: 2, name: 'main.f', file: '/src/a/b.go', start: 10 },
          { id: 3, name: 'main.g', file: '/src/a/b.go', start: 20 },
        ],
        locations: [
          { id: 1, lines: [[1, 11]] },
          { id: 2, lines: [[2, 11]] },
          { id: 3, lines: [[3, 21]] },
        ],
        samples: [
          { locs: [1, 3, 2], values: [3, 3] }, // f (two records) recursing through g: f counted once
          { locs: [2], values: [2, 2] },
        ],
      }),
    );
    const r = pprofNumbers(q, 0);
    assert.deepEqual(
      r.functions.map((f) => [f.name, f.flat, f.cum, f.lines]),
      [
        ['main.f', 5, 5, [{ file: '/src/a/b.go', line: 11, offset: 1, flat: 5, cum: 5 }]],
        ['main.g', 0, 3, [{ file: '/src/a/b.go', line: 21, offset: 1, flat: 0, cum: 3 }]],
      ],
    );
  });

  it('orders lines by file, then line, for short and long functions', () => {
    for (const n of [5, 150]) {
      // function 1 in two records (files b.go and a.go), lines added in descending order
      const locations = Array.from({ length: n }, (_, i) => ({ id: i + 1, lines: [[i % 2 ? 1 : 2, 1000 - i]] as Array<[number, number]> }));
      const q = decodePprof(
        synthPprof({
          functions: [
            { id: 1, name: 'main.f', file: 'b.go', start: 1 },
            { id: 2, name: 'main.f', file: 'a.go', start: 1 },
          ],
          locations,
          samples: locations.map((l) => ({ locs: [l.id], values: [1, 1] })),
        }),
      );
      const lines = pprofNumbers(q, 0).functions[0]!.lines.map((l) => `${l.file}:${l.line}`);
      const want = locations
        .map((l) => `${l.lines[0]![0] === 1 ? 'b.go' : 'a.go'}:${l.lines[0]![1]}`)
        .sort((x, y) => x.slice(0, 4).localeCompare(y.slice(0, 4)) || Number(x.slice(5)) - Number(y.slice(5)));
      assert.deepEqual(lines, want);
    }
  });

  it('keeps one line per (file, line): the same line number in two files is two lines', () => {
    const q = decodePprof(
      synthPprof({
        functions: [
          { id: 1, name: 'main.f', file: 'a.go', start: 1 },
          { id: 2, name: 'main.f', file: 'b.go', start: 1 },
        ],
        locations: [
          { id: 1, lines: [[1, 10]] },
          { id: 2, lines: [[2, 10]] },
          { id: 3, lines: [[1, 10]] }, // another address of a.go:10
        ],
        samples: [
          { locs: [1], values: [3, 3] },
          { locs: [2], values: [5, 5] },
          { locs: [3, 2], values: [1, 1] },
        ],
      }),
    );
    assert.deepEqual(pprofNumbers(q, 0).functions[0]!.lines, [
      { file: 'a.go', line: 10, offset: 9, flat: 4, cum: 4 },
      { file: 'b.go', line: 10, offset: 9, flat: 5, cum: 6 },
    ]);
  });

  it('needs the stacks', () => {
    assert.throws(() => pprofNumbers(decodePprof(synthPprof(edgeCaseProfile()), { heat: false }), 0), /without stacks/);
  });
});

describe("Go's path.Clean", () => {
  it('cleans like Go', () => {
    const cases: Array<[string, string]> = [
      ['', '.'],
      ['/', '/'],
      ['a/b/', 'a/b'],
      ['/a//b/./c/..', '/a/b'],
      ['../../x', '../../x'],
      ['/../x', '/x'],
      ['a/../..', '..'],
      ['C:\\go\\src\\x.go', 'C:\\go\\src\\x.go'],
    ];
    for (const [i, o] of cases) assert.equal(goCleanPath(i), o, i);
  });
});

describe("go tool pprof's display names (symbolizer heuristics, default mode)", () => {
  it('drops (…) and <…> groups from names that look like demangled C++, as pprof shows Go generics', () => {
    const cases: Array<[string, string]> = [
      // from test/corpus/btree/expected/btree.top.txt
      [
        'github.com/google/btree.items[go.shape.interface { Less(github.com/google/btree.Item) bool }].find.func1',
        'github.com/google/btree.items[go.shape.interface { Less bool }].find.func1',
      ],
      ['main.(*VM).run', 'main.(*VM).run'], // no []<>:: : untouched
      ['slices.SortFunc[go.shape.[]int,go.shape.int]', 'slices.SortFunc[go.shape.[]int,go.shape.int]'],
      ['example.com/x.(*Stack[go.shape.int]).Push', 'example.com/x.(*Stack[go.shape.int]).Push'], // "]).": a Go method, untouched
      ['java.lang.Object.<init>', 'java.lang.Object.<init>'], // ".<": untouched
      ['ns::f(int)<T>', 'ns::f'],
      ['x[a)b]', 'x[a)b]'], // unmatched ')' aborts
    ];
    for (const [sys, want] of cases) assert.equal(pprofDisplayName(sys, sys), want, sys);
    assert.equal(pprofDisplayName('shown', 'x[f(int)]'), 'shown'); // a name other than the system name is kept
    assert.equal(pprofDisplayName('', 'x[f(int)]'), 'x[f]');
  });
  it('merges functions whose display names agree', () => {
    const q = decodePprof(
      synthPprof({
        functions: [
          { id: 1, name: 'p.F[go.shape.interface { M(int) }]', start: 1 },
          { id: 2, name: 'p.F[go.shape.interface { M(string) }]', start: 1 },
        ],
        locations: [
          { id: 1, lines: [[1, 2]] },
          { id: 2, lines: [[2, 2]] },
        ],
        samples: [{ locs: [1, 2], values: [3, 3] }],
      }),
    );
    assert.deepEqual(
      pprofNumbers(q, 0, 'pprof').functions.map((f) => [f.name, f.flat, f.cum]),
      [['p.F[go.shape.interface { M }]', 3, 3]],
    );
    assert.equal(pprofNumbers(q, 0, 'raw').functions.length, 2);
  });
});

describe('heat from the byte string table equals heat from JS strings', () => {
  /** The same profile twice: read through the byte table (names by bytes, only reached ones decoded), and materialized first (names by string). */
  const both = (raw: Uint8Array): [unknown, unknown] => {
    const p = decodePprof(raw);
    const q = decodePprof(raw);
    void q.strings; // hands the table out as strings: pprofHeat then keys names by string
    assert.ok(!p.stringTable!.materialized && q.stringTable!.materialized);
    return [pprofNumbers(p, 0), pprofNumbers(q, 0)];
  };
  it('every corpus profile', () => {
    for (const { name, raw } of corpus()) {
      const [a, b] = both(raw);
      assert.deepEqual(a, b, name);
    }
  });
  it('a function named <unknown> merges with frames without a function; unreached and repeated records', () => {
    const prof = edgeCaseProfile();
    prof.functions.push(
      { id: 20, name: UNKNOWN_FUNCTION, start: 3, file: 'u.go' },
      { id: 21, name: 'main.unreached', start: 9, file: 'never.go' },
      { id: 22, name: 'main.leaf', start: 99, file: 'second-record.go' }, // a second record of a name: the first one's file and start line count
    );
    prof.locations.push({ id: 20, lines: [[20, 4]] }, { id: 21, lines: [[21, 10]] }, { id: 22, lines: [[22, 100]] });
    prof.samples.push({ locs: [20, 1], values: [3, 30] }, { locs: [22, 1], values: [2, 20] });
    const [a, b] = both(synthPprof(prof));
    assert.deepEqual(a, b);
    const fns = (a as { functions: Array<{ name: string; file: string; cum: number; lines: Array<{ line: number }> }> }).functions;
    const unknown = fns.find((f) => f.name === UNKNOWN_FUNCTION)!;
    assert.deepEqual(
      unknown.lines.map((l) => l.line),
      [0, 4],
      'one <unknown> row holds both the unsymbolized frames and the named function',
    );
    assert.equal(fns.find((f) => f.name === 'main.leaf')!.file, 'main.go');
    assert.ok(!fns.some((f) => f.name === 'main.unreached'));
  });
});
