/**
 * The dispatch oracle's machinery, shared by dispatch.test.ts and the whole-std report
 * (std.ts, `npm run oracle:std`): build packages with `-d=pgodebug=3` to get the PGO
 * devirtualizer's CallStat for every call it visits, index the same packages, and compare.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { genericKey, importedSignature } from '../../../src/source/index';
import type { CallSite, FuncEntry, PackageIndex } from '../../../src/source/index';
import type { ExternalPackage, ImportResolver } from '../../../src/source/package-env';
import { GO_ENV, goEnvValue } from './compiler';
import { goListJson, indexListed } from './go-list';

export interface CallStat {
  Pkg: string;
  Pos: string;
  Caller: string;
  Direct: boolean;
  Interface: boolean;
  Weight: number;
  Hottest: string;
  HottestWeight: number;
  Devirtualized: string;
  DevirtualizedWeight: number;
}

export const ENV: NodeJS.ProcessEnv = { ...GO_ENV, GOWORK: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' };

/** Build `targets` in `cwd` with pgodebug=3 for each package pattern (`discard`: `-o /dev/null`, for one main package); the CallStat lines. */
export function callStats(cwd: string, patterns: string[], targets: string[], profile: string, discard = true): CallStat[] {
  const args = ['build', ...patterns.map((p) => `-gcflags=${p}=-d=pgodebug=3`), `-pgo=${profile}`, ...(discard ? ['-o', '/dev/null'] : []), ...targets];
  const r = spawnSync('go', args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`go ${args.join(' ')} failed:\n${r.stderr.slice(-4000)}`);
  const out: CallStat[] = [];
  for (const line of (r.stdout + '\n' + r.stderr).split('\n')) {
    if (line.startsWith('{"Pkg"')) out.push(JSON.parse(line) as CallStat);
  }
  return out;
}

export interface Indexed {
  dir: string;
  importPath: string;
  ix: PackageIndex;
  resolver: ImportResolver;
}

/** Index the packages `go list` reports for the patterns (as the compiler builds them). */
export function indexPackages(cwd: string, patterns: string[], shared: Map<string, ExternalPackage | undefined>): Indexed[] {
  const goroot = goEnvValue('GOROOT');
  return goListJson(patterns, ENV, cwd).map((info) => {
    const { ix, resolver } = indexListed(info, goroot, shared);
    return { dir: info.Dir, importPath: info.ImportPath, ix, resolver };
  });
}

type Expected = 'static' | 'interface' | 'funcvalue';

/**
 * Whether a CallStat's caller is the site's owner. CallStats name functions by
 * `ir.LinkFuncName`, which ignores `//go:linkname`: a function whose symbol the directive
 * renames (`sync.syscall_hasWaitingReaders` → `syscall.hasWaitingReaders`) appears under its local name.
 */
function ownerIs(r: SiteRef, caller: string): boolean {
  return r.owner.symbol === caller || (!!r.owner.linkname && `${r.pkg.ix.symbolPrefix}.${r.owner.name}` === caller);
}

function expectedOf(s: CallStat): Expected {
  return s.Direct ? 'static' : s.Interface ? 'interface' : 'funcvalue';
}

interface SiteRef {
  site: CallSite;
  owner: FuncEntry;
  pkg: Indexed;
}

export interface DispatchReport {
  /** CallStats matched to a call site (deduplicated per site). */
  sites: number;
  agree: number;
  byKind: Record<Expected, { total: number; agree: number }>;
  disagreements: string[];
  /** Compiler calls that are not source call sites, by reason. */
  synthetic: Map<string, number>;
  unexplained: string[];
  /** Direct calls with a unique callee on their line and no profile weight: Hottest is the callee. */
  calleeChecked: number;
  calleeWrong: string[];
  calleeMissing: string[];
  /** Devirtualized function-value calls: funcType vs the target's signature. */
  funcTypeChecked: number;
  funcTypeWrong: string[];
  /** funcvalue sites (matched) that have a funcType. */
  funcTypeKnown: number;
  funcValueSites: number;
  /** Index call sites the compiler did not visit (builtins and conversions are not calls to it). */
  notVisited: Map<string, number>;
}

