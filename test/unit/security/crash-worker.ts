/**
 * A test-only worker entry: the real worker (src/worker/worker.ts) plus one request it does not
 * have, `crash` with `{ exitCode }`, which ends the thread with that exit code while the call is
 * pending. Production code has no crash hook; the restart tests start this file as the worker
 * script and call `crashWorker`.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerClient } from '../../../src/worker/client';

/** This file, compiled (out/test/unit/security/crash-worker.js): the `script` of a WorkerClient that can crash. */
export const crashScript: string = __filename;

/** Sends the `crash` request; it rejects (WorkerCrashedError) when the thread exits. */
export function crashWorker(c: WorkerClient, exitCode: number): Promise<unknown> {
  const call = c.call.bind(c) as unknown as (method: string, args: unknown) => Promise<unknown>;
  return call('crash', { exitCode });
}

if (parentPort) {
  // Registered before the worker's own listener, so it runs first: the worker never answers it.
  parentPort.on('message', (msg: unknown) => {
    if (typeof msg !== 'object' || msg === null || !('method' in msg) || msg.method !== 'crash') return;
    const args = 'args' in msg ? msg.args : undefined;
    process.exit(typeof args === 'object' && args !== null && 'exitCode' in args && typeof args.exitCode === 'number' ? args.exitCode : 1);
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../../src/worker/worker');
}
