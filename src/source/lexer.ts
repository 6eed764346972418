/**
 * Go lexer: tokens with offsets, physical lines and columns, automatic semicolon insertion,
 * `//line` / `/*line*\/` directives (for RelLine, the line number space of profiles) and the
 * build-constraint header.
 *
 * Hand-written rather than tree-sitter-go: measured with test/oracle/source/bench.ts on
 * $GOROOT/src/cmd/internal/obj/riscv/obj.go (5,018 lines, 168 KB, 39,969 tokens), Node 20,
 * 2 vCPUs shared with other jobs (load ~3.7), medians of 30 warm runs, range over 3 runs:
 *
 *   this lexer                                              1.3-1.5 ms (1.1 in a quiet loop)
 *   this lexer + parser, every body                         2.3-5.0 ms
 *   lexer + parser as the indexer runs it (bodies lazy)     1.8-2.0 ms
 *   re-index the package after typing in a function body    2.9-3.1 ms (lex, parse, walk, link)
 *   ... after a package-level declaration edit              6.6-10.7 ms
 *   web-tree-sitter 0.25 + tree-sitter-go 0.25, full parse  28.6-31.3 ms
 *   tree-sitter parse + one cursor walk over the tree       45.8-65.0 ms
 *   tree-sitter incremental re-parse after a 1-char edit    0.7 ms
 *   tree-sitter cold start (wasm runtime + grammar + parse) 77-500 ms
 *
 * tree-sitter only wins on incremental re-parsing, and then every consumer still has to walk its
 * tree through the wasm boundary (the walk alone costs several times our lexer + parser). It
 * would add ~420 KB of wasm and a second grammar to keep in step with Go, and it cannot give
 * what naming needs anyway: RelLine after line directives, the positions the compiler uses, its
 * dead-code rules. The hand-written pipeline re-indexes a 5,000-line file per keystroke in a
 * few milliseconds with no dependency.
 */

/** Token kinds. Keywords and operators each get their own kind so the parser can switch on them. */
export const enum Tok {
  EOF = 0,
  Ident,
  Int,
  Float,
  Imag,
  Rune,
  String, // "interpreted"
  RawString, // `raw`
  Semi, // explicit ';' or automatically inserted (see SEMI_AUTO flag)
  // delimiters
  LParen,
  RParen,
  LBrack,
  RBrack,
  LBrace,
  RBrace,
  Comma,
  Dot,
  Ellipsis,
  Colon,
  // operators
  Assign, // =
  Define, // :=
  AssignOp, // += -= *= /= %= &= |= ^= <<= >>= &^=
  IncDec, // ++ --
  Arrow, // <-
  Tilde, // ~
  Not, // !
  Op, // binary/unary operators: + - * / % & | ^ << >> &^ == != < <= > >= && ||
  // keywords
  Break,
  Case,
  Chan,
  Const,
  Continue,
  Default,
  Defer,
  Else,
  Fallthrough,
  For,
  Func,
  Go,
  Goto,
  If,
  Import,
  Interface,
  Map,
  Package,
  Range,
  Return,
  Select,
  Struct,
  Switch,
  Type,
  Var,
  Illegal,
}

const KEYWORDS: ReadonlyMap<string, Tok> = new Map<string, Tok>([
  ['break', Tok.Break],
  ['case', Tok.Case],
  ['chan', Tok.Chan],
  ['const', Tok.Const],
  ['continue', Tok.Continue],
  ['default', Tok.Default],
  ['defer', Tok.Defer],
  ['else', Tok.Else],
  ['fallthrough', Tok.Fallthrough],
  ['for', Tok.For],
  ['func', Tok.Func],
  ['go', Tok.Go],
  ['goto', Tok.Goto],
  ['if', Tok.If],
  ['import', Tok.Import],
  ['interface', Tok.Interface],
  ['map', Tok.Map],
  ['package', Tok.Package],
  ['range', Tok.Range],
  ['return', Tok.Return],
  ['select', Tok.Select],
  ['struct', Tok.Struct],
  ['switch', Tok.Switch],
  ['type', Tok.Type],
  ['var', Tok.Var],
]);

