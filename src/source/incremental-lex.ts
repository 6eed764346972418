/**
 * Re-lexing an edited file from its previous token stream (issue #14: typing in a 79,000-line
 * file must not lex it all again). The text outside the edit is lexed exactly as before, so only
 * the part between two lines that start with a token around the edit is lexed again; the tokens
 * before it are copied, those after it are copied with their offsets and lines moved. The result
 * equals `lex(text)` (the random-edit tests compare every field); whenever that cannot be shown
 * cheaply (line directives, an edit in the file header, an edit that leaves a comment or raw string
 * open), `relex` answers undefined and the caller lexes the whole text.
 */
import { type TextChange, textChange } from './text-change';
import { lexSpan, TOKEN_FLAG_AUTO_SEMI, TOKEN_FLAG_LINE_START, Tok, TokenStream } from './lexer';

/**
 * Which tokens an edit kept: the old stream's tokens [0, keep) are the new one's [0, keep), its
 * tokens [oldFrom, old count) are the new one's [oldFrom + shift, new count) with their offsets and
 * lines moved (kind, text, column and flags equal); the rest is new.
 */
export interface TokenSplice {
  keep: number;
  oldFrom: number;
  shift: number;
}

/**
 * The token stream of `text`, given the stream of the file's previous text (and where the two
 * texts differ, when the caller has it already); undefined: lex it whole.
 */
export function relex(old: TokenStream, text: string, change?: TextChange): TokenStream | undefined {
  return relexSplice(old, text, change)?.ts;
}

/** As relex, with which tokens the edit kept. */
export function relexSplice(old: TokenStream, text: string, change?: TextChange): { ts: TokenStream; splice: TokenSplice } | undefined {
  const src = old.src;
  if (src === text) return { ts: old, splice: { keep: old.count, oldFrom: old.count, shift: 0 } };
  // `//line` directives carry state from one to the next (the file name): never spliced.
  if (old.lineDirectives.length > 0 || old.count < 2) return undefined;
  const oldLen = src.length;
  const newLen = text.length;
  const { start: p, oldEnd } = change ?? textChange(src, text); // the old text differs in [p, oldEnd), the new one in [p, newLen - (oldLen - oldEnd))
  const delta = newLen - oldLen;

  // Restart at the start of the last line at or before the change whose first token starts it
  // outside any comment or string (not the file's first line: the header before the first token is
  // lexed differently); the lexer is in its line-start state there.
  const ta = restartBefore(old, p);
  if (ta < 1) return undefined;
  const a = lineOf(old, ta);
  // Stop at the first such line that starts after the change (the newline before it is unchanged).
  const tb = restartFrom(old, firstTokenFrom(old, oldEnd + 1), oldEnd + 1);
  const tail = tb < 0;
  const oldB = tail ? oldLen : lineOf(old, tb);
  const to = tail ? newLen : oldB + delta;

  const region = text.slice(a, to);
  if (region.includes('//line ') || region.includes('/*line ')) return undefined;
  const span = lexSpan(text, a, to, at(old.line, ta), true);
  if (!tail && !span.clean) return undefined; // e.g. an unterminated comment or raw string: it may reach further
  const s = span.ts;
  const nonAscii = s.nonAscii || old.nonAscii;
  if (!s.nonAscii && old.nonAscii && hasNonAscii(src, a, oldB)) return undefined; // the old flag may have come from the replaced text

  const spanCount = tail ? s.count : s.count - 1; // without its EOF token at `to`, unless it ends the file
  const after = tail ? 0 : old.count - tb;
  const count = ta + spanCount + after;
  const firstLine = at(old.line, ta);
  // the line `to` is on, in the new text (the span's EOF token sits at `to`)
  const newLineB = at(s.line, s.count - 1);
  const dLines = tail ? 0 : newLineB - at(old.line, tb);
  const g: Geometry = { oldCount: old.count, count, ta, spanCount, tb, tail };
  // A column the edit left as it was (e.g. typing in a comment: the same tokens at the same indexes, on the same
  // lines and columns) is the old stream's own array: token arrays are never written after lexing.
  const kind = column(old.kind, s.kind, g, 0, (n) => new Uint8Array(n));
  const start = column(old.start, s.start, g, delta, (n) => new Uint32Array(n));
  const end = column(old.end, s.end, g, delta, (n) => new Uint32Array(n));
  const line = column(old.line, s.line, g, dLines, (n) => new Uint32Array(n));
  const col = column(old.col, s.col, g, 0, (n) => new Uint32Array(n));
  const flags = column(old.flags, s.flags, g, 0, (n) => new Uint8Array(n));

  // Line starts: the lines before the span's first, the span's (its last is the line of `to`), then the rest moved.
  const keepLines = firstLine - 1;
  const restFrom = tail ? old.lineCount : at(old.line, tb); // index of the line after oldB's line
  const lineCount = keepLines + s.lineCount + (old.lineCount - restFrom);
  const lineStarts = new Uint32Array(lineCount);
  lineStarts.set(old.lineStarts.subarray(0, keepLines));
  lineStarts.set(s.lineStarts, keepLines);
  if (restFrom < old.lineCount) shiftInto(lineStarts, old.lineStarts.subarray(0, old.lineCount), restFrom, keepLines + s.lineCount, delta);

  const lastOldLine = tail ? Infinity : at(old.line, tb);
  const goDirectives = [
    ...old.goDirectives.filter((d) => d.line < firstLine),
    ...s.goDirectives,
    ...old.goDirectives.filter((d) => d.line >= lastOldLine).map((d) => ({ line: d.line + dLines, text: d.text })),
  ];
  const ts: TokenStream = {
    src: text,
    count,
    kind,
    start,
    end,
    line,
    col,
    flags,
    lineStarts,
    lineCount,
    lineDirectives: [],
    goDirectives,
    goBuild: old.goBuild,
    plusBuild: old.plusBuild,
    nonAscii,
  };
  return { ts, splice: { keep: ta, oldFrom: tail ? old.count : tb, shift: tail ? count - old.count : ta + spanCount - tb } };
}

