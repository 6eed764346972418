/**
 * Profile files the extension itself just wrote (rewrite, refresh, undo). The controller reloads
 * once after its own write; the file watcher then sees the same file and must not reload again.
 * A change is ours when the file on disk still has the size and modification time recorded right
 * after the worker wrote it. Plain TypeScript (unit-tested).
 */
import * as path from 'node:path';

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export class OwnWrites {
  private readonly stamps = new Map<string, FileStamp>();

  /** Records what our write left on disk (null: the file is gone, e.g. a restored profile that did not exist). */
  record(file: string, stamp: FileStamp | null): void {
    const key = path.resolve(file);
    if (stamp) this.stamps.set(key, { size: stamp.size, mtimeMs: stamp.mtimeMs });
    else this.stamps.delete(key);
  }

  /** Whether the file's current state is the one our last write left (then the watcher event is our own). */
  isOwn(file: string, now: FileStamp | null): boolean {
    const key = path.resolve(file);
    const s = this.stamps.get(key);
    if (!s || !now) return false;
    if (s.size === now.size && s.mtimeMs === now.mtimeMs) return true;
    this.stamps.delete(key); // someone else changed it since: from now on every change is theirs
    return false;
  }
}
