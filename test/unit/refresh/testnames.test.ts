import assert from 'node:assert/strict';
import { before as setup, describe, it } from 'node:test';
import { loadProfileBytes } from '../../../src/pgo/load';
import { gunzip } from '../../../src/profile/inflate';
import { decodePprof } from '../../../src/profile/pprof';
import { mainPackageSymbol, planTestNameRewrite, rewriteTestBinaryNames, TESTMAIN_PREFIX, type TestNameRewrite } from '../../../src/refresh/testnames';
import { type SynthProfile, synthPprof } from '../../synth';

const PKG = 'example.com/x/cmd/y';

describe('mainPackageSymbol', () => {
  const cases: Array<[string, string]> = [
    ['example.com/x/cmd/y.work', 'main.work'],
    ['example.com/x/cmd/y.(*T).M', 'main.(*T).M'],
    ['example.com/x/cmd/y.T.M', 'main.T.M'],
    ['example.com/x/cmd/y.work.func1', 'main.work.func1'],
    ['example.com/x/cmd/y.work.func1.2', 'main.work.func1.2'],
    ['example.com/x/cmd/y.init.0', 'main.init.0'],
    ['example.com/x/cmd/y.init', 'main.init'],
    ['example.com/x/cmd/y.count-range1', 'main.count-range1'],
    ['example.com/x/cmd/y.run.gowrap1', 'main.run.gowrap1'],
    ['example.com/x/cmd/y.Map[go.shape.int]', 'main.Map[go.shape.int]'],
    ['example.com/x/cmd/y.(*Set[go.shape.string]).Add', 'main.(*Set[go.shape.string]).Add'],
    // the package's types inside another package's shape arguments (as Go 1.26 spells them)
    [
      'example.com/x/lib.(*Stack[go.shape.struct { example.com/x/cmd/y.a int; example.com/x/cmd/y.k example.com/x/cmd/y.kind }]).Push',
      'example.com/x/lib.(*Stack[go.shape.struct { main.a int; main.k main.kind }]).Push',
    ],
    ['slices.SortFunc[go.shape.[]example.com/x/cmd/y.P,go.shape.struct { X float64 }]', 'slices.SortFunc[go.shape.[]main.P,go.shape.struct { X float64 }]'],
    ['lib.F[go.shape.map[example.com/x/cmd/y.K]*example.com/x/cmd/y.V]', 'lib.F[go.shape.map[main.K]*main.V]'],
    ['lib.F[go.shape.func(...example.com/x/cmd/y.T)]', 'lib.F[go.shape.func(...main.T)]'],
    // other packages stay
    ['example.com/x/cmd/y_test.BenchmarkX', 'example.com/x/cmd/y_test.BenchmarkX'],
    ['example.com/x/cmd/yz.F', 'example.com/x/cmd/yz.F'],
    ['example.com/x/cmd/y/sub.F', 'example.com/x/cmd/y/sub.F'],
    ['other.org/example.com/x/cmd/y.F', 'other.org/example.com/x/cmd/y.F'],
    ['runtime.mallocgc', 'runtime.mallocgc'],
  ];
  for (const [from, to] of cases) it(from, () => assert.equal(mainPackageSymbol(from, PKG), to));

  it('uses the linker prefix (dots after the last slash escaped)', () => {
    assert.equal(mainPackageSymbol('example.com/x/cmd/y%2ev2.F', 'example.com/x/cmd/y.v2'), 'main.F');
    assert.equal(mainPackageSymbol('example.com/x/cmd/y.F', 'example.com/x/cmd/y.v2'), 'example.com/x/cmd/y.F');
  });
});

