/**
 * Stack frames: the frame size of every function compiled with `-S` (its STEXT line's
 * `locals=0x…`, the same number as the `$frame` of `TEXT sym(SB), $frame-args`) in both
 * builds, and the `-m` "inlining call to" lines that only the profile build has. A hot function
 * whose frame grows by at least the threshold is flagged with the callees PGO inlined into it
 * (biggest own frame first, from the build where it is larger; they are still functions there).
 */
import * as path from 'node:path';
import { sameFunction } from '../compiler/decisions';
import { splitSymbol } from '../source/names';

export interface FrameInfo {
  /** Locals (frame) size in bytes. */
  frame: number;
  args: number;
}

export interface InlineSite {
  /** Absolute file, 1-based line and column of the call. */
  file: string;
  line: number;
  col: number;
  callee: string;
}

export interface FunctionRange {
  symbol: string;
  /** Absolute file. */
  file: string;
  line: number;
  endLine: number;
}

export interface FrameGrowth {
  symbol: string;
  file: string;
  line: number;
  off: number;
  pgo: number;
  /** Hot in the profile (a caller or callee of a hot call site). */
  hot: boolean;
  flagged: boolean;
  /** Callees inlined only with the profile, in this function; their own frame when known (-pgo=off build). */
  inlined: Array<InlineSite & { frame: number | null }>;
}

const STEXT = /^(\S+) STEXT\b.*?\bargs=(0x[0-9a-f]+) locals=(0x[0-9a-f]+)/;
const INLINE = /^(.+?):(\d+):(\d+): inlining call to (\S+)/;

/** Frame sizes from `-S` output (the first STEXT line of a symbol wins: generic instantiations may repeat). */
export function parseFrames(text: string): Map<string, FrameInfo> {
  const out = new Map<string, FrameInfo>();
  for (const line of text.split('\n')) {
    const m = STEXT.exec(line);
    if (m && !out.has(m[1]!)) out.set(m[1]!, { args: parseInt(m[2]!, 16), frame: parseInt(m[3]!, 16) });
  }
  return out;
}

/** `-m` "inlining call to" lines, with files resolved against the directory go ran in. */
export function parseInlines(text: string, cwd: string): InlineSite[] {
  const out: InlineSite[] = [];
  for (const line of text.split('\n')) {
    const m = INLINE.exec(line);
    if (m && !m[1]!.startsWith('<')) out.push({ file: path.resolve(cwd, m[1]!), line: Number(m[2]), col: Number(m[3]), callee: m[4]! });
  }
  return out;
}

const siteKey = (s: InlineSite): string => `${s.file}:${s.line}:${s.col}:${s.callee}`;

/** Sites inlined in the profile build more often than in the -pgo=off build. */
export function pgoOnlyInlines(off: InlineSite[], pgo: InlineSite[]): InlineSite[] {
  const count = new Map<string, number>();
  for (const s of off) count.set(siteKey(s), (count.get(siteKey(s)) ?? 0) + 1);
  const out: InlineSite[] = [];
  const seen = new Set<string>();
  for (const s of pgo) {
    const k = siteKey(s);
    const n = count.get(k) ?? 0;
    if (n > 0) count.set(k, n - 1);
    else if (!seen.has(k)) {
      seen.add(k);
      out.push(s);
    }
  }
  return out;
}

/** The frame of the function `-m` printed as `printed`, preferring one in the caller's package (an unqualified name is local). */
function frameOf(frames: Map<string, FrameInfo>, printed: string, caller: string): number | null {
  const pkg = splitSymbol(caller).prefix;
  let found: number | null = null;
  for (const [sym, f] of frames) {
    if (!sameFunction(printed, sym)) continue;
    if (splitSymbol(sym).prefix === pkg) return f.frame;
    found ??= f.frame;
  }
  return found;
}

export function frameGrowth(
  off: Map<string, FrameInfo>,
  pgo: Map<string, FrameInfo>,
  inlines: InlineSite[],
  ranges: FunctionRange[],
  hot: Set<string>,
  thresholdBytes: number,
  calleeFrames: Map<string, FrameInfo> = off,
): FrameGrowth[] {
  const out: FrameGrowth[] = [];
  for (const [symbol, p] of pgo) {
    const o = off.get(symbol);
    if (!o || p.frame <= o.frame) continue;
    const r = ranges.find((x) => x.symbol === symbol);
    const inside = r ? inlines.filter((s) => s.file === r.file && s.line >= r.line && s.line <= r.endLine) : [];
    const inlined = inside.map((s) => ({ ...s, frame: frameOf(calleeFrames, s.callee, symbol) })).sort((a, b) => (b.frame ?? -1) - (a.frame ?? -1));
    const isHot = hot.has(symbol);
    out.push({
      symbol,
      file: r?.file ?? '',
      line: r?.line ?? 0,
      off: o.frame,
      pgo: p.frame,
      hot: isHot,
      flagged: isHot && p.frame - o.frame >= thresholdBytes,
      inlined,
    });
  }
  return out.sort((a, b) => b.pgo - b.off - (a.pgo - a.off) || (a.symbol < b.symbol ? -1 : 1));
}
