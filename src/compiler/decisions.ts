/**
 * The compiler's own inlining and devirtualization decisions, parsed from what `go build` prints
 * with `-gcflags=<pkgs>=-m=1 -d=pgodebug=1 -json=0,file://DIR` (see build.ts), or with `-m=2`
 * (the committed fixture and corpus outputs). Pure: text in, plain data out (safe in a worker,
 * serializable).
 *
 * Two sources, because neither carries every fact (checked against Go 1.26's
 * cmd/compile/internal/inline/inl.go, devirtualize/{pgo,devirtualize}.go and logopt/log_opts.go):
 *
 * - text (`-m=1`, `-d=pgodebug=1`, replayed by the go command from its build cache on cache hits):
 *   `POS: inlining call to X` (the only record of a successful inline), `hot-budget check allows
 *   inlining for call X (cost N) at POS in function F`, `hot-big check disallows …`, `POS: PGO
 *   devirtualizing interface|function call E to T` (1.21: `PGO devirtualizing E to T`), static
 *   `POS: devirtualizing E to T`, `POS: can inline X`, `hot-node enabled increased budget=N for
 *   func=X`. `-m=2` adds `POS: can inline X with cost N as: …`, `POS: cannot inline X: REASON`,
 *   `POS: cannot inline X into Y: repeated recursive cycle` and `POS: should not PGO devirtualize
 *   X: R` (read when present), and its escape-analysis explanations double the output.
 * - JSON (`-json=0`, LSP-like, one file per package and outermost source file; written only
 *   when the compiler really runs): `cannotInlineCall` — the only record of a call site refused
 *   for its cost (`cost N of X exceeds max caller cost M`), which the text never prints, and the
 *   recursive refusals; the function facts without names: `canInlineFunction` (`cost: N`, the
 *   cost of the text's `can inline X` at the same position), `cannotInlineFunction` (REASON) and
 *   `: should not PGO devirtualize function` (R), named by `ParseOptions.functionNames`
 *   (function-names.ts reads the source at the position). JSON `line`/`character` are the compiler's 1-based line and column (not LSP's 0-based ones). The
 *   recursive-call refusal is logged with an empty message (LogOpt gets the text as its function
 *   name), so an empty message means "recursive call".
 *
 * Positions: the compiler prints the OUTERMOST position of a call (base.FmtPos): a call inside a
 * body that was itself inlined is reported at the position of the inlined call. So one position
 * can carry several `inlining call to` lines; the first is the call written there, the later
 * ones (`nested`) were inlined into its body. The go command rewrites package directories to
 * paths relative to its working directory (`./a.go`, `geom/geom.go`, `../x/y.go`) when shorter;
 * `$GOROOT/…` and absolute paths stay. With `//line` directives the text shows the directive's
 * file and line (and `[orig]` under -L); JSON always shows the real file.
 *
 * Unknown lines are counted and ignored, never fatal.
 */
import * as path from 'node:path';
import { genericKey, splitSymbol, unescapeSymbol } from '../source/names';

export interface Pos {
  /** Absolute path. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based; 0 when the compiler printed no column. */
  col: number;
}

export type RefusalReason =
  /** `cost N of X exceeds max caller cost M`: M is 80 (cold site), 20 (big caller), 2000 (hot site, too costly), or a closure budget. */
  | 'cost'
  /** `hot-big check disallows inlining`: a hot site in a caller of more than 5000 IR nodes. */
  | 'big-caller'
  /** `X cannot be inlined` (callee without an inline body at this site). */
  | 'not-inlinable'
  /** a call to the function being compiled or a repeated recursive cycle. */
  | 'recursive'
  | 'other';

export interface InlineDecision extends Pos {
  kind: 'inline';
  /** The package whose compilation printed it (`# pkg` header, or the JSON header). */
  pkg: string;
  /** As printed: short (`Point.Sub`, `geom.Point.Sub`) in `-m` lines, package path-qualified in pgodebug/JSON lines. */
  callee: string;
  /** Package-path-qualified callee when the compiler printed it (pgodebug, JSON). */
  calleeFull?: string;
  inlined: boolean;
  /** Inlined only thanks to PGO's hot budget (a `hot-budget check allows` line at this position). */
  hotBudget: boolean;
  /** The callee's inline cost when known (pgodebug/JSON lines, or its `can inline … with cost N`). */
  cost?: number;
  /** Refused: the limit that applied at this call site. */
  maxCost?: number;
  reason?: RefusalReason;
  /** The compiler's own words for a refusal. */
  message?: string;
  /** Function being compiled, when printed (pgodebug lines). */
  caller?: string;
  /** Inlined into the body of another call inlined at this position (not the call written here). */
  nested?: boolean;
  /** newinliner experiment: `inlining call to X with score N`. */
  score?: number;
}