function testBinaryProfile(): SynthProfile {
  return {
    functions: [
      { id: 1, name: 'main.main', start: 40, file: '_testmain.go' },
      { id: 2, name: 'testing.(*B).runN', start: 200, file: '/go/src/testing/benchmark.go' },
      { id: 3, name: `${PKG}.BenchmarkWork`, start: 5, file: '/ws/x/cmd/y/main_test.go' },
      { id: 4, name: `${PKG}.work`, start: 30, file: '/ws/x/cmd/y/main.go' },
      { id: 5, name: `${PKG}.(*T).M`, start: 17, file: '/ws/x/cmd/y/main.go' },
      { id: 6, name: `${PKG}.work.func1`, start: 32, file: '/ws/x/cmd/y/main.go' },
      { id: 7, name: `example.com/x/lib.(*Stack[go.shape.struct { ${PKG}.a int; ${PKG}.k ${PKG}.kind }]).Push`, start: 5, file: '/ws/x/lib/lib.go' },
      { id: 8, name: `${PKG}.main`, start: 50, file: '/ws/x/cmd/y/main.go' },
      { id: 9, name: 'testing.(*M).Run', start: 300, file: '/go/src/testing/testing.go' },
    ],
    locations: [
      { id: 1, lines: [[5, 20]] },
      { id: 2, lines: [[4, 35]] },
      { id: 3, lines: [[6, 32]] },
      { id: 4, lines: [[7, 5]] },
      { id: 5, lines: [[3, 7]] },
      { id: 6, lines: [[2, 210]] },
      { id: 7, lines: [[9, 310]] },
      { id: 8, lines: [[1, 45]] },
      { id: 9, lines: [[4, 36]] },
    ],
    samples: [
      { locs: [1, 2, 5, 6], values: [50, 5e8] },
      { locs: [3, 9, 5, 6], values: [20, 2e8] },
      { locs: [4, 2, 5, 6], values: [10, 1e8] },
      { locs: [7, 8], values: [1, 1e7] },
    ],
    durationNanos: 1e9,
  };
}

describe('rewriteTestBinaryNames', () => {
  const bytes = synthPprof(testBinaryProfile());
  const before = loadProfileBytes(bytes).profile;
  let r: TestNameRewrite;
  setup(async () => {
    r = await rewriteTestBinaryNames(bytes, PKG);
  });

  it('renames the package under test to main., keeps everything else', () => {
    const edges = r.profile.edges.map((e) => `${e.caller}+${e.offset} → ${e.callee} ${e.weight}`);
    assert.deepEqual(edges, [
      'main.work+5 → main.(*T).M 50',
      'main.work+6 → main.work.func1 20',
      'main.work+5 → example.com/x/lib.(*Stack[go.shape.struct { main.a int; main.k main.kind }]).Push 10',
      '_testmain.main+5 → testing.(*M).Run 1',
    ]);
    assert.equal(r.profile.totalWeight, before.totalWeight);
    assert.equal(r.profile.sampleCount, before.sampleCount);
    assert.equal(r.profile.durationNanos, before.durationNanos);
  });

  it('reports what was renamed, and renames the generated main package out of the way', () => {
    assert.deepEqual(
      r.renamed.map((x) => x.to),
      ['main.(*T).M', 'main.main', 'main.work', 'main.work.func1', 'example.com/x/lib.(*Stack[go.shape.struct { main.a int; main.k main.kind }]).Push'],
    );
    assert.deepEqual(r.testmain, [{ from: 'main.main', to: `${TESTMAIN_PREFIX}main` }]);
    // declared in a _test.go file: not part of the program, name kept
    assert.deepEqual(r.testOnly, [`${PKG}.BenchmarkWork`]);
  });

  it('sets Function.system_name like name, keeps file names and start lines', () => {
    const p = decodePprof(gunzip(r.bytes), { keepSamples: true });
    const F = p.functions;
    const got = new Map<string, [string, string, number]>();
    for (let f = 0; f < F.count; f++) got.set(p.strings[F.name[f]!]!, [p.strings[F.systemName[f]!]!, p.strings[F.filename[f]!]!, F.startLine[f]!]);
    assert.deepEqual(got.get('main.work'), ['main.work', '/ws/x/cmd/y/main.go', 30]);
    assert.deepEqual(got.get('_testmain.main'), ['_testmain.main', '_testmain.go', 40]);
    assert.deepEqual(got.get('main.main'), ['main.main', '/ws/x/cmd/y/main.go', 50]);
    assert.equal(p.samples!.count, 4);
  });

  it('names of another main package are left alone', () => {
    const p = decodePprof(bytes, { keepSamples: true });
    const plan = planTestNameRewrite(p, 'example.com/x/cmd/z');
    assert.deepEqual(plan.renamed, []);
    // the generated main package is still moved out of main.
    assert.deepEqual(
      plan.testmain.map((x) => x.to),
      ['_testmain.main'],
    );
  });
});
