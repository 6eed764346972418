// Undo Profile Rewrite through the engine: one step back from the `.bak`, then a one-line user
// error (no stack trace) when there is nothing left to undo; the profile is never touched then.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../src/worker/engine';
import { fixturesDir } from '../../paths';

describe('undo of a profile write', () => {
  let tmp: string;
  let dir: string;
  const engine = new Engine();
  before(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-undo-')));
    dir = path.join(tmp, 'interp');
    fs.cpSync(path.join(fixturesDir, 'interp'), dir, { recursive: true });
    const r = await engine.handle(1, 'openWorkspace', { folders: [dir], thresholdPercent: 99 });
    assert.ok(r.ok, JSON.stringify(r));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('restores the backup once, then says there is nothing to undo', async () => {
    const pgo = path.join(dir, 'default.pgo');
    const original = fs.readFileSync(pgo);
    // A previous profile kept by a write: the fixture's own profile, so it is one the compiler reads.
    fs.copyFileSync(pgo, `${pgo}.bak`);
    fs.writeFileSync(pgo, Buffer.concat([original])); // same content, rewritten
    const first = await engine.handle(2, 'undoRewrite', { binary: dir });
    assert.ok(first.ok, JSON.stringify(first));
    assert.ok(!fs.existsSync(`${pgo}.bak`), 'the backup is used up');
    assert.deepEqual(fs.readFileSync(pgo), original);

    const second = await engine.handle(3, 'undoRewrite', { binary: dir });
    assert.equal(second.ok, false);
    if (second.ok) return;
    assert.equal(second.error.kind, 'failed', 'a user error, not an internal one');
    assert.equal(second.error.message, 'nothing to undo: default.pgo has no backup (default.pgo.bak)');
    assert.doesNotMatch(second.error.message, /\n|\bat\s/);
    assert.deepEqual(fs.readFileSync(pgo), original, 'the profile is untouched');
  });
});
