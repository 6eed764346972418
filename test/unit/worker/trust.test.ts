import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../../src/worker/engine';
import type { WorkspaceSummary } from '../../../src/worker/protocol';
import { fixturesDir } from '../../paths';

describe('workspace trust', () => {
  it('an untrusted workspace is indexed without running go there, with the same result', async (t) => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-trust-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.cpSync(path.join(fixturesDir, 'interp'), path.join(dir, 'interp'), { recursive: true });
    const folder = path.join(dir, 'interp');
    const open = async (trusted: boolean): Promise<WorkspaceSummary> => {
      const r = await new Engine().handle(1, 'openWorkspace', { folders: [folder], thresholdPercent: 99, trusted });
      assert.ok(r.ok, JSON.stringify(r));
      return r.value as WorkspaceSummary;
    };
    const untrusted = await open(false);
    assert.notEqual(untrusted.pathMethod, 'go list');
    assert.equal(untrusted.binaries.length, 1);
    assert.equal(untrusted.binaries[0]!.matchedPercent, 100);
    const trusted = await open(true);
    assert.equal(trusted.binaries[0]!.inlineCandidates, untrusted.binaries[0]!.inlineCandidates);
    assert.equal(trusted.binaries[0]!.devirtualizations, untrusted.binaries[0]!.devirtualizations);
  });

  it('an untrusted workspace gets no compiler confirmation, even when the host asks the worker', async () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-trust-'));
    try {
      fs.cpSync(path.join(fixturesDir, 'interp'), path.join(dir, 'interp'), { recursive: true });
      const folder = path.join(dir, 'interp');
      const e = new Engine();
      const opened = await e.handle(1, 'openWorkspace', { folders: [folder], thresholdPercent: 99, trusted: false });
      assert.ok(opened.ok, JSON.stringify(opened));
      const mainDir = (opened.value as WorkspaceSummary).binaries[0]!.mainDir;
      let spawned = 0;
      const r = await e.runJob(2, 'confirm', { mainDir, changes: false }, () => spawned++, new AbortController().signal);
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.error.message : '', /untrusted workspace/);
      assert.equal(spawned, 0, 'no progress: nothing was started');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
