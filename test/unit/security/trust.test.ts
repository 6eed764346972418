/**
 * The worker enforces workspace trust itself: in an untrusted workspace nothing is written, run or
 * built, whatever the UI sends (issue #13: rewrite and undo wrote through a committed `.bak` link).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../src/worker/engine';
import type { Response, WorkspaceSummary } from '../../../src/worker/protocol';
import { fixturesDir } from '../../paths';

let root: string;
let folder: string;
let secret: string;
let profile: string;
before(() => {
  root = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-sec-trust-'));
  folder = path.join(root, 'repo');
  fs.cpSync(path.join(fixturesDir, 'interp'), folder, { recursive: true });
  fs.mkdirSync(path.join(root, 'home'));
  secret = path.join(root, 'home', '.bashrc');
  fs.writeFileSync(secret, 'echo precious\n');
  profile = path.join(folder, 'default.pgo');
  // As committed by a hostile repository: default.pgo.bak → ../home/.bashrc
  fs.symlinkSync(path.relative(folder, secret), `${profile}.bak`);
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function open(engine: Engine, trusted: boolean, profileOverride?: string): Promise<WorkspaceSummary> {
  const r = await engine.handle(1, 'openWorkspace', { folders: [folder], thresholdPercent: 99, trusted, ...(profileOverride ? { profileOverride } : {}) });
  assert.ok(r.ok, JSON.stringify(r));
  return r.value as WorkspaceSummary;
}

function refused(r: Response, what: RegExp): void {
  assert.ok(!r.ok, 'must be refused');
  assert.equal(r.error.kind, 'failed');
  assert.match(r.error.message, what);
  assert.match(r.error.message, /not done in an untrusted workspace/);
}

describe('workspace trust in the worker', () => {
  it('rewrite, undo and refresh are refused in an untrusted workspace; nothing is written', async () => {
    const engine = new Engine();
    const s = await open(engine, false);
    const b = s.binaries[0]!;
    const before = fs.readFileSync(profile);
    refused(await engine.handle(2, 'rewriteProfile', { binary: b.id }), /rewriting .*default\.pgo/);
    refused(await engine.handle(3, 'undoRewrite', { binary: b.id }), /restoring .*default\.pgo/);
    refused(await engine.handle(4, 'applyRefresh', { mainDir: b.mainDir, inputs: [{ name: 'p', path: profile }] }), /writing a refreshed profile/);
    assert.equal(fs.readFileSync(secret, 'utf8'), 'echo precious\n');
    assert.deepEqual(fs.readFileSync(profile), before);
    assert.ok(fs.lstatSync(`${profile}.bak`).isSymbolicLink());
  });

  it('confirm, benchmark and collect jobs are refused in an untrusted workspace', async () => {
    const engine = new Engine();
    const s = await open(engine, false);
    const signal = new AbortController().signal;
    const none = (): void => undefined;
    refused(await engine.runJob(5, 'confirm', { mainDir: s.binaries[0]!.mainDir }, none, signal), /building .* with the compiler/);
    refused(await engine.runJob(6, 'benchmark', { pkgDir: folder, bench: '.' }, none, signal), /running the benchmarks/);
    refused(await engine.runJob(7, 'collect', { endpoints: ['127.0.0.1:1'], seconds: 1 }, none, signal), /collecting profiles/);
  });

  it('jobs are refused before any workspace was opened (trust is not assumed)', async () => {
    const r = await new Engine().runJob(1, 'benchmark', { pkgDir: folder, bench: '.' }, () => undefined, new AbortController().signal);
    assert.ok(!r.ok && /untrusted/.test(r.error.message));
  });

  it('a -pgo= override outside the workspace is not rewritten in an untrusted workspace', async () => {
    const outsideProfile = path.join(root, 'home', 'shared.pgo');
    fs.copyFileSync(profile, outsideProfile);
    const before = fs.readFileSync(outsideProfile);
    const engine = new Engine();
    const s = await open(engine, false, outsideProfile);
    assert.equal(s.binaries[0]!.profile, outsideProfile);
    refused(await engine.handle(2, 'applyRefresh', { mainDir: s.binaries[0]!.mainDir, inputs: [{ name: 'p', path: profile }] }), /refreshed profile/);
    refused(await engine.handle(3, 'rewriteProfile', { binary: s.binaries[0]!.id }), /rewriting/);
    assert.deepEqual(fs.readFileSync(outsideProfile), before);
    assert.deepEqual(fs.readdirSync(path.join(root, 'home')).sort(), ['.bashrc', 'shared.pgo']);
  });

  it('opening: stale temporary files of a killed write are removed when trusted, kept when untrusted', async () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const stale = path.join(folder, `.default.pgo.pgo-lens-${child.stdout}-abcdef.tmp`);
    fs.writeFileSync(stale, 'partial');
    await open(new Engine(), false);
    assert.ok(fs.existsSync(stale), 'an untrusted workspace is not written to');
    await open(new Engine(), true);
    assert.ok(!fs.existsSync(stale));
  });

  it('trusted: undo never restores from a .bak link, and a refresh replaces the link instead of writing through it', async () => {
    const engine = new Engine();
    const s = await open(engine, true);
    const b = s.binaries[0]!;
    const u = await engine.handle(2, 'undoRewrite', { binary: b.id });
    assert.ok(!u.ok && /default\.pgo\.bak is not a regular file \(it is a symbolic link\); it is not restored/.test(u.error.message), JSON.stringify(u));
    const before = fs.readFileSync(profile);
    const r = await engine.handle(3, 'applyRefresh', { mainDir: b.mainDir, inputs: [{ name: 'p', path: profile }] });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(fs.readFileSync(secret, 'utf8'), 'echo precious\n');
    assert.ok(fs.lstatSync(`${profile}.bak`).isFile());
    assert.deepEqual(fs.readFileSync(`${profile}.bak`), before);
  });
});