export interface DevirtDecision extends Pos {
  kind: 'devirtualize';
  pkg: string;
  /** `true`: PGO's guarded devirtualization; `false`: static devirtualization (no profile needed). */
  pgo: boolean;
  /** `interface` / `function`; `unknown` for Go 1.21's `PGO devirtualizing E to T` and static lines. */
  via: 'interface' | 'function' | 'unknown';
  /** The called expression as printed (`s.Perimeter`, `algorithms[name]`). */
  expr: string;
  /** The target as printed (`Polygon.Perimeter` local, `checksum.(*CRC).Write` imported). */
  callee: string;
}

export type CallDecision = InlineDecision | DevirtDecision;

export interface FunctionFact extends Pos {
  pkg: string;
  /** As printed by the declaring package's compile (`Point.Sub`, `(*Rect).Area`, `slices.F[go.shape.int]`). */
  name: string;
  inlinable: boolean;
  cost?: number;
  /** `cannot inline X: REASON` */
  reason?: string;
}

export interface CompilerDecisions {
  calls: CallDecision[];
  functions: FunctionFact[];
  /** `hot-node enabled increased budget=N for func=X`: X (package path-qualified) → N. */
  hotBudgetFuncs: Record<string, number>;
  /** `should not PGO devirtualize X: R`. */
  noDevirt: Array<Pos & { pkg: string; name: string; reason: string }>;
  /** `hot-callsite-thres-from-CDF=` values as printed (one per compiled package). */
  thresholds: string[];
  /** Packages that printed a `# pkg` header or wrote JSON. */
  packages: string[];
  /** Lines that are not decisions (escape analysis, bounds checks, unknown forms): counted, ignored. */
  ignoredLines: number;
  /** Import path → package name, where they differ from the path's last element (`…/BoomFilters` → `boom`). */
  packageNames?: Record<string, string>;
}

export interface ParseOptions {
  /** Directory the go command ran in: relative paths in its output are relative to it. */
  cwd: string;
  /** For `$GOROOT/` paths. */
  goroot?: string;
  /**
   * Import path → package name (from go list). `-m` lines qualify a callee by package NAME
   * (`boom.(*Filter).Add`), pgodebug and JSON lines by import PATH
   * (`github.com/tylertreat/BoomFilters.(*Filter).Add`): the names join the two.
   */
  packageNames?: Record<string, string>;
  /** The import path of the package whose output this is (per-package parsing; JSON files then use it instead of `main`). */
  pkg?: string;
  /** The main package's import path: its JSON files say package `main`, its `# pkg` header the path. */
  mainPackage?: string;
  /**
   * Function names by position (`positionKey`: absolute file, line, column; function-names.ts): the
   * JSON's `cannotInlineFunction` and `should not PGO devirtualize` lines carry a position only.
   */
  functionNames?: ReadonlyMap<string, FunctionName>;
}

/** A function's name as the compiler prints it, and the package name that qualifies it when it belongs to another package. */
export interface FunctionName {
  name: string;
  pkgName?: string;
}

export interface JsonFile {
  /** Package directory name (URL-escaped import path) and file name, for messages only. */
  name: string;
  text: string;
}

/** The `code` of a JSON `should not PGO devirtualize` line (devirtualize/pgo.go logs it with the text as its code). */
/** A position as a map key (absolute file, line, column): what `ParseOptions.functionNames` is keyed by. */
export const positionKey = (p: Pos): string => `${p.file}\0${p.line}\0${p.col}`;

const JSON_NO_DEVIRT = ': should not PGO devirtualize function';

const POS_LINE = /^(.+?):(\d+)(?::(\d+))?(?:\[[^\]]*\])?: (.*)$/;
const POS_ONLY = /^(.+?):(\d+)(?::(\d+))?(?:\[[^\]]*\])?$/;

/** Maps a position's file as printed to an absolute path; undefined for `<autogenerated>`, `$WORK`, `?`. */
export function resolveFile(printed: string, opts: ParseOptions): string | undefined {
  if (printed.startsWith('<') || printed.startsWith('$WORK') || printed === '?' || printed === '???') return undefined;
  if (printed.startsWith('$GOROOT/')) return opts.goroot ? path.join(opts.goroot, printed.slice('$GOROOT/'.length)) : undefined;
  if (path.isAbsolute(printed)) return path.normalize(printed);
  return path.resolve(opts.cwd, printed);
}

function parsePos(s: string, opts: ParseOptions): Pos | undefined {
  const m = POS_ONLY.exec(s);
  if (!m) return undefined;
  const file = resolveFile(m[1]!, opts);
  if (!file) return undefined;
  return { file, line: Number(m[2]), col: m[3] ? Number(m[3]) : 0 };
}

