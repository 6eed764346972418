/**
 * The per-file view of one profile over one file's current declarations: heat per line, the
 * `go tool pprof -top` numbers at each declaration, hover details and the lenses where the
 * compiler decides something. Pure: the package index, the profile's tables and the binary's
 * match in, plain data out (no file system, no worker state).
 *
 * Heat and edges are keyed as the profile keys them, by (function symbol, line offset from the
 * function's start line), and placed on the line that offset denotes in the *current* text. So
 * heat follows a function when lines above it change, while an edit inside a function leaves
 * the profile's offsets pointing at whatever lines now sit there (the profile describes the code
 * it was recorded on).
 */
import * as path from 'node:path';
import { heatLevelOf } from '../pgo/heatscale';
import type { HeatTable } from '../pgo/heat-table';
import { percentOfProfile, profileTotal } from '../pgo/percent';
import { relLineAt, type TokenStream } from '../source/lexer';
import { type CallSite, type FuncEntry, genericKey, type PackageIndex, splitSymbol } from '../source/index';
import { type BinaryMatch, isClosureName } from './match';
import { type ProfileData, scalesOf } from './profile-data';
import type { FileView, FunctionMark, LensInfo, LineDetail, LineHeat } from './views';

/**
 * How a call the index sees matches an inline candidate's callee, best first: one call gets the
 * lens of its best-matching candidate (then the heaviest).
 */
export const CallMatch = {
  /** The index knows the callee statically and it is the candidate's. */
  staticCallee: 3,
  /** A dynamic call devirtualized to the candidate, whose name agrees (or which is not a method call). */
  devirtualizedTarget: 2,
  /** A method call of the candidate's method name: the receiver may well be concrete (the index has no type checker). */
  methodName: 1,
  /** A method call devirtualized to the candidate under another name. */
  devirtualizedOther: 0,
  none: -1,
} as const;

export type FileHeat = Pick<FileView, 'total' | 'sampleType' | 'heatLines' | 'heat' | 'functions' | 'lenses' | 'lines'>;

export interface FileViewInput {
  /** Absolute path of the file. */
  file: string;
  /** The file's package index (the file is one of its `files`). */
  index: PackageIndex;
  /** Directory the match's relative file names are relative to. */
  root: string;
  data: ProfileData;
  /** The binary's match covering this package (null: none). */
  match: BinaryMatch | null;
  /** The file's tokens when it has `//line` directives. */
  tokens: TokenStream | undefined;
  /** Compiler copies of inlined closures of the package → the closure's symbol (`closureCopies`). */
  copies: Map<string, string>;
}

