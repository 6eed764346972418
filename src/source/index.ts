/**
 * Go source index: for every function, method, closure, go/defer wrapper and range-over-func body
 * of a package, its linker symbol (as in profiles), start/end lines in the compiler's line space
 * and its call sites. Pure TypeScript; never imports `vscode`.
 *
 * Two ways in:
 * - `indexPackage(files, opts)` for a one-shot index;
 * - `PackageIndexer` for editors: `setFile` re-lexes and re-parses only the changed file, and
 *   `index()` re-walks only files whose package-visible declarations (or whose own text)
 *   changed; package-wide numbering (`init.N`, `init.funcN` in initialisation order) is
 *   recomputed from cached per-file facts.
 */
import { isDeepStrictEqual } from 'node:util';
import type * as A from './ast';
import { DEFAULT_GO_MINOR } from './build-tags';
import { initOrder, VarNode } from './init-order';
import { pragmasAbove } from './inline-cost';
import { tokenEnd, tokenLine, tokenStart } from './lexer';
import type { CallSite, FuncEntry, GoVersion, PackageIndex } from './model';
import { hash53 } from './hash';
import { DeclHashes } from './decl-hashes';
import { type TextChange, textChange } from './text-change';
import { finalLists, type FinalState } from './incremental-final';
import { relexSplice } from './incremental-lex';
import { tokenHash } from './incremental-tokens';
import { genericKey, pathToPrefix, prefixToPath, splitSymbol } from './names';
import { signatureString } from './types';
import { aliasTarget, buildPkgEnv, FileSyntax, ImportResolver, parseSourceFile, PkgEnv, receiverInfo } from './package-env';
import { linknames, Walker } from './walker';

export type { FuncEntry, CallSite, CallKind, Dispatch, FuncKind, GoVersion, PackageIndex } from './model';
export type { ExternalPackage, ExternalFunc, ImportResolver, FileSyntax, NeutralFunc, NeutralMethod } from './package-env';
export { genericKey, pathToPrefix, prefixToPath, splitSymbol, GENERIC_PLACEHOLDER } from './names';
export { signatureString, typeString } from './types';
export { parseSourceFile } from './package-env';
export { selectBuildFiles, defaultBuildContext, evalConstraint, fileIncluded, headerInfo, matchTag } from './build-tags';
export type { BuildContext } from './build-tags';

export interface SourceFile {
  name: string;
  text: string;
}

export interface IndexOptions {
  /** Import path; 'main' for a main package in a normal build. */
  pkgPath: string;
  /** Go version whose naming rules to follow (default 1.26). */
  goVersion?: GoVersion;
  /** Target platform for constant conditions such as `runtime.GOOS == "windows"` (default linux/amd64). */
  goos?: string;
  goarch?: string;
  /** Facts about imported packages (signatures, constants); see `createSourceResolver` in packages.ts. */
  resolver?: ImportResolver;
  /**
   * Keep per-declaration caches for re-indexing after edits (default true for PackageIndexer;
   * `indexPackage` turns it off since a one-shot index never reuses them).
   */
  incremental?: boolean;
  /**
   * Walk only the function bodies of these files (every file's declarations still form the
   * package environment): the index holds these files' function entries, with the names and
   * lines a full index gives them, and no variable-initialiser entries (their naming needs every
   * body); `walkedOnly` marks it. Used by declarations-first.ts, which checks when that is exact.
   */
  walkOnly?: ReadonlySet<string>;
}

/** Index a package given all of its files (the caller chooses the files, e.g. with build-tags.ts). */
export function indexPackage(files: SourceFile[], opts: IndexOptions): PackageIndex {
  const ix = new PackageIndexer({ ...opts, incremental: false });
  for (const f of files) ix.setFile(f.name, f.text);
  return ix.index();
}

