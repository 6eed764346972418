/**
 * Names of the functions the compiler's `-json=0` diagnostics talk about. At `-m=1` the text no
 * longer prints `cannot inline F: REASON` or `should not PGO devirtualize F: R` (inl.go and
 * devirtualize/pgo.go print them only at `-m=2`, which costs twice the output); the JSON logs the
 * same facts (`cannotInlineFunction`, `: should not PGO devirtualize function`) at the function's
 * position (`fn.Pos()`) without its name. The position names it:
 *
 * - a declared function or method: the compiler's column is the token after `func`, so the text
 *   there reads `Name`, `Name[T any]`, `(r *T) Name` or `(T[K, V]) Name`: named as the compiler
 *   prints it (`Name`, `(*T).Name`, `T.Name`), type parameters as `[...]` (the compiler prints
 *   one shape per instantiation: `F[go.shape.int]`), qualified by the package name when the
 *   file belongs to another package (an imported generic instantiated here: `slices.F[...]`);
 * - a closure or an `init` function (numbered `F.func1`, `init.0` across the package): the
 *   source index of the package (src/source/index.ts) has an entry starting exactly there.
 *
 * No `vscode` import. Reads the disk (safe-read), nothing else.
 */
import * as path from 'node:path';
import { readSourceText } from '../platform/safe-read';
import { indexPackage, PackageIndexer, type PackageIndex, type SourceFile } from '../source/index';
import { type FunctionName, type JsonFile, type ParseOptions, type Pos, positionKey, resolveFile } from './decisions';

/** A function position as the compiler logs it (absolute file, 1-based line and column). */
export type FunctionPos = Pos;

const IDENT = '[\\p{L}_][\\p{L}\\p{Nd}_]*';
/** `(r *T[K]) Name` / `(T) Name` after `func `. */
const METHOD = new RegExp(`^\\(\\s*(?:${IDENT}\\s+)?(\\*?)\\s*(${IDENT})\\s*(\\[[^\\]]*\\])?\\s*\\)\\s*(${IDENT})`, 'u');
const FUNC = new RegExp(`^(${IDENT})\\s*(\\[)?`, 'u');
const BEFORE_DECLARED = /^\s*func\s+$/;

/**
 * The name of the declared function whose `func` keyword starts `lineText` and whose name (or
 * receiver) starts at the 1-based column `col`; undefined when the position is not right after a
 * line-leading `func` (a closure) or the declaration is `init` (numbered by the compiler).
 */
export function declaredFunctionName(lineText: string, col: number): string | undefined {
  if (col < 2 || !BEFORE_DECLARED.test(lineText.slice(0, col - 1))) return undefined;
  const rest = lineText.slice(col - 1);
  const m = METHOD.exec(rest);
  if (m) {
    const recv = `${m[2]!}${m[3] ? '[...]' : ''}`;
    return m[1] ? `(*${recv}).${m[4]!}` : `${recv}.${m[4]!}`;
  }
  const f = FUNC.exec(rest);
  if (!f || f[1] === 'init') return undefined;
  return `${f[1]!}${f[2] ? '[...]' : ''}`;
}

/** Codes of the JSON lines that name no function (decisions.ts reads them with `functionNames`). */
const UNNAMED_CODES = new Set(['cannotInlineFunction', ': should not PGO devirtualize function']);

/** The positions of a compile's JSON lines that need a function name (`cannotInlineFunction`, `should not PGO devirtualize`). */
export function unnamedFunctions(files: JsonFile[], opts: ParseOptions): FunctionPos[] {
  const out: FunctionPos[] = [];
  for (const f of files) {
    let file: string | undefined;
    for (const l of f.text.split('\n')) {
      if (!l.trim()) continue;
      let o: { file?: unknown; code?: unknown; range?: { start?: { line?: unknown; character?: unknown } } };
      try {
        o = JSON.parse(l) as typeof o;
      } catch {
        continue;
      }
      if (file === undefined) {
        file = typeof o.file === 'string' ? (resolveFile(o.file, opts) ?? '') : '';
        continue;
      }
      const start = o.range?.start;
      if (!file || typeof o.code !== 'string' || !UNNAMED_CODES.has(o.code) || typeof start?.line !== 'number' || typeof start.character !== 'number') continue;
      out.push({ file, line: start.line, col: start.character });
    }
  }
  return out;
}

export type { FunctionName } from './decisions';

/**
 * The declared `init` functions of a package, numbered as the compiler names them (`init.0`,
 * `init.1`, … in declaration order over the files in build order): `file\0line` → number.
 */
function initFunctions(files: readonly string[], read: (f: string) => string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  let n = 0;
  for (const f of files) {
    const lines = read(f)?.split('\n') ?? [];
    lines.forEach((l, i) => {
      if (/^func init\s*\(\s*\)/.test(l)) out.set(`${f}\0${i + 1}`, n++);
    });
  }
  return out;
}

export interface PackageFiles {
  importPath: string;
  /** The package clause's name. */
  name: string;
  dir: string;
  /** The compiled Go files, absolute. */
  goFiles: string[];
}

