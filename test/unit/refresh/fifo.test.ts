/**
 * A FIFO named `*.go` in the module (a hostile repository): the benchmark run refuses before it
 * starts any go command (go list -deps and go test would open it and wait forever), and lists the
 * package itself with `-find` (no dependency is loaded).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { BenchmarkError, runBenchmark } from '../../../src/refresh/benchmark';

const hasMkfifo = spawnSync('mkfifo', ['--version']).error === undefined;

test('runBenchmark refuses a module with a FIFO named *.go and starts no go command', { skip: hasMkfifo ? false : 'mkfifo is missing' }, async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-fifo-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const mod = path.join(root, 'mod');
  fs.mkdirSync(path.join(mod, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(mod, 'other'));
  fs.writeFileSync(path.join(mod, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
  fs.writeFileSync(path.join(mod, 'lib', 'lib.go'), 'package lib\n');
  // A stand-in for go: records its arguments, then fails like go list on a broken package.
  const calls = path.join(root, 'calls');
  const fake = path.join(root, 'fakego');
  fs.writeFileSync(fake, `#!/bin/sh\necho "$@" >> ${JSON.stringify(calls)}\necho 'no Go files' >&2\nexit 1\n`, { mode: 0o755 });
  const o = { pkgDir: path.join(mod, 'lib'), bench: '.', goCommand: fake, tmpRoot: root };

  // Without the FIFO the go command runs, and the package is listed with -find.
  await assert.rejects(runBenchmark(o), (e: unknown) => e instanceof BenchmarkError && e.kind === 'not-a-package');
  assert.match(fs.readFileSync(calls, 'utf8'), /^list -find -f /);
  fs.rmSync(calls);

  // A FIFO anywhere in the module (here a package lib may import): refused before any go command.
  spawnSync('mkfifo', [path.join(mod, 'other', 'pipe.go')]);
  const t0 = Date.now();
  await assert.rejects(runBenchmark(o), (e: unknown) => {
    assert.ok(e instanceof BenchmarkError, String(e));
    assert.equal(e.kind, 'non-regular-file');
    assert.match(e.message, /other\/pipe\.go is a FIFO \(named pipe\), not a regular file: the go command would wait on it forever/);
    return true;
  });
  assert.ok(Date.now() - t0 < 5000);
  assert.equal(fs.existsSync(calls), false, 'no go command was started');

  // The same for the main package the profile is for, when it is elsewhere.
  fs.rmSync(path.join(mod, 'other', 'pipe.go'));
  const target = path.join(root, 'target');
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, 'go.mod'), 'module example.com/t\n');
  spawnSync('mkfifo', [path.join(target, 'main.go')]);
  await assert.rejects(runBenchmark({ ...o, targetMainDir: target }), (e: unknown) => e instanceof BenchmarkError && e.kind === 'non-regular-file');
  assert.equal(fs.existsSync(calls), false);
});