export function compareDispatch(pkgs: Indexed[], stats: CallStat[]): DispatchReport {
  const byPos = new Map<string, SiteRef[]>();
  const starts = new Set<string>();
  const selectors = new Set<string>();
  const bySymbol = new Map<string, { e: FuncEntry; pkg: Indexed }>();
  const byLine = new Map<string, SiteRef[]>();
  const add = (k: string, r: SiteRef, m = byPos): void => {
    const l = m.get(k);
    if (l) l.push(r);
    else m.set(k, [r]);
  };
  const addLine = (k: string, r: SiteRef): void => add(k, r, byLine);
  // CallStats without a column, per line and caller: compared as multisets
  const lineGroups = new Map<string, { stats: CallStat[]; cands: SiteRef[]; where: string }>();
  for (const pkg of pkgs) {
    for (const f of pkg.ix.funcs) {
      bySymbol.set(f.symbol, { e: f, pkg });
      if (f.kind !== 'varinit') starts.add(`${path.join(pkg.dir, f.file)}:${f.physicalStartLine}`);
      for (const c of f.calls) {
        const file = path.join(pkg.dir, c.file ?? f.file);
        add(`${file}:${c.physicalLine}:${c.col}`, { site: c, owner: f, pkg });
        // positions without a column: after //line directives, and columns >= 255 (cmd/internal/src colMax)
        if (f.relFile) addLine(`${f.relFile}:${c.line}`, { site: c, owner: f, pkg });
        else if (c.col >= 255) addLine(`${file}:${c.physicalLine}`, { site: c, owner: f, pkg });
      }
    }
    for (const f of pkg.ix.funcs) if (f.kind === 'synthetic') selectors.add(`${path.join(pkg.dir, f.file)}:${f.physicalStartLine}`);
  }
  const dirs = new Set(pkgs.map((p) => p.dir));
  const rep: DispatchReport = {
    sites: 0,
    agree: 0,
    byKind: { static: { total: 0, agree: 0 }, interface: { total: 0, agree: 0 }, funcvalue: { total: 0, agree: 0 } },
    disagreements: [],
    synthetic: new Map(),
    unexplained: [],
    calleeChecked: 0,
    calleeWrong: [],
    calleeMissing: [],
    funcTypeChecked: 0,
    funcTypeWrong: [],
    funcTypeKnown: 0,
    funcValueSites: 0,
    notVisited: new Map(),
  };
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  const seen = new Map<CallSite, Expected>();
  // calls per (caller, line): the callee check needs a call alone on its line
  const perLine = new Map<string, number>();
  const perPos = new Map<string, number>();
  for (const s of stats) {
    const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(s.Pos);
    if (m) bump(perLine, `${s.Caller}|${m[1]}:${m[2]}`);
    bump(perPos, `${s.Caller}|${s.Pos}`);
  }
  const rangeStats = new Map<string, number>();
  const rangeDropped = new Set<string>();
  for (const s of stats) {
    const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(s.Pos);
    if (!m) {
      rep.unexplained.push(`unparsable position: ${JSON.stringify(s)}`);
      continue;
    }
    const [, file = '', line = '', col] = m; // the first two groups always match
    if (file === '<autogenerated>') {
      bump(rep.synthetic, 'autogenerated function (type equality/hash, wrappers)');
      continue;
    }
    const abs = path.isAbsolute(file);
    if (abs && !dirs.has(path.dirname(file))) {
      bump(rep.synthetic, 'generic code of another package instantiated here');
      continue;
    }
    const key = col !== undefined && abs ? `${file}:${line}:${col}` : `${file}:${line}`;
    const caller = genericKey(s.Caller);
    if (col === undefined) {
      const cands = (byLine.get(key) ?? []).filter((r) => (r.site.wrapper ? r.site.wrapper === caller : ownerIs(r, caller)));
      if (cands.length) {
        const gk = `${key}|${s.Caller}`;
        const g = lineGroups.get(gk) ?? { stats: [], cands, where: `${path.basename(file)}:${line}` };
        g.stats.push(s);
        lineGroups.set(gk, g);
        continue;
      }
    }
    const cands = byPos.get(key) ?? [];
    const hit = cands.find((r) => (r.site.wrapper ? r.site.wrapper === caller : ownerIs(r, caller)));
    if (!hit) {
      if (cands.some((r) => r.site.wrapper && ownerIs(r, caller) && s.Direct && s.Hottest === r.site.wrapper)) {
        bump(rep.synthetic, 'call of a go/defer wrapper (the call itself is inside the wrapper)');
        continue;
      }
      if (cands.length && /-range\d+$/.test(caller) && /panicrangestate/.test(s.Hottest))
        bump(rep.synthetic, 'range-over-func state check (runtime.panicrangestate)');
      else if (!cands.length && /panicrangestate/.test(s.Hottest)) bump(rep.synthetic, 'range-over-func state check (runtime.panicrangestate)');
      else if (starts.has(`${file}:${line}`) && s.Direct) bump(rep.synthetic, 'dictionary wrapper of a generic function (at its declaration)');
      else if (selectors.has(`${file}:${line}`)) bump(rep.synthetic, 'synthetic closure for a method value in generic code');
      else
        rep.unexplained.push(
          `${s.Pos} caller ${s.Caller} ${expectedOf(s)} (hottest ${s.Hottest}); candidates: ${cands.map((c) => `${c.owner.symbol}:${c.site.callee}`).join(', ') || 'none'}`,
        );
      continue;
    }
    if (hit.site.kind === 'range') {
      // A loop body with defer makes the compiler call runtime.deferrangefunc at the `for` too.
      const k = `${s.Caller}|${s.Pos}`;
      const n = rangeStats.get(k) ?? 0;
      rangeStats.set(k, n + 1);
      if (s.Direct && perPos.get(k) === 2 && !rangeDropped.has(k)) {
        rangeDropped.add(k);
        bump(rep.synthetic, 'range-over-func defer setup (runtime.deferrangefunc)');
        continue;
      }
    }
    const want = expectedOf(s);
    const got = hit.site.dispatch;
    const prev = seen.get(hit.site);
    if (prev !== undefined) {
      if (prev !== want) rep.disagreements.push(`${s.Pos}: instantiations disagree (${prev} vs ${want})`);
    } else {
      seen.set(hit.site, want);
      rep.sites++;
      rep.byKind[want].total++;
      if (got === want) {
        rep.agree++;
        rep.byKind[want].agree++;
      } else {
        rep.disagreements.push(`${path.basename(file)}:${line}:${col ?? ''} ${hit.owner.symbol} ${hit.site.callee}(…): compiler ${want}, index ${got}`);
      }
      if (want === 'funcvalue' && got === 'funcvalue') {
        rep.funcValueSites++;
        if (hit.site.funcType !== undefined) rep.funcTypeKnown++;
      }
    }
    // the static callee's symbol, where the compiler names it unambiguously
    if (s.Direct && s.Weight === 0 && s.Hottest && perLine.get(`${s.Caller}|${file}:${line}`) === 1 && got === 'static') {
      rep.calleeChecked++;
      const sym = hit.site.calleeSymbol;
      if (sym === undefined) rep.calleeMissing.push(`${path.basename(file)}:${line}:${col ?? ''} ${hit.site.callee}: compiler ${s.Hottest}`);
      else if (genericKey(sym) !== genericKey(s.Hottest))
        rep.calleeWrong.push(`${path.basename(file)}:${line}:${col ?? ''} ${hit.site.callee}: index ${sym}, compiler ${s.Hottest}`);
    }
    // devirtualized function-value calls: the target's signature is identical to the call's type
    if (!s.Direct && !s.Interface && s.Devirtualized) {
      rep.funcTypeChecked++;
      const local = bySymbol.get(s.Devirtualized);
      const sig = local ? local.e.signature : importedSignature(hit.pkg.resolver, s.Devirtualized);
      if (sig === undefined || sig !== hit.site.funcType) {
        rep.funcTypeWrong.push(`${s.Pos}: ${hit.site.callee} has funcType ${hit.site.funcType}; target ${s.Devirtualized} has signature ${sig}`);
      }
    }
  }
  // lines without columns: the kinds must agree as multisets (instantiations counted once)
  const doneLines = new Set<string>();
  for (const [gk, g] of lineGroups) {
    const [key, caller] = gk.split('|') as [string, string];
    const dk = `${key}|${genericKey(caller)}`;
    if (doneLines.has(dk)) continue;
    doneLines.add(dk);
    const want = g.stats.map(expectedOf).sort();
    const got = g.cands.map((c) => c.site.dispatch).sort();
    for (const c of g.cands) seen.set(c.site, 'static');
    const left = [...got];
    for (const w of want) {
      rep.sites++;
      rep.byKind[w].total++;
      const i = left.indexOf(w);
      if (i >= 0) {
        left.splice(i, 1);
        rep.agree++;
        rep.byKind[w].agree++;
      }
    }
    if (want.join() !== got.join()) rep.disagreements.push(`${g.where} (no column) ${caller}: compiler ${want.join(', ')}; index ${got.join(', ')}`);
  }
  for (const pkg of pkgs) {
    for (const f of pkg.ix.funcs) {
      for (const c of f.calls) {
        if (seen.has(c)) continue;
        bump(
          rep.notVisited,
          c.kind === 'builtin' || c.kind === 'conversion' ? c.kind : f.generic ? 'in generic code (not instantiated)' : `${c.dispatch} ${c.kind}`,
        );
      }
    }
  }
  return rep;
}

