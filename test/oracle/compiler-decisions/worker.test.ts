/**
 * Compiler confirmation through the worker, as the editor uses it: the `confirm` job builds the
 * shapes fixture with its profile and with -pgo=off; every lens it marks "inlined with the hot
 * budget" is a call the compiler printed a `hot-budget check allows inlining` line for (read here
 * from the fixture's own build output with a regex, independently of the parser), every
 * devirtualization lens is confirmed, nothing is contradicted, "What PGO changed" is in the view,
 * and an edited file drops back to predictions only. The job is cancellable.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkerCallError, WorkerClient } from '../../../src/worker/client';
import type { FileView, WorkspaceSummary } from '../../../src/worker/protocol';
import { fixturesDir, repoRoot } from '../../paths';
import { goBuild, requireGo } from '../goenv';

const opts = requireGo();
const script = path.join(repoRoot, 'out', 'src', 'worker', 'worker.js');
// the worker's stable confirmation directories go to a temporary cache root, not the user's
const cacheRoot = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-confirm-cache-'));
process.env['PGO_LENS_CACHE_DIR'] = cacheRoot;
after(() => fs.rmSync(cacheRoot, { recursive: true, force: true }));

describe('confirm job in the worker (shapes)', opts, () => {
  let dir: string;
  let mainDir: string;
  const c = new WorkerClient({ script });
  before(async () => {
    dir = path.join(fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-confirm-'))), 'shapes');
    fs.cpSync(path.join(fixturesDir, 'shapes'), dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
    mainDir = path.join(dir, 'cmd', 'shapes');
    await c.establish('openWorkspace', { folders: [dir], thresholdPercent: 99 }, 'workspace');
  });
  after(async () => {
    await c.dispose();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('cancels a running build', async () => {
    const ac = new AbortController();
    const job = c.job('confirm', { mainDir, changes: false }, () => ac.abort(), ac.signal);
    await assert.rejects(job, (e: unknown) => e instanceof WorkerCallError && e.wire.kind === 'cancelled');
  });

  it('lenses say what the compiler did, exactly where it did it', async () => {
    const messages: string[] = [];
    // The profile build's decisions reach the lenses before the -pgo=off build ends.
    let early: Promise<[FileView, WorkspaceSummary]> | undefined;
    const s = await c.job('confirm', { mainDir, changes: true }, (e) => {
      messages.push(e.message);
      if (e.decisionsReady) early ??= Promise.all([c.call('fileView', { file: path.join(mainDir, 'main.go') }), c.call('summary', {})]);
    });
    assert.ok(messages.length > 0, 'progress was reported');
    assert.ok(early, 'decisionsReady was sent');
    const [earlyView, earlySummary] = await early;
    const earlyConfirmed = earlySummary.binaries.find((b) => b.mainDir === mainDir)?.confirmed;
    assert.equal(earlyConfirmed?.changesPending, true, 'the -pgo=off build was still running');
    assert.equal(earlyConfirmed?.changes, null);
    assert.ok(earlyView.lenses.length > 0 && earlyView.lenses.every((l) => l.confirmation), 'lenses confirmed before the -pgo=off build ended');
    assert.equal(s.changesPending, undefined);
    assert.deepEqual(s.bugs, [], 'no prediction is contradicted');
    assert.ok(s.inline.agree > 0 && s.devirt.agree === s.devirt.total && s.devirt.total > 0, JSON.stringify(s));
    assert.ok(s.changes !== null && s.changes > 0);

    // Independent: the positions of hot-budget inlines, from a build of the same copy.
    const out = goBuild(mainDir, ['-pgo=default.pgo', '-gcflags=example.com/shapes/...=-m -d=pgodebug=1', '.']);
    const hotBudget = new Set<string>();
    for (const m of out.matchAll(/^hot-budget check allows inlining for call (\S+) \(cost \d+\) at (\S+):(\d+):\d+ in function/gm)) {
      hotBudget.add(`${path.resolve(mainDir, m[2]!)}:${m[3]}:${m[1]!.split('/').pop()}`);
    }
    let checked = 0;
    for (const file of ['main.go', '../../geom/geom.go', '../../render/raster.go']) {
      const abs = path.resolve(mainDir, file);
      const v = await c.call('fileView', { file: abs });
      for (const l of v.lenses) {
        assert.ok(l.confirmation, `${abs}:${l.line + 1} ${l.callee} has a confirmation`);
        assert.notEqual(l.confirmation.state, 'contradicted');
        if (l.kind === 'devirt') assert.equal(l.confirmation.category, 'devirtualized');
        if (l.confirmation.category === 'hot-budget') {
          assert.ok(
            hotBudget.has(`${abs}:${l.line + 1}:${l.callee.split('/').pop()}`),
            `${abs}:${l.line + 1} ${l.callee} is a hot-budget inline in the compiler's output`,
          );
          assert.ok(l.confirmation.cost! > 80, 'the hot budget was needed');
          checked++;
        }
      }
      for (const d of v.lines) if (d.compiler) assert.ok(d.compiler.every((x) => typeof x === 'string' && x.length > 0));
    }
    assert.ok(checked > 0, 'some lenses were confirmed as hot-budget inlines');

    const details = await c.call('binaryDetails', { binary: mainDir });
    assert.equal(details.compilerChanges?.length, s.changes);
    const sum = await c.call('summary', {});
    assert.equal(sum.binaries[0]!.confirmed?.inline.agree, s.inline.agree);

    // An edit makes that file's confirmations stale: predictions only.
    const main = path.join(mainDir, 'main.go');
    await c.call('updateFile', { file: main, text: `${fs.readFileSync(main, 'utf8')}\n// edited\n` });
    const v = await c.call('fileView', { file: main });
    assert.ok(v.lenses.length > 0 && v.lenses.every((l) => !l.confirmation));
    await c.call('updateFile', { file: main, text: null });
  });
});