/** Keywords bucketed by (length, first character) so identifiers are classified without slicing. */
const KEYWORD_BUCKETS: Map<number, [string, Tok][]> = (() => {
  const m = new Map<number, [string, Tok][]>();
  for (const [kw, tok] of KEYWORDS) {
    const key = kw.length * 128 + kw.charCodeAt(0);
    const list = m.get(key) ?? [];
    list.push([kw, tok]);
    m.set(key, list);
  }
  return m;
})();

/** Operator precedence for `Tok.Op` tokens (Go spec); 0 = not binary. Indexed by the operator text. */
export function binaryPrec(op: string): number {
  switch (op) {
    case '||':
      return 1;
    case '&&':
      return 2;
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return 3;
    case '+':
    case '-':
    case '|':
    case '^':
      return 4;
    case '*':
    case '/':
    case '%':
    case '<<':
    case '>>':
    case '&':
    case '&^':
      return 5;
    default:
      return 0;
  }
}

/**
 * A line directive: from `offset` on (and until the next directive), a position on physical line
 * `physLine` has RelLine `relLine + (line - physLine)` in file `relFile`.
 */
export interface LineDirective {
  offset: number;
  physLine: number;
  relLine: number;
  relFile: string;
}

/** A `//go:` comment (pragma or build constraint), with the physical line it is on. */
export interface GoDirective {
  line: number;
  text: string; // the comment text without the leading `//`
}

/** Lexed file: struct-of-arrays tokens plus side tables. */
export interface TokenStream {
  readonly src: string;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  /** 1-based physical line of the token's first character. */
  readonly line: Uint32Array;
  /** 1-based column in UTF-16 code units (`start - lineStart + 1`). */
  readonly col: Uint32Array;
  /** Bit flags per token (see TOKEN_FLAG_*). */
  readonly flags: Uint8Array;
  /** Offsets of the first character of each physical line; `lineStarts[0]` is line 1. */
  readonly lineStarts: Uint32Array;
  readonly lineCount: number;
  readonly lineDirectives: LineDirective[];
  readonly goDirectives: GoDirective[];
  /** `//go:build` line from the file header (before `package`), if any. */
  readonly goBuild: string | undefined;
  /** `// +build` lines from the file header. */
  readonly plusBuild: string[];
  /** True if the source contains non-ASCII characters (then byte columns differ from UTF-16 columns). */
  readonly nonAscii: boolean;
}

/** Element `i` of a token or line table; an index outside the table is a bug of the caller. */
function at(table: Uint32Array, i: number, what: string): number {
  const v = table[i];
  if (v === undefined) throw new RangeError(`${what} ${i} outside the token stream`);
  return v;
}

/** UTF-16 offset of token `t`'s first character. */
export function tokenStart(ts: TokenStream, t: number): number {
  return at(ts.start, t, 'token');
}

/** UTF-16 offset just after token `t`. */
export function tokenEnd(ts: TokenStream, t: number): number {
  return at(ts.end, t, 'token');
}

/** 1-based physical line of token `t`. */
export function tokenLine(ts: TokenStream, t: number): number {
  return at(ts.line, t, 'token');
}

/** 1-based UTF-16 column of token `t`. */
export function tokenCol(ts: TokenStream, t: number): number {
  return at(ts.col, t, 'token');
}

/** UTF-16 offset of the first character of 1-based physical line `line`. */
export function lineStart(ts: TokenStream, line: number): number {
  return at(ts.lineStarts, line - 1, 'line');
}

/**
 * Text `[start, end)` of `src` as a string of its own. V8 makes a slice of 13 or more characters a
 * view that keeps the whole source alive: an identifier or callee kept in an index or a package
 * description would hold its file's text for as long as it lives (descriptions of the standard
 * library live for the whole run). Shorter slices are copies already.
 */
