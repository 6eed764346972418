/**
 * The report's universes walk outside packages' bodies on demand (source/lazy-entries.ts,
 * match/report-outside.ts): on GOROOT packages the report's callee costs read most (runtime with
 * its linknames, reflect, math/big, …), every symbol of the full index and near-misses answer as
 * `indexPackage` does, with imports resolved as the universe resolves them.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { defaultBuildContext } from '../../../src/source/index';
import { createSourceResolver, goEnvFromProcess, inferPackagePath, readPackageFiles } from '../../../src/source/packages';
import { checkLazyEntries } from '../../unit/source/lazy-entries-check';
import { goroot, requireGo } from '../goenv';

const PACKAGES = ['runtime', 'reflect', 'math/big', 'strings', 'sync', 'internal/abi', 'fmt', 'cmd/compile/internal/types'];

describe('outside packages indexed with bodies walked on demand', requireGo(), () => {
  it('answer every symbol as the full index on GOROOT packages', () => {
    const gr = goroot();
    const ge = { ...goEnvFromProcess(), goroot: gr };
    const ctx = defaultBuildContext();
    let symbols = 0;
    let seed = 11;
    for (const p of PACKAGES) {
      const dir = path.join(gr, 'src', ...p.split('/'));
      const pf = readPackageFiles(dir, ctx);
      assert.ok(pf, p);
      const module = inferPackagePath(dir, ge)?.module;
      const resolver = createSourceResolver({ fromDir: dir, goEnv: ge, ctx, module, outside: null });
      symbols += checkLazyEntries(pf.files, { pkgPath: p, goos: ctx.goos, goarch: ctx.goarch, resolver }, seed++);
    }
    assert.ok(symbols > 4000, `symbols: ${symbols}`);
  });
});
