/**
 * The payoff jobs through the real worker thread: trim computes the ratio without writing, then
 * replaces the profile keeping `.bak`; bad input comes back as a user error, not a crash.
 * (Evaluate's go builds are covered by test/oracle/evaluate/evaluate.test.ts.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { profileForMainTests } from '../../../src/evaluate/bench';
import { loadProfileFile } from '../../../src/pgo/load';
import { serializePreprofile } from '../../../src/pgo/preprofile';
import { WorkerCallError, WorkerClient } from '../../../src/worker/client';
import { fixturesDir, repoRoot } from '../../paths';

const script = path.join(repoRoot, 'out', 'src', 'worker', 'worker.js');

describe('payoff jobs in the worker', () => {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-payoff-'));
  const c = new WorkerClient({ script });
  after(async () => {
    await c.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('trim: dry run writes nothing, then replaces the profile with the same compiler input and keeps .bak', async () => {
    const profile = path.join(dir, 'default.pgo');
    fs.copyFileSync(path.join(fixturesDir, 'interp', 'default.pgo'), profile);
    const original = fs.readFileSync(profile);
    const events: string[] = [];
    const dry = await c.job('trim', { profile, mode: 'pgo', write: false }, (e) => events.push(e.message));
    assert.equal(dry.backup, null);
    assert.ok(fs.readFileSync(profile).equals(original), 'a dry run leaves the file alone');
    assert.ok(dry.outputBytes < dry.inputBytes && dry.ratio < 1, JSON.stringify(dry));
    assert.ok(events.length > 0);
    const r = await c.job('trim', { profile, mode: 'pgo', write: true });
    assert.equal(r.backup, `${profile}.bak`);
    assert.ok(fs.readFileSync(`${profile}.bak`).equals(original));
    assert.equal(fs.statSync(profile).size, r.outputBytes);
    const before = serializePreprofile((await loadProfileFile(`${profile}.bak`)).profile);
    const now = serializePreprofile((await loadProfileFile(profile)).profile);
    assert.ok(now.equals(before));
  });

  it('trim of a preprocessed profile is a user error that says why', async () => {
    const pre = path.join(dir, 'pre.pgo');
    fs.writeFileSync(pre, 'GO PREPROFILE V1\nmain.a\nmain.b\n1 5\n');
    await assert.rejects(
      c.job('trim', { profile: pre, mode: 'pgo', write: true }),
      (e: unknown) => e instanceof WorkerCallError && e.wire.kind === 'failed' && /already a preprocessed profile/.test(e.message),
    );
  });

  it('evaluate without a profile is a user error', async () => {
    await assert.rejects(
      c.job('evaluate', { mainDir: dir, profile: path.join(dir, 'missing.pgo') }),
      (e: unknown) => e instanceof WorkerCallError && e.wire.kind === 'failed' && /does not exist/.test(e.message),
    );
  });
});

describe("a main package's profile for its test binary", () => {
  it('respells main.* with the import path and leaves other packages alone', async () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-maintests-'));
    try {
      const out = path.join(dir, 't.pgo');
      const n = await profileForMainTests(path.join(fixturesDir, 'server', 'default.pgo'), 'example.com/server', out);
      const before = (await loadProfileFile(path.join(fixturesDir, 'server', 'default.pgo'))).profile.edges;
      const after = (await loadProfileFile(out)).profile.edges;
      assert.ok(n > 0);
      assert.equal(after.length, before.length);
      const spell = (s: string): string => (s.startsWith('main.') ? `example.com/server.${s.slice(5)}` : s);
      assert.deepEqual(
        after.map((e) => `${e.caller} ${e.offset} ${e.callee} ${e.weight}`).sort(),
        before.map((e) => `${spell(e.caller)} ${e.offset} ${spell(e.callee)} ${e.weight}`).sort(),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
