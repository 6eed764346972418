/**
 * Git history against the compiler. The `interp` fixture is copied into a fresh git repository
 * and committed with its profile; then two lines are inserted inside `(*VM).run` above its hot
 * function-value call `handlers[in.op](vm, in.arg)`, which PGO devirtualizes to execArith.
 * - Without history the function-value call is paired with the calls around it: an offset-drift
 *   of +2 (basis calls). With history it is exact (basis git), and the function is listed as
 *   edited since the profile's commit — also after the edit itself is committed.
 * - The stale profile really loses the devirtualization (the compiler says so); after
 *   `pgo-lens rewrite --realign` (history-based) the compiler prints the baseline's decisions.
 * - A profile with uncommitted changes has no commit describing it: no history, with the reason.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { buildReport } from '../../../src/match/report';
import { fixturesDir } from '../../paths';
import { goBuildTrimmed, requireGo, tmpDir } from '../goenv';

const opts = requireGo();

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
}

function repo(): string {
  const dir = path.join(tmpDir('history'), 'interp');
  fs.cpSync(path.join(fixturesDir, 'interp'), dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'interp with its profile');
  return dir;
}

function devirts(dir: string): string[] {
  // (-trimpath: a copy's compiles come from the build cache on a warm run; positions are not compared)
  const out = goBuildTrimmed(dir, ['-pgo=default.pgo', '-gcflags=example.com/interp=-m -d=pgodebug=1', '.']);
  return [...out.matchAll(/^\S+: PGO devirtualizing (?:interface|function) call (.+)$/gm)].map((m) => m[1]!).sort();
}

const insertInsideRun = (s: string): string =>
  s.replace('\tvm.env = env\n', '\tvm.env = env\n\t// Two new lines inside run,\n\t// above the hot handler call.\n');

describe('git history: exact re-alignment and hot functions edited since the profile (interp)', opts, () => {
  it('detects the silent function-value drift, lists the edit, and the realigned profile restores the compiler decisions', async () => {
    const d = repo();
    const baseline = devirts(d);
    assert.ok(baseline.includes('handlers[in.op] to execArith'), baseline.join('\n'));

    const vm = path.join(d, 'vm.go');
    fs.writeFileSync(vm, insertInsideRun(fs.readFileSync(vm, 'utf8')));
    const stale = devirts(d);
    assert.ok(!stale.includes('handlers[in.op] to execArith'), 'the stale profile loses the devirtualization');

    // Without history the function-value call moves with the calls around it (call pairing).
    const without = (await buildReport(d, { history: false })).binaries[0]!;
    const w = without.unmatched.find((u) => u.symbol === 'main.(*VM).run');
    assert.ok(w, JSON.stringify(without.unmatched));
    assert.equal(w.kind, 'offset-drift');
    assert.equal(w.basis, 'calls');
    assert.equal(w.shift, 2);
    assert.ok(
      w.edgeMap!.every((e) => e.to === e.from + 2),
      JSON.stringify(w.edgeMap),
    );

    for (const committed of [false, true]) {
      if (committed) git(d, 'commit', '-q', '-am', 'edit run'); // history is since the profile's commit, not HEAD
      const b = (await buildReport(d, { history: true })).binaries[0]!;
      const u = b.unmatched.find((x) => x.symbol === 'main.(*VM).run');
      assert.ok(u, JSON.stringify(b.unmatched));
      assert.equal(u.kind, 'offset-drift');
      assert.equal(u.basis, 'git');
      assert.equal(u.shift, 2);
      assert.ok(b.matchedPercent < 100);
      assert.ok(b.history && 'commit' in b.history, JSON.stringify(b.history));
      assert.equal(b.history.subject, 'interp with its profile');
      const ch = b.history.changed.find((c) => c.symbol === 'main.(*VM).run');
      assert.ok(ch, JSON.stringify(b.history.changed));
      assert.equal(ch.added, 2);
      assert.equal(ch.removed, 0);
      assert.ok(ch.shiftedSites >= 1);
      assert.equal(ch.file, 'vm.go');
      // only run changed
      assert.deepEqual(
        b.history.changed.map((c) => c.symbol),
        ['main.(*VM).run'],
      );
    }

    const outs: string[] = [];
    const sink = { write: (s: string) => (outs.push(s), true) } as unknown as NodeJS.WritableStream;
    const pgo = path.join(d, 'default.pgo');
    assert.equal(await main(['rewrite', pgo, '--realign', d, '-o', pgo], sink, sink), 0, outs.join(''));
    assert.match(outs.join(''), /realign main\.\(\*VM\)\.run/);
    assert.deepEqual(devirts(d), baseline, 'the realigned profile gives the compiler its decisions back');

    // The rewritten profile is not committed: no commit describes it, so history is not used.
    const after = (await buildReport(d, { history: true })).binaries[0]!;
    assert.ok(after.history && 'none' in after.history && /uncommitted changes/.test(after.history.none), JSON.stringify(after.history));
    assert.deepEqual(after.unmatched, []);
  });

  it('outside a repository, or with an untracked profile: no history and why', async () => {
    const d = path.join(tmpDir('history'), 'interp');
    fs.cpSync(path.join(fixturesDir, 'interp'), d, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
    let b = (await buildReport(d, { history: true })).binaries[0]!;
    assert.deepEqual(b.history, { none: 'not in a git repository' });
    git(d, 'init', '-q');
    b = (await buildReport(d, { history: true })).binaries[0]!;
    // the reason names the repository git looked at (a folder nested in another repository says which)
    assert.deepEqual(b.history, { none: `the git repository at ${fs.realpathSync(d)} has no commits yet` });
    git(d, 'add', 'go.mod');
    git(d, 'commit', '-q', '-m', 'only go.mod');
    b = (await buildReport(d, { history: true })).binaries[0]!;
    assert.deepEqual(b.history, { none: `default.pgo has never been committed in the git repository at ${fs.realpathSync(d)}` });
    assert.deepEqual(b.unmatched, []);
  });
});
