/**
 * Oracle: `pgo-lens evaluate` on the payoff fixture. Its speed table equals benchstat's on the
 * raw output it measured; the function whose frame PGO inlining grows (work.Process, by
 * checksum's 16 KiB array) is flagged with checksum, the callee the compiler says it inlined
 * there with the hot budget; and the profile written by --exclude-out makes the compiler stop
 * inlining checksum. No timing assertions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import type { EvaluateResult } from '../../../src/evaluate/evaluate';
import { fixturesDir } from '../../paths';
import { goBuildTrimmed, requireGo, tmpDir } from '../goenv';
import { assertSameAsBenchstat, benchstatCsv, installBenchstat } from './benchstat-tool';

const opts = requireGo();
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const fixture = path.join(fixturesDir, 'payoff');
const PROCESS = 'example.com/payoff/work.Process';

describe('pgo-lens evaluate on the payoff fixture', opts, () => {
  it('agrees with benchstat, flags Process with checksum, and --exclude-out stops the inlining', async () => {
    const dir = tmpDir('evaluate');
    dirs.push(dir);
    const excluded = path.join(dir, 'excluded.pgo');
    let stdout = '';
    const sink = { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream;
    const argv = [
      'evaluate',
      fixture,
      '--bench',
      '.',
      '--bench-pkg',
      path.join(fixture, 'work'),
      '--count',
      '6',
      '--benchtime',
      '20ms',
      '--no-build-time',
      '--json',
      '--exclude-out',
      excluded,
    ];
    const code = await main(argv, sink, sink);
    assert.equal(code, 0, stdout);
    const r = JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1)) as EvaluateResult;

    // Speed: the same numbers as benchstat on the raw output evaluate measured.
    assert.ok(r.speed, 'speed was measured');
    assert.deepEqual(r.speed.deltas.map((d) => d.name.replace(/-\d+$/, '')).sort(), ['Hash', 'Process', 'Sum']);
    const off = path.join(dir, 'off.txt');
    const pgo = path.join(dir, 'pgo.txt');
    fs.writeFileSync(off, r.speed.raw.off);
    fs.writeFileSync(pgo, r.speed.raw.pgo);
    for (const side of [r.speed.raw.off, r.speed.raw.pgo]) assert.equal(side.split('\n').filter((l) => l.startsWith('BenchmarkHash')).length, 6);
    assertSameAsBenchstat(r.speed.raw.off, r.speed.raw.pgo, benchstatCsv(installBenchstat(dir), off, pgo));

    // Frames: Process is flagged, with checksum as the callee responsible.
    const flagged = r.frames.flagged.find((f) => f.symbol === PROCESS);
    assert.ok(flagged, `Process not flagged: ${JSON.stringify(r.frames.grown.map((g) => [g.symbol, g.off, g.pgo]))}`);
    assert.ok(flagged.pgo - flagged.off >= 16384, `Process grows by ${flagged.pgo - flagged.off} B`);
    assert.equal(flagged.inlined[0]?.callee, 'checksum');
    const dbg = fs.readFileSync(path.join(fixture, 'expected', 'payoff.pgodebug.txt'), 'utf8');
    assert.match(
      dbg,
      /hot-budget check allows inlining for call example\.com\/payoff\/work\.checksum \(cost \d+\) at \S+ in function example\.com\/payoff\/work\.Process/,
    );
    assert.deepEqual(
      flagged.edges.map((e) => `${e.caller} ${e.callee}`),
      [`${PROCESS} example.com/payoff/work.checksum`],
    );

    // Size: main.main grows with the bodies PGO inlines into it (the compiler's hot-budget lines);
    // the function deltas add up to the text delta.
    assert.ok(r.size.fileBytes.off > 0 && r.size.fileBytes.pgo > 0);
    assert.match(dbg, /hot-budget check allows inlining for call \S+ \(cost \d+\) at \S+ in function main\.main/);
    const mm = r.size.functions.find((f) => f.name === 'main.main');
    assert.ok(mm && mm.off > 0 && mm.pgo > mm.off, `main.main text ${JSON.stringify(mm)}`);
    const sum = r.size.functions.reduce((a, f) => a + f.pgo - f.off, 0);
    assert.equal(sum, r.size.textBytes.pgo - r.size.textBytes.off);

    // --exclude-out: the compiler no longer inlines checksum into Process.
    const gc = '-gcflags=example.com/payoff/work=-m -d=pgodebug=1';
    // (-trimpath: a fresh clone at another path takes these compiles from the build cache too)
    const withProfile = goBuildTrimmed(fixture, [`-pgo=${path.join(fixture, 'default.pgo')}`, gc, '.']);
    const withExcluded = goBuildTrimmed(fixture, [`-pgo=${excluded}`, gc, '.']);
    assert.match(withProfile, /work\.go:\d+:\d+: inlining call to checksum/);
    assert.doesNotMatch(withExcluded, /inlining call to checksum/);
    assert.match(withExcluded, /inlining call to mix/, 'the other hot-budget inlining stays');
  });
});
