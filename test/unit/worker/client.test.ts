import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SupersededError, WorkerCallError, WorkerClient, WorkerCrashedError } from '../../../src/worker/client';
import { fixtureProfiles } from '../../fuzzing';
import { repoRoot } from '../../paths';

const script = path.join(repoRoot, 'out', 'src', 'worker', 'worker.js');

describe('worker client', () => {
  it('loads a profile in the worker and answers queries', async () => {
    const c = new WorkerClient({ script });
    try {
      const pgo = fixtureProfiles()[0]!;
      const s = await c.establish('loadProfile', { path: pgo, thresholdPercent: 99 }, `profile:${pgo}`);
      assert.equal(s.format, 'pprof');
      assert.ok(s.totalWeight > 0 && s.hotCount > 0 && s.edgeCount >= s.hotCount);
      const hot = await c.call('hotCallSites', { path: pgo, limit: 3 });
      assert.equal(hot.length, 3);
      assert.ok(hot[0]!.weight >= hot[1]!.weight);
    } finally {
      await c.dispose();
    }
  });

  it('turns engine errors into typed errors', async () => {
    const c = new WorkerClient({ script });
    try {
      await assert.rejects(c.call('loadProfile', { path: '/nonexistent/default.pgo', thresholdPercent: 99 }), (e: unknown) => {
        assert.ok(e instanceof WorkerCallError);
        assert.equal(e.wire.kind, 'io');
        return true;
      });
      await assert.rejects(c.call('hotCallSites', { path: '/not/loaded' }), (e: WorkerCallError) => e.wire.kind === 'not-loaded');
    } finally {
      await c.dispose();
    }
  });

  it('drops replies of superseded requests', async () => {
    const c = new WorkerClient({ script });
    try {
      const pgo = fixtureProfiles()[0]!;
      const first = c.call('loadProfile', { path: pgo, thresholdPercent: 99 }, 'k');
      const second = c.call('loadProfile', { path: pgo, thresholdPercent: 50 }, 'k');
      await assert.rejects(first, SupersededError);
      assert.ok((await second).thresholdPercent > 0);
    } finally {
      await c.dispose();
    }
  });

  it('restarts a crashed worker and restores its state', async () => {
    let restarted = 0;
    const c = new WorkerClient({ script, onRestart: () => restarted++ });
    try {
      const pgo = fixtureProfiles()[0]!;
      await c.establish('loadProfile', { path: pgo, thresholdPercent: 99 }, `profile:${pgo}`);
      await assert.rejects(c.call('crash', { exitCode: 3 }), WorkerCrashedError);
      // The replayed loadProfile was queued before this query, so the profile is there again.
      const hot = await c.call('hotCallSites', { path: pgo, limit: 1 });
      assert.equal(hot.length, 1);
      assert.equal(restarted, 1);
    } finally {
      await c.dispose();
    }
  });
});
