import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main';
import { shownPath } from '../../../src/cli/commands/rewrite';
import { loadProfileFile } from '../../../src/pgo/load';
import { edgeCaseProfile, synthPprof } from '../../synth';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const echunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => echunks.push(c));
  const code = await main(argv, out, err);
  return { code, out: Buffer.concat(chunks).toString(), err: Buffer.concat(echunks).toString() };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-cli-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const good = path.join(dir, 'good.pgo');
fs.writeFileSync(good, synthPprof(edgeCaseProfile()));
const heap = path.join(dir, 'heap.pgo');
const hp = edgeCaseProfile();
hp.sampleTypes = [
  ['alloc_objects', 'count'],
  ['alloc_space', 'bytes'],
];
fs.writeFileSync(heap, synthPprof(hp));

describe('pgo-lens CLI', () => {
  it('hot --json follows the contract', async () => {
    const r = await run('hot', good, '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['totalWeight', 'thresholdPercent', 'hotCallSites', 'hotFunctions']);
    assert.equal(j.totalWeight, 42);
    assert.equal(j.thresholdPercent, (1 / 42) * 100);
    assert.deepEqual(j.hotCallSites[0], { caller: 'main.hot', offset: 2, callee: 'main.inlined', weight: 14 });
    assert.deepEqual(j.hotFunctions, ['', 'example.com/p.(*T).M', 'main.inlined', 'main.leaf', 'main.main', 'main.rec']);
    const r50 = JSON.parse((await run('hot', good, '--cdf-threshold', '50', '--json')).out);
    assert.equal(r50.hotCallSites.length, 2);
  });
  it('preprofile writes to a file atomically, or to stdout', async () => {
    const out = path.join(dir, 'out.pre');
    assert.equal((await run('preprofile', good, '-o', out)).code, 0);
    const text = fs.readFileSync(out, 'utf8');
    assert.ok(text.startsWith('GO PREPROFILE V1\nmain.hot\nmain.inlined\n2 14\n'));
    assert.equal((await run('preprofile', good)).out, text);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });
  it('errors: exit 1 and one clear line on stderr', async () => {
    for (const [file, re] of [
      [heap, /not a CPU profile: .*samples\/count.*alloc_objects/],
      [path.join(dir, 'nope.pgo'), /cannot read profile: error opening profile/],
    ] as const) {
      const r = await run('hot', file);
      assert.equal(r.code, 1);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err, re);
      assert.equal(r.out, '');
    }
  });
  it('usage errors exit 2; --help works for every command', async () => {
    assert.equal((await run('hot')).code, 2);
    assert.equal((await run('hot', good, '--cdf-threshold', '101')).code, 2);
    assert.equal((await run('hot', good, '--bogus')).code, 2);
    assert.equal((await run('frobnicate')).code, 2);
    const top = await run('--help');
    assert.equal(top.code, 0);
    for (const cmd of ['preprofile', 'hot', 'top', 'list', 'symbols', 'report']) {
      assert.match(top.out, new RegExp(`\\b${cmd}\\b`));
      const h = await run(cmd, '--help');
      assert.equal(h.code, 0);
      assert.match(h.out, /^Usage: pgo-lens /);
    }
  });
});

