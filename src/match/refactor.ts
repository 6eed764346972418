/**
 * Refactor impact: why a profile function of the workspace no longer matches the source, and
 * what it is called now. Pure data in, pure data out (no file system), so it runs on in-memory
 * indexes in unit tests.
 *
 * - `renamed` / `moved`: a declaration (in the same / another package) that no profile function
 *   resolves to, and that looks like the missing one: callers that still exist now call it at
 *   the offsets where the profile had the old symbol, its call sites land on the profile's
 *   out-edges of the old symbol (same offsets, same callees), similar name, file and start line.
 * - `removed`: nothing plausible.
 * - `offset-drift`: the symbol still resolves, but some of the profile's hot call-site offsets no
 *   longer land on a call to the same callee, while one exists at another offset of the function
 *   (lines were inserted or removed inside the function, above the call); see align.ts.
 *   Lines inserted *above* a function never drift: offsets are relative to its start line.
 * - `changed`: the symbol resolves, but hot call sites land nowhere (the call was removed or
 *   rewritten, or the name now denotes another closure): no re-alignment restores them.
 * Renamed and moved functions can have drifted too: their entry then carries a `lineMap`.
 */
import { type NamedEdge, type PgoProfile } from '../pgo/model';
import { type CallSite, type FuncEntry, genericKey, splitSymbol } from '../source/index';
import type { LineShift } from './align';
import { callLanding, isLoweredCallee, landing } from './landing';
import type { GuessMemo } from './guess-memo';
import { type GroupBest, type Predecessor, type RefactorCache } from './refactor-cache';

export { type LineShift, mapOffset } from './align';

export type UnmatchedKind = 'renamed' | 'moved' | 'removed' | 'offset-drift' | 'changed';

export interface RefactorClass {
  kind: UnmatchedKind;
  /** The declaration's linker symbol now (renamed / moved). */
  suggestion?: string;
  /** 0..1: how sure the classification is. */
  confidence?: number;
  /** offset-drift (and renamed/moved with drift): the most common shift of the moved edges, in lines (new − old). */
  shift?: number;
  /** offset-drift (and renamed/moved with drift): old → new offsets of the anchored lines, sorted by `from`. */
  lineMap?: LineShift[];
  /** Where the line map comes from: the file's git history, or pairing calls by callee. */
  basis?: 'git' | 'calls';
}

export interface RefactorEntry {
  symbol: string;
  entry: FuncEntry;
}

export interface RefactorInput {
  profile: Pick<PgoProfile, 'edges' | 'heat'>;
  /** Every declaration the binary can see (its main package and the non-main packages). */
  entries: RefactorEntry[];
  /** Resolves a profile name to its declaration (undefined when unmatched; copies excluded). */
  resolve(sym: string): FuncEntry | undefined;
  /**
   * `entries` grouped (per package `id`, in parts per file), in the same order. With `cache`, a
   * part's best candidates for a symbol are scored once and reused while the part, the symbol's
   * evidence and the claimed declarations are unchanged (refactor-cache.ts).
   */
  groups?: readonly RefactorGroup[];
  cache?: RefactorCache<ScoredCandidate>;
  /** With `groups`: the last guess kept whole, handed back while nothing it reads changed (guess-memo.ts). */
  whole?: GuessMemo;
  /** The last declaration of `entries` with a key (what a map of `entries` by key gives), where the caller keeps one. */
  entryByKey?: (key: string) => FuncEntry | undefined;
}

export interface RefactorGroup {
  /** Stable while the group's declarations are (the package index). */
  id: object;
  /** Its declaration keys (`genericKey` of each entry's symbol). */
  keys: readonly string[];
  parts: readonly (readonly RefactorEntry[])[];
}

const key = genericKey;
const lastName = (sym: string): string => {
  const n = splitSymbol(key(sym)).name;
  return n.slice(n.lastIndexOf('.') + 1);
};
const CLOSURE_TAIL = /^(.*?)((?:\.func\d+|\.\d+|-range\d+|\.gowrap\d+|\.deferwrap\d+)+)$/;

/**
 * How well the call at `offset` of `entry` (or, after drift, anywhere in it) fits `callee`:
 * 1 there, 0.6 elsewhere in the function, 0.3 a call kind that could (function value), 0; `named`
 * when a static call names the callee (an interface method name fits every type with that method).
 */
