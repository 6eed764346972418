/**
 * Every lost percent explained. A hot profile edge that touches the workspace's packages is lost
 * when the compiler cannot apply it to the source any more:
 * - its caller (else its callee) is a workspace function no declaration matches: charged to that
 *   function's entry (renamed / moved / removed, see refactor.ts);
 * - its caller matches but the edge's call site moved inside it (`offset-drift`, re-alignable) or
 *   lands on nothing that can make that call (`changed`; see align.ts and landing.ts).
 * Each lost edge is charged to exactly one entry, so the entries' weights sum to the lost weight
 * and, on the profile-total base (pgo/percent.ts), `matchedPercent = 100 − Σ entry.percent`.
 * Pure data.
 */
import type { EdgeGroups } from '../pgo/edge-groups';
import type { NamedEdge } from '../pgo/model';
import { type FuncEntry, genericKey } from '../source/index';
import { type AlignMemo, alignFunction, type Alignment, type LineShift } from './align';
import type { OffsetMapper } from './history';
import { endOffset, isCodeOffset, type Landing, type LandingMemo, landing } from './landing';
import { edgeTables, hotTables } from './loss-tables';
import type { RefactorClass, UnmatchedKind } from './refactor';

/** One lost edge: the profile's offset and, where it moved, the offset now. */
export interface EdgeShift {
  caller: string;
  callee: string;
  from: number;
  /** Absent when the call is gone (kind `changed`) or its function has no declaration. */
  to?: number;
  weight: number;
}

export interface LossEntry extends RefactorClass {
  symbol: string;
  kind: UnmatchedKind;
  /** Sample value lost through this entry's edges (each lost sample charged once, see LossInput.groups). */
  weight: number;
  /** The lost edges charged to it (per-edge line map where they moved), with their edge weights. */
  edgeMap: EdgeShift[];
  /** Why it does not match, in words. */
  reason: string;
}

export interface LossInput {
  /** The profile's edges (`groups` index into them). */
  edges: readonly NamedEdge[];
  /**
   * Which edges each group of samples carries (pgo/edge-groups.ts). With it an entry's weight is
   * the sample value of the groups whose heaviest lost edge it owns, so the weights sum to at most
   * the profile total; without it (preprofile input) each lost edge's weight counts once.
   */
  groups?: EdgeGroups;
  hotEdges: readonly NamedEdge[];
  /** Is the symbol in one of the workspace's packages? */
  inWorkspace(sym: string): boolean;
  /** The declaration of a profile name (undefined: unmatched); `copy` for inlined closure copies. */
  resolve(sym: string): { entry: FuncEntry; copy?: boolean } | undefined;
  /** Compiler-generated names (wrappers, equality functions): never charged. */
  isGenerated(sym: string): boolean;
  /** Why an unresolved symbol does not match (no declaration…). */
  unresolvedReason(sym: string): string;
  /** Classification of the unresolved workspace symbols that have edges. */
  classify(unresolved: string[]): Map<string, RefactorClass>;
  /** A declaration by its symbol now (renamed / moved suggestions). */
  declaration(sym: string): FuncEntry | undefined;
  /** The other closures of the same enclosing function (closure identity); absent: not checked. */
  siblings?: (entry: FuncEntry) => readonly FuncEntry[];
  /** Exact offset map from source history, with its commit. */
  history?: (caller: string, entry: FuncEntry) => { mapper: OffsetMapper; commit: string } | undefined;
  /** Alignments kept from the binary's previous matches (the result is the same without it). */
  alignMemo?: AlignMemo;
  /** Landings kept from the binary's previous matches (the result is the same without it). */
  landingMemo?: LandingMemo;
}

const signed = (n: number): string => (n >= 0 ? `+${n}` : `${n}`);

