/**
 * The process-wide cache of outside packages (GOROOT, module cache) shared by WorkspaceModels:
 * a model built while the cache is full answers exactly as one built without any cache and as
 * the one that filled it (summaries, every file view, every binary's lists), also after the same
 * edits; the later open takes the standard library from the cache instead of indexing it again.
 * No timing assertions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OutsideIndexCache, processOutsideCache, setProcessOutsideCache } from '../../../src/source/index-cache';
import { type OpenOptions, WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';
import { goFiles, observe } from './observe';

describe('outside-package cache across workspace models', () => {
  let tmp: string;
  let files: string[];
  let opts: OpenOptions;
  let saved: OutsideIndexCache | null;

  before(() => {
    saved = processOutsideCache();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-outside-ws-')));
    for (const f of ['interp', 'textproc']) fs.cpSync(path.join(fixturesDir, f), path.join(tmp, f), { recursive: true });
    files = goFiles(tmp);
    // Untrusted: no go command, no git; the same inputs for every model.
    opts = { folders: [path.join(tmp, 'interp'), path.join(tmp, 'textproc')], thresholdPercent: 99, trusted: false, history: false };
  });
  after(() => {
    setProcessOutsideCache(saved);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a model built from the cache equals one built without it, before and after edits', async () => {
    setProcessOutsideCache(null);
    const plain = new WorkspaceModel();
    await plain.open(opts);

    const cache = new OutsideIndexCache();
    setProcessOutsideCache(cache);
    const filler = new WorkspaceModel();
    await filler.open(opts);
    const filled = cache.stats();
    assert.ok(filled.entries > 0, 'the first open put the outside packages it read into the cache');

    const reuser = new WorkspaceModel();
    await reuser.open(opts);
    const reused = cache.stats();
    assert.equal(reused.misses, filled.misses, 'the second open indexed no outside package again');
    assert.ok(reused.hits > filled.hits);

    const want = observe(plain, files);
    assert.deepEqual(observe(filler, files), want);
    assert.deepEqual(observe(reuser, files), want);

    // the same edits in each: a line inserted in every function header's body of one file of each folder
    for (const file of files.filter((f) => !f.endsWith('_test.go')).slice(0, 4)) {
      const text = fs.readFileSync(file, 'utf8').replace(/^(func [^\n]*\{)$/m, '$1\n\t// inserted');
      for (const m of [plain, reuser]) m.update(file, text);
    }
    assert.deepEqual(observe(reuser, files), observe(plain, files));
  });
});
