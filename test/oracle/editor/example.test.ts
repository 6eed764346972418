/**
 * The example `npm start` opens (scripts/example.mjs): a git repository with the profile
 * committed, whose benchmark gives a profile the compiler uses. Checked with git and the go
 * command: the profile is tracked and clean; editing a profiled function is listed as edited
 * since the profile's commit; `pgo-lens benchmark` (what *Refresh Profile…* → *Run a benchmark*
 * runs) writes a profile with which the compiler devirtualizes the example's hot
 * function-value call, as it does with the committed profile.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { buildReport } from '../../../src/match/report';
import { repoRoot } from '../../paths';
import { goBuild, requireGo, tmpDir } from '../goenv';

const opts = requireGo();

describe('the npm start example', opts, () => {
  const base = tmpDir('example');
  after(() => fs.rmSync(base, { recursive: true, force: true }));
  const dir = path.join(base, 'interp');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  const devirts = (pgo: string): string[] =>
    [
      ...goBuild(dir, [`-pgo=${pgo}`, '-gcflags=example.com/interp=-m -d=pgodebug=1', '.']).matchAll(
        /^\S+: PGO devirtualizing (?:interface|function) call (.+)$/gm,
      ),
    ]
      .map((m) => m[1]!)
      .sort();

  it('is a git repository with the profile and a benchmark committed, nothing else', () => {
    const out = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'example.mjs'), dir], { encoding: 'utf8' });
    assert.equal(out.trim(), dir);
    assert.equal(git('status', '--porcelain'), '');
    const tracked = git('ls-files').trim().split('\n');
    for (const f of ['default.pgo', 'interp_test.go', 'vm.go', 'go.mod', '.vscode/settings.json']) assert.ok(tracked.includes(f), `${f} is committed`);
    assert.ok(!tracked.some((f) => f.startsWith('expected/')), 'the fixture outputs stay out');
    assert.equal(git('rev-list', '--count', 'HEAD').trim(), '1');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'default.pgo')), fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'interp', 'default.pgo')));
  });

  it('lists a profiled function edited since the profile was committed', async () => {
    let b = (await buildReport(dir, { history: true })).binaries[0]!;
    assert.ok(b.history && 'commit' in b.history, JSON.stringify(b.history));
    assert.deepEqual(b.history.changed, []);
    const vm = path.join(dir, 'vm.go');
    const text = fs.readFileSync(vm, 'utf8');
    assert.ok(text.includes('\tvm.env = env\n'));
    fs.writeFileSync(vm, text.replace('\tvm.env = env\n', '\tvm.env = env\n\t// a new line inside run\n'));
    b = (await buildReport(dir, { history: true })).binaries[0]!;
    assert.ok(b.history && 'commit' in b.history, JSON.stringify(b.history));
    assert.deepEqual(
      b.history.changed.map((c) => c.symbol),
      ['main.(*VM).run'],
    );
    git('checkout', '--', 'vm.go');
  });

  it('its benchmark gives a profile the compiler devirtualizes the hot calls with', async () => {
    const baseline = devirts('default.pgo');
    assert.ok(baseline.includes('handlers[in.op] to execArith'), baseline.join('\n'));
    const out = path.join(base, 'bench.pgo');
    const log: string[] = [];
    const sink = { write: (s: string) => (log.push(s), true) } as unknown as NodeJS.WritableStream;
    // A fixed amount of work (about 4 s of CPU, some 400 samples; '2s' of a busy machine's wall time gave half as many), and no
    // asynchronous preemption: on a loaded machine the runtime preempts the benchmark's goroutine often enough that samples in
    // runtime.asyncPreempt at the same call line (VM.run+4) outweighed execArith (14 against 13), and the compiler, which
    // devirtualizes to the hottest callee only and cannot to one without IR, then devirtualized nothing there.
    const godebug = process.env.GODEBUG;
    process.env.GODEBUG = [godebug, 'asyncpreemptoff=1'].filter(Boolean).join(',');
    try {
      assert.equal(await main(['benchmark', dir, '--bench', '.', '--benchtime', '5000x', '-o', out], sink, sink), 0, log.join(''));
    } finally {
      if (godebug === undefined) delete process.env.GODEBUG;
      else process.env.GODEBUG = godebug;
    }
    const fromBench = devirts(out);
    assert.ok(fromBench.includes('handlers[in.op] to execArith'), `${fromBench.join('\n')}\n${log.join('')}`);
    assert.equal(git('status', '--porcelain'), '', 'the benchmark wrote nothing into the workspace');
  });
});