function siteScore(entry: FuncEntry, offset: number, callee: string): { score: number; named: boolean } {
  const named = (c: CallSite): boolean => !c.wrapper && !!c.calleeSymbol && key(c.calleeSymbol) === key(callee);
  const here = entry.calls.filter((c) => c.offset === offset);
  if (here.some(named)) return { score: 1, named: true };
  const l = landing(entry, offset, callee);
  if (l === 'strong') return { score: 1, named: false };
  if (entry.calls.some(named)) return { score: 0.6, named: true };
  if (entry.calls.some((c) => !c.wrapper && callLanding(c, callee) === 'strong')) return { score: 0.6, named: false };
  return { score: l === 'weak' ? 0.3 : 0, named: false };
}

/** What a function's calls can name at all, over every call (also wrappers): a necessary condition for `callLanding` 'strong'. */
interface CallSummary {
  /** `genericKey` of every static callee. */
  keys: Set<string>;
  /** Method names of the interface calls. */
  ifaceNames: Set<string>;
  /** Has a builtin or conversion call (strong only for a runtime callee, isLoweredCallee). */
  lowered: boolean;
  /** Offsets that have a call. */
  offsets: Set<number>;
}

const summaries = new WeakMap<FuncEntry, CallSummary>();
function callSummary(e: FuncEntry): CallSummary {
  let s = summaries.get(e);
  if (s) return s;
  s = { keys: new Set(), ifaceNames: new Set(), lowered: false, offsets: new Set() };
  for (const c of e.calls) {
    s.offsets.add(c.offset);
    if (c.calleeSymbol) s.keys.add(key(c.calleeSymbol));
    else if (c.kind === 'builtin' || c.kind === 'conversion') s.lowered = true;
    else if (c.dispatch === 'interface' && c.name !== undefined) s.ifaceNames.add(c.name);
  }
  summaries.set(e, s);
  return s;
}

/** Can some call of the summary land 'strong' on the callee (landing.ts callLanding)? False means none can. */
function mayLandStrong(s: CallSummary, calleeKey: string, calleeLast: string, calleeLowered: boolean): boolean {
  return s.keys.has(calleeKey) || s.ifaceNames.has(calleeLast) || (s.lowered && calleeLowered);
}

function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = new Int32Array(n + 1);
  let cur = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1));
    [prev, cur] = [cur, prev];
  }
  return prev[n]!;
}

/** 0..1 name similarity of the part after the package prefix (case-insensitive). */
export function nameSimilarity(a: string, b: string): number {
  const x = splitSymbol(key(a)).name.toLowerCase();
  const y = splitSymbol(key(b)).name.toLowerCase();
  if (x === y) return 1;
  const d = levenshtein(x, y);
  const s = 1 - d / Math.max(x.length, y.length);
  // Same method name on a renamed receiver type: still a strong hint.
  return lastName(a).toLowerCase() === lastName(b).toLowerCase() && x.includes('.') && y.includes('.') ? Math.max(s, 0.7) : Math.max(0, s);
}

const baseName = (f: string): string => f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);

/**
 * Classifies the unmatched symbols (renamed / moved / removed). Closures follow their enclosing
 * function: `F.func1` of a renamed `F` is suggested as `G.func1` when the source has it.
 */
export interface ScoredCandidate {
  e: RefactorEntry;
  score: number;
  /** Weight of the profile's in-edges whose callers now call this candidate by name. */
  namedIn: number;
}
type Scored = ScoredCandidate;

/** A candidate's score without the line part of its position (classifyUnmatched `freeOf`). */
interface Free {
  structural: number;
  nameScore: number;
  /** 0.5 when the file has the profile's file name, else 0 (the file part of the position score). */
  filePart: number;
  /** Another package and not the same name: the score counts 0.6. */
  scaled: boolean;
  namedIn: number;
}

/** What classifyUnmatched reads of a profile whatever the binary: every name it has, its edges by caller and by callee. */
interface ProfileShape {
  names: readonly string[];
  outEdges: ReadonlyMap<string, NamedEdge[]>;
  inEdges: ReadonlyMap<string, NamedEdge[]>;
}

/** One shape per profile (keyed by its edge list and heat table, which a loaded profile never changes): the report asks once per binary. */
const shapes = new WeakMap<readonly NamedEdge[], { heat: object; shape: ProfileShape }>();