export function accountLoss(inp: LossInput): { entries: LossEntry[]; lostWeight: number } {
  // per-profile tables (loss-tables.ts): the edges by caller, every name, the hot sites
  const { byCaller, names, keys } = edgeTables(inp.edges);
  const { hotOuts, sites } = hotTables(inp.edges, inp.hotEdges);
  const memo = inp.landingMemo;
  const lands = (en: FuncEntry, offset: number, callee: string): Landing => (memo ? memo.landing(en, offset, callee) : landing(en, offset, callee));
  const unresolved = (sym: string): boolean =>
    inp.inWorkspace(sym) && !inp.resolve(sym) && !inp.isGenerated(sym) && !inp.unresolvedReason(sym).includes('compiler-generated');
  const missing = names.filter(unresolved).sort();
  const classes = inp.classify(missing);
  // Closure identity: `F.func1` whose hot calls land in a sibling closure, not in itself, names
  // another closure now (a literal was added or removed before it): renamed to that sibling.
  if (inp.siblings) {
    for (const caller of byCaller.keys()) {
      const r = inp.resolve(caller);
      if (!r || r.copy || !inp.inWorkspace(caller) || classes.has(caller)) continue;
      const sib = closureSuccessor(r.entry, hotOuts.get(caller) ?? [], inp.siblings(r.entry), lands);
      if (sib) classes.set(caller, { kind: 'renamed', suggestion: sib.symbol, confidence: sib.confidence });
    }
  }
  const renamedClosure = (sym: string): boolean => !!classes.get(sym)?.suggestion && !!inp.resolve(sym);
  const nowName = (sym: string): string => classes.get(sym)?.suggestion ?? sym;
  const align = (fe: FuncEntry, edges: readonly NamedEdge[], mapper?: OffsetMapper): Alignment =>
    !mapper && inp.alignMemo ? inp.alignMemo.align(fe, edges, nowName) : alignFunction(fe, edges, mapper, nowName);

  const entries = new Map<string, LossEntry>();
  const entry = (symbol: string, kind: UnmatchedKind, reason: string, cls?: RefactorClass): LossEntry => {
    const k = `${symbol}\x00${kind}`;
    let en = entries.get(k);
    if (!en) {
      en = { ...(cls ?? {}), symbol, kind, weight: 0, edgeMap: [], reason };
      entries.set(k, en);
    }
    return en;
  };
  // Unresolved functions are listed even without hot weight: their renames still matter to `rewrite`.
  const renamedAlign = new Map<string, Alignment>();
  for (const sym of [...missing, ...[...classes.keys()].filter(renamedClosure)]) {
    const c = classes.get(sym) ?? { kind: 'removed' as const };
    let reason = renamedClosure(sym) ? `${sym} now names another closure: the calls the profile has for it are in ${c.suggestion}` : inp.unresolvedReason(sym);
    if (c.suggestion && !renamedClosure(sym)) reason += c.kind === 'moved' ? `; moved to ${c.suggestion}?` : `; renamed to ${c.suggestion}?`;
    const en = entry(sym, c.kind, reason, c);
    const decl = c.suggestion ? inp.declaration(c.suggestion) : undefined;
    const outs = byCaller.get(sym);
    if (decl && outs) {
      // A renamed or moved function may have been edited inside too: re-align it under its new name.
      const al = align(decl, outs);
      renamedAlign.set(sym, al);
      if (al.moved.size) {
        en.lineMap = al.lineMap;
        en.shift = commonShift(al);
        en.basis = 'calls';
        en.reason += `; call sites moved inside it: ${describeMoves(al)}`;
      }
    }
  }

  // The shapes of one generic function (`F[go.shape.int]`, `F[go.shape.interface {…}]`) are one
  // declaration: one source, one line map. Without history their edges are aligned together, so
  // a shape with a single ambiguous edge is placed by its siblings' evidence.
  let shapes: Map<string, NamedEdge[]> | undefined;
  const declKey = (fe: FuncEntry): string => `${fe.file}\x00${fe.startLine}\x00${fe.symbol}`;
  const shapeEdges = (fe: FuncEntry): NamedEdge[] | undefined => {
    if (!shapes) {
      shapes = new Map();
      for (const [c, es] of byCaller) {
        const r = c.includes('[') ? inp.resolve(c) : undefined;
        if (r && !r.copy) (shapes.get(declKey(r.entry)) ?? shapes.set(declKey(r.entry), []).get(declKey(r.entry))!).push(...es);
      }
    }
    return shapes.get(declKey(fe));
  };
  const alignments = new Map<string, { al: Alignment; commit?: string }>();
  const alignmentOf = (caller: string, fe: FuncEntry): { al: Alignment; commit?: string } => {
    let a = alignments.get(caller);
    if (!a) {
      const h = inp.history?.(caller, fe);
      const joint = !h && caller.includes('[') ? shapeEdges(fe) : undefined;
      const k = joint ? `\x00${declKey(fe)}` : caller;
      a = alignments.get(k) ?? { al: align(fe, joint ?? byCaller.get(caller) ?? [], h?.mapper), ...(h ? { commit: h.commit } : {}) };
      alignments.set(k, a);
      alignments.set(caller, a);
    }
    return a;
  };

  const lostTarget = new Map<string, LossEntry>();
  for (const { edge: e, key: k, inCaller } of sites) {
    const cu = inp.inWorkspace(e.caller);
    const eu = inp.inWorkspace(e.callee);
    if (!cu && !eu) continue;
    let to: number | undefined;
    let target: LossEntry | undefined;
    if (cu && (unresolved(e.caller) || renamedClosure(e.caller))) {
      target = entries.get(`${e.caller}\x00${(classes.get(e.caller) ?? { kind: 'removed' }).kind}`)!;
      const al = renamedAlign.get(e.caller);
      const edge = al && inCaller;
      if (al && edge && !al.unpaired.has(edge)) to = al.moved.get(edge) ?? e.offset;
    } else if (eu && unresolved(e.callee)) {
      target = entries.get(`${e.callee}\x00${(classes.get(e.callee) ?? { kind: 'removed' }).kind}`)!;
    } else if (cu) {
      const r = inp.resolve(e.caller);
      if (!r || r.copy) continue;
      const history = !!inp.history;
      if (!history && lands(r.entry, e.offset, nowName(e.callee)) === 'strong') continue;
      const { al, commit } = alignmentOf(e.caller, r.entry);
      const edge = inCaller!;
      if (al.unpaired.has(edge)) {
        target = entry(e.caller, 'changed', `hot call sites of ${e.caller} no longer land on a call to their callee`);
        if (target.edgeMap.length < 3) target.reason += `; ${signed(e.offset)} → ${e.callee}: ${whyNot(r.entry, e.offset, nowName(e.callee))}`;
        else if (target.edgeMap.length === 3) target.reason += '; …';
      } else if (al.moved.has(edge)) {
        to = al.moved.get(edge)!;
        const basis = al.byHistory ? 'git' : 'calls';
        target = entry(e.caller, 'offset-drift', '', {
          kind: 'offset-drift',
          lineMap: al.lineMap,
          basis,
          confidence: basis === 'git' ? 1 : al.guessed ? 0.6 : 0.9,
        });
        // the same for every edge of the caller (one alignment and commit per caller): written once
        if (!target.reason)
          target.reason =
            `hot call sites of ${e.caller} moved inside the function: ${describeMoves(al)}` +
            (basis === 'git' && commit ? ` (git history since ${commit.slice(0, 10)})` : '');
      } else continue;
    } else continue;
    lostTarget.set(k, target);
    target.edgeMap.push({ caller: e.caller, callee: e.callee, from: e.offset, ...(to !== undefined ? { to } : {}), weight: e.weight });
  }
  let lostWeight = 0;
  if (inp.groups) {
    // each lost sample once, charged to the owner of its heaviest lost edge
    const owner: (LossEntry | undefined)[] = keys.map((k) => lostTarget.get(k));
    const g = inp.groups;
    for (let i = 0; i < g.count; i++) {
      let best = -1;
      for (let j = g.start[i]!; j < g.start[i + 1]!; j++) {
        const ei = g.edge[j]!;
        if (owner[ei] && (best < 0 || inp.edges[ei]!.weight > inp.edges[best]!.weight || (inp.edges[ei]!.weight === inp.edges[best]!.weight && ei < best)))
          best = ei;
      }
      if (best < 0) continue;
      owner[best]!.weight += g.value[i]!;
      lostWeight += g.value[i]!;
    }
  } else {
    for (const en of entries.values()) {
      en.weight = en.edgeMap.reduce((s, e) => s + e.weight, 0);
      lostWeight += en.weight;
    }
  }
  for (const en of entries.values()) {
    en.edgeMap.sort((a, b) => a.from - b.from || (a.callee < b.callee ? -1 : a.callee > b.callee ? 1 : 0));
    if (en.kind === 'offset-drift') en.shift = mostCommon(en.edgeMap);
  }
  const out = [...entries.values()].sort((a, b) => b.weight - a.weight || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.kind < b.kind ? -1 : 1));
  return { entries: out, lostWeight };
}

