import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main';
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
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
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
    for (const cmd of ['preprofile', 'hot', 'symbols', 'report']) {
      assert.match(top.out, new RegExp(`\\b${cmd}\\b`));
      const h = await run(cmd, '--help');
      assert.equal(h.code, 0);
      assert.match(h.out, /^Usage: pgo-lens /);
    }
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
    assert.deepEqual(j.binaries.map((b: { mainPackage: string }) => b.mainPackage).sort(), ['example.com/textproc/cmd/digest', 'example.com/textproc/cmd/wordfreq']);
    for (const b of j.binaries) {
      assert.deepEqual(Object.keys(b), ['mainPackage', 'profile', 'inlineCandidates', 'devirtualizations', 'unmatched', 'matchedPercent', 'history']);
      // the fixtures live in this repository: their profiles' commit, or why there is none (an export without .git)
      assert.ok(typeof b.history.commit === 'string' ? /^[0-9a-f]{40}$/.test(b.history.commit) && Array.isArray(b.history.changed) : typeof b.history.none === 'string', JSON.stringify(b.history));
      assert.deepEqual(b.unmatched, []);
      assert.equal(b.matchedPercent, 100);
      assert.ok(b.inlineCandidates.length > 0);
      for (const c of b.inlineCandidates) {
        assert.deepEqual(Object.keys(c).filter((k) => k !== 'cost'), ['file', 'line', 'caller', 'callee', 'weight', 'percent', 'pgo', 'why']);
        assert.ok(['hot-budget', 'possible', 'none'].includes(c.pgo), c.pgo);
      }
      for (const d of b.devirtualizations) assert.deepEqual(Object.keys(d).filter((k) => k !== 'doubt'), ['file', 'line', 'caller', 'callee', 'weight', 'certain']);
    }
  });
  it('report --profile applies one profile to every main package', async () => {
    const pgo = path.join(fixture, 'cmd', 'digest', 'default.pgo');
    const j = JSON.parse((await run('report', fixture, '--profile', pgo, '--json')).out);
    assert.equal(j.binaries.length, 2);
    assert.ok(j.binaries.every((b: { profile: string }) => b.profile === 'cmd/digest/default.pgo'));
  });
});