/**
 * Whether a name as printed (`Point.Sub` local, `geom.Point.Sub` by package name, or
 * `example.com/shapes/geom.Point.Sub` path-qualified) names the function `full` (path-qualified,
 * linker spelling accepted). Type arguments are ignored.
 */
export function sameFunction(printed: string, full: string, names?: Record<string, string>): boolean {
  const p = genericKey(unescapeSymbol(printed));
  const f = genericKey(unescapeSymbol(full));
  if (p === f) return true;
  // split before unescaping: linker names escape '.' in the last path element (`checksum%2ev2.F`)
  const raw = splitSymbol(genericKey(full));
  const pkg = unescapeSymbol(raw.prefix);
  const name = unescapeSymbol(raw.name);
  if (p === name) return true;
  // the package's declared name, when it differs from the path (`github.com/tylertreat/BoomFilters` is `boom`)
  const declared = names?.[pkg];
  if (declared !== undefined && p === `${declared}.${name}`) return true;
  const last = pkg.split('/').pop() ?? pkg;
  if (p === `${last}.${name}`) return true;
  // gopkg.in/x.v2 / example.com/m/v2 style: the package name drops the version suffix
  const unversioned = last.replace(/\.v\d+$/, '');
  if (p === `${unversioned}.${name}`) return true;
  if (/^v\d+$/.test(last)) {
    const parts = pkg.split('/');
    if (parts.length >= 2 && p === `${parts[parts.length - 2]}.${name}`) return true;
  }
  return false;
}

interface Section {
  pkg: string;
}

const RE = {
  header: /^# (\S+)/,
  threshold: /^hot-callsite-thres-from-CDF=(\S+)$/,
  hotNode: /^hot-node enabled increased budget=(-?\d+) for func=(.+)$/,
  hotBudget: /^hot-budget check allows inlining for call (.+?) \(cost (-?\d+)\) at (.+?) in function (.+)$/,
  hotBig: /^hot-big check disallows inlining for call (.+?) \(cost (-?\d+)\) at (.+?) in big function (.+)$/,
  inlining: /^inlining call to (.+?)(?: with score (-?\d+))?$/,
  pgoDevirt: /^PGO devirtualizing (interface|function) call (.+) to (.+)$/,
  pgoDevirt121: /^PGO devirtualizing (.+) to (.+)$/,
  staticDevirt: /^devirtualizing (.+) to (.+)$/,
  recursive: /^cannot inline (.+) into (.+): repeated recursive cycle$/,
  canInlineCost: /^can inline (.+?) with cost (-?\d+)(?: as: .*)?$/,
  canInline: /^can inline (.+)$/,
  cannotInline: /^cannot inline (.+?): (.+)$/,
  noDevirt: /^should not PGO devirtualize (.+?): (.+)$/,
};

/** Every message the position-line regexes below can match starts with one of these. */
const DECISION_PREFIXES = ['inlining call to ', 'PGO devirtualizing ', 'devirtualizing ', 'cannot inline ', 'can inline ', 'should not PGO devirtualize '];

interface HotEvent extends Pos {
  pkg: string;
  callee: string;
  cost: number;
  caller: string;
}

/** Accumulates text output and JSON files, then `finish()` joins them into decisions. */
export class DecisionParser {
  private readonly opts: ParseOptions;
  private readonly inlines: InlineDecision[] = [];
  private readonly devirts: DevirtDecision[] = [];
  private readonly hotBudget: HotEvent[] = [];
  private readonly hotBig: HotEvent[] = [];
  private readonly refusals: InlineDecision[] = [];
  private readonly functions: FunctionFact[] = [];
  /** JSON `canInlineFunction` costs and named `cannotInlineFunction` facts, joined with the text in finish(). */
  private readonly jsonCosts = new Map<string, number[]>();
  private readonly jsonFacts: FunctionFact[] = [];
  private readonly jsonNoDevirt: CompilerDecisions['noDevirt'] = [];
  private readonly hotBudgetFuncs: Record<string, number> = {};
  private readonly noDevirt: CompilerDecisions['noDevirt'] = [];
  private readonly thresholds: string[] = [];
  private readonly packages = new Set<string>();
  private ignored = 0;
  private section: Section = { pkg: '' };
  private partial = '';

  constructor(opts: ParseOptions) {
    this.opts = opts;
    // per-package parsing gets a block without its `# pkg` header
    if (opts.pkg !== undefined) this.section = { pkg: opts.pkg };
  }

