/**
 * Re-parsing an edited file from its previous syntax tree (issue #14: typing in the 79,019-line
 * rewriteAMD64.go parsed all of its 1,470 top-level declarations again on every keystroke). A lazy
 * parse records, per top-level declaration, the last token it read (parser.ts TopLevelLayout). The
 * parse of a declaration is a function of the tokens it read and of the parser's state at its
 * start (token index and exprLev) only, so:
 * - a leading declaration that read only tokens the edit kept at the same index is the same;
 * - from the edit on, the new tokens are parsed until the parser stands at the first token of an old
 *   declaration that lies wholly after the edit (the old stream's tokens from there on are the new
 *   one's moved by `shift` with equal kinds, texts, columns and flags) with the same exprLev: from
 *   there the old parse goes on exactly as the new one would, with every token index moved by `shift`.
 * The result equals `parseFile(ts, { lazyBodies: true })` (the random-edit tests compare the trees,
 * errors and layouts); undefined when the previous parse has no layout (a missing package clause) or
 * the edit reaches the package clause: the caller parses the whole file.
 */
import type * as A from './ast';
import type { TokenSplice } from './incremental-lex';
import type { TokenStream } from './lexer';
import { funcDeclAt, lazyFuncDecl, resumeTopLevel, setTopLevelLayout, topLevelLayout, type TopLevelLayout } from './parser';

/** A re-parse and which declarations it took from the old tree: new [0, head) are old [0, head), new [tail, end) are old [oldTail, end). */
export interface Reparsed {
  ast: A.SourceFileAst;
  head: number;
  tail: number;
  oldTail: number;
}

/** The keys of syntax-tree nodes that hold token indexes (ast.ts); every other number is not one (iota). */
const TOKEN_KEYS: ReadonlySet<string> = new Set(['t', 'rbrace', 'lbrack', 'lparen', 'rparen', 'end']);

/**
 * The lazy parse of `ts`, given the previous version's lazy parse `old` (of the stream `ts` was
 * re-lexed from) and which tokens the re-lex kept; undefined: parse it whole.
 */
export function reparse(old: A.SourceFileAst, ts: TokenStream, splice: TokenSplice): Reparsed | undefined {
  const layout = topLevelLayout(old);
  if (!layout) return undefined;
  const { keep, oldFrom, shift } = splice;
  if (layout.headReach >= keep) return undefined;
  const n = layout.start.length;
  // the leading declarations that read only kept tokens
  let k = 0;
  while (k < n && (layout.reach[k] as number) < keep) k++;
  const declsBefore = (i: number): number => (i > 0 ? (layout.decls[i - 1] as number) : 0);
  // a parsed package clause made no errors
  const errorsBefore = (i: number): number => (i > 0 ? (layout.errors[i - 1] as number) : 0);
  const errors: { t: number; msg: string }[] = old.errors.slice(0, errorsBefore(k));
  const out: A.SourceFileAst = { pkgName: old.pkgName, pkgTok: old.pkgTok, imports: [], decls: [], errors };
  for (let i = 0, e = declsBefore(k); i < e; i++) out.decls.push(moved(old.decls[i] as A.Decl, 0, ts, errors, 0));
  const next: TopLevelLayout = {
    headReach: layout.headReach,
    start: layout.start.slice(0, k),
    level: layout.level.slice(0, k),
    reach: layout.reach.slice(0, k),
    decls: layout.decls.slice(0, k),
    errors: layout.errors.slice(0, k),
    endP: 0,
    endLevel: 0,
  };
  const at = k < n ? { p: layout.start[k] as number, exprLev: layout.level[k] as number } : { p: layout.endP, exprLev: layout.endLevel };
  // an old declaration wholly after the edit, at the token the new parse stands at, with the same exprLev
  let from = -1;
  const stop = (p: number, exprLev: number): boolean => {
    const q = p - shift;
    if (q < oldFrom) return false;
    const j = itemAt(layout.start, q);
    if (j < 0 || layout.level[j] !== exprLev) return false;
    from = j;
    return true;
  };
  const end = resumeTopLevel(ts, out, next, at, stop);
  const head = declsBefore(k);
  let tail = out.decls.length;
  let oldTail = old.decls.length;
  if (end.stopped && from >= 0) {
    tail = out.decls.length;
    oldTail = declsBefore(from);
    // the rest of the old parse, moved by `shift`
    const dDecls = out.decls.length - declsBefore(from);
    const dErrors = errors.length - errorsBefore(from);
    for (let j = from; j < n; j++) {
      // the item's declaration (an item makes one or none)
      const i = declsBefore(j);
      if (i < (layout.decls[j] as number)) out.decls.push(moved(old.decls[i] as A.Decl, shift, ts, errors, layout.level[j] as number));
    }
    for (let i = errorsBefore(from), e = errorsBefore(n); i < e; i++) {
      const err = old.errors[i] as { t: number; msg: string };
      errors.push({ t: err.t + shift, msg: err.msg });
    }
    for (let j = from; j < n; j++) {
      next.start.push((layout.start[j] as number) + shift);
      next.level.push(layout.level[j] as number);
      next.reach.push((layout.reach[j] as number) + shift);
      next.decls.push((layout.decls[j] as number) + dDecls);
      next.errors.push((layout.errors[j] as number) + dErrors);
    }
    next.endP = layout.endP + shift;
    next.endLevel = layout.endLevel;
  }
  // the parser adds each import declaration's specs as it goes: in declaration order
  out.imports = [];
  for (const d of out.decls) if (d.k === 'GenDecl' && d.tok === 'import') for (const s of d.specs) out.imports.push(s as A.ImportSpec);
  setTopLevelLayout(out, next);
  return { ast: out, head, tail, oldTail };
}