interface FileRecord {
  syntax: FileSyntax;
  version: number;
  envHash: string;
  /** Per-declaration walk results of the previous index() (reused when text and env match). */
  declCache: Map<string, DeclResult>;
  /** Dependency facts of the file's package variables (content-based). */
  varFacts?: { key: string; facts: VarFacts[] };
  /** The file's top-level syntax errors (outside function bodies), computed once per version. */
  topErrors?: { version: number; errors: { line: number; msg: string }[] };
  /** The file's declarations as the previous index() walked them: reused whole while nothing they depend on changed. */
  walked?: FileWalk;
  /** The file's package-variable units of the previous index() under a facts key (setFile replaces the record: never another version's). */
  units?: { key: string; list: VarUnit[] };
  /** Hashes of this version's declaration texts, taken over from the previous version outside the edit (decl-hashes.ts). */
  hashes: DeclHashes;
}

/** One file's share of step 1 of index(), valid for one file version, environment generation and first init number. */
interface FileWalk {
  version: number;
  envGen: number;
  initBase: number;
  entries: FuncEntry[];
  errors: { line: number; msg: string }[];
  approximations: string[];
  fileDeps: { key: string; deps: Set<string> }[];
  depSigs: string[];
  /** Hash of depSigs: the file's part of the init-order key. */
  depHash: string;
}

/** The cached walk of one function declaration, computed with the declaration at `line`. */
interface DeclResult {
  line: number;
  entries: FuncEntry[];
  depKey: string | undefined;
  deps: Set<string>;
  /** Hash of depKey + deps: the init-order graph only changes when this does. */
  depSig: string;
  approximations: string[];
  /** Syntax errors inside the body (physical lines), found when it was parsed. */
  errors: { line: number; msg: string }[];
  /** Package-level lookups the walk made and their fingerprints then (cache validity). */
  touched: Map<string, string>;
  /** The package environment generation this result was last validated against. */
  validFor: number;
  /** Key by the declaration's tokens (incremental-tokens.ts), when its file has no non-ASCII text: a comment edit keeps it. */
  tokenKey?: string;
}

/** Per variable unit: dependencies and whether it is an outlined map initialisation. */
interface VarFacts {
  deps: Set<string>;
  mapInit: boolean;
}

interface VarUnit {
  file: FileSyntax;
  /** The spec and name index, for single-variable units (map.init outlining). */
  spec?: A.ValueSpec;
  index?: number;
  exprs: A.Expr[];
  /** One per variable name of the unit. */
  names: string[];
  facts: VarFacts;
  /** Identity for caching the naming walk (content + position). */
  id: string;
}

interface UnitCacheEntry {
  line: number;
  entries: FuncEntry[];
  calls: FuncEntry['calls'];
  litsUsed: number;
}

export class PackageIndexer {
  private readonly opts: IndexOptions;
  private readonly files = new Map<string, FileRecord>();
  private versionCounter = 0;
  private envKey = '';
  private env: PkgEnv | undefined;
  private walker: Walker | undefined;
  private unitCache = new Map<string, UnitCacheEntry>();
  private orderCache: { key: string; ordered: number[] } | undefined;
  /** Incremented whenever the package environment is rebuilt. */
  private envGen = 0;
  /**
   * The entries the previous index() returned, by symbol: a re-walked declaration (or a variable
   * initialiser) whose entries came out equal to these returns these objects, so that an edit
   * that changes nothing the index describes (a comment, a name's spelling typed and reverted)
   * leaves every entry identical and consumers can tell by identity.
   */
  private published = new Map<string, FuncEntry>();
  /** The file names in Go's order, while no file was added or removed. */
  private sortedNames: string[] | undefined;
  /** The previous index()'s per-file lists and symbol map (incremental-final.ts). */
  private final: FinalState | undefined;

  constructor(opts: IndexOptions) {
    this.opts = opts;
  }

