/**
 * Recursive-descent Go parser over a TokenStream, modelled on go/parser (exprLev for composite
 * literals in control clauses, parameter grouping, generic type arguments). It is error tolerant:
 * a syntax error skips to the end of the statement or declaration, records the error, and goes on,
 * because the editor indexes half-typed code on every keystroke.
 */
import type * as A from './ast';
import { Tok, TokenStream, binaryPrec, ownSlice, TOKEN_FLAG_LINE_START } from './lexer';

class ParseError extends Error {}

/**
 * How a lazy parse went through the top level (after the package clause), one item per
 * declaration (or stray `;`): its first token, the parser's exprLev there (a syntax error can leave
 * it raised), the last token it read (lookahead and brace matching included), and how many
 * declarations and errors there were after it. incremental-parse.ts reuses an item whose tokens
 * are all unchanged.
 */
export interface TopLevelLayout {
  /** The last token the package clause read. */
  headReach: number;
  start: number[];
  level: number[];
  reach: number[];
  decls: number[];
  errors: number[];
  /** The token and exprLev the parse ended at (EOF). */
  endP: number;
  endLevel: number;
}

const layouts = new WeakMap<A.SourceFileAst, TopLevelLayout>();

/** The layout of a lazy parse (undefined for other parses and for a file without a package clause). */
export function topLevelLayout(ast: A.SourceFileAst): TopLevelLayout | undefined {
  return layouts.get(ast);
}

/** Record the layout of an AST put together by incremental-parse.ts. */
export function setTopLevelLayout(ast: A.SourceFileAst, layout: TopLevelLayout): void {
  layouts.set(ast, layout);
}

/**
 * A function declaration whose body is parsed from `ts` on first access (errors go to `errors`,
 * the file's list), as a lazy parse makes it.
 */
export function lazyFuncDecl(
  ts: TokenStream,
  errors: { t: number; msg: string }[],
  t: number,
  recv: A.Field | undefined,
  name: A.Name,
  type: A.FuncType,
  bodyRange: [number, number],
): A.FuncDecl {
  const decl: A.FuncDecl = { k: 'FuncDecl', t, recv, name, type, body: undefined, bodyRange };
  const [lbrace, rbrace] = bodyRange;
  let parsed: A.BlockStmt | undefined;
  let done = false;
  Object.defineProperty(decl, 'body', {
    enumerable: true,
    configurable: true,
    get(): A.BlockStmt | undefined {
      if (!done) {
        done = true;
        parsed = Parser.parseBody(ts, lbrace, rbrace, errors);
      }
      return parsed;
    },
  });
  return decl;
}

/**
 * Deepest nesting of blocks, types and expressions parsed. Real Go stays far below (gofmt'd code
 * rarely passes 20); deeper input is a parse error of its declaration or statement, reported like
 * any other, instead of exhausting the call stack (issue #13: a type nested 5,000 deep).
 */
export const MAX_NESTING = 500;

/**
 * Parse a file. With `skipBodies`, function declaration bodies are skipped by brace matching and
 * left undefined, and composite literals keep no elements (enough to describe a package's
 * declarations to its importers).
 */
export function parseFile(ts: TokenStream, opts: { skipBodies?: boolean; lazyBodies?: boolean } = {}): A.SourceFileAst {
  return new Parser(ts, opts.skipBodies ? 'skip' : opts.lazyBodies ? 'lazy' : 'eager').file();
}

/**
 * Go on with a lazy top-level parse of `ts` at token `at.p` (exprLev `at.exprLev`), appending to
 * `out` and `layout`, until EOF or until `stop` says yes at the start of a declaration.
 */
export function resumeTopLevel(
  ts: TokenStream,
  out: A.SourceFileAst,
  layout: TopLevelLayout,
  at: { p: number; exprLev: number },
  stop: (p: number, exprLev: number) => boolean,
): { stopped: boolean; p: number; exprLev: number } {
  return Parser.resume(ts, out, layout, at, stop);
}

/**
 * A function declaration of a lazy top-level parse, parsed again at token `t` (the start of its
 * top-level item) with `exprLev` and its body's braces known: for a declaration the incremental
 * re-parse takes over with its token indexes moved. Undefined if it does not parse so.
 */
export function funcDeclAt(ts: TokenStream, errors: { t: number; msg: string }[], t: number, exprLev: number, body: [number, number]): A.FuncDecl | undefined {
  return Parser.funcDeclAt(ts, errors, t, exprLev, body);
}

/** Parse only the package clause (cheap; used to group files into packages). */
export function parsePackageName(ts: TokenStream): string | undefined {
  if (ts.kind[0] === Tok.Package && ts.kind[1] === Tok.Ident) return ts.src.slice(ts.start[1], ts.end[1]);
  return undefined;
}

class Parser {
  private readonly ts: TokenStream;
  private readonly kind: Uint8Array;
  private p = 0;
  private exprLev = 0;
  /** The last token read (see touch). */
  private reach = 0;
  /** The braces of the function body funcDeclAt parses again (found by brace matching before). */
  private knownBody: [number, number] | undefined;
  private depth = 0;
  private errors: { t: number; msg: string }[] = [];
  /** Tokens from this index on read as EOF: the EOF token, or the token after a lazily parsed body. */
  private end: number;

  private readonly bodies: 'eager' | 'lazy' | 'skip';

  constructor(ts: TokenStream, bodies: 'eager' | 'lazy' | 'skip', errors?: { t: number; msg: string }[]) {
    this.ts = ts;
    this.kind = ts.kind;
    this.bodies = bodies;
    this.end = ts.count - 1;
    if (errors) this.errors = errors;
  }

  /**
   * Parse a function body from its `{` to the matching `}` found by brace matching (for lazily
   * parsed declarations). The parse never reads past that `}` and its errors stay inside the
   * range, so that they are the body's errors (not top-level ones) however broken the body is;
   * a body whose statements do not end at that `}` keeps the statements parsed (an error, but
   * the function is still indexed, as it is while being typed).
   */
  static parseBody(ts: TokenStream, lbrace: number, rbrace: number, errors: { t: number; msg: string }[]): A.BlockStmt | undefined {
    const p = new Parser(ts, 'eager', errors);
    p.p = lbrace;
    p.end = Math.min(rbrace + 1, ts.count - 1);
    const first = errors.length;
    try {
      return p.nested((): A.BlockStmt => {
        const t = p.expect(Tok.LBrace, "'{'");
        const list = p.stmtList();
        if (p.cur() !== Tok.RBrace) errors.push({ t: p.p, msg: `expected '}', found ${p.text() || 'EOF'}` });
        return { k: 'BlockStmt', t, list, rbrace };
      });
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      errors.push({ t: p.p, msg: e.message });
      return undefined;
    } finally {
      for (let i = first; i < errors.length; i++) {
        const err = errors[i];
        if (err && err.t > rbrace) err.t = rbrace;
      }
    }
  }