export function fileHeat(inp: FileViewInput): FileHeat {
  const { file: abs, index, data, match, copies } = inp;
  const name = path.basename(abs);
  const entries = (index.byFile.get(name) ?? []).filter((e) => e.kind !== 'varinit' && e.kind !== 'mapinit');
  const copyNames = new Map<string, string[]>();
  for (const [copy, sym] of copies) {
    const list = copyNames.get(sym) ?? [];
    list.push(copy);
    copyNames.set(sym, list);
  }
  // One percentage base: the profile total (pprof's), for heat, callees and lenses alike.
  const pctS = (w: number): number => percentOfProfile(data.profile, w);
  const scale = scalesOf(data);
  const st = data.profile.sampleType;
  const functions: FunctionMark[] = [];

  // Devirtualizations and inline candidates of this file, by caller.
  const devirts = match ? ofFile(match.devirtualizations, inp.root, abs) : [];
  const cands = match ? ofFile(match.inlineCandidates, inp.root, abs) : [];

  const heatByLine = new Map<number, LineHeat>();
  const detailByLine = new Map<number, LineDetail>();
  const lenses = new Map<string, LensInfo>();
  const entryOfName = new Map<string, FuncEntry>();

  const ids = { data: idOf(data), hot: idOf(data.hot), tokens: idOf(inp.tokens), names: idOf(data.names), copies: idOf(copies) };
  for (const e of entries) {
    const own = profileNamesOf(e, data, ids.names);
    const copied = copyNames.get(e.symbol);
    const names = copied ? [...own, ...copied] : own;
    if (!names.length) continue;
    for (const n of names) entryOfName.set(n, e);
    const eh = entryHeatOf(e, names, inp, ids);
    if (eh.mark) functions.push(eh.mark);
    for (const { line, flat, cum, detail: d } of eh.lines) {
      if (flat || cum) {
        const h = heatByLine.get(line);
        if (h) {
          h.flat += flat;
          h.cum = Math.max(h.cum, cum);
        } else heatByLine.set(line, { line, flat, cum, flatPercent: 0, cumPercent: 0, flatLevel: 0, cumLevel: 0 });
      }
      const detail = { ...d }; // the cached one stays as computed (a devirtualization is added to this one below)
      const prev = detailByLine.get(line);
      // Two functions on one line (a closure starting on its parent's line): keep the hotter
      // function's key and offer every callee.
      if (!prev) detailByLine.set(line, detail);
      else {
        const [keep, other] = prev.cum >= detail.cum ? [prev, detail] : [detail, prev];
        const merged = new Map(keep.callees.map((c) => [c.callee, c]));
        for (const c of other.callees) if (!merged.has(c.callee)) merged.set(c.callee, c);
        detailByLine.set(line, { ...keep, hotSite: keep.hotSite || other.hotSite, callees: [...merged.values()].sort((a, b) => b.weight - a.weight) });
      }
    }
  }

  // Devirtualization lenses at the call's `(`.
  const devirtAt = new Map<string, { callee: string; weight: number }>();
  for (const d of devirts) {
    const e = entryOfName.get(d.caller) ?? entryFor(index, d.caller);
    const call = e?.calls.find((c) => c.physicalLine === d.line && c.col === d.col);
    if (!call) continue;
    const siteWeight = data.sites.siteWeight(d.caller, call.offset);
    const key = `${call.physicalLine}:${call.character}`;
    const prev = lenses.get(`devirt@${key}`);
    if (prev && prev.weight >= d.weight) continue;
    lenses.set(`devirt@${key}`, {
      line: call.physicalLine - 1,
      character: call.character,
      kind: 'devirt',
      caller: d.caller,
      callee: d.callee,
      weight: d.weight,
      percent: pctS(d.weight),
      sitePercent: siteWeight > 0 ? (d.weight / siteWeight) * 100 : 0,
      certain: d.certain,
      ...(d.doubt ? { why: d.doubt } : {}),
    });
    devirtAt.set(`${d.caller}@${key}`, { callee: d.callee, weight: d.weight });
    const detail = detailByLine.get(call.physicalLine - 1);
    if (detail && (!detail.devirtualized || detail.devirtualized.weight < d.weight))
      detail.devirtualized = { callee: d.callee, weight: d.weight, percent: pctS(d.weight) };
  }

  // Inline lenses: calls at hot sites whose callee is an inline candidate. A call with a
  // static callee is matched by its symbol. A call the index sees as dynamic is matched, in
  // this order, to the target it is devirtualized to when the names agree, to a candidate
  // method of the called name, and to any other devirtualization target; the inliner sees no
  // other callee (`CallMatch`).
  const rank = new Map<string, number>();
  for (const c of cands) {
    if (c.pgo === 'none') continue; // heat, not a decision: no lens
    const e = entryOfName.get(c.caller) ?? entryFor(index, c.caller);
    if (!e) continue;
    const want = genericKey(c.callee);
    const calleeName = methodOf(c.callee);
    for (const call of e.calls) {
      if (call.physicalLine !== c.line) continue;
      const key = `${call.physicalLine}:${call.character}`;
      const r = callMatch(call, want, calleeName, devirtAt.get(`${c.caller}@${key}`)?.callee === c.callee);
      if (r === CallMatch.none) continue;
      const prev = lenses.get(`inline@${key}`);
      const prevRank = rank.get(key) ?? CallMatch.none;
      if (prev && (prevRank > r || (prevRank === r && prev.weight >= c.weight))) continue;
      rank.set(key, r);
      lenses.set(`inline@${key}`, { ...inlineLens(call, c.caller, c.callee, c.weight, pctS(c.weight)), pgo: c.pgo, why: c.why });
    }
  }

  return {
    total: profileTotal(data.profile),
    sampleType: st ? `${st.type}/${st.unit}` : null,
    heatLines: { flat: scale.flat.lines, cum: scale.cum.lines },
    heat: [...heatByLine.values()]
      .map((h) => ({
        ...h,
        flatPercent: pctS(h.flat),
        cumPercent: pctS(h.cum),
        flatLevel: heatLevelOf(h.flat, scale.flat),
        cumLevel: heatLevelOf(h.cum, scale.cum),
      }))
      .sort((a, b) => a.line - b.line),
    functions: functions.sort((a, b) => a.line - b.line),
    lines: [...detailByLine.values()].sort((a, b) => a.line - b.line),
    lenses: [...lenses.values()].sort((a, b) => a.line - b.line || a.character - b.character || cmp(a.kind, b.kind)),
  };
}