/** The report as lines (diagnostics of the test, or the std report). */
export function reportLines(name: string, r: DispatchReport): string[] {
  const out: string[] = [];
  const t = { diagnostic: (s: string): number => out.push(s) };
  const k = r.byKind;
  t.diagnostic(
    `${name}: ${r.agree}/${r.sites} call sites agree (static ${k.static.agree}/${k.static.total}, interface ${k.interface.agree}/${k.interface.total}, funcvalue ${k.funcvalue.agree}/${k.funcvalue.total})`,
  );
  for (const d of r.disagreements) t.diagnostic(`  disagree: ${d}`);
  t.diagnostic(`  compiler calls that are not source call sites: ${[...r.synthetic].map(([why, n]) => `${why}: ${n}`).join('; ') || 'none'}`);
  for (const u of r.unexplained) t.diagnostic(`  unexplained: ${u}`);
  t.diagnostic(
    `  calleeSymbol checked against the compiler's direct callee: ${r.calleeChecked - r.calleeWrong.length - r.calleeMissing.length}/${r.calleeChecked}`,
  );
  for (const w of r.calleeWrong) t.diagnostic(`  callee wrong: ${w}`);
  for (const w of r.calleeMissing) t.diagnostic(`  callee missing: ${w}`);
  t.diagnostic(
    `  funcType known for ${r.funcTypeKnown}/${r.funcValueSites} function-value calls; checked against devirtualized targets: ${r.funcTypeChecked - r.funcTypeWrong.length}/${r.funcTypeChecked}`,
  );
  for (const w of r.funcTypeWrong) t.diagnostic(`  funcType: ${w}`);
  t.diagnostic(`  index call sites the compiler did not visit: ${[...r.notVisited].map(([why, n]) => `${why}: ${n}`).join('; ')}`);
  return out;
}