  // ---- token helpers -------------------------------------------------------------------------

  /** Notes that token i was read (the incremental re-parse reuses a declaration only when every token it read is unchanged). */
  private touch(i: number): void {
    if (i > this.reach) this.reach = i;
  }
  private cur(): Tok {
    if (this.p > this.reach) this.reach = this.p;
    return (this.p < this.end ? this.kind[this.p] : Tok.EOF) as Tok;
  }
  private peek(k = 1): Tok {
    const i = this.p + k;
    if (i > this.reach) this.reach = i;
    return (i < this.end ? this.kind[i] : Tok.EOF) as Tok;
  }
  private text(t = this.p): string {
    if (t > this.reach) this.reach = t;
    return t < this.end ? ownSlice(this.ts.src, this.ts.start[t] ?? 0, this.ts.end[t] ?? 0) : '';
  }
  private next(): number {
    const t = this.p;
    if (this.p < this.end) this.p++;
    return t;
  }
  private got(k: Tok): boolean {
    if (this.cur() === k) {
      this.next();
      return true;
    }
    return false;
  }
  private fail(msg: string): never {
    throw new ParseError(msg);
  }
  private expect(k: Tok, what: string): number {
    if (this.cur() !== k) this.fail(`expected ${what}, found ${this.text() || 'EOF'}`);
    return this.next();
  }
  /** `;` or before `)`/`}` (Go allows omitting the semicolon there). */
  private expectSemi(): void {
    if (this.cur() === Tok.Semi) {
      this.next();
      return;
    }
    if (this.cur() === Tok.RParen || this.cur() === Tok.RBrace || this.cur() === Tok.EOF) return;
    this.fail(`expected ';', found ${this.text()}`);
  }

  private name(): A.Name {
    const t = this.expect(Tok.Ident, 'name');
    return { k: 'Name', t, value: this.text(t) };
  }

  // ---- file ----------------------------------------------------------------------------------

  file(): A.SourceFileAst {
    const out: A.SourceFileAst = { pkgName: '', pkgTok: -1, imports: [], decls: [], errors: this.errors };
    const layout: TopLevelLayout | undefined =
      this.bodies === 'lazy' ? { headReach: 0, start: [], level: [], reach: [], decls: [], errors: [], endP: 0, endLevel: 0 } : undefined;
    try {
      this.expect(Tok.Package, 'package');
      const n = this.name();
      out.pkgName = n.value;
      out.pkgTok = n.t;
      this.expectSemi();
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.errors.push({ t: this.p, msg: e.message });
      return out;
    }
    if (layout) {
      layout.headReach = this.reach;
      layouts.set(out, layout);
    }
    // Import declarations come first in Go; the loop below parses one the same wherever it is.
    this.topLevel(out, layout);
    return out;
  }

  /**
   * Top-level declarations from the current token to EOF, or until `stop` says yes at the start of
   * one (its first token and the parser's exprLev there). Each declaration's parse is one item of
   * `layout`: its first token, exprLev, the last token it read, and the declarations and errors
   * after it.
   */
  private topLevel(out: A.SourceFileAst, layout: TopLevelLayout | undefined, stop?: (p: number, exprLev: number) => boolean): boolean {
    while (this.cur() !== Tok.EOF) {
      const start = this.p;
      if (stop?.(start, this.exprLev)) return true;
      this.reach = start;
      const level = this.exprLev;
      const first = this.cur();
      try {
        switch (first) {
          case Tok.Func:
            out.decls.push(this.funcDecl());
            break;
          case Tok.Var:
          case Tok.Const:
          case Tok.Type:
            out.decls.push(this.genDecl(this.cur()));
            break;
          case Tok.Import: {
            // imports after other declarations are an error in Go, but keep them
            const d = this.genDecl(Tok.Import);
            for (const s of d.specs) out.imports.push(s as A.ImportSpec);
            out.decls.push(d);
            break;
          }
          case Tok.Semi:
            this.next();
            break;
          default:
            this.fail(`non-declaration statement outside function body: ${this.text()}`);
        }
        if (first !== Tok.Semi) this.expectSemi();
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.errors.push({ t: this.p, msg: e.message });
        this.syncTopLevel(start);
      }
      if (layout) {
        layout.start.push(start);
        layout.level.push(level);
        layout.reach.push(this.reach);
        layout.decls.push(out.decls.length);
        layout.errors.push(this.errors.length);
      }
    }
    if (layout) {
      layout.endP = this.p;
      layout.endLevel = this.exprLev;
    }
    return false;
  }

  /**
   * Resume a lazy top-level parse at token `p` with `exprLev` (see reparse in incremental-parse.ts):
   * declarations are appended to `out` and items to `layout`, until EOF or `stop`. Returns whether
   * `stop` ended it, and where.
   */
  /**
   * The function declaration a lazy top-level parse made at token `t` with `exprLev`, parsed again
   * with its body's braces known (no brace matching); undefined if it is not one.
   */
  static funcDeclAt(ts: TokenStream, errors: { t: number; msg: string }[], t: number, exprLev: number, body: [number, number]): A.FuncDecl | undefined {
    const parser = new Parser(ts, 'lazy', errors);
    parser.p = t;
    parser.exprLev = exprLev;
    parser.knownBody = body;
    const before = errors.length;
    try {
      const d = parser.funcDecl();
      return errors.length === before && d.bodyRange === body ? d : undefined;
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      return undefined;
    } finally {
      errors.length = before;
    }
  }

  static resume(
    ts: TokenStream,
    out: A.SourceFileAst,
    layout: TopLevelLayout,
    at: { p: number; exprLev: number },
    stop: (p: number, exprLev: number) => boolean,
  ): { stopped: boolean; p: number; exprLev: number } {
    const parser = new Parser(ts, 'lazy', out.errors);
    parser.p = at.p;
    parser.exprLev = at.exprLev;
    const stopped = parser.topLevel(out, layout, stop);
    return { stopped, p: parser.p, exprLev: parser.exprLev };
  }