  /** Add or replace a file. Only this file is lexed and parsed. */
  setFile(name: string, text: string): void {
    const old = this.files.get(name);
    if (old && old.syntax.text === text) return;
    // an edit re-lexes only the lines around it (incremental-lex.ts); a one-shot index has no old text
    const change = old && this.opts.incremental !== false ? textChange(old.syntax.text, text) : undefined;
    const re = old && change ? relexSplice(old.syntax.ts, text, old.syntax.ts.src === old.syntax.text ? change : undefined) : undefined;
    // the tokens the re-lex kept keep their declarations' parse (incremental-parse.ts)
    const syntax = parseSourceFile(name, text, re?.ts, old && re ? { syntax: old.syntax, splice: re.splice } : undefined);
    if (!old) this.sortedNames = undefined;
    this.files.set(name, {
      syntax,
      version: ++this.versionCounter,
      envHash: hash53(syntax.envSig),
      declCache: old?.declCache ?? new Map(),
      varFacts: old?.varFacts,
      hashes: this.hashesFor(old, text, change),
    });
  }

  /**
   * Add or replace a file already lexed and parsed by `parseSourceFile` (e.g. for another indexer
   * of the package): as `setFile(syntax.name, syntax.text)`, without lexing and parsing it again.
   */
  setParsed(syntax: FileSyntax): void {
    const old = this.files.get(syntax.name);
    if (old && old.syntax.text === syntax.text) return;
    this.files.set(syntax.name, {
      syntax,
      version: ++this.versionCounter,
      envHash: hash53(syntax.envSig),
      declCache: old?.declCache ?? new Map(),
      varFacts: old?.varFacts,
      hashes: this.hashesFor(old, syntax.text),
    });
  }

  /** The new version's declaration hashes, linked to the old version's where an edit keeps text (a one-shot index has none to keep). */
  private hashesFor(old: FileRecord | undefined, text: string, change?: TextChange): DeclHashes {
    if (!old || this.opts.incremental === false) return new DeclHashes(text);
    return new DeclHashes(text, { hashes: old.hashes.settled(), change: change ?? textChange(old.syntax.text, text) });
  }

  removeFile(name: string): void {
    if (this.files.delete(name)) this.sortedNames = undefined;
  }

  /** The parsed file (for callers that need tokens, e.g. to map editor positions). */
  getFile(name: string): FileSyntax | undefined {
    return this.files.get(name)?.syntax;
  }

  /** The entry the previous index() returned for e's symbol when it equals e, else e. */
  private canonical(e: FuncEntry): FuncEntry {
    if (this.opts.incremental === false) return e;
    const old = this.published.get(e.symbol);
    return old && old !== e && isDeepStrictEqual(old, e) ? old : e;
  }