function mostCommon(edges: EdgeShift[]): number | undefined {
  const w = new Map<number, number>();
  for (const e of edges) if (e.to !== undefined && e.to !== e.from) w.set(e.to - e.from, (w.get(e.to - e.from) ?? 0) + e.weight);
  return [...w].sort((a, b) => b[1] - a[1] || Math.abs(a[0]) - Math.abs(b[0]))[0]?.[0];
}

function commonShift(al: Alignment): number | undefined {
  const w = new Map<number, number>();
  for (const [e, to] of al.moved) w.set(to - e.offset, (w.get(to - e.offset) ?? 0) + e.weight);
  return [...w].sort((a, b) => b[1] - a[1] || Math.abs(a[0]) - Math.abs(b[0]))[0]?.[0];
}

/** `+5→+8 +9→+12`: the distinct moves of the re-aligned edges (at most 6). */
function describeMoves(al: Alignment): string {
  const pairs = new Map<number, number>();
  for (const [e, to] of al.moved) pairs.set(e.offset, to);
  const list = [...pairs].sort((a, b) => a[0] - b[0]).map(([f, t]) => `${signed(f)}→${signed(t)}`);
  return list.length > 6 ? `${list.slice(0, 6).join(' ')} … (${list.length} sites)` : list.join(' ');
}

