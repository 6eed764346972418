/**
 * The host-side client of the worker thread. Calls are typed by the protocol; a call made with a
 * `key` supersedes the previous pending call with the same key (its reply is dropped and its
 * promise rejects with `SupersededError`). If the thread dies, pending calls fail with
 * `WorkerCrashedError`, the thread restarts, the recorded state-establishing calls are replayed,
 * and `onRestart` tells the owner (who tells the user once).
 */
import { Worker } from 'node:worker_threads';
import type { Args, JobArgs, JobEvent, JobEventMessage, JobName, JobResult, MethodName, Response, Result, WireError } from './protocol';

export class SupersededError extends Error {
  override readonly name = 'SupersededError';
}
export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
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
}

export class WorkerClient {
  private worker!: Worker;
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
    w.on('message', (res: Response) => this.onMessage(res));
    w.on('error', () => {
      /* 'exit' follows and handles it */
    });
    w.on('exit', (code) => {
      if (this.worker !== w || this.disposed) return;
      for (const [, p] of this.pending) p.reject(new WorkerCrashedError(`the PGO worker thread exited with code ${code}`));
      this.pending.clear();
      this.latestByKey.clear();
      if (this.restarts >= (this.opts.maxRestarts ?? 5)) return;
      this.restarts++;
      this.start();
      for (const { method, args } of this.state.values()) this.send(method, args).catch(() => undefined);
      this.opts.onRestart?.(code, this.restarts);
    });
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
      this.worker.postMessage({ id, method, args });
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
    const id = this.nextId++;
    const w = this.worker;
    return new Promise<JobResult<J>>((resolve, reject) => {
      const onAbort = (): void => w.postMessage({ cancel: id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => (done(), resolve(v as JobResult<J>)),
        reject: (e) => (done(), reject(e)),
        ...(onEvent ? { onEvent: onEvent as (e: unknown) => void } : {}),
      });
      w.postMessage({ id, job, args });
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
    for (const [, p] of this.pending) p.reject(new Error('worker client disposed'));
    this.pending.clear();
    await this.worker.terminate();
  }
}