  index(): PackageIndex {
    const goMinor = this.opts.goVersion?.minor ?? DEFAULT_GO_MINOR;
    const prefix = pathToPrefix(this.opts.pkgPath);
    const names = (this.sortedNames ??= [...this.files.keys()].sort(compareBytes));
    const errors: PackageIndex['errors'] = [];
    // The package name: the first file's, preferring non-_test package clauses.
    const recs = names.map((n) => this.files.get(n) as FileRecord);
    let pkgName = '';
    for (const r of recs) {
      if (r.syntax.pkgName && !r.syntax.pkgName.endsWith('_test')) {
        pkgName = r.syntax.pkgName;
        break;
      }
    }
    const firstRec = recs[0];
    if (!pkgName && firstRec) pkgName = firstRec.syntax.pkgName;
    const used: FileRecord[] = [];
    for (const r of recs) {
      // top-level errors; errors inside function bodies are reported per declaration below
      if (r.topErrors?.version !== r.version) r.topErrors = { version: r.version, errors: topLevelErrors(r.syntax) };
      for (const e of r.topErrors.errors) errors.push({ file: r.syntax.name, line: e.line, msg: e.msg });
      if (r.syntax.pkgName !== pkgName) {
        errors.push({ file: r.syntax.name, line: 1, msg: `package ${r.syntax.pkgName}; expected ${pkgName}` });
        continue;
      }
      used.push(r);
    }

    const envKey = `${goMinor}|${prefix}|${this.opts.goos ?? ''}|${this.opts.goarch ?? ''}|` + used.map((r) => `${r.syntax.name}:${r.envHash}`).join(',');
    if (envKey !== this.envKey || !this.env || !this.walker) {
      this.envKey = envKey;
      this.env = buildPkgEnv(
        used.map((r) => r.syntax),
        this.opts.resolver,
        this.opts.goos ?? 'linux',
        this.opts.goarch ?? 'amd64',
        goMinor,
      );
      this.walker = new Walker(this.env, { prefix, goMinor, pkgPath: this.opts.pkgPath, track: this.opts.incremental !== false });
      this.unitCache = new Map();
      this.envGen++;
      // Per-declaration caches survive: each entry is re-validated against the new package
      // through the fingerprints of the package-level names it looked up.
    }
    const walker = this.walker;
    const env = this.env;
    const approximations: string[] = [];

    // 1. Declared functions. Each declaration's walk is cached by its text (and init number);
    //    an unchanged declaration that moved is reused with its lines shifted.
    const perFile = new Map<string, FuncEntry[]>();
    const depKeys: string[] = [];
    const fileDeps: { key: string; deps: Set<string> }[] = [];
    let initBase = 0;
    for (const r of used) {
      const f = r.syntax;
      if (this.opts.walkOnly && !this.opts.walkOnly.has(f.name)) {
        initBase += f.initCount;
        continue;
      }
      const ts = f.ts;
      const incremental = this.opts.incremental !== false;
      const cacheable = incremental && ts.lineDirectives.length === 0;
      // A file whose text and environment are as the previous index() saw them, with the same
      // first init number, walks to the same results: every declaration would be a cache hit at
      // its old line.
      const prev = r.walked;
      if (cacheable && prev && prev.version === r.version && prev.envGen === this.envGen && prev.initBase === initBase) {
        for (const e of prev.errors) errors.push({ file: f.name, line: e.line, msg: e.msg });
        approximations.push(...prev.approximations);
        fileDeps.push(...prev.fileDeps);
        depKeys.push(prev.depHash);
        perFile.set(f.name, [...prev.entries]);
        initBase += f.initCount;
        continue;
      }
      const walk: FileWalk = {
        version: r.version,
        envGen: this.envGen,
        initBase,
        entries: [],
        errors: [],
        approximations: [],
        fileDeps: [],
        depSigs: [],
        depHash: '',
      };
      const newCache = new Map<string, DeclResult>();
      let byToken: Map<string, DeclResult> | undefined;
      const entries: FuncEntry[] = [];
      let initIdx = initBase;
      for (const d of f.ast.decls) {
        if (d.k !== 'FuncDecl' || !d.bodyRange) continue;
        if (d.name.value === '_') continue; // blank functions are not compiled
        const isInit = !d.recv && d.name.value === 'init';
        const idx = isInit ? initIdx++ : undefined;
        const line = tokenLine(ts, d.t);
        // the walk depends on the text from `func` to `}`, the pragmas above it (inline cost) and its init number
        const keyHead = incremental ? `${idx ?? ''}#${linknames(f).get(d.name.value) ?? ''}#${pragmasAbove(ts, d.t).join(' ')}#` : '';
        const key = incremental ? keyHead + r.hashes.of(tokenStart(ts, d.t), tokenEnd(ts, d.bodyRange[1])) : '';
        let res = cacheable ? r.declCache.get(key) : undefined;
        // Text changed: the same tokens at the same relative places walk the same (a comment typed or changed)
        const tokenKey = cacheable && !ts.nonAscii && !res ? keyHead + tokenHash(ts, d.t, d.bodyRange[1]) : undefined;
        if (tokenKey !== undefined) res = (byToken ??= byTokenKey(r.declCache)).get(tokenKey);
        if (res && res.validFor !== this.envGen) {
          if (stillValid(res, env)) res.validFor = this.envGen;
          else res = undefined;
        }
        if (res && res.line !== line) res = shiftDecl(res, line);
        if (!res) {
          const before = walker.approximations.length;
          let w: ReturnType<Walker['walkFuncDecl']>;
          try {
            w = walker.walkFuncDecl(f, d, idx);
          } catch (e) {
            // A bug in the walker must not take the whole index down (this runs per keystroke).
            walk.errors.push({ line, msg: `internal error indexing ${d.name.value}: ${(e as Error).message}` });
            continue;
          }
          const [lb, rb] = d.bodyRange;
          const bodyErrors = f.ast.errors.filter((e) => e.t >= lb && e.t <= rb).map((e) => ({ line: ts0(f, e.t), msg: e.msg }));
          const depKey = isInit ? undefined : d.recv ? methodKey(env, d) : 'f:' + d.name.value;
          res = {
            line,
            entries: w.entries.map((e) => this.canonical(e)),
            depKey,
            deps: w.deps,
            depSig: depKey && this.opts.incremental !== false ? hash53(depKey + ':' + [...w.deps].sort().join(',')) : '',
            approximations: walker.approximations.splice(before),
            errors: bodyErrors,
            touched: w.touched,
            validFor: this.envGen,
            tokenKey: cacheable && !ts.nonAscii ? (tokenKey ?? keyHead + tokenHash(ts, d.t, d.bodyRange[1])) : undefined,
          };
        }
        // a walk under `//line` directives describes entries differently (relFile, no noCode): never reused
        if (cacheable) newCache.set(key, res);
        for (const e of res.errors) walk.errors.push(e);
        for (const e of res.entries) entries.push(e);
        walk.approximations.push(...res.approximations);
        if (res.depKey) {
          walk.fileDeps.push({ key: res.depKey, deps: res.deps });
          if (incremental) walk.depSigs.push(res.depSig);
        }
      }
      for (const e of walk.errors) errors.push({ file: f.name, line: e.line, msg: e.msg });
      approximations.push(...walk.approximations);
      fileDeps.push(...walk.fileDeps);
      if (incremental) walk.depHash = hash53(walk.depSigs.join(','));
      depKeys.push(walk.depHash);
      r.declCache = newCache;
      walk.entries = entries;
      r.walked = cacheable ? walk : undefined;
      perFile.set(f.name, [...entries]);
      initBase += f.initCount;
    }

    // 2. Package-level variables: dependencies (cached by declaration content), then
    //    initialisation order (cached while the dependency graph is unchanged).
    const units: VarUnit[] = [];
    const varNodes: VarNode[] = [];
    /** Each file's facts key less the envKey the order key starts with (every file's facts key is `${envKey}#${envHash}` after this loop). */
    const factsParts: string[] = [];
    let order = 0;
    for (const r of this.opts.walkOnly ? [] : used) {
      const f = r.syntax;
      const factsKey = `${envKey}#${r.envHash}`;
      // the same file version with the same facts key gives the same units (an edit elsewhere in the package)
      const cachedUnits = r.units && r.units.key === factsKey ? r.units.list : undefined;
      const reuse = r.varFacts && r.varFacts.key === factsKey ? r.varFacts.facts : undefined;
      const facts: VarFacts[] = [];
      let specNo = 0;
      const fileUnits: VarUnit[] = cachedUnits ?? [];
      for (const d of cachedUnits ? [] : f.ast.decls) {
        if (d.k !== 'GenDecl' || d.tok !== 'var') continue;
        for (const s of d.specs as A.ValueSpec[]) {
          specNo++;
          const posKey = `${f.name}#${r.envHash}#${specNo}`;
          if (s.values.length === 0) {
            fileUnits.push({ file: f, exprs: [], names: s.names.map((n) => n.value), facts: { deps: new Set(), mapInit: false }, id: '' });
            continue;
          }
          const one = (exprs: A.Expr[], names: string[], i: number | undefined): void => {
            let fa = reuse?.[facts.length];
            if (!fa) {
              try {
                fa = {
                  deps: walker.walkVarInit(f, exprs, undefined).deps,
                  mapInit: i !== undefined && walker.isOutlinedMapInit(f, s, i),
                };
              } catch (e) {
                errors.push({ file: f.name, line: ts0(f, s.t), msg: `internal error indexing a variable: ${(e as Error).message}` });
                fa = { deps: new Set(), mapInit: false };
              }
            }
            facts.push(fa);
            fileUnits.push({ file: f, spec: i !== undefined ? s : undefined, index: i, exprs, names, facts: fa, id: `${posKey}.${i ?? ''}` });
          };
          if (s.values.length === s.names.length)
            s.values.forEach((v, i) => {
              const n = s.names[i];
              if (n) one([v], [n.value], i);
            });
          else
            one(
              s.values,
              s.names.map((n) => n.value),
              undefined,
            );
        }
      }
      if (!cachedUnits) {
        r.varFacts = { key: factsKey, facts };
        if (this.opts.incremental !== false) r.units = { key: factsKey, list: fileUnits };
      }
      factsParts.push(r.envHash);
      for (const u of fileUnits) {
        const unitNo = u.exprs.length ? units.length : -1;
        if (unitNo >= 0) units.push(u);
        for (const n of u.names) {
          varNodes.push({ order: order++, unit: unitNo, deps: u.facts.deps, name: n === '_' ? `_#${order}` : n });
        }
      }
    }
    const orderKey =
      this.opts.incremental === false
        ? ''
        : envKey + '|' + depKeys.join(',') + '|' + (this.opts.walkOnly ? used.map((r) => r.varFacts?.key ?? '') : factsParts).join(',');
    let ordered: number[];
    if (goMinor < 22) {
      // Go 1.21 numbered package-scope closures (glob..funcN) in declaration order.
      ordered = units.map((_, i) => i);
    } else if (orderKey && this.orderCache && this.orderCache.key === orderKey) ordered = this.orderCache.ordered;
    else {
      const funcDeps = new Map<string, Set<string>>();
      for (const { key, deps } of fileDeps) {
        const set = funcDeps.get(key);
        if (set) for (const x of deps) set.add(x);
        else funcDeps.set(key, new Set(deps));
      }
      ordered = initOrder(varNodes, funcDeps);
      this.orderCache = { key: orderKey, ordered };
    }

    // 3. Name closures of variable initialisers in that order, as children of `init`.
    const varInit: FuncEntry = {
      symbol: prefix + '.init',
      name: 'init',
      kind: 'varinit',
      file: '',
      startLine: 1,
      endLine: 1,
      physicalStartLine: 0,
      physicalEndLine: 0,
      startColumn: 0,
      generic: false,
      calls: [],
    };
    let lits = 0;
    let mapInits = 0;
    const newUnitCache = new Map<string, UnitCacheEntry>();
    for (const ui of ordered) {
      const u = units[ui];
      const first = u?.exprs[0];
      if (!u || !first) continue; // units are the variables with initialisers
      const nameTok = u.spec && u.index !== undefined ? u.spec.names[u.index]?.t : undefined;
      if (u.facts.mapInit && nameTok !== undefined) {
        // `map.init.N`: positioned at the variable's name, numbered in initialisation order
        const e = walker.makeEntryAt(u.file, `map.init.${mapInits++}`, 'mapinit', nameTok, lastToken(first), false, undefined);
        perFile.get(u.file.name)?.push(this.canonical(e));
        continue;
      }
      const ck = `${u.id}@${lits}`;
      const line = tokenLine(u.file.ts, first.t);
      let c = u.file.ts.lineDirectives.length === 0 ? this.unitCache.get(ck) : undefined;
      if (c && c.line !== line) c = shiftUnit(c, line);
      if (!c) {
        const tmp: FuncEntry = { ...varInit, calls: [] };
        const ic = walker.newInitContext(tmp, lits);
        try {
          const res = walker.walkVarInit(u.file, u.exprs, ic);
          c = { line, entries: res.entries.map((e) => this.canonical(e)), calls: tmp.calls, litsUsed: Walker.litCount(ic) - lits };
        } catch (e) {
          errors.push({ file: u.file.name, line, msg: `internal error indexing a variable: ${(e as Error).message}` });
          c = { line, entries: [], calls: [], litsUsed: 0 };
        }
      }
      if (u.file.ts.lineDirectives.length === 0) newUnitCache.set(ck, c);
      lits += c.litsUsed;
      for (const call of c.calls) varInit.calls.push(call);
      for (const e of c.entries) perFile.get(e.file)?.push(e);
    }
    this.unitCache = newUnitCache;

    const incremental = this.opts.incremental !== false;
    const usedNames = used.map((r) => r.syntax.name);
    const varInitEntry = varInit.calls.length || lits > 0 ? this.canonical(varInit) : undefined;
    const { funcs, byFile, bySymbol, state } = finalLists(usedNames, perFile, varInitEntry, incremental ? this.final : undefined);
    if (incremental) {
      this.published = bySymbol;
      this.final = state;
    }
    return {
      pkgPath: this.opts.pkgPath,
      symbolPrefix: prefix,
      pkgName,
      files: usedNames,
      funcs,
      bySymbol,
      byFile,
      errors,
      approximations,
      imports: [...new Set(used.flatMap((r) => r.syntax.imports.map((i) => i.path)))].sort(),
      ...(this.opts.walkOnly ? { walkedOnly: used.map((r) => r.syntax.name).filter((n) => this.opts.walkOnly?.has(n)) } : {}),
    };
  }
}