export function ownSlice(src: string, start: number, end: number): string {
  const s = src.slice(start, end);
  // flattening the concatenation copies the characters; slicing that copy keeps only it
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Semicolon inserted at a newline, a multi-line comment or EOF (not written in the source). */
export const TOKEN_FLAG_AUTO_SEMI = 1;
/** The token is the first on its physical line. */
export const TOKEN_FLAG_LINE_START = 2;

const CH_NL = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_TAB = 9;

function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}
const NON_ASCII_LETTER = /[\p{L}\p{Nd}]/u;

/** Lex a whole Go source file. Never throws; malformed input yields `Tok.Illegal` tokens. */
export function lex(src: string): TokenStream {
  return lexSpan(src, 0, src.length, 1, false).ts;
}

/**
 * A lexed part of a file (incremental-lex.ts): the tokens of `src[from, to)`, positions and lines
 * in the whole file's terms, lexed as `lex` would lex the whole file from `from` on when `from` is
 * the start of physical line `firstLine` at which no token, comment or string is open. `clean`:
 * nothing ran into `to` (no unterminated comment or raw string, no token or escape ending at `to`),
 * so a whole-file lex would reach `to` in the same state. The stream ends with an EOF token at `to`.
 */
export interface LexedSpan {
  ts: TokenStream;
  clean: boolean;
}

