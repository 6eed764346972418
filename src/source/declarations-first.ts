/**
 * Declarations first (issue #14): the index of a package with only the open files' function
 * bodies walked. Heat in a file needs that file's entries (linker symbols, start lines, closures),
 * and those depend on every file's declarations (the package environment, `init.N` numbers) but on
 * no other file's bodies, with one exception: closures in package-level variable initialisers
 * (`init.funcN`) are numbered in initialisation order, which follows the dependencies of every
 * function body. A file holding such a closure gets a full index here, so what this returns is
 * always exact for the open files. The caller replaces it with a full index before anything else
 * (matching, other files' views) uses the package (`isDeclarationsFirst`).
 */
import type * as A from './ast';
import { type FileSyntax, type IndexOptions, indexPackage, PackageIndexer, type SourceFile } from './index';
import type { PackageIndex } from './model';

/**
 * Per index returned by `indexDeclarationsFirst`: the files it lexed and parsed, until
 * `takeParsedFiles` hands them over (to the package's incremental indexer, which would otherwise
 * lex and parse every file again).
 */
const parsed = new WeakMap<PackageIndex, ReadonlyMap<string, FileSyntax>>();

/**
 * The package's index with only the bodies of the files in `open` walked, or the full index when
 * an open file declares a closure in a package-level variable initialiser (or nothing is to be
 * left out).
 */
export function indexDeclarationsFirst(files: readonly SourceFile[], opts: IndexOptions, open: ReadonlySet<string>): PackageIndex {
  if (files.every((f) => open.has(f.name))) return indexPackage([...files], opts);
  const ix = new PackageIndexer({ ...opts, incremental: false, walkOnly: open });
  for (const f of files) ix.setFile(f.name, f.text);
  const syntax = new Map<string, FileSyntax>();
  for (const f of files) {
    const s = ix.getFile(f.name);
    if (s) syntax.set(f.name, s);
  }
  let result: PackageIndex | undefined;
  for (const name of open) {
    const s = syntax.get(name);
    if (s && hasVarClosure(s.ast.decls)) {
      // the full index, from the files parsed above (as indexPackage does)
      const full = new PackageIndexer({ ...opts, incremental: false });
      for (const f of syntax.values()) full.setParsed(f);
      result = full.index();
      break;
    }
  }
  result ??= ix.index();
  parsed.set(result, syntax);
  return result;
}

/**
 * The files an index of `indexDeclarationsFirst` lexed and parsed, once (the second call, or one
 * for another index, returns undefined): an incremental indexer of the package takes them with
 * `setParsed` instead of lexing and parsing every file again.
 */
export function takeParsedFiles(ix: PackageIndex): ReadonlyMap<string, FileSyntax> | undefined {
  const m = parsed.get(ix);
  parsed.delete(ix);
  return m;
}

/** Whether the index walked only some files' bodies (see `IndexOptions.walkOnly`). */
export function isDeclarationsFirst(ix: PackageIndex): boolean {
  return ix.walkedOnly !== undefined;
}

/** Whether a package-level `var` declaration among decls has a function literal in its initialiser. */
export function hasVarClosure(decls: readonly A.Decl[]): boolean {
  for (const d of decls) {
    if (d.k !== 'GenDecl' || d.tok !== 'var') continue;
    for (const s of d.specs as A.ValueSpec[]) if (s.values.some(containsFuncLit)) return true;
  }
  return false;
}

/** Whether a syntax tree holds a FuncLit node anywhere (nodes are plain objects tagged by `k`). */
function containsFuncLit(node: unknown): boolean {
  const stack: unknown[] = [node];
  while (stack.length) {
    const x = stack.pop();
    if (Array.isArray(x)) {
      for (const y of x) stack.push(y);
      continue;
    }
    if (x === null || typeof x !== 'object') continue;
    if ((x as { k?: unknown }).k === 'FuncLit') return true;
    for (const v of Object.values(x)) if (v !== null && typeof v === 'object') stack.push(v);
  }
  return false;
}