/** Where a splice puts tokens: old [0, ta) kept, the span's [0, spanCount) at ta, old [tb, oldCount) after them (unless tail). */
interface Geometry {
  oldCount: number;
  count: number;
  ta: number;
  spanCount: number;
  tb: number;
  tail: boolean;
}

/**
 * One token column of the spliced stream: the old array itself when the token count is the same, nothing after the
 * span moves (`d` 0) and the span's values equal the old ones at the same indexes; else a new array.
 */
function column<T extends Uint8Array | Uint32Array>(old: T, span: T, g: Geometry, d: number, make: (n: number) => T): T {
  if (g.count === g.oldCount && old.length === g.count && d === 0 && sameAt(old, span, g.ta, g.spanCount)) return old;
  const out = make(g.count);
  out.set(old.subarray(0, g.ta));
  out.set(span.subarray(0, g.spanCount), g.ta);
  if (g.tail) return out;
  if (d === 0) out.set(old.subarray(g.tb), g.ta + g.spanCount);
  else if (out instanceof Uint32Array && old instanceof Uint32Array) shiftInto(out, old, g.tb, g.ta + g.spanCount, d);
  else throw new RangeError('a byte column of the token stream cannot move'); // kind and flags are never moved
  return out;
}

/** Whether old[at + i] === span[i] for i in [0, n). */
function sameAt(old: Uint8Array | Uint32Array, span: Uint8Array | Uint32Array, at: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (old[at + i] !== span[i]) return false;
  return true;
}

/** dst[o…] = src[from…] + d: a native copy, then one small loop (kept apart so that it is optimised early). */
function shiftInto(dst: Uint32Array, src: Uint32Array, from: number, o: number, d: number): void {
  dst.set(src.subarray(from), o);
  if (d === 0) return;
  for (let i = o; i < dst.length; i++) dst[i] = (dst[i] as number) + d;
}

function at(table: Uint32Array, i: number): number {
  const v = table[i];
  if (v === undefined) throw new RangeError(`index ${i} outside the token stream`);
  return v;
}

/** The start of token t's line. */
function lineOf(ts: TokenStream, t: number): number {
  return at(ts.lineStarts, at(ts.line, t) - 1);
}

/**
 * Whether lexing may restart at the start of token t's line: t is a real token (not an inserted
 * semicolon, not EOF), the first on its line, the token before it ends before the line starts (no
 * raw string runs into the line) and no block comment lies between them (none runs into it).
 */
function restartsLine(ts: TokenStream, t: number): boolean {
  const f = ts.flags[t] as number;
  if ((f & TOKEN_FLAG_LINE_START) === 0 || (f & TOKEN_FLAG_AUTO_SEMI) !== 0 || ts.kind[t] === Tok.EOF || t === 0) return false;
  const gap = at(ts.end, t - 1);
  if (gap > lineOf(ts, t)) return false;
  const src = ts.src;
  for (let i = gap, e = at(ts.start, t) - 1; i < e; i++) if (src.charCodeAt(i) === 47 /* / */ && src.charCodeAt(i + 1) === 42 /* * */) return false;
  return true;
}

/** The first token starting at or after `offset` (ts.count when none). */
function firstTokenFrom(ts: TokenStream, offset: number): number {
  let lo = 0;
  let hi = ts.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ts.start[mid] as number) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last token starting at or before `offset` whose line lexing may restart at; -1 when none. */
function restartBefore(ts: TokenStream, offset: number): number {
  for (let t = firstTokenFrom(ts, offset + 1) - 1; t >= 0; t--) if (restartsLine(ts, t)) return t;
  return -1;
}

/** The first token at index `t` or later whose line lexing may restart at and starts at or after `min`; -1 when none. */
function restartFrom(ts: TokenStream, t: number, min: number): number {
  for (let i = t; i < ts.count; i++) if (restartsLine(ts, i) && lineOf(ts, i) >= min) return i;
  return -1;
}

function hasNonAscii(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) >= 0x80) return true;
  return false;
}
