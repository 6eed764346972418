/**
 * Private temporary directories that do not outlive their user, even when a worker thread is
 * terminated in the middle of a command (no `finally` and no `process.on('exit')` runs then).
 * Each name carries the process id and the thread id (`pgo-lens-<kind>-<pid>-<thread>-XXXXXX`):
 * the thread's owner removes what a terminated thread left (`removeThreadTemps`, called by the
 * worker client when its thread exits), and the first use in a process removes what dead
 * processes left (`sweepStale`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';

const NAME = /^pgo-lens-[a-z]+-(\d+)-(\d+)-/;

/** Whether the process `pid` exists (EPERM: it does, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeMatching(keep: (pid: number, thread: number, dir: string) => boolean): void {
  let names: string[];
  try {
    names = fs.readdirSync(os.tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || keep(Number(m[1]), Number(m[2]), path.join(os.tmpdir(), name))) continue;
    try {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true, maxRetries: 3 });
    } catch {
      /* another user's, or busy: left alone */
    }
  }
}

let swept = false;

/** Left alone by `sweepStale` while younger than this (a process id of another PID namespace sharing the folder looks dead here). */
const STALE_MS = 60 * 60 * 1000;

function young(dir: string): boolean {
  try {
    return Date.now() - fs.statSync(dir).mtimeMs < STALE_MS;
  } catch {
    return true;
  }
}

/** Removes the directories of processes that no longer run and unchanged for an hour (`makeTempDir` calls it once per process). */
export function sweepStale(): void {
  removeMatching((pid, _t, dir) => pid === process.pid || alive(pid) || young(dir));
}

/** Removes the directories a thread of this process made (after it exited or was terminated). */
export function removeThreadTemps(thread: number): void {
  removeMatching((pid, t) => pid !== process.pid || t !== thread);
}

/** A new private directory `pgo-lens-<kind>-…` in the system's temporary folder. */
export function makeTempDir(kind: string): string {
  if (!/^[a-z]+$/.test(kind)) throw new Error(`temporary directory kind must be lowercase letters, not ${JSON.stringify(kind)}`);
  if (!swept) {
    swept = true;
    sweepStale();
  }
  return fs.mkdtempSync(path.join(os.tmpdir(), `pgo-lens-${kind}-${process.pid}-${threadId}-`));
}

/** Runs `fn` with a new private directory and removes the directory after it settles. */
export async function withTempDir<T>(kind: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = makeTempDir(kind);
  try {
    return await fn(dir);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
