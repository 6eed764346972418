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
 *   longer land on a call to the same callee, while a call to that callee exists at another
 *   offset of the function (lines were inserted or removed inside the function, above the call).
 *   Lines inserted *above* a function never drift: offsets are relative to its start line.
 */
import { type NamedEdge, type PgoProfile } from '../pgo/model';
import { type CallSite, type FuncEntry, genericKey, splitSymbol } from '../source/index';
import type { OffsetMapper } from './history';

export type UnmatchedKind = 'renamed' | 'moved' | 'removed' | 'offset-drift';

/** How the profile's line offsets of a drifted function map to the source: old offset → new offset. */
export interface LineShift {
  from: number;
  to: number;
}

export interface RefactorClass {
  kind: UnmatchedKind;
  /** The declaration's linker symbol now (renamed / moved). */
  suggestion?: string;
  /** 0..1: how sure the classification is. */
  confidence?: number;
  /** offset-drift: the most common shift, in lines (new − old). */
  shift?: number;
  /** offset-drift: old → new offsets of the drifted (and anchoring) call sites, sorted by `from`. */
  lineMap?: LineShift[];
  /** offset-drift: where the line map comes from: the file's git history, or pairing calls by callee. */
  basis?: 'git' | 'calls';
}

export interface RefactorEntry {
  symbol: string;
  entry: FuncEntry;
}

export interface RefactorInput {
  profile: Pick<PgoProfile, 'edges' | 'functions'>;
  /** Every declaration the binary can see (its main package and the non-main packages). */
  entries: RefactorEntry[];
  /** Resolves a profile name to its declaration (undefined when unmatched; copies excluded). */
  resolve(sym: string): FuncEntry | undefined;
  /** The hot edges (drift is reported only where a hot edge drifted). */
  hotEdges: NamedEdge[];
  /**
   * The exact old → new offset map of a resolved profile function from source history
   * (history.ts), when the history vouches for it. Lines it reports as changed fall back to
   * pairing calls by callee.
   */
  history?: (caller: string, entry: FuncEntry) => OffsetMapper | undefined;
}

const key = genericKey;
const lastName = (sym: string): string => {
  const n = splitSymbol(key(sym)).name;
  return n.slice(n.lastIndexOf('.') + 1);
};
const CLOSURE_TAIL = /^(.*?)((?:\.func\d+|\.\d+|-range\d+|\.gowrap\d+|\.deferwrap\d+)+)$/;

/** Does a call at this site plausibly call `callee`? */
export function callLands(c: CallSite, callee: string): boolean {
  if (c.calleeSymbol) return key(c.calleeSymbol) === key(callee);
  switch (c.dispatch) {
    case 'interface':
      return c.name === lastName(callee);
    case 'funcvalue':
    case 'unknown':
      return c.kind !== 'builtin' && c.kind !== 'conversion';
    default:
      return false;
  }
}

function landsAt(entry: FuncEntry, offset: number, callee: string): boolean {
  return entry.calls.some((c) => c.offset === offset && callLands(c, callee));
}

/** Strict static evidence: the call names exactly this callee. */
function staticLandsAt(entry: FuncEntry, offset: number, callee: string): boolean {
  return entry.calls.some((c) => c.offset === offset && !!c.calleeSymbol && key(c.calleeSymbol) === key(callee));
}

