/**
 * Walks function bodies in the order the compiler's unified IR reader does and reproduces what
 * cmd/compile names and keeps:
 *
 * - closure names (`ir.closureName`): per-function counters for literals (`.funcN` / `.N`),
 *   range-over-func bodies (`-rangeN`) and go/defer wrappers (`.gowrapN` / `.deferwrapN`),
 *   with range bodies redirecting to their range parent;
 * - go/defer wrappers only when the call is not a no-argument, no-result plain function call
 *   (`typecheck.normalizeGoDeferCall`);
 * - statically dead code is skipped (`noder/writer.go` `stmts`, `staticBool`, `terminates`), so
 *   it consumes no numbers;
 * - synthetic closures in generic code for method values / generic function values that need a
 *   dictionary (`reader.curry`, `methodExprWrap`);
 * - call sites owned by the innermost function, at the line of `(`;
 * - package-level dependencies for the initialisation order of package variables.
 */
import type * as A from './ast';
import { evalConst, staticBool, ConstEnv, ConstVal, isPredeclaredBasicType } from './consts';
import { relLineAt, relFileAt, byteColumn, TokenStream } from './lexer';
import type { CallKind, CallSite, FuncEntry, FuncKind } from './model';
import { GENERIC_PLACEHOLDER, methodName, pathToPrefix } from './names';
import {
  BUILTIN_FUNCS,
  ExternalPackage,
  ExternalType,
  FileSyntax,
  MethodObject,
  PkgEnv,
  PREDECLARED_TYPES,
  builtinExternal,
  receiverInfo,
} from './package-env';
import { unparen } from './parser';

// ---- scopes ------------------------------------------------------------------------------------

interface Binding {
  kind: 'var' | 'const' | 'type' | 'typeparam' | 'func' | 'import';
  /** Declared type (var, param) or the type expression (type), constraint (typeparam). */
  type?: A.Expr;
  /** Initializer for type inference (var) and index into a tuple-valued initializer. */
  init?: A.Expr;
  tuple?: number;
  /** Range variable: which (0 key / 1 value) of ranging over `rangeX`. */
  rangeX?: A.Expr;
  /** Const spec data. */
  constSpec?: { spec: A.ValueSpec; index: number };
  /** Package-level objects. */
  pkgFunc?: A.FuncDecl;
  importPath?: string;
  file: FileSyntax;
  /** Scope chain where the binding was declared (for resolving its type expressions). */
  scope?: Scope;
}
/** Lexical scopes as a linked chain; a binding keeps the chain it was declared in (O(1)). */
interface Scope {
  vars: Map<string, Binding> | undefined;
  parent: Scope | undefined;
}

/** A function being walked (declared function, literal, range body). */
interface FnCtx {
  entry: FuncEntry | undefined;
  /** The name (inside the package) children are derived from. */
  name: string;
  /** OClosure != nil: literals nested in it are named `name.N` rather than `name.funcN`. */
  isClosure: boolean;
  /** For range-over-func bodies: the first enclosing non-range function. */
  rangeParent: FnCtx | undefined;
  gen: { lit: number; range: number; goDefer: number };
  typeParams: Set<string>;
  generic: boolean;
  /** break/continue targets inside this function, innermost last. */
  targets: { kind: 'for' | 'switch' | 'select' | 'rangefunc'; label?: string }[];
  isRangeBody: boolean;
  startLine: number;
}

type TypeRef = { x: A.Expr; file: FileSyntax; scope: Scope | undefined } | { ext: 'func'; sig?: { params: number; results: number } };

export interface WalkResult {
  entries: FuncEntry[];
  deps: Set<string>;
  /** Package-level lookups the walk depended on, with their fingerprints (see PkgEnv.fingerprint). */
  touched: Map<string, string>;
}

export interface WalkerOptions {
  prefix: string;
  goMinor: number;
}

/** Go 1.22+ drops statically dead code before naming closures; 1.21 numbers everything. */
function deadCodeElimination(goMinor: number): boolean {
  return goMinor >= 22;
}

/** Pseudo package name marking a type of another package by import path (see extTypeRef). */
const EXT_PREFIX = '\u0000';

const UNIVERSE_CONSTS: ReadonlyMap<string, ConstVal> = new Map([
  ['true', { k: 'bool', v: true }],
  ['false', { k: 'bool', v: false }],
]);

export class Walker {
  private readonly env: PkgEnv;
  private readonly prefix: string;
  private readonly goMinor: number;
  private file!: FileSyntax;
  private ts!: TokenStream;
  private scope: Scope | undefined = undefined;
  private entries: FuncEntry[] = [];
  private deps = new Set<string>();
  private touched = new Set<string>();
  /** Collect entries (false: dependency pass only). */
  private emit = true;
  private readonly pkgConstCache = new Map<A.ValueSpec, (ConstVal | null)[]>();
  private readonly constInProgress = new Set<A.ValueSpec>();
  readonly approximations: string[] = [];
  /** Package-level bindings by name (null: none), and import bindings per file. */
  private readonly pkgBindings = new Map<string, Binding | null>();
  private readonly importBindings = new Map<string, Map<string, Binding | null>>();

  constructor(env: PkgEnv, opts: WalkerOptions) {
    this.env = env;
    this.prefix = opts.prefix;
    this.goMinor = opts.goMinor;
  }

  // ---- entry points ----------------------------------------------------------------------------

  /** A declared function or method. `initIndex` is its package-wide number when it is `init`. */
  walkFuncDecl(file: FileSyntax, decl: A.FuncDecl, initIndex: number | undefined): WalkResult {
    this.begin(file, true);
    const body = decl.body;
    if (!body) return this.end();
    let name: string;
    let kind: FuncKind;
    const typeParams = new Set<string>();
    let generic = false;
    if (decl.recv) {
      const r = receiverInfo(decl.recv.type);
      if (!r) return this.end();
      const recvType = this.aliasOf(r.name);
      generic = r.generic;
      for (const p of r.typeParams) typeParams.add(p);
      name = methodName(recvType, r.pointer, generic, decl.name.value);
      kind = 'method';
    } else if (decl.name.value === 'init' && initIndex !== undefined) {
      name = `init.${initIndex}`;
      kind = 'init';
    } else {
      if (decl.type.typeParams && decl.type.typeParams.length) {
        generic = true;
        for (const f of decl.type.typeParams) for (const n of f.names) typeParams.add(n.value);
      }
      name = generic ? decl.name.value + GENERIC_PLACEHOLDER : decl.name.value;
      kind = 'func';
    }
    // Start position: the token right after `func` (receiver '(' or the name).
    const startTok = decl.t + 1;
    const entry = this.makeEntry(name, kind, startTok, body.rbrace, generic, undefined);
    if (kind === 'func') {
      // `//go:linkname local target` on a function with a body renames its linker symbol
      // (closures inside keep names derived from the local name).
      const target = linknames(file).get(decl.name.value);
      if (target) {
        entry.symbol = target;
        entry.linkname = true;
      }
    }
    const ctx = this.newCtx(entry, name, false, undefined, typeParams, generic, false);
    this.pushScope();
    if (decl.type.typeParams) this.declareTypeParams(decl.type.typeParams);
    if (decl.recv) {
      const r = receiverInfo(decl.recv.type);
      for (const p of r?.typeParams ?? []) this.declare(p, { kind: 'typeparam', file });
      this.declareFields([decl.recv]);
    }
    this.declareFields(decl.type.params);
    this.declareFields(decl.type.results);
    this.walkStmtList(body.list, ctx);
    this.popScope();
    return this.end();
  }

  /**
   * Package-level variable initialisers. With `initCtx` the closures are named as children of
   * the synthetic `init` function (in the order this is called: types2 init order); without it
   * only dependencies are collected.
   */
  walkVarInit(file: FileSyntax, exprs: A.Expr[], initCtx: InitContext | undefined): WalkResult {
    this.begin(file, initCtx !== undefined);
    const ctx = initCtx ? initCtx.ctx : this.newCtx(undefined, 'init', false, undefined, new Set(), false, false);
    for (const x of exprs) this.walkExpr(x, ctx);
    if (initCtx) initCtx.ctx = ctx;
    return this.end();
  }

  /** The shared context of the synthetic `init` function for package-level var closures. */
  newInitContext(entry: FuncEntry, firstLit: number): InitContext {
    // Go 1.21 named package-scope closures glob..funcN; 1.22+ makes them children of `init`.
    const ctx = this.newCtx(entry, this.goMinor >= 22 ? 'init' : 'glob.', false, undefined, new Set(), false, false);
    ctx.gen.lit = firstLit;
    return { ctx };
  }

