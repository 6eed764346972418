/**
 * Profile ⋈ source index for one binary (a main package and its profile): which profile
 * functions are which declarations, the hot call sites present in the source (inline
 * candidates), the devirtualizations the compiler will perform, and the profile functions of the
 * workspace's packages that no longer match. Pure data in, pure data out.
 */
import * as path from 'node:path';
import type { HotSet, NamedEdge, PgoProfile } from '../pgo/model';
import { type CallSite, type FuncEntry, genericKey, type PackageIndex, prefixToPath, splitSymbol } from '../source/index';
import { receiverOfSymbol } from '../source/method-sets';
import type { Universe } from '../source/universe';
import { chooseDevirtualization, type CandidateEdge, type DevirtKind } from './devirt';
import { type EdgeIndex, edgeIndexOf } from './edge-index';
import { percentOfProfile, profileTotal } from '../pgo/percent';
import { AlignMemo, type LineShift } from './align';
import { classifyHotSite, type HotSitePgo } from './hot-sites';
import { LandingMemo } from './landing';
import { type Asked, type CallerRecord, DevirtMemo, type KeptSite, sameAnswer } from './devirt-memo';
import { type Attempt, type EdgeRecord, InlineMemo, keptHolds, type SiteCall } from './inline-memo';
import { CostMemo } from './cost-memo';
import { costModel, HOT_BUDGET, INLINE_BUDGET, verdict } from './inlinable';
import { type FileHistory, offsetMapper } from './history';
import { DeclTable } from './decl-table';
import { accountLoss, type EdgeShift } from './loss';
import { edgeTables } from './loss-tables';
import { classifyUnmatched, type RefactorEntry, type RefactorGroup, type ScoredCandidate, type UnmatchedKind } from './refactor';
import { RefactorCache } from './refactor-cache';
import { GuessMemo } from './guess-memo';
import { pairIndexes } from './twins';
import { receiverImplements, wrapperReasonOf } from './type-facts';

export interface IndexedPackage {
  dir: string;
  importPath: string;
  /** 'main' for a main package in a normal build. */
  symbolPath: string;
  index: PackageIndex;
}

export interface InlineCandidate {
  file: string;
  line: number;
  caller: string;
  callee: string;
  weight: number;
  percent: number;
  /**
   * What PGO decides here (hot-sites.ts): 'hot-budget' — the callee is inlined only thanks to
   * the hot budget (cost in (80, 2000], body available, caller not big); 'possible' — it may be,
   * the source cannot tell; 'none' — PGO changes nothing here (heat only). `why` says which rule.
   */
  pgo: HotSitePgo;
  why: string;
  /** Estimated inliner cost of the callee (source/inline-cost.ts), when known. */
  cost?: number;
}

export interface Devirtualization {
  file: string;
  line: number;
  /** 1-based column of the call's `(`, as the compiler reports it. */
  col: number;
  caller: string;
  callee: string;
  weight: number;
  kind: DevirtKind;
  /** False: possible, not certain (`doubt` says which rule the source cannot decide). */
  certain: boolean;
  doubt?: string;
}

export interface Unmatched {
  symbol: string;
  /** Sample value lost through this entry's hot edges (each lost sample charged to one entry; loss.ts). */
  weight: number;
  /** `weight` as a percentage of the profile total (pgo/percent.ts); they sum to `lostPercent`. */
  percent: number;
  reason: string;
  /** Refactor impact (see refactor.ts): renamed / moved (with `suggestion`), removed, offset-drift, changed. */
  kind: UnmatchedKind;
  /** The declaration's linker symbol now (renamed, moved). */
  suggestion?: string;
  /** 0..1. */
  confidence?: number;
  /** offset-drift (renamed/moved with drift): lines the hot call sites moved by (new − old; the most common shift). */
  shift?: number;
  /** offset-drift (renamed/moved with drift): profile offset → source offset of the function's lines (for rewrite). */
  lineMap?: LineShift[];
  /** The line map comes from git history ('git') or from pairing calls by callee. */
  basis?: 'git' | 'calls';
  /** The lost hot edges charged to this entry: profile offset → offset now (`to` absent when gone). */
  edgeMap?: EdgeShift[];
}

