/**
 * Where did a function's profiled call sites go? Given a declaration and the profile edges of the
 * function it was (the same symbol, or the old name of a renamed/moved one), map each edge's
 * old offset to an offset of the declaration now:
 * - with source history (history.ts), every unchanged line maps exactly;
 * - an edge with strong evidence (a call naming the callee, an interface call of that method, a
 *   builtin that lowers to it, a deferred callee at the closing brace; landing.ts) goes where that
 *   call is: when there is one such place it anchors; with several, the one agreeing with the
 *   anchors around it, else the shift most such edges agree on, else where it is, else the nearest;
 * - an edge with weak evidence (function-value call, runtime callee of an operator) moves with
 *   its strong neighbours (the shift of the anchors around it) when it lands there, stays when it
 *   lands where it is; without anchors it takes the nearest line within 3 where it lands
 *   (`guessed`), and a function-value edge the nearest function-value call;
 * - offset 0 is the `func` line: it stays 0.
 * Edges that find no place are `unpaired`: the call was removed or changed, which no re-alignment
 * fixes. Pure data.
 */
import type { NamedEdge } from '../pgo/model';
import type { FuncEntry } from '../source/index';
import type { OffsetMapper } from './history';
import { twinToken } from './twins';
import { builtinsFor, callLanding, deferredCallee, endOffset, isCodeOffset, isLoweredCallee, landing } from './landing';

/** How the profile's line offsets of a function map to the source: old offset → new offset. */
export interface LineShift {
  from: number;
  to: number;
}

/** One profile edge that moved: old offset → offset now. */
export interface MovedEdge {
  callee: string;
  from: number;
  to: number;
  weight: number;
}

export interface Alignment {
  /** old → new offsets of every anchored line (offset 0 first), sorted by `from`. */
  lineMap: LineShift[];
  /** Edges (of `edges`) whose offset changed, with their new offset. */
  moved: Map<NamedEdge, number>;
  /** Edges that do not land and found no place. */
  unpaired: Set<NamedEdge>;
  /** Every moved edge was placed by source history. */
  byHistory: boolean;
  /** Some edge was placed only by proximity (no anchor, no call naming its callee): lower confidence. */
  guessed: boolean;
}

/**
 * Alignments kept between the matches of one binary (issue #14: a new line re-aligns only the
 * declarations it changed). Without a history mapper `alignFunction` is a function of the entry
 * (index entries are never changed in place: a moved declaration is a new object), the edge objects
 * and what `calleeNow` says for their callees; one alignment is kept per entry, for those inputs.
 */
export class AlignMemo {
  /** By twin token (twins.ts): the alignment reads the entry only relative to its start, so its moved copies share it. */
  private readonly byEntry = new WeakMap<object, { key: string; edges: readonly NamedEdge[]; al: Alignment }>();

  align(entry: FuncEntry, edges: readonly NamedEdge[], calleeNow: (c: string) => string): Alignment {
    const key = edges.map((e) => calleeNow(e.callee)).join('\x00');
    const token = twinToken(entry);
    const kept = this.byEntry.get(token);
    if (kept && kept.key === key && kept.edges.length === edges.length && kept.edges.every((e, i) => e === edges[i])) return kept.al;
    const al = alignFunction(entry, edges, undefined, calleeNow);
    this.byEntry.set(token, { key, edges: [...edges], al });
    return al;
  }
}

/**
 * Aligns `edges` (the profile's out-edges of one function, any weight) with `entry`. `calleeNow`
 * maps an edge's callee to the symbol to look for in the source (renamed callees, self-recursion).
 */