/** One declaration's share of a file view: its function mark and its lines, in the order the view merges them. */
interface EntryHeat {
  mark: FunctionMark | undefined;
  lines: { line: number; flat: number; cum: number; detail: LineDetail }[];
}

/**
 * Per declaration entry (issue #14: typing re-walks one function, and the other entries stay the
 * same objects): its share of the view, kept while the profile tables, the file's `//line` tokens
 * and its profile names (with which of them are closure copies) are the ones it was computed with.
 */
const entryHeatCache = new WeakMap<
  FuncEntry,
  // `names` and `copies`: the very name list and copy map (by id) of the last hit, to skip building `sig` again (the worker's copy map is made once
  // per package and profile and never changed)
  { data: number; hot: number; tokens: number; sig: string; names: readonly string[]; copies: number; heat: EntryHeat }
>();

/**
 * A number per object (0 for none), so that a kept share names its profile tables and tokens without keeping them
 * alive: an entry that lives on after a profile reload must not hold the old tables.
 */
function idOf(o: object | undefined): number {
  if (!o) return 0;
  let id = objectIds.get(o);
  if (id === undefined) {
    id = ++lastObjectId;
    objectIds.set(o, id);
  }
  return id;
}
const objectIds = new WeakMap<object, number>();
let lastObjectId = 0;

/**
 * The profile names of an entry's symbol (`ProfileData.names.namesOf` of its generic key), kept per entry while the name
 * index is the one they were looked up in: typing in a 79,019-line file looked up every declaration's names again.
 */
function profileNamesOf(e: FuncEntry, data: ProfileData, namesId: number): readonly string[] {
  const c = profileNamesCache.get(e);
  if (c && c.names === namesId) return c.list;
  const list = data.names.namesOf(genericKey(e.symbol));
  profileNamesCache.set(e, { names: namesId, list });
  return list;
}
const profileNamesCache = new WeakMap<FuncEntry, { names: number; list: readonly string[] }>();

function entryHeatOf(
  e: FuncEntry,
  names: readonly string[],
  inp: FileViewInput,
  ids: { data: number; hot: number; tokens: number; copies: number },
): EntryHeat {
  const { data, copies, tokens } = inp;
  const c = entryHeatCache.get(e);
  const same = c !== undefined && c.data === ids.data && c.hot === ids.hot && c.tokens === ids.tokens;
  if (same && c.names === names && c.copies === ids.copies) return c.heat;
  const sig = names.map((n) => (copies.has(n) ? '*' : '') + n).join('\u0000');
  if (same && c.sig === sig) {
    c.names = names;
    c.copies = ids.copies;
    return c.heat;
  }
  const heat = entryHeat(e, names, data, copies, tokens);
  entryHeatCache.set(e, { data: ids.data, hot: ids.hot, tokens: ids.tokens, sig, names, copies: ids.copies, heat });
  return heat;
}