  /** Feeds a chunk of the go command's combined output (may split lines anywhere). */
  pushText(chunk: string): void {
    const s = this.partial + chunk;
    const lines = s.split('\n');
    this.partial = lines.pop()!;
    for (const l of lines) this.line(l);
  }

  private line(raw: string): void {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (l === '' || l.startsWith(' ') || l.startsWith('\t')) {
      if (l !== '') this.ignored++;
      return;
    }
    const pkg = this.section.pkg;
    let m: RegExpExecArray | null;
    // Cheap first-character tests keep the regexes off the bulk (-m=2's escape analysis lines).
    if (l.charCodeAt(0) === 35 /* # */ && (m = RE.header.exec(l))) {
      this.section = { pkg: m[1]! };
      this.packages.add(m[1]!);
      return;
    }
    if (l.startsWith('hot-')) {
      if ((m = RE.threshold.exec(l))) {
        this.thresholds.push(m[1]!);
        return;
      }
      if ((m = RE.hotNode.exec(l))) {
        this.hotBudgetFuncs[m[2]!] = Number(m[1]);
        return;
      }
      if ((m = RE.hotBudget.exec(l)) || (m = RE.hotBig.exec(l))) {
        const big = l.startsWith('hot-big');
        const pos = parsePos(m[3]!, this.opts);
        if (!pos) return void this.ignored++;
        (big ? this.hotBig : this.hotBudget).push({ ...pos, pkg, callee: m[1]!, cost: Number(m[2]), caller: m[4]! });
        return;
      }
    }
    const pm = POS_LINE.exec(l);
    if (!pm) return void this.ignored++;
    const msg = pm[4]!;
    if (!DECISION_PREFIXES.some((p) => msg.startsWith(p))) return void this.ignored++;
    const file = resolveFile(pm[1]!, this.opts);
    if (!file) return void this.ignored++;
    const pos: Pos = { file, line: Number(pm[2]), col: pm[3] ? Number(pm[3]) : 0 };
    if ((m = RE.inlining.exec(msg))) {
      const d: InlineDecision = { kind: 'inline', ...pos, pkg, callee: m[1]!, inlined: true, hotBudget: false };
      if (m[2] !== undefined) d.score = Number(m[2]);
      this.inlines.push(d);
      return;
    }
    if ((m = RE.pgoDevirt.exec(msg))) {
      this.devirts.push({ kind: 'devirtualize', ...pos, pkg, pgo: true, via: m[1] as 'interface' | 'function', expr: m[2]!, callee: m[3]! });
      return;
    }
    if ((m = RE.pgoDevirt121.exec(msg))) {
      this.devirts.push({ kind: 'devirtualize', ...pos, pkg, pgo: true, via: 'unknown', expr: m[1]!, callee: m[2]! });
      return;
    }
    if ((m = RE.staticDevirt.exec(msg))) {
      this.devirts.push({ kind: 'devirtualize', ...pos, pkg, pgo: false, via: 'unknown', expr: m[1]!, callee: m[2]! });
      return;
    }
    if ((m = RE.recursive.exec(msg))) {
      this.refusals.push({
        kind: 'inline',
        ...pos,
        pkg,
        callee: m[1]!,
        caller: m[2]!,
        inlined: false,
        hotBudget: false,
        reason: 'recursive',
        message: 'repeated recursive cycle',
      });
      return;
    }
    if ((m = RE.canInlineCost.exec(msg))) {
      this.functions.push({ ...pos, pkg, name: m[1]!, inlinable: true, cost: Number(m[2]) });
      return;
    }
    if ((m = RE.canInline.exec(msg))) {
      this.functions.push({ ...pos, pkg, name: m[1]!, inlinable: true });
      return;
    }
    if ((m = RE.cannotInline.exec(msg))) {
      const f: FunctionFact = { ...pos, pkg, name: m[1]!, inlinable: false, reason: m[2]! };
      const c = /cost (\d+) exceeds budget/.exec(m[2]!);
      if (c) f.cost = Number(c[1]);
      this.functions.push(f);
      return;
    }
    if ((m = RE.noDevirt.exec(msg))) {
      this.noDevirt.push({ ...pos, pkg, name: m[1]!, reason: m[2]! });
      return;
    }
    this.ignored++;
  }

