import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureLine, hideTemporaryPaths, isCancellation } from '../../../src/editor/messages';

describe('failure messages (one line, no stack trace, no temporary path)', () => {
  it('keeps the first line of an internal error that crossed the worker with its stack', () => {
    // What engine.ts sends for a bug: the stack as the message.
    const wire = 'Error: no backup /home/u/app/default.pgo.bak to restore\n    at /work/dist/worker.js:1:2\n    at async Engine.call (worker.js:9:9)';
    assert.equal(failureLine({ message: wire, wire: { kind: 'internal', message: wire } }), 'no backup /home/u/app/default.pgo.bak to restore');
    assert.equal(failureLine(new TypeError('x is not a function')), 'x is not a function');
  });
  it('appends a user error advice once', () => {
    const e = { message: 'the merged profile cannot be used: empty', wire: { kind: 'failed', message: 'm', advice: 'Profile for longer.\nmore' } };
    assert.equal(failureLine(e), 'the merged profile cannot be used: empty Profile for longer.');
    // A binary's load error is a wire error itself.
    assert.equal(failureLine({ kind: 'empty', message: 'no samples', advice: 'Collect longer.' }), 'no samples Collect longer.');
  });
  it('names a file under a temporary directory by its name only', () => {
    assert.equal(hideTemporaryPaths('cannot read /tmp/pgo-lens-Xa1/cpu.pprof: EOF', ['/tmp']), 'cannot read cpu.pprof: EOF');
    assert.equal(failureLine(new Error('go build failed in /var/tmp/x/b001/main.go'), ['/var/tmp/']), 'go build failed in main.go');
    assert.equal(hideTemporaryPaths('/home/u/app/default.pgo is fine', ['/tmp']), '/home/u/app/default.pgo is fine');
  });
  it('never returns an empty line', () => {
    assert.equal(failureLine(new Error('')), 'unknown error (see the log)');
    assert.equal(failureLine(undefined), 'undefined');
  });
  it('tells a cancellation from a failure', () => {
    assert.equal(isCancellation({ wire: { kind: 'cancelled' } }), true);
    assert.equal(isCancellation(new Error('cancelled')), false);
  });
});