export interface BinaryMatch {
  mainPackage: string;
  mainDir: string;
  profile: string;
  inlineCandidates: InlineCandidate[];
  devirtualizations: Devirtualization[];
  unmatched: Unmatched[];
  /** 100 − lostPercent: the share of the profile the source still matches. */
  matchedPercent: number;
  /** The samples whose hot call edges touching the workspace no longer match, as a percentage of the profile total; Σ unmatched[].percent. */
  lostPercent: number;
  /** The percentage base: the profile total (sum of the chosen sample values; TotalWeight for preprofile input). */
  profileTotal: number;
  /** Profile function name → its declaration. */
  resolved: Map<string, Resolved>;
}

export interface Resolved {
  pkg: IndexedPackage;
  entry: FuncEntry;
  /** Compiler-made copy of an inlined closure, charged to the function it was inlined into. */
  copy?: boolean;
}

const CLOSURE_RE = /(\.func\d+|\.\d+|-range\d+|\.gowrap\d+|\.deferwrap\d+)$/;

function isExportedName(name: string): boolean {
  const c = name.charCodeAt(0);
  return (c >= 65 && c <= 90) || c > 127;
}

export function isClosureName(sym: string): boolean {
  return CLOSURE_RE.test(splitSymbol(sym).name);
}

export function isMethodName(sym: string): boolean {
  if (isClosureName(sym)) return false;
  const n = genericKey(splitSymbol(sym).name);
  return n.startsWith('(') || n.includes('.');
}

/** The compiler's names for code it generates: not user declarations. */
function generatedReason(name: string): string | null {
  if (/-fm$/.test(name)) return 'method value wrapper (compiler-generated)';
  if (/(^|\.)(\.?eq|hash)\./.test(name) || name.includes('..')) return 'compiler-generated';
  return null;
}

export interface MatchInput {
  root: string;
  mainDir: string;
  profilePath: string;
  profile: PgoProfile;
  /** The CDF hot set; its sites are looked up in the profile's edge index. */
  hot: HotSet;
  /** Every package under root (main packages included). */
  packages: IndexedPackage[];
  /** The file's text at the profile's commit diffed with the text now (history.ts), where known. */
  history?: (pkg: IndexedPackage, file: string) => FileHistory | undefined;
  /**
   * Types and functions outside `packages` (source/universe.ts): interface satisfaction and the
   * inliner cost of callees in the standard library and dependencies. Without it those rules
   * cannot be decided and the predictions they affect are 'possible'.
   */
  universe?: Universe;
  /** What the binary's previous matches computed that still holds (the result is the same without it). */
  cache?: MatchCache;
}

/** What one binary's matches keep between edits (the worker holds one per binary). */
export class MatchCache {
  readonly refactor = new RefactorCache<ScoredCandidate>();
  /** The last rename/move guesses, kept whole while no score can change (guess-memo.ts). */
  readonly guesses = new GuessMemo();
  readonly costs = new CostMemo();
  readonly aligns = new AlignMemo();
  readonly landings = new LandingMemo();
  readonly inline = new InlineMemo();
  readonly devirt = new DevirtMemo<Devirtualization>();
  /** The binary's declarations by key, updated per edited package (decl-table.ts). */
  readonly decls = new DeclTable<IndexedPackage>(keysOf, resolvedOf);
  /** How each profile name resolved (`matchBinary` `resolve`), while the declarations' keys, the universe and the packages' prefixes stand. */
  readonly names = new NameResolutions();
  /** Each package's index at the last match (by directory): a new index's moved declarations take their twin tokens from it (twins.ts). */
  private indexes = new Map<string, PackageIndex>();

  /** Pairs each package's index with its index at the last match, so that declarations that only moved share their kept results. */
  pairTwins(pkgs: readonly IndexedPackage[]): void {
    const next = new Map<string, PackageIndex>();
    for (const p of pkgs) {
      const was = this.indexes.get(p.dir);
      if (was && was !== p.index) pairIndexes(was, p.index);
      next.set(p.dir, p.index);
    }
    this.indexes = next;
  }
}

/** How a profile name resolves: to the declaration of a key, to a copy of one (an inlined closure), or not (why). */
type NameResolution = { key: string; copy: boolean } | { reason: string };

/**
 * The resolutions of profile names kept between matches. What a name resolves to depends only on which keys the
 * declarations have (not on which entry holds a key), on the universe (wrapper reasons) and on the packages'
 * prefixes: while those stand, a name resolves through the same key to whatever the key holds now.
 */
export class NameResolutions {
  private readonly byName = new Map<string, NameResolution>();
  private basis: readonly [number, unknown, string] | undefined;

