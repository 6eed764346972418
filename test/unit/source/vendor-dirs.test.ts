/** packageDirs / vendoredPackageDirs: a module's vendored packages (vendor/modules.txt) are package directories; other vendor dirs are not. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { inferPackagePath, packageDirs, vendoredPackageDirs } from '../../../src/source/packages';

describe('vendored packages', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-vendor-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('go.mod', 'module example.com/app\n\ngo 1.23\n');
  write('main.go', 'package main\n\nfunc main() {}\n');
  write('vendor/modules.txt', '# example.org/lib v1.2.3\n## explicit; go 1.20\nexample.org/lib\nexample.org/lib/sub\n');
  write('vendor/example.org/lib/lib.go', 'package lib\n');
  write('vendor/example.org/lib/sub/sub.go', 'package sub\n');
  write('vendor/example.org/lib/unused/unused.go', 'package unused\n'); // not listed: not part of the build
  write('nested/vendor/example.org/x/x.go', 'package x\n'); // no go.mod next to this vendor dir

  it('lists the packages of modules.txt that exist', () => {
    assert.deepEqual(vendoredPackageDirs(path.join(root, 'vendor')), [path.join(root, 'vendor/example.org/lib'), path.join(root, 'vendor/example.org/lib/sub')]);
    assert.deepEqual(vendoredPackageDirs(path.join(root, 'nested', 'vendor')), []);
  });

  it('packageDirs includes them, and nothing else under vendor/', () => {
    const rel = packageDirs(root)
      .map((d) => path.relative(root, d).split(path.sep).join('/'))
      .sort();
    assert.deepEqual(rel, ['', 'vendor/example.org/lib', 'vendor/example.org/lib/sub']);
  });

  it('their import paths are the vendored ones', () => {
    const loc = inferPackagePath(path.join(root, 'vendor/example.org/lib/sub'), {});
    assert.equal(loc?.importPath, 'example.org/lib/sub');
    assert.equal(loc?.method, 'vendor');
  });
});