function entryHeat(e: FuncEntry, names: readonly string[], data: ProfileData, copies: Map<string, string>, tokens: TokenStream | undefined): EntryHeat {
  const pctS = (w: number): number => percentOfProfile(data.profile, w);
  const out: EntryHeat = { mark: undefined, lines: [] };
  const heat = data.profile.heat;
  const rowOf = names.map((n) => heat.find(n));
  const rows = rowOf.filter((i) => i >= 0 && (heat.flat[i] !== 0 || heat.cum[i] !== 0));
  if (rows.length) {
    const flat = rows.reduce((s, i) => s + heat.flat[i]!, 0);
    const cum = rows.reduce((s, i) => s + heat.cum[i]!, 0);
    const only = rows.length === 1 ? heat.names[rows[0]!] : undefined;
    out.mark = {
      line: e.physicalStartLine - 1,
      symbol: only ?? e.symbol,
      names: rows.length,
      flat,
      cum,
      flatPercent: pctS(flat),
      cumPercent: pctS(cum),
    };
  }
  const lineOf = offsetMapper(e, tokens);
  // per offset: heat summed over the names (generic instantiations, closure copies)
  const perOffset = new Map<number, { flat: number; cum: number; names: Set<string> }>();
  const at = (off: number): { flat: number; cum: number; names: Set<string> } => {
    let x = perOffset.get(off);
    if (!x) {
      x = { flat: 0, cum: 0, names: new Set() };
      perOffset.set(off, x);
    }
    return x;
  };
  for (let j = 0; j < names.length; j++) {
    const n = names[j]!;
    const i = rowOf[j]!;
    if (i < 0) continue;
    const start = heat.startLine[i]!;
    for (let k = heat.lineStart[i]!; k < heat.lineStart[i + 1]!; k++) {
      const x = at(heat.lineNo[k]! - start);
      x.flat += heat.lineFlat[k]!;
      x.cum += heat.lineCum[k]!;
      x.names.add(n);
    }
  }
  // call sites with profile edges (heat may be absent: preprofile input)
  for (const n of names) {
    if (copies.has(n)) continue; // a copy's edges belong to the function it was inlined into
    for (const k of data.sites.offsetsOf(n)) at(k).names.add(n);
  }
  for (const [off, x] of perOffset) {
    const line = lineOf(off);
    if (line === undefined) continue;
    const callees = new Map<string, number>();
    let hotSite = false;
    for (const n of x.names) {
      if (copies.has(n)) continue;
      for (const edge of data.sites.at(n, off)) callees.set(edge.callee, (callees.get(edge.callee) ?? 0) + edge.weight);
      if (data.sites.isHot(n, off, data.hot.hotCount)) hotSite = true;
    }
    const [single] = x.names;
    out.lines.push({
      line,
      flat: x.flat,
      cum: x.cum,
      detail: {
        line,
        symbol: x.names.size === 1 && single !== undefined ? single : e.symbol,
        offset: off,
        flat: x.flat,
        cum: x.cum,
        flatPercent: pctS(x.flat),
        cumPercent: pctS(x.cum),
        callees: [...callees]
          .map(([callee, weight]) => ({ callee, weight, percent: pctS(weight) }))
          .sort((a, b) => b.weight - a.weight || cmp(a.callee, b.callee)),
        hotSite,
      },
    });
  }
  return out;
}

/**
 * The items of a match list (devirtualizations, inline candidates) in one file, by the list
 * (a match's lists are not changed after it is made) and the directory its file names are
 * relative to: each name is resolved once per match, not once per view.
 */
function ofFile<T extends { file: string }>(items: readonly T[], root: string, abs: string): readonly T[] {
  let byRoot = fileGroups.get(items);
  if (!byRoot) {
    byRoot = new Map();
    fileGroups.set(items, byRoot);
  }
  let groups = byRoot.get(root) as Map<string, T[]> | undefined;
  if (!groups) {
    groups = new Map();
    for (const it of items) {
      const f = path.resolve(root, it.file);
      const g = groups.get(f);
      if (g) g.push(it);
      else groups.set(f, [it]);
    }
    byRoot.set(root, groups);
  }
  return groups.get(abs) ?? [];
}
const fileGroups = new WeakMap<readonly { file: string }[], Map<string, Map<string, { file: string }[]>>>();

