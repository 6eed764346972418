/**
 * The devirtualizations of each profiled caller, kept between the matches of one binary (issue #14:
 * every match looked at every call of every profiled function again). A caller's devirtualizations
 * are a function of its declaration (entry and package objects), the profile, the root, the main
 * package and the universe, and of what each call site's decision asks about its candidate callees:
 * whether the compilation has their IR, their signatures, whether their bodies are available (a cost
 * query: order-dependent, cost-replay.ts) and whether they implement the call's interface. Those
 * questions and their answers are logged in the order they were asked; the next match asks them
 * again in that order and reuses the site's decision while every answer is the same (a decision
 * computed from the same answers asks the same next question, so the cost queries come in the same
 * order as in a fresh match). Pure data.
 */
import type { PgoProfile } from '../pgo/model';
import type { FuncEntry } from '../source/index';
import { twinToken } from './twins';

/** One question a site's decision asked: which (`ir`, `signature`, `body`, `implements`), about which callee, and the answer. */
export interface Asked {
  q: 0 | 1 | 2 | 3;
  callee: string;
  answer: unknown;
}

/** A call site whose decision was computed: the call's index in the entry's calls, the questions, the result. */
export interface KeptSite<D> {
  call: number;
  asked: Asked[];
  /** The devirtualization and its `devirtAt` key and certainty; absent: none. */
  out?: { d: D; key: string; certain: boolean };
}

export interface CallerRecord<D> {
  entry: FuncEntry;
  pkg: object;
  sites: KeptSite<D>[];
}

export class DevirtMemo<D extends { line: number }> {
  private byCaller = new Map<string, CallerRecord<D>>();
  private basis: readonly unknown[] = [];
  /** Sites whose decision was reused and callers replayed, over its life (tests read this). */
  readonly counts = { reused: 0, replayed: 0, shifted: 0 };

  /** Starts a match: forgets everything when the profile, the root, the main package or the universe changed. */
  sync(profile: PgoProfile, root: string, main: unknown, universe: unknown): void {
    const b = [profile, root, main, universe];
    if (b.some((x, i) => x !== this.basis[i])) this.byCaller = new Map();
    this.basis = b;
  }

  /**
   * The caller's record when its name resolves to the same declaration as when it was made, or to a
   * moved copy of it (twins.ts): then with each devirtualization's line moved as the declaration did
   * (the same calls in the same order, the same questions; only the lines differ).
   */
  get(caller: string, entry: FuncEntry, pkg: object): CallerRecord<D> | undefined {
    const r = this.byCaller.get(caller);
    if (!r || r.pkg !== pkg) return undefined;
    if (r.entry === entry) return r;
    if (twinToken(r.entry) !== twinToken(entry)) return undefined;
    const d = entry.physicalStartLine - r.entry.physicalStartLine;
    const moved: CallerRecord<D> = {
      entry,
      pkg,
      sites: r.sites.map((site) => (site.out ? { ...site, out: { ...site.out, d: { ...site.out.d, line: site.out.d.line + d } } } : { ...site })),
    };
    this.byCaller.set(caller, moved);
    this.counts.shifted++;
    return moved;
  }

  set(caller: string, r: CallerRecord<D>): void {
    this.byCaller.set(caller, r);
  }
}

/** Whether two answers are the same (plain data: booleans, strings, undefined, `{ has, why }`). */
export function sameAnswer(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const x = a as { has?: unknown; why?: unknown };
  const y = b as { has?: unknown; why?: unknown };
  return x.has === y.has && x.why === y.why && Object.keys(x).length === Object.keys(y).length;
}
