/**
 * The worker thread entry: connects the parent port to the engine. Requests run one at a time in
 * arrival order, so a query sent after a state-establishing call (a profile load, a replay after a
 * restart) sees its effect.
 */
import { parentPort } from 'node:worker_threads';
import { Engine } from './engine';
import type { Request } from './protocol';

if (parentPort) {
  const port = parentPort;
  const engine = new Engine();
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (req: Request) => {
    queue = queue.then(async () => port.postMessage(await engine.handle(req.id, req.method, req.args)));
  });
}