/** How `call` matches an inline candidate's callee (`want`: its generic key; `calleeName`: its method name). */
function callMatch(call: CallSite, want: string, calleeName: string, devirtualizedToIt: boolean): number {
  if (call.calleeSymbol) return genericKey(call.calleeSymbol) === want ? CallMatch.staticCallee : CallMatch.none;
  const named = call.kind === 'method' && call.name !== undefined && calleeName === call.name;
  if (devirtualizedToIt && (named || call.kind !== 'method')) return CallMatch.devirtualizedTarget;
  if (named) return CallMatch.methodName;
  return devirtualizedToIt ? CallMatch.devirtualizedOther : CallMatch.none;
}

/** The declaration of a linker symbol in a package index (generic instantiations by their generic key). */
export function entryFor(index: PackageIndex, sym: string): FuncEntry | undefined {
  const key = genericKey(sym);
  const direct = index.bySymbol.get(key);
  if (direct) return direct;
  let m = firstByKey.get(index);
  if (!m) {
    m = new Map();
    for (const f of index.funcs) {
      const k = genericKey(f.symbol);
      if (!m.has(k)) m.set(k, f);
    }
    firstByKey.set(index, m);
  }
  return m.get(key);
}
/** Per package index (immutable): the first entry of each generic key. */
const firstByKey = new WeakMap<PackageIndex, Map<string, FuncEntry>>();

/**
 * Profile functions of the package that are compiler copies of closures inlined elsewhere
 * (`Outer.Inlined.funcN`): they run the closure's own lines, so their heat belongs to the
 * closure declared at their start line. Closure copy → the closure's symbol.
 */
export function closureCopies(index: PackageIndex, heat: HeatTable): Map<string, string> {
  const m = new Map<string, string>();
  const prefix = index.symbolPrefix;
  for (let i = 0; i < heat.count; i++) {
    const name = heat.names[i]!;
    if (!isClosureName(name) || splitSymbol(name).prefix !== prefix) continue;
    if (index.bySymbol.has(genericKey(name))) continue;
    const base = path.basename(heat.file(i));
    const startLine = heat.startLine[i]!;
    const orig = index.funcs.find(
      (e) => e.startLine === startLine && (e.kind === 'closure' || e.kind === 'range' || e.kind === 'synthetic') && path.basename(e.relFile ?? e.file) === base,
    );
    if (orig) m.set(name, orig.symbol);
  }
  return m;
}

function inlineLens(call: CallSite, caller: string, callee: string, weight: number, percent: number): LensInfo {
  return { line: call.physicalLine - 1, character: call.character, kind: 'inline', caller, callee, weight, percent };
}

/** The method or function name of a symbol (`Intn` for `math/rand.(*Rand).Intn`). */
function methodOf(sym: string): string {
  const name = genericKey(splitSymbol(sym).name);
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * The 0-based physical line of a profile offset within a function (undefined outside the
 * function's current extent). Without `//line` directives it is start + offset; with them, the
 * line whose RelLine is the function's start RelLine + offset.
 */
export function offsetMapper(e: FuncEntry, ts: TokenStream | undefined): (off: number) => number | undefined {
  const first = e.physicalStartLine;
  const last = Math.max(e.physicalEndLine, first);
  if (!ts || ts.lineDirectives.length === 0) {
    return (off) => (off >= 0 && first + off <= last ? first - 1 + off : undefined);
  }
  const byOffset = new Map<number, number>();
  for (let p = first; p <= last; p++) {
    // a line's RelLine as of its end, so `/*line f:n*/` earlier on the line applies to it
    const end = p < ts.lineStarts.length ? (ts.lineStarts[p] ?? 0) - 1 : ts.src.length;
    const off = relLineAt(ts, Math.max(end, ts.lineStarts[p - 1] ?? 0), p) - e.startLine;
    if (!byOffset.has(off)) byOffset.set(off, p - 1);
  }
  return (off) => byOffset.get(off);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
