/**
 * The worker thread entry: connects the parent port to the engine. Requests run one at a time in
 * arrival order, so a query sent after a state-establishing call (a profile load, a replay after a
 * restart) sees its effect; the profile explorer's queries wait for the requests before them but
 * do not hold the ones after; a keyed request still waiting when a newer one with its key arrives is
 * coalesced (answered 'superseded' at once, the newer one runs in its place), so a query after
 * thousands of quick edits waits for one update, not all of them. Jobs (collecting, benchmarks,
 * builds) run beside that queue, post progress events and stop when cancelled.
 */
import { parentPort } from 'node:worker_threads';
import { Engine } from './engine';
import type { CancelRequest, JobRequest, Request } from './protocol';

interface Slot {
  req: Request;
  started: boolean;
  /** Started in order, but not awaited (explorer queries). */
  detached?: boolean;
}

if (parentPort) {
  const port = parentPort;
  const engine = new Engine();
  const queue: Slot[] = [];
  /** The waiting (not yet started) request of each key. */
  const waiting = new Map<string, Slot>();
  let pumping = false;
  const running = new Map<number, AbortController>();
  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    while (queue.length > 0) {
      // Let every message already sent arrive first (a synchronous handler would otherwise run
      // each update before the next one is even seen): that is what makes coalescing work.
      await new Promise<void>((r) => setImmediate(r));
      const slot = queue.shift()!;
      slot.started = true;
      if (slot.req.key !== undefined && waiting.get(slot.req.key) === slot) waiting.delete(slot.req.key);
      const { id, method, args } = slot.req;
      if (slot.detached) void engine.handle(id, method, args).then((res) => port.postMessage(res));
      else port.postMessage(await engine.handle(id, method, args));
    }
    pumping = false;
  };
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
    // Coalescing: a newer request with the key of one still waiting takes its place in the queue
    // (so a query sent after either sees the newest), and the older one is answered at once.
    const prev = msg.key !== undefined ? waiting.get(msg.key) : undefined;
    if (prev && !prev.started) {
      const old = prev.req.id;
      prev.req = msg;
      port.postMessage({ id: old, ok: false, error: { kind: 'superseded', message: `superseded by a newer ${msg.method} request` } });
      return;
    }
    // Opening a large profile in the explorer streams for seconds: its queries wait for the
    // requests before them (the workspace they match against) but later ones do not wait for them.
    // Completing a prioritised open lists the whole workspace (go list, seconds): views and edits go on meanwhile.
    const slot: Slot = { req: msg, started: false, detached: msg.method.startsWith('explorer') || msg.method === 'completeWorkspace' };
    queue.push(slot);
    if (msg.key !== undefined) waiting.set(msg.key, slot);
    void pump();
  });
}