  /** Starts a match: forgets everything when its basis changed. */
  sync(keySetVersion: number, universe: unknown, prefixes: string): void {
    const b = this.basis;
    if (!b || b[0] !== keySetVersion || b[1] !== universe || b[2] !== prefixes) this.byName.clear();
    this.basis = [keySetVersion, universe, prefixes];
  }

  /** Names answered from here, over its life (tests read this). */
  hits = 0;

  get(name: string): NameResolution | undefined {
    const r = this.byName.get(name);
    if (r) this.hits++;
    return r;
  }

  set(name: string, r: NameResolution): void {
    this.byName.set(name, r);
  }
}

const keysCache = new WeakMap<PackageIndex, readonly string[]>();
/** An entry's `genericKey`: a new index keeps the entry objects of the declarations an edit did not touch. */
const entryKeys = new WeakMap<FuncEntry, string>();
/** `genericKey` of each of a package's entries (`funcs` order), computed once per index. */
function keysOf(ix: PackageIndex): readonly string[] {
  let keys = keysCache.get(ix);
  if (!keys) {
    keys = ix.funcs.map((e) => {
      let k = entryKeys.get(e);
      if (k === undefined) {
        k = genericKey(e.symbol);
        entryKeys.set(e, k);
      }
      return k;
    });
    keysCache.set(ix, keys);
  }
  return keys;
}

const groupCache = new WeakMap<PackageIndex, RefactorGroup>();
/** A package's declarations as a rename-guess group: its keys and its entries in parts per file (`funcs` order). */
function groupOf(ix: PackageIndex): RefactorGroup {
  let g = groupCache.get(ix);
  if (!g) {
    const parts: RefactorEntry[][] = [];
    let last: FuncEntry | undefined;
    for (const entry of ix.funcs) {
      const part = parts[parts.length - 1];
      if (part && last && last.file === entry.file) part.push({ symbol: entry.symbol, entry });
      else parts.push([{ symbol: entry.symbol, entry }]);
      last = entry;
    }
    g = { id: ix, keys: keysOf(ix), parts };
    groupCache.set(ix, g);
  }
  return g;
}

/** A package's entries in `funcs` order as rename-guess entries (the group's own objects) and its closures by enclosing function, once per index. */
interface PackageTables {
  entries: readonly RefactorEntry[];
  closures: ReadonlyMap<string, readonly FuncEntry[]>;
}
const tablesCache = new WeakMap<PackageIndex, PackageTables>();
function tablesOf(ix: PackageIndex): PackageTables {
  let t = tablesCache.get(ix);
  if (!t) {
    const entries = groupOf(ix).parts.flat();
    const closures = new Map<string, FuncEntry[]>();
    for (const { entry } of entries) {
      if (!entry.parent || entry.kind !== 'closure') continue;
      const list = closures.get(entry.parent);
      if (list) list.push(entry);
      else closures.set(entry.parent, [entry]);
    }
    t = { entries, closures };
    tablesCache.set(ix, t);
  }
  return t;
}

/** The `Resolved` of each of a package's entries (`funcs` order), once per index and package object. */
const resolvedCache = new WeakMap<PackageIndex, WeakMap<IndexedPackage, readonly Resolved[]>>();
/** The last `Resolved` made for an entry (reused by the next index of its package while the entry object stands). */
const entryResolved = new WeakMap<FuncEntry, Resolved>();
function resolvedOf(pkg: IndexedPackage): readonly Resolved[] {
  let byPkg = resolvedCache.get(pkg.index);
  if (!byPkg) {
    byPkg = new WeakMap();
    resolvedCache.set(pkg.index, byPkg);
  }
  let rs = byPkg.get(pkg);
  if (!rs) {
    rs = pkg.index.funcs.map((entry) => {
      let r = entryResolved.get(entry);
      if (r?.pkg !== pkg) {
        r = { pkg, entry };
        entryResolved.set(entry, r);
      }
      return r;
    });
    byPkg.set(pkg, rs);
  }
  return rs;
}

