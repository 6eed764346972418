/**
 * The walker's state and name resolution: the file and scope being walked, lexical scopes and
 * declarations, identifier lookup (local scopes, package scope, file imports, dot imports,
 * universe), the package-level lookups recorded for cache validation, entries and their
 * positions, and constant evaluation in scope. Layers of the walker (one concern per file) build
 * on it: type expressions, selection, generics, inference, dispatch, calls, expressions,
 * statements, and walker.ts (the entry points).
 */
import type * as A from './ast';
import { noCodeOffsets } from './code-lines';
import { evalConst, isPredeclaredBasicType, type ConstEnv, type ConstVal } from './consts';
import { relLineAt, relFileAt, tokenCol, tokenLine, tokenStart, type TokenStream } from './lexer';
import type { FuncEntry, FuncKind } from './model';
import { builtinExternal, type ExternalPackage, type FileSyntax, type MethodObject, type PkgEnv } from './package-env';
import { unparen } from './parser';
import { EXT_PREFIX, extName } from './types';
import { importOfBinding, UNIVERSE_CONSTS, type Binding, type PendingStatic, type Scope, type WalkResult, type WalkerOptions } from './walk-model';

export abstract class WalkScope {
  protected readonly env: PkgEnv;
  protected readonly prefix: string;
  protected readonly goMinor: number;
  protected readonly pkgPath: string;
  /** Record the package-level lookups of each walk (WalkerOptions.track). */
  protected readonly track: boolean;
  /** Calls through local variables, resolved when the enclosing declaration has been walked. */
  protected pending: PendingStatic[] = [];
  protected seqCounter = 0;
  /** While resolving an initialiser: bindings declared from this number on are not yet visible. */
  protected seqLimit: number | undefined = undefined;
  /** Symbols of function literals (for calls that reach one through a variable). */
  protected readonly litSymbols = new WeakMap<A.FuncLit, string>();
  protected file!: FileSyntax;
  protected ts!: TokenStream;
  protected scope: Scope | undefined = undefined;
  protected entries: FuncEntry[] = [];
  protected deps = new Set<string>();
  protected touched = new Set<string>();
  /** Collect entries (false: dependency pass only). */
  protected emit = true;
  /** Constant values by spec and index, with the package-level lookups their evaluation made (see `recording`). */
  protected readonly pkgConstCache = new Map<A.ValueSpec, ({ v: ConstVal | null; touched: string[] } | undefined)[]>();
  protected readonly constInProgress = new Set<A.ValueSpec>();
  readonly approximations: string[] = [];
  /** Package-level bindings by name (null: none), and import bindings per file. */
  protected readonly pkgBindings = new Map<string, Binding | null>();
  protected readonly importBindings = new Map<string, Map<string, Binding | null>>();

  constructor(env: PkgEnv, opts: WalkerOptions) {
    this.env = env;
    this.prefix = opts.prefix;
    this.goMinor = opts.goMinor;
    this.pkgPath = opts.pkgPath ?? opts.prefix;
    this.track = opts.track !== false;
  }

  protected begin(file: FileSyntax, emit: boolean): void {
    this.file = file;
    this.ts = file.ts;
    this.scope = undefined;
    this.entries = [];
    this.deps = new Set();
    this.touched = new Set();
    this.emit = emit;
    this.pending = [];
  }

  protected end(): WalkResult {
    // Calls through local variables: static unless a variable on the chain was reassigned.
    for (const p of this.pending) {
      if (p.chain.some((b) => b.reassigned)) {
        p.site.dispatch = 'funcvalue';
        delete p.site.calleeSymbol;
      } else {
        p.site.dispatch = 'static';
        delete p.site.funcType;
        if (p.symbol) p.site.calleeSymbol = p.symbol;
      }
    }
    this.pending = [];
    const touched = new Map<string, string>();
    if (this.track) for (const k of this.touched) touched.set(k, this.env.fingerprint(k));
    const r = { entries: this.entries, deps: this.deps, touched };
    this.entries = [];
    this.deps = new Set();
    this.touched = new Set();
    return r;
  }