export interface NameOptions {
  /** The package whose compile logged the positions. */
  pkg: PackageFiles;
  /** Other packages by directory (an imported generic's file lies in its own package's directory). */
  byDir?: ReadonlyMap<string, { importPath: string; name: string }>;
  /** Source indexes kept from earlier namings (re-indexing an edited file walks only its changed declarations). */
  indexers?: NameIndexers;
}

/**
 * Incremental source indexers (source/index.ts `PackageIndexer`) kept across confirmations, by
 * package and file set: after an edit, naming the edited file's closures re-parses that file and
 * re-walks only the declarations whose text changed, where a one-shot index walks every body. The
 * indexer's contract is the one-shot index's result (test/unit/compiler/function-names.test.ts checks
 * the names after edits against fresh ones). The least recently used go first.
 */
export class NameIndexers {
  private readonly kept = new Map<string, { ix: PackageIndexer; files: Set<string> }>();

  constructor(private readonly max = 16) {}

  get size(): number {
    return this.kept.size;
  }

  /** The index of `files` as package `pkgPath`; `key` names the file set (one file, or the whole package). */
  index(key: string, pkgPath: string, files: SourceFile[]): PackageIndex {
    const k = `${pkgPath}\0${key}`;
    let e = this.kept.get(k);
    this.kept.delete(k);
    if (!e) e = { ix: new PackageIndexer({ pkgPath }), files: new Set() };
    this.kept.set(k, e);
    while (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
    const now = new Set(files.map((f) => f.name));
    for (const f of e.files) if (!now.has(f)) e.ix.removeFile(f);
    for (const f of files) e.ix.setFile(f.name, f.text);
    e.files = now;
    return e.ix.index();
  }
}

/**
 * Names the positions (declared functions by their header, closures and `init` functions by the
 * compiled package's source index); positions that name nothing are left out.
 */
export function nameFunctions(positions: FunctionPos[], o: NameOptions): Map<string, FunctionName> {
  const out = new Map<string, FunctionName>();
  const lines = new Map<string, string[] | undefined>();
  const textOf = (file: string): string[] | undefined => {
    if (!lines.has(file)) {
      const r = readSourceText(file);
      lines.set(file, 'text' in r ? r.text.split('\n') : undefined);
    }
    return lines.get(file);
  };
  const pkgDir = path.resolve(o.pkg.dir);
  const unnamed: FunctionPos[] = [];
  for (const p of positions) {
    const k = positionKey(p);
    if (out.has(k)) continue;
    const text = textOf(p.file)?.[p.line - 1];
    const name = text === undefined ? undefined : declaredFunctionName(text, p.col);
    const dir = path.dirname(p.file);
    if (name === undefined) {
      if (dir === pkgDir) unnamed.push(p);
      continue;
    }
    if (dir === pkgDir) out.set(k, { name });
    else {
      const other = o.byDir?.get(dir);
      if (other) out.set(k, { name, pkgName: other.name });
    }
  }
  if (unnamed.length) {
    // Indexing is the costly part (a second per large package): first only the files holding the
    // positions — a closure's name depends on its enclosing function alone — then the whole
    // package for what depends on the other files (`init.N`, closures of package-level variables
    // `init.funcN` / `glob..funcN`, numbered across the package).
    const texts = new Map<string, string>();
    const read = (f: string): string | undefined => {
      if (!texts.has(f)) {
        const r = readSourceText(f);
        if ('text' in r) texts.set(f, r.text);
      }
      return texts.get(f);
    };
    const packageWide = (name: string): boolean => name.startsWith('init.') || name.startsWith('glob.');
    const lookup = (ix: ReturnType<typeof indexPackage>, p: FunctionPos) =>
      (ix.byFile.get(p.file) ?? []).find((x) => x.physicalStartLine === p.line && x.startColumn === p.col);
    let rest: FunctionPos[] = [];
    const byFile = new Map<string, FunctionPos[]>();
    const inits = initFunctions(o.pkg.goFiles, read);
    for (const p of unnamed) {
      const n = inits.get(`${p.file}\0${p.line}`);
      if (n !== undefined && p.col === 6) out.set(positionKey(p), { name: `init.${n}` });
      else (byFile.get(p.file) ?? byFile.set(p.file, []).get(p.file)!).push(p);
    }
    for (const [file, ps] of byFile) {
      const text = read(file);
      if (text === undefined) continue;
      const one = [{ name: file, text }];
      const ix =
        o.pkg.goFiles.length === 1 ? undefined : o.indexers ? o.indexers.index(file, o.pkg.importPath, one) : indexPackage(one, { pkgPath: o.pkg.importPath });
      if (!ix) {
        rest.push(...ps);
        continue;
      }
      for (const p of ps) {
        const e = lookup(ix, p);
        if (e && !packageWide(e.name)) out.set(positionKey(p), { name: e.name });
        else rest.push(p);
      }
    }
    rest = rest.filter((p) => !out.has(positionKey(p)));
    if (rest.length) {
      const files: SourceFile[] = [];
      for (const f of o.pkg.goFiles) {
        const text = read(f);
        if (text !== undefined) files.push({ name: f, text });
      }
      const ix = o.indexers ? o.indexers.index('', o.pkg.importPath, files) : indexPackage(files, { pkgPath: o.pkg.importPath });
      for (const p of rest) {
        const e = lookup(ix, p);
        if (e) out.set(positionKey(p), { name: e.name });
      }
    }
  }
  return out;
}