/** The cached declarations of a file by their token keys. */
function byTokenKey(cache: Map<string, DeclResult>): Map<string, DeclResult> {
  const m = new Map<string, DeclResult>();
  for (const r of cache.values()) if (r.tokenKey !== undefined) m.set(r.tokenKey, r);
  return m;
}

/** Errors outside function bodies (those inside are reported with their declaration). */
function topLevelErrors(f: FileSyntax): { line: number; msg: string }[] {
  const bodies = f.ast.decls.filter((d): d is A.FuncDecl => d.k === 'FuncDecl' && !!d.bodyRange).map((d) => d.bodyRange as [number, number]);
  return f.ast.errors.filter((e) => !bodies.some(([a, b]) => e.t >= a && e.t <= b)).map((e) => ({ line: ts0(f, e.t), msg: e.msg }));
}

/** A cached declaration analysis is valid while every package-level lookup it made is unchanged. */
function stillValid(r: DeclResult, env: PkgEnv): boolean {
  for (const [k, h] of r.touched) if (env.fingerprint(k) !== h) return false;
  return true;
}

/** Physical line of token `t` (clamped to the EOF token: errors may point past the last token). */
function ts0(f: FileSyntax, t: number): number {
  return tokenLine(f.ts, Math.min(t, f.ts.count - 1));
}

