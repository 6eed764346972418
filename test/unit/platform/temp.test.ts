/**
 * Temporary directories of go commands and worker threads do not outlive them (issue #13): a
 * private GOTMPDIR and working directory per go command, removed after it (also when it is
 * cancelled), what a terminated worker thread made removed by its client, and what dead processes
 * left removed at the next start. Each test runs with its own TMPDIR, so other files' directories
 * are never seen.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { goEnvironment, runGo, runGroup } from '../../../src/platform/spawn';
import { makeTempDir, sweepStale, withTempDir } from '../../../src/platform/temp';
import { WorkerClient } from '../../../src/worker/client';
import { repoRoot } from '../../paths';

/** Points os.tmpdir() at a new empty directory for the test; restored and removed after it. */
function privateTmp(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-temptest-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  t.after(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

describe('temporary directories', () => {
  it('withTempDir removes its directory after success and after a failure', async (t) => {
    const tmp = privateTmp(t);
    let seen = '';
    assert.equal(
      await withTempDir('neutral', async (d) => {
        seen = d;
        fs.writeFileSync(path.join(d, 'f'), 'x');
        return 7;
      }),
      7,
    );
    assert.ok(path.basename(seen).startsWith(`pgo-lens-neutral-${process.pid}-`), seen);
    await assert.rejects(
      withTempDir('neutral', async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(fs.readdirSync(tmp), []);
    assert.throws(() => makeTempDir('Bad/kind'), /lowercase letters/);
  });

  it('runGroup gives the command a private GOTMPDIR and removes it, also when cancelled', { skip: process.platform === 'win32' }, async (t) => {
    const tmp = privateTmp(t);
    const lines: string[] = [];
    const done = await runGroup('sh', ['-c', 'echo "$GOTMPDIR"; touch "$GOTMPDIR/go-build1"'], {
      cwd: tmp,
      env: goEnvironment(),
      onLine: (l) => lines.push(l),
    });
    assert.equal(done.code, 0);
    assert.match(path.basename(lines[0] ?? ''), /^pgo-lens-gotmp-/);
    assert.equal(path.dirname(lines[0] ?? ''), tmp);
    assert.deepEqual(fs.readdirSync(tmp), []);

    const ac = new AbortController();
    const cancelled = runGroup('sh', ['-c', 'mkdir "$GOTMPDIR/go-build2" && echo started && exec sleep 30'], {
      cwd: tmp,
      env: goEnvironment(),
      signal: ac.signal,
      killGraceMs: 100,
      onLine: (l) => l === 'started' && ac.abort(),
    });
    const r = await cancelled;
    assert.equal(r.cancelled, true);
    assert.deepEqual(fs.readdirSync(tmp), []);

    // A GOTMPDIR the caller chose is kept (refresh/benchmark.ts puts it in its work directory).
    const own = path.join(tmp, 'own');
    fs.mkdirSync(own);
    const kept = await runGroup('sh', ['-c', 'echo "$GOTMPDIR"'], { cwd: tmp, env: { ...goEnvironment(), GOTMPDIR: own }, onLine: (l) => lines.push(l) });
    assert.equal(kept.code, 0);
    assert.equal(lines.at(-1), own);
    assert.deepEqual(fs.readdirSync(tmp), ['own']);
  });

  it('runGo runs in a private directory with a private GOTMPDIR, both removed after it', { skip: process.platform === 'win32' }, async (t) => {
    const tmp = privateTmp(t);
    // A stand-in for go that reports where it ran and its GOTMPDIR.
    const fake = path.join(tmp, 'fakego');
    fs.writeFileSync(fake, '#!/bin/sh\npwd\necho "$GOTMPDIR"\nls -A\n', { mode: 0o755 });
    const r = await runGo(['env'], { goBin: fake });
    const [cwd, gotmp, ...listed] = r.stdout.toString().trim().split('\n');
    assert.match(path.basename(cwd ?? ''), /^pgo-lens-neutral-/);
    assert.match(path.basename(gotmp ?? ''), /^pgo-lens-gotmp-/);
    assert.deepEqual(listed, [], 'the working directory is empty');
    assert.deepEqual(fs.readdirSync(tmp), ['fakego']);
    // with a cwd: only the GOTMPDIR is private
    const r2 = await runGo(['env'], { goBin: fake, cwd: tmp });
    assert.equal(r2.stdout.toString().split('\n')[0], fs.realpathSync(tmp));
    assert.deepEqual(fs.readdirSync(tmp), ['fakego']);
  });

  // (the timeout is a fail-safe for a thread that never makes its directory: the wait is for the directory's creation event)
  it('a worker thread terminated mid-command leaves nothing: its client removes what the thread made', { timeout: 120_000 }, async (t) => {
    const tmp = privateTmp(t);
    const script = path.join(tmp, 'maker.js');
    const temp = JSON.stringify(path.join(repoRoot, 'out', 'src', 'platform', 'temp.js'));
    fs.writeFileSync(script, `require(${temp}).makeTempDir('neutral'); setInterval(() => {}, 1000);\n`);
    const made = (): boolean => fs.readdirSync(tmp).some((n) => n.startsWith('pgo-lens-neutral-'));
    const watcher = fs.watch(tmp);
    const c = new WorkerClient({ script });
    try {
      while (!made()) await once(watcher, 'change', { signal: t.signal });
    } catch (e) {
      await c.dispose(); // (a thread left running would keep this file's process from ending)
      throw e;
    } finally {
      watcher.close();
    }
    await c.dispose(); // terminates the thread: none of its own cleanup runs
    assert.deepEqual(fs.readdirSync(tmp), ['maker.js']);
  });

  it('directories of dead processes are removed at the next start once an hour old; live and young ones stay', async (t) => {
    const tmp = privateTmp(t);
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid ?? 0)));
    const old = new Date(Date.now() - 2 * 3600_000);
    const mk = (name: string, aged: boolean): void => {
      fs.mkdirSync(path.join(tmp, name));
      fs.writeFileSync(path.join(tmp, name, 'go-build1'), '');
      if (aged) fs.utimesSync(path.join(tmp, name), old, old);
    };
    mk(`pgo-lens-neutral-${deadPid}-0-aaaaaa`, true);
    mk(`pgo-lens-gotmp-${deadPid}-3-bbbbbb`, false);
    mk(`pgo-lens-gotmp-${process.pid}-0-cccccc`, true);
    mk('pgo-lens-cli-dddddd', true);
    sweepStale();
    assert.deepEqual(
      fs.readdirSync(tmp).sort(),
      [`pgo-lens-gotmp-${deadPid}-3-bbbbbb`, `pgo-lens-gotmp-${process.pid}-0-cccccc`, 'pgo-lens-cli-dddddd'].sort(),
    );
  });
});