  /** Feeds one `-json=0` file (a version header line, then one diagnostic per line). */
  pushJson(file: JsonFile): void {
    let header: { package?: string; file?: string } | undefined;
    for (const l of file.text.split('\n')) {
      if (!l.trim()) continue;
      let o: unknown;
      try {
        o = JSON.parse(l);
      } catch {
        this.ignored++;
        continue;
      }
      if (!o || typeof o !== 'object') {
        this.ignored++;
        continue;
      }
      const r = o as Record<string, unknown>;
      if (header === undefined && typeof r['version'] === 'number') {
        header = {
          package: typeof r['package'] === 'string' ? (r['package'] as string) : '',
          file: typeof r['file'] === 'string' ? (r['file'] as string) : '',
        };
        if (header.package) this.packages.add(this.opts.pkg ?? (header.package === 'main' && this.opts.mainPackage ? this.opts.mainPackage : header.package));
        continue;
      }
      if (!header?.file) {
        this.ignored++;
        continue;
      }
      const start = (r['range'] as { start?: { line?: unknown; character?: unknown } } | undefined)?.start;
      const code = r['code'];
      const message = typeof r['message'] === 'string' ? (r['message'] as string) : '';
      const fileAbs = resolveFile(header.file, this.opts);
      if (!fileAbs || !start || typeof start.line !== 'number' || typeof start.character !== 'number' || typeof code !== 'string') {
        this.ignored++;
        continue;
      }
      const pos: Pos = { file: fileAbs, line: start.line, col: start.character };
      const pkg = this.opts.pkg ?? (header.package === 'main' && this.opts.mainPackage ? this.opts.mainPackage : header.package) ?? '';
      if (code === 'cannotInlineCall') this.refusals.push(refusalFromJson(pos, pkg, message));
      else if (code === 'canInlineFunction') {
        // `cost: N` at the function's position: the cost of the text's `can inline F` there (-m=1 prints no cost)
        const c = /^cost: (-?\d+)$/.exec(message);
        if (!c) this.ignored++;
        else {
          const k = `${pkg}\0${positionKey(pos)}`;
          (this.jsonCosts.get(k) ?? this.jsonCosts.set(k, []).get(k)!).push(Number(c[1]));
        }
      } else if (code === 'cannotInlineFunction' || code === JSON_NO_DEVIRT) {
        const fn = this.opts.functionNames?.get(positionKey(pos));
        // ir.FuncName in the devirtualizer's line (unqualified), the %v of the function's name in the inliner's
        if (fn === undefined) this.ignored++;
        else if (code === JSON_NO_DEVIRT) this.jsonNoDevirt.push({ ...pos, pkg, name: fn.name, reason: message });
        else {
          const name = fn.pkgName ? `${fn.pkgName}.${fn.name}` : fn.name;
          const f: FunctionFact = { ...pos, pkg, name, inlinable: false, reason: message };
          const c = /cost (\d+) exceeds budget/.exec(message);
          if (c) f.cost = Number(c[1]);
          // A function of another package (a generic one instantiated here): noder/unified.go
          // checks those instantiated while inlining once more, without the profile and with -m
          // lowered to 0, so the JSON also logs refusals (budget 80) the text never prints, of
          // shapes it printed as inlinable with the hot budget; the two cannot be told apart here.
          // Its own package's compile states the function's facts.
          if (fn.pkgName !== undefined) this.ignored++;
          else this.jsonFacts.push(f);
        }
      } else this.ignored++; // escape analysis, bounds checks…
    }
  }

