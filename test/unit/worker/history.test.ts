/**
 * The workspace model with git history: unsaved edits inside a hot function are re-aligned from
 * the profile's commit (the function-value call pairing cannot see), the match meter and the
 * "edited since the profile was committed" list follow the edits, and an untrusted workspace runs
 * no git at all.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
}

describe('workspace model with git history', () => {
  let dir: string;
  before(() => {
    dir = path.join(fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-hist-'))), 'interp');
    fs.cpSync(path.join(fixturesDir, 'interp'), dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'profile and source');
  });
  after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('re-aligns unsaved edits from the profile commit and lists the edited function', async () => {
    const model = new WorkspaceModel();
    let s = await model.open({ folders: [dir], thresholdPercent: 99 });
    let b = s.binaries[0]!;
    assert.equal(b.history?.subject, 'profile and source');
    assert.deepEqual(b.history?.changed, []);
    assert.deepEqual(b.unmatched, []);
    const vm = path.join(dir, 'vm.go');
    const text = fs.readFileSync(vm, 'utf8');
    s = model.update(vm, text.replace('\tvm.env = env\n', '\tvm.env = env\n\t// one\n\t// two\n\t// three\n'));
    b = s.binaries[0]!;
    const u = b.unmatched.find((x) => x.symbol === 'main.(*VM).run');
    assert.ok(u, JSON.stringify(b.unmatched));
    assert.equal(u.kind, 'offset-drift');
    assert.equal(u.basis, 'git');
    assert.equal(u.shift, 3);
    assert.ok(b.matchedPercent < 100);
    assert.equal(u.location?.file, vm);
    assert.ok(u.lost?.includes('inlining of main.execArith'), JSON.stringify(u.lost));
    const ch = model.summary().binaries[0]!.history!.changed;
    assert.deepEqual(
      ch.map((c) => [c.symbol, c.added, c.removed]),
      [['main.(*VM).run', 3, 0]],
    );
    assert.equal(ch[0]!.file, vm);
    assert.match(text.split('\n')[ch[0]!.line]!, /^func \(vm \*VM\) run\(/);
    // back to the saved text: nothing
    s = model.update(vm, null);
    assert.deepEqual(s.binaries[0]!.unmatched, []);
    assert.deepEqual(s.binaries[0]!.history?.changed, []);
    assert.equal(s.binaries[0]!.matchedPercent, 100);
  });

  it('runs no git in an untrusted workspace', async () => {
    const model = new WorkspaceModel();
    const s = await model.open({ folders: [dir], thresholdPercent: 99, trusted: false });
    assert.equal(s.binaries[0]!.history, null);
    assert.match(s.binaries[0]!.historyNote ?? '', /untrusted/);
  });
});
