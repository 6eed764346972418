/**
 * Heat first on real code (issue #14): a copy of part of GOROOT/src/cmd/compile (main.go with its
 * default.pgo, and the ssa, ir and types packages) opened the prioritised way with one file
 * visible. The view right after `open` (only that file's bodies walked, nothing matched) shows the
 * heat that the same file shows after a full open of the copy. ir/expr.go has a closure in a
 * package-level variable initialiser (its package is indexed in full at once); regalloc.go sits
 * beside rewriteAMD64.go's 79k lines, whose bodies the first answer skips.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { type OpenOptions, WorkspaceModel } from '../../../src/worker/workspace';
import { goroot, realTmpDir, requireGo } from '../goenv';
import { heatPart } from '../../unit/worker/observe';

const FILES = ['internal/ssa/regalloc.go', 'internal/ir/expr.go', 'internal/types/type.go', 'main.go'];

describe('heat first on a copy of cmd/compile', requireGo(), () => {
  let compile: string;
  let opts: OpenOptions;

  before(() => {
    const src = path.join(goroot(), 'src', 'cmd');
    const tmp = realTmpDir('early-goroot');
    compile = path.join(tmp, 'cmd', 'compile');
    fs.mkdirSync(path.join(compile, 'internal'), { recursive: true });
    fs.copyFileSync(path.join(src, 'go.mod'), path.join(tmp, 'cmd', 'go.mod'));
    for (const f of ['main.go', 'doc.go', 'default.pgo']) fs.copyFileSync(path.join(src, 'compile', f), path.join(compile, f));
    for (const d of ['ssa', 'ir', 'types'])
      fs.cpSync(path.join(src, 'compile', 'internal', d), path.join(compile, 'internal', d), {
        recursive: true,
        filter: (s) => !s.includes(`${path.sep}testdata`) && !s.includes(`${path.sep}_gen`),
      });
    // untrusted: no go list in the copy (it would find cmd/compile twice, here and in GOROOT)
    opts = { folders: [compile], thresholdPercent: 99, trusted: false, history: false };
  });

  it("shows the open file's heat at once, equal to a full open's", async () => {
    const full = new WorkspaceModel();
    const all = await full.open(opts);
    assert.equal(all.binaries.length, 1);
    assert.ok((all.binaries[0]?.matchedPercent ?? 0) > 0);
    let withHeat = 0;
    for (const rel of FILES) {
      const file = path.join(compile, rel);
      const want = full.fileView(file);
      const lazy = new WorkspaceModel();
      const first = await lazy.open({ ...opts, openFiles: [file] });
      assert.equal(first.partial, true);
      assert.ok(first.packages < all.packages, `${rel}: ${first.packages} packages first`);
      assert.deepEqual(heatPart(lazy.fileView(file)), heatPart(want), `${rel}: the first view's heat differs from the full open's`);
      if (want.heat.length > 0) withHeat++;
    }
    assert.ok(withHeat >= 3, `${withHeat} of ${FILES.length} files with heat`);
  });
});