export function matchBinary(inp: MatchInput): BinaryMatch {
  const { profile, hot, root } = inp;
  const main = inp.packages.find((p) => p.dir === inp.mainDir && p.symbolPath === 'main');
  // The binary sees its own main package and every non-main package (other mains collide on "main").
  const pkgs = inp.packages.filter((p) => p.symbolPath !== 'main' || p === main);
  const prefixes = new Set(pkgs.map((p) => p.index.symbolPrefix));
  // Declarations by key (`byKey`: what a profile name resolves to; `bySymbol`: the last declaration of a key), kept per binary and updated per edited package (decl-table.ts).

  const decls = inp.cache?.decls ?? new DeclTable<IndexedPackage>(keysOf, resolvedOf);
  decls.sync(pkgs);
  inp.cache?.pairTwins(pkgs);
  const { byKey, bySymbol } = decls;

  const underDir = (sym: string): boolean => prefixes.has(splitSymbol(sym).prefix);
  const resolved = new Map<string, Resolved>();
  const unresolvedReason = new Map<string, string>();
  const prefixList = [...prefixes].sort().join('\n');
  const names = inp.cache?.names;
  names?.sync(decls.keySetVersion, inp.universe, prefixList);
  const resolve = (sym: string): Resolved | undefined => {
    if (resolved.has(sym)) return resolved.get(sym);
    if (unresolvedReason.has(sym)) return undefined;
    const was = names?.get(sym);
    if (was) {
      if ('reason' in was) {
        unresolvedReason.set(sym, was.reason);
        return undefined;
      }
      const d = byKey.get(was.key);
      if (d) {
        const r = was.copy ? { ...d, copy: true } : d;
        resolved.set(sym, r);
        return r;
      }
    }
    const key = genericKey(sym);
    let r: Resolved | undefined = byKey.get(key);
    let via = key;
    if (!r) {
      // Inlined closure copies: Caller.<inlined names>.funcN — charge to the longest known prefix.
      const { prefix, name } = splitSymbol(key);
      const parts = name.split('.');
      for (let k = parts.length - 1; k >= 1 && !r; k--) {
        via = `${prefix}.${parts.slice(0, k).join('.')}`;
        const cand = byKey.get(via);
        if (cand && CLOSURE_RE.test(name)) r = { ...cand, copy: true };
      }
      if (!r) {
        // promoted-method and pointer wrappers exist whenever the method set says so (wrappers.ts)
        const wrapper = inp.universe && underDir(sym) ? wrapperReasonOf(inp.universe.types, sym) : undefined;
        const reason = generatedReason(name) ?? wrapper ?? `no declaration of ${sym} in the source`;
        unresolvedReason.set(sym, reason);
        names?.set(sym, { reason });
        return undefined;
      }
    }
    names?.set(sym, { key: via, copy: !!r.copy });
    resolved.set(sym, r);
    return r;
  };

  // One percentage base everywhere: the profile total (pgo/percent.ts).
  const pct = (w: number): number => percentOfProfile(profile, w);
  const rels = new Map<string, string>();
  const rel = (pkg: IndexedPackage, file: string): string => {
    const k = `${pkg.dir}\x00${file}`;
    let r = rels.get(k);
    if (r === undefined) {
      r = path.relative(root, path.join(pkg.dir, file)).split(path.sep).join('/');
      rels.set(k, r);
    }
    return r;
  };

  // ---- lost hot weight, each lost edge charged to one unmatched entry (loss.ts)
  const tables = pkgs.map((p) => tablesOf(p.index));
  const visible = tables.flatMap((t) => t.entries);
  const resolveEntry = (sym: string) => {
    const r = resolve(sym);
    return r && !r.copy ? r.entry : undefined;
  };
  const history = (caller: string, entry: FuncEntry) => {
    const r = resolve(caller);
    const h = r && inp.history?.(r.pkg, entry.file);
    const start = h ? profile.heat.startLineOf(caller) : undefined;
    const mapper = h && start ? offsetMapper(h, start, entry) : undefined;
    return mapper ? { mapper, commit: h!.commit } : undefined;
  };
  const refactorInput = {
    profile,
    entries: visible,
    resolve: resolveEntry,
    entryByKey: (k: string) => bySymbol.get(k),
    ...(inp.cache ? { groups: pkgs.map((p) => groupOf(p.index)), cache: inp.cache.refactor, whole: inp.cache.guesses } : {}),
  };
  const closuresOf = new Map<string, readonly FuncEntry[]>();
  for (const t of tables)
    for (const [parent, list] of t.closures) {
      const had = closuresOf.get(parent);
      closuresOf.set(parent, had ? [...had, ...list] : list);
    }
  const loss = accountLoss({
    edges: profile.edges,
    ...(profile.edgeGroups ? { groups: profile.edgeGroups } : {}),
    hotEdges: hot.hotEdges,
    inWorkspace: underDir,
    resolve,
    isGenerated,
    unresolvedReason: (sym) => unresolvedReason.get(sym) ?? '',
    classify: (syms) => classifyUnmatched(refactorInput, syms),
    declaration: (sym) => bySymbol.get(genericKey(sym)),
    siblings: (entry) => (entry.parent ? (closuresOf.get(entry.parent) ?? []) : []),
    ...(inp.history ? { history } : {}),
    ...(inp.cache ? { alignMemo: inp.cache.aligns, landingMemo: inp.cache.landings } : {}),
  });
  const unmatched: Unmatched[] = loss.entries.map((l) => ({ ...l, percent: pct(l.weight) }));
  const lostPercent = pct(loss.lostWeight);
  const matchedPercent = Math.max(0, 100 - lostPercent);

  // ---- what the compiler knows about callees: bodies, costs, method sets
  const bySite = edgeIndexOf(profile);
  const entryOf = (sym: string): FuncEntry | undefined => {
    const r = byKey.get(genericKey(sym));
    if (r) return r.entry;
    return underDir(sym) ? undefined : inp.universe?.entry(sym);
  };
  // generic functions: their index symbol has `[...]`, the profile's shaped instantiations `[go.shape.…]`
  const hotCalleesG = new Set([...hot.hotCallees].map((c) => genericKey(c)));
  const kept = inp.cache?.costs;
  kept?.sync({ hot, universe: inp.universe, prefixes: prefixList }, new Map(pkgs.map((p) => [p.dir, p.index])), byKey, keysOf, decls.changedKeys());
  const cost = costModel(
    entryOf,
    {
      isHotCallee: (sym) => hotCalleesG.has(genericKey(sym)),
      isHotSite: (caller, offset) => bySite.isHotByKey(genericKey(caller), offset, hot.hotCount),
    },
    kept,
  );
  const budgetOf = (callee: string): number => (hotCalleesG.has(genericKey(callee)) ? HOT_BUDGET : INLINE_BUDGET);
  // shouldPGODevirt: the callee's body is there if it is local (unless a pragma forbids), or
  // inlinable in its own package (export data carries inline bodies only)
  const bodyFor = (callerPkg: IndexedPackage, callee: string): { has: 'yes' | 'no' | 'maybe'; why?: string } => {
    const r = byKey.get(genericKey(callee));
    if (r && r.pkg === callerPkg) return { has: r.entry.inline?.refusal?.startsWith('marked ') ? 'no' : 'yes' };
    const est = cost(callee);
    const v = est ? verdict(est, budgetOf(callee)) : 'maybe';
    if (v === 'no') return { has: 'no' };
    // The compilation knows only packages its direct imports' export data mention; a package
    // imported only further down may be unknown to it ("pkg P doesn't exist"), and then the
    // callee has no IR at all.
    const calleePath = r ? r.pkg.importPath : prefixToPath(splitSymbol(callee).prefix);
    if (callerPkg.index.imports && calleePath && !callerPkg.index.imports.includes(calleePath)) {
      return {
        has: 'maybe',
        why: `${calleePath} is not imported by the caller's package: the compiler knows ${callee} only if an import's export data mentions it`,
      };
    }
    if (v === 'maybe') {
      return {
        has: 'maybe',
        why: est
          ? `${callee} (estimated cost ${est.cost}) may or may not be inlinable in its package, and only then is its body exported`
          : `the cost of ${callee} is unknown`,
      };
    }
    // An unexported function or receiver type of another package is in its export data only if
    // something exported reaches it (pgoir LookupFunc: "missing objReader"); the source index
    // does not follow that reachability.
    const name = receiverOfSymbol(callee)?.name ?? splitSymbol(callee).name;
    if (!isExportedName(name))
      return { has: 'maybe', why: `${name} is unexported: ${callee} is in its package's export data only if exported code reaches it` };
    return { has: 'yes' };
  };
  const types = inp.universe?.types;
  const implementsAt =
    (c: CallSite): ((callee: string) => boolean | undefined) =>
    (callee) =>
      types && c.ifaceMethods ? receiverImplements(types, callee, c.ifaceMethods) : undefined;

  // ---- devirtualizations at interface and function-value calls
  const devirtualizations: Devirtualization[] = [];
  const devirtAt = new Map<string, { certain: boolean }>();
  const profileNamesFor = new Map<FuncEntry, string[]>();
  for (const name of edgeTables(profile.edges).byCaller.keys()) {
    const r = resolve(name);
    if (!r || r.copy) continue;
    const list = profileNamesFor.get(r.entry) ?? [];
    list.push(name);
    profileNamesFor.set(r.entry, list);
  }
  const localPkgOf = (sym: string): IndexedPackage | undefined => resolve(sym)?.pkg;
  const signatureOf = (callee: string): string | undefined =>
    resolve(callee)?.entry.signature ?? (underDir(callee) ? undefined : inp.universe?.entry(callee)?.signature);
  // Packages a compilation can see: its own and its transitive imports. A callee in any other
  // package is not in export data (pgoir addIndirectEdges: "the callee isn't in the transitive
  // deps of this package"): an IR-less node, which blocks devirtualization when hottest.
  const byImportPath = new Map(inp.packages.map((p) => [p.importPath, p]));
  const depsCache = new Map<IndexedPackage, Set<IndexedPackage> | null>();
  const depsOf = (pkg: IndexedPackage): Set<IndexedPackage> | null => {
    if (depsCache.has(pkg)) return depsCache.get(pkg)!;
    if (!pkg.index.imports) {
      depsCache.set(pkg, null);
      return null;
    }
    const seen = new Set<IndexedPackage>([pkg]);
    const queue = [pkg];
    while (queue.length) {
      const p = queue.pop()!;
      for (const imp of p.index.imports ?? []) {
        const q = byImportPath.get(imp);
        if (q && q.symbolPath !== 'main' && !seen.has(q)) {
          seen.add(q);
          queue.push(q);
        }
      }
    }
    depsCache.set(pkg, seen);
    return seen;
  };
  const hasIR = (callerPkg: IndexedPackage, callee: string): boolean => {
    const r = resolve(callee);
    if (r) {
      if (r.copy) return false;
      const deps = depsOf(callerPkg);
      if (deps && !deps.has(r.pkg)) return false;
      // generic instantiations are found only when compiled in the caller's own package
      return !callee.includes('[') || r.pkg === callerPkg;
    }
    if (underDir(callee) || isClosureName(callee) || callee.includes('[') || callee === '') return false;
    // Assembly and linker symbols without a package (gcWriteBarrier, memeqbody…) have no IR: on a
    // weight tie the compiler prefers a callee with IR (toml corpus module, lex.go:85).
    if (splitSymbol(callee).prefix === '') return false;
    // Outside the workspace: plain functions and methods come from export data; runtime's
    // assembly entry points (asyncPreempt, morestack…) have no IR.
    return !callee.startsWith('runtime.');
  };
  // each caller's decisions are kept between matches with the questions they asked (devirt-memo.ts)
  const dmemo = inp.cache?.devirt;
  dmemo?.sync(profile, root, main, inp.universe);
  /** Asks question q about a callee for call c of a caller compiled in irPkg, declared in pkg. */
  const ask = (q: Asked['q'], callee: string, c: CallSite, pkg: IndexedPackage, irPkg: IndexedPackage): unknown =>
    q === 0 ? hasIR(irPkg, callee) : q === 1 ? signatureOf(callee) : q === 2 ? bodyFor(pkg, callee) : implementsAt(c)(callee);
  const emit = (o: NonNullable<KeptSite<Devirtualization>['out']>): void => {
    devirtualizations.push(o.d);
    devirtAt.set(o.key, { certain: o.certain });
  };
  for (const [entry, names] of profileNamesFor) {
    const pkg = localPkgOf(names[0]!)!;
    for (const callerName of names) {
      // A shaped instantiation of generic code is compiled in a package that instantiates it, which
      // can be the main package (btree's items[go.shape.struct{…}].find.func1 with main's types): its
      // compilation sees the binary's packages, not only the generic code's own imports.
      const irPkg = callerName.includes('[') && main ? main : pkg;
      const kept = dmemo?.get(callerName, entry, pkg);
      if (kept) {
        dmemo!.counts.replayed++;
        for (const site of kept.sites) {
          const c = entry.calls[site.call]!;
          if (site.asked.every((x) => sameAnswer(ask(x.q, x.callee, c, pkg, irPkg), x.answer))) {
            dmemo!.counts.reused++;
            if (site.out) emit(site.out);
            continue;
          }
          const again = decide(callerName, entry, c, site.call, pkg, irPkg);
          site.asked = again.asked;
          if (again.out) site.out = again.out;
          else delete site.out;
        }
        continue;
      }
      const rec: CallerRecord<Devirtualization> = { entry, pkg, sites: [] };
      entry.calls.forEach((c, i) => {
        // The compiler skips go/defer calls; one with a wrapper is an ordinary call inside the
        // wrapper, but the runtime elides wrappers from profiles, so no edge can name it.
        if (c.goDefer) return;
        const edges = bySite.at(callerName, c.offset);
        if (edges.length === 0 || !devirtKind(c, edges)) return;
        rec.sites.push(decide(callerName, entry, c, i, pkg, irPkg));
      });
      dmemo?.set(callerName, rec);
    }
  }
  /** The devirtualization at call c (index i) of a caller, with the questions it asked; emitted. */
  function decide(callerName: string, entry: FuncEntry, c: CallSite, i: number, pkg: IndexedPackage, irPkg: IndexedPackage): KeptSite<Devirtualization> {
    const asked: Asked[] = [];
    const log = (q: Asked['q'], callee: string): unknown => {
      const answer = ask(q, callee, c, pkg, irPkg);
      asked.push({ q, callee, answer });
      return answer;
    };
    const edges = bySite.at(callerName, c.offset);
    const dk = devirtKind(c, edges)!;
    const query = candidateEdges(
      callerName,
      c.offset,
      entry,
      edges,
      bySite,
      (callee) => log(0, callee) as boolean,
      (callee) => log(1, callee) as string | undefined,
    );
    const res = chooseDevirtualization({
      kind: dk,
      ...(c.name ? { method: c.name } : {}),
      ...(c.funcType ? { funcType: c.funcType } : {}),
      edges: query,
      isMethod: isMethodName,
      isClosure: isClosureName,
      inlineImpossible: () => false,
      body: (callee) => log(2, callee) as ReturnType<typeof bodyFor>,
      implements: (callee) => log(3, callee) as boolean | undefined,
    });
    if (!res) return { call: i, asked };
    const certain = res.certain && c.dispatch !== 'unknown';
    const out = {
      d: {
        file: rel(pkg, entry.file),
        line: c.physicalLine,
        col: c.col,
        caller: callerName,
        callee: res.callee,
        weight: res.weight,
        kind: dk,
        // how the call dispatches is itself a guess when the index could not type the receiver
        certain,
        ...(res.doubt || c.dispatch === 'unknown'
          ? {
              doubt: [
                c.dispatch === 'unknown' ? 'the index cannot type the call (interface or function value is guessed from the profile)' : '',
                res.doubt ?? '',
              ]
                .filter(Boolean)
                .join('; '),
            }
          : {}),
      },
      key: `${callerName}\x00${c.offset}\x00${res.callee}`,
      certain,
    };
    emit(out);
    return { call: i, asked, out };
  }

  // ---- inline candidates: hot sites present in the source (each hot edge's attempts kept between matches: inline-memo.ts)
  const inlineCandidates: InlineCandidate[] = [];
  const seenCand = new Set<string>();
  const memo = inp.cache?.inline;
  memo?.sync(profile, hot, root);
  const attempt = (e: NamedEdge, r: Resolved, a: Attempt): void => {
    if (seenCand.has(a.key)) return;
    seenCand.add(a.key);
    const d = devirtAt.get(a.devirtKey);
    const call: SiteCall = a.direct ? 'direct' : d ? (d.certain ? 'devirtualized' : 'devirtualized-possibly') : 'none';
    // no call to it here (runtime helpers of operators and builtins): no cost needed, and no package to index
    const est = call === 'none' ? undefined : cost(a.callee);
    if (keptHolds(a, call, est)) {
      inlineCandidates.push(a.made!);
      memo!.counts.reused++;
      return;
    }
    const site = classifyHotSite({
      caller: e.caller,
      callee: a.callee,
      call,
      cost: est,
      calleeBudget: budgetOf(a.callee),
      calleeIsClosure: isClosureName(a.callee),
      callerNodes: r.entry.inline?.nodes,
    });
    const made: InlineCandidate = {
      file: rel(r.pkg, r.entry.file),
      line: a.line,
      caller: e.caller,
      callee: a.callee,
      weight: a.weight,
      percent: pct(a.weight),
      pgo: site.pgo,
      why: site.why,
      ...(est ? { cost: est.cost } : {}),
    };
    a.call = call;
    a.est = est;
    a.made = made;
    inlineCandidates.push(made);
  };
  for (const e of hot.hotEdges) {
    const r = resolve(e.caller);
    if (!r || r.copy) continue;
    const kept = memo?.get(e, r.entry, r.pkg, () => rel(r.pkg, r.entry.file));
    if (kept) {
      memo!.counts.replayed++;
      for (const a of kept.attempts) attempt(e, r, a);
      continue;
    }
    const rec: EdgeRecord = { entry: r.entry, pkg: r.pkg, attempts: [] };
    const calls = r.entry.calls.filter((c) => c.offset === e.offset);
    const file = rel(r.pkg, r.entry.file);
    const line = calls.length ? calls[0]!.physicalLine : r.entry.physicalStartLine + e.offset;
    const add = (callee: string, weight: number, ln: number): void => {
      const a: Attempt = {
        key: `${file}:${ln}:${callee}:${e.caller}`,
        devirtKey: `${e.caller}\x00${e.offset}\x00${callee}`,
        callee,
        weight,
        line: ln,
        direct: calls.some((c) => c.calleeSymbol !== undefined && genericKey(c.calleeSymbol) === genericKey(callee)),
      };
      rec.attempts.push(a);
      attempt(e, r, a);
    };
    add(e.callee, e.weight, line);
    // Every call at a hot site is hot, whatever its callee: statically known callees too.
    for (const c of calls) {
      if (c.calleeSymbol && !c.calleeSymbol.includes('[')) {
        const w = bySite.weight(e.caller, e.offset, c.calleeSymbol);
        add(c.calleeSymbol, w, c.physicalLine);
      }
    }
    memo?.set(e, rec);
  }

  devirtualizations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
  inlineCandidates.sort((a, b) => b.weight - a.weight || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));

  return {
    mainPackage: main?.importPath ?? inp.mainDir,
    mainDir: inp.mainDir,
    profile: inp.profilePath,
    inlineCandidates,
    devirtualizations,
    unmatched,
    matchedPercent,
    lostPercent,
    profileTotal: profileTotal(profile),
    resolved,
  };

  function isGenerated(sym: string): boolean {
    return generatedReason(splitSymbol(sym).name) !== null;
  }
}