function profileShape(profile: RefactorInput['profile']): ProfileShape {
  const hit = shapes.get(profile.edges);
  if (hit && hit.heat === profile.heat) return hit.shape;
  const names = new Set<string>();
  const outEdges = new Map<string, NamedEdge[]>();
  const inEdges = new Map<string, NamedEdge[]>();
  for (const e of profile.edges) {
    names.add(e.caller);
    names.add(e.callee);
    (outEdges.get(e.caller) ?? outEdges.set(e.caller, []).get(e.caller)!).push(e);
    (inEdges.get(e.callee) ?? inEdges.set(e.callee, []).get(e.callee)!).push(e);
  }
  for (const n of profile.heat.names) names.add(n);
  const shape: ProfileShape = { names: [...names], outEdges, inEdges };
  shapes.set(profile.edges, { heat: profile.heat, shape });
  return shape;
}

export function classifyUnmatched(inp: RefactorInput, unmatched: string[]): Map<string, RefactorClass> {
  const out = new Map<string, RefactorClass>();
  const { names, outEdges, inEdges } = profileShape(inp.profile);
  const resolved = names.map((n) => inp.resolve(n));
  let claimedNow: Set<FuncEntry> | undefined; // built on first use: kept guesses mostly do without
  const claimedSet = (): Set<FuncEntry> => {
    if (!claimedNow) {
      claimedNow = new Set();
      for (const r of resolved) if (r) claimedNow.add(r);
    }
    return claimedNow;
  };
  // a few questions scan the names' declarations (a new line asks about the edited declaration only), more build the set
  let asks = 0;
  const isClaimed = (e: FuncEntry): boolean => (claimedNow || ++asks > 8 ? claimedSet().has(e) : resolved.includes(e));
  let bySymMap: Map<string, FuncEntry> | undefined; // built on first use: most binaries of a report never ask
  const bySym = (k: string): FuncEntry | undefined =>
    inp.entryByKey ? inp.entryByKey(k) : (bySymMap ??= new Map(inp.entries.map((e) => [key(e.symbol), e.entry]))).get(k);
  const cache = inp.groups && inp.cache;
  let claimedSig = '';
  let callers: Set<FuncEntry> | undefined;
  const callersOfMissing = (): ReadonlySet<FuncEntry> => {
    if (!callers) {
      callers = new Set();
      for (const sym of unmatched)
        for (const e of inEdges.get(sym) ?? []) {
          const r = inp.resolve(e.caller);
          if (r) callers.add(r);
        }
    }
    return callers;
  };
  const asked =
    inp.whole && inp.groups
      ? { profile: inp.profile, unmatched: [...unmatched], resolved, groups: inp.groups, claimed: isClaimed, callers: callersOfMissing }
      : undefined;
  if (cache && inp.groups) cache.groups(new Map(inp.groups.map((g) => [g.id, g.keys])));
  // nothing the guesses read changed (a new line moved declarations, no score's line part changed): the last ones hold
  const kept = asked && inp.whole?.get(asked);
  if (kept) return kept;
  const claimed = claimedSet();
  if (cache) claimedSig = String(cache.claimedId([...claimed].map((e) => key(e.symbol))));
  const claimedSym = (s: string): boolean => {
    const d = bySym(key(s));
    return !!d && claimed.has(d);
  };
  const heat = inp.profile.heat;

  const closures: string[] = [];
  const plain: string[] = [];
  for (const sym of unmatched) (CLOSURE_TAIL.exec(splitSymbol(key(sym)).name) ? closures : plain).push(sym);
  const missing = new Set(unmatched);
  let cands: CandidateIndex | undefined; // built on first use (candidatesFor)
  // Pass 1 sees the callers and callees that resolve; later passes also the other missing ones
  // under their suggested names (a function renamed together with its caller or callee), until
  // the suggestions stop changing.
  let guess = new Map<string, RefactorClass>();
  let older = new Map<string, RefactorClass>();
  for (let pass = 0; pass < 4; pass++) {
    const prev = guess;
    const changed = (n: string): boolean => (pass === 1 ? !!prev.get(n)?.suggestion : prev.get(n)?.suggestion !== older.get(n)?.suggestion);
    guess = new Map();
    const resolveNow = (s: string): FuncEntry | undefined => {
      const suggestion = prev.get(s)?.suggestion;
      return inp.resolve(s) ?? (suggestion === undefined ? undefined : bySym(key(suggestion)));
    };
    let moves = 0;
    for (const sym of plain) {
      if (pass > 0 && !neighbours(sym).some(changed)) {
        guess.set(sym, prev.get(sym)!);
        continue;
      }
      let g = classifyOne(sym, resolveNow, (s) => prev.get(s)?.suggestion);
      // monotonic toward the package: a rename found once is not traded for a move to another package
      if (pass > 0 && prev.get(sym)?.kind === 'renamed' && g.kind !== 'renamed') g = prev.get(sym)!;
      if (pass > 0 && g.suggestion !== prev.get(sym)?.suggestion) moves++;
      guess.set(sym, g);
    }
    older = prev;
    if (pass > 0 && moves === 0) break;
  }
  for (const [k, v] of guess) out.set(k, v);

  /**
   * What a declaration needs for `scoreOf` to give it a score for `sym` at all (exact by the rules
   * there): a same-package candidate may score on position and name alone; another package's only
   * with the same name (case folded) or with a static call that names it (`namedIn`/`namedOut` >
   * 0): a call of a caller that resolves now (`inKeys`), or its own call of a callee of `sym`
   * under its suggestion (`outKeys`), or of itself for self-recursion (`self`).
   */
  function needsOf(
    sym: string,
    ins: readonly NamedEdge[],
    outs: readonly NamedEdge[],
    resolveNow: (s: string) => FuncEntry | undefined,
    suggested: (s: string) => string | undefined,
  ): ScoreNeeds {
    const { prefix, name } = splitSymbol(key(sym));
    const inKeys = new Set<string>();
    for (const e of ins) for (const c of resolveNow(e.caller)?.calls ?? []) if (c.calleeSymbol) inKeys.add(key(c.calleeSymbol));
    const outKeys = new Set<string>();
    let self = false;
    for (const e of outs) {
      if (e.callee === sym) self = true;
      else outKeys.add(key(suggested(e.callee) ?? e.callee));
    }
    return { prefix, lowerName: name.toLowerCase(), inKeys, outKeys, self };
  }

  /** The positions in `inp.entries` (ascending) of the declarations that meet `n` (through the candidate index). */
  function candidatesFor(n: ScoreNeeds): number[] {
    const ix = (cands ??= candidateIndex(inp.entries));
    const at = new Set<number>([...(ix.byPrefix.get(n.prefix) ?? []), ...(ix.byName.get(n.lowerName) ?? [])]);
    const add = (list: readonly number[] | undefined): void => {
      if (list) for (const i of list) at.add(i);
    };
    for (const k of n.inKeys) add(ix.byKey.get(k));
    for (const k of n.outKeys) add(ix.calledBy.get(k));
    if (n.self) add(ix.selfCalling);
    return [...at].sort((a, b) => a - b);
  }

  function neighbours(sym: string): string[] {
    return [...(outEdges.get(sym) ?? []).map((e) => e.callee), ...(inEdges.get(sym) ?? []).map((e) => e.caller)].filter((n) => n !== sym && missing.has(n));
  }

  function classifyOne(sym: string, resolveNow: (s: string) => FuncEntry | undefined, suggested: (s: string) => string | undefined): RefactorClass {
    const prefix = splitSymbol(key(sym)).prefix;
    const isMethod = splitSymbol(key(sym)).name.includes('.');
    const lowerName = splitSymbol(key(sym)).name.toLowerCase();
    const outs = outEdges.get(sym) ?? [];
    const ins = (inEdges.get(sym) ?? []).filter((e) => e.caller !== sym);
    const row = heat.find(sym);
    const info = row < 0 ? undefined : { file: heat.file(row), startLine: heat.startLine[row]! };
    // What scoreOf needs of the in- and out-edges, the same for every candidate.
    const inRes = ins.flatMap((e) => {
      const r = resolveNow(e.caller);
      if (!r) return [];
      const iface = r.calls.some((c) => c.offset === e.offset && c.dispatch === 'interface');
      return [{ e, r, direct: !!inp.resolve(e.caller), iface, calls: callSummary(r) }];
    });
    const outRes = outs.map((e) => {
      if (e.callee === sym) return { e, callee: undefined, key: '', last: '', lowered: false };
      const callee = suggested(e.callee) ?? e.callee;
      return { e, callee, key: key(callee), last: lastName(callee), lowered: isLoweredCallee(callee) };
    });
    // Only the candidates that can score at all (needsOf), in their order: ties resolve as without the filter. The whole
    // list through the candidate index; a part (cached per group, worker) by the test on each of its few entries.
    let needs: ScoreNeeds | undefined;
    const bestIn = (list: readonly RefactorEntry[], before?: Predecessor<Free>): GroupBest<Scored, Free> => {
      const b: GroupBest<Scored, Free> = { same: null, other: null };
      const consider = (sc: Scored | null): void => {
        if (!sc) return;
        if (splitSymbol(key(sc.e.symbol)).prefix === prefix) {
          if (!b.same || sc.score > b.same.score) b.same = sc;
        } else if (!b.other || sc.score > b.other.score) b.other = sc;
      };
      const n = (needs ??= needsOf(sym, ins, outs, resolveNow, suggested));
      if (list === inp.entries) {
        for (const i of candidatesFor(n)) consider(scoreOf(list[i]!));
        return b;
      }
      // A part: the position-independent scores are kept (`free`); an entry that only moved takes over its previous one's.
      const free = new Map<number, Free>();
      list.forEach((cand, i) => {
        const j = before?.map[i] ?? -1;
        const f = j >= 0 ? (before?.free.get(j) ?? null) : meets(cand, n) ? freeOf(cand, 0) : null;
        if (f) free.set(i, f);
        consider(lineScore(cand) === 0.5 ? (meets(cand, n) ? scoreOf(cand) : null) : f && finish(cand, f));
      });
      b.free = free;
      return b;
    };
    let found: GroupBest<Scored> = { same: null, other: null };
    if (cache && inp.groups) {
      // What the scores of this symbol depend on besides the candidates (see RefactorInput.groups): the callers by
      // shape (what the score reads of them, not where they start), the callees' suggestions, the claimed declarations.
      const evidence = [
        ins.map((e) => `${cache.shapeId(resolveNow(e.caller))}${inp.resolve(e.caller) ? 'r' : ''}`).join(','),
        outs.map((e) => `${suggested(e.callee) ?? ''}${missing.has(e.callee) ? '?' : ''}`).join(','),
        claimedSig,
      ].join('\x00');
      const fold = (into: GroupBest<Scored>, b: GroupBest<Scored>): void => {
        if (b.same && (!into.same || b.same.score > into.same.score)) into.same = b.same;
        if (b.other && (!into.other || b.other.score > into.other.score)) into.other = b.other;
      };
      found = cache.bestOver(inp.groups, sym, evidence, (g) => {
        const inGroup: GroupBest<Scored> = { same: null, other: null };
        for (const part of g.parts) {
          const canon = cache.canonical(part);
          fold(
            inGroup,
            cache.best(canon, sym, evidence, () => bestIn(canon, cache.predecessor<Free>(canon, sym, evidence))),
          );
        }
        return inGroup;
      });
    } else found = bestIn(inp.entries);
    const bestSame = found.same;
    const bestOther = found.other;
    /** The line part of the position score: 0.5 within 2 lines of the profile's start line, 0.25 within 20, else 0. */
    function lineScore(cand: RefactorEntry): number {
      if (!info || info.startLine <= 0) return 0;
      const d = Math.abs(info.startLine - cand.entry.startLine);
      return d <= 2 ? 0.5 : d <= 20 ? 0.25 : 0;
    }
    /** The candidate's score. */
    function scoreOf(cand: RefactorEntry): Scored | null {
      const line = lineScore(cand);
      const f = freeOf(cand, line === 0.5 ? 0.5 : 0);
      return f && finish(cand, f);
    }
    /** The score from the position-independent part and the candidate's start line now (its line part is not 0.5). */
    function finish(cand: RefactorEntry, f: Free): Scored {
      const posScore = f.filePart + lineScore(cand);
      let score = 0.6 * f.structural + 0.25 * f.nameScore + 0.15 * posScore;
      if (f.scaled) score *= 0.6;
      return { e: cand, score, namedIn: f.namedIn };
    }
    /**
     * Everything of the score but the line part of the position. The rules below read the
     * position only as `posScore >= 0.5`: with the file part (0 or 0.5) and a line part of 0 or
     * 0.25 that is the file part alone, so one result holds for every start line more than 2 lines
     * away from the profile's; within 2 lines (line part 0.5) `line` is 0.5.
     */
    function freeOf(cand: RefactorEntry, line: number): Free | null {
      const ce = cand.entry;
      if (claimed.has(ce)) return null;
      if (ce.kind !== 'func' && ce.kind !== 'method') return null;
      // A generic declaration's instantiations are named by shape: a non-generic profile symbol is not one of them.
      if (cand.symbol.includes('[') && !sym.includes('[')) return null;
      if ((ce.kind === 'method') !== isMethod) return null;
      // callers that still exist call the candidate where the profile had the old symbol
      let inW = 0;
      let inHit = 0;
      // evidence that names the candidate (static calls), not only a method name or a call kind
      let namedIn = 0;
      let namedOut = 0;
      const candKey = key(cand.symbol);
      const candLast = lastName(cand.symbol);
      const candLowered = isLoweredCallee(cand.symbol);
      for (const { e, r, direct, iface, calls } of inRes) {
        inW += e.weight;
        // no call of the caller can name the candidate: neither evidence nor a hit (siteScore, callLanding)
        if (!mayLandStrong(calls, candKey, candLast, candLowered)) continue;
        // an interface call of that method name is half the evidence; a function-value call none
        if (iface) {
          if (r.calls.some((c) => c.offset === e.offset && c.dispatch === 'interface' && callLanding(c, cand.symbol))) inHit += e.weight * 0.5;
          continue;
        }
        const site = siteScore(r, e.offset, cand.symbol);
        if (site.score >= 0.6) inHit += e.weight * site.score;
        // callers known only by a guessed name are evidence, but do not outweigh the package
        if (site.named) {
          if (direct) namedIn += e.weight;
          else namedOut += e.weight;
        }
      }
      const inScore = inW > 0 ? inHit / inW : 0;
      // the candidate's calls land on the old symbol's out-edges (self-recursion renamed too)
      let outW = 0;
      let outHit = 0;
      const own = callSummary(ce);
      for (const o of outRes) {
        const e = o.e;
        outW += e.weight;
        const self = o.callee === undefined;
        const callee = self ? cand.symbol : o.callee!;
        // runtime callees land on any line with code: no evidence of identity
        if (self ? candLowered : o.lowered) continue;
        // no call at the offset and none that names the callee: the site scores 0 and no call there fits a missing callee
        if (!own.offsets.has(e.offset) && !(self ? mayLandStrong(own, candKey, candLast, false) : mayLandStrong(own, o.key, o.last, false))) continue;
        const site = siteScore(ce, e.offset, callee);
        if (site.score === 0 && missing.has(e.callee) && !suggested(e.callee)) {
          // the callee is missing too: a call at that offset to a declaration no profile name claims fits
          if (ce.calls.some((c) => c.offset === e.offset && c.calleeSymbol && !claimedSym(c.calleeSymbol))) outHit += e.weight * 0.6;
          continue;
        }
        outHit += e.weight * site.score;
        if (site.named) namedOut += e.weight;
      }
      const outScore = outW > 0 ? outHit / outW : 0;
      const filePart = info && info.startLine > 0 && baseName(info.file) === baseName(ce.relFile ?? ce.file) ? 0.5 : 0;
      const posScore = filePart + line;
      const samePkg = splitSymbol(candKey).prefix === prefix;
      // A move keeps the name; a rename keeps the package.
      const structural = inW > 0 && outW > 0 ? 0.5 * inScore + 0.5 * outScore : inW > 0 ? inScore : outScore;
      // the first two rules below, decided before the edit distance where they do not depend on it (nameScore is 1 only for the same name)
      const sameName = splitSymbol(candKey).name.toLowerCase() === lowerName;
      if (structural === 0 && !sameName && !(samePkg && posScore >= 0.5)) return null;
      if (namedIn + namedOut === 0 && !samePkg && inW + outW > 0 && !sameName) return null;
      const nameScore = nameSimilarity(sym, cand.symbol);
      // Without structural evidence only an identical name in another package, or a near-identical one, counts;
      // and not across packages without a static call naming it when the profile's callers or callees still exist.
      if (structural === 0 && !(nameScore === 1 || (samePkg && nameScore >= 0.7 && posScore >= 0.5))) return null;
      if (namedIn + namedOut === 0 && !samePkg && inW + outW > 0 && nameScore < 1) return null;
      if (structural > 0 && structural < 0.5 && nameScore < 0.5) return null;
      return { structural, nameScore, filePart, scaled: !samePkg && nameScore < 1, namedIn };
    }
    // A renamed function in the same package beats a same-named one elsewhere, unless only the
    // other one is called by the profile's callers.
    let best = bestSame && bestSame.score >= 0.3 ? bestSame : bestOther;
    if (best === bestSame && bestOther && bestOther.score >= 0.3 && bestOther.namedIn > 0 && bestSame!.namedIn === 0) best = bestOther;
    if (best && best.score >= 0.3) {
      const samePkg = splitSymbol(key(best.e.symbol)).prefix === prefix;
      return { kind: samePkg ? 'renamed' : 'moved', suggestion: transplant(sym, best.e.symbol), confidence: Math.round(Math.min(1, best.score) * 100) / 100 };
    }
    return { kind: 'removed' };
  }

  // Closures follow the function they are nested in.
  for (const sym of closures) {
    const { prefix, name } = splitSymbol(sym);
    const m = CLOSURE_TAIL.exec(name)!;
    const parent = `${prefix}.${m[1]}`;
    const pc = out.get(parent);
    const parentNow = pc?.suggestion ?? (inp.resolve(parent) ? parent : undefined);
    const cand = parentNow ? `${parentNow}${m[2]}` : undefined;
    const ce = cand ? bySym(key(cand)) : undefined;
    if (cand && ce && !claimed.has(ce)) {
      const samePkg = splitSymbol(key(cand)).prefix === prefix;
      out.set(sym, { kind: samePkg ? 'renamed' : 'moved', suggestion: cand, confidence: pc?.confidence ?? 0.5 });
    } else out.set(sym, { kind: 'removed' });
  }
  if (asked) inp.whole?.set(asked, out);
  return out;
}

