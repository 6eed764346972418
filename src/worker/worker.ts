/**
 * The worker thread entry: connects the parent port to the engine. Requests run one at a time in
 * arrival order, so a query sent after a state-establishing call (a profile load, a replay after a
 * restart) sees its effect. Jobs (collecting, benchmarks, builds) run beside that queue, post
 * progress events and stop when cancelled.
 */
import { parentPort } from 'node:worker_threads';
import { Engine } from './engine';
import type { CancelRequest, JobRequest, Request } from './protocol';

if (parentPort) {
  const port = parentPort;
  const engine = new Engine();
  let queue: Promise<void> = Promise.resolve();
  const running = new Map<number, AbortController>();
  port.on('message', (msg: Request | JobRequest | CancelRequest) => {
    if ('cancel' in msg) {
      running.get(msg.cancel)?.abort();
      return;
    }
    if ('job' in msg) {
      const ac = new AbortController();
      running.set(msg.id, ac);
      void engine
        .runJob(msg.id, msg.job, msg.args, (event) => port.postMessage({ id: msg.id, event }), ac.signal)
        .then((res) => port.postMessage(res))
        .finally(() => running.delete(msg.id));
      return;
    }
    const req = msg;
    queue = queue.then(async () => port.postMessage(await engine.handle(req.id, req.method, req.args)));
  });
}
