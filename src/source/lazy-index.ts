/**
 * A tree's packages indexed with one lex per file (lazy-tokens.ts): the index of a package takes
 * the tokens a description of it made earlier in the pass already lexed. The
 * result is `indexPackage`'s: the same files parsed from tokens equal to `lex(text)`.
 */
import { PackageIndexer, parseSourceFile, type IndexOptions, type SourceFile } from './index';
import type { PackageIndex } from './model';
import type { TokenHandoff } from './lazy-tokens';

/** `indexPackage(files, opts)` of the package in `dir`, its files lexed once with its description's. */
export function indexSharingTokens(dir: string, files: readonly SourceFile[], opts: IndexOptions, handoff: TokenHandoff): PackageIndex {
  const ix = new PackageIndexer({ ...opts, incremental: false });
  for (const f of files) ix.setParsed(parseSourceFile(f.name, f.text, handoff.forIndex(dir, f.name, f.text)));
  const index = ix.index();
  handoff.markIndexed(dir);
  return index;
}
