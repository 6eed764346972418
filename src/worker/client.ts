/**
 * The host-side client of the worker thread. Calls are typed by the protocol; a call made with a
 * `key` supersedes the previous pending call with the same key (its reply is dropped and its
 * promise rejects with `SupersededError`; the worker skips it if it has not started). If the thread
 * dies, pending calls fail with `WorkerCrashedError` and the thread restarts after a growing delay
 * (`backoffMs`, doubled per crash): calls made meanwhile wait for it, the recorded
 * state-establishing calls are replayed first, and `onRestart` tells the owner. After
 * `maxRestarts` crashes the client is stopped: every call rejects at once with
 * `WorkerStoppedError` (never hangs) and `onStopped` tells the owner.
 */
import { Worker } from 'node:worker_threads';
import { removeThreadTemps } from '../platform/temp';
import type { Args, JobArgs, JobEvent, JobEventMessage, JobName, JobResult, MethodName, Response, Result, WireError } from './protocol';

export class SupersededError extends Error {
  override readonly name = 'SupersededError';
}
export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
}
export class WorkerStoppedError extends Error {
  override readonly name = 'WorkerStoppedError';
}
export class WorkerCallError extends Error {
  override readonly name = 'WorkerCallError';
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  key?: string;
  onEvent?: (e: unknown) => void;
}

export interface WorkerClientOptions {
  /** Path of the worker script (dist/worker.js). */
  script: string;
  /** Called after the thread was restarted following a crash. */
  onRestart?: (exitCode: number, restarts: number) => void;
  /** Give up restarting after this many crashes (default 5). */
  maxRestarts?: number;
  /** Delay before the first restart, doubled for each further crash (default 250 ms, at most 8 s). */
  backoffMs?: number;
  /** Called once when the client gives up: no more restarts, every call fails at once. */
  onStopped?: (reason: string) => void;
}

export class WorkerClient {
  /** The running thread (null while waiting to restart, or stopped). */
  private worker: Worker | null = null;
  /** Messages for the thread being restarted. */
  private outbox: unknown[] = [];
  private stoppedReason: string | null = null;
  private restartTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly latestByKey = new Map<string, number>();
  /** Calls that establish state, replayed after a restart (keyed, last one wins). */
  private readonly state = new Map<string, { method: MethodName; args: unknown }>();
  private restarts = 0;
  private disposed = false;

  constructor(private readonly opts: WorkerClientOptions) {
    this.start();
  }

  private start(): void {
    const w = new Worker(this.opts.script);
    this.worker = w;
    const thread = w.threadId; // -1 once the thread has stopped
    w.on('message', (res: Response) => this.onMessage(res));
    w.on('error', () => {
      /* 'exit' follows and handles it */
    });
    w.on('exit', (code) => {
      // A terminated or crashed thread ran no cleanup: remove the temporary directories it made.
      removeThreadTemps(thread);
      if (this.worker !== w || this.disposed) return;
      this.worker = null;
      for (const [, p] of this.pending) p.reject(new WorkerCrashedError(`the PGO worker thread exited with code ${code}`));
      this.pending.clear();
      this.latestByKey.clear();
      if (this.restarts >= (this.opts.maxRestarts ?? 5)) {
        this.stop(
          `the PGO worker thread crashed ${this.restarts + 1} times (last exit code ${code}); it is not restarted. Reload the window to try again, and see the log.`,
        );
        return;
      }
      this.restarts++;
      const delay = Math.min((this.opts.backoffMs ?? 250) * 2 ** (this.restarts - 1), 8000);
      // The recorded state goes first, then whatever was called meanwhile.
      const replay = [...this.state.values()].map(({ method, args }) => ({ id: this.nextId++, method, args }));
      this.outbox = [...replay, ...this.outbox];
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.disposed) return;
        this.start();
        const out = this.outbox;
        this.outbox = [];
        for (const m of out) this.worker!.postMessage(m);
        this.opts.onRestart?.(code, this.restarts);
      }, delay);
    });
  }

  private stop(reason: string): void {
    this.stoppedReason = reason;
    const err = new WorkerStoppedError(reason);
    for (const [, p] of this.pending) p.reject(err);
    this.pending.clear();
    this.outbox = [];
    this.opts.onStopped?.(reason);
  }

  /** Posts to the thread, or keeps the message for the restarting one. */
  private post(msg: unknown): void {
    if (this.worker) this.worker.postMessage(msg);
    else this.outbox.push(msg);
  }

  /** Why the client stopped (null while it runs). */
  get stopped(): string | null {
    return this.stoppedReason;
  }

  private onMessage(res: Response | JobEventMessage): void {
    const p = this.pending.get(res.id);
    if (!p) return; // superseded or from a previous thread
    if ('event' in res) {
      p.onEvent?.(res.event);
      return;
    }
    this.pending.delete(res.id);
    if (p.key && this.latestByKey.get(p.key) === res.id) this.latestByKey.delete(p.key);
    if (res.ok) p.resolve(res.value);
    else p.reject(new WorkerCallError(res.error));
  }

  private send(method: MethodName, args: unknown, key?: string): Promise<unknown> {
    if (this.disposed) return Promise.reject(new Error('worker client disposed'));
    if (this.stoppedReason) return Promise.reject(new WorkerStoppedError(this.stoppedReason));
    const id = this.nextId++;
    if (key) {
      const prev = this.latestByKey.get(key);
      if (prev !== undefined) {
        const p = this.pending.get(prev);
        this.pending.delete(prev);
        p?.reject(new SupersededError(`superseded by a newer ${method} request`));
      }
      this.latestByKey.set(key, id);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(key ? { key } : {}) });
      this.post({ id, method, args, ...(key ? { key } : {}) });
    });
  }

  /** A query; with `key`, a newer call with the same key supersedes this one. */
  call<M extends MethodName>(method: M, args: Args<M>, key?: string): Promise<Result<M>> {
    return this.send(method, args, key) as Promise<Result<M>>;
  }

  /** A state-establishing call (replayed after a restart); `stateKey` identifies what it sets. */
  async establish<M extends MethodName>(method: M, args: Args<M>, stateKey: string): Promise<Result<M>> {
    this.state.set(stateKey, { method, args });
    return this.call(method, args, stateKey);
  }

  /**
   * A long-running job: progress events go to `onEvent`; aborting `signal` cancels it in the
   * worker (the promise then rejects with the worker's 'cancelled' error). Jobs are not replayed
   * after a crash.
   */
  job<J extends JobName>(job: J, args: JobArgs<J>, onEvent?: (e: JobEvent<J>) => void, signal?: AbortSignal): Promise<JobResult<J>> {
    if (this.disposed) return Promise.reject(new Error('worker client disposed'));
    if (this.stoppedReason) return Promise.reject(new WorkerStoppedError(this.stoppedReason));
    const id = this.nextId++;
    return new Promise<JobResult<J>>((resolve, reject) => {
      const onAbort = (): void => this.post({ cancel: id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => (done(), resolve(v as JobResult<J>)),
        reject: (e) => (done(), reject(e)),
        ...(onEvent ? { onEvent: onEvent as (e: unknown) => void } : {}),
      });
      this.post({ id, job, args });
      if (signal?.aborted) onAbort();
    });
  }

  forget(stateKey: string): void {
    this.state.delete(stateKey);
  }

  get restartCount(): number {
    return this.restarts;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const [, p] of this.pending) p.reject(new Error('worker client disposed'));
    this.pending.clear();
    await this.worker?.terminate();
  }
}