/**
 * Which calls PGO may devirtualize, from the index's dispatch classification: interface method
 * calls and function-value calls. Where the index cannot tell (`unknown`), the profile decides: a
 * method of the same name at the site means an interface call, a plain function a function value.
 */
function devirtKind(c: CallSite, edges: NamedEdge[]): DevirtKind | null {
  switch (c.dispatch) {
    case 'interface':
      return 'interface';
    case 'funcvalue':
      return 'function';
    case 'static':
      return null;
    default:
      if (c.calleeSymbol) return null;
      if (c.kind === 'method') {
        if (edges.some((x) => isMethodName(x.callee) && x.callee.endsWith(`.${c.name}`))) return 'interface';
        return edges.some((x) => !isMethodName(x.callee)) ? 'function' : null;
      }
      return c.kind === 'ident' || c.kind === 'other' ? 'function' : null;
  }
}

/** The caller's out-edges at this offset: profile edges plus IR direct calls (weight 0 if absent). */
function candidateEdges(
  callerName: string,
  offset: number,
  entry: FuncEntry,
  edges: NamedEdge[],
  bySite: EdgeIndex,
  hasIR: (callee: string) => boolean,
  signatureOf: (callee: string) => string | undefined,
): CandidateEdge[] {
  const out = new Map<string, CandidateEdge>();
  const edge = (callee: string, weight: number, ir: boolean): CandidateEdge => {
    const sig = signatureOf(callee);
    return { callee, weight, hasIR: ir, ...(sig ? { signature: sig } : {}) };
  };
  for (const e of edges) out.set(e.callee, edge(e.callee, e.weight, hasIR(e.callee)));
  for (const c of entry.calls) {
    if (c.offset !== offset || !c.calleeSymbol || c.calleeSymbol.includes('[') || out.has(c.calleeSymbol)) continue;
    const w = bySite.weight(callerName, offset, c.calleeSymbol);
    out.set(c.calleeSymbol, edge(c.calleeSymbol, w, true));
  }
  return [...out.values()];
}
