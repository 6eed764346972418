/**
 * goBuildTrimmed (a -trimpath build whose positions are written back as a plain build prints them) prints what goBuild prints
 * (but for a leading `./`): the same lines, in a module built at its root (`./file.go`), a main package below the root (`cmd/shapes/main.go`, the other
 * packages of the module, inlined standard-library positions under $GOROOT/src) and a module with vendored code
 * (`vendor/<module>/<file>`). The oracle tests that build temporary copies rely on it.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, repoRoot } from '../paths';
import { goBuild, goBuildTrimmed, goroot, requireGo } from './goenv';

const opts = requireGo();

const CASES: Array<{ name: string; dir: string; args: string[]; expect: RegExp[] }> = [
  {
    name: 'interp (the main package at the module root)',
    dir: path.join(fixturesDir, 'interp'),
    args: ['-pgo=default.pgo', '-gcflags=example.com/interp=-m -d=pgodebug=1', '.'],
    expect: [/^(\.\/)?vm\.go:\d+:\d+: PGO devirtualizing/m, / at (\.\/)?ast\.go:\d+:\d+ in function /m],
  },
  {
    name: 'shapes (the main package below the root, other packages of the module, standard-library positions)',
    dir: path.join(fixturesDir, 'shapes'),
    args: ['-pgo=cmd/shapes/default.pgo', '-gcflags=example.com/shapes/...=-m -d=pgodebug=1', './cmd/shapes'],
    expect: [/^cmd\/shapes\/main\.go:\d+:\d+: /m, /^geom\/geom\.go:\d+:\d+: /m],
  },
  {
    name: 'btree (vendored library code)',
    dir: path.join(repoRoot, 'test', 'corpus', 'btree'),
    args: ['-pgo=default.pgo', '-gcflags=example.com/corpus/btree/...=-m -d=pgodebug=1', '-gcflags=github.com/google/btree/...=-m -d=pgodebug=1', '.'],
    expect: [/^(\.\/)?vendor\/github\.com\/google\/btree\/btree_generic\.go:\d+:\d+: /m, /^(\.\/)?main\.go:\d+:\d+: /m],
  },
];

/** The lines, sorted, without the `./` a plain build writes in front of some relative positions (and not of others). */
const lines = (out: string): string[] =>
  out
    .replace(/(^| at )\.\//gm, '$1')
    .split('\n')
    .sort();

describe('goBuildTrimmed prints what goBuild prints', opts, () => {
  for (const c of CASES) {
    it(c.name, () => {
      const plain = goBuild(c.dir, c.args);
      const trimmed = goBuildTrimmed(c.dir, c.args);
      for (const re of c.expect) assert.match(plain, re);
      assert.ok(plain.includes(`\n${path.join(goroot(), 'src')}${path.sep}`), 'standard-library positions (absolute) are among the lines compared');
      assert.deepEqual(lines(trimmed), lines(plain));
    });
  }
});