/** What a candidate must meet to score for one symbol (classifyUnmatched `needsOf`). */
interface ScoreNeeds {
  prefix: string;
  lowerName: string;
  inKeys: Set<string>;
  outKeys: Set<string>;
  self: boolean;
}

function meets(cand: RefactorEntry, n: ScoreNeeds): boolean {
  const { prefix, name } = splitSymbol(key(cand.symbol));
  if (prefix === n.prefix || name.toLowerCase() === n.lowerName || n.inKeys.has(key(cand.symbol))) return true;
  const calls = callSummary(cand.entry).keys;
  if (n.self && calls.has(key(cand.symbol))) return true;
  for (const k of n.outKeys) if (calls.has(k)) return true;
  return false;
}

/** `entries` by position: per package prefix, case-folded name, symbol, callee of their static calls; the self-recursive ones. */
interface CandidateIndex {
  byPrefix: Map<string, number[]>;
  byName: Map<string, number[]>;
  byKey: Map<string, number[]>;
  calledBy: Map<string, number[]>;
  selfCalling: number[];
}

function candidateIndex(entries: readonly RefactorEntry[]): CandidateIndex {
  const ix: CandidateIndex = { byPrefix: new Map(), byName: new Map(), byKey: new Map(), calledBy: new Map(), selfCalling: [] };
  const push = (m: Map<string, number[]>, k: string, i: number): void => {
    const list = m.get(k);
    if (!list) m.set(k, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  entries.forEach((e, i) => {
    const k = key(e.symbol);
    const { prefix, name } = splitSymbol(k);
    push(ix.byPrefix, prefix, i);
    push(ix.byName, name.toLowerCase(), i);
    push(ix.byKey, k, i);
    let self = false;
    for (const c of e.entry.calls) {
      if (!c.calleeSymbol) continue;
      const ck = key(c.calleeSymbol);
      push(ix.calledBy, ck, i);
      if (ck === k) self = true;
    }
    if (self) ix.selfCalling.push(i);
  });
  return ix;
}

/** Keeps the profile's shape arguments of a generic symbol when the declaration is renamed. */
function transplant(profileSym: string, declSym: string): string {
  const b = profileSym.indexOf('[');
  const db = declSym.indexOf('[');
  if (b < 0 || db < 0) return declSym;
  const tail = profileSym.slice(profileSym.lastIndexOf(']') + 1);
  const dtail = declSym.slice(declSym.lastIndexOf(']') + 1);
  if (tail !== dtail) return declSym;
  return declSym.slice(0, db) + profileSym.slice(b);
}
