import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EditQueue, type QueuedDoc, readSaved } from '../../../src/editor/edit-queue';

/** The files on disk, by path (each Doc puts its saved text here). */
const disk = new Map<string, string>();

/** A document the test edits; `saved` is the text on disk. */
class Doc implements QueuedDoc {
  version = 1;
  constructor(
    readonly file: string,
    private text: string,
    private readonly saved = text,
  ) {
    disk.set(file, saved);
  }
  get isDirty(): boolean {
    return this.text !== this.saved;
  }
  getText(): string {
    return this.text;
  }
  edit(text: string): this {
    this.text = text;
    this.version++;
    return this;
  }
}

/** The worker's side: the text it holds per file (`null`: the file on disk). */
function worker(): { sends: Array<[string, string | null]>; holds: Map<string, string | null>; fail: Set<string>; queue: EditQueue } {
  const sends: Array<[string, string | null]> = [];
  const holds = new Map<string, string | null>();
  const fail = new Set<string>();
  const queue = new EditQueue(
    async (file, text) => {
      await Promise.resolve();
      if (fail.has(file)) throw new Error('worker gone');
      sends.push([file, text]);
      holds.set(file, text);
    },
    async (file) => {
      await tick(readDelay);
      return disk.get(file);
    },
  );
  return { sends, holds, fail, queue };
}

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** How long reading a file takes (a slow disk read must not let an older text overtake a newer one). */
let readDelay = 0;

describe('edit queue (edits reach the worker before a reload)', () => {
  it('debounces a file’s edits into one send of the newest text', async () => {
    const w = worker();
    const d = new Doc('/w/vm.go', 'func execArith(');
    w.queue.schedule(d.edit('func a('), 5);
    w.queue.schedule(d.edit('func arithmetic('), 5);
    assert.equal(w.queue.isPending('/w/vm.go'), true);
    await tick(30);
    assert.deepEqual(w.sends, [['/w/vm.go', 'func arithmetic(']]);
    assert.equal(w.queue.isPending('/w/vm.go'), false);
  });

  it('an undo that arrives after the flush is sent by the next flush (the lost-edit race)', async () => {
    const w = worker();
    const d = new Doc('/w/vm.go', 'func execArith(');
    w.queue.schedule(d.edit('func arithmetic('), 1000);
    await w.queue.flush([d]); // the reload flushes: the worker has the renamed text
    assert.deepEqual(w.holds.get('/w/vm.go'), 'func arithmetic(');
    d.edit('func execArith('); // the undo's change reaches the editor while the load runs, before its debounce
    await w.queue.flush([d]); // after the load
    assert.equal(w.holds.get('/w/vm.go'), null, 'the worker is back on the saved text');
    assert.equal(w.queue.isPending('/w/vm.go'), false);
    w.queue.dispose();
  });

  it('a flush sends a pending edit at once, and nothing twice', async () => {
    const w = worker();
    const d = new Doc('/w/a.go', 'x');
    w.queue.schedule(d.edit('y'), 1000);
    await w.queue.flush([d]);
    await w.queue.flush([d]);
    assert.deepEqual(w.sends, [['/w/a.go', 'y']]);
  });

  it('sends unsaved text the worker never saw, not clean documents', async () => {
    const w = worker();
    const restored = new Doc('/w/restored.go', 'unsaved', 'on disk'); // dirty before the extension listened
    const clean = new Doc('/w/clean.go', 'same');
    await w.queue.flush([restored, clean]);
    assert.deepEqual(w.sends, [['/w/restored.go', 'unsaved']]);
  });

  it('a failed send is retried by the next flush', async () => {
    const w = worker();
    const d = new Doc('/w/a.go', 'x');
    w.fail.add('/w/a.go');
    w.queue.schedule(d.edit('y'), 1000);
    await w.queue.flush([d]);
    assert.deepEqual(w.sends, []);
    w.fail.clear();
    await w.queue.flush([d]);
    assert.deepEqual(w.sends, [['/w/a.go', 'y']]);
  });

  it('closing drops the pending edit and says whether the worker may hold unsaved text', async () => {
    const w = worker();
    const sent = new Doc('/w/a.go', 'x');
    w.queue.schedule(sent.edit('y'), 1000);
    await w.queue.flush([sent]);
    const pending = new Doc('/w/b.go', 'x');
    w.queue.schedule(pending.edit('z'), 5);
    assert.equal(w.queue.close('/w/a.go'), true, 'sent before');
    assert.equal(w.queue.close('/w/b.go'), true, 'pending');
    assert.equal(w.queue.close('/w/c.go'), false, 'never edited');
    await tick(30);
    assert.deepEqual(w.sends, [['/w/a.go', 'y']], 'the dropped edit is never sent');
    assert.equal(w.queue.isPending('/w/b.go'), false);
  });

  it('a document VS Code calls saved whose text is not the file’s is sent as text (an undo racing an auto-save)', async () => {
    // code-server saved the renamed text while the test waited, then the undo's change arrived
    // with isDirty false: the editor shows the old name, the file on disk has the new one.
    class Misreported extends Doc {
      lying = false;
      override get isDirty(): boolean {
        return this.lying ? false : super.isDirty;
      }
    }
    const w = worker();
    const d = new Misreported('/w/race.go', 'func execArith(');
    w.queue.schedule(d.edit('func arithmetic('), 1000);
    await w.queue.flush([d]);
    disk.set('/w/race.go', 'func arithmetic('); // the auto-save
    d.edit('func execArith(').lying = true; // the undo, reported as saved
    w.queue.schedule(d, 1000);
    await w.queue.flush([d]);
    assert.equal(w.holds.get('/w/race.go'), 'func execArith(', 'the editor’s text, not the file on disk');
    // a real save of that text: the worker goes back to the file
    disk.set('/w/race.go', 'func execArith(');
    w.queue.schedule(d, 0);
    await w.queue.flush([d]);
    assert.equal(w.holds.get('/w/race.go'), null);
  });

  it('a clean text whose file read is slow never overtakes a newer edit of the same file', async () => {
    readDelay = 20;
    try {
      const w = worker();
      const d = new Doc('/w/slow.go', 'func a(');
      w.queue.schedule(d.edit('func b('), 1000);
      await w.queue.flush([d]);
      d.edit('func a('); // undone back to the saved text: clean, so the file is read first
      const clean = w.queue.flush([d]);
      w.queue.schedule(d.edit('func c('), 0); // typed while the read is under way
      await clean;
      await tick(40);
      assert.equal(w.holds.get('/w/slow.go'), 'func c(', 'the newest text wins');
      assert.deepEqual(w.sends, [
        ['/w/slow.go', 'func b('],
        ['/w/slow.go', 'func c('],
      ]);
    } finally {
      readDelay = 0;
    }
  });

  it('reads the file on disk without a byte order mark, and an unreadable file as none', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edit-queue-'));
    try {
      const f = path.join(dir, 'bom.go');
      writeFileSync(f, '\uFEFFpackage main\n');
      assert.equal(await readSaved(f), 'package main\n');
      assert.equal(await readSaved(path.join(dir, 'gone.go')), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