  finish(): CompilerDecisions {
    if (this.partial) {
      this.line(this.partial);
      this.partial = '';
    }
    const functions = this.joinFunctionFacts(); // before costOf: it reads the joined costs
    const calls: CallDecision[] = [];
    const posKey = (p: Pos & { pkg: string }): string => `${p.pkg}\0${p.file}\0${p.line}\0${p.col}`;

    // Inlined calls: dedupe (generic shapes repeat bodies), mark nested, join hot-budget lines.
    const hotAt = groupBy(this.hotBudget, posKey);
    const firstAt = new Map<string, string>();
    const seen = new Set<string>();
    for (const d of this.inlines) {
      const k = posKey(d);
      const first = firstAt.get(k);
      if (first === undefined) firstAt.set(k, d.callee);
      const dk = `${k}\0${d.callee}`;
      if (seen.has(dk)) continue;
      seen.add(dk);
      if (first !== undefined && first !== d.callee) d.nested = true;
      const hot = hotAt.get(k) ?? [];
      const h = hot.find((e) => sameFunction(d.callee, e.callee, this.opts.packageNames)) ?? hot.find((e) => sameAfterQualifier(d.callee, e.callee));
      if (h) {
        d.hotBudget = true;
        d.cost = h.cost;
        d.calleeFull = h.callee;
        d.caller = h.caller;
      } else {
        const c = this.costOf(d.callee, d.pkg);
        if (c !== undefined) d.cost = c;
      }
      calls.push(d);
    }

    // Refusals: hot-big lines first (they explain a JSON `max caller cost 20` at the same site).
    const refusedAt = new Map<string, InlineDecision[]>();
    const addRefusal = (d: InlineDecision): void => {
      const k = posKey(d);
      const list = refusedAt.get(k) ?? [];
      const name = d.calleeFull ?? d.callee;
      // Merge only the same fact seen twice (the inliner logs a refusal once per attempt, and the
      // text and JSON both report recursion) and a hot-big line with its JSON `max caller cost 20`.
      // Different reasons at one position are different compile contexts (e.g. a recursive
      // function inlined into itself once, then refused): they stay separate decisions.
      const compatible = (x: InlineDecision): boolean => x.reason === d.reason || (x.reason === 'big-caller' && d.reason === 'cost' && d.maxCost === 20);
      const names = this.opts.packageNames;
      const sameCallee = (x: InlineDecision): boolean =>
        (x.calleeFull ?? x.callee) === name ||
        (name !== '' && x.callee !== '' && (sameFunction(d.callee, x.calleeFull ?? x.callee, names) || sameFunction(x.callee, name, names))) ||
        (name === '' && x.reason === 'recursive') ||
        (x.callee === '' && d.reason === 'recursive');
      const same = list.find((x) => compatible(x) && sameCallee(x));
      if (same) {
        // merge facts; keep the more specific reason
        if (same.reason !== 'big-caller' && d.reason === 'big-caller') same.reason = 'big-caller';
        if (same.cost === undefined && d.cost !== undefined) same.cost = d.cost;
        if (same.maxCost === undefined && d.maxCost !== undefined) same.maxCost = d.maxCost;
        if (!same.calleeFull && d.calleeFull) same.calleeFull = d.calleeFull;
        if (!same.caller && d.caller) same.caller = d.caller;
        if (same.callee === '' && d.callee) same.callee = d.callee;
        return;
      }
      list.push(d);
      refusedAt.set(k, list);
      calls.push(d);
    };
    for (const h of this.hotBig) {
      addRefusal({
        kind: 'inline',
        file: h.file,
        line: h.line,
        col: h.col,
        pkg: h.pkg,
        callee: h.callee,
        calleeFull: h.callee,
        caller: h.caller,
        cost: h.cost,
        inlined: false,
        hotBudget: false,
        reason: 'big-caller',
        message: 'hot call site in a function over 5000 IR nodes (hot-big check)',
      });
    }
    for (const r of this.refusals) addRefusal(r);

    const dseen = new Set<string>();
    for (const d of this.devirts) {
      const k = `${posKey(d)}\0${d.pgo}\0${d.expr}\0${d.callee}`;
      if (dseen.has(k)) continue;
      dseen.add(k);
      calls.push(d);
    }
    calls.sort(comparePos);
    return {
      calls,
      functions: dedupeFunctions(functions),
      hotBudgetFuncs: this.hotBudgetFuncs,
      noDevirt: this.noDevirt,
      thresholds: this.thresholds,
      packages: [...this.packages].sort(),
      ignoredLines: this.ignored,
      ...(this.opts.packageNames ? { packageNames: this.opts.packageNames } : {}),
    };
  }

  /**
   * The text's function facts with the JSON's: a `can inline F` without cost (-m=1) takes the
   * `canInlineFunction` cost at its position (the compiler logs both in one call, in the same
   * order); a JSON `cannotInlineFunction` or `should not PGO devirtualize` counts where the text
   * printed none there (-m=2 prints both).
   */
  private joinFunctionFacts(): FunctionFact[] {
    const taken = new Map<string, number>();
    const refusedAt = new Set<string>();
    for (const f of this.functions) {
      const k = `${f.pkg}\0${positionKey(f)}`;
      if (!f.inlinable) refusedAt.add(k);
      if (!f.inlinable || f.cost !== undefined) continue;
      const costs = this.jsonCosts.get(k);
      const i = taken.get(k) ?? 0;
      if (costs && i < costs.length) {
        f.cost = costs[i]!;
        taken.set(k, i + 1);
      } else if (costs?.length) f.cost = costs[costs.length - 1]!; // the same function printed again (generic shapes share a position)
    }
    const out = [...this.functions];
    for (const f of this.jsonFacts) if (!refusedAt.has(`${f.pkg}\0${positionKey(f)}`)) out.push(f);
    const noDevirtAt = new Set(this.noDevirt.map((x) => `${x.pkg}\0${positionKey(x)}`));
    for (const x of this.jsonNoDevirt) if (!noDevirtAt.has(`${x.pkg}\0${positionKey(x)}`)) this.noDevirt.push(x);
    return out;
  }

