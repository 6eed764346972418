/**
 * Before a rename fix rewrites a profile: does the source still use the old name? A profile
 * function the matcher says was renamed (`pkg.old` → `pkg.new`) is only safe to rename in the
 * profile when the code builds with the new name. This looks, with the Go lexer (comments and
 * strings skipped), for the old name in the package's files and, for a library package, in the
 * files of the workspace that import it: `old` (not after a `.`) in the package, `name.old` in an
 * importer, and for a method `.old` anywhere there (the receiver's type is not checked, so those
 * are "may" uses). Unsaved editor text (`overlays`) wins over the file on disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lex, Tok, tokText, type TokenStream } from '../source/lexer';
import { splitSymbol } from '../source/names';
import { inferPackagePath, packageDirs } from '../source/packages';
import { UserError } from './errors';
import type { RenameCheck, RenameUse, UnmatchedInfo, WorkspaceSummary } from './protocol';

/** Files larger than this are not read (the indexer skips them too). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Uses listed per rename; the count says how many there are. */
const MAX_USES = 50;

/** The identifier a symbol was declared with: `old` for `pkg.old`, `pkg.(*T).old`, `pkg.old[...]` and its closures `pkg.old.func1`. */
export function declaredName(symbol: string): { name: string; method: boolean } | undefined {
  let name = splitSymbol(symbol).name.replace(/\[[^\]]*\]/g, '');
  name = name.replace(/(\.func\d+|\.\d+|\.gowrap\d+|\.deferwrap\d+)+$/, '');
  const m = /^(?:\(\*?[\p{L}\p{N}_]+\)|[\p{L}\p{N}_]+)\.([\p{L}\p{N}_]+)$/u.exec(name);
  if (m) return { name: m[1]!, method: true };
  return /^[\p{L}\p{N}_]+$/u.test(name) ? { name, method: false } : undefined;
}

function readText(file: string, overlays: ReadonlyMap<string, string>): string | undefined {
  const o = overlays.get(file);
  if (o !== undefined) return o;
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function goFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.go'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** The name a file imports `importPath` under (`_` and `.` imports give none), or undefined when it does not import it. */
export function importName(ts: TokenStream, importPath: string, packageName: string): string | undefined {
  const quoted = JSON.stringify(importPath);
  for (let i = 0; i < ts.count; i++) {
    const k = ts.kind[i];
    if (k !== Tok.String && k !== Tok.RawString) continue;
    const text = tokText(ts, i);
    if (text !== quoted && text !== `\`${importPath}\``) continue;
    const prev = i > 0 ? ts.kind[i - 1] : undefined;
    if (prev === Tok.Ident) return tokText(ts, i - 1);
    if (prev === Tok.Dot || prev === Tok.Op) return undefined;
    return packageName;
  }
  return undefined;
}

function use(ts: TokenStream, file: string, t: number, certain: boolean): RenameUse {
  const line = ts.line[t]! - 1;
  const lineStart = ts.lineStarts[line]!;
  const lineEnd = ts.src.indexOf('\n', lineStart);
  return {
    file,
    line,
    character: ts.col[t]! - 1,
    text: ts.src.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).trim(),
    certain,
  };
}

/** Uses of `name` in one file: in its own package (`inPackage`) or through `pkgName.` (an importer). */
function usesIn(file: string, ts: TokenStream, name: string, method: boolean, inPackage: boolean, pkgName: string | undefined): RenameUse[] {
  const out: RenameUse[] = [];
  for (let i = 0; i < ts.count; i++) {
    if (ts.kind[i] !== Tok.Ident || tokText(ts, i) !== name) continue;
    const afterDot = i > 0 && ts.kind[i - 1] === Tok.Dot;
    const qualifier = afterDot && i > 1 && ts.kind[i - 2] === Tok.Ident ? tokText(ts, i - 2) : undefined;
    if (method) {
      // `x.old(`: a method value or call of some type; `func (r T) old(` is a declaration of another type's method
      if (afterDot && (pkgName === undefined || qualifier !== pkgName)) out.push(use(ts, file, i, false));
    } else if (inPackage ? !afterDot : afterDot && qualifier === pkgName) {
      if (i > 0 && ts.kind[i - 1] === Tok.Func) continue; // a declaration: another function of that name
      out.push(use(ts, file, i, true));
    }
  }
  return out;
}

/**
 * Where the source still uses the old name of a renamed profile function. `entry` must be a
 * `renamed` entry with the new declaration's location; `folders` are the workspace folders whose
 * packages may import it.
 */
export function oldNameUses(entry: UnmatchedInfo, folders: readonly string[], overlays: ReadonlyMap<string, string>): RenameCheck {
  const result: RenameCheck = { symbol: entry.symbol, suggestion: entry.suggestion ?? '', uses: [], count: 0, files: 0 };
  const decl = declaredName(entry.symbol);
  if (!decl || !entry.location) return result;
  const pkgDir = path.dirname(entry.location.file);
  const loc = inferPackagePath(pkgDir);
  const pkgName = loc?.name;
  const add = (list: RenameUse[]): void => {
    result.count += list.length;
    for (const u of list) if (result.uses.length < MAX_USES) result.uses.push(u);
  };
  for (const file of goFiles(pkgDir)) {
    const text = readText(file, overlays);
    if (text === undefined) continue;
    result.files++;
    add(usesIn(file, lex(text), decl.name, decl.method, true, undefined));
  }
  // a main package has no importers; a library's importers are found by the quoted import path
  if (!loc || loc.symbolPath === 'main' || !pkgName) return result;
  const quoted = JSON.stringify(loc.importPath);
  const seen = new Set([path.resolve(pkgDir)]);
  for (const folder of folders) {
    for (const dir of packageDirs(folder)) {
      if (seen.has(path.resolve(dir))) continue;
      seen.add(path.resolve(dir));
      for (const file of goFiles(dir)) {
        const text = readText(file, overlays);
        if (text === undefined || !text.includes(quoted)) continue;
        const ts = lex(text);
        const as = importName(ts, loc.importPath, pkgName);
        if (!as) continue;
        result.files++;
        add(usesIn(file, ts, decl.name, decl.method, false, as));
      }
    }
  }
  return result;
}

/** The old-name checks of a binary's renamed entries among `symbols` (all when absent), for the `renameUses` request. */
export function renameChecks(
  summary: WorkspaceSummary,
  binary: string,
  symbols: readonly string[] | undefined,
  overlays: Record<string, string>,
): RenameCheck[] {
  const b = summary.binaries.find((x) => x.id === binary);
  if (!b) throw new UserError(`no binary ${binary} in the open workspace`);
  const texts = new Map(Object.entries(overlays));
  return b.unmatched
    .filter((u) => u.kind === 'renamed' && u.suggestion && u.location && (!symbols || symbols.includes(u.symbol)))
    .map((u) => oldNameUses(u, summary.folders, texts));
}
