import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildKey, changedSince, forgetWarm, isWarm, markWarm, readLastBuild, recompileBound, warmKey, writeLastBuild } from '../../../src/compiler/last-build';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-last-build-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('last-build', () => {
  it('names the changed packages only against a build with the same arguments, profile and Go', async () => {
    const key = buildKey(['list', '-pgo=/p/default.pgo'], 'h1', 'go1.26.8');
    await writeLastBuild(dir, { key, hashes: { a: '1', b: '2' } });
    const last = await readLastBuild(dir);
    assert.deepEqual(changedSince(last, key, { a: '1', b: '2' }), []);
    assert.deepEqual(changedSince(last, key, { a: '1', b: '3', c: '4' }), ['b', 'c'], 'changed and new packages');
    assert.equal(changedSince(last, buildKey(['list', '-pgo=/p/default.pgo'], 'h2', 'go1.26.8'), { a: '1' }), undefined, 'another profile');
    assert.equal(changedSince(last, buildKey(['list', '-pgo=off'], 'h1', 'go1.26.8'), { a: '1' }), undefined, 'other flags');
    assert.equal(changedSince(last, buildKey(['list', '-pgo=/p/default.pgo'], 'h1', 'go1.27'), { a: '1' }), undefined, 'another Go');
    assert.equal(changedSince(undefined, key, { a: '1' }), undefined, 'no earlier build');
  });

  it('bounds the recompiles by the changed packages and all their importers', () => {
    const imports = { main: ['lib', 'util'], lib: ['base'], util: ['base', 'fmt'], base: ['fmt'], other: ['fmt'], fmt: [] };
    assert.equal(recompileBound(imports, ['lib']), 2); // lib, main
    assert.equal(recompileBound(imports, ['base']), 4); // base, lib, util, main
    assert.equal(recompileBound(imports, ['main']), 1);
    assert.equal(recompileBound(imports, []), 0);
  });

  it('remembers the warm-up per profile, Go, build cache and go binary', async () => {
    const k = warmKey('/p/default.pgo', 'h1', 'go1.26.8', '/cache', 'go');
    assert.equal(await isWarm(dir, k), false);
    await markWarm(dir, k);
    assert.equal(await isWarm(dir, k), true);
    assert.equal(await isWarm(dir, warmKey('/p/default.pgo', 'h2', 'go1.26.8', '/cache', 'go')), false, 'other profile contents');
    assert.equal(await isWarm(dir, warmKey('/p/default.pgo', 'h1', 'go1.26.8', '/other-cache', 'go')), false, 'another build cache');
    await forgetWarm(dir);
    assert.equal(await isWarm(dir, k), false);
  });
});