  /** Number of literals allocated so far in an init context. */
  static litCount(ic: InitContext): number {
    return ic.ctx.gen.lit;
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

  /** Kind of the underlying type of a package-level type expression (for importers). */
  describeTypeExpr(x: A.Expr, file: FileSyntax): ExternalType | undefined {
    this.file = file;
    this.ts = file.ts;
    this.scope = undefined;
    const u = this.underlying({ x, file, scope: undefined }, 0);
    if (!u) return undefined;
    if (!('x' in u)) return { kind: 'func' };
    const ux = unparen(u.x);
    switch (ux.k) {
      case 'FuncType':
        return { kind: 'func' };
      case 'MapType':
        return { kind: 'map', keyIface: this.isInterfaceType(ux.key, u.file), elemIface: this.isInterfaceType(ux.value, u.file) };
      case 'StructType':
        return { kind: 'struct' };
      case 'InterfaceType':
        return { kind: 'interface' };
      case 'ArrayType':
        return { kind: ux.len === undefined ? 'slice' : 'array' };
      case 'ChanType':
        return { kind: 'chan' };
      case 'UnaryExpr':
        return { kind: ux.op === '*' ? 'pointer' : 'other' };
      case 'Name':
        if (ux.value === 'any' || ux.value === 'error') return { kind: 'interface' };
        return PREDECLARED_TYPES.has(ux.value) ? { kind: 'basic' } : { kind: 'other' };
      default:
        return { kind: 'other' };
    }
  }

  private isInterfaceType(t: A.Expr, file: FileSyntax): boolean {
    const u = this.underlying({ x: t, file, scope: undefined }, 0);
    if (!u || !('x' in u)) return false;
    const k = unparen(u.x);
    return k.k === 'InterfaceType' || (k.k === 'Name' && (k.value === 'any' || k.value === 'error'));
  }

  /** Whether a package-level type expression denotes a function type (through named types). */
  isFuncTypeExpr(x: A.Expr, file: FileSyntax): boolean {
    this.file = file;
    this.ts = file.ts;
    this.scope = undefined;
    const u = this.underlying({ x, file, scope: undefined }, 0);
    if (!u) return false;
    if (!('x' in u)) return true;
    return unparen(u.x).k === 'FuncType';
  }

  /**
   * `staticinit.tryWrapGlobalInit`: a package variable of map type whose initialiser is large
   * (>= 20 IR nodes) and free of side effects is initialised in an outlined `map.init.N`
   * function. Node counting and the side-effect test are approximated on the syntax tree.
   */
  isOutlinedMapInit(file: FileSyntax, spec: A.ValueSpec, index: number): boolean {
    if (this.goMinor < 21) return false;
    if (spec.values.length !== spec.names.length || spec.names[index].value === '_') return false;
    const x = spec.values[index];
    this.file = file;
    this.ts = file.ts;
    this.scope = undefined;
    const declared = spec.type ?? (unparen(x).k === 'CompositeLit' ? (unparen(x) as A.CompositeLit).type : undefined);
    if (!declared) return false;
    const u = this.underlying({ x: declared, file, scope: undefined }, 0);
    if (!u || !('x' in u) || unparen(u.x).k !== 'MapType') return false;
    let size = 0;
    let effects = false;
    const env = this.currentConstEnv();
    const isIface = (t: A.Expr | undefined): boolean => {
      if (!t) return false;
      const ut = this.underlying({ x: t, file, scope: undefined }, 0);
      if (!ut) return false;
      if (!('x' in ut)) return false;
      const k = unparen(ut.x);
      return k.k === 'InterfaceType' || (k.k === 'Name' && (k.value === 'any' || k.value === 'error'));
    };
    const elemTypes = (t: A.Expr | undefined): { key?: A.Expr; value?: A.Expr; struct?: boolean } => {
      if (!t) return {};
      const ut = this.underlying({ x: t, file, scope: undefined }, 0);
      if (!ut || !('x' in ut)) return {};
      const k = unparen(ut.x);
      if (k.k === 'MapType') return { key: k.key, value: k.value };
      if (k.k === 'ArrayType') return { value: k.elem };
      if (k.k === 'StructType') return { struct: true };
      if (k.k === 'UnaryExpr' && k.op === '*') return elemTypes(k.x);
      return {};
    };
    const count = (e: A.Expr | undefined, want: A.Expr | undefined): void => {
      if (!e || effects) return;
      if (want && isIface(want) && !(e.k === 'Name' && e.value === 'nil')) size++; // OCONVIFACE
      if (evalConst(e, env)) {
        size++;
        return;
      }
      switch (e.k) {
        case 'Name':
        case 'BasicLit':
          size++;
          return;
        case 'ParenExpr':
          count(e.x, undefined);
          return;
        case 'CompositeLit': {
          size++;
          const et = elemTypes(e.type ?? want);
          for (const el of e.elems) {
            if (el.k === 'KeyValueExpr') {
              size++; // OKEY / OSTRUCTKEY
              if (!et.struct) count(el.key, et.key);
              count(el.value, et.struct ? undefined : et.value);
            } else count(el, et.value);
          }
          return;
        }
        case 'UnaryExpr':
          if (e.op === '*' || e.op === '<-') {
            effects = true;
            return;
          }
          size++;
          count(e.x, e.op === '&' ? unparenType(want) : undefined);
          return;
        case 'BinaryExpr':
          if ((e.op === '/' || e.op === '%') && !evalConst(e.y, env)) {
            effects = true;
            return;
          }
          size++;
          count(e.x, undefined);
          count(e.y, undefined);
          return;
        case 'SelectorExpr': {
          const b = e.x.k === 'Name' ? this.lookup(e.x.value) : undefined;
          if (b && b.kind === 'import') {
            size++;
            return;
          }
          size++;
          count(e.x, undefined);
          return;
        }
        case 'CallExpr': {
          // conversions are pure; everything else is a call
          const f = unparen(e.fun);
          const isConv =
            (f.k === 'Name' && (PREDECLARED_TYPES.has(f.value) ? !this.lookup(f.value) : this.lookup(f.value)?.kind === 'type')) ||
            f.k === 'ArrayType' ||
            f.k === 'MapType' ||
            (f.k === 'UnaryExpr' && f.op === '*');
          if (!isConv) {
            effects = true;
            return;
          }
          size++;
          for (const a of e.args) count(a, undefined);
          return;
        }
        default:
          effects = true;
      }
    };
    count(x, undefined);
    return !effects && size >= 20;
  }

  private begin(file: FileSyntax, emit: boolean): void {
    this.file = file;
    this.ts = file.ts;
    this.scope = undefined;
    this.entries = [];
    this.deps = new Set();
    this.touched = new Set();
    this.emit = emit;
  }

  private end(): WalkResult {
    const touched = new Map<string, string>();
    for (const k of this.touched) touched.set(k, this.env.fingerprint(k));
    const r = { entries: this.entries, deps: this.deps, touched };
    this.entries = [];
    this.deps = new Set();
    this.touched = new Set();
    return r;
  }

  /** Record a package-level lookup (for cache validation). */
  private touch(key: string): void {
    this.touched.add(key);
  }

  /** `aliasTarget` with every name on the chain recorded. */
  private aliasOf(name: string): string {
    let cur = name;
    for (let i = 0; i < 10; i++) {
      this.touch('n:' + cur);
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

  private methodsOf(typeName: string): Map<string, MethodObject> | undefined {
    this.touch('mt:' + typeName);
    return this.env.methods.get(typeName);
  }

  private methodsNamed(name: string): MethodObject[] | undefined {
    this.touch('m:' + name);
    return this.env.methodsByName.get(name);
  }

  private hasType(name: string): boolean {
    this.touch('n:' + name);
    return this.env.types.has(name);
  }

  private newCtx(
    entry: FuncEntry | undefined,
    name: string,
    isClosure: boolean,
    rangeParent: FnCtx | undefined,
    typeParams: Set<string>,
    generic: boolean,
    isRangeBody: boolean,
  ): FnCtx {
    return {
      entry,
      name,
      isClosure,
      rangeParent,
      gen: { lit: 0, range: 0, goDefer: 0 },
      typeParams,
      generic,
      targets: [],
      isRangeBody,
      startLine: entry ? entry.startLine : 0,
    };
  }

  // ---- positions / entries ---------------------------------------------------------------------

  private relLine(t: number): number {
    const ts = this.ts;
    return relLineAt(ts, ts.start[t], ts.line[t]);
  }

  makeEntryAt(file: FileSyntax, name: string, kind: FuncKind, startTok: number, endTok: number, generic: boolean, parent: string | undefined): FuncEntry {
    this.file = file;
    this.ts = file.ts;
    return this.makeEntry(name, kind, startTok, endTok, generic, parent);
  }

  private makeEntry(name: string, kind: FuncKind, startTok: number, endTok: number, generic: boolean, parent: string | undefined): FuncEntry {
    const ts = this.ts;
    const e: FuncEntry = {
      symbol: this.prefix + '.' + name,
      name,
      kind,
      file: this.file.name,
      startLine: this.relLine(startTok),
      endLine: this.relLine(endTok),
      physicalStartLine: ts.line[startTok],
      physicalEndLine: ts.line[endTok],
      startColumn: ts.col[startTok],
      generic,
      calls: [],
    };
    if (parent !== undefined) e.parent = parent;
    if (ts.lineDirectives.length) {
      const rf = relFileAt(ts, ts.start[startTok]);
      if (rf) e.relFile = rf;
    }
    if (this.emit) this.entries.push(e);
    return e;
  }

  /** `ir.closureName`: allocate the name of a new closure created while walking `cur`. */
  private childName(cur: FnCtx, why: 'lit' | 'range' | 'go' | 'defer'): string {
    let outer = cur;
    if (outer.isRangeBody && outer.rangeParent) outer = outer.rangeParent;
    let suffix: string;
    let n: number;
    switch (why) {
      case 'lit':
        suffix = outer.isClosure ? '.' : '.func';
        n = ++outer.gen.lit;
        break;
      case 'range':
        suffix = '-range';
        n = ++outer.gen.range;
        break;
      case 'go':
        suffix = '.gowrap';
        n = ++outer.gen.goDefer;
        break;
      case 'defer':
        suffix = '.deferwrap';
        n = ++outer.gen.goDefer;
        break;
    }
    return outer.name + suffix + n;
  }

  // ---- declarations in scope -------------------------------------------------------------------

  private pushScope(): void {
    this.scope = { vars: undefined, parent: this.scope };
  }

  private popScope(): void {
    this.scope = this.scope?.parent;
  }

  private declareTypeParams(fields: A.Field[]): void {
    for (const f of fields) for (const n of f.names) this.declare(n.value, { kind: 'typeparam', type: f.type, file: this.file, scope: this.scope });
  }

  private declareFields(fields: A.Field[]): void {
    for (const f of fields) {
      let type = f.type;
      if (type.k === 'EllipsisType') type = { k: 'ArrayType', t: type.t, len: undefined, elem: type.elem };
      for (const n of f.names) this.declare(n.value, { kind: 'var', type, file: this.file, scope: this.scope });
    }
  }

  private declare(name: string, b: Binding): void {
    const s = this.scope;
    if (name === '_' || !s) return;
    (s.vars ??= new Map()).set(name, b);
  }

  /** Resolve an identifier: local scopes, package scope, file imports, universe. */
  private lookup(name: string): Binding | undefined {
    for (let s = this.scope; s; s = s.parent) {
      const b = s.vars?.get(name);
      if (b) return b;
    }
    return this.lookupPackage(name, this.file);
  }

  private lookupPackage(name: string, file: FileSyntax): Binding | undefined {
    this.touch('n:' + name);
    const cached = this.pkgBindings.get(name);
    if (cached !== undefined) return cached ?? this.lookupImport(name, file);
    const b = this.lookupPackageDecl(name);
    this.pkgBindings.set(name, b ?? null);
    return b ?? this.lookupImport(name, file);
  }

  private lookupImport(name: string, file: FileSyntax): Binding | undefined {
    this.touch('i:' + file.name);
    let m = this.importBindings.get(file.name);
    if (!m) this.importBindings.set(file.name, (m = new Map()));
    const c = m.get(name);
    if (c !== undefined) return c ?? undefined;
    const imp = this.env.importNames.get(file.name)?.get(name);
    const b: Binding | undefined = imp !== undefined ? { kind: 'import', importPath: imp, file } : undefined;
    m.set(name, b ?? null);
    return b;
  }

  private lookupPackageDecl(name: string): Binding | undefined {
    const env = this.env;
    const c = env.consts.get(name);
    if (c) return { kind: 'const', constSpec: { spec: c.spec, index: c.index }, type: c.spec.type, file: c.file };
    const v = env.vars.get(name);
    if (v) return { kind: 'var', type: v.spec.type, init: v.spec.values.length === v.spec.names.length ? v.spec.values[v.index] : v.spec.values[0], tuple: v.spec.values.length === 1 && v.spec.names.length > 1 ? v.index : undefined, file: v.file, scope: undefined };
    const f = env.funcs.get(name);
    if (f) return { kind: 'func', pkgFunc: f.node, file: f.file };
    const t = env.types.get(name);
    if (t) return { kind: 'type', type: t.node.type, file: t.file, scope: undefined };
    return undefined;
  }

  private external(path: string): ExternalPackage | undefined {
    return this.env.resolver?.(path) ?? builtinExternal(path, this.env.goos, this.env.goarch);
  }

  // ---- constants -------------------------------------------------------------------------------

  private constEnv(scopeAt: Scope | undefined, file: FileSyntax, iota?: number): ConstEnv {
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
        const b = lookupAt(pkg);
        if (!b || b.kind !== 'import' || b.importPath === undefined) return undefined;
        return self.external(b.importPath)?.constValue?.(name);
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

  private constValue(b: Binding): ConstVal | undefined {
    const cs = b.constSpec;
    if (!cs) return undefined;
    const spec = cs.spec;
    let cached = this.pkgConstCache.get(spec);
    if (cached && cached[cs.index] !== undefined) return cached[cs.index] ?? undefined;
    if (this.constInProgress.has(spec)) return undefined;
    this.constInProgress.add(spec);
    try {
      const x = spec.values[cs.index];
      let v: ConstVal | undefined;
      if (x) v = evalConst(x, this.constEnv(b.scope, b.file, spec.iota));
      if (!cached) this.pkgConstCache.set(spec, (cached = []));
      cached[cs.index] = v ?? null;
      return v;
    } finally {
      this.constInProgress.delete(spec);
    }
  }

  private currentConstEnv(): ConstEnv {
    return this.constEnv(this.scope, this.file);
  }

  // ---- statements ------------------------------------------------------------------------------

  /** `writer.stmts`: statements after a terminating one are dropped unless a label follows. */
  private walkStmtList(list: A.Stmt[], ctx: FnCtx): void {
    if (!deadCodeElimination(this.goMinor)) {
      for (const s of list) this.walkStmt(s, ctx, undefined);
      return;
    }
    let lastLabel = -1;
    for (let i = 0; i < list.length; i++) if (list[i].k === 'LabeledStmt') lastLabel = i;
    let dead = false;
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (dead && i > lastLabel && s.k !== 'LabeledStmt') continue;
      this.walkStmt(s, ctx, undefined);
      dead = this.terminates(s, ctx);
    }
  }

  private walkBlock(b: A.BlockStmt, ctx: FnCtx): void {
    this.pushScope();
    this.walkStmtList(b.list, ctx);
    this.popScope();
  }

  /** `pkgWriter.terminates`, plus break/continue leaving a range-over-func body (rewritten to returns). */
  private terminates(s: A.Stmt | undefined, ctx: FnCtx): boolean {
    if (!s) return false;
    switch (s.k) {
      case 'BranchStmt':
        if (s.tok === 'goto') return true;
        if (ctx.isRangeBody && (s.tok === 'break' || s.tok === 'continue')) return this.branchLeavesRangeBody(s, ctx);
        return false;
      case 'ReturnStmt':
        return true;
      case 'ExprStmt': {
        const x = unparen(s.x);
        if (x.k === 'CallExpr') {
          const f = unparen(x.fun);
          if (f.k === 'Name' && f.value === 'panic' && !this.lookup('panic')) return true;
        }
        return false;
      }
      case 'IfStmt': {
        const cond = this.staticCond(s.cond, s.init);
        return (cond < 0 || this.terminates(s.then, ctx)) && (cond > 0 || this.terminates(s.else, ctx));
      }
      case 'BlockStmt': {
        for (let i = s.list.length - 1; i >= 0; i--) {
          if (s.list[i].k !== 'EmptyStmt') return this.terminates(s.list[i], ctx);
        }
        return false;
      }
      default:
        return false;
    }
  }

  private branchLeavesRangeBody(s: A.BranchStmt, ctx: FnCtx): boolean {
    const targets = ctx.targets;
    if (s.label === undefined) {
      for (let i = targets.length - 1; i >= 0; i--) {
        const t = targets[i];
        if (s.tok === 'continue' && t.kind !== 'for' && t.kind !== 'rangefunc') continue;
        return t.kind === 'rangefunc';
      }
      return true;
    }
    for (let i = targets.length - 1; i >= 0; i--) {
      if (targets[i].label === s.label) return targets[i].kind === 'rangefunc';
    }
    return true;
  }

  /** Evaluate a condition in the scope of its statement's init (declared names may shadow). */
  private staticCond(cond: A.Expr, init: A.Stmt | undefined): number {
    if (init && init.k === 'AssignStmt' && init.op === ':=') {
      // names declared by the init shadow outer constants
      this.pushScope();
      for (const l of init.lhs) if (l.k === 'Name') this.declare(l.value, { kind: 'var', file: this.file });
      const v = staticBool(cond, this.currentConstEnv()).v;
      this.popScope();
      return v;
    }
    return staticBool(cond, this.currentConstEnv()).v;
  }

  private walkStmt(s: A.Stmt, ctx: FnCtx, label: string | undefined): void {
    switch (s.k) {
      case 'ExprStmt':
        this.walkExpr(s.x, ctx);
        return;
      case 'SendStmt':
        this.walkExpr(s.ch, ctx);
        this.walkExpr(s.value, ctx);
        return;
      case 'IncDecStmt':
        this.walkExpr(s.x, ctx);
        return;
      case 'AssignStmt': {
        if (s.op === ':=') {
          for (const l of s.lhs) if (l.k !== 'Name') this.walkExpr(l, ctx);
          for (const r of s.rhs) this.walkExpr(r, ctx);
          const tuple = s.rhs.length === 1 && s.lhs.length > 1;
          s.lhs.forEach((l, i) => {
            if (l.k !== 'Name') return;
            // `:=` redeclares only new names; an existing binding in the same scope keeps its type
            if (this.scope?.vars?.has(l.value)) return;
            this.declare(l.value, {
              kind: 'var',
              init: tuple ? s.rhs[0] : s.rhs[i],
              tuple: tuple ? i : undefined,
              file: this.file,
              scope: this.scope,
            });
          });
        } else {
          for (const l of s.lhs) this.walkExpr(l, ctx);
          for (const r of s.rhs) this.walkExpr(r, ctx);
        }
        return;
      }
      case 'GoDeferStmt':
        this.walkGoDefer(s, ctx);
        return;
      case 'ReturnStmt':
        for (const r of s.results) this.walkExpr(r, ctx);
        return;
      case 'BranchStmt':
      case 'EmptyStmt':
      case 'BadStmt':
        return;
      case 'BlockStmt':
        this.walkBlock(s, ctx);
        return;
      case 'LabeledStmt':
        this.walkStmt(s.stmt, ctx, s.label);
        return;
      case 'DeclStmt':
        this.walkDecl(s.decl, ctx);
        return;
      case 'IfStmt': {
        this.pushScope();
        if (s.init) this.walkStmt(s.init, ctx, undefined);
        const r = deadCodeElimination(this.goMinor) ? staticBool(s.cond, this.currentConstEnv()) : { v: 0, kept: s.cond };
        this.walkExpr(r.kept, ctx);
        if (r.v >= 0) this.walkBlock(s.then, ctx);
        if (r.v <= 0 && s.else) this.walkStmt(s.else, ctx, undefined);
        this.popScope();
        return;
      }
      case 'ForStmt': {
        this.pushScope();
        if (s.init) this.walkStmt(s.init, ctx, undefined);
        let alwaysFalse = false;
        if (s.cond) {
          const r = deadCodeElimination(this.goMinor) ? staticBool(s.cond, this.currentConstEnv()) : { v: 0, kept: s.cond };
          alwaysFalse = r.v < 0;
          this.walkExpr(r.kept, ctx);
        }
        ctx.targets.push({ kind: 'for', label });
        if (!alwaysFalse) {
          if (s.post) this.walkStmt(s.post, ctx, undefined);
          this.walkBlock(s.body, ctx);
        }
        ctx.targets.pop();
        this.popScope();
        return;
      }
      case 'RangeStmt':
        this.walkRange(s, ctx, label);
        return;
      case 'SwitchStmt': {
        this.pushScope();
        if (s.init) this.walkStmt(s.init, ctx, undefined);
        if (s.typeSwitch) this.walkExpr(s.typeSwitch.x, ctx);
        else if (s.tag) this.walkExpr(s.tag, ctx);
        ctx.targets.push({ kind: 'switch', label });
        for (const c of s.clauses) {
          if (c.list) for (const x of c.list) if (!s.typeSwitch) this.walkExpr(x, ctx);
          this.pushScope();
          if (s.typeSwitch?.bind) {
            const only = c.list && c.list.length === 1 ? c.list[0] : undefined;
            this.declare(s.typeSwitch.bind.value, {
              kind: 'var',
              type: only && !(only.k === 'Name' && only.value === 'nil') ? only : undefined,
              file: this.file,
              scope: this.scope,
            });
          }
          this.walkStmtList(c.body, ctx);
          this.popScope();
        }
        ctx.targets.pop();
        this.popScope();
        return;
      }
      case 'SelectStmt': {
        ctx.targets.push({ kind: 'select', label });
        for (const c of s.clauses) {
          this.pushScope();
          if (c.comm) this.walkStmt(c.comm, ctx, undefined);
          this.walkStmtList(c.body, ctx);
          this.popScope();
        }
        ctx.targets.pop();
        return;
      }
    }
  }

  private walkDecl(d: A.GenDecl, ctx: FnCtx): void {
    for (const spec of d.specs) {
      if (d.tok === 'var') {
        const vs = spec as A.ValueSpec;
        for (const v of vs.values) this.walkExpr(v, ctx);
        const tuple = vs.values.length === 1 && vs.names.length > 1;
        vs.names.forEach((n, i) =>
          this.declare(n.value, {
            kind: 'var',
            type: vs.type,
            init: tuple ? vs.values[0] : vs.values[i],
            tuple: tuple ? i : undefined,
            file: this.file,
            scope: this.scope,
          }),
        );
      } else if (d.tok === 'const') {
        const vs = spec as A.ValueSpec;
        // constant expressions cannot contain closures; just declare them
        vs.names.forEach((n, i) =>
          this.declare(n.value, { kind: 'const', constSpec: { spec: vs, index: i }, type: vs.type, file: this.file, scope: this.scope }),
        );
      } else if (d.tok === 'type') {
        const ts = spec as A.TypeSpec;
        this.declare(ts.name.value, { kind: 'type', type: ts.type, file: this.file, scope: this.scope });
      }
    }
  }

  private walkRange(s: A.RangeStmt, ctx: FnCtx, label: string | undefined): void {
    this.pushScope();
    if (!s.define) {
      if (s.key) this.walkExpr(s.key, ctx);
      if (s.value) this.walkExpr(s.value, ctx);
    }
    this.walkExpr(s.x, ctx);
    const declareVars = (): void => {
      if (!s.define) return;
      if (s.key && s.key.k === 'Name') this.declare(s.key.value, { kind: 'var', rangeX: s.x, tuple: 0, file: this.file, scope: this.scope });
      if (s.value && s.value.k === 'Name') this.declare(s.value.value, { kind: 'var', rangeX: s.x, tuple: 1, file: this.file, scope: this.scope });
    };
    if (this.goMinor >= 23 && this.isRangeOverFunc(s.x)) {
      // The body becomes a closure `F-rangeN` starting at the `for` keyword.
      const name = this.childName(ctx, 'range');
      const parentCtx = ctx.isRangeBody && ctx.rangeParent ? ctx.rangeParent : ctx;
      const entry = this.emit ? this.makeEntry(name, 'range', s.t, s.body.rbrace, ctx.generic, ctx.entry?.symbol) : undefined;
      this.recordRangeCall(s, ctx, this.prefix + '.' + name);
      const body = this.newCtx(entry, name, true, parentCtx, ctx.typeParams, ctx.generic, true);
      if (!entry) body.startLine = this.relLine(s.t);
      body.targets.push({ kind: 'rangefunc', label });
      this.pushScope();
      declareVars();
      this.walkStmtList(s.body.list, body);
      this.popScope();
    } else {
      declareVars();
      ctx.targets.push({ kind: 'for', label });
      this.walkBlock(s.body, ctx);
      ctx.targets.pop();
    }
    this.popScope();
  }

  private walkGoDefer(s: A.GoDeferStmt, ctx: FnCtx): void {
    const call = unparen(s.call);
    if (call.k !== 'CallExpr') {
      this.walkExpr(s.call, ctx);
      return;
    }
    // The call's operands are read first (literals in them are numbered before the wrapper).
    const site = this.walkCall(call, ctx);
    if (this.goMinor < 22) {
      // Go 1.21 creates go/defer wrappers during escape analysis, after inlining, named as
      // ordinary literals; they cannot be predicted from the source.
      if (site) site.goDefer = s.tok;
      return;
    }
    if (this.goDeferNeedsWrapper(call)) {
      const name = this.childName(ctx, s.tok);
      const kind: FuncKind = s.tok === 'go' ? 'gowrap' : 'deferwrap';
      const e = this.emit ? this.makeEntry(name, kind, s.t, s.end, ctx.generic, ctx.entry?.symbol) : undefined;
      if (site) {
        site.goDefer = s.tok;
        if (e) site.wrapper = e.symbol;
        else site.wrapper = this.prefix + '.' + name;
      }
    } else if (site) {
      site.goDefer = s.tok;
    }
  }

  /** `normalizeGoDeferCall`: a wrapper unless the call is OCALLFUNC with no params and no results. */
  private goDeferNeedsWrapper(call: A.CallExpr): boolean {
    let fun = unparen(call.fun);
    if (fun.k === 'IndexExpr') {
      // explicit instantiation of a generic function: the shaped function takes a dictionary
      if (this.isGenericFuncRef(fun.x)) return true;
    }
    fun = unparen(fun);
    const argsGuess = call.args.length > 0 || call.dots;
    switch (fun.k) {
      case 'FuncLit':
        return countFields(fun.type.params) + countFields(fun.type.results) > 0;
      case 'Name': {
        const b = this.lookup(fun.value);
        if (!b) {
          if (BUILTIN_FUNCS.has(fun.value)) return true; // OPANIC, OCLOSE, ORECOVER, ... are not OCALLFUNC
          return argsGuess;
        }
        if (b.kind === 'func' && b.pkgFunc) {
          const d = b.pkgFunc;
          if (d.type.typeParams && d.type.typeParams.length) return true;
          return countFields(d.type.params) + countFields(d.type.results) > 0;
        }
        if (b.kind === 'var') {
          const sig = this.funcSignatureOf(this.typeOfBinding(b, 0));
          if (sig) return sig.params + sig.results > 0;
          this.approximations.push(`go/defer of ${fun.value}(): signature unknown`);
          return argsGuess;
        }
        return true;
      }
      case 'SelectorExpr': {
        const x = unparen(fun.x);
        if (x.k === 'Name') {
          const b = this.lookup(x.value);
          if (b && b.kind === 'import' && b.importPath !== undefined) {
            const ext = this.external(b.importPath);
            const f = ext?.func?.(fun.sel.value);
            if (f) return f.generic || f.params + f.results > 0;
            this.approximations.push(`go/defer of ${x.value}.${fun.sel.value}(): signature unknown`);
            return argsGuess;
          }
          if (b && b.kind === 'type') return true; // method expression: the receiver is an argument
        }
        // x.f(): a func-typed field is OCALLFUNC; a method call is not.
        const xt = this.typeOf(fun.x);
        if (xt) {
          const field = this.fieldType(xt, fun.sel.value);
          if (field) {
            const sig = this.funcSignatureOf(field);
            if (sig) return sig.params + sig.results > 0;
            return argsGuess;
          }
        }
        return true;
      }
      default: {
        const sig = this.funcSignatureOf(this.typeOf(fun));
        if (sig) return sig.params + sig.results > 0;
        return argsGuess;
      }
    }
  }

  // ---- expressions -----------------------------------------------------------------------------

  private walkExprs(xs: A.Expr[], ctx: FnCtx): void {
    for (const x of xs) this.walkExpr(x, ctx);
  }

  private walkExpr(x: A.Expr | undefined, ctx: FnCtx): void {
    if (!x) return;
    switch (x.k) {
      case 'Name':
        this.useName(x, ctx, false);
        return;
      case 'BasicLit':
      case 'BadExpr':
        return;
      case 'CompositeLit':
        for (const e of x.elems) {
          if (e.k === 'KeyValueExpr') {
            // struct field keys are not expressions; map/array keys are
            if (e.key.k !== 'Name' || !this.isStructLit(x)) this.walkExpr(e.key, ctx);
            this.walkExpr(e.value, ctx);
          } else this.walkExpr(e, ctx);
        }
        return;
      case 'KeyValueExpr':
        this.walkExpr(x.key, ctx);
        this.walkExpr(x.value, ctx);
        return;
      case 'FuncLit':
        this.walkFuncLit(x, ctx);
        return;
      case 'ParenExpr':
        this.walkExpr(x.x, ctx);
        return;
      case 'SelectorExpr':
        this.walkSelector(x, ctx, false);
        return;
      case 'IndexExpr':
        this.walkIndex(x, ctx, false);
        return;
      case 'SliceExpr':
        this.walkExpr(x.x, ctx);
        this.walkExpr(x.lo, ctx);
        this.walkExpr(x.hi, ctx);
        this.walkExpr(x.max, ctx);
        return;
      case 'AssertExpr':
        this.walkExpr(x.x, ctx);
        return;
      case 'CallExpr':
        this.walkCall(x, ctx);
        return;
      case 'UnaryExpr':
        this.walkExpr(x.x, ctx);
        return;
      case 'BinaryExpr':
        this.walkExpr(x.x, ctx);
        this.walkExpr(x.y, ctx);
        return;
      default:
        // type expressions: no closures or calls, but array lengths may reference constants
        return;
    }
  }

  private isStructLit(x: A.CompositeLit): boolean {
    if (!x.type) return true; // elided type: name keys are almost always struct fields
    let t: A.Expr | undefined = x.type;
    for (let i = 0; i < 5 && t; i++) {
      t = unparen(t);
      if (t.k === 'StructType') return true;
      if (t.k === 'IndexExpr') t = t.x;
      if (t.k === 'Name') {
        const b = this.lookup(t.value);
        if (!b || b.kind !== 'type' || !b.type) return false;
        t = b.type;
        continue;
      }
      if (t.k === 'SelectorExpr') return true; // imported type: most keyed literals are structs
      return false;
    }
    return false;
  }

  private walkFuncLit(x: A.FuncLit, ctx: FnCtx): string {
    const name = this.childName(ctx, 'lit');
    const entry = this.emit ? this.makeEntry(name, 'closure', x.t, x.body.rbrace, ctx.generic, ctx.entry?.symbol) : undefined;
    const c = this.newCtx(entry, name, true, undefined, ctx.typeParams, ctx.generic, false);
    if (!entry) c.startLine = this.relLine(x.t);
    this.pushScope();
    this.declareFields(x.type.params);
    this.declareFields(x.type.results);
    this.walkStmtList(x.body.list, c);
    this.popScope();
    return name;
  }

  private useName(x: A.Name, ctx: FnCtx, isCallee: boolean): void {
    const b = this.lookup(x.value);
    if (!b) return;
    if (b.kind === 'func' && b.pkgFunc) {
      this.deps.add('f:' + x.value);
      // A generic function used as a value inside generic code needs a dictionary closure.
      if (!isCallee && ctx.typeParams.size > 0 && b.pkgFunc.type.typeParams && b.pkgFunc.type.typeParams.length) {
        this.synthetic(x.t, ctx);
      }
      return;
    }
    if (b.kind === 'var' && this.isPackageLevel(x.value) && this.env.vars.has(x.value)) {
      this.deps.add('v:' + x.value);
    }
  }

  private isPackageLevel(name: string): boolean {
    for (let s = this.scope; s; s = s.parent) if (s.vars?.has(name)) return false;
    return true;
  }

  private walkSelector(x: A.SelectorExpr, ctx: FnCtx, isCallee: boolean): void {
    const base = unparen(x.x);
    if (base.k === 'Name') {
      const b = this.lookup(base.value);
      if (b && b.kind === 'import') {
        // qualified identifier: pkg.F used as a value inside generic code with inferred type
        // arguments cannot be detected without export data; nothing to walk.
        return;
      }
      if (b && (b.kind === 'type' || b.kind === 'typeparam')) {
        // method expression T.M
        if (b.kind === 'type') this.methodDeps(x.sel.value, { x: base, file: this.file, scope: this.scope });
        if (!isCallee && ctx.typeParams.size > 0 && (b.kind === 'typeparam' || this.mentionsTypeParams(base, ctx))) {
          this.synthetic(x.t + 1, ctx);
        }
        return;
      }
    }
    this.walkExpr(x.x, ctx);
    if (this.methodsNamed(x.sel.value)) this.methodDeps(x.sel.value, this.typeOf(x.x));
    if (!isCallee && ctx.typeParams.size > 0 && this.isDerivedMethodValue(x, ctx)) {
      this.synthetic(this.selectorDotTok(x), ctx);
    }
  }

  /**
   * types2 records a dependency on a method when it selects a concrete method of a package type
   * (not for interface methods). With the receiver type known we depend on that type's method;
   * unknown, on every package method of that name; known interface / foreign type, on none.
   */
  private methodDeps(m: string, t: TypeRef | undefined): void {
    const all = this.methodsNamed(m);
    if (!all) return;
    if (t) {
      if (!('x' in t)) return;
      let tx = unparen(t.x);
      if (tx.k === 'UnaryExpr' && tx.op === '*') tx = unparen(tx.x);
      if (tx.k === 'IndexExpr') tx = unparen(tx.x);
      if (tx.k === 'Name') {
        if (this.lookupIn(t.scope, tx.value)) return; // local type or type parameter
        const name = this.aliasOf(tx.value);
        const mo = this.methodsOf(name)?.get(m);
        if (mo) {
          this.deps.add(`m:${mo.recvType}.${m}`);
          return;
        }
        const u = this.underlying(t, 0);
        if (u && 'x' in u && unparen(u.x).k === 'InterfaceType') return;
        if (PREDECLARED_TYPES.has(name) && !this.hasType(name)) return;
      } else if (tx.k === 'SelectorExpr' || tx.k === 'InterfaceType') {
        return; // a type of another package, or an interface literal
      }
    }
    for (const mo of all) this.deps.add(`m:${mo.recvType}.${m}`);
  }

  private selectorDotTok(x: A.SelectorExpr): number {
    return x.sel.t - 1;
  }

  private walkIndex(x: A.IndexExpr, ctx: FnCtx, isCallee: boolean): void {
    const base = unparen(x.x);
    // explicit instantiation of a generic function: F[T] / pkg.F[T]
    const qualifiedInst =
      base.k === 'SelectorExpr' &&
      base.x.k === 'Name' &&
      this.lookup(base.x.value)?.kind === 'import' &&
      x.indices.some((i) => this.mentionsTypeParams(i, ctx));
    if (qualifiedInst || this.isGenericFuncRef(base)) {
      if (base.k === 'Name') {
        this.deps.add('f:' + base.value);
      }
      if (!isCallee && ctx.typeParams.size > 0 && x.indices.some((i) => this.mentionsTypeParams(i, ctx))) {
        this.synthetic(x.lbrack, ctx);
      }
      return;
    }
    this.walkExpr(x.x, ctx);
    for (const i of x.indices) this.walkExpr(i, ctx);
  }

  private synthetic(tok: number, ctx: FnCtx): void {
    const name = this.childName(ctx, 'lit');
    if (this.emit) this.makeEntry(name, 'synthetic', tok, tok, ctx.generic, ctx.entry?.symbol);
  }

  /** `F` / `pkg.F` naming a generic function (package-local: known; imported: from the resolver). */
  private isGenericFuncRef(x: A.Expr): boolean {
    x = unparen(x);
    if (x.k === 'Name') {
      const b = this.lookup(x.value);
      return !!(b && b.kind === 'func' && b.pkgFunc?.type.typeParams?.length);
    }
    if (x.k === 'SelectorExpr' && x.x.k === 'Name') {
      const b = this.lookup(x.x.value);
      if (b && b.kind === 'import' && b.importPath !== undefined) {
        const ext = this.external(b.importPath);
        if (ext?.func?.(x.sel.value)?.generic) return true;
        // unknown: explicit index on a qualified function name is an instantiation unless it is a
        // package-level slice/map variable; treat as instantiation when the index names a type
        return false;
      }
    }
    return false;
  }

  private mentionsTypeParams(x: A.Expr | undefined, ctx: FnCtx): boolean {
    if (!x) return false;
    switch (x.k) {
      case 'Name':
        if (!ctx.typeParams.has(x.value)) return false;
        return this.lookup(x.value)?.kind === 'typeparam';
      case 'ParenExpr':
        return this.mentionsTypeParams(x.x, ctx);
      case 'UnaryExpr':
        return this.mentionsTypeParams(x.x, ctx);
      case 'IndexExpr':
        return this.mentionsTypeParams(x.x, ctx) || x.indices.some((i) => this.mentionsTypeParams(i, ctx));
      case 'ArrayType':
        return this.mentionsTypeParams(x.elem, ctx);
      case 'MapType':
        return this.mentionsTypeParams(x.key, ctx) || this.mentionsTypeParams(x.value, ctx);
      case 'ChanType':
        return this.mentionsTypeParams(x.elem, ctx);
      case 'FuncType':
        return [...x.params, ...x.results].some((f) => this.mentionsTypeParams(f.type, ctx));
      case 'EllipsisType':
        return this.mentionsTypeParams(x.elem, ctx);
      default:
        return false;
    }
  }

  /** `x.M` (not called) in generic code where x's type is a type parameter or a derived generic type. */
  private isDerivedMethodValue(x: A.SelectorExpr, ctx: FnCtx): boolean {
    const t = this.typeOf(x.x);
    if (!t || !('x' in t)) return false;
    let tx = unparen(t.x);
    if (tx.k === 'UnaryExpr' && tx.op === '*') tx = unparen(tx.x);
    if (tx.k === 'Name') {
      if (ctx.typeParams.has(tx.value) && this.lookupIn(t.scope, tx.value)?.kind !== 'type') {
        return true; // method of a type parameter (from its constraint)
      }
      return false;
    }
    if (tx.k === 'IndexExpr' && tx.x.k === 'Name') {
      const recv = this.aliasOf(tx.x.value);
      const ms = this.methodsOf(recv);
      if (!ms || !ms.has(x.sel.value)) return false;
      return tx.indices.some((i) => this.mentionsTypeParams(i, ctx));
    }
    return false;
  }

  private lookupIn(scope: Scope | undefined, name: string): Binding | undefined {
    for (let s = scope; s; s = s.parent) {
      const b = s.vars?.get(name);
      if (b) return b;
    }
    return undefined;
  }

  /** Walk a call (operands first, in source order), record its site, return the site. */
  private walkCall(call: A.CallExpr, ctx: FnCtx): CallSite | undefined {
    const fun = unparen(call.fun);
    let funLitName: string | undefined;
    if (fun.k === 'FuncLit') funLitName = this.walkFuncLit(fun, ctx);
    else if (fun.k === 'SelectorExpr') this.walkSelector(fun, ctx, true);
    else if (fun.k === 'IndexExpr') this.walkIndex(fun, ctx, true);
    else if (fun.k === 'Name') this.useName(fun, ctx, true);
    else this.walkExpr(call.fun, ctx);
    this.walkExprs(call.args, ctx);
    return this.recordCall(call, ctx, funLitName);
  }

  private recordCall(call: A.CallExpr, ctx: FnCtx, funLitName: string | undefined): CallSite | undefined {
    const owner = ctx.entry;
    if (!owner || !this.emit) return undefined;
    const ts = this.ts;
    const lp = call.lparen;
    const physLine = ts.line[lp];
    const line = this.relLine(lp);
    const offset = ts.start[lp];
    const site: CallSite = {
      line,
      physicalLine: physLine,
      col: byteColumn(ts, offset, physLine),
      character: offset - ts.lineStarts[physLine - 1],
      offset: line - owner.startLine,
      callee: '',
      kind: 'other',
    };
    if (owner.file !== this.file.name) site.file = this.file.name;
    let fun = unparen(call.fun);
    if (fun.k === 'FuncLit') {
      site.callee = 'func(){…}';
      site.kind = 'funclit';
      if (funLitName) site.calleeSymbol = this.prefix + '.' + funLitName;
    } else {
      site.callee = ts.src.slice(ts.start[call.fun.t], ts.end[lp - 1]);
      let explicitTypeArgs = false;
      if (fun.k === 'IndexExpr') {
        const inner = unparen(fun.x);
        if (inner.k === 'Name' || (inner.k === 'SelectorExpr' && inner.x.k === 'Name')) {
          fun = inner;
          explicitTypeArgs = true;
        }
      }
      this.classify(fun, site, explicitTypeArgs);
    }
    owner.calls.push(site);
    return site;
  }

  /**
   * A range-over-func loop is rewritten into a call of the iterator with the body closure,
   * positioned at the `for` keyword; record it as a call site of the enclosing function.
   */
  private recordRangeCall(s: A.RangeStmt, ctx: FnCtx, bodySymbol: string): void {
    const owner = ctx.entry;
    if (!owner || !this.emit) return;
    const ts = this.ts;
    const t = s.t;
    const physLine = ts.line[t];
    const line = this.relLine(t);
    const offset = ts.start[t];
    const x = s.x;
    const xEnd = s.body.t - 1;
    const site: CallSite = {
      line,
      physicalLine: physLine,
      col: byteColumn(ts, offset, physLine),
      character: offset - ts.lineStarts[physLine - 1],
      offset: line - owner.startLine,
      callee: ts.src.slice(ts.start[x.t], ts.end[xEnd]),
      kind: 'range',
      rangeBody: bodySymbol,
    };
    const ux = unparen(x);
    if (ux.k === 'FuncLit') {
      // the literal was named just before the body
    } else if (ux.k === 'Name') {
      const b = this.lookup(ux.value);
      if (b && b.kind === 'func' && b.pkgFunc) site.calleeSymbol = this.prefix + '.' + ux.value + (b.pkgFunc.type.typeParams?.length ? GENERIC_PLACEHOLDER : '');
    }
    if (owner.file !== this.file.name) site.file = this.file.name;
    owner.calls.push(site);
  }

  private classify(fun: A.Expr, site: CallSite, explicitTypeArgs: boolean): void {
    let kind: CallKind = 'other';
    if (fun.k === 'Name') {
      site.name = fun.value;
      const b = this.lookup(fun.value);
      if (!b) {
        if (BUILTIN_FUNCS.has(fun.value)) kind = 'builtin';
        else if (PREDECLARED_TYPES.has(fun.value)) kind = 'conversion';
        else kind = 'ident';
      } else if (b.kind === 'type' || b.kind === 'typeparam') {
        kind = 'conversion';
      } else {
        kind = 'ident';
        if (b.kind === 'func' && b.pkgFunc) {
          const generic = !!b.pkgFunc.type.typeParams?.length;
          site.calleeSymbol = this.prefix + '.' + fun.value + (generic ? GENERIC_PLACEHOLDER : '');
        }
      }
    } else if (fun.k === 'SelectorExpr') {
      site.name = fun.sel.value;
      const x = unparen(fun.x);
      const b = x.k === 'Name' ? this.lookup(x.value) : undefined;
      if (b && b.kind === 'import' && b.importPath !== undefined) {
        kind = 'qualified';
        site.pkgPath = b.importPath;
        const ext = this.external(b.importPath);
        if (ext?.typeInfo?.(fun.sel.value) || ext?.isFuncType?.(fun.sel.value)) kind = 'conversion';
        else {
          const generic = explicitTypeArgs || !!ext?.func?.(fun.sel.value)?.generic;
          site.calleeSymbol = pathToPrefix(b.importPath) + '.' + fun.sel.value + (generic ? GENERIC_PLACEHOLDER : '');
        }
      } else {
        kind = 'method';
        const sym = this.resolveMethodSymbol(fun, b);
        if (sym) site.calleeSymbol = sym;
      }
    } else if (fun.k === 'ArrayType' || fun.k === 'MapType' || fun.k === 'ChanType' || fun.k === 'FuncType' || fun.k === 'InterfaceType' || fun.k === 'StructType') {
      kind = 'conversion';
    } else if (fun.k === 'UnaryExpr' && fun.op === '*') {
      kind = 'conversion'; // (*T)(x)
    }
    site.kind = kind;
  }

  /** The linker symbol of `x.M(...)` when x's type is a package-local named type with method M. */
  private resolveMethodSymbol(fun: A.SelectorExpr, xb: Binding | undefined): string | undefined {
    const m = fun.sel.value;
    // method expression T.M(recv, ...) / (*T).M(recv, ...)
    let tname: string | undefined;
    if (xb && xb.kind === 'type' && fun.x.k === 'Name') tname = fun.x.value;
    const px = unparen(fun.x);
    if (!tname && px.k === 'UnaryExpr' && px.op === '*' && px.x.k === 'Name') {
      const b = this.lookup(px.x.value);
      if (b && b.kind === 'type') tname = px.x.value;
    }
    if (!tname) {
      const t = this.typeOf(fun.x);
      if (!t || !('x' in t)) return undefined;
      let tx = unparen(t.x);
      if (tx.k === 'UnaryExpr' && tx.op === '*') tx = unparen(tx.x);
      if (tx.k === 'IndexExpr') tx = unparen(tx.x);
      if (tx.k !== 'Name') return undefined;
      // must be a package-level type (not a local type or type parameter)
      if (this.lookupIn(t.scope, tx.value)) return undefined;
      tname = tx.value;
    }
    const recv = this.aliasOf(tname);
    if (!this.hasType(recv)) return undefined;
    const mo = this.methodsOf(recv)?.get(m);
    if (!mo) return undefined;
    return this.prefix + '.' + methodName(recv, mo.pointer, mo.generic, m);
  }

  // ---- light type inference --------------------------------------------------------------------

  /** Best-effort static type of an expression, as a type expression in some scope. */
  private typeOf(x: A.Expr, depth = 0): TypeRef | undefined {
    if (depth > 12) return undefined;
    switch (x.k) {
      case 'ParenExpr':
        return this.typeOf(x.x, depth + 1);
      case 'Name': {
        const b = this.lookup(x.value);
        if (!b) return undefined;
        return this.typeOfBinding(b, depth + 1);
      }
      case 'FuncLit':
        return { x: x.type, file: this.file, scope: this.scope };
      case 'CompositeLit':
        return x.type ? { x: x.type, file: this.file, scope: this.scope } : undefined;
      case 'UnaryExpr': {
        if (x.op === '&') {
          const t = this.typeOf(x.x, depth + 1);
          if (!t || !('x' in t)) return undefined;
          return { ...t, x: { k: 'UnaryExpr', t: x.t, op: '*', x: t.x } };
        }
        if (x.op === '*') {
          const t = this.typeOf(x.x, depth + 1);
          if (!t || !('x' in t)) return undefined;
          const u = unparen(t.x);
          if (u.k === 'UnaryExpr' && u.op === '*') return { ...t, x: u.x };
          return undefined;
        }
        if (x.op === '<-') {
          const t = this.typeOf(x.x, depth + 1);
          if (!t || !('x' in t)) return undefined;
          const u = this.underlying(t, depth + 1);
          if (u && 'x' in u && u.x.k === 'ChanType') return { ...u, x: u.x.elem };
        }
        return undefined;
      }
      case 'SelectorExpr': {
        const base = unparen(x.x);
        if (base.k === 'Name') {
          const b = this.lookup(base.value);
          if (b && b.kind === 'import') return undefined;
        }
        const t = this.typeOf(x.x, depth + 1);
        if (!t) return undefined;
        return this.fieldType(t, x.sel.value) ?? this.methodValueType(t, x.sel.value) ?? this.externalFieldType(t, x.sel.value);
      }
      case 'IndexExpr': {
        const t = this.typeOf(x.x, depth + 1);
        if (!t || !('x' in t)) return undefined;
        const u = this.underlying(t, depth + 1);
        if (!u || !('x' in u)) return undefined;
        if (u.x.k === 'ArrayType') return { ...u, x: u.x.elem };
        if (u.x.k === 'MapType') return { ...u, x: u.x.value };
        if (u.x.k === 'FuncType') return u; // instantiated generic function
        return undefined;
      }
      case 'AssertExpr':
        return x.type ? { x: x.type, file: this.file, scope: this.scope } : undefined;
      case 'CallExpr':
        return this.resultType(x, 0, depth + 1);
      default:
        return undefined;
    }
  }

  private typeOfBinding(b: Binding, depth: number): TypeRef | undefined {
    if (depth > 12) return undefined;
    const scope = b.scope;
    switch (b.kind) {
      case 'var':
        if (b.type) return { x: b.type, file: b.file, scope };
        if (b.rangeX) return this.rangeVarType(b.rangeX, b.tuple ?? 0, b.file, scope, depth + 1);
        if (b.init) {
          return this.withScope(b.file, scope, () => {
            if (b.tuple !== undefined) {
              const init = unparen(b.init as A.Expr);
              if (init.k === 'CallExpr') return this.resultType(init, b.tuple, depth + 1);
              return undefined;
            }
            return this.typeOf(b.init as A.Expr, depth + 1);
          });
        }
        return undefined;
      case 'func':
        return b.pkgFunc ? { x: b.pkgFunc.type, file: b.file, scope: undefined } : undefined;
      case 'const':
        return b.type ? { x: b.type, file: b.file, scope } : undefined;
      default:
        return undefined;
    }
  }

  /** Evaluate with another file / scope chain current (for inferring types of bindings declared elsewhere). */
  private withScope<T>(file: FileSyntax, scope: Scope | undefined, f: () => T): T {
    const saveFile = this.file;
    const saveTs = this.ts;
    const saveScope = this.scope;
    this.file = file;
    this.ts = file.ts;
    this.scope = scope;
    try {
      return f();
    } finally {
      this.file = saveFile;
      this.ts = saveTs;
      this.scope = saveScope;
    }
  }

  private rangeVarType(rx: A.Expr, which: number, file: FileSyntax, scope: Scope | undefined, depth: number): TypeRef | undefined {
    return this.withScope(file, scope, () => {
      const t = this.typeOf(rx, depth + 1);
      if (!t || !('x' in t)) return undefined;
      const u = this.underlying(t, depth + 1);
      if (!u || !('x' in u)) return undefined;
      const ux = u.x;
      if (ux.k === 'ArrayType') return which === 0 ? undefined : { ...u, x: ux.elem };
      if (ux.k === 'MapType') return { ...u, x: which === 0 ? ux.key : ux.value };
      if (ux.k === 'ChanType') return which === 0 ? { ...u, x: ux.elem } : undefined;
      if (ux.k === 'FuncType' && ux.params.length === 1) {
        // func(yield func(K[, V]) bool)
        const y = unparen(ux.params[0].type);
        if (y.k === 'FuncType') {
          const ps = y.params.flatMap((f) => (f.names.length ? f.names.map(() => f.type) : [f.type]));
          const p = ps[which];
          return p ? { ...u, x: p } : undefined;
        }
      }
      return undefined;
    });
  }

  /** A TypeRef for a named type of another package (encoded as a selector on a pseudo-name). */
  private extTypeRef(t: { path: string; name: string }): TypeRef {
    return {
      x: { k: 'SelectorExpr', t: 0, x: { k: 'Name', t: 0, value: EXT_PREFIX + t.path }, sel: { k: 'Name', t: 0, value: t.name } },
      file: this.file,
      scope: undefined,
    };
  }

  /** Import path named by the package part of a qualified type (`pkg.T`) in `file`. */
  private importPathOf(pkgName: string, file: FileSyntax): string | undefined {
    if (pkgName.startsWith(EXT_PREFIX)) return pkgName.slice(EXT_PREFIX.length);
    this.touch('i:' + file.name);
    return this.env.importNames.get(file.name)?.get(pkgName);
  }

  /** Type of result `i` of a call. */
  private resultType(call: A.CallExpr, i: number, depth: number): TypeRef | undefined {
    if (depth > 12) return undefined;
    let fun = unparen(call.fun);
    if (fun.k === 'IndexExpr') fun = unparen(fun.x);
    if (fun.k === 'Name') {
      const b = this.lookup(fun.value);
      if (!b) {
        if ((fun.value === 'new' || fun.value === 'make') && call.args.length) {
          const t = call.args[0];
          return { x: fun.value === 'new' ? { k: 'UnaryExpr', t: t.t, op: '*', x: t } : t, file: this.file, scope: this.scope };
        }
        if (PREDECLARED_TYPES.has(fun.value)) return { x: fun, file: this.file, scope: undefined };
        return undefined;
      }
      if (b.kind === 'type') return { x: fun, file: this.file, scope: this.scope };
      if (b.kind === 'func' && b.pkgFunc) return this.nthResult(b.pkgFunc.type, i, b.file, undefined);
    }
    if (fun.k === 'SelectorExpr') {
      const x = unparen(fun.x);
      if (x.k === 'Name') {
        const b = this.lookup(x.value);
        if (b && b.kind === 'import' && b.importPath !== undefined) {
          const ext = this.external(b.importPath);
          const f = ext?.func?.(fun.sel.value);
          if (f && f.resultIsFunc[i]) return { ext: 'func' };
          if (f?.resultTypes?.[i]) return this.extTypeRef(f.resultTypes[i] as { path: string; name: string });
          if (ext?.isFuncType?.(fun.sel.value)) return { ext: 'func' }; // conversion to a func type
          if (ext?.typeInfo?.(fun.sel.value)) return this.extTypeRef({ path: b.importPath, name: fun.sel.value }); // conversion
          return undefined;
        }
      }
      // method of a type from another package: x.M() with x of type pkg.T / *pkg.T
      const xt = this.typeOf(fun.x, depth + 1);
      if (xt && 'x' in xt) {
        let tx = unparen(xt.x);
        if (tx.k === 'UnaryExpr' && tx.op === '*') tx = unparen(tx.x);
        if (tx.k === 'IndexExpr') tx = unparen(tx.x);
        if (tx.k === 'SelectorExpr' && tx.x.k === 'Name') {
          const imp = this.importPathOf(tx.x.value, xt.file);
          if (imp !== undefined) {
            const m = this.external(imp)?.method?.(tx.sel.value, fun.sel.value);
            if (m && m.resultIsFunc[i]) return { ext: 'func' };
            if (m?.resultTypes?.[i]) return this.extTypeRef(m.resultTypes[i] as { path: string; name: string });
            return undefined;
          }
        }
      }
    }
    const ft = this.typeOf(fun, depth + 1);
    if (!ft) return undefined;
    if (!('x' in ft)) return undefined;
    const u = this.underlying(ft, depth + 1);
    if (u && 'x' in u && u.x.k === 'FuncType') return this.nthResult(u.x, i, u.file, u.scope);
    // a conversion T(x)
    const fu = unparen(fun);
    if (fu.k === 'Name') {
      const b = this.lookup(fu.value);
      if (b && b.kind === 'type') return { x: fu, file: this.file, scope: this.scope };
    }
    return undefined;
  }

  private nthResult(ft: A.FuncType, i: number, file: FileSyntax, scope: Scope | undefined): TypeRef | undefined {
    let k = 0;
    for (const f of ft.results) {
      const n = Math.max(1, f.names.length);
      if (i < k + n) return { x: f.type, file, scope };
      k += n;
    }
    return undefined;
  }

  private methodValueType(t: TypeRef, m: string): TypeRef | undefined {
    if (!('x' in t)) return undefined;
    let tx = unparen(t.x);
    if (tx.k === 'UnaryExpr' && tx.op === '*') tx = unparen(tx.x);
    if (tx.k === 'IndexExpr') tx = unparen(tx.x);
    if (tx.k !== 'Name') return undefined;
    const mo = this.methodsOf(this.aliasOf(tx.value))?.get(m);
    if (!mo) return undefined;
    return { x: mo.decl.type, file: mo.file, scope: undefined };
  }

  /** The type of field `name` of a struct type (through pointers and named types). */
  private fieldType(t: TypeRef, name: string): TypeRef | undefined {
    if (!('x' in t)) return undefined;
    let u = this.underlying(t, 0);
    if (!u || !('x' in u)) return undefined;
    let ux = unparen(u.x);
    if (ux.k === 'UnaryExpr' && ux.op === '*') {
      u = this.underlying({ ...u, x: ux.x }, 0);
      if (!u || !('x' in u)) return undefined;
      ux = unparen(u.x);
    }
    if (ux.k !== 'StructType') return undefined;
    for (const f of ux.fields) for (const n of f.names) if (n.value === name) return { ...u, x: f.type };
    return undefined;
  }

  /** Field of a struct type of another package (`x.f` with x of type pkg.T / *pkg.T). */
  private externalFieldType(t: TypeRef, name: string): TypeRef | undefined {
    if (!('x' in t)) return undefined;
    let tx = unparen(t.x);
    if (tx.k === 'UnaryExpr' && tx.op === '*') tx = unparen(tx.x);
    if (tx.k === 'IndexExpr') tx = unparen(tx.x);
    if (tx.k !== 'SelectorExpr' || tx.x.k !== 'Name') return undefined;
    const imp = this.importPathOf(tx.x.value, t.file);
    if (imp === undefined) return undefined;
    const f = this.external(imp)?.field?.(tx.sel.value, name);
    if (!f) return undefined;
    if (f.isFunc) return { ext: 'func' };
    return f.type ? this.extTypeRef(f.type) : undefined;
  }

  /** Follow named types (local, package) to their underlying type expression. */
  private underlying(t: TypeRef, depth: number): TypeRef | undefined {
    if (!('x' in t)) return t;
    let cur: TypeRef = t;
    for (let i = 0; i < 10 && 'x' in cur; i++) {
      let x = unparen(cur.x);
      if (x.k === 'IndexExpr') x = unparen(x.x);
      if (x.k === 'Name') {
        const local = this.lookupIn(cur.scope, x.value);
        if (local) {
          if (local.kind === 'type' && local.type) {
            cur = { x: local.type, file: local.file, scope: local.scope };
            continue;
          }
          if (local.kind === 'typeparam') return this.coreTypeOfConstraint(local, depth);
          return undefined;
        }
        this.touch('n:' + x.value);
        const pt = this.env.types.get(x.value);
        if (pt) {
          cur = { x: pt.node.type, file: pt.file, scope: undefined };
          continue;
        }
        // type parameter of the function being walked (declared in the function's scope)
        const tp = this.lookup(x.value);
        if (tp && tp.kind === 'typeparam') return this.coreTypeOfConstraint(tp, depth);
        return { ...cur, x };
      }
      if (x.k === 'SelectorExpr' && x.x.k === 'Name') {
        const imp = this.importPathOf(x.x.value, cur.file);
        if (imp === undefined) return undefined;
        const ext = this.external(imp);
        const info = ext?.typeInfo?.(x.sel.value);
        if (info?.kind === 'func' || ext?.isFuncType?.(x.sel.value)) return { ext: 'func' };
        if (info?.kind === 'map') {
          // a stand-in map type, enough for map.init outlining decisions
          const any = (iface: boolean | undefined): A.Expr => ({ k: 'Name', t: x.t, value: iface ? 'any' : 'string' });
          return { x: { k: 'MapType', t: x.t, key: any(info.keyIface), value: any(info.elemIface) }, file: cur.file, scope: undefined };
        }
        if (info?.kind === 'interface') return { x: { k: 'InterfaceType', t: x.t, methods: [], embeds: [] }, file: cur.file, scope: undefined };
        return undefined;
      }
      return { ...cur, x };
    }
    return 'x' in cur ? cur : cur;
  }

  private coreTypeOfConstraint(b: Binding, depth: number): TypeRef | undefined {
    if (!b.type || depth > 12) return undefined;
    let c = unparen(b.type);
    if (c.k === 'InterfaceType' && c.methods.length === 0 && c.embeds.length === 1) c = unparen(c.embeds[0]);
    if (c.k === 'UnaryExpr' && c.op === '~') c = unparen(c.x);
    if (c.k === 'FuncType' || c.k === 'ArrayType' || c.k === 'MapType' || c.k === 'ChanType') return { x: c, file: b.file, scope: b.scope };
    if (c.k === 'Name' || c.k === 'SelectorExpr' || c.k === 'IndexExpr') return this.underlying({ x: c, file: b.file, scope: b.scope }, depth + 1);
    return undefined;
  }

  private funcSignatureOf(t: TypeRef | undefined): { params: number; results: number } | undefined {
    if (!t) return undefined;
    if (!('x' in t)) return t.sig;
    const u = this.underlying(t, 0);
    if (!u) return undefined;
    if (!('x' in u)) return u.sig;
    const ux = unparen(u.x);
    if (ux.k !== 'FuncType') return undefined;
    return { params: countFields(ux.params), results: countFields(ux.results) };
  }

  /** Range-over-func: the range expression has a function type (Go 1.23+). */
  private isRangeOverFunc(x: A.Expr): boolean {
    const u0 = unparen(x);
    if (u0.k === 'FuncLit') return true;
    if (u0.k === 'BasicLit') return false;
    const t = this.typeOf(x);
    if (!t) {
      // Unknown type: calls of methods commonly named as iterators.
      if (u0.k === 'CallExpr') {
        const f = unparen(u0.fun);
        if (f.k === 'SelectorExpr' && /^(All|Backward|Seq|Seq2|Iter)$/.test(f.sel.value)) {
          this.approximations.push(`range over ${f.sel.value}(): assumed range-over-func`);
          return true;
        }
      }
      return false;
    }
    if (!('x' in t)) return true;
    const u = this.underlying(t, 0);
    if (!u) return false;
    if (!('x' in u)) return true;
    return unparen(u.x).k === 'FuncType';
  }
}

export interface InitContext {
  ctx: FnCtx;
}

function unparenType(t: A.Expr | undefined): A.Expr | undefined {
  if (!t) return undefined;
  const u = unparen(t);
  return u.k === 'UnaryExpr' && u.op === '*' ? u.x : u;
}

const linknameCache = new WeakMap<FileSyntax, Map<string, string>>();

/** `//go:linkname local target` directives of a file (two-argument form only). */
export function linknames(file: FileSyntax): Map<string, string> {
  let m = linknameCache.get(file);
  if (!m) {
    m = new Map();
    for (const d of file.ts.goDirectives) {
      if (!d.text.startsWith('go:linkname ')) continue;
      const parts = d.text.slice('go:linkname '.length).trim().split(/\s+/);
      if (parts.length === 2) m.set(parts[0], parts[1]);
    }
    linknameCache.set(file, m);
  }
  return m;
}

function countFields(fs: A.Field[]): number {
  let n = 0;
  for (const f of fs) n += Math.max(1, f.names.length);
  return n;
}