function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
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
export function classifyUnmatched(inp: RefactorInput, unmatched: string[]): Map<string, RefactorClass> {
  const out = new Map<string, RefactorClass>();
  const claimed = new Set<FuncEntry>();
  const names = new Set<string>();
  for (const e of inp.profile.edges) {
    names.add(e.caller);
    names.add(e.callee);
  }
  for (const f of inp.profile.functions) names.add(f.name);
  for (const n of names) {
    const r = inp.resolve(n);
    if (r) claimed.add(r);
  }
  const bySym = new Map(inp.entries.map((e) => [key(e.symbol), e]));
  const outEdges = new Map<string, NamedEdge[]>();
  const inEdges = new Map<string, NamedEdge[]>();
  for (const e of inp.profile.edges) {
    (outEdges.get(e.caller) ?? outEdges.set(e.caller, []).get(e.caller)!).push(e);
    (inEdges.get(e.callee) ?? inEdges.set(e.callee, []).get(e.callee)!).push(e);
  }
  const fnInfo = new Map(inp.profile.functions.map((f) => [f.name, f]));

  const closures: string[] = [];
  for (const sym of unmatched) {
    const m = CLOSURE_TAIL.exec(splitSymbol(key(sym)).name);
    if (m) {
      closures.push(sym);
      continue;
    }
    const prefix = splitSymbol(key(sym)).prefix;
    const isMethod = splitSymbol(key(sym)).name.includes('.');
    const outs = outEdges.get(sym) ?? [];
    const ins = (inEdges.get(sym) ?? []).filter((e) => e.caller !== sym);
    const info = fnInfo.get(sym);
    let best: { e: RefactorEntry; score: number } | null = null;
    for (const cand of inp.entries) {
      const ce = cand.entry;
      if (claimed.has(ce)) continue;
      if (ce.kind !== 'func' && ce.kind !== 'method') continue;
      if ((ce.kind === 'method') !== isMethod) continue;
      // callers that still exist call the candidate where the profile had the old symbol
      let inW = 0;
      let inHit = 0;
      for (const e of ins) {
        const r = inp.resolve(e.caller);
        if (!r) continue;
        inW += e.weight;
        if (staticLandsAt(r, e.offset, cand.symbol)) inHit += e.weight;
        else if (landsAt(r, e.offset, cand.symbol) && r.calls.some((c) => c.offset === e.offset && c.dispatch === 'interface')) inHit += e.weight * 0.5;
      }
      const inScore = inW > 0 ? inHit / inW : 0;
      // the candidate's calls land on the old symbol's out-edges (self-recursion renamed too)
      let outW = 0;
      let outHit = 0;
      for (const e of outs) {
        outW += e.weight;
        const callee = e.callee === sym ? cand.symbol : e.callee;
        if (landsAt(ce, e.offset, callee)) outHit += e.weight;
      }
      const outScore = outW > 0 ? outHit / outW : 0;
      const nameScore = nameSimilarity(sym, cand.symbol);
      let posScore = 0;
      if (info && info.startLine > 0) {
        const sameFile = baseName(info.file) === baseName(ce.relFile ?? ce.file);
        const d = Math.abs(info.startLine - ce.startLine);
        posScore = (sameFile ? 0.5 : 0) + (d <= 2 ? 0.5 : d <= 20 ? 0.25 : 0);
      }
      const samePkg = splitSymbol(key(cand.symbol)).prefix === prefix;
      // A move keeps the name; a rename keeps the package.
      const structural = inW > 0 && outW > 0 ? 0.5 * inScore + 0.5 * outScore : inW > 0 ? inScore : outScore;
      let score = 0.6 * structural + 0.25 * nameScore + 0.15 * posScore;
      if (!samePkg && nameScore < 1) score *= 0.6;
      // Without structural evidence only an identical name in another package, or a near-identical one, counts.
      if (structural === 0 && !(nameScore === 1 || (samePkg && nameScore >= 0.7 && posScore >= 0.5))) continue;
      if (structural > 0 && structural < 0.5 && nameScore < 0.5) continue;
      if (!best || score > best.score) best = { e: cand, score };
    }
    if (best && best.score >= 0.3) {
      const samePkg = splitSymbol(key(best.e.symbol)).prefix === prefix;
      out.set(sym, { kind: samePkg ? 'renamed' : 'moved', suggestion: transplant(sym, best.e.symbol), confidence: Math.round(Math.min(1, best.score) * 100) / 100 });
    } else out.set(sym, { kind: 'removed' });
  }
  // Closures follow the function they are nested in.
  for (const sym of closures) {
    const { prefix, name } = splitSymbol(sym);
    const m = CLOSURE_TAIL.exec(name)!;
    const parent = `${prefix}.${m[1]}`;
    const pc = out.get(parent);
    const parentNow = pc?.suggestion ?? (inp.resolve(parent) ? parent : undefined);
    const cand = parentNow ? `${parentNow}${m[2]}` : undefined;
    const ce = cand ? bySym.get(key(cand)) : undefined;
    if (cand && ce && !claimed.has(ce.entry)) {
      const samePkg = splitSymbol(key(cand)).prefix === prefix;
      out.set(sym, { kind: samePkg ? 'renamed' : 'moved', suggestion: cand, confidence: pc?.confidence ?? 0.5 });
    } else out.set(sym, { kind: 'removed' });
  }
  return out;
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

export interface Drift extends RefactorClass {
  symbol: string;
  /** Weight of the hot edges that no longer land. */
  weight: number;
  /** Those hot edges. */
  edges: NamedEdge[];
}

/**
 * Offset drift of resolved functions. For each profile caller that resolves, each edge that does
 * not land at its offset is paired (by callee) with the nearest call to the same callee at
 * another offset. Reported when a hot edge drifted.
 */
export function detectDrift(inp: RefactorInput): Drift[] {
  const hot = new Set(inp.hotEdges.map((e) => `${e.caller}\x00${e.offset}\x00${e.callee}`));
  const byCaller = new Map<string, NamedEdge[]>();
  for (const e of inp.profile.edges) (byCaller.get(e.caller) ?? byCaller.set(e.caller, []).get(e.caller)!).push(e);
  const out: Drift[] = [];
  for (const [caller, edges] of byCaller) {
    const entry = inp.resolve(caller);
    if (!entry) continue;
    // old offset → weight per new offset
    const votes = new Map<number, Map<number, number>>();
    const vote = (from: number, to: number, w: number): void => {
      const m = votes.get(from) ?? votes.set(from, new Map()).get(from)!;
      m.set(to, (m.get(to) ?? 0) + w);
    };
    let driftW = 0;
    const drifted: NamedEdge[] = [];
    const shifts = new Map<number, number>();
    const mapper = inp.history?.(caller, entry);
    let byHistory = 0;
    for (const e of edges) {
      const hotEdge = hot.has(`${e.caller}\x00${e.offset}\x00${e.callee}`);
      const mapped = mapper ? mapper(e.offset) : null;
      if (mapped !== null) {
        // The line itself is unchanged: history knows exactly where it went.
        vote(e.offset, mapped, e.weight);
        if (mapped !== e.offset && hotEdge) {
          driftW += e.weight;
          byHistory += e.weight;
          drifted.push(e);
          shifts.set(mapped - e.offset, (shifts.get(mapped - e.offset) ?? 0) + e.weight);
        }
        continue;
      }
      if (landsAt(entry, e.offset, e.callee)) {
        vote(e.offset, e.offset, e.weight);
        continue;
      }
      // Only static calls pair reliably by callee; interface calls by method name.
      const alts = entry.calls.filter((c) => c.offset !== e.offset && (c.calleeSymbol ? key(c.calleeSymbol) === key(e.callee) : c.dispatch === 'interface' && c.name === lastName(e.callee)));
      if (alts.length === 0) continue;
      alts.sort((a, b) => Math.abs(a.offset - e.offset) - Math.abs(b.offset - e.offset) || a.offset - b.offset);
      const to = alts[0]!.offset;
      vote(e.offset, to, e.weight);
      if (hotEdge) {
        driftW += e.weight;
        drifted.push(e);
        shifts.set(to - e.offset, (shifts.get(to - e.offset) ?? 0) + e.weight);
      }
    }
    if (driftW === 0) continue;
    if (mapper) {
      // Every unchanged line of the function anchors the re-alignment, not only the calls.
      const span = Math.max(entry.endLine - entry.startLine, ...edges.map((e) => e.offset));
      for (let off = 0; off <= span; off++) {
        if (votes.has(off)) continue;
        const to = mapper(off);
        if (to !== null) vote(off, to, 0);
      }
    }
    const lineMap: LineShift[] = [];
    for (const [from, m] of votes) {
      const to = [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
      lineMap.push({ from, to });
    }
    lineMap.sort((a, b) => a.from - b.from);
    const shift = [...shifts].sort((a, b) => b[1] - a[1] || Math.abs(a[0]) - Math.abs(b[0]))[0]![0];
    const basis = byHistory === driftW ? 'git' : 'calls';
    out.push({ symbol: caller, kind: 'offset-drift', weight: driftW, edges: drifted, shift, lineMap, confidence: basis === 'git' ? 1 : 0.9, basis });
  }
  return out;
}

/**
 * Maps a profile line offset of a drifted function to the source: anchors map exactly; other
 * lines take the shift of the next anchor below them (lines just above a call move with it), or
 * of the last anchor when they are below every anchor.
 */
export function mapOffset(lineMap: LineShift[], offset: number): number {
  if (lineMap.length === 0) return offset;
  for (const a of lineMap) if (a.from >= offset) return offset + (a.to - a.from);
  const last = lineMap[lineMap.length - 1]!;
  return offset + (last.to - last.from);
}
