/**
 * The report's universes' outside indexes (report-outside.ts): the tree's own index first; else
 * the package's files read again and indexed with bodies walked on demand, answering as
 * `indexPackage` does; none when the files are not the ones the universe named.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { withLazyOutside } from '../../../src/match/report-outside';
import { defaultBuildContext, indexPackage, type PackageIndex } from '../../../src/source/index';
import { goEnvFromProcess } from '../../../src/source/packages';

test('outside indexes: the tree first, else a lazy index of exactly the named files', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-report-outside-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = 'package q\n\nfunc Add(x, y int) int { return x + y }\n\nfunc Twice(x int) int { f := func() int { return Add(x, x) }; return f() }\n';
  const b = 'package q\n\ntype T struct{}\n\nfunc (T) Add(x int) int { return Add(x, 1) }\n';
  fs.writeFileSync(path.join(dir, 'a.go'), a);
  fs.writeFileSync(path.join(dir, 'b.go'), b);
  const ge = goEnvFromProcess();
  const ctx = defaultBuildContext();
  const full = indexPackage(
    [
      { name: 'a.go', text: a },
      { name: 'b.go', text: b },
    ],
    { pkgPath: 'example.com/q', goos: ctx.goos, goarch: ctx.goarch },
  );
  const lazy = withLazyOutside(undefined, ge, ctx)(dir, 'example.com/q', ['a.go', 'b.go'], undefined);
  assert.ok(lazy);
  for (const k of [...full.bySymbol.keys(), 'example.com/q.Missing', 'example.com/q.Twice.func2'])
    assert.deepEqual(lazy.bySymbol.get(k), full.bySymbol.get(k), k);
  // the universe named other files (the directory changed since): it indexes the package itself
  assert.equal(withLazyOutside(undefined, ge, ctx)(dir, 'example.com/q', ['a.go'], undefined), undefined);
  // the tree's own index wins
  const own = { pkgPath: 'example.com/q' } as PackageIndex;
  assert.equal(withLazyOutside(() => own, ge, ctx)(dir, 'example.com/q', ['a.go', 'b.go'], undefined), own);
});
