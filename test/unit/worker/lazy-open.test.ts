/**
 * Prioritised open (issue #14): `open` with `openFiles` indexes the open files' packages and the
 * main packages with a profile first and answers with a partial summary; `complete('hot')` adds
 * the packages of the hot functions, `complete('all')` the rest. After the last stage the model
 * answers exactly as one opened the old way (summaries, every file view, every binary's lists),
 * also when files were edited while it was partial. No timing assertions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../src/worker/engine';
import type { WorkspaceSummary } from '../../../src/worker/protocol';
import { type OpenOptions, WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';
import { goFiles, observe } from './observe';

describe('prioritised workspace open', () => {
  let tmp: string;
  let files: string[];
  let opts: OpenOptions;
  let tokenFile: string;
  let containerFile: string;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-lazy-')));
    for (const f of ['interp', 'textproc']) fs.cpSync(path.join(fixturesDir, f), path.join(tmp, f), { recursive: true });
    files = goFiles(tmp);
    tokenFile = path.join(tmp, 'textproc', 'token', 'token.go');
    containerFile = path.join(tmp, 'textproc', 'container', 'container.go');
    // trusted: false runs no go command: the unit tests need no toolchain
    opts = { folders: [path.join(tmp, 'interp'), path.join(tmp, 'textproc')], thresholdPercent: 99, trusted: false, history: false };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('answers with a partial summary holding the open package and the binaries, then ends equal to a full open', async () => {
    const full = new WorkspaceModel();
    await full.open(opts);
    assert.equal(full.summary().partial, undefined);
    const want = observe(full, files);

    const lazy = new WorkspaceModel();
    const first = await lazy.open({ ...opts, openFiles: [tokenFile] });
    assert.equal(first.partial, true);
    assert.ok(lazy.partial);
    // every binary of the full open is there at once, with its profile loaded
    assert.deepEqual(
      first.binaries.map((b) => [b.id, b.summary?.totalWeight]),
      full.summary().binaries.map((b) => [b.id, b.summary?.totalWeight]),
    );
    assert.ok(first.packages < full.summary().packages, `${first.packages} packages first, ${full.summary().packages} in all`);
    // the open file has heat from the first stage
    const view = lazy.fileView(tokenFile);
    assert.notEqual(view.binary, null);
    assert.ok(view.heat.length > 0, 'heat in the open file after the first stage');

    const hot = await lazy.complete('hot');
    assert.equal(hot.partial, true);
    assert.ok(hot.packages >= first.packages);
    const done = await lazy.complete('all');
    assert.equal(done.partial, undefined);
    assert.equal(lazy.partial, false);
    assert.deepEqual(observe(lazy, files), want);
    // finished: a further complete changes nothing
    await lazy.complete('all');
    assert.deepEqual(observe(lazy, files), want);
  });

  it('keeps edits made while partial, in packages indexed first and in packages not indexed yet', async () => {
    const tokenText = fs.readFileSync(tokenFile, 'utf8').replace(/\nfunc /, '\n// inserted while indexing\n\nfunc ');
    const containerText = fs.readFileSync(containerFile, 'utf8').replace(/\nfunc /, '\n\n\nfunc ');
    assert.notEqual(tokenText, fs.readFileSync(tokenFile, 'utf8'));
    assert.notEqual(containerText, fs.readFileSync(containerFile, 'utf8'));

    const full = new WorkspaceModel();
    await full.open(opts);
    full.update(tokenFile, tokenText);
    full.update(containerFile, containerText);
    const want = observe(full, files);

    const lazy = new WorkspaceModel();
    await lazy.open({ ...opts, openFiles: [tokenFile] });
    lazy.update(tokenFile, tokenText);
    lazy.update(containerFile, containerText); // not a workspace package yet: indexed on demand
    lazy.fileView(containerFile);
    await lazy.complete('all'); // without the 'hot' stage
    assert.deepEqual(observe(lazy, files), want);
  });

  it('opens the old way with a profile override (only the whole listing finds every main package)', async () => {
    const lazy = new WorkspaceModel();
    const s = await lazy.open({ ...opts, openFiles: [tokenFile], profileOverride: path.join(tmp, 'interp', 'default.pgo') });
    assert.equal(s.partial, undefined);
    const full = new WorkspaceModel();
    await full.open({ ...opts, profileOverride: path.join(tmp, 'interp', 'default.pgo') });
    assert.deepEqual(observe(lazy, files), observe(full, files));
  });

  it('the worker answers openWorkspace partial and completeWorkspace complete', async () => {
    const engine = new Engine();
    const first = await engine.handle(1, 'openWorkspace', { ...opts, openFiles: [tokenFile] });
    assert.ok(first.ok && (first.value as WorkspaceSummary).partial === true);
    const hot = await engine.handle(2, 'completeWorkspace', { stage: 'hot' });
    assert.ok(hot.ok && (hot.value as WorkspaceSummary).partial === true);
    const all = await engine.handle(3, 'completeWorkspace', { stage: 'all' });
    assert.ok(all.ok && (all.value as WorkspaceSummary).partial === undefined);
    const full = new WorkspaceModel();
    await full.open(opts);
    assert.deepEqual(observe(engine.workspace, files), observe(full, files));
  });
});
