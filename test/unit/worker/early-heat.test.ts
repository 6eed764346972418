/**
 * Heat first (issue #14): a prioritised open answers with the open file's heat before any match,
 * from an index that walked only the open file's bodies. For every Go file of the fixtures, the
 * view right after `open({ openFiles: [file] })` shows the heat (lines, functions, totals) that
 * the same file shows after a full open; `complete('match')` then adds the decisions, and the
 * model still ends equal to a full open. No timing assertions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type OpenOptions, WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';
import { goFiles, heatPart, observe } from './observe';

describe('heat first in a prioritised open', () => {
  let tmp: string;
  let files: string[];
  let opts: OpenOptions;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-early-')));
    for (const f of ['interp', 'textproc']) fs.cpSync(path.join(fixturesDir, f), path.join(tmp, f), { recursive: true });
    files = goFiles(tmp).filter((f) => !f.includes(`${path.sep}testdata${path.sep}`));
    // trusted: false runs no go command: the unit tests need no toolchain
    opts = { folders: [path.join(tmp, 'interp'), path.join(tmp, 'textproc')], thresholdPercent: 99, trusted: false, history: false };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("shows each open file's heat at once, equal to a full open's", async () => {
    const full = new WorkspaceModel();
    await full.open(opts);
    let withHeat = 0;
    let noLenses = 0;
    for (const file of files) {
      const want = full.fileView(file);
      const lazy = new WorkspaceModel();
      const first = await lazy.open({ ...opts, openFiles: [file] });
      assert.equal(first.partial, true);
      const early = lazy.fileView(file);
      assert.deepEqual(heatPart(early), heatPart(want), `${path.relative(tmp, file)}: early heat differs from the full open's`);
      if (want.heat.length) withHeat++;
      // another file of the same package, viewed before any further stage: the same heat as well
      const sibling = files.find((f) => f !== file && path.dirname(f) === path.dirname(file));
      if (sibling)
        assert.deepEqual(heatPart(lazy.fileView(sibling)), heatPart(full.fileView(sibling)), `${path.relative(tmp, sibling)} after ${path.basename(file)}`);
      // no match yet: lenses (decisions) come with complete('match')
      if (want.lenses.length && !early.lenses.length) noLenses++;
    }
    assert.ok(withHeat >= 8, `${withHeat} files with heat`);
    assert.ok(noLenses >= 1, 'some file has lenses only after the match');
  });

  it('an edit while only heat is shown keeps the closure copies located on the saved text', async () => {
    // interp's profile has copies of closures inlined elsewhere (main.buildPrograms.buildPrograms.func1.func2):
    // they are located by start line on the saved text, so lines added before them must not lose them
    const mainFile = path.join(tmp, 'interp', 'main.go');
    const edited = fs.readFileSync(mainFile, 'utf8').replace(/\nfunc /, '\n// typed while only heat was shown\n\n\nfunc ');
    const full = new WorkspaceModel();
    await full.open(opts);
    full.update(mainFile, edited);
    const want = observe(full, files);
    const lazy = new WorkspaceModel();
    await lazy.open({ ...opts, openFiles: [mainFile] });
    lazy.update(mainFile, edited);
    await lazy.complete('match');
    await lazy.complete('all');
    assert.deepEqual(observe(lazy, files), want);
    lazy.update(mainFile, null);
    full.update(mainFile, null);
  });

  it("complete('match') adds decisions; the stages end equal to a full open", async () => {
    const full = new WorkspaceModel();
    await full.open(opts);
    const want = observe(full, files);
    const file = files.find((f) => full.fileView(f).lenses.length > 0);
    assert.ok(file, 'a file with lenses');
    const lazy = new WorkspaceModel();
    const first = await lazy.open({ ...opts, openFiles: [file] });
    assert.equal(lazy.fileView(file).lenses.length, 0);
    // the status bar says "matching…" until the match, not 0 %
    assert.ok(first.binaries.some((b) => b.matching === true && b.summary !== null));
    assert.ok(first.binaries.every((b) => !b.matching || !b.error));
    const matched = await lazy.complete('match');
    assert.equal(matched.partial, true);
    assert.ok(matched.binaries.some((b) => b.matchedPercent > 0));
    assert.ok(
      matched.binaries.every((b) => b.matching === undefined),
      'matched binaries are not "matching"',
    );
    assert.ok(lazy.fileView(file).lenses.length > 0, 'lenses after the match');
    assert.deepEqual(heatPart(lazy.fileView(file)), heatPart(full.fileView(file)));
    await lazy.complete('hot');
    await lazy.complete('all');
    assert.deepEqual(observe(lazy, files), want);
  });
});
