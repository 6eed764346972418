/**
 * A save arriving while the whole-workspace pass (`complete('all')` → indexAll) lists and reads the
 * folders (issue #14). The pass reads each folder's files, then awaits the next folder's listing
 * (`go list`); a package first indexed in that pass is not in the model until the pass ends, so a
 * save of one of its files (`update(file, null)`: its unsaved text dropped, the saved file now
 * stands) finds no package to re-index. The pass must not keep the text it read before the save.
 *
 * The save is delivered at the moment the first folder's file is read (the spy on
 * PackageIndexer.setFile), while the model is in the state it has during the second folder's
 * listing: the package not yet in the model. No timing assertions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PackageIndexer } from '../../../src/source/index';
import { type OpenOptions, WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';
import { goFiles, observe } from './observe';

describe('a save while the whole workspace is listed', () => {
  let tmp: string;
  let files: string[];
  let opts: OpenOptions;
  let tokenFile: string;
  let original: string;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-allrace-')));
    for (const f of ['interp', 'textproc']) fs.cpSync(path.join(fixturesDir, f), path.join(tmp, f), { recursive: true });
    files = goFiles(tmp).filter((f) => !f.endsWith('_test.go'));
    tokenFile = path.join(tmp, 'textproc', 'token', 'token.go');
    original = fs.readFileSync(tokenFile, 'utf8');
    // textproc first: its token package is first indexed by the whole pass (the open file is interp's)
    opts = { folders: [path.join(tmp, 'textproc'), path.join(tmp, 'interp')], thresholdPercent: 99, trusted: false, history: false };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Runs fn with `onRead(name, text)` called whenever any PackageIndexer takes a file's text. */
  async function spyReads(onRead: (name: string, text: string) => void, fn: () => Promise<void>): Promise<void> {
    const proto = PackageIndexer.prototype;
    const setFile = proto.setFile;
    proto.setFile = function (this: PackageIndexer, name: string, text: string): void {
      setFile.call(this, name, text);
      onRead(name, text);
    };
    try {
      await fn();
    } finally {
      proto.setFile = setFile;
    }
  }

  it('takes a new file created and saved while the folder was read, equal to a fresh open', async () => {
    const extra = path.join(tmp, 'textproc', 'token', 'extra.go');
    const text = 'package token\n\n// Created and saved while the workspace was listed.\nfunc AddedFile(s string) int { return len(s) + 1 }\n';
    const lazy = new WorkspaceModel();
    try {
      await lazy.open({ ...opts, openFiles: [path.join(tmp, 'interp', 'main.go')] });
      assert.ok(lazy.partial);
      let delivered = false;
      await spyReads(
        (name) => {
          if (delivered || name !== 'token.go') return;
          // the pass has listed token's directory and is reading it: the editor creates and saves a file now
          delivered = true;
          fs.writeFileSync(extra, text);
          lazy.update(extra, text);
          lazy.update(extra, null);
        },
        async () => {
          await lazy.complete('all');
        },
      );
      assert.ok(delivered, 'the pass read token.go');
      const fresh = new WorkspaceModel();
      await fresh.open(opts);
      const all = [...files, extra];
      assert.ok(fresh.fileView(extra).binaries.length > 0, 'the fresh model builds the new file into a binary');
      assert.deepEqual(observe(lazy, all), observe(fresh, all));
    } finally {
      fs.rmSync(extra, { force: true });
    }
  });

  for (const kind of ['lines moved', 'a function added first'] as const) {
    it(`ends with the saved text (${kind}), equal to a fresh open`, async () => {
      const typed =
        kind === 'lines moved'
          ? original.replace(/\nfunc /, '\n// typed, then saved while the workspace was listed\n\n\nfunc ')
          : original.replace(/\nfunc /, '\nfunc AddedWhileListing(s string) int { return len(s) * 2 }\n\nfunc ');
      assert.notEqual(typed, original);
      const lazy = new WorkspaceModel();
      try {
        await lazy.open({ ...opts, openFiles: [path.join(tmp, 'interp', 'main.go')] });
        assert.ok(lazy.partial);
        lazy.update(tokenFile, typed); // unsaved text of a package not indexed yet
        let delivered = false;
        await spyReads(
          (name, text) => {
            if (delivered || name !== 'token.go' || text !== original) return;
            // the pass has just read the file as it was on disk: the editor saves it now
            delivered = true;
            fs.writeFileSync(tokenFile, typed);
            lazy.update(tokenFile, null);
          },
          async () => {
            await lazy.complete('all');
          },
        );
        assert.ok(delivered, 'the pass read token.go before the save');
        const fresh = new WorkspaceModel();
        await fresh.open(opts);
        assert.deepEqual(observe(lazy, files), observe(fresh, files));
        // and an edit afterwards still behaves as in the fresh model
        lazy.update(tokenFile, original);
        fresh.update(tokenFile, original);
        assert.deepEqual(observe(lazy, files), observe(fresh, files));
      } finally {
        fs.writeFileSync(tokenFile, original);
      }
    });
  }
});