/** `afterHeader`: the span starts after the file's first token (no build-constraint header lines in it). */
export function lexSpan(src: string, from: number, to: number, firstLine: number, afterHeader: boolean): LexedSpan {
  const n = to;
  let cap = Math.max(64, ((n - from) >> 2) + 16);
  let kind = new Uint8Array(cap);
  let start = new Uint32Array(cap);
  let end = new Uint32Array(cap);
  let line = new Uint32Array(cap);
  let col = new Uint32Array(cap);
  let flags = new Uint8Array(cap);
  let count = 0;

  let lsCap = Math.max(64, ((n - from) >> 5) + 16);
  let lineStarts = new Uint32Array(lsCap);
  lineStarts[0] = from;
  let lineCount = 1;

  const lineDirectives: LineDirective[] = [];
  const goDirectives: GoDirective[] = [];
  let goBuild: string | undefined;
  const plusBuild: string[] = [];
  let nonAscii = false;
  let seenToken = afterHeader; // any token yet (header ends at the first token, i.e. `package`)
  /** The furthest end of a token (other than an inserted semicolon) or comment: `clean` needs it before `to`. */
  let reach = from;

  let curLine = firstLine;
  let curLineStart = from;
  let lastTokLine = 0;

  function grow(): void {
    cap *= 2;
    const k2 = new Uint8Array(cap);
    k2.set(kind);
    kind = k2;
    const s2 = new Uint32Array(cap);
    s2.set(start);
    start = s2;
    const e2 = new Uint32Array(cap);
    e2.set(end);
    end = e2;
    const l2 = new Uint32Array(cap);
    l2.set(line);
    line = l2;
    const c2 = new Uint32Array(cap);
    c2.set(col);
    col = c2;
    const f2 = new Uint8Array(cap);
    f2.set(flags);
    flags = f2;
  }

  function newline(at: number): void {
    // `at` is the offset of the '\n'
    curLine++;
    curLineStart = at + 1;
    if (lineCount >= lsCap) {
      lsCap *= 2;
      const ls2 = new Uint32Array(lsCap);
      ls2.set(lineStarts);
      lineStarts = ls2;
    }
    lineStarts[lineCount++] = curLineStart;
  }

  function push(k: Tok, s: number, e: number, f: number): void {
    if (count >= cap) grow();
    if (e > reach) reach = e;
    kind[count] = k;
    start[count] = s;
    end[count] = e;
    line[count] = curLine;
    col[count] = s - curLineStart + 1;
    let fl = f;
    if (lastTokLine !== curLine) fl |= TOKEN_FLAG_LINE_START;
    flags[count] = fl;
    lastTokLine = curLine;
    count++;
    seenToken = true;
  }

  function pushAutoSemi(at: number): void {
    // The token sits at the newline / comment position, on the current line.
    if (count >= cap) grow();
    kind[count] = Tok.Semi;
    start[count] = at;
    end[count] = at;
    line[count] = curLine;
    col[count] = at - curLineStart + 1;
    flags[count] = TOKEN_FLAG_AUTO_SEMI | (lastTokLine !== curLine ? TOKEN_FLAG_LINE_START : 0);
    lastTokLine = curLine;
    count++;
  }

  function handleComment(cs: number, ce: number, isLine: boolean, startLine: number, startCol: number): void {
    // cs..ce is the full comment text including `//` or `/* */` (line comment excludes the newline).
    if (ce > reach) reach = ce;
    const c2 = src.charCodeAt(cs + 2);
    if (c2 !== 108 /* l */ && c2 !== 103 /* g */ && c2 !== 32 /* space, for `// +build` */) return;
    let text = isLine ? src.slice(cs + 2, ce) : src.slice(cs + 2, ce - 2);
    if (isLine && text.endsWith('\r')) text = text.slice(0, -1);
    if (text.startsWith('line ') && (!isLine || startCol === 1)) {
      // Position immediately following the comment (see syntax.parser's directive handler).
      let physLine: number;
      let offset: number;
      if (isLine) {
        physLine = startLine + 1;
        offset = ce + 1; // after the newline (which is not part of the comment)
      } else {
        physLine = curLine; // comment may not span lines to be valid; then the parse fails below
        offset = ce;
      }
      const d = parseLineDirective(text.slice(5), lineDirectives[lineDirectives.length - 1]?.relFile ?? '');
      if (d && (isLine || physLine === startLine)) {
        lineDirectives.push({ offset, physLine, relLine: d.line, relFile: d.file });
      }
      return;
    }
    if (text.startsWith('go:')) {
      goDirectives.push({ line: startLine, text });
      if (!seenToken && isLine && startCol === 1 && text.startsWith('go:build') && goBuild === undefined) {
        const rest = text.slice(8);
        if (rest === '' || rest.charCodeAt(0) === CH_SPACE || rest.charCodeAt(0) === CH_TAB) goBuild = rest.trim();
      }
      return;
    }
    if (!seenToken && isLine && text.startsWith(' +build')) {
      plusBuild.push(text.slice(7).trim());
    }
  }

  let i = from;
  let nlsemi = false;
  while (true) {
    // skip whitespace
    let c = 0;
    while (i < n) {
      c = src.charCodeAt(i);
      if (c === CH_SPACE || c === CH_TAB || c === CH_CR) {
        i++;
      } else if (c === CH_NL) {
        if (nlsemi) break;
        newline(i);
        i++;
      } else break;
    }
    if (i >= n) {
      if (nlsemi) pushAutoSemi(n);
      break;
    }
    const s = i;
    if (isLetterCode(c) || (c >= 0x80 && isNonAsciiLetterAt(src, i))) {
      // identifier or keyword
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (isLetterCode(d) || isDigitCode(d)) i++;
        else if (d >= 0x80 && isNonAsciiLetterAt(src, i)) {
          nonAscii = true;
          i += d >= 0xd800 && d <= 0xdbff ? 2 : 1;
        } else break;
      }
      if (c >= 0x80) nonAscii = true;
      // keywords are 2..11 lowercase letters
      let k = Tok.Ident;
      const len = i - s;
      if (len >= 2 && len <= 11 && c >= 97 && c <= 122) {
        const bucket = KEYWORD_BUCKETS.get(len * 128 + c);
        if (bucket !== undefined) {
          for (const [kw, tok] of bucket) {
            if (src.startsWith(kw, s)) {
              k = tok;
              break;
            }
          }
        }
      }
      push(k, s, i, 0);
      nlsemi = k === Tok.Ident || k === Tok.Break || k === Tok.Continue || k === Tok.Fallthrough || k === Tok.Return;
      continue;
    }
    switch (c) {
      case CH_NL:
        // only reached when nlsemi
        pushAutoSemi(i);
        newline(i);
        i++;
        nlsemi = false;
        continue;
      case 34 /* " */: {
        i++;
        while (i < n) {
          const d = src.charCodeAt(i);
          if (d === 92 /* \ */) {
            i += 2;
            continue;
          }
          if (d === 34) {
            i++;
            break;
          }
          if (d === CH_NL) break; // unterminated; newline ends it
          if (d >= 0x80) nonAscii = true;
          i++;
        }
        if (i > n) i = n;
        push(Tok.String, s, i, 0);
        nlsemi = true;
        continue;
      }
      case 96 /* ` */: {
        i++;
        const tokLine = curLine;
        const tokLineStart = curLineStart;
        while (i < n) {
          const d = src.charCodeAt(i);
          if (d === 96) {
            i++;
            break;
          }
          if (d === CH_NL) newline(i);
          else if (d >= 0x80) nonAscii = true;
          i++;
        }
        // The token belongs to the line it starts on.
        const saveLine = curLine;
        const saveLs = curLineStart;
        curLine = tokLine;
        curLineStart = tokLineStart;
        push(Tok.RawString, s, i, 0);
        curLine = saveLine;
        curLineStart = saveLs;
        lastTokLine = saveLine;
        nlsemi = true;
        continue;
      }
      case 39 /* ' */: {
        i++;
        while (i < n) {
          const d = src.charCodeAt(i);
          if (d === 92) {
            i += 2;
            continue;
          }
          if (d === 39) {
            i++;
            break;
          }
          if (d === CH_NL) break;
          if (d >= 0x80) nonAscii = true;
          i++;
        }
        if (i > n) i = n;
        push(Tok.Rune, s, i, 0);
        nlsemi = true;
        continue;
      }
      case 47 /* / */: {
        const d = src.charCodeAt(i + 1);
        if (d === 47) {
          // line comment up to (not including) the newline
          const startLine = curLine;
          const startCol = i - curLineStart + 1;
          let j = i + 2;
          while (j < n && src.charCodeAt(j) !== CH_NL) j++;
          handleComment(i, j, true, startLine, startCol);
          for (let q = i + 2; q < j; q++) {
            if (src.charCodeAt(q) >= 0x80) {
              nonAscii = true;
              break;
            }
          }
          i = j;
          // the newline (if any) produces the semicolon on the next loop iteration
          continue;
        }
        if (d === 42 /* * */) {
          const startLine = curLine;
          const startCol = i - curLineStart + 1;
          let j = i + 2;
          let multiLine = false;
          let semiAt = -1;
          while (j < n) {
            const e = src.charCodeAt(j);
            if (e === 42 && src.charCodeAt(j + 1) === 47) {
              j += 2;
              break;
            }
            if (e === CH_NL) {
              if (!multiLine && nlsemi) semiAt = i;
              multiLine = true;
              newline(j);
            } else if (e >= 0x80) nonAscii = true;
            j++;
          }
          if (j > n) j = n;
          if (semiAt >= 0) {
            // A multi-line comment acts like a newline. The semicolon is attributed to the
            // comment's start line (where the statement ended).
            const saveLine = curLine;
            const saveLs = curLineStart;
            curLine = startLine;
            curLineStart = at(lineStarts, startLine - firstLine, 'line');
            pushAutoSemi(semiAt);
            curLine = saveLine;
            curLineStart = saveLs;
            lastTokLine = startLine;
            nlsemi = false;
          }
          handleComment(i, j, false, startLine, startCol);
          i = j;
          continue;
        }
        i++;
        if (src.charCodeAt(i) === 61) {
          i++;
          push(Tok.AssignOp, s, i, 0);
        } else push(Tok.Op, s, i, 0);
        nlsemi = false;
        continue;
      }
      case 48:
      case 49:
      case 50:
      case 51:
      case 52:
      case 53:
      case 54:
      case 55:
      case 56:
      case 57: {
        const k = scanNumber(src, i);
        i = k.end;
        push(k.kind, s, i, 0);
        nlsemi = true;
        continue;
      }
      case 46 /* . */: {
        const d = src.charCodeAt(i + 1);
        if (isDigitCode(d)) {
          const k = scanNumber(src, i);
          i = k.end;
          push(k.kind, s, i, 0);
          nlsemi = true;
          continue;
        }
        if (d === 46 && src.charCodeAt(i + 2) === 46) {
          i += 3;
          push(Tok.Ellipsis, s, i, 0);
        } else {
          i++;
          push(Tok.Dot, s, i, 0);
        }
        nlsemi = false;
        continue;
      }
      case 40:
        i++;
        push(Tok.LParen, s, i, 0);
        nlsemi = false;
        continue;
      case 41:
        i++;
        push(Tok.RParen, s, i, 0);
        nlsemi = true;
        continue;
      case 91:
        i++;
        push(Tok.LBrack, s, i, 0);
        nlsemi = false;
        continue;
      case 93:
        i++;
        push(Tok.RBrack, s, i, 0);
        nlsemi = true;
        continue;
      case 123:
        i++;
        push(Tok.LBrace, s, i, 0);
        nlsemi = false;
        continue;
      case 125:
        i++;
        push(Tok.RBrace, s, i, 0);
        nlsemi = true;
        continue;
      case 44:
        i++;
        push(Tok.Comma, s, i, 0);
        nlsemi = false;
        continue;
      case 59:
        i++;
        push(Tok.Semi, s, i, 0);
        nlsemi = false;
        continue;
      case 58:
        i++;
        if (src.charCodeAt(i) === 61) {
          i++;
          push(Tok.Define, s, i, 0);
        } else push(Tok.Colon, s, i, 0);
        nlsemi = false;
        continue;
      case 126:
        i++;
        push(Tok.Tilde, s, i, 0);
        nlsemi = false;
        continue;
      case 43: // +
      case 45: {
        // -
        i++;
        const d = src.charCodeAt(i);
        if (d === c) {
          i++;
          push(Tok.IncDec, s, i, 0);
          nlsemi = true;
          continue;
        }
        if (d === 61) {
          i++;
          push(Tok.AssignOp, s, i, 0);
        } else push(Tok.Op, s, i, 0);
        nlsemi = false;
        continue;
      }
      case 42: // *
      case 37: // %
      case 94: {
        // ^
        i++;
        if (src.charCodeAt(i) === 61) {
          i++;
          push(Tok.AssignOp, s, i, 0);
        } else push(Tok.Op, s, i, 0);
        nlsemi = false;
        continue;
      }
      case 38: {
        // & && &= &^ &^=
        i++;
        const d = src.charCodeAt(i);
        if (d === 38) {
          i++;
          push(Tok.Op, s, i, 0);
        } else if (d === 94) {
          i++;
          if (src.charCodeAt(i) === 61) {
            i++;
            push(Tok.AssignOp, s, i, 0);
          } else push(Tok.Op, s, i, 0);
        } else if (d === 61) {
          i++;
          push(Tok.AssignOp, s, i, 0);
        } else push(Tok.Op, s, i, 0);
        nlsemi = false;
        continue;
      }
      case 124: {
        // | || |=
        i++;
        const d = src.charCodeAt(i);
        if (d === 124) {
          i++;
          push(Tok.Op, s, i, 0);
        } else if (d === 61) {
          i++;
          push(Tok.AssignOp, s, i, 0);
        } else push(Tok.Op, s, i, 0);
        nlsemi = false;
        continue;
      }
      case 60: {
        // < <= << <<= <-
        i++;
        const d = src.charCodeAt(i);
        if (d === 45) {
          i++;
          push(Tok.Arrow, s, i, 0);
        } else if (d === 60) {
          i++;
          if (src.charCodeAt(i) === 61) {
            i++;
            push(Tok.AssignOp, s, i, 0);
          } else push(Tok.Op, s, i, 0);
        } else {
          if (d === 61) i++;
          push(Tok.Op, s, i, 0);
        }
        nlsemi = false;
        continue;
      }
      case 62: {
        // > >= >> >>=
        i++;
        const d = src.charCodeAt(i);
        if (d === 62) {
          i++;
          if (src.charCodeAt(i) === 61) {
            i++;
            push(Tok.AssignOp, s, i, 0);
          } else push(Tok.Op, s, i, 0);
        } else {
          if (d === 61) i++;
          push(Tok.Op, s, i, 0);
        }
        nlsemi = false;
        continue;
      }
      case 61: {
        // = ==
        i++;
        if (src.charCodeAt(i) === 61) {
          i++;
          push(Tok.Op, s, i, 0);
        } else push(Tok.Assign, s, i, 0);
        nlsemi = false;
        continue;
      }
      case 33: {
        // ! !=
        i++;
        if (src.charCodeAt(i) === 61) {
          i++;
          push(Tok.Op, s, i, 0);
        } else push(Tok.Not, s, i, 0);
        nlsemi = false;
        continue;
      }
      default: {
        // BOM at file start, stray characters, non-letter Unicode
        if (c === 0xfeff && i === 0) {
          i++;
          continue;
        }
        if (c >= 0x80) nonAscii = true;
        i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
        push(Tok.Illegal, s, i, 0);
        nlsemi = false;
        continue;
      }
    }
  }
  // EOF token
  if (count >= cap) grow();
  kind[count] = Tok.EOF;
  start[count] = n;
  end[count] = n;
  line[count] = curLine;
  col[count] = n - curLineStart + 1;
  flags[count] = 0;
  count++;

  const ts: TokenStream = {
    src,
    count,
    kind: kind.subarray(0, count),
    start: start.subarray(0, count),
    end: end.subarray(0, count),
    line: line.subarray(0, count),
    col: col.subarray(0, count),
    flags: flags.subarray(0, count),
    lineStarts: lineStarts.subarray(0, lineCount),
    lineCount,
    lineDirectives,
    goDirectives,
    goBuild,
    plusBuild,
    nonAscii,
  };
  return { ts, clean: reach < to };
}