/** Move cached entries of a declaration that only changed position (no //line directives). */
function shiftDecl(r: DeclResult, line: number): DeclResult {
  const d = line - r.line;
  return { ...r, line, entries: r.entries.map((e) => shiftEntry(e, d)), errors: r.errors.map((e) => ({ ...e, line: e.line + d })) };
}

function shiftUnit(c: UnitCacheEntry, line: number): UnitCacheEntry {
  const d = line - c.line;
  // the calls belong to the synthetic `init` (start line 1, which does not move): their offsets move with them
  return { ...c, line, entries: c.entries.map((e) => shiftEntry(e, d)), calls: c.calls.map((k) => ({ ...shiftCall(k, d), offset: k.offset + d })) };
}

function shiftEntry(e: FuncEntry, d: number): FuncEntry {
  return {
    ...e,
    startLine: e.startLine + d,
    endLine: e.endLine + d,
    physicalStartLine: e.physicalStartLine + d,
    physicalEndLine: e.physicalEndLine + d,
    calls: e.calls.map((c) => shiftCall(c, d)),
  };
}

function shiftCall(c: CallSite, d: number): CallSite {
  return { ...c, line: c.line + d, physicalLine: c.physicalLine + d };
}

/** Dependency-graph key of a method: `m:RecvType.Name` (receiver through local aliases). */
function methodKey(env: PkgEnv | undefined, d: A.FuncDecl): string | undefined {
  if (!d.recv || !env) return undefined;
  const r = receiverInfo(d.recv.type);
  if (!r) return undefined;
  return `m:${aliasTarget(env, r.name) ?? r.name}.${d.name.value}`;
}

