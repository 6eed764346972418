/**
 * The worker thread entry: connects the parent port to the engine. Requests run one at a time in
 * arrival order, so a query sent after a state-establishing call (a profile load, a replay after a
 * restart) sees its effect; the profile explorer's queries wait for the queue but do not hold it.
 * Jobs (collecting, benchmarks, builds) run beside that queue, post progress events and stop when
 * cancelled.
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
    if (req.method.startsWith('explorer')) {
      // Opening a large profile in the explorer streams for seconds: its queries wait for the
      // requests before them (the workspace they match against) but later ones do not wait for them.
      void queue.then(() => engine.handle(req.id, req.method, req.args)).then((res) => port.postMessage(res));
      return;
    }
    queue = queue.then(async () => port.postMessage(await engine.handle(req.id, req.method, req.args)));
  });
}