function isNonAsciiLetterAt(src: string, i: number): boolean {
  const cp = src.codePointAt(i);
  if (cp === undefined) return false;
  return NON_ASCII_LETTER.test(String.fromCodePoint(cp));
}

function scanNumber(src: string, i: number): { end: number; kind: Tok } {
  const n = src.length;
  let kind = Tok.Int;
  let c = src.charCodeAt(i);
  if (c === 48 /* 0 */) {
    const d = src.charCodeAt(i + 1) | 0x20;
    if (d === 120 /* x */) {
      // hex, possibly hex float
      i += 2;
      while (i < n && (isHexDigit(src.charCodeAt(i)) || src.charCodeAt(i) === 95)) i++;
      if (src.charCodeAt(i) === 46) {
        kind = Tok.Float;
        i++;
        while (i < n && (isHexDigit(src.charCodeAt(i)) || src.charCodeAt(i) === 95)) i++;
      }
      if ((src.charCodeAt(i) | 0x20) === 112 /* p */) {
        kind = Tok.Float;
        i++;
        c = src.charCodeAt(i);
        if (c === 43 || c === 45) i++;
        while (i < n && (isDigitCode(src.charCodeAt(i)) || src.charCodeAt(i) === 95)) i++;
      }
      if (src.charCodeAt(i) === 105 /* i */) {
        i++;
        kind = Tok.Imag;
      }
      return { end: i, kind };
    }
    if (d === 98 /* b */ || d === 111 /* o */) {
      i += 2;
      while (i < n && (isDigitCode(src.charCodeAt(i)) || src.charCodeAt(i) === 95)) i++;
      if (src.charCodeAt(i) === 105) {
        i++;
        kind = Tok.Imag;
      }
      return { end: i, kind };
    }
  }
  // decimal (or legacy octal), possibly float
  while (i < n && (isDigitCode(src.charCodeAt(i)) || src.charCodeAt(i) === 95)) i++;
  if (src.charCodeAt(i) === 46) {
    kind = Tok.Float;
    i++;
    while (i < n && (isDigitCode(src.charCodeAt(i)) || src.charCodeAt(i) === 95)) i++;
  }
  if ((src.charCodeAt(i) | 0x20) === 101 /* e */) {
    const save = i;
    i++;
    c = src.charCodeAt(i);
    if (c === 43 || c === 45) i++;
    if (isDigitCode(src.charCodeAt(i))) {
      kind = Tok.Float;
      while (i < n && (isDigitCode(src.charCodeAt(i)) || src.charCodeAt(i) === 95)) i++;
    } else i = save;
  }
  if (src.charCodeAt(i) === 105 /* i */) {
    i++;
    kind = Tok.Imag;
  }
  return { end: i, kind };
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}

