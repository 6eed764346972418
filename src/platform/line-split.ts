/**
 * Splits a byte stream into lines as it arrives, for `runGroup`: each `\n` ends a line, one `\r`
 * before it is dropped, and the bytes after the last newline wait for the next chunk (the end of
 * the stream hands them over as they are, `\r` and all). The lines are decoded as UTF-8 once per
 * chunk, as one string split at its newlines: a `\n` byte never occurs inside a UTF-8 sequence, so
 * a character split between two reads stays whole (its bytes wait with the unfinished line), and
 * each line decodes as decoding the whole stream does. A `go list -x` of a first edit streams half
 * a million lines while the compiler runs; a string decoder, a regex and two slices per line were
 * a large part of node's CPU competing with it.
 *
 * Pure. No `vscode` import.
 */

const NL = 10;
const CR = 13;

export class LineSplitter {
  /** Bytes after the last newline seen (an unfinished line), in arrival order. */
  private pending: Buffer[] = [];
  private pendingLength = 0;

  constructor(private readonly onLine: (line: string) => void) {}

  /** One chunk of the stream: every line it completes, in order. */
  write(chunk: Buffer): void {
    const last = chunk.lastIndexOf(NL);
    if (last < 0) {
      if (chunk.length) {
        this.pending.push(Buffer.from(chunk)); // a copy: the reader may reuse its buffer
        this.pendingLength += chunk.length;
      }
      return;
    }
    let text: string;
    if (this.pendingLength) {
      this.pending.push(chunk.subarray(0, last));
      text = Buffer.concat(this.pending, this.pendingLength + last).toString('utf8');
    } else {
      text = chunk.toString('utf8', 0, last);
    }
    const rest = chunk.subarray(last + 1);
    this.pending = rest.length ? [Buffer.from(rest)] : [];
    this.pendingLength = rest.length;
    let at = 0;
    for (;;) {
      const nl = text.indexOf('\n', at);
      const end = nl < 0 ? text.length : nl;
      this.onLine(end > at && text.charCodeAt(end - 1) === CR ? text.slice(at, end - 1) : text.slice(at, end));
      if (nl < 0) return;
      at = nl + 1;
    }
  }

  /** The end of the stream: the unfinished line, when there is one (not stripped of a `\r`). */
  end(): void {
    if (!this.pendingLength) return;
    const text = Buffer.concat(this.pending, this.pendingLength).toString('utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.onLine(text);
  }
}
