/**
 * Hashes of declaration texts kept across versions of one file (issue #14: typing in a
 * 79,019-line file hashed all 1.9 MB of its declarations again on every edit). The text outside
 * the edit is the same: a declaration wholly before the first changed character has the same text
 * at the same offsets, one wholly after the last changed character the same text moved by the
 * length difference, so their hashes are the previous version's. The others are hashed anew.
 */
import { hash53 } from './hash';
import type { TextChange } from './text-change';

/** The hashes of one file version's declaration texts, by start offset. */
export class DeclHashes {
  private readonly byStart = new Map<number, { end: number; hash: string }>();

  /**
   * @param text this version's text
   * @param previous the previous version's hashes and how its text changed into this one
   */
  constructor(
    private readonly text: string,
    private previous?: { hashes: DeclHashes; change: TextChange },
  ) {}

  /** hash53 of text[start, end). */
  of(start: number, end: number): string {
    const kept = this.byStart.get(start);
    if (kept && kept.end === end) return kept.hash;
    const hash = this.fromPrevious(start, end) ?? hash53(this.text.slice(start, end));
    this.byStart.set(start, { end, hash });
    return hash;
  }

  private fromPrevious(start: number, end: number): string | undefined {
    const prev = this.previous;
    if (!prev) return undefined;
    const { change, hashes } = prev;
    let at: number;
    if (end <= change.start) at = start;
    else if (start >= change.newEnd) at = start - (change.newEnd - change.oldEnd);
    else return undefined;
    const kept = hashes.byStart.get(at);
    return kept && kept.end === at + (end - start) ? kept.hash : undefined;
  }

  /** This version's hashes without the link to the one before (a next version keeps at most one version back). */
  settled(): DeclHashes {
    this.previous = undefined;
    return this;
  }
}