/**
 * Parse the text after `line ` of a line directive the way `syntax.parser.updateBase` does.
 * Returns undefined for an invalid directive (which the compiler ignores after an error).
 */
export function parseLineDirective(text: string, prevFile: string): { file: string; line: number; col: number } | undefined {
  const td = trailingDigits(text);
  if (td.i === 0) return undefined;
  if (!td.ok) return undefined;
  let line: number;
  let col = 0;
  let i = td.i;
  const td2 = trailingDigits(text.slice(0, td.i - 1));
  if (td2.ok) {
    line = td2.n;
    col = td.n;
    if (col === 0) return undefined;
    i = td2.i;
  } else {
    line = td.n;
  }
  if (line === 0 || line > 0x3fffffff) return undefined;
  let file = text.slice(0, i - 1);
  if (file === '' && td2.ok) file = prevFile;
  return { file, line, col };
}

function trailingDigits(text: string): { i: number; n: number; ok: boolean } {
  const i = text.lastIndexOf(':');
  if (i < 0) return { i: 0, n: 0, ok: false };
  const digits = text.slice(i + 1);
  // strconv.ParseUint(s, 10, 0): non-empty, digits only (no sign, no underscores in base 10 mode).
  const ok = digits.length > 0 && /^[0-9]+$/.test(digits);
  return { i: i + 1, n: ok ? Number(digits) : 0, ok };
}