  /** Skip to the next top-level declaration keyword at the start of a line. */
  private syncTopLevel(start: number): void {
    if (this.p === start) this.next();
    const { kind, flags } = this.ts;
    while (this.p < this.end) {
      const k = kind[this.p];
      if (
        ((flags[this.p] ?? 0) & TOKEN_FLAG_LINE_START) !== 0 &&
        this.ts.col[this.p] === 1 &&
        (k === Tok.Func || k === Tok.Var || k === Tok.Const || k === Tok.Type || k === Tok.Import)
      ) {
        this.touch(this.p);
        return;
      }
      this.p++;
    }
    this.touch(this.p);
  }

  private funcDecl(): A.FuncDecl {
    const t = this.expect(Tok.Func, 'func');
    let recv: A.Field | undefined;
    if (this.cur() === Tok.LParen) {
      const params = this.paramList(Tok.LParen, Tok.RParen);
      recv = params[0];
    }
    let name: A.Name;
    if (this.cur() === Tok.Ident) name = this.name();
    else name = { k: 'Name', t: this.p, value: '_' };
    let typeParams: A.Field[] | undefined;
    if (this.cur() === Tok.LBrack) {
      typeParams = this.paramList(Tok.LBrack, Tok.RBrack);
    }
    const sig = this.signature(t);
    sig.typeParams = typeParams;
    let body: A.BlockStmt | undefined;
    let bodyRange: [number, number] | undefined;
    if (this.cur() === Tok.LBrace) {
      if (this.knownBody && this.knownBody[0] === this.p) {
        // a declaration parsed before (funcDeclAt): its braces are known
        bodyRange = this.knownBody;
        this.p = Math.min(this.knownBody[1] + 1, this.end);
      } else if (this.bodies !== 'eager') {
        const lbrace = this.p;
        let depth = 0;
        const kind = this.ts.kind;
        let rbrace = this.end;
        for (; this.p < this.end; this.p++) {
          const k = kind[this.p];
          if (k === Tok.LBrace) depth++;
          else if (k === Tok.RBrace && --depth === 0) {
            rbrace = this.p;
            this.p++;
            break;
          }
        }
        this.touch(this.p);
        if (this.bodies === 'lazy') bodyRange = [lbrace, rbrace];
      } else {
        const save = this.exprLev;
        this.exprLev = 0;
        body = this.block();
        this.exprLev = save;
        bodyRange = [body.t, body.rbrace];
      }
    }
    if (this.bodies === 'lazy' && bodyRange) return lazyFuncDecl(this.ts, this.errors, t, recv, name, sig, bodyRange);
    return { k: 'FuncDecl', t, recv, name, type: sig, body, bodyRange };
  }

  private genDecl(kw: Tok): A.GenDecl {
    const t = this.next();
    const tok = kw === Tok.Var ? 'var' : kw === Tok.Const ? 'const' : kw === Tok.Type ? 'type' : 'import';
    const specs: (A.ValueSpec | A.TypeSpec | A.ImportSpec)[] = [];
    if (this.got(Tok.LParen)) {
      let iota = 0;
      let prev: A.ValueSpec | undefined;
      while (this.cur() !== Tok.RParen && this.cur() !== Tok.EOF) {
        const s = this.spec(tok, iota, prev);
        specs.push(s);
        if (tok === 'const') prev = s as A.ValueSpec;
        iota++;
        this.expectSemi();
      }
      this.expect(Tok.RParen, "')'");
    } else {
      specs.push(this.spec(tok, 0, undefined));
    }
    return { k: 'GenDecl', t, tok, specs };
  }

  private spec(tok: 'var' | 'const' | 'type' | 'import', iota: number, prev: A.ValueSpec | undefined): A.ValueSpec | A.TypeSpec | A.ImportSpec {
    const t = this.p;
    if (tok === 'import') {
      let name: string | undefined;
      if (this.cur() === Tok.Ident) name = this.text(this.next());
      else if (this.cur() === Tok.Dot) {
        this.next();
        name = '.';
      }
      if (this.cur() !== Tok.String && this.cur() !== Tok.RawString) this.fail('expected import path');
      const raw = this.text(this.next());
      return { t, name, path: unquote(raw) };
    }
    if (tok === 'type') {
      const name = this.name();
      let typeParams: A.Field[] | undefined;
      if (this.cur() === Tok.LBrack) {
        // `type T[P any] ...` vs `type T [N]int`
        if (this.looksLikeTypeParams()) typeParams = this.paramList(Tok.LBrack, Tok.RBrack);
      }
      const alias = this.got(Tok.Assign);
      const type = this.type();
      return { t, name, typeParams, alias, type };
    }
    // var / const
    const names: A.Name[] = [this.name()];
    while (this.got(Tok.Comma)) names.push(this.name());
    let type: A.Expr | undefined;
    let values: A.Expr[] = [];
    let implicit = false;
    if (this.cur() !== Tok.Assign && this.cur() !== Tok.Semi && this.cur() !== Tok.RParen) type = this.type();
    if (this.got(Tok.Assign)) values = this.exprList();
    if (tok === 'const' && values.length === 0 && type === undefined && prev) {
      // implicit repetition of the previous expression list
      type = prev.type;
      values = prev.values;
      implicit = true;
    }
    return { t, names, type, values, iota, implicit };
  }

  /** After `type Name`, at `[`: decide between a type parameter list and an array length. */
  private looksLikeTypeParams(): boolean {
    // `[` Ident followed by something that starts a constraint (not `]`) => type params.
    // `[N]T`, `[...]T`, `[]T`, `[N*M]T` => array/slice type.
    const k1 = this.peek(1);
    if (k1 !== Tok.Ident) return false;
    const k2 = this.peek(2);
    if (k2 === Tok.RBrack) return false; // [N]T
    if (k2 === Tok.Comma) return true; // [P, Q any]
    if (k2 === Tok.Op) {
      const op = this.text(this.p + 2);
      // `[P *C …` / `[P *C | D …` is ambiguous with an array length `[N*M]`. go/parser
      // (extractName) decides for type parameters when the expression is followed by `,`, or
      // when the rest contains a type element (`~T`, a type literal); otherwise an array.
      if (op === '*' || op === '|') return this.typeParamsAfterOperator();
      return false;
    }
    if (k2 === Tok.Dot) return false; // [pkg.N]T
    // Ident, [, interface, func, map, chan, struct, ~, (, ...
    return true;
  }