// Expected numbers worked out by hand from pprof's rules (see test/unit/pgo/flatcum.test.ts; the
// oracle test compares the same profile with go tool pprof).
describe('pgo-lens top and list', () => {
  it("top --json: pprof's default sample index (the last type), -top's order and numbers", async () => {
    const r = await run('top', good, '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['sampleIndex', 'unit', 'total', 'functions']);
    assert.deepEqual([j.sampleIndex, j.unit, j.total], ['cpu', 'nanoseconds', 32e7]);
    assert.deepEqual(
      j.functions.map((f: { name: string; flat: number; cum: number }) => [f.name, f.flat / 1e7, f.cum / 1e7]),
      [
        ['main.leaf', 17, 17],
        ['main.rec', 7, 7],
        ['main.inlined', 4, 21],
        ['<unknown>', 2, 3],
        ['main.main', 1, 26],
        ['example.com/p.(*T).M', 0, 7],
        ['main.hot', 0, 14],
        ['runtime.main', 0, 5],
      ],
    );
    const s = JSON.parse((await run('top', good, '--json', '--sample-index', 'samples')).out);
    assert.deepEqual([s.sampleIndex, s.unit, s.total, s.functions[0]], ['samples', 'count', 32, { name: 'main.leaf', flat: 17, cum: 17 }]);
    assert.equal(JSON.parse((await run('top', good, '--json', '--sample-index', '0')).out).sampleIndex, 'samples');
  });
  it('top reads any sample type, and --lines gives one row per source line', async () => {
    const h = JSON.parse((await run('top', heap, '--json')).out);
    assert.deepEqual([h.sampleIndex, h.unit, h.total], ['alloc_space', 'bytes', 32e7]);
    const l = JSON.parse((await run('top', good, '--lines', '--json', '--sample-index', 'samples')).out);
    assert.deepEqual(l.lines.slice(0, 2), [
      { name: 'main.leaf', file: 'main.go', line: 41, flat: 17, cum: 17 },
      { name: 'main.rec', file: 'main.go', line: 52, flat: 7, cum: 7 },
    ]);
    const text = (await run('top', good, '--sample-index', 'samples')).out;
    assert.match(text, /^\s+17 53\.12% 53\.12%\s+17 53\.12% {2}main\.leaf$/m); // go tool pprof: 53.125 % → 53.12 % (ties to even)
  });
  it('list --json: per-line numbers of the matching functions', async () => {
    const r = await run('list', good, 'rec$', '--json', '--sample-index', 'samples');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out).functions, [
      {
        name: 'main.rec',
        flat: 7,
        cum: 7,
        lines: [
          { file: 'main.go', line: 52, offset: 2, flat: 7, cum: 7 },
          { file: 'main.go', line: 53, offset: 3, flat: 0, cum: 7 },
        ],
      },
    ]);
    assert.match((await run('list', good, 'rec$')).out, /ROUTINE =+ main\.rec in main\.go/);
  });
  it('usage and input errors', async () => {
    assert.equal((await run('top')).code, 2);
    assert.match((await run('top', good, '--sample-index', 'heap')).err, /must be one of: samples, cpu/);
    assert.equal((await run('top', good, '--sample-index', '7')).code, 2);
    assert.equal((await run('list', good)).code, 2);
    assert.equal((await run('list', good, '(')).code, 2);
    assert.match((await run('list', good, 'nothing-matches')).err, /no function in the profile matches/);
    const pre = path.join(dir, 'x.pre');
    fs.writeFileSync(pre, 'GO PREPROFILE V1\na\nb\n1 5\n');
    const r = await run('top', pre);
    assert.equal(r.code, 1);
    assert.match(r.err, /no pprof samples: it is a GO PREPROFILE V1 file/);
  });
});

