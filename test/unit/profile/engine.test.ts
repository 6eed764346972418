import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { loadProfileBytes } from '../../../src/pgo/load';
import { hotSet, type NamedEdge } from '../../../src/pgo/model';
import { parsePreprofile, serializePreprofile } from '../../../src/pgo/preprofile';
import { goFormatFloat, goStringCompare } from '../../../src/pgo/gofmt';
import { CPU_TYPES, edgeCaseProfile, synthPprof } from '../../synth';

const edge = (caller: string, offset: number, callee: string, weight: number): NamedEdge => ({ caller, offset, callee, weight });

describe('compiler model on hand-computed edge cases', () => {
  // Expected values worked out by hand from go-pgo-semantics.md §2 (graph.go NewGraph): only the
  // two leaf-most locations count, inline chains run outermost→innermost, self edges are dropped,
  // and nodes at different addresses merge by name in the named edge map.
  const { profile } = loadProfileBytes(synthPprof(edgeCaseProfile()));

  it('builds the named edge map in ByWeight order', () => {
    assert.equal(profile.totalWeight, 42);
    assert.deepEqual(profile.edges, [
      edge('main.hot', 2, 'main.inlined', 14),
      edge('main.inlined', 1, 'main.leaf', 10),
      edge('example.com/p.(*T).M', 1, 'main.leaf', 7),
      edge('main.inlined', 3, 'example.com/p.(*T).M', 7),
      edge('main.main', 2, '', 2),
      edge('', 0, 'main.main', 1),
      edge('main.rec', 3, 'main.rec', 1),
    ]);
  });

  it('uses samples/count, the first matching sample type', () => {
    assert.deepEqual(profile.sampleType, { type: 'samples', unit: 'count' });
    const swapped = edgeCaseProfile();
    swapped.sampleTypes = [
      ['cpu', 'nanoseconds'],
      ['samples', 'count'],
    ];
    for (const smp of swapped.samples) smp.values.reverse();
    const { profile: p2 } = loadProfileBytes(synthPprof(swapped));
    assert.deepEqual(p2.sampleType, { type: 'cpu', unit: 'nanoseconds' });
    assert.equal(p2.totalWeight, 42e7);
  });

  it('computes the CDF hot set and the printed threshold', () => {
    const hs = hotSet(profile, 99);
    assert.equal(hs.hotCount, 7);
    assert.equal(hs.thresholdPercent, (1 / 42) * 100);
    const hs50 = hotSet(profile, 50);
    // 14/42 = 33.3 %, then 24/42 = 57.1 % > 50: two edges, printed weight 10/42.
    assert.equal(hs50.hotCount, 2);
    assert.equal(hs50.thresholdPercent, (10 / 42) * 100);
    assert.deepEqual([...hs50.hotCallees].sort(), ['main.inlined', 'main.leaf']);
    assert.deepEqual(
      hs50.hotEdges.map((e) => `${e.caller}:${e.offset}`),
      ['main.hot:2', 'main.inlined:1'],
    );
    assert.throws(() => hotSet(profile, 101), /between 0 and 100/);
  });

  it('folds whole-stack heat per (function, offset)', () => {
    const leaf = profile.heat.rows().find((f) => f.name === 'main.leaf')!;
    assert.deepEqual(leaf.lines, [{ file: 'main.go', offset: 1, line: 41, flat: 17, cum: 17 }]);
    const hot = profile.heat.rows().find((f) => f.name === 'main.hot')!;
    assert.deepEqual(hot.lines, [{ file: 'main.go', offset: 2, line: 22, flat: 0, cum: 14 }]);
    const main = profile.heat.rows().find((f) => f.name === 'main.main')!;
    assert.deepEqual(main.lines, [{ file: 'main.go', offset: 2, line: 12, flat: 1, cum: 26 }]);
    assert.deepEqual([main.flat, main.cum], [1, 26]);
    assert.equal(profile.sampleTotal, 5 + 3 + 2 + 4 + 6 + 1 + 2 + 1 + 7 + 0 + 1);
  });

  it('reads gzip and raw input alike', () => {
    const raw = synthPprof(edgeCaseProfile());
    const gz = loadProfileBytes(zlib.gzipSync(raw)).profile;
    assert.deepEqual(gz.edges, profile.edges);
  });
});

