/**
 * Profile refresh through the worker: jobs run beside the request queue with progress events and
 * cancellation (a local HTTP server stands in for a service), and `applyRefresh` merges, checks,
 * diffs against the current profile and writes atomically — or writes nothing.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkerCallError, WorkerClient } from '../../../src/worker/client';
import { fixturesDir, repoRoot } from '../../paths';

const script = path.join(repoRoot, 'out', 'src', 'worker', 'worker.js');
const profileBytes = fs.readFileSync(path.join(fixturesDir, 'interp', 'default.pgo'));

describe('refresh through the worker', () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  const c = new WorkerClient({ script });
  before(async () => {
    dir = path.join(fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-refresh-'))), 'interp');
    fs.cpSync(path.join(fixturesDir, 'interp'), dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
    fs.renameSync(path.join(dir, 'default.pgo'), path.join(dir, 'cpu.pprof'));
    server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/slow/debug/pprof/profile') return; // never answers: only cancel ends it
      if (u.pathname !== '/debug/pprof/profile') {
        res.writeHead(404).end('404 page not found\n');
        return;
      }
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(profileBytes), 50);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    await c.establish('openWorkspace', { folders: [dir], thresholdPercent: 99 }, 'workspace');
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await c.dispose();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('collects with progress events while queries keep being answered', async () => {
    const events: string[] = [];
    const job = c.job('collect', { endpoints: [base, `http://${base}/nope`], seconds: 1 }, (e) => events.push(`${e.endpoint} ${e.progress.phase}`));
    // the request queue is not blocked by the running job
    const mains = await c.call('mainPackages', {});
    assert.deepEqual(
      mains.map((m) => [m.dir, m.hasProfile]),
      [[dir, false]],
    );
    const rs = await job;
    assert.equal(rs.length, 2);
    assert.ok(rs[0]!.ok && rs[0]!.size === profileBytes.length && rs[0]!.samples > 0 && typeof rs[0]!.token === 'string');
    assert.ok(!rs[1]!.ok && /404/.test(rs[1]!.error), JSON.stringify(rs[1]));
    assert.ok(events.includes(`${base} done`) && events.some((e) => e.endsWith('failed')), events.join('\n'));
  });

  it('cancels a job: the promise rejects with kind cancelled', async () => {
    const ac = new AbortController();
    const job = c.job('collect', { endpoints: [`http://${base}/slow/debug/pprof/profile`], seconds: 30 }, undefined, ac.signal);
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(job, (e: unknown) => e instanceof WorkerCallError && e.wire.kind === 'cancelled');
  });

  it('applyRefresh creates default.pgo, says what became hot, and a second refresh keeps a backup', async () => {
    const target = path.join(dir, 'default.pgo');
    const [got] = await c.job('collect', { endpoints: [base], seconds: 1 });
    assert.ok(got!.ok);
    // the collected profile stays in the worker: the host passes its token
    const r = await c.call('applyRefresh', { mainDir: dir, inputs: [{ name: base, token: got!.token }] });
    assert.equal(r.profile, target);
    assert.equal(r.backup, null);
    assert.ok(fs.existsSync(target));
    assert.ok(r.changes.becameHot.length > 0 && r.changes.stoppedHot.length === 0, r.changes.summary);
    assert.ok(r.changes.devirtualizations.every((d) => d.change === 'new') && r.changes.devirtualizations.length > 0);
    assert.match(r.report, /became hot/i);
    await assert.rejects(c.call('applyRefresh', { mainDir: dir, inputs: [{ name: base, token: got!.token }] }), /no longer available/, 'a token is used once');
    // the workspace picks it up on reload; then the same profile again changes nothing
    await c.establish('openWorkspace', { folders: [dir], thresholdPercent: 99 }, 'workspace');
    const again = await c.call('applyRefresh', { mainDir: dir, inputs: [{ name: 'cpu.pprof', path: path.join(dir, 'cpu.pprof') }] });
    assert.equal(again.backup, `${target}.bak`);
    assert.deepEqual([again.changes.becameHot.length, again.changes.stoppedHot.length, again.changes.devirtualizations.length], [0, 0, 0]);
    assert.deepEqual(fs.readFileSync(`${target}.bak`), fs.readFileSync(target));
  });

  it('writes nothing when an input is not a usable profile', async () => {
    const target = path.join(dir, 'default.pgo');
    const before = fs.readFileSync(target);
    await assert.rejects(
      c.call('applyRefresh', { mainDir: dir, inputs: [{ name: 'garbage', bytes: new TextEncoder().encode('<html>oops</html>') }] }),
      (e: unknown) => {
        assert.ok(e instanceof WorkerCallError);
        assert.match(e.message, /garbage|not a|profile/i);
        return true;
      },
    );
    await assert.rejects(c.call('applyRefresh', { mainDir: dir, inputs: [] }), /no profiles to merge/);
    await assert.rejects(
      c.call('applyRefresh', { mainDir: path.join(dir, 'nope'), inputs: [{ name: 'x', path: path.join(dir, 'cpu.pprof') }] }),
      /not a main package/,
    );
    assert.deepEqual(fs.readFileSync(target), before);
  });
});