  /**
   * `f()` with the package-level lookups it makes collected apart (they are recorded in the
   * current walk as well). A value cached across walks keeps them and `replay`s them on every hit:
   * each walk must record what the values it uses depend on, or its cached result would outlive
   * a change of them (index.ts re-validates results by these lookups).
   */
  protected recording<V>(f: () => V): { value: V; touched: string[] } {
    if (!this.track) return { value: f(), touched: [] };
    const outer = this.touched;
    const mine = new Set<string>();
    this.touched = mine;
    try {
      return { value: f(), touched: [...mine] };
    } finally {
      this.touched = outer;
      for (const k of mine) outer.add(k);
    }
  }

  /** Record the lookups a cached value was computed with (see `recording`). */
  protected replay(touched: readonly string[]): void {
    for (const k of touched) this.touched.add(k);
  }

  /** Record a package-level lookup (for cache validation): `kind` is `n:`, `m:`, `mt:` or `i:`. */
  protected touch(kind: string, name: string): void {
    if (this.track) this.touched.add(kind + name);
  }

  /** `aliasTarget` with every name on the chain recorded. */
  protected aliasOf(name: string): string {
    let cur = name;
    for (let i = 0; i < 10; i++) {
      this.touch('n:', cur);
      const t = this.env.types.get(cur);
      if (!t || !t.node.alias) return cur;
      let x = t.node.type;
      while (x.k === 'ParenExpr') x = x.x;
      if (x.k === 'UnaryExpr' && x.op === '*') return cur;
      if (x.k === 'IndexExpr') x = x.x;
      if (x.k !== 'Name') return cur;
      cur = x.value;
    }
    return cur;
  }

  protected methodsOf(typeName: string): Map<string, MethodObject> | undefined {
    this.touch('mt:', typeName);
    return this.env.methods.get(typeName);
  }

  protected methodsNamed(name: string): MethodObject[] | undefined {
    this.touch('m:', name);
    return this.env.methodsByName.get(name);
  }

  protected hasType(name: string): boolean {
    this.touch('n:', name);
    return this.env.types.has(name);
  }

  protected relLine(t: number): number {
    const ts = this.ts;
    return relLineAt(ts, tokenStart(ts, t), tokenLine(ts, t));
  }

  makeEntryAt(file: FileSyntax, name: string, kind: FuncKind, startTok: number, endTok: number, generic: boolean, parent: string | undefined): FuncEntry {
    this.file = file;
    this.ts = file.ts;
    return this.makeEntry(name, kind, startTok, endTok, generic, parent);
  }

  protected makeEntry(name: string, kind: FuncKind, startTok: number, endTok: number, generic: boolean, parent: string | undefined): FuncEntry {
    const ts = this.ts;
    const e: FuncEntry = {
      symbol: this.prefix + '.' + name,
      name,
      kind,
      file: this.file.name,
      startLine: this.relLine(startTok),
      endLine: this.relLine(endTok),
      physicalStartLine: tokenLine(ts, startTok),
      physicalEndLine: tokenLine(ts, endTok),
      startColumn: tokenCol(ts, startTok),
      generic,
      calls: [],
    };
    if (parent !== undefined) e.parent = parent;
    if (ts.lineDirectives.length) {
      const rf = relFileAt(ts, tokenStart(ts, startTok));
      if (rf) e.relFile = rf;
    } else e.noCode = noCodeOffsets(ts, startTok, endTok);
    if (this.emit) this.entries.push(e);
    return e;
  }

  protected pushScope(): void {
    this.scope = { vars: undefined, parent: this.scope };
  }

  protected popScope(): void {
    this.scope = this.scope?.parent;
  }

  protected declareTypeParams(fields: A.Field[]): void {
    for (const f of fields) for (const n of f.names) this.declare(n.value, { kind: 'typeparam', type: f.type, file: this.file, scope: this.scope });
  }

  protected declareFields(fields: A.Field[]): void {
    for (const f of fields) {
      let type = f.type;
      if (type.k === 'EllipsisType') type = { k: 'ArrayType', t: type.t, len: undefined, elem: type.elem };
      for (const n of f.names) this.declare(n.value, { kind: 'var', type, file: this.file, scope: this.scope });
    }
  }