  /** At `[` Ident (`*`|`|`): scan the first bracketed expression (see looksLikeTypeParams). */
  private typeParamsAfterOperator(): boolean {
    const { kind, count } = this.ts;
    let depth = 0;
    let typeElem = false;
    for (let i = this.p + 3; i < count; i++) {
      const k = kind[i];
      this.touch(i + 1);
      if (depth === 0) {
        if (k === Tok.Comma) return true;
        if (k === Tok.RBrack) return typeElem;
        if (k === Tok.Tilde || k === Tok.Struct || k === Tok.Func || k === Tok.Interface || k === Tok.Map || k === Tok.Chan) typeElem = true;
        if (k === Tok.LBrack && (kind[i + 1] === Tok.RBrack || kind[i - 1] === Tok.Op)) typeElem = true; // []T after an operator
      }
      if (k === Tok.LBrack || k === Tok.LParen || k === Tok.LBrace) depth++;
      else if (k === Tok.RBrack || k === Tok.RParen || k === Tok.RBrace) depth--;
      else if (k === Tok.EOF || k === Tok.Semi) return false;
    }
    return false;
  }

  // ---- types ---------------------------------------------------------------------------------

  private tryType(): A.Expr | undefined {
    return this.nested(() => this.tryTypeInner());
  }

