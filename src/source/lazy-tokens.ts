/**
 * One lex per file while a tree is indexed: a package of the tree that other packages of the
 * tree import is read twice, once by its own index (`parseSourceFile`, bodies lazy) and once by
 * the description its importers ask for (`parseDeclarations`, bodies skipped). Both parse the
 * same tokens, so a description made first hands its token stream to the index (checked by text:
 * a file read again with other text is lexed again).
 *
 * Only while `withTokenHandoff` runs (the tree index is synchronous); a description made later
 * (a universe, an editor) lexes as before. Each handed stream is taken once; what no one takes is
 * dropped with the handoff.
 */
import * as path from 'node:path';
import { lex, type TokenStream } from './lexer';

export class TokenHandoff {
  private readonly kept = new Map<string, { text: string; ts: TokenStream }>();
  private readonly indexed = new Set<string>();
  /** Lexes made and lexes saved (tests and the bench read these). */
  lexed = 0;
  handed = 0;

  /**
   * @param plans the directories the pass indexes. A description asked for before its package is
   * indexed keeps its tokens for that index (the usual order: an importer's walk describes a
   * package that sorts after it); an index never keeps its tokens for a description asked for
   * later (on cmd that saved 93 lexes for ~470 files' tokens held at the peak).
   */
  constructor(private readonly plans: ReadonlySet<string>) {}

  /** The tokens of a file of a package the pass indexes (call before indexing it; `markIndexed` after). */
  forIndex(dir: string, name: string, text: string): TokenStream {
    return this.tokens(path.join(dir, name), text, false);
  }

  /** The package's index is made: a description asked for later has no one to hand its tokens to. */
  markIndexed(dir: string): void {
    this.indexed.add(dir);
  }

  /** The tokens of a file of a package being described for its importers. */
  forDescription(dir: string, name: string, text: string): TokenStream {
    const keep = this.plans.has(dir) && !this.indexed.has(dir);
    return this.tokens(path.join(dir, name), text, keep);
  }

  private tokens(file: string, text: string, keep: boolean): TokenStream {
    const had = this.kept.get(file);
    if (had) {
      this.kept.delete(file);
      if (had.text === text) {
        this.handed++;
        return had.ts;
      }
    }
    this.lexed++;
    const ts = lex(text);
    if (keep) this.kept.set(file, { text, ts });
    return ts;
  }
}

let active: TokenHandoff | undefined;

/** Runs `f` (synchronous) with `h` handing tokens between the index and the descriptions of the same files. */
export function withTokenHandoff<T>(h: TokenHandoff, f: () => T): T {
  const before = active;
  active = h;
  try {
    return f();
  } finally {
    active = before;
  }
}

/** The tokens of a file described for importers: handed over by the running tree index, else lexed. */
export function descriptionTokens(dir: string, name: string, text: string): TokenStream {
  return active ? active.forDescription(dir, name, text) : lex(text);
}