describe('empty and degenerate profiles (the compiler disables PGO, no error)', () => {
  it('accepts an empty file', () => {
    const { profile } = loadProfileBytes(new Uint8Array(0));
    assert.equal(profile.totalWeight, 0);
    assert.equal(serializePreprofile(profile).toString(), 'GO PREPROFILE V1\n');
  });
  it('accepts a profile without samples, whatever its sample types', () => {
    const { profile } = loadProfileBytes(synthPprof({ sampleTypes: [['alloc_space', 'bytes']], functions: [], locations: [], samples: [] }));
    assert.equal(profile.totalWeight, 0);
  });
  it('accepts a profile whose only samples are one-frame (no edges)', () => {
    const { profile } = loadProfileBytes(
      synthPprof({ functions: [{ id: 1, name: 'f', start: 3 }], locations: [{ id: 1, lines: [[1, 4]] }], samples: [{ locs: [1], values: [3, 3] }] }),
    );
    assert.equal(profile.totalWeight, 0);
    assert.equal(profile.edges.length, 0);
  });
});

describe('preprofile format', () => {
  it('round-trips and keeps file order', () => {
    const text = 'GO PREPROFILE V1\nb\nc\n-3 5\na\nb\n2 5\n';
    const p = parsePreprofile(Buffer.from(text));
    assert.equal(p.totalWeight, 10);
    assert.deepEqual(p.edges, [edge('b', -3, 'c', 5), edge('a', 2, 'b', 5)]);
    assert.equal(serializePreprofile(p).toString(), text);
  });
  it('accepts CRLF lines and a missing final newline, like bufio.ScanLines', () => {
    const p = parsePreprofile(Buffer.from('GO PREPROFILE V1\r\nx\r\ny\r\n+1 2'));
    assert.deepEqual(p.edges, [edge('x', 1, 'y', 2)]);
  });
  it('rejects malformed files with the compiler’s reasons', () => {
    const bad: Array<[string, RegExp]> = [
      ['', /missing header/],
      ['GO PREPROFILE V2\n', /malformed header/],
      ['GO PREPROFILE V1\na\n', /missing callee/],
      ['GO PREPROFILE V1\na\nb\n', /missing weight/],
      ['GO PREPROFILE V1\na\nb\n1  2\n', /want 2 fields/],
      ['GO PREPROFILE V1\na\nb\nx 2\n', /call line/],
      ['GO PREPROFILE V1\na\nb\n1 2.5\n', /call weight/],
      ['GO PREPROFILE V1\na\nb\n1 2\na\nb\n1 3\n', /duplicate edge/],
    ];
    for (const [text, re] of bad) {
      assert.throws(
        () => parsePreprofile(Buffer.from(text)),
        (e: Error & { kind?: string }) => e.kind === 'preprofile' && re.test(e.message),
        text,
      );
    }
  });
});

describe('Go formatting and ordering', () => {
  it('formats floats like Go %v', () => {
    const cases: Array<[number, string]> = [
      [5e-5, '5e-05'],
      [0.0001, '0.0001'],
      [0.00012, '0.00012'],
      [1e6, '1e+06'],
      [99.5, '99.5'],
      [100, '100'],
      [0, '0'],
      [12.345678901234567, '12.345678901234567'],
      [0.005742506029631331, '0.005742506029631331'],
      [1.5e-7, '1.5e-07'],
    ];
    for (const [x, want] of cases) assert.equal(goFormatFloat(x), want, String(x));
  });
  it('compares strings byte-wise as UTF-8', () => {
    // U+FF21 sorts before U+1F600 in UTF-8 but after it in UTF-16 code units.
    assert.ok(goStringCompare('\uFF21', '\u{1F600}') < 0);
    assert.ok('\uFF21' > '\u{1F600}');
    assert.ok(goStringCompare('a', 'ab') < 0);
    assert.equal(goStringCompare('x', 'x'), 0);
  });
});

describe('sample types', () => {
  it('uses cpu/nanoseconds when samples/count is absent', () => {
    const p = edgeCaseProfile();
    p.sampleTypes = [['cpu', 'nanoseconds']];
    for (const s of p.samples) s.values = [s.values[1]!];
    const { profile } = loadProfileBytes(synthPprof(p));
    assert.equal(profile.totalWeight, 42e7);
    assert.deepEqual(CPU_TYPES[1], ['cpu', 'nanoseconds']);
  });
});