  /** Runs `f` one nesting level deeper; past MAX_NESTING it is a parse error. */
  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_NESTING) {
      this.depth--;
      this.fail(`nesting deeper than ${MAX_NESTING} levels`);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private tryTypeInner(): A.Expr | undefined {
    const t = this.p;
    switch (this.cur()) {
      case Tok.Ident: {
        let x: A.Expr = this.name();
        if (this.cur() === Tok.Dot && this.peek() === Tok.Ident) {
          this.next();
          x = { k: 'SelectorExpr', t, x, sel: this.name() };
        }
        if (this.cur() === Tok.LBrack) {
          const lbrack = this.next();
          this.exprLev++;
          const indices: A.Expr[] = [];
          while (this.cur() !== Tok.RBrack && this.cur() !== Tok.EOF) {
            indices.push(this.typeOrExpr());
            if (!this.got(Tok.Comma)) break;
          }
          this.exprLev--;
          this.expect(Tok.RBrack, "']'");
          x = { k: 'IndexExpr', t, x, indices, lbrack };
        }
        return x;
      }
      case Tok.LBrack: {
        this.next();
        if (this.got(Tok.RBrack)) {
          return { k: 'ArrayType', t, len: undefined, elem: this.type() };
        }
        let len: A.Expr | 'ellipsis';
        if (this.cur() === Tok.Ellipsis) {
          this.next();
          len = 'ellipsis';
        } else {
          this.exprLev++;
          len = this.expr();
          this.exprLev--;
        }
        this.expect(Tok.RBrack, "']'");
        return { k: 'ArrayType', t, len, elem: this.type() };
      }
      case Tok.Op:
        if (this.text() === '*') {
          this.next();
          return { k: 'UnaryExpr', t, op: '*', x: this.type() };
        }
        return undefined;
      case Tok.Arrow: {
        // <-chan T
        this.next();
        this.expect(Tok.Chan, 'chan');
        return { k: 'ChanType', t, dir: 'recv', elem: this.type() };
      }
      case Tok.Chan: {
        this.next();
        if (this.got(Tok.Arrow)) return { k: 'ChanType', t, dir: 'send', elem: this.type() };
        return { k: 'ChanType', t, elem: this.type() };
      }
      case Tok.Map: {
        this.next();
        this.expect(Tok.LBrack, "'['");
        const key = this.type();
        this.expect(Tok.RBrack, "']'");
        return { k: 'MapType', t, key, value: this.type() };
      }
      case Tok.Func: {
        this.next();
        return this.signature(t);
      }
      case Tok.Struct:
        return this.structType();
      case Tok.Interface:
        return this.interfaceType();
      case Tok.LParen: {
        this.next();
        const x = this.type();
        this.expect(Tok.RParen, "')'");
        return { k: 'ParenExpr', t, x };
      }
      default:
        return undefined;
    }
  }

  private type(): A.Expr {
    const x = this.tryType();
    if (!x) this.fail(`expected type, found ${this.text() || 'EOF'}`);
    return x;
  }

  /** A type argument / constraint position: types, `~T`, unions, or (for arrays) expressions. */
  private typeOrExpr(): A.Expr {
    return this.binaryExpr(1, true);
  }

  private structType(): A.StructType {
    const t = this.expect(Tok.Struct, 'struct');
    this.expect(Tok.LBrace, "'{'");
    const fields: A.Field[] = [];
    while (this.cur() !== Tok.RBrace && this.cur() !== Tok.EOF) {
      const fieldsBefore = fields.length;
      if (this.cur() === Tok.Op && this.text() === '*') {
        // embedded *T
        const ft = this.p;
        this.next();
        fields.push({ names: [], type: { k: 'UnaryExpr', t: ft, op: '*', x: this.type() } });
      } else if (this.cur() === Tok.Ident) {
        const k1 = this.peek();
        if (k1 === Tok.Dot || k1 === Tok.Semi || k1 === Tok.RBrace || k1 === Tok.String || k1 === Tok.RawString) {
          fields.push({ names: [], type: this.type() }); // embedded T / pkg.T
        } else if (k1 === Tok.LBrack && this.embeddedGenericAhead()) {
          fields.push({ names: [], type: this.type() });
        } else {
          const names = [this.name()];
          while (this.got(Tok.Comma)) names.push(this.name());
          fields.push({ names, type: this.type() });
        }
      } else if (this.cur() === Tok.LParen) {
        // (T) / (*T) embedded - legacy syntax
        fields.push({ names: [], type: this.type() });
      } else {
        this.fail(`unexpected ${this.text()} in struct type`);
      }
      if (this.cur() === Tok.String || this.cur() === Tok.RawString) {
        const tag = unquote(this.text());
        for (const f of fields.slice(fieldsBefore)) f.tag = tag;
        this.next();
      }
      this.expectSemi();
    }
    this.expect(Tok.RBrace, "'}'");
    return { k: 'StructType', t, fields };
  }

  /** At `Ident [`: true if this is an embedded generic type `T[args]` rather than `name [N]T`. */
  private embeddedGenericAhead(): boolean {
    // find the matching ']' and look at what follows: a type start means `name [N]Elem`
    let depth = 0;
    let i = this.p + 1;
    const { kind, count } = this.ts;
    for (; i < count; i++) {
      const k = kind[i];
      if (k === Tok.LBrack || k === Tok.LParen || k === Tok.LBrace) depth++;
      else if (k === Tok.RBrack || k === Tok.RParen || k === Tok.RBrace) {
        depth--;
        if (depth === 0) break;
      } else if (k === Tok.EOF) {
        this.touch(i);
        return false;
      }
    }
    this.touch(i + 1);
    if (i === this.p + 2) return false; // `name []T`
    const after = kind[i + 1];
    return after === Tok.Semi || after === Tok.RBrace || after === Tok.String || after === Tok.RawString;
  }

  private interfaceType(): A.InterfaceType {
    const t = this.expect(Tok.Interface, 'interface');
    this.expect(Tok.LBrace, "'{'");
    const methods: { name: A.Name; type: A.FuncType }[] = [];
    const embeds: A.Expr[] = [];
    while (this.cur() !== Tok.RBrace && this.cur() !== Tok.EOF) {
      if (this.cur() === Tok.Ident && this.peek() === Tok.LParen) {
        const name = this.name();
        methods.push({ name, type: this.signature(name.t) });
      } else {
        embeds.push(this.typeOrExpr());
      }
      this.expectSemi();
    }
    this.expect(Tok.RBrace, "'}'");
    return { k: 'InterfaceType', t, methods, embeds };
  }

  /** Parameters and results after the name / `func` keyword. */
  private signature(t: number): A.FuncType {
    const params = this.paramList(Tok.LParen, Tok.RParen);
    let results: A.Field[] = [];
    if (this.cur() === Tok.LParen) {
      results = this.paramList(Tok.LParen, Tok.RParen);
    } else {
      const save = this.p;
      const rt = this.tryType();
      if (rt) results = [{ names: [], type: rt }];
      else this.p = save;
    }
    return { k: 'FuncType', t, typeParams: undefined, params, results };
  }

  /** `(a, b int, c ...string)` / `(int, error)` / `[P any, Q ~int]`, grouped like go/parser. */
  private paramList(open: Tok, close: Tok): A.Field[] {
    this.expect(open, open === Tok.LParen ? "'('" : "'['");
    this.exprLev++;
    type Entry = { name: A.Name | undefined; type: A.Expr | undefined };
    const entries: Entry[] = [];
    let named = false;
    while (this.cur() !== close && this.cur() !== Tok.EOF) {
      const e: Entry = { name: undefined, type: undefined };
      if (this.cur() === Tok.Ident) {
        const k1 = this.peek();
        if (k1 === Tok.Dot) {
          e.type = close === Tok.RBrack ? this.typeOrExpr() : this.type();
        } else if (k1 === Tok.Comma || k1 === close) {
          e.name = this.name(); // ambiguous: a name, or a type
        } else if (k1 === Tok.LBrack && close === Tok.RParen) {
          // `a []T` / `a [N]T` (name + type) or `T[args]` (generic type)
          if (this.embeddedGenericAheadParam()) {
            e.type = this.type();
          } else {
            e.name = this.name();
            e.type = this.type();
            named = true;
          }
        } else if (k1 === Tok.Ellipsis) {
          e.name = this.name();
          const et = this.next();
          e.type = { k: 'EllipsisType', t: et, elem: this.type() };
          named = true;
        } else if (close === Tok.RBrack && k1 === Tok.Op && this.text(this.p + 1) === '|') {
          e.type = this.typeOrExpr(); // union constraint without name, e.g. [int | string] (invalid but tolerate)
        } else {
          e.name = this.name();
          e.type = close === Tok.RBrack ? this.typeOrExpr() : this.type();
          named = true;
        }
      } else if (this.cur() === Tok.Ellipsis) {
        const et = this.next();
        e.type = { k: 'EllipsisType', t: et, elem: this.type() };
      } else {
        e.type = close === Tok.RBrack ? this.typeOrExpr() : this.type();
      }
      entries.push(e);
      if (!this.got(Tok.Comma)) break;
    }
    this.exprLev--;
    this.expect(close, close === Tok.RParen ? "')'" : "']'");
    const fields: A.Field[] = [];
    if (named) {
      // names without type take the type of the next typed entry: `a, b int`
      let pending: A.Name[] = [];
      for (const e of entries) {
        if (e.name && !e.type) {
          pending.push(e.name);
        } else if (e.name && e.type) {
          pending.push(e.name);
          fields.push({ names: pending, type: e.type });
          pending = [];
        } else if (e.type) {
          fields.push({ names: pending, type: e.type });
          pending = [];
        }
      }
      const [firstPending] = pending;
      if (firstPending) fields.push({ names: pending, type: { k: 'BadExpr', t: firstPending.t } });
    } else {
      for (const e of entries) {
        fields.push({ names: [], type: e.type ?? (e.name as A.Name) });
      }
    }
    return fields;
  }

  private embeddedGenericAheadParam(): boolean {
    // At `Ident [` inside a parameter list: `a []T`/`a [N]T` have a type after `]`;
    // `T[args]` is followed by `,` or `)`.
    let depth = 0;
    let i = this.p + 1;
    const { kind, count } = this.ts;
    for (; i < count; i++) {
      const k = kind[i];
      if (k === Tok.LBrack || k === Tok.LParen || k === Tok.LBrace) depth++;
      else if (k === Tok.RBrack || k === Tok.RParen || k === Tok.RBrace) {
        depth--;
        if (depth === 0) break;
      } else if (k === Tok.EOF) {
        this.touch(i);
        return false;
      }
    }
    this.touch(i + 1);
    if (i === this.p + 2) return false;
    const after = kind[i + 1];
    return after === Tok.Comma || after === Tok.RParen;
  }

  // ---- statements ----------------------------------------------------------------------------

  private block(): A.BlockStmt {
    return this.nested(() => this.blockInner());
  }

  private blockInner(): A.BlockStmt {
    const t = this.expect(Tok.LBrace, "'{'");
    const list = this.stmtList();
    const rbrace = this.expect(Tok.RBrace, "'}'");
    return { k: 'BlockStmt', t, list, rbrace };
  }

  private stmtList(): A.Stmt[] {
    const list: A.Stmt[] = [];
    while (this.cur() !== Tok.RBrace && this.cur() !== Tok.EOF && this.cur() !== Tok.Case && this.cur() !== Tok.Default) {
      const start = this.p;
      try {
        const s = this.stmt();
        if (s) list.push(s);
        if (this.cur() !== Tok.RBrace && this.cur() !== Tok.Case && this.cur() !== Tok.Default) this.expectSemi();
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.errors.push({ t: this.p, msg: e.message });
        this.syncStmt(start);
        list.push({ k: 'BadStmt', t: start });
      }
    }
    return list;
  }

  /** Skip to the end of the broken statement: the next `;` or unmatched `}` at the start depth. */
  private syncStmt(start: number): void {
    this.p = start;
    let depth = 0;
    const kind = this.ts.kind;
    let first = true;
    while (this.p < this.end) {
      const k = kind[this.p];
      this.touch(this.p);
      if (k === Tok.LBrace || k === Tok.LParen || k === Tok.LBrack) depth++;
      else if (k === Tok.RBrace || k === Tok.RParen || k === Tok.RBrack) {
        if (depth === 0) {
          if (first) this.p++; // guarantee progress
          return;
        }
        depth--;
      } else if (k === Tok.Semi && depth === 0) {
        this.p++;
        return;
      }
      this.p++;
      first = false;
    }
    this.touch(this.p);
    this.exprLev = 0;
  }

  private stmt(): A.Stmt | undefined {
    const t = this.p;
    switch (this.cur()) {
      case Tok.Semi:
        return { k: 'EmptyStmt', t };
      case Tok.Var:
      case Tok.Const:
      case Tok.Type:
        return { k: 'DeclStmt', t, decl: this.genDecl(this.cur()) };
      case Tok.LBrace:
        return this.block();
      case Tok.If:
        return this.ifStmt();
      case Tok.For:
        return this.forStmt();
      case Tok.Switch:
        return this.switchStmt();
      case Tok.Select:
        return this.selectStmt();
      case Tok.Go:
      case Tok.Defer: {
        const tok = this.cur() === Tok.Go ? 'go' : 'defer';
        this.next();
        const call = this.expr();
        return { k: 'GoDeferStmt', t, tok, call, end: this.p - 1 };
      }
      case Tok.Return: {
        this.next();
        let results: A.Expr[] = [];
        if (this.cur() !== Tok.Semi && this.cur() !== Tok.RBrace) results = this.exprList();
        return { k: 'ReturnStmt', t, results };
      }
      case Tok.Break:
      case Tok.Continue:
      case Tok.Goto: {
        const tok = this.cur() === Tok.Break ? 'break' : this.cur() === Tok.Continue ? 'continue' : 'goto';
        this.next();
        let label: string | undefined;
        if (this.cur() === Tok.Ident) label = this.text(this.next());
        return { k: 'BranchStmt', t, tok, label };
      }
      case Tok.Fallthrough:
        this.next();
        return { k: 'BranchStmt', t, tok: 'fallthrough', label: undefined };
      case Tok.RBrace:
        return { k: 'EmptyStmt', t };
      default:
        return this.simpleStmt(true, false);
    }
  }

  /** Simple statement; with rangeOk may return a RangeStmt shell (body filled by the caller). */
  private simpleStmt(labelOk: boolean, rangeOk: boolean): A.Stmt {
    const t = this.p;
    if (rangeOk && this.cur() === Tok.Range) {
      this.next();
      const x = this.expr();
      return { k: 'RangeStmt', t, key: undefined, value: undefined, define: false, x, body: undefined as unknown as A.BlockStmt };
    }
    const lhs = this.exprList();
    const [x0, x1] = lhs;
    if (!x0) this.fail(`expected expression, found ${this.text() || 'EOF'}`);
    switch (this.cur()) {
      case Tok.Define:
      case Tok.Assign:
      case Tok.AssignOp: {
        const op = this.text();
        this.next();
        if (rangeOk && this.cur() === Tok.Range && (op === '=' || op === ':=')) {
          this.next();
          const x = this.expr();
          return {
            k: 'RangeStmt',
            t,
            key: x0,
            value: x1,
            define: op === ':=',
            x,
            body: undefined as unknown as A.BlockStmt,
          };
        }
        const rhs = this.exprList();
        return { k: 'AssignStmt', t, op, lhs, rhs };
      }
      case Tok.Colon:
        if (labelOk && lhs.length === 1 && x0.k === 'Name') {
          this.next();
          // a label may precede '}' (empty statement)
          if (this.cur() === Tok.RBrace) return { k: 'LabeledStmt', t, label: x0.value, stmt: { k: 'EmptyStmt', t: this.p } };
          const s = this.stmt() ?? { k: 'EmptyStmt', t: this.p };
          return { k: 'LabeledStmt', t, label: x0.value, stmt: s };
        }
        break;
      case Tok.Arrow: {
        this.next();
        const value = this.expr();
        return { k: 'SendStmt', t, ch: x0, value };
      }
      case Tok.IncDec:
        this.next();
        return { k: 'IncDecStmt', t, x: x0 };
    }
    return { k: 'ExprStmt', t, x: x0 };
  }

  private ifStmt(): A.IfStmt {
    const t = this.expect(Tok.If, 'if');
    const { init, cond } = this.ifHeader();
    const then = this.block();
    let els: A.Stmt | undefined;
    if (this.got(Tok.Else)) {
      if (this.cur() === Tok.If) els = this.ifStmt();
      else if (this.cur() === Tok.LBrace) els = this.block();
      else this.fail('else must be followed by if or statement block');
    }
    return { k: 'IfStmt', t, init, cond, then, else: els };
  }

  private ifHeader(): { init: A.Stmt | undefined; cond: A.Expr } {
    if (this.cur() === Tok.LBrace) return { init: undefined, cond: { k: 'BadExpr', t: this.p } };
    const save = this.exprLev;
    this.exprLev = -1;
    let init: A.Stmt | undefined;
    let cond: A.Expr | undefined;
    if (this.cur() !== Tok.Semi) {
      init = this.simpleStmt(false, false);
    }
    if (this.cur() === Tok.Semi) {
      this.next();
      if (this.cur() !== Tok.LBrace) {
        const s = this.simpleStmt(false, false);
        if (s.k === 'ExprStmt') cond = s.x;
        else this.fail('expected condition');
      }
    } else {
      if (init && init.k === 'ExprStmt') cond = init.x;
      init = undefined;
    }
    this.exprLev = save;
    return { init, cond: cond ?? { k: 'BadExpr', t: this.p } };
  }

  private forStmt(): A.ForStmt | A.RangeStmt {
    const t = this.expect(Tok.For, 'for');
    const save = this.exprLev;
    this.exprLev = -1;
    let s1: A.Stmt | undefined;
    let s2: A.Stmt | undefined;
    let s3: A.Stmt | undefined;
    if (this.cur() !== Tok.LBrace) {
      if (this.cur() !== Tok.Semi) s2 = this.simpleStmt(false, true);
      if (s2 && s2.k === 'RangeStmt') {
        this.exprLev = save;
        const body = this.block();
        return { ...s2, t, body };
      }
      if (this.cur() === Tok.Semi) {
        this.next();
        s1 = s2;
        s2 = undefined;
        if (this.cur() !== Tok.Semi) s2 = this.simpleStmt(false, false);
        this.expect(Tok.Semi, "';'");
        if (this.cur() !== Tok.LBrace) s3 = this.simpleStmt(false, false);
      }
    }
    this.exprLev = save;
    const body = this.block();
    let cond: A.Expr | undefined;
    if (s2) {
      if (s2.k === 'ExprStmt') cond = s2.x;
      else this.errors.push({ t, msg: 'expected for condition' });
    }
    return { k: 'ForStmt', t, init: s1, cond, post: s3, body };
  }

  private switchStmt(): A.SwitchStmt {
    const t = this.expect(Tok.Switch, 'switch');
    const save = this.exprLev;
    this.exprLev = -1;
    let s1: A.Stmt | undefined;
    let s2: A.Stmt | undefined;
    if (this.cur() !== Tok.LBrace) {
      if (this.cur() !== Tok.Semi) s2 = this.simpleStmt(false, false);
      if (this.cur() === Tok.Semi) {
        this.next();
        s1 = s2;
        s2 = undefined;
        if (this.cur() !== Tok.LBrace) s2 = this.simpleStmt(false, false);
      }
    }
    this.exprLev = save;
    let tag: A.Expr | undefined;
    let typeSwitch: A.SwitchStmt['typeSwitch'];
    if (s2) {
      if (s2.k === 'ExprStmt') {
        tag = s2.x;
        if (tag.k === 'AssertExpr' && tag.type === undefined) typeSwitch = { bind: undefined, x: tag.x };
      } else if (s2.k === 'AssignStmt' && s2.op === ':=' && s2.lhs.length === 1 && s2.rhs.length === 1) {
        const r = s2.rhs[0];
        const bind = s2.lhs[0];
        if (r && bind && r.k === 'AssertExpr' && r.type === undefined && bind.k === 'Name') {
          typeSwitch = { bind, x: r.x };
          tag = r;
        }
      }
    }
    this.expect(Tok.LBrace, "'{'");
    const clauses: A.CaseClause[] = [];
    while (this.cur() === Tok.Case || this.cur() === Tok.Default) {
      const ct = this.p;
      let list: A.Expr[] | undefined;
      if (this.got(Tok.Case)) {
        list = typeSwitch ? this.typeList() : this.exprList();
      } else this.next();
      this.expect(Tok.Colon, "':'");
      const body = this.stmtList();
      clauses.push({ t: ct, list, body });
    }
    const rbrace = this.expect(Tok.RBrace, "'}'");
    return { k: 'SwitchStmt', t, init: s1, tag, typeSwitch, clauses, rbrace };
  }

  private typeList(): A.Expr[] {
    const list = [this.typeOrExpr()];
    while (this.got(Tok.Comma)) list.push(this.typeOrExpr());
    return list;
  }

  private selectStmt(): A.SelectStmt {
    const t = this.expect(Tok.Select, 'select');
    this.expect(Tok.LBrace, "'{'");
    const clauses: A.CommClause[] = [];
    while (this.cur() === Tok.Case || this.cur() === Tok.Default) {
      const ct = this.p;
      let comm: A.Stmt | undefined;
      if (this.got(Tok.Case)) comm = this.simpleStmt(false, false);
      else this.next();
      this.expect(Tok.Colon, "':'");
      const body = this.stmtList();
      clauses.push({ t: ct, comm, body });
    }
    const rbrace = this.expect(Tok.RBrace, "'}'");
    return { k: 'SelectStmt', t, clauses, rbrace };
  }

  // ---- expressions ---------------------------------------------------------------------------

  private exprList(): A.Expr[] {
    const list = [this.expr()];
    while (this.got(Tok.Comma)) list.push(this.expr());
    return list;
  }

  private expr(): A.Expr {
    return this.binaryExpr(1, false);
  }

  private binaryExpr(prec1: number, typeCtx: boolean): A.Expr {
    let x = this.unaryExpr(typeCtx);
    for (;;) {
      if (this.cur() !== Tok.Op) return x;
      const op = this.text();
      const prec = binaryPrec(op);
      if (prec < prec1) return x;
      const t = this.next();
      const y = this.binaryExpr(prec + 1, typeCtx);
      x = { k: 'BinaryExpr', t: x.t, op, x, y };
      void t;
    }
  }

  private unaryExpr(typeCtx: boolean): A.Expr {
    return this.nested(() => this.unaryExprInner(typeCtx));
  }

  private unaryExprInner(typeCtx: boolean): A.Expr {
    const t = this.p;
    switch (this.cur()) {
      case Tok.Op: {
        const op = this.text();
        if (op === '+' || op === '-' || op === '^' || op === '&' || op === '*') {
          this.next();
          const x = this.unaryExpr(typeCtx);
          return { k: 'UnaryExpr', t, op, x };
        }
        break;
      }
      case Tok.Not: {
        this.next();
        return { k: 'UnaryExpr', t, op: '!', x: this.unaryExpr(typeCtx) };
      }
      case Tok.Tilde: {
        this.next();
        return { k: 'UnaryExpr', t, op: '~', x: this.unaryExpr(typeCtx) };
      }
      case Tok.Arrow: {
        // A channel type or a receive, known only once the operand is parsed (go/parser): `<-`
        // before a channel type makes it receive-only, re-associating through nested channel
        // types until one that was not send-only (`<-chan<- chan int` is `<-chan (<-chan int)`).
        this.next();
        const x = this.unaryExpr(typeCtx);
        if (x.k !== 'ChanType') return { k: 'UnaryExpr', t, op: '<-', x };
        x.t = t;
        let typ: A.Expr = x;
        let dir: A.ChanType['dir'] = 'send';
        while (typ.k === 'ChanType' && dir === 'send') {
          if (typ.dir === 'recv') this.fail("expected 'chan'");
          [dir, typ.dir] = [typ.dir, 'recv'];
          typ = typ.elem;
        }
        if (dir === 'send') this.fail('expected channel type');
        return x;
      }
    }
    return this.primaryExpr();
  }

  private operand(): A.Expr {
    const t = this.p;
    switch (this.cur()) {
      case Tok.Ident:
        return this.name();
      case Tok.Int:
        this.next();
        return { k: 'BasicLit', t, kind: 'int', value: this.text(t) };
      case Tok.Float:
        this.next();
        return { k: 'BasicLit', t, kind: 'float', value: this.text(t) };
      case Tok.Imag:
        this.next();
        return { k: 'BasicLit', t, kind: 'imag', value: this.text(t) };
      case Tok.Rune:
        this.next();
        return { k: 'BasicLit', t, kind: 'rune', value: this.text(t) };
      case Tok.String:
      case Tok.RawString:
        this.next();
        return { k: 'BasicLit', t, kind: 'string', value: this.text(t) };
      case Tok.LParen: {
        this.next();
        this.exprLev++;
        const x = this.typeOrExpr();
        this.exprLev--;
        this.expect(Tok.RParen, "')'");
        return { k: 'ParenExpr', t, x };
      }
      case Tok.Func: {
        this.next();
        const type = this.signature(t);
        if (this.cur() === Tok.LBrace) {
          const save = this.exprLev;
          this.exprLev = 0;
          const body = this.block();
          this.exprLev = save;
          return { k: 'FuncLit', t, type, body };
        }
        return type;
      }
      case Tok.LBrack:
      case Tok.Map:
      case Tok.Chan:
      case Tok.Struct:
      case Tok.Interface:
        return this.type();
      case Tok.Op:
        if (this.text() === '*') return this.type();
        break;
    }
    this.fail(`expected expression, found ${this.text() || 'EOF'}`);
  }

  private primaryExpr(): A.Expr {
    return this.primarySuffixes(this.operand());
  }

  private primarySuffixes(x0: A.Expr): A.Expr {
    let x = x0;
    for (;;) {
      switch (this.cur()) {
        case Tok.Dot: {
          this.next();
          if (this.cur() === Tok.Ident) {
            x = { k: 'SelectorExpr', t: x.t, x, sel: this.name() };
          } else if (this.cur() === Tok.LParen) {
            this.next();
            if (this.got(Tok.Type)) {
              this.expect(Tok.RParen, "')'");
              x = { k: 'AssertExpr', t: x.t, x, type: undefined };
            } else {
              const type = this.type();
              this.expect(Tok.RParen, "')'");
              x = { k: 'AssertExpr', t: x.t, x, type };
            }
          } else {
            this.fail(`expected selector or type assertion, found ${this.text()}`);
          }
          break;
        }
        case Tok.LBrack: {
          const lbrack = this.next();
          this.exprLev++;
          let lo: A.Expr | undefined;
          if (this.cur() !== Tok.Colon) lo = this.typeOrExpr();
          if (this.cur() === Tok.Colon) {
            this.next();
            let hi: A.Expr | undefined;
            let max: A.Expr | undefined;
            if (this.cur() !== Tok.RBrack && this.cur() !== Tok.Colon) hi = this.expr();
            if (this.got(Tok.Colon)) max = this.expr();
            this.exprLev--;
            this.expect(Tok.RBrack, "']'");
            x = { k: 'SliceExpr', t: x.t, x, lo, hi, max };
            break;
          }
          const indices: A.Expr[] = lo ? [lo] : [];
          while (this.got(Tok.Comma)) {
            if (this.cur() === Tok.RBrack) break;
            indices.push(this.typeOrExpr());
          }
          this.exprLev--;
          this.expect(Tok.RBrack, "']'");
          x = { k: 'IndexExpr', t: x.t, x, indices, lbrack };
          break;
        }
        case Tok.LParen: {
          const lparen = this.next();
          this.exprLev++;
          const args: A.Expr[] = [];
          let dots = false;
          while (this.cur() !== Tok.RParen && this.cur() !== Tok.EOF) {
            args.push(this.typeOrExpr());
            if (this.got(Tok.Ellipsis)) dots = true;
            if (!this.got(Tok.Comma)) break;
          }
          this.exprLev--;
          const rparen = this.expect(Tok.RParen, "')'");
          x = { k: 'CallExpr', t: x.t, fun: x, args, lparen, rparen, dots };
          break;
        }
        case Tok.LBrace: {
          const u = unparen(x);
          switch (u.k) {
            case 'BadExpr':
            case 'Name':
            case 'SelectorExpr':
            case 'IndexExpr':
              if (this.exprLev < 0) return x;
              if (u.k === 'SelectorExpr' && u.x.k !== 'Name') return x;
              break;
            case 'ArrayType':
            case 'StructType':
            case 'MapType':
              break;
            default:
              return x;
          }
          x = this.compositeLit(x);
          break;
        }
        default:
          return x;
      }
    }
  }

  private compositeLit(type: A.Expr | undefined): A.CompositeLit {
    const t = this.expect(Tok.LBrace, "'{'");
    this.exprLev++;
    const elems: A.Expr[] = [];
    while (this.cur() !== Tok.RBrace && this.cur() !== Tok.EOF) {
      let e = this.element();
      if (this.got(Tok.Colon)) {
        const value = this.element();
        e = { k: 'KeyValueExpr', t: e.t, key: e, value };
      }
      // Declarations only (skipBodies, describing a package to importers): the elements are parsed but not kept; what
      // importers ask of a package-level composite literal (its type) is in `type`. Keeping them held the tables of
      // packages like cmd/internal/obj/x86 for the whole run.
      if (this.bodies !== 'skip') elems.push(e);
      if (!this.got(Tok.Comma)) break;
    }
    this.exprLev--;
    const rbrace = this.expect(Tok.RBrace, "'}'");
    return { k: 'CompositeLit', t: type ? type.t : t, type, elems, rbrace };
  }

  private element(): A.Expr {
    if (this.cur() === Tok.LBrace) return this.compositeLit(undefined);
    return this.expr();
  }
}

export function unparen(x: A.Expr): A.Expr {
  while (x.k === 'ParenExpr') x = x.x;
  return x;
}

/** Decode a Go string literal (interpreted or raw). Escapes are decoded approximately (enough for paths). */
export function unquote(raw: string): string {
  if (raw.startsWith('`')) return raw.slice(1, raw.endsWith('`') && raw.length > 1 ? -1 : undefined).replace(/\r/g, '');
  const body = raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined);
  if (!body.includes('\\')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'x':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      default:
        if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
        return e;
    }
  });
}