  protected declare(name: string, b: Binding): void {
    const s = this.scope;
    if (name === '_' || !s) return;
    b.seq ??= ++this.seqCounter;
    // A variable's type and initialiser are read before it (and what follows) is declared:
    // `func (loopnest *loopnest) M()`, `var lines lines`, `s := s.parent`.
    if (b.kind === 'var' && b.scope === s && (b.type || b.init || b.rangeX)) b.scope = { vars: undefined, parent: s, limit: b.seq };
    (s.vars ??= new Map()).set(name, b);
  }

  /**
   * The import path of the package `x` names, when `x` is an identifier resolving to an import
   * of the current file (the `pkg` of a qualified identifier `pkg.Name`); undefined otherwise.
   */
  protected packageOf(x: A.Expr): string | undefined {
    return x.k === 'Name' ? importOfBinding(this.lookup(x.value)) : undefined;
  }

  /** Resolve an identifier: local scopes, package scope, file imports, universe. */
  protected lookup(name: string): Binding | undefined {
    return this.lookupIn(this.scope, name) ?? this.lookupPackage(name, this.file);
  }

  protected lookupIn(scope: Scope | undefined, name: string): Binding | undefined {
    let limit = this.seqLimit;
    for (let s = scope; s; s = s.parent) {
      if (s.limit !== undefined && (limit === undefined || s.limit < limit)) limit = s.limit;
      const b = s.vars?.get(name);
      if (b && (limit === undefined || b.seq === undefined || b.seq < limit)) return b;
    }
    return undefined;
  }

  protected lookupPackage(name: string, file: FileSyntax): Binding | undefined {
    this.touch('n:', name);
    const cached = this.pkgBindings.get(name);
    if (cached !== undefined) return cached ?? this.lookupImport(name, file);
    const b = this.lookupPackageDecl(name);
    this.pkgBindings.set(name, b ?? null);
    return b ?? this.lookupImport(name, file);
  }

  protected lookupImport(name: string, file: FileSyntax): Binding | undefined {
    this.touch('i:', file.name);
    let m = this.importBindings.get(file.name);
    if (!m) this.importBindings.set(file.name, (m = new Map()));
    const c = m.get(name);
    if (c !== undefined) return c ?? undefined;
    const imp = this.env.importNames.get(file.name)?.get(name);
    const b: Binding | undefined = imp !== undefined ? { kind: 'import', importPath: this.canonicalImport(imp), file } : this.dotImported(name, file);
    m.set(name, b ?? null);
    return b;
  }

  /** A name a dot import brings into the file's scope. */
  protected dotImported(name: string, file: FileSyntax): Binding | undefined {
    for (const p of this.env.dotImports.get(file.name) ?? []) {
      const path = this.canonicalImport(p);
      const ext = this.external(path);
      const k = ext?.objKind?.(name);
      if (!k) continue;
      if (k === 'type') return { kind: 'type', type: extName(path, name), file, scope: undefined, dotPath: path, dotName: name };
      if (k === 'func') return { kind: 'func', file, dotPath: path, dotName: name };
      const vt = ext?.varType?.(name);
      return { kind: k, type: vt, file, scope: undefined, pkgLevel: true, dotPath: path, dotName: name };
    }
    return undefined;
  }

  protected lookupPackageDecl(name: string): Binding | undefined {
    const env = this.env;
    const c = env.consts.get(name);
    if (c) return { kind: 'const', constSpec: { spec: c.spec, index: c.index }, type: c.spec.type, file: c.file };
    const v = env.vars.get(name);
    if (v)
      return {
        kind: 'var',
        type: v.spec.type,
        init: v.spec.values.length === v.spec.names.length ? v.spec.values[v.index] : v.spec.values[0],
        tuple: v.spec.values.length === 1 && v.spec.names.length > 1 ? v.index : undefined,
        file: v.file,
        scope: undefined,
        pkgLevel: true,
      };
    const f = env.funcs.get(name);
    if (f) return { kind: 'func', pkgFunc: f.node, file: f.file };
    const t = env.types.get(name);
    if (t) return { kind: 'type', type: t.node.type, file: t.file, scope: undefined, alias: t.node.alias };
    return undefined;
  }

  protected external(path: string): ExternalPackage | undefined {
    return this.env.resolver?.(path) ?? builtinExternal(path, this.env.goos, this.env.goarch);
  }