describe('pgo-lens symbols and report', () => {
  const fixture = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'textproc');
  it('symbols --json lists functions with file, line and end line', async () => {
    const r = await run('symbols', fixture, '--json');
    assert.equal(r.code, 0, r.err);
    const syms = JSON.parse(r.out) as Array<{ symbol: string; file: string; line: number; endLine: number }>;
    assert.ok(syms.length > 20);
    for (const s of syms) {
      assert.deepEqual(Object.keys(s), ['symbol', 'file', 'line', 'endLine']);
      assert.ok(s.endLine >= s.line, s.symbol);
      assert.ok(!path.isAbsolute(s.file));
    }
    // the escaped .v2 package path, as profiles name it
    assert.ok(syms.some((s) => s.symbol === 'example.com/textproc/checksum%2ev2.FNV32a' && s.file === 'checksum.v2/checksum.go'));
  });
  it('report --json follows the contract, one binary per main package with a default.pgo', async () => {
    const r = await run('report', fixture, '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.binaries.map((b: { mainPackage: string }) => b.mainPackage).sort(), [
      'example.com/textproc/cmd/digest',
      'example.com/textproc/cmd/wordfreq',
    ]);
    for (const b of j.binaries) {
      assert.deepEqual(Object.keys(b), [
        'mainPackage',
        'profile',
        'percentBase',
        'profileTotal',
        'inlineCandidates',
        'devirtualizations',
        'unmatched',
        'matchedPercent',
        'lostPercent',
        'history',
      ]);
      assert.equal(b.percentBase, 'profile');
      assert.equal(b.lostPercent, 0);
      // the base is the sum of the chosen sample values, not the edge weight
      const { profile } = await loadProfileFile(path.join(fixture, b.profile), { heat: false });
      assert.equal(b.profileTotal, profile.sampleTotal);
      assert.notEqual(profile.sampleTotal, profile.totalWeight);
      // the fixtures live in this repository: their profiles' commit, or why there is none (an export without .git)
      assert.ok(
        typeof b.history.commit === 'string' ? /^[0-9a-f]{40}$/.test(b.history.commit) && Array.isArray(b.history.changed) : typeof b.history.none === 'string',
        JSON.stringify(b.history),
      );
      assert.deepEqual(b.unmatched, []);
      assert.equal(b.matchedPercent, 100);
      assert.ok(b.inlineCandidates.length > 0);
      for (const c of b.inlineCandidates) {
        assert.deepEqual(
          Object.keys(c).filter((k) => k !== 'cost'),
          ['file', 'line', 'caller', 'callee', 'weight', 'percent', 'pgo', 'why'],
        );
        assert.ok(['hot-budget', 'possible', 'none'].includes(c.pgo), c.pgo);
      }
      for (const d of b.devirtualizations)
        assert.deepEqual(
          Object.keys(d).filter((k) => k !== 'doubt'),
          ['file', 'line', 'caller', 'callee', 'weight', 'certain'],
        );
    }
  });
  it('report words a hot call site with no samples of its own as the editor does, not 0.00%', async () => {
    const j = JSON.parse((await run('report', fixture, '--json', '--no-git')).out) as {
      binaries: Array<{ inlineCandidates: Array<{ file: string; line: number; callee: string; weight: number; percent: number }> }>;
    };
    const text = (await run('report', fixture, '--no-git')).out;
    const shown = j.binaries.flatMap((b) => b.inlineCandidates.slice(0, 20));
    assert.ok(shown.some((c) => c.weight === 0) && shown.some((c) => c.weight > 0), 'the fixture has both kinds of hot call site');
    for (const c of shown) {
      const share = c.weight > 0 ? `${c.percent.toFixed(2)}%` : 'on a hot line (no samples of its own)';
      assert.ok(text.includes(`    ${c.file}:${c.line}  ${c.callee}  ${share}\n`), `${c.file}:${c.line} ${c.callee}: ${share}`);
    }
    assert.doesNotMatch(text, / {2}0\.00%\n/);
  });
  it('report --profile applies one profile to every main package', async () => {
    const pgo = path.join(fixture, 'cmd', 'digest', 'default.pgo');
    const j = JSON.parse((await run('report', fixture, '--profile', pgo, '--json')).out);
    assert.equal(j.binaries.length, 2);
    assert.ok(j.binaries.every((b: { profile: string }) => b.profile === 'cmd/digest/default.pgo'));
  });
});

describe('pgo-lens rewrite output path', () => {
  it('is relative inside the working directory and absolute outside it, never ../..', () => {
    assert.equal(shownPath(path.join(process.cwd(), 'a', 'b.pgo')), path.join('a', 'b.pgo'));
    const outside = path.join(os.tmpdir(), 'x', 'default.pgo');
    assert.equal(shownPath(path.relative(process.cwd(), outside)), outside);
  });
});