/** Last token of an expression (approximate: the closing brace of composite literals). */
function lastToken(x: A.Expr): number {
  switch (x.k) {
    case 'CompositeLit':
      return x.rbrace;
    case 'FuncLit':
      return x.body.rbrace;
    case 'CallExpr':
      return x.rparen;
    default:
      return x.t;
  }
}

/** Byte-wise (UTF-8) string comparison, as Go sorts file names. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  // For ASCII (the normal case) UTF-16 order equals byte order.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The index entry for a profile function name: generic instantiations (shape or concrete type
 * arguments) are folded to the `[...]` placeholder first.
 */
export function findBySymbol(ix: PackageIndex, profileSymbol: string): FuncEntry | undefined {
  return ix.bySymbol.get(genericKey(profileSymbol));
}

/** The innermost function whose body spans a physical line of a file (for editor positions). */
export function functionAt(ix: PackageIndex, file: string, physicalLine: number): FuncEntry | undefined {
  let best: FuncEntry | undefined;
  for (const e of ix.byFile.get(file) ?? []) {
    if (e.physicalStartLine > physicalLine || e.physicalEndLine < physicalLine) continue;
    if (e.kind === 'mapinit') continue;
    if (!best || e.physicalEndLine - e.physicalStartLine <= best.physicalEndLine - best.physicalStartLine) best = e;
  }
  return best;
}