  /** The path the compiler knows an import by (`vendor/golang.org/x/…` for the standard library's vendored packages). */
  protected canonicalImport(imp: string): string {
    return this.env.resolver?.(imp)?.path ?? imp;
  }

  /** Import path named by the package part of a qualified type (`pkg.T`) in `file`. */
  protected importPathOf(pkgName: string, file: FileSyntax): string | undefined {
    if (pkgName.startsWith(EXT_PREFIX)) return pkgName.slice(EXT_PREFIX.length);
    this.touch('i:', file.name);
    const imp = this.env.importNames.get(file.name)?.get(pkgName);
    return imp === undefined ? undefined : this.canonicalImport(imp);
  }

  /** The current scope for a TypeRef (while resolving an initialiser: as seen from it). */
  protected scopeHere(): Scope | undefined {
    return this.seqLimit === undefined ? this.scope : { vars: undefined, parent: this.scope, limit: this.seqLimit };
  }

  /** Evaluate with another file / scope chain current (for inferring types of bindings declared elsewhere). */
  protected withScope<T>(file: FileSyntax, scope: Scope | undefined, f: () => T, before?: number): T {
    const saveFile = this.file;
    const saveTs = this.ts;
    const saveScope = this.scope;
    const saveLimit = this.seqLimit;
    this.file = file;
    this.ts = file.ts;
    this.scope = scope;
    this.seqLimit = before;
    try {
      return f();
    } finally {
      this.file = saveFile;
      this.ts = saveTs;
      this.scope = saveScope;
      this.seqLimit = saveLimit;
    }
  }

  protected isPackageLevel(name: string): boolean {
    for (let s = this.scope; s; s = s.parent) if (s.vars?.has(name)) return false;
    return true;
  }

  protected constEnv(scopeAt: Scope | undefined, file: FileSyntax, iota?: number): ConstEnv {
    const self = this;
    const lookupAt = (name: string): Binding | undefined => self.lookupIn(scopeAt, name) ?? self.lookupPackage(name, file);
    return {
      iota,
      ident(n: A.Name): ConstVal | undefined {
        const b = lookupAt(n.value);
        if (!b) return UNIVERSE_CONSTS.get(n.value);
        if (b.kind !== 'const' || !b.constSpec) return undefined;
        return self.constValue(b);
      },
      qualified(pkg: string, name: string): ConstVal | undefined {
        const path = importOfBinding(lookupAt(pkg));
        return path === undefined ? undefined : self.external(path)?.constValue?.(name);
      },
      isBasicType(name: string): boolean {
        const b = lookupAt(name);
        if (!b) return false;
        if (b.kind !== 'type' || !b.type) return false;
        const u = unparen(b.type);
        return u.k === 'Name' && isPredeclaredBasicType(u.value);
      },
    };
  }

  protected constValue(b: Binding): ConstVal | undefined {
    const cs = b.constSpec;
    if (!cs) return undefined;
    const spec = cs.spec;
    let cached = this.pkgConstCache.get(spec);
    const hit = cached?.[cs.index];
    if (hit) {
      this.replay(hit.touched);
      return hit.v ?? undefined;
    }
    if (this.constInProgress.has(spec)) return undefined;
    this.constInProgress.add(spec);
    try {
      const x = spec.values[cs.index];
      const r = this.recording(() => (x ? evalConst(x, this.constEnv(b.scope, b.file, spec.iota)) : undefined));
      if (!cached) this.pkgConstCache.set(spec, (cached = []));
      cached[cs.index] = { v: r.value ?? null, touched: r.touched };
      return r.value;
    } finally {
      this.constInProgress.delete(spec);
    }
  }

  protected currentConstEnv(): ConstEnv {
    return this.constEnv(this.scope, this.file);
  }

  /** Value of a package-level constant (for describing this package to importers). */
  packageConst(name: string): ConstVal | undefined {
    const c = this.env.consts.get(name);
    if (!c) return undefined;
    this.file = c.file;
    this.ts = c.file.ts;
    this.scope = undefined;
    return this.constValue({ kind: 'const', constSpec: { spec: c.spec, index: c.index }, type: c.spec.type, file: c.file });
  }
}