  private costIndex?: CostIndex;
  /** (package, callee as printed) → cost: a package inlines the same callee at many sites. */
  private readonly costs = new Map<string, number | undefined>();
  private costOf(printed: string, pkg: string): number | undefined {
    this.costIndex ??= costIndex(this.functions);
    const k = `${pkg}\0${printed}`;
    if (this.costs.has(k)) return this.costs.get(k);
    const c = lookupCost(this.costIndex, printed, pkg, this.opts.packageNames);
    this.costs.set(k, c);
    return c;
  }
}

type CostIndex = Map<string, FunctionFact[]>;

function costIndex(functions: FunctionFact[]): CostIndex {
  const idx: CostIndex = new Map();
  for (const f of functions) {
    if (f.cost === undefined || !f.inlinable) continue;
    const k = lastSegment(f.name);
    const list = idx.get(k) ?? [];
    list.push(f);
    idx.set(k, list);
  }
  return idx;
}

/** The inline cost of a callee as printed in `pkg`'s output: its own `can inline … with cost N`, else the declaring package's. */
function lookupCost(idx: CostIndex, printed: string, pkg: string, names?: Record<string, string>): number | undefined {
  const cands = idx.get(lastSegment(printed)) ?? [];
  // same package and same spelling first, then the declaring package's spelling qualified by package name
  const exact = cands.find((f) => f.pkg === pkg && f.name === printed);
  if (exact) return exact.cost;
  const qual = cands.find((f) => f.pkg !== pkg && sameFunction(printed, `${f.pkg}.${f.name}`, names));
  return qual?.cost;
}

/**
 * `boom.(*Filter).Add` vs `github.com/tylertreat/BoomFilters.(*Filter).Add`: the same function when the
 * printed name is the full name's function part qualified by one identifier (a package name). Only
 * for two lines the compiler printed at the SAME position (where no other callee can be meant).
 */
export function sameAfterQualifier(printed: string, full: string): boolean {
  const p = genericKey(unescapeSymbol(printed));
  const name = unescapeSymbol(splitSymbol(genericKey(full)).name);
  if (!name || !p.endsWith(`.${name}`)) return false;
  return /^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(p.slice(0, p.length - name.length - 1));
}

const lastSegment = (name: string): string => genericKey(name).split('.').pop() ?? name;

function refusalFromJson(pos: Pos, pkg: string, message: string): InlineDecision {
  const d: InlineDecision = { kind: 'inline', ...pos, pkg, callee: '', inlined: false, hotBudget: false, message };
  let m: RegExpExecArray | null;
  if ((m = /^cost (-?\d+) of (.+) exceeds max caller cost (-?\d+)$/.exec(message))) {
    d.reason = 'cost';
    d.cost = Number(m[1]);
    d.callee = d.calleeFull = m[2]!;
    d.maxCost = Number(m[3]);
  } else if ((m = /^(.+) cannot be inlined$/.exec(message))) {
    d.reason = 'not-inlinable';
    d.callee = d.calleeFull = m[1]!;
  } else if ((m = /^repeated recursive cycle to (.+)$/.exec(message))) {
    d.reason = 'recursive';
    d.callee = d.calleeFull = m[1]!;
  } else if (message === '') {
    // inl.go logs `recursive call to F` as LogOpt's function name, so the message is lost.
    d.reason = 'recursive';
    d.message = 'recursive call';
  } else {
    d.reason = 'other';
    const c = /function (\S+) in/.exec(message);
    if (c) d.callee = d.calleeFull = c[1]!;
  }
  return d;
}