/**
 * The normalized signature (as `FuncEntry.signature`: receiver excluded, `types.Identical`
 * iff equal) of a function or method of another package, by linker symbol
 * (`strings.ToUpper`, `math/rand.(*Rand).Intn`, `example.com/m/p%2ev2.T.M`), as far as the
 * resolver can describe the package from its sources (`createSourceResolver` in packages.ts).
 * Undefined for closures, wrappers, generic functions and methods of generic types (their
 * shaped instantiations take a dictionary), and unknown packages or types. Functions of packages
 * indexed in the workspace have `FuncEntry.signature` instead.
 */
export function importedSignature(resolver: ImportResolver, symbol: string): string | undefined {
  if (symbol.includes('[')) return undefined;
  const { prefix, name } = splitSymbol(symbol);
  const path = prefix ? prefixToPath(prefix) : undefined;
  if (path === undefined) return undefined;
  const ext = resolver(path);
  if (!ext) return undefined;
  const decl = (p: string, n: string) => resolver(p)?.typeDecl?.(n);
  const m = /^(?:\(\*([^().]+)\)|([^().]+))\.([^().]+)$/.exec(name);
  if (m) {
    const [, ptrRecv, valueRecv, method] = m;
    const recv = ptrRecv ?? valueRecv;
    if (recv === undefined || method === undefined) return undefined;
    const ms = ext.methodSig?.(recv, method);
    if (!ms || ms.generic || ms.pointer !== (m[1] !== undefined)) return undefined;
    return signatureString(ms.type, decl, path);
  }
  if (!/^[^().]+$/.test(name)) return undefined;
  const fs = ext.funcSig?.(name);
  if (!fs || fs.generic) return undefined;
  return signatureString(fs.type, decl, path);
}
