/**
 * Heat first without double work (issue #14): the view's warm-up builds the package's incremental
 * indexer from the files the prioritised open's first stage already lexed and parsed
 * (`takeParsedFiles` + `PackageIndexer.setParsed`) instead of lexing and parsing them again, and
 * what it indexes is exactly what an indexer fed the same text by `setFile` indexes, before and
 * after edits. No timing assertions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { indexDeclarationsFirst, takeParsedFiles } from '../../../src/source/declarations-first';
import { defaultBuildContext, type IndexOptions, PackageIndexer } from '../../../src/source/index';
import { readPackageFiles } from '../../../src/source/packages';
import { type OpenOptions, WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';
import { goFiles, observe } from './observe';

/** Every directory of the fixtures holding a package's build files (testdata included: more shapes). */
function packageDirs(): string[] {
  const dirs = [...new Set(goFiles(fixturesDir).map((f) => path.dirname(f)))].sort();
  return dirs.filter((d) => (readPackageFiles(d, defaultBuildContext())?.files.length ?? 0) > 1);
}

/** Counts the files PackageIndexer lexes and parses (`setFile` with new text) while `fn` runs. */
async function countParses(fn: () => Promise<void>): Promise<{ parsed: string[]; seeded: string[] }> {
  const proto = PackageIndexer.prototype;
  const setFile = proto.setFile;
  const setParsed = proto.setParsed;
  const out = { parsed: [] as string[], seeded: [] as string[] };
  proto.setFile = function (this: PackageIndexer, name: string, text: string): void {
    if (this.getFile(name)?.text !== text) out.parsed.push(name);
    setFile.call(this, name, text);
  };
  proto.setParsed = function (this: PackageIndexer, syntax): void {
    out.seeded.push(syntax.name);
    setParsed.call(this, syntax);
  };
  try {
    await fn();
  } finally {
    proto.setFile = setFile;
    proto.setParsed = setParsed;
  }
  return out;
}

describe('the warm-up reuses the first stage parse', () => {
  it('an indexer seeded with the parsed files indexes as one fed their text, before and after edits', () => {
    const ctx = defaultBuildContext();
    let packages = 0;
    for (const dir of packageDirs()) {
      const pf = readPackageFiles(dir, ctx);
      if (!pf) continue;
      const opts: IndexOptions = { pkgPath: pf.pkgName === 'main' ? 'main' : `example.com/${path.basename(dir)}`, goos: ctx.goos, goarch: ctx.goarch };
      for (const open of pf.files) {
        const ix = indexDeclarationsFirst(pf.files, opts, new Set([open.name]));
        const parsed = takeParsedFiles(ix);
        assert.ok(parsed, `${dir} ${open.name}: the first stage's files are kept`);
        assert.deepEqual([...parsed.keys()].sort(), pf.files.map((f) => f.name).sort());
        assert.equal(takeParsedFiles(ix), undefined, 'handed over once');
        const seeded = new PackageIndexer(opts);
        for (const s of parsed.values()) seeded.setParsed(s);
        const fresh = new PackageIndexer(opts);
        for (const f of pf.files) fresh.setFile(f.name, f.text);
        assert.deepEqual(seeded.index(), fresh.index(), `${dir} with ${open.name} open`);
        // an edit that moves every declaration of the open file, then one that takes it back
        const moved = open.text.replace(/\nfunc /, '\n// an edit\n\nfunc ');
        for (const text of [moved, open.text]) {
          seeded.setFile(open.name, text);
          fresh.setFile(open.name, text);
          assert.deepEqual(seeded.index(), fresh.index(), `${dir} ${open.name} edited`);
        }
      }
      packages++;
    }
    assert.ok(packages >= 3, `${packages} packages`);
  });

  describe('in the workspace model', () => {
    let tmp: string;
    let files: string[];
    let opts: OpenOptions;

    before(() => {
      tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-warm-')));
      for (const f of ['interp', 'textproc']) fs.cpSync(path.join(fixturesDir, f), path.join(tmp, f), { recursive: true });
      files = goFiles(tmp).filter((f) => !f.includes(`${path.sep}testdata${path.sep}`));
      opts = { folders: [path.join(tmp, 'interp'), path.join(tmp, 'textproc')], thresholdPercent: 99, trusted: false, history: false };
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("the view's warm-up and the match stage lex and parse no file the first stage parsed; the model ends equal to a full open", async () => {
      const full = new WorkspaceModel();
      await full.open(opts);
      const want = observe(full, files);
      let checked = 0;
      for (const file of files) {
        const siblings = files.filter((f) => path.dirname(f) === path.dirname(file) && !f.endsWith('_test.go')).map((f) => path.basename(f));
        if (siblings.length < 2) continue;
        const lazy = new WorkspaceModel();
        await lazy.open({ ...opts, openFiles: [file] });
        const counts = await countParses(async () => {
          lazy.fileView(file);
          await setImmediate(); // the view's warm-up (scheduleWarm)
          await lazy.complete('match');
        });
        // nothing parses the open package's files again after the first stage
        const again = counts.parsed.filter((n) => siblings.includes(n));
        assert.deepEqual(again, [], `${path.relative(tmp, file)}: parsed again by the warm-up`);
        for (const n of siblings) assert.ok(counts.seeded.includes(n), `${path.relative(tmp, file)}: ${n} taken from the first stage`);
        await lazy.complete('all');
        assert.deepEqual(observe(lazy, files), want, path.relative(tmp, file));
        checked++;
      }
      assert.ok(checked >= 4, `${checked} files`);
    });

    it('a file changed on disk after the first stage is read and parsed again, not taken from it', async () => {
      const file = files.find((f) => path.basename(f) === 'main.go' && f.includes(`${path.sep}interp${path.sep}`));
      assert.ok(file);
      const text = fs.readFileSync(file, 'utf8');
      const edited = text.replace(/\nfunc /, '\n// changed on disk\n\nfunc ');
      const lazy = new WorkspaceModel();
      await lazy.open({ ...opts, openFiles: [file] });
      assert.ok(lazy.partial);
      try {
        fs.writeFileSync(file, edited);
        const counts = await countParses(async () => {
          await lazy.complete('match');
        });
        assert.ok(counts.parsed.includes('main.go'), 'the changed file is parsed from its new text');
        const fresh = new WorkspaceModel();
        await fresh.open({ ...opts });
        await lazy.complete('all');
        assert.deepEqual(observe(lazy, files), observe(fresh, files));
      } finally {
        fs.writeFileSync(file, text);
      }
    });
  });
});
