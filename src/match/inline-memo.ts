/**
 * The inline candidates of each hot edge, kept between the matches of one binary (issue #14: every
 * match classified every hot site again). A hot edge's candidates are a function of the edge, its
 * caller's declaration (entry and package objects: its calls, file and lines), the profile, the hot
 * set and the root, and of two things read per candidate: how the call dispatches there (a direct
 * call, a devirtualization of this match) and the callee's cost estimate. The last match's attempts
 * are kept per edge; the next match replays them in the same order (the same dedupe keys, the same
 * cost queries: the cost model is order-dependent, cost-replay.ts) and reuses a candidate only when
 * the dispatch and the estimate it reads now are those it was made from. Pure data.
 */
import type { HotSet, NamedEdge, PgoProfile } from '../pgo/model';
import type { FuncEntry } from '../source/index';
import { twinToken } from './twins';
import type { CostEstimate } from './inlinable';
import type { InlineCandidate } from './match';

/** How the call at a hot site reaches the callee (hot-sites.ts). */
export type SiteCall = 'direct' | 'devirtualized' | 'devirtualized-possibly' | 'none';

/** One candidate a hot edge tried to add: its dedupe key, what it reads, and what it made last. */
export interface Attempt {
  /** `file:line:callee:caller` (a candidate is listed once). */
  key: string;
  /** The devirtualization it looks up (`caller\0offset\0callee`). */
  devirtKey: string;
  callee: string;
  weight: number;
  line: number;
  /** A call at the site names the callee statically. */
  direct: boolean;
  /** What the candidate was made from, and the candidate (absent: not made yet). */
  call?: SiteCall;
  est?: CostEstimate | undefined;
  made?: InlineCandidate;
}

export interface EdgeRecord {
  entry: FuncEntry;
  pkg: object;
  attempts: Attempt[];
}

export class InlineMemo {
  private byEdge = new WeakMap<NamedEdge, EdgeRecord>();
  private basis: readonly [PgoProfile, HotSet, string] | undefined;
  /** Candidates reused and hot edges replayed, over its life (tests read this). */
  readonly counts = { reused: 0, replayed: 0, shifted: 0 };

  /** Starts a match: forgets everything when the profile, the hot set or the root changed. */
  sync(profile: PgoProfile, hot: HotSet, root: string): void {
    const b = this.basis;
    if (!b || b[0] !== profile || b[1] !== hot || b[2] !== root) this.byEdge = new WeakMap();
    this.basis = [profile, hot, root];
  }

  /**
   * The edge's record when its caller resolves to the same declaration as when it was made, or to a
   * moved copy of it (twins.ts): then the record with every line moved as the declaration did (a moved
   * copy's candidates differ only there, in their lines and dedupe keys).
   */
  get(edge: NamedEdge, entry: FuncEntry, pkg: object, fileOf: () => string): EdgeRecord | undefined {
    const r = this.byEdge.get(edge);
    if (!r || r.pkg !== pkg) return undefined;
    if (r.entry === entry) return r;
    if (twinToken(r.entry) !== twinToken(entry)) return undefined;
    const d = entry.physicalStartLine - r.entry.physicalStartLine;
    const file = fileOf();
    const moved: EdgeRecord = {
      entry,
      pkg,
      attempts: r.attempts.map((a) => {
        const line = a.line + d;
        const b: Attempt = { ...a, key: `${file}:${line}:${a.callee}:${edge.caller}`, line };
        if (a.made) b.made = { ...a.made, line };
        return b;
      }),
    };
    this.byEdge.set(edge, moved);
    this.counts.shifted++;
    return moved;
  }

  set(edge: NamedEdge, r: EdgeRecord): void {
    this.byEdge.set(edge, r);
  }
}

/** Whether an attempt's kept candidate still holds for the dispatch and estimate read now. */
export function keptHolds(a: Attempt, call: SiteCall, est: CostEstimate | undefined): boolean {
  if (!a.made || a.call !== call) return false;
  const e = a.est;
  if (e === est) return true;
  if (!e || !est) return false;
  return e.cost === est.cost && e.low === est.low && e.high === est.high && e.refusal === est.refusal;
}