export function alignFunction(entry: FuncEntry, edges: readonly NamedEdge[], mapper?: OffsetMapper, calleeNow: (c: string) => string = (c) => c): Alignment {
  const votes = new Map<number, Map<number, number>>();
  const vote = (from: number, to: number, w: number): void => {
    const m = votes.get(from) ?? votes.set(from, new Map()).get(from)!;
    m.set(to, (m.get(to) ?? 0) + w);
  };
  const placed = new Map<NamedEdge, number>();
  const unpaired = new Set<NamedEdge>();
  let historyAll = true;
  let guessed = false;
  const weakLeft: NamedEdge[] = [];
  // 1. history, then strong evidence: calls that name the callee. An edge whose callee is called
  // at one place only anchors first; edges with several candidates take the one that agrees with
  // the anchors around them (else where they are, else the nearest).
  const multi: Array<{ e: NamedEdge; cands: number[] }> = [];
  for (const e of edges) {
    const callee = calleeNow(e.callee);
    const mapped = mapper ? mapper(e.offset) : null;
    if (mapped !== null) {
      placed.set(e, mapped);
      vote(e.offset, mapped, e.weight + 1);
      continue;
    }
    const cands = strongCandidates(entry, callee);
    if (cands.length === 1) {
      placed.set(e, cands[0]!);
      vote(e.offset, cands[0]!, e.weight + 1);
      if (cands[0] !== e.offset) historyAll = false;
    } else if (cands.length > 1) multi.push({ e, cands });
    else weakLeft.push(e);
  }
  const firstAnchors = [...votes].map(([from, m]) => ({ from, to: best(m) })).sort((a, b) => a.from - b.from);
  // Without anchors around, the shift most of these edges agree on (no change first, then the smallest, downward first).
  const shiftW = new Map<number, number>();
  for (const { e, cands } of multi) for (const c of cands) shiftW.set(c - e.offset, (shiftW.get(c - e.offset) ?? 0) + e.weight + 1);
  const consensus = [...shiftW].sort((a, b) => b[1] - a[1] || (a[0] === 0 ? -1 : b[0] === 0 ? 1 : Math.abs(a[0]) - Math.abs(b[0]) || b[0] - a[0]))[0]?.[0];
  for (const { e, cands } of multi) {
    let to: number | undefined;
    for (const sh of neighbourShifts(firstAnchors, e.offset))
      if (cands.includes(e.offset + sh)) {
        to = e.offset + sh;
        break;
      }
    if (to === undefined && firstAnchors.length === 0 && consensus !== undefined && cands.includes(e.offset + consensus)) to = e.offset + consensus;
    if (to === undefined) to = cands.includes(e.offset) ? e.offset : [...cands].sort((a, b) => Math.abs(a - e.offset) - Math.abs(b - e.offset) || b - a)[0]!;
    placed.set(e, to);
    vote(e.offset, to, e.weight + 1);
    if (to !== e.offset) historyAll = false;
  }
  // 2. weak evidence follows the anchors around it
  const anchors = [...votes].map(([from, m]) => ({ from, to: best(m) })).sort((a, b) => a.from - b.from);
  for (const e of weakLeft) {
    const callee = calleeNow(e.callee);
    const here = landing(entry, e.offset, callee);
    let to: number | undefined;
    for (const s of neighbourShifts(anchors, e.offset)) {
      if (landing(entry, e.offset + s, callee)) {
        to = e.offset + s;
        break;
      }
    }
    if (to === undefined && here) to = e.offset;
    if (to === undefined && anchors.length === 0) {
      // nothing to follow: the nearest line (within 3, downward first) where the call can be
      for (const sh of [1, -1, 2, -2, 3, -3]) {
        if (landing(entry, e.offset + sh, callee)) {
          to = e.offset + sh;
          guessed = true;
          break;
        }
      }
    }
    if (to === undefined && !isLoweredCallee(callee)) {
      const alts = entry.calls.filter((c) => !c.wrapper && c.offset !== e.offset && callLanding(c, callee) === 'weak' && isCodeOffset(entry, c.offset));
      alts.sort((a, b) => Math.abs(a.offset - e.offset) - Math.abs(b.offset - e.offset) || a.offset - b.offset);
      if (alts.length) to = alts[0]!.offset;
    }
    if (to === undefined) {
      unpaired.add(e);
      continue;
    }
    placed.set(e, to);
    vote(e.offset, to, e.weight + 1);
    if (to !== e.offset) historyAll = false;
  }
  // 3. the line map: every voted offset, every line history vouches for, and the `func` line
  if (mapper) {
    const span = Math.max(endOffset(entry), ...edges.map((e) => e.offset));
    for (let off = 0; off <= span; off++) {
      if (votes.has(off)) continue;
      const to = mapper(off);
      if (to !== null) vote(off, to, 0);
    }
  }
  votes.set(0, new Map([[0, 1]]));
  const lineMap: LineShift[] = [...votes].map(([from, m]) => ({ from, to: best(m) })).sort((a, b) => a.from - b.from);
  const moved = new Map<NamedEdge, number>();
  for (const [e, to] of placed) if (to !== e.offset) moved.set(e, to);
  return { lineMap, moved, unpaired, byHistory: historyAll && moved.size > 0, guessed };
}

function best(m: Map<number, number>): number {
  return [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
}

/**
 * Offsets where a call names `callee`: static calls, interface calls of that method, builtins that
 * lower to it; a deferred callee runs at the closing brace (unless it is also called directly).
 */
function strongCandidates(entry: FuncEntry, callee: string): number[] {
  const builtins = builtinsFor(callee);
  const out = new Set<number>();
  for (const c of entry.calls) {
    if (c.wrapper || c.goDefer || callLanding(c, callee) !== 'strong') continue;
    if (builtins.length && c.kind !== 'builtin') continue;
    out.add(c.offset);
  }
  if (deferredCallee(entry, callee)) out.add(endOffset(entry));
  return [...out].sort((a, b) => a - b);
}

/** Shifts of the anchors just above and below `offset` (the agreeing one first, then nearest first). */
function neighbourShifts(anchors: readonly LineShift[], offset: number): number[] {
  let above: LineShift | undefined;
  let below: LineShift | undefined;
  for (const a of anchors) {
    if (a.from <= offset) above = a;
    else if (!below) below = a;
  }
  const out: number[] = [];
  const add = (a: LineShift | undefined): void => {
    if (a && !out.includes(a.to - a.from)) out.push(a.to - a.from);
  };
  if (above && below && offset - above.from > below.from - offset) {
    add(below);
    add(above);
  } else {
    add(above);
    add(below);
  }
  return out;
}

/**
 * Maps a profile line offset of a re-aligned function to the source: anchors map exactly; other
 * lines take the shift of the next anchor below them (lines just above a call move with it), or
 * of the last anchor when they are below every anchor.
 */
export function mapOffset(lineMap: LineShift[], offset: number): number {
  if (lineMap.length === 0) return offset;
  for (const a of lineMap) if (a.from >= offset) return offset + (a.to - a.from);
  const last = lineMap[lineMap.length - 1]!;
  return offset + (last.to - last.from);
}
