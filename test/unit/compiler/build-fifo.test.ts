import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { BuildError, planBuild, refuseNonRegularGoFiles } from '../../../src/compiler/build';

const hasMkfifo = spawnSync('mkfifo', ['--version']).error === undefined;

test(
  'planBuild refuses a workspace with a FIFO named *.go before go runs (go list would wait on it)',
  { skip: hasMkfifo ? false : 'mkfifo is missing' },
  async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-build-fifo-'));
    try {
      fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
      fs.writeFileSync(path.join(root, 'main.go'), 'package main\n\nfunc main() {}\n');
      fs.mkdirSync(path.join(root, 'lib'));
      fs.writeFileSync(path.join(root, 'lib', 'lib.go'), 'package lib\n');
      assert.doesNotThrow(() => refuseNonRegularGoFiles(root, root), 'regular files only');

      const pipe = path.join(root, 'lib', 'pipe.go');
      assert.equal(spawnSync('mkfifo', [pipe]).status, 0);
      const t0 = Date.now();
      // a go binary that cannot run and a spawn that fails the test: the refusal must come before any go command
      const opts = { go: path.join(root, 'no-such-go'), onSpawn: () => assert.fail('go was started') };
      await assert.rejects(planBuild(root, root, opts), (e: Error) => {
        assert.ok(e instanceof BuildError, `${e.name}: ${e.message}`);
        assert.match(e.message, /lib\/pipe\.go is a FIFO \(named pipe\)/);
        return true;
      });
      assert.ok(Date.now() - t0 < 5000, 'no wait on the FIFO');

      // a main package outside the root is scanned too
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-build-fifo-main-'));
      try {
        assert.equal(spawnSync('mkfifo', [path.join(other, 'main.go')]).status, 0);
        assert.throws(() => refuseNonRegularGoFiles(other, path.join(root, 'lib', 'none')), /main\.go is a FIFO/);
      } finally {
        fs.rmSync(other, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
);