function dedupeFunctions(fs: FunctionFact[]): FunctionFact[] {
  const seen = new Set<string>();
  const out: FunctionFact[] = [];
  for (const f of fs) {
    // cost and reason too: shapes of one generic function share a position and, named from the JSON, a name
    const k = `${f.pkg}\0${f.file}\0${f.line}\0${f.col}\0${f.name}\0${f.inlinable}\0${f.cost}\0${f.reason}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out;
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const l = m.get(k);
    if (l) l.push(x);
    else m.set(k, [x]);
  }
  return m;
}

export function comparePos(a: Pos, b: Pos): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col;
}

/** Parses a complete build: the go command's combined output and the `-json=0` files. */
export function parseDecisions(text: string, json: JsonFile[], opts: ParseOptions): CompilerDecisions {
  const p = new DecisionParser(opts);
  p.pushText(text);
  for (const j of json) p.pushJson(j);
  return p.finish();
}

/**
 * Parses one package's compile: its `# pkg` block of the go command's output and the `-json=0`
 * files its compile wrote. The result depends only on that compile (so it can be cached by the
 * go command's action ID); `mergeDecisions` joins the packages of a build.
 */
export function parsePackage(pkg: string, text: string, json: JsonFile[], opts: ParseOptions): CompilerDecisions {
  const p = new DecisionParser({ ...opts, pkg });
  p.pushText(text);
  for (const j of json) p.pushJson(j);
  const d = p.finish();
  delete d.packageNames; // the build's, not the package's: mergeDecisions sets it
  if (text && !d.packages.includes(pkg)) d.packages = [...d.packages, pkg].sort(); // what its `# pkg` header says in the whole output
  return d;
}

/**
 * Joins per-package results into the build's: what `parseDecisions` of the whole output gives,
 * including the costs of inlined callees declared in another package (a package's own parse only
 * knows its own `can inline … with cost N` lines).
 */
export function mergeDecisions(parts: CompilerDecisions[], packageNames?: Record<string, string>): CompilerDecisions {
  const out: CompilerDecisions = { calls: [], functions: [], hotBudgetFuncs: {}, noDevirt: [], thresholds: [], packages: [], ignoredLines: 0 };
  const pkgs = new Set<string>();
  for (const d of parts) {
    // the parts' call objects are shared (they are the per-package results kept in memory): a call given a cost is copied
    for (const c of d.calls) out.calls.push(c);
    for (const f of d.functions) out.functions.push(f);
    Object.assign(out.hotBudgetFuncs, d.hotBudgetFuncs);
    out.noDevirt.push(...d.noDevirt);
    out.thresholds.push(...d.thresholds);
    for (const p of d.packages) pkgs.add(p);
    out.ignoredLines += d.ignoredLines;
  }
  const idx = costIndex(out.functions);
  const costs = new Map<string, number | undefined>(); // (package, callee as printed) → cost: many calls name the same callee
  const calls = out.calls;
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i]!;
    if (c.kind !== 'inline' || !c.inlined || c.hotBudget || c.cost !== undefined) continue;
    const k = `${c.pkg}\0${c.callee}`;
    let cost: number | undefined;
    if (costs.has(k)) cost = costs.get(k);
    else costs.set(k, (cost = lookupCost(idx, c.callee, c.pkg, packageNames)));
    if (cost !== undefined) calls[i] = { ...c, cost };
  }
  out.calls.sort(comparePos);
  out.packages = [...pkgs].sort();
  if (packageNames) out.packageNames = packageNames;
  return out;
}

// ---------------------------------------------------------------------------------------------
// For the editor: decisions per (absolute file, 1-based line).

export interface LineDecisions {
  file: string;
  line: number;
  calls: CallDecision[];
}

/** Decisions grouped per (absolute file, line), files and lines ascending; nested inlines left out unless asked. */
export function decisionsByLine(d: CompilerDecisions, opts: { nested?: boolean } = {}): Map<string, Map<number, CallDecision[]>> {
  const out = new Map<string, Map<number, CallDecision[]>>();
  for (const c of d.calls) {
    if (c.kind === 'inline' && c.nested && !opts.nested) continue;
    let byLine = out.get(c.file);
    if (!byLine) out.set(c.file, (byLine = new Map()));
    const l = byLine.get(c.line);
    if (l) l.push(c);
    else byLine.set(c.line, [c]);
  }
  return out;
}

/** One short sentence for a CodeLens: `confirmed: inlined (hot budget, cost 124)` / `not inlined: …`. */
export function describeDecision(c: CallDecision): string {
  if (c.kind === 'devirtualize') return c.pgo ? `confirmed: PGO devirtualizes ${c.expr} → ${c.callee}` : `devirtualized statically: ${c.expr} → ${c.callee}`;
  const who = c.callee || 'call';
  if (c.inlined) {
    if (c.hotBudget) return `confirmed: ${who} inlined (hot budget, cost ${c.cost})`;
    return `${who} inlined${c.cost !== undefined ? ` (cost ${c.cost} within the normal budget)` : ' (within the normal budget)'}`;
  }
  return `not inlined: ${who}: ${refusalText(c)}`;
}

export function refusalText(c: InlineDecision): string {
  switch (c.reason) {
    case 'cost':
      if (c.maxCost === 20) return `cost ${c.cost} exceeds ${c.maxCost} (the caller is big: over 5000 IR nodes)`;
      if (c.maxCost === 80) return `cost ${c.cost} exceeds ${c.maxCost} and the call site is not hot`;
      if (c.maxCost === 2000) return `cost ${c.cost} exceeds the hot budget ${c.maxCost}`;
      return `cost ${c.cost} exceeds ${c.maxCost}`;
    case 'big-caller':
      return `hot call site, but the caller is too big for hot inlining (over 5000 IR nodes)${c.cost !== undefined ? `; callee cost ${c.cost}` : ''}`;
    case 'not-inlinable':
      return 'the callee has no inline body';
    case 'recursive':
      return 'recursive call';
    default:
      return c.message ?? 'refused';
  }
}