/**
 * The sibling closure a closure's hot edges land in (statically named callees at the same
 * offsets), when they land there clearly better than in the closure itself.
 */
function closureSuccessor(
  own: FuncEntry,
  hot: readonly NamedEdge[],
  siblings: readonly FuncEntry[],
  lands: (en: FuncEntry, offset: number, callee: string) => Landing,
): { symbol: string; confidence: number } | undefined {
  if (own.kind !== 'closure' || hot.length === 0 || siblings.length === 0) return undefined;
  const total = hot.reduce((s, e) => s + e.weight, 0);
  const score = (en: FuncEntry): number => hot.reduce((s, e) => s + (lands(en, e.offset, e.callee) === 'strong' ? e.weight : 0), 0);
  const mine = score(own);
  if (mine >= total / 2) return undefined;
  let best: { e: FuncEntry; w: number } | undefined;
  for (const sib of siblings) {
    if (sib === own || sib.kind !== 'closure') continue;
    const w = score(sib);
    if (w > mine && w >= total / 2 && (!best || w > best.w)) best = { e: sib, w };
  }
  return best ? { symbol: best.e.symbol, confidence: Math.round((best.w / total) * 100) / 100 } : undefined;
}

/** Why `entry:+offset → callee` does not land. */
export function whyNot(entry: FuncEntry, offset: number, callee: string): string {
  if (offset < 0 || offset > endOffset(entry)) return `outside the function (it spans +0…${signed(endOffset(entry))})`;
  if (!isCodeOffset(entry, offset)) return 'a blank or comment line';
  const calls = entry.calls.filter((c) => c.offset === offset && !c.wrapper);
  if (calls.length === 0) return `no call on that line`;
  return `no call to ${genericKey(callee)} on that line`;
}

/** The line map of an entry as `LineShift`s (for `rewrite`). */
export type { LineShift };