/** The item of `layout` that starts at token q (-1: none). */
function itemAt(start: number[], q: number): number {
  let lo = 0;
  let hi = start.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((start[mid] as number) < q) lo = mid + 1;
    else hi = mid;
  }
  return lo < start.length && start[lo] === q ? lo : -1;
}

/**
 * A declaration of the previous tree for the new one, its token indexes moved by `d` (its item's
 * exprLev `level`). A function's body is parsed lazily from the new stream (into the new error list);
 * its signature nodes are shared when they do not move, else parsed again from the new stream with
 * the body's braces known (cheaper than a copy). Other declarations are copied (a walker keys
 * closures by their nodes).
 */
function moved(decl: A.Decl, d: number, ts: TokenStream, errors: { t: number; msg: string }[], level: number): A.Decl {
  if (decl.k === 'FuncDecl' && d !== 0 && decl.bodyRange) {
    const again = funcDeclAt(ts, errors, decl.t + d, level, [decl.bodyRange[0] + d, decl.bodyRange[1] + d]);
    if (again) return again;
  }
  if (decl.k === 'FuncDecl') {
    const recv = d === 0 ? decl.recv : (copy(decl.recv, d, new Map()) as A.Field | undefined);
    const name = d === 0 ? decl.name : (copy(decl.name, d, new Map()) as A.Name);
    const type = d === 0 ? decl.type : (copy(decl.type, d, new Map()) as A.FuncType);
    const range = decl.bodyRange;
    if (range) return lazyFuncDecl(ts, errors, decl.t + d, recv, name, type, [range[0] + d, range[1] + d]);
    return { k: 'FuncDecl', t: decl.t + d, recv, name, type, body: undefined, bodyRange: undefined };
  }
  return copy(decl, d, new Map()) as A.GenDecl;
}

/** A deep copy of a syntax-tree value with token indexes moved by d; shared nodes stay shared (a const group's implicit values). */
function copy(v: unknown, d: number, seen: Map<object, unknown>): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const hit = seen.get(v);
  if (hit !== undefined) return hit;
  if (Array.isArray(v)) {
    const a: unknown[] = [];
    seen.set(v, a);
    for (const x of v) a.push(copy(x, d, seen));
    return a;
  }
  const o: Record<string, unknown> = {};
  seen.set(v, o);
  for (const key of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[key];
    o[key] = typeof x === 'number' && TOKEN_KEYS.has(key) ? x + d : copy(x, d, seen);
  }
  return o;
}
