/**
 * A FIFO named `*.go` in the main package's module or the benchmarked package's: evaluate refuses
 * with an EvaluateError before it starts any go command (each would open the FIFO and wait forever).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { EvaluateError, evaluate } from '../../../src/evaluate/evaluate';

const hasMkfifo = spawnSync('mkfifo', ['--version']).error === undefined;

test('evaluate refuses a module with a FIFO named *.go and starts no go command', { skip: hasMkfifo ? false : 'mkfifo is missing' }, async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-fifo-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const main = path.join(root, 'app');
  fs.mkdirSync(path.join(main, 'internal'), { recursive: true });
  fs.writeFileSync(path.join(main, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
  fs.writeFileSync(path.join(main, 'main.go'), 'package main\n\nfunc main() {}\n');
  fs.writeFileSync(path.join(main, 'default.pgo'), 'not read before the guard');
  const calls = path.join(root, 'calls');
  const fake = path.join(root, 'fakego');
  fs.writeFileSync(fake, `#!/bin/sh\necho "$@" >> ${JSON.stringify(calls)}\nexit 1\n`, { mode: 0o755 });

  // Without the FIFO the first go command runs (and fails: it is a stand-in).
  await assert.rejects(evaluate({ mainDir: main, go: fake }));
  assert.ok(fs.existsSync(calls), 'the go command was started');
  fs.rmSync(calls);

  spawnSync('mkfifo', [path.join(main, 'internal', 'x.go')]);
  await assert.rejects(evaluate({ mainDir: main, go: fake }), (e: unknown) => {
    assert.ok(e instanceof EvaluateError, String(e));
    assert.match(e.message, /internal\/x\.go is a FIFO \(named pipe\), not a regular file: the go command would wait on it forever/);
    return true;
  });
  assert.equal(fs.existsSync(calls), false, 'no go command was started');

  // The benchmarked package's module is checked too.
  fs.rmSync(path.join(main, 'internal', 'x.go'));
  const lib = path.join(root, 'lib');
  fs.mkdirSync(lib);
  spawnSync('mkfifo', [path.join(lib, 'lib.go')]);
  await assert.rejects(evaluate({ mainDir: main, go: fake, bench: '.', benchPkg: lib }), EvaluateError);
  assert.equal(fs.existsSync(calls), false);
});