/** Text of token `t`. */
export function tokText(ts: TokenStream, t: number): string {
  return ts.src.slice(ts.start[t], ts.end[t]);
}

/**
 * RelLine of a source position (offset + physical line): the line number after applying `//line`
 * directives, which is the number space of pclntab and therefore of profiles.
 */
export function relLineAt(ts: TokenStream, offset: number, physLine: number): number {
  const ds = ts.lineDirectives;
  const first = ds[0];
  if (!first || offset < first.offset) return physLine;
  // binary search for the last directive with d.offset <= offset
  let lo = 0;
  let hi = ds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((ds[mid]?.offset ?? Infinity) <= offset) lo = mid;
    else hi = mid - 1;
  }
  const d = ds[lo] ?? first;
  return d.relLine + (physLine - d.physLine);
}

/** The file name a position maps to after `//line` directives ('' = the file itself). */
export function relFileAt(ts: TokenStream, offset: number): string {
  const ds = ts.lineDirectives;
  let r = '';
  for (const d of ds) {
    if (d.offset <= offset) r = d.relFile;
    else break;
  }
  return r;
}

/** 1-based byte column (UTF-8), as the compiler reports columns, of a UTF-16 offset. */
export function byteColumn(ts: TokenStream, offset: number, physLine: number): number {
  const ls = lineStart(ts, physLine);
  if (!ts.nonAscii) return offset - ls + 1;
  let bytes = 0;
  for (let i = ls; i < offset; i++) {
    const c = ts.src.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes + 1;
}
