// The edits on their way to the worker: one debounced send per file, and the document version
// each file's last send carried. A reload or a profile write flushes the queue, and the flush also
// sends every open document whose version is not the one last sent (an edit that arrived after an
// earlier flush, or unsaved text the worker never saw), so the worker never keeps text the editor
// has already moved past. A document VS Code calls saved is sent as its text when that text is
// not the file's (an undo racing an auto-save leaves one). No `vscode` import: the controller
// passes its documents in.
import { readFile } from 'node:fs/promises';

/** What the queue needs of a text document. */
export interface QueuedDoc {
  readonly file: string;
  readonly version: number;
  readonly isDirty: boolean;
  getText(): string;
}

/** Sends a file's text (`null`: the saved text on disk) and settles when the worker has it. */
export type SendText = (file: string, text: string | null) => Promise<unknown>;

/** A file's text on disk (undefined: unreadable). */
export type ReadSaved = (file: string) => Promise<string | undefined>;

/** The file as a Go tool reads it, less a UTF-8 byte order mark (VS Code's text has none); read off the host thread. */
export const readSaved: ReadSaved = async (file) => {
  try {
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
};

interface Pending {
  readonly timer: NodeJS.Timeout;
  readonly doc: QueuedDoc;
}

export class EditQueue {
  private readonly pending = new Map<string, Pending>();
  /** Per file: the document version of the last text sent. */
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly send: SendText,
    private readonly saved: ReadSaved = readSaved,
  ) {}

  /** Sends `doc`'s text after `delayMs` without a newer edit of the same file. */
  schedule(doc: QueuedDoc, delayMs: number): void {
    clearTimeout(this.pending.get(doc.file)?.timer);
    const timer = setTimeout(() => {
      this.pending.delete(doc.file);
      void this.sendNow(doc);
    }, delayMs);
    this.pending.set(doc.file, { timer, doc });
  }

  /** True while an edit of `file` waits for its debounce. */
  isPending(file: string): boolean {
    return this.pending.has(file);
  }

  /**
   * Sends now: the edits waiting for their debounce, then each of `open` whose version differs
   * from the one last sent (never sent: only when it has unsaved text). Settles when the worker
   * has all of them; a failed send is the send function's to report (the next flush retries it).
   */
  flush(open: Iterable<QueuedDoc>): Promise<void> {
    const sends: Promise<unknown>[] = [];
    const docs = new Map<string, QueuedDoc>();
    for (const [file, p] of this.pending) {
      clearTimeout(p.timer);
      docs.set(file, p.doc);
    }
    this.pending.clear();
    for (const d of open) {
      const last = this.sent.get(d.file);
      if (last === undefined ? d.isDirty : last !== d.version) docs.set(d.file, d);
    }
    for (const d of docs.values()) sends.push(this.sendNow(d));
    return Promise.all(sends).then(() => undefined);
  }

  /**
   * A closed document: its pending edit is dropped and its version forgotten (the worker goes back
   * to the file on disk). True when the worker may hold unsaved text of it: the caller then sends
   * `null`.
   */
  close(file: string): boolean {
    const p = this.pending.get(file);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(file);
    }
    return this.sent.delete(file) || p !== undefined;
  }

  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  /**
   * Sends unsaved text at once, or null for the file on disk. VS Code's dirty flag alone is not
   * enough: an undo that races an auto-save of the text it undoes leaves a document VS Code calls
   * saved while the file holds the text before the undo (seen in code-server 1.139), and the
   * worker would read that file. So a clean document's text is compared with the file first; a
   * newer send of the same file started meanwhile wins (this one is then dropped).
   */
  private sendNow(doc: QueuedDoc): Promise<unknown> {
    const version = doc.version;
    this.sent.set(doc.file, version);
    const text = doc.getText();
    const send = (t: string | null): Promise<unknown> =>
      this.send(doc.file, t).catch(() => {
        // not sent after all: the next flush tries again
        if (this.sent.get(doc.file) === version) this.sent.delete(doc.file);
      });
    if (doc.isDirty) return send(text);
    return this.saved(doc.file).then((disk) => (this.sent.get(doc.file) === version ? send(disk === text ? null : text) : undefined));
  }
}
