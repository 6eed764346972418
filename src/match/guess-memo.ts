/**
 * The last rename/move guess of a binary (refactor.ts `classifyUnmatched`) kept whole, and handed
 * back when nothing it reads can have changed: the same profile and missing symbols, the same
 * declaration groups in the same order, each declaration the same object or one that only moved
 * (`sameShape`: everything the scores read but the start line) by an amount that gives it the same
 * line part of the position score for every missing symbol's profile start line, or a declaration a
 * profile name claims (claimed ones never score as candidates) edited in any way while no profile
 * caller of a missing symbol resolves to it (the only way its body is read), and every profile name
 * resolving to the same declaration (or its counterpart at the same position). A new line in a
 * hot function then costs a walk of the edited packages' declarations instead of scoring every
 * missing symbol again. The guesses are names and numbers, never declarations, so they hold as they are.
 */
import type { PgoProfile } from '../pgo/model';
import type { FuncEntry } from '../source/index';
import type { RefactorClass, RefactorGroup } from './refactor';
import { sameShape } from './refactor-cache';

/** What one guess read (besides what the profile fixes). */
export interface GuessInput {
  profile: Pick<PgoProfile, 'edges' | 'heat'>;
  /** The missing symbols asked about, in order. */
  unmatched: readonly string[];
  /** The declaration each profile name resolves to (`ProfileShape.names` order). */
  resolved: readonly (FuncEntry | undefined)[];
  groups: readonly RefactorGroup[];
  /** Does a profile name resolve to the declaration (then it never scores as a candidate)? */
  claimed: (e: FuncEntry) => boolean;
  /** The declarations the profile callers of the missing symbols resolve to (their calls are evidence). */
  callers: () => ReadonlySet<FuncEntry>;
}

interface Kept extends GuessInput {
  result: ReadonlyMap<string, RefactorClass>;
}

/** The line part of the position score by distance: 2 within 2 lines, 1 within 20, else 0 (refactor.ts `lineScore`). */
const band = (d: number): number => (d <= 2 ? 2 : d <= 20 ? 1 : 0);
const FAR = 20;

export class GuessMemo {
  private last: Kept | undefined;
  /** Guesses handed back whole, those of them over moved declarations and over edited claimed ones, and the ones refused for a line part that changed (tests check both paths). */
  readonly counts = { hits: 0, moved: 0, edited: 0, band: 0 };

  /** The kept guess when it holds for `now` (a fresh map each time: the caller may add to it), else undefined. */
  get(now: GuessInput): Map<string, RefactorClass> | undefined {
    const was = this.last;
    if (!was || was.profile.edges !== now.profile.edges || was.profile.heat !== now.profile.heat) return undefined;
    if (!sameList(was.unmatched, now.unmatched) || was.groups.length !== now.groups.length) return undefined;
    /** Entries now that are other objects than the ones at their position then: the one then. */
    const moved = new Map<FuncEntry, FuncEntry>();
    let edited = false;
    let lines: Float64Array | undefined;
    const sameBand = (a: number, b: number): boolean => {
      lines ??= startLines(now);
      // outside [min − FAR, max + FAR] both distances are over FAR
      for (let i = lowerBound(lines, Math.min(a, b) - FAR); i < lines.length && lines[i]! <= Math.max(a, b) + FAR; i++)
        if (band(Math.abs(lines[i]! - a)) !== band(Math.abs(lines[i]! - b))) return false;
      return true;
    };
    for (let g = 0; g < now.groups.length; g++) {
      const a = was.groups[g]!;
      const b = now.groups[g]!;
      if (a === b) continue;
      if (a.parts.length !== b.parts.length) return undefined;
      for (let p = 0; p < a.parts.length; p++) {
        const x = a.parts[p]!;
        const y = b.parts[p]!;
        if (x === y) continue;
        if (x.length !== y.length) return undefined;
        for (let i = 0; i < x.length; i++) {
          const u = x[i]!;
          const v = y[i]!;
          if (u.symbol !== v.symbol) return undefined;
          if (u.entry === v.entry) continue;
          if (!sameShape(u.entry, v.entry)) {
            // a claimed declaration is read only as a caller's calls: edited, it changes nothing else
            if (!now.claimed(v.entry) || now.callers().has(v.entry)) return undefined;
            edited = true;
          } else if (!sameBand(u.entry.startLine, v.entry.startLine) && !now.claimed(v.entry)) {
            this.counts.band++;
            return undefined;
          }
          moved.set(v.entry, u.entry);
        }
      }
    }
    if (was.resolved.length !== now.resolved.length) return undefined;
    for (let i = 0; i < now.resolved.length; i++) {
      const r = now.resolved[i];
      if ((r && (moved.get(r) ?? r)) !== was.resolved[i]) return undefined;
    }
    // the groups now stand for the ones then: the next edit compares with these
    this.last = { ...now, result: was.result };
    this.counts.hits++;
    if (moved.size) this.counts.moved++;
    if (edited) this.counts.edited++;
    return new Map(was.result);
  }

  set(now: GuessInput, result: ReadonlyMap<string, RefactorClass>): void {
    this.last = { ...now, result: new Map(result) };
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The profile start lines of the missing symbols (those the profile has one for), sorted. */
function startLines(now: GuessInput): Float64Array {
  const heat = now.profile.heat;
  const out: number[] = [];
  for (const sym of now.unmatched) {
    const row = heat.find(sym);
    const line = row < 0 ? 0 : (heat.startLine[row] ?? 0);
    if (line > 0) out.push(line);
  }
  return Float64Array.from(out).sort();
}

/** The first index whose value is ≥ x. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m]! < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}
