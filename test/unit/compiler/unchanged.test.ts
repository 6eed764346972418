/**
 * The stat fingerprint of an unchanged re-confirmation (src/compiler/unchanged.ts): what it
 * covers, what rules it out, and that a racy (too recent) stat is not trusted. The whole path
 * (no go process while unchanged) is checked by test/oracle/compiler-decisions/cache.test.ts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { collidedPackages } from '../../../src/compiler/json-collisions';
import { buildEnv, fingerprintNow, lastIfUnchanged, remember, resolveGo, workFiles } from '../../../src/compiler/unchanged';

const base = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-unchanged-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));
const posix = process.platform !== 'win32';

describe('unchanged re-confirmation', () => {
  it('buildEnv keeps what changes a build and rules out -overlay and -modfile', () => {
    assert.deepEqual(buildEnv({ HOME: '/h', GOOS: 'linux', CGO_ENABLED: '0', CC: 'clang', PATH: '/bin', GOFLAGS: '-tags=x', TERM: 'xterm' }), {
      CC: 'clang',
      CGO_ENABLED: '0',
      GOFLAGS: '-tags=x',
      GOOS: 'linux',
      PATH: '/bin',
    });
    assert.equal(buildEnv({ GOFLAGS: '-buildvcs=false -overlay=/tmp/o.json' }), undefined);
    assert.equal(buildEnv({ GOFLAGS: '--modfile=/tmp/go.mod' }), undefined);
  });

  it('resolveGo finds the binary on PATH; workFiles lists go.work up to the root', { skip: !posix }, () => {
    const bin = path.join(base, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'go'), '#!/bin/sh\n', { mode: 0o755 });
    assert.equal(resolveGo('go', { PATH: `${path.join(base, 'nothing')}:${bin}` }), path.join(bin, 'go'));
    assert.equal(resolveGo('go', { PATH: path.join(base, 'nothing') }), undefined);
    assert.equal(resolveGo('./x/go', {}), path.resolve('x/go'));
    assert.deepEqual(workFiles('/a/b'), ['/a/b/go.work', '/a/go.work', '/go.work']);
  });

  it('answers while nothing changed; a write, a removal or another environment makes it stale', async () => {
    const dir = path.join(base, 'state');
    fs.mkdirSync(dir);
    const src = path.join(base, 'src');
    fs.mkdirSync(src);
    const a = path.join(src, 'a.go');
    fs.writeFileSync(a, 'package a\n');
    const inputs = { paths: [src, a, path.join(src, 'go.work')], env: { GOOS: 'linux' } };
    const fp = await fingerprintNow(inputs);
    assert.equal(fp.racy, true, 'a file written just now is not trusted by its stat');
    await remember(dir, inputs, fp.fingerprint, { n: 1 });
    assert.deepEqual(await lastIfUnchanged(dir, inputs.env), { n: 1 });
    assert.equal(await lastIfUnchanged(dir, { GOOS: 'darwin' }), undefined, 'another environment');
    fs.writeFileSync(a, 'package b\n');
    assert.equal(await lastIfUnchanged(dir, inputs.env), undefined, 'a file was written');
    await remember(dir, inputs, (await fingerprintNow(inputs)).fingerprint, { n: 2 });
    fs.writeFileSync(path.join(src, 'go.work'), 'go 1.26\n');
    assert.equal(await lastIfUnchanged(dir, inputs.env), undefined, 'a go.work appeared');
    await remember(dir, inputs, (await fingerprintNow(inputs)).fingerprint, { n: 3 });
    fs.writeFileSync(path.join(src, 'b.go'), 'package a\n');
    assert.equal(await lastIfUnchanged(dir, inputs.env), undefined, 'a new file in a package directory');
    await remember(dir, inputs, (await fingerprintNow(inputs)).fingerprint, { n: 4 });
    fs.rmSync(a);
    assert.equal(await lastIfUnchanged(dir, inputs.env), undefined, 'a file was removed');
    fs.writeFileSync(path.join(dir, 'last-confirmation.json'), '{"v":0}');
    assert.equal(await lastIfUnchanged(dir, inputs.env), undefined, 'another version of the record');
  });
});

describe('JSON files overwritten by a file of the same base name', () => {
  it('a package is collided when its JSON names another directory file with the base name of its own', () => {
    const header = (file: string): { name: string; text: string } => ({ name: 'x', text: `${JSON.stringify({ version: 0, package: 'p', file })}\n` });
    const pkgs = [
      { importPath: 'example.com/a', dir: '/ws/a', goFiles: ['/ws/a/type.go', '/ws/a/a.go'] },
      { importPath: 'example.com/c', dir: '/ws/c', goFiles: ['/ws/c/c.go'] },
      { importPath: 'example.com/d', dir: '/ws/d', goFiles: ['/ws/d/type.go'] },
    ];
    const json: Record<string, Array<{ name: string; text: string }>> = {
      'example.com/a': [header('/ws/b/type.go'), header('/ws/a/a.go')],
      'example.com/c': [header('$GOROOT/src/sync/atomic/type.go'), header('/ws/c/c.go')],
      'example.com/d': [header('/ws/d/type.go')],
    };
    assert.deepEqual(
      collidedPackages(pkgs, (p) => json[p], { cwd: '/ws', goroot: '/go' }),
      ['example.com/a'],
      'c has no own type.go; d kept its own',
    );
  });
});
