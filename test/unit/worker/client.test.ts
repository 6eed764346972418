import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SupersededError, WorkerCallError, WorkerClient, WorkerCrashedError } from '../../../src/worker/client';
import { fixturesDir, repoRoot } from '../../paths';
import { crashScript, crashWorker } from '../security/crash-worker';

const script = path.join(repoRoot, 'out', 'src', 'worker', 'worker.js');
// Untrusted: the worker runs no go command and writes nothing next to the committed fixture.
const interp = path.join(fixturesDir, 'interp');
const open = { folders: [interp], thresholdPercent: 99, trusted: false, history: false };

describe('worker client', () => {
  it('opens a workspace in the worker and answers queries', async () => {
    const c = new WorkerClient({ script });
    try {
      const s = await c.establish('openWorkspace', open, 'workspace');
      const b = s.binaries[0]!;
      assert.equal(b.summary?.format, 'pprof');
      assert.ok(b.summary.totalWeight > 0 && b.summary.hotCount > 0 && b.summary.edgeCount >= b.summary.hotCount);
      const d = await c.call('binaryDetails', { binary: b.id, limit: 3 });
      assert.equal(d.hotCallSites.length, 3);
      assert.ok(d.hotCallSites[0]!.weight >= d.hotCallSites[1]!.weight);
    } finally {
      await c.dispose();
    }
  });

  it('turns engine errors into typed errors', async () => {
    const c = new WorkerClient({ script });
    try {
      const s = await c.call('openWorkspace', { ...open, profileOverride: '/nonexistent/default.pgo' });
      assert.equal(s.binaries[0]!.error?.kind, 'io');
      await assert.rejects(c.call('binaryDetails', { binary: '/not/loaded' }), (e: unknown) => {
        assert.ok(e instanceof WorkerCallError);
        assert.equal(e.wire.kind, 'not-loaded');
        return true;
      });
    } finally {
      await c.dispose();
    }
  });

  it('drops replies of superseded requests', async () => {
    const c = new WorkerClient({ script });
    try {
      const first = c.call('openWorkspace', open, 'k');
      const second = c.call('openWorkspace', { ...open, thresholdPercent: 50 }, 'k');
      await assert.rejects(first, SupersededError);
      assert.ok((await second).binaries[0]!.summary!.thresholdPercent > 0);
    } finally {
      await c.dispose();
    }
  });

  it('restarts a crashed worker and restores its state', async () => {
    let restarted = 0;
    const c = new WorkerClient({ script: crashScript, onRestart: () => restarted++ });
    try {
      const s = await c.establish('openWorkspace', open, 'workspace');
      await assert.rejects(crashWorker(c, 3), WorkerCrashedError);
      // The replayed openWorkspace was queued before this query, so the binary is there again.
      const d = await c.call('binaryDetails', { binary: s.binaries[0]!.id, limit: 1 });
      assert.equal(d.hotCallSites.length, 1);
      assert.equal(restarted, 1);
    } finally {
      await c.dispose();
    }
  });
});
