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
import { noCodeOffsets } from './code-lines';
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
  NeutralFunc,
  NeutralMethod,
  PkgEnv,
  aliasTarget,
  PREDECLARED_TYPES,
  builtinExternal,
  receiverInfo,
} from './package-env';
import { unparen } from './parser';
import { EXT_PREFIX, extName, LOCAL_PREFIX, NeutralTypeDecl, signatureString, substitute, TPARAM_PREFIX, typeString, UNKNOWN_TYPE } from './types';
import { interfaceMethodSet, methodSetLines } from './method-sets';
import { estimateInlineCost } from './inline-cost';

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
  /** A package-level variable (always treated as reassigned by the compiler). */
  pkgLevel?: boolean;
  /**
   * A local variable defined by a plain assignment `x := v` / `var x = v` (one value per
   * name): the compiler's `ir.StaticValue` can see through it while it is never reassigned.
   */
  staticDefn?: boolean;
  /** Assigned again after its definition, or its address taken (`ir.Reassigned`). */
  reassigned?: boolean;
  /** A local `type A = B`. */
  alias?: boolean;
  /** An object of a dot-imported package (`import . "path"`); `type` is then neutral. */
  dotPath?: string;
  dotName?: string;
  /** Inferred type of a local variable (memo), and a guard against inference cycles. */
  typeMemo?: TypeRef;
  typeBusy?: boolean;
  /**
   * Declaration order of local bindings: an initialiser (or range expression) is resolved
   * without the bindings declared by its own statement or later (`s := s.parent`).
   */
  seq?: number;
}
/** Lexical scopes as a linked chain; a binding keeps the chain it was declared in (O(1)). */
interface Scope {
  vars: Map<string, Binding> | undefined;
  parent: Scope | undefined;
  /** A view of `parent` in which bindings numbered from `limit` on are not visible (see Binding.seq). */
  limit?: number;
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

/**
 * A type as a type expression in some scope; `neutral` expressions come from another package's
 * description (see types.ts) and are read without scope.
 */
type TypeRef = { x: A.Expr; file: FileSyntax; scope: Scope | undefined; neutral?: boolean } | { ext: 'func'; sig?: { params: number; results: number } };

/** What `x.sel` selects (Go's selector lookup through embedded fields). */
type Selection =
  | { kind: 'field'; type: TypeRef }
  | { kind: 'method'; symbol: string; sig: TypeRef; pointer: boolean }
  | { kind: 'imethod'; sig: TypeRef | undefined; iface?: TypeRef }
  | { kind: 'tpmethod'; sig: TypeRef | undefined };

/** A call whose static callee depends on local variables not being reassigned (decided at the end). */
interface PendingStatic {
  site: CallSite;
  chain: Binding[];
  symbol: string | undefined;
}

export interface WalkResult {
  entries: FuncEntry[];
  deps: Set<string>;
  /** Package-level lookups the walk depended on, with their fingerprints (see PkgEnv.fingerprint). */
  touched: Map<string, string>;
}

export interface WalkerOptions {
  prefix: string;
  goMinor: number;
  /** Import path ('main' for a main package) qualifying the package's own types in normalized type strings. */
  pkgPath?: string;
}

/** Go 1.22+ drops statically dead code before naming closures; 1.21 numbers everything. */
function deadCodeElimination(goMinor: number): boolean {
  return goMinor >= 22;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);

/** Result types of builtins that do not depend on their arguments. */
const BUILTIN_RESULTS: Record<string, string> = { len: 'int', cap: 'int', copy: 'int', recover: 'any' };

/** Depth limit of type inference (chains of variables, selectors and calls). */
const MAX_TYPE_DEPTH = 40;

const UNIVERSE_CONSTS: ReadonlyMap<string, ConstVal> = new Map([
  ['true', { k: 'bool', v: true }],
  ['false', { k: 'bool', v: false }],
]);

export class Walker {
  private readonly env: PkgEnv;
  private readonly prefix: string;
  private readonly goMinor: number;
  private readonly pkgPath: string;
  /** Calls through local variables, resolved when the enclosing declaration has been walked. */
  private pending: PendingStatic[] = [];
  private seqCounter = 0;
  /** While resolving an initialiser: bindings declared from this number on are not yet visible. */
  private seqLimit: number | undefined = undefined;
  /** Symbols of function literals (for calls that reach one through a variable). */
  private readonly litSymbols = new WeakMap<A.FuncLit, string>();
  private readonly declLookup = (path: string, name: string): NeutralTypeDecl | undefined =>
    path === this.pkgPath ? this.ownTypeDecl(name) : this.external(path)?.typeDecl?.(name);
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
    this.pkgPath = opts.pkgPath ?? opts.prefix;
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
    if ((kind === 'func' || kind === 'method') && !generic && this.emit) {
      const sig = this.signatureOf(decl.type, file);
      if (sig !== undefined) entry.signature = sig;
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
    if ((kind === 'func' || kind === 'method') && this.emit) {
      // generic functions too: a shaped instantiation costs about what the generic body does
      const params = new Set<string>();
      for (const f of [...(decl.recv ? [decl.recv] : []), ...decl.type.params]) for (const n of f.names) params.add(n.value);
      entry.inline = estimateInlineCost(decl, body, {
        ts: file.ts,
        calls: entry.calls,
        params,
        isConst: (n) => this.lookup(n)?.kind === 'const',
        constCond: (c, i) => this.staticCond(c, i),
      });
    }
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
    this.pending = [];
  }

  private end(): WalkResult {
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
    } else e.noCode = noCodeOffsets(ts, startTok, endTok);
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
    b.seq ??= ++this.seqCounter;
    // A variable's type and initialiser are read before it (and what follows) is declared:
    // `func (loopnest *loopnest) M()`, `var lines lines`, `s := s.parent`.
    if (b.kind === 'var' && b.scope === s && (b.type || b.init || b.rangeX)) b.scope = { vars: undefined, parent: s, limit: b.seq };
    (s.vars ??= new Map()).set(name, b);
  }

  /** Resolve an identifier: local scopes, package scope, file imports, universe. */
  private lookup(name: string): Binding | undefined {
    return this.lookupIn(this.scope, name) ?? this.lookupPackage(name, this.file);
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
    const b: Binding | undefined = imp !== undefined ? { kind: 'import', importPath: this.canonicalImport(imp), file } : this.dotImported(name, file);
    m.set(name, b ?? null);
    return b;
  }

  /** A name a dot import brings into the file's scope. */
  private dotImported(name: string, file: FileSyntax): Binding | undefined {
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

  private lookupPackageDecl(name: string): Binding | undefined {
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
        this.markAssigned(s.x);
        return;
      case 'AssignStmt': {
        if (s.op === ':=') {
          for (const l of s.lhs) if (l.k !== 'Name') this.walkExpr(l, ctx);
          for (const r of s.rhs) this.walkExpr(r, ctx);
          const tuple = s.rhs.length === 1 && s.lhs.length > 1;
          s.lhs.forEach((l, i) => {
            if (l.k !== 'Name') return;
            // `:=` redeclares only new names; an existing binding in the same scope keeps its
            // type (and is assigned to)
            const old = this.scope?.vars?.get(l.value);
            if (old) {
              old.reassigned = true;
              return;
            }
            this.declare(l.value, {
              kind: 'var',
              init: tuple ? s.rhs[0] : s.rhs[i],
              tuple: tuple ? i : undefined,
              file: this.file,
              scope: this.scope,
              staticDefn: !tuple && s.lhs.length === s.rhs.length ? true : undefined,
            });
          });
        } else {
          for (const l of s.lhs) this.walkExpr(l, ctx);
          for (const r of s.rhs) this.walkExpr(r, ctx);
          for (const l of s.lhs) this.markAssigned(l);
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
            // one type in the case: that type; otherwise the operand's type
            const only = c.list && c.list.length === 1 ? c.list[0] : undefined;
            const one = only && !(only.k === 'Name' && only.value === 'nil' && !this.lookup('nil')) ? only : undefined;
            this.declare(s.typeSwitch.bind.value, {
              kind: 'var',
              type: one,
              init: one ? undefined : s.typeSwitch.x,
              file: this.file,
              // the operand is read outside the clause (`switch v := v.(type)` rebinds v)
              scope: this.scope?.parent,
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
            staticDefn: vs.values.length === vs.names.length ? true : undefined,
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
        this.declare(ts.name.value, { kind: 'type', type: ts.type, file: this.file, scope: this.scope, alias: ts.alias });
      }
    }
  }

  private walkRange(s: A.RangeStmt, ctx: FnCtx, label: string | undefined): void {
    this.pushScope();
    if (!s.define) {
      if (s.key) this.walkExpr(s.key, ctx);
      if (s.value) this.walkExpr(s.value, ctx);
      if (s.key) this.markAssigned(s.key);
      if (s.value) this.markAssigned(s.value);
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
        if (x.op === '&') this.markAssigned(x.x);
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
    this.litSymbols.set(x, this.prefix + '.' + name);
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

  /** An assignment to (or `&` of) `x`: its variable is no longer a static value (`ir.Reassigned`). */
  private markAssigned(x: A.Expr): void {
    const u = unparen(x);
    if (u.k !== 'Name') return;
    const b = this.lookup(u.value);
    if (b && b.kind === 'var' && !b.pkgLevel) b.reassigned = true;
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
    let limit = this.seqLimit;
    for (let s = scope; s; s = s.parent) {
      if (s.limit !== undefined && (limit === undefined || s.limit < limit)) limit = s.limit;
      const b = s.vars?.get(name);
      if (b && (limit === undefined || b.seq === undefined || b.seq < limit)) return b;
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
      dispatch: 'unknown',
      args: call.args.length,
    };
    if (owner.file !== this.file.name) site.file = this.file.name;
    let fun = unparen(call.fun);
    if (fun.k === 'FuncLit') {
      site.callee = 'func(){…}';
      site.kind = 'funclit';
      site.dispatch = 'static';
      if (funLitName) site.calleeSymbol = this.prefix + '.' + funLitName;
    } else {
      site.callee = ts.src.slice(ts.start[call.fun.t], ts.end[lp - 1]);
      let explicitTypeArgs = false;
      if (fun.k === 'IndexExpr' && this.isInstantiation(fun)) {
        fun = unparen(fun.x);
        explicitTypeArgs = true;
      }
      this.classify(fun, site, explicitTypeArgs);
      try {
        this.classifyDispatch(fun, site, ctx);
      } catch (e) {
        // type inference is best effort; never lose the call site over it
        site.dispatch = 'unknown';
        this.approximations.push(`dispatch of ${site.callee}: ${(e as Error).message}`);
      }
    }
    owner.calls.push(site);
    return site;
  }

  /** `F[T]` / `pkg.F[T]` / `T[int]` (instantiation or generic type) rather than indexing a value. */
  private isInstantiation(x: A.IndexExpr): boolean {
    const inner = unparen(x.x);
    if (inner.k === 'Name') {
      const b = this.lookup(inner.value);
      return !b || b.kind === 'func' || b.kind === 'type' || b.kind === 'typeparam';
    }
    if (inner.k === 'SelectorExpr' && inner.x.k === 'Name') {
      const b = this.lookup(inner.x.value);
      if (!b || b.kind !== 'import' || b.importPath === undefined) return false;
      return this.external(b.importPath)?.objKind?.(inner.sel.value) !== 'var';
    }
    return false;
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
      dispatch: 'unknown',
      args: 1,
    };
    const ux = unparen(x);
    if (ux.k === 'FuncLit') {
      // the literal was named just before the body
      site.dispatch = 'static';
      const sym = this.litSymbols.get(ux);
      if (sym) site.calleeSymbol = sym;
    } else {
      if (ux.k === 'Name') {
        const b = this.lookup(ux.value);
        if (b && b.kind === 'func' && b.pkgFunc)
          site.calleeSymbol = this.prefix + '.' + ux.value + (b.pkgFunc.type.typeParams?.length ? GENERIC_PLACEHOLDER : '');
      }
      try {
        this.dispatchValue(ux, site, ctx);
      } catch (e) {
        site.dispatch = 'unknown';
        this.approximations.push(`dispatch of range over ${site.callee}: ${(e as Error).message}`);
      }
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
        } else if (b.kind === 'func' && b.dotPath !== undefined) {
          site.calleeSymbol = this.dotFuncSymbol(b.dotPath, fun.value, explicitTypeArgs);
        }
      }
    } else if (fun.k === 'SelectorExpr') {
      site.name = fun.sel.value;
      const x = unparen(fun.x);
      const b = x.k === 'Name' ? this.lookup(x.value) : undefined;
      if (b && b.kind === 'import' && b.importPath === 'unsafe') {
        // unsafe.Sizeof, unsafe.Add, …: builtins of package unsafe, not functions
        kind = fun.sel.value === 'Pointer' ? 'conversion' : 'builtin';
        site.pkgPath = 'unsafe';
      } else if (b && b.kind === 'import' && b.importPath !== undefined) {
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
    } else if (
      fun.k === 'ArrayType' ||
      fun.k === 'MapType' ||
      fun.k === 'ChanType' ||
      fun.k === 'FuncType' ||
      fun.k === 'InterfaceType' ||
      fun.k === 'StructType'
    ) {
      kind = 'conversion';
    } else if (fun.k === 'UnaryExpr' && fun.op === '*' && this.isTypeExpr(fun.x)) {
      kind = 'conversion'; // (*T)(x); `(*fp)(x)` calls the function fp points to
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

  // ---- dispatch (what PGO devirtualization sees) -----------------------------------------------

  /** Set `dispatch` (and `calleeSymbol`, `funcType`) of a call whose callee expression is `fun`. */
  private classifyDispatch(fun: A.Expr, site: CallSite, ctx: FnCtx): void {
    if (site.kind === 'builtin' || site.kind === 'conversion') {
      site.dispatch = 'static';
      return;
    }
    if (fun.k === 'Name') {
      const b = this.lookup(fun.value);
      if (!b) site.dispatch = 'unknown';
      else if (b.kind === 'func' || b.kind === 'type' || b.kind === 'typeparam') site.dispatch = 'static';
      else if (b.kind === 'var') this.dispatchValue(fun, site, ctx);
      else site.dispatch = 'unknown';
      return;
    }
    if (fun.k === 'SelectorExpr') {
      const x = unparen(fun.x);
      if (x.k === 'Name') {
        const b = this.lookup(x.value);
        if (b && b.kind === 'import' && b.importPath !== undefined) {
          if (this.external(b.importPath)?.objKind?.(fun.sel.value) === 'var') {
            delete site.calleeSymbol;
            this.setFuncValue(site, fun);
          } else site.dispatch = 'static';
          return;
        }
      }
      const me = this.methodExpr(fun);
      if (me) {
        // `pgoir.DirectCallee`: a method expression is static only if its receiver type is the
        // method's own (`(*T).M` of a value method goes through a wrapper: a function value)
        if (me.symbol) {
          site.dispatch = 'static';
          site.calleeSymbol = me.symbol;
        } else {
          delete site.calleeSymbol;
          this.setFuncValue(site, fun);
        }
        return;
      }
      const sel = this.selection(this.typeOf(fun.x), fun.sel.value, 0);
      if (!sel) {
        site.dispatch = 'unknown';
        return;
      }
      switch (sel.kind) {
        case 'method':
          site.dispatch = 'static';
          site.calleeSymbol = sel.symbol;
          return;
        case 'imethod': {
          site.dispatch = 'interface';
          delete site.calleeSymbol;
          const ms = sel.iface && this.interfaceMethodLines(sel.iface);
          if (ms) site.ifaceMethods = ms;
          return;
        }
        case 'field':
          delete site.calleeSymbol;
          this.setFuncValue(site, fun);
          return;
        case 'tpmethod':
          // shaped code calls a type parameter's method through the dictionary
          delete site.calleeSymbol;
          site.dispatch = 'funcvalue';
          return;
      }
    }
    this.dispatchValue(fun, site, ctx);
  }

  /** A call of the value of `fun`: static if `ir.StaticValue` finds a function, else a function-value call. */
  private dispatchValue(fun: A.Expr, site: CallSite, ctx: FnCtx): void {
    const sv = this.staticValue(fun, ctx, 0);
    if (sv && sv.chain.length === 0) {
      site.dispatch = 'static';
      if (sv.symbol) site.calleeSymbol = sv.symbol;
      return;
    }
    this.setFuncValue(site, fun);
    if (sv) this.pending.push({ site, chain: sv.chain, symbol: sv.symbol });
  }

  private setFuncValue(site: CallSite, fun: A.Expr): void {
    site.dispatch = 'funcvalue';
    const ft = this.funcTypeOf(fun);
    if (ft !== undefined) site.funcType = ft;
  }

  /**
   * `ir.StaticValue` + `pgoir.DirectCallee`: the function an expression certainly evaluates to
   * (symbol undefined for synthetic closures). `chain` lists the local variables looked through;
   * the answer holds if none of them is reassigned.
   */
  private staticValue(e: A.Expr, ctx: FnCtx, depth: number): { symbol: string | undefined; chain: Binding[] } | undefined {
    if (depth > 8) return undefined;
    const x = unparen(e);
    switch (x.k) {
      case 'FuncLit':
        return { symbol: this.litSymbols.get(x), chain: [] };
      case 'Name': {
        const b = this.lookup(x.value);
        if (!b) return undefined;
        if (b.kind === 'func' && b.pkgFunc) {
          return { symbol: this.prefix + '.' + x.value + (b.pkgFunc.type.typeParams?.length ? GENERIC_PLACEHOLDER : ''), chain: [] };
        }
        if (b.kind === 'func' && b.dotPath !== undefined) return { symbol: this.dotFuncSymbol(b.dotPath, x.value, false), chain: [] };
        if (b.kind === 'var' && b.staticDefn && !b.pkgLevel && b.init) {
          const init = b.init;
          const r = this.withScope(b.file, b.scope, () => this.staticValue(init, ctx, depth + 1), b.seq);
          return r ? { symbol: r.symbol, chain: [b, ...r.chain] } : undefined;
        }
        return undefined;
      }
      case 'SelectorExpr': {
        const base = unparen(x.x);
        if (base.k === 'Name') {
          const b = this.lookup(base.value);
          if (b && b.kind === 'import' && b.importPath !== undefined) {
            const ext = this.external(b.importPath);
            const k = ext?.objKind?.(x.sel.value);
            if (k !== undefined ? k !== 'func' : !!ext?.typeInfo?.(x.sel.value)) return undefined;
            const generic = !!(ext?.funcSig?.(x.sel.value)?.generic ?? ext?.func?.(x.sel.value)?.generic);
            return { symbol: pathToPrefix(b.importPath) + '.' + x.sel.value + (generic ? GENERIC_PLACEHOLDER : ''), chain: [] };
          }
        }
        const me = this.methodExpr(x);
        if (me) return me.symbol ? { symbol: me.symbol, chain: [] } : undefined;
        // a method value in generic code becomes a synthetic closure
        if (ctx.typeParams.size > 0 && this.isDerivedMethodValue(x, ctx)) return { symbol: undefined, chain: [] };
        return undefined;
      }
      case 'IndexExpr': {
        // an instantiated generic function (a synthetic closure in generic code)
        if (!this.isGenericFuncRef(x.x)) return undefined;
        if (ctx.typeParams.size > 0 && x.indices.some((i) => this.mentionsTypeParams(i, ctx))) return { symbol: undefined, chain: [] };
        const inner = unparen(x.x);
        if (inner.k === 'Name') return { symbol: this.prefix + '.' + inner.value + GENERIC_PLACEHOLDER, chain: [] };
        if (inner.k === 'SelectorExpr' && inner.x.k === 'Name') {
          const b = this.lookup(inner.x.value);
          if (b?.importPath !== undefined) return { symbol: pathToPrefix(b.importPath) + '.' + inner.sel.value + GENERIC_PLACEHOLDER, chain: [] };
        }
        return undefined;
      }
      case 'CallExpr':
        // a conversion between function types is OCONVNOP, which StaticValue looks through
        if (x.args.length !== 1 || x.dots || !this.isTypeExpr(x.fun)) return undefined;
        return this.staticValue(x.args[0], ctx, depth + 1);
      default:
        return undefined;
    }
  }

  private dotFuncSymbol(path: string, name: string, explicitTypeArgs: boolean): string {
    const generic = explicitTypeArgs || !!this.external(path)?.funcSig?.(name)?.generic;
    return pathToPrefix(path) + '.' + name + (generic ? GENERIC_PLACEHOLDER : '');
  }

  /** Whether an expression denotes a type (for conversions). */
  private isTypeExpr(e: A.Expr): boolean {
    const x = unparen(e);
    switch (x.k) {
      case 'Name': {
        const b = this.lookup(x.value);
        if (!b) return PREDECLARED_TYPES.has(x.value);
        return b.kind === 'type' || b.kind === 'typeparam';
      }
      case 'SelectorExpr': {
        if (x.x.k !== 'Name') return false;
        const b = this.lookup(x.x.value);
        if (!b || b.kind !== 'import' || b.importPath === undefined) return false;
        if (b.importPath === 'unsafe') return x.sel.value === 'Pointer';
        const ext = this.external(b.importPath);
        const k = ext?.objKind?.(x.sel.value);
        return k !== undefined ? k === 'type' : !!ext?.typeInfo?.(x.sel.value) || !!ext?.isFuncType?.(x.sel.value);
      }
      case 'IndexExpr':
        return this.isTypeExpr(x.x);
      case 'FuncType':
      case 'ArrayType':
      case 'MapType':
      case 'ChanType':
      case 'StructType':
      case 'InterfaceType':
        return true;
      case 'UnaryExpr':
        return x.op === '*' && this.isTypeExpr(x.x);
      default:
        return false;
    }
  }

  /**
   * `T.M` / `(*T).M` / `pkg.T.M`: undefined if `x` is not a method expression; otherwise the
   * callee symbol when the compiler calls it directly (the receiver matches the method's).
   */
  private methodExpr(x: A.SelectorExpr): { symbol: string | undefined } | undefined {
    let base = unparen(x.x);
    let ptr = false;
    if (base.k === 'UnaryExpr' && base.op === '*') {
      ptr = true;
      base = unparen(base.x);
    }
    if (base.k === 'IndexExpr') base = unparen(base.x);
    const m = x.sel.value;
    if (base.k === 'Name') {
      const b = this.lookup(base.value);
      if (!b) return PREDECLARED_TYPES.has(base.value) ? { symbol: undefined } : undefined;
      if (b.kind !== 'type' && b.kind !== 'typeparam') return undefined;
      if (b.kind === 'typeparam' || this.lookupIn(this.scope, base.value)) return { symbol: undefined };
      const recv = this.aliasOf(base.value);
      const mo = this.methodsOf(recv)?.get(m);
      if (!mo || mo.pointer !== ptr) return { symbol: undefined };
      return { symbol: this.prefix + '.' + methodName(recv, mo.pointer, mo.generic, m) };
    }
    if (base.k === 'SelectorExpr' && base.x.k === 'Name') {
      const b = this.lookup(base.x.value);
      if (!b || b.kind !== 'import' || b.importPath === undefined) return undefined;
      const ext = this.external(b.importPath);
      const k = ext?.objKind?.(base.sel.value);
      if (k !== undefined ? k !== 'type' : !ext?.typeInfo?.(base.sel.value)) return undefined;
      const ms = ext?.methodSig?.(base.sel.value, m);
      if (!ms || ms.pointer !== ptr) return { symbol: undefined };
      return { symbol: pathToPrefix(b.importPath) + '.' + methodName(base.sel.value, ms.pointer, ms.generic, m) };
    }
    return undefined;
  }

  /** A method of a type parameter: called through the dictionary; its signature from the constraint. */
  private typeParamMethod(b: Binding, sel: string, depth: number): Selection {
    const c = b.type ? this.selection({ x: b.type, file: b.file, scope: b.scope }, sel, depth + 1) : undefined;
    return { kind: 'tpmethod', sig: c && (c.kind === 'imethod' || c.kind === 'method') ? c.sig : undefined };
  }

  /** Whether an (embedded) type is an interface whose method set the index knows. */
  private knownInterface(t: TypeRef): boolean {
    const x = unparen((t as { x: A.Expr }).x);
    if (x.k === 'Name' && (x.value === 'error' || x.value === 'any' || x.value === 'comparable')) return true;
    const u = this.underlying(t, 0);
    return !!u && 'x' in u && unparen(u.x).k === 'InterfaceType';
  }

  /** Go's selector lookup of `sel` on a value of type `t`: through pointers and embedded fields, shallowest first. */
  private selection(t: TypeRef | undefined, sel: string, depth: number, strict = false): Selection | undefined {
    if (!t || !('x' in t) || depth > 4) return undefined;
    let level: TypeRef[] = [t];
    for (let d = strict ? 1 : 0; d < 7 && level.length; d++) {
      const next: TypeRef[] = [];
      let found: Selection | undefined;
      for (const cur of level) {
        // an embedded interface promotes only the methods it has (a receiver of interface type
        // makes any method call an interface call)
        const r = this.selectIn(cur, sel, next, depth, d > 0);
        if (r && !found) found = r;
      }
      if (found) return found;
      level = next.length > 32 ? next.slice(0, 32) : next;
    }
    return undefined;
  }

  /** Methods and fields of one type; its embedded fields are appended to `embedded`. */
  private selectIn(t: TypeRef, sel: string, embedded: TypeRef[], depth: number, strict: boolean): Selection | undefined {
    if (!('x' in t)) return undefined;
    let x = unparen(t.x);
    if (x.k === 'UnaryExpr' && x.op === '*') x = unparen(x.x);
    let args: A.Expr[] | undefined;
    let base = x;
    if (x.k === 'IndexExpr') {
      args = x.indices;
      base = unparen(x.x);
    }
    const own = this.ownTypeName(t, base);
    if (own !== undefined) {
      const recv = this.aliasOf(own);
      const pt = this.env.types.get(recv);
      if (pt) {
        const mo = this.methodsOf(recv)?.get(sel);
        if (mo) {
          let sig: TypeRef = { x: mo.decl.type, file: mo.file, scope: undefined };
          if (args && mo.generic && mo.decl.recv) {
            const tps = receiverInfo(mo.decl.recv.type)?.typeParams ?? [];
            const n = this.withScope(mo.file, undefined, () => this.neutral(mo.decl.type, mo.file, this.typeParamScope(tps, mo.file), 0));
            sig = this.instantiate({ type: n, typeParams: tps.map((p) => TPARAM_PREFIX + p) }, args, t) ?? sig;
          }
          return { kind: 'method', symbol: this.prefix + '.' + methodName(recv, mo.pointer, mo.generic, sel), sig, pointer: mo.pointer };
        }
        if (pt.node.alias) {
          // an alias of another package's type: its methods
          const target = unparen(pt.node.type);
          if (target.k === 'SelectorExpr' || target.k === 'IndexExpr')
            return this.selectIn({ x: target, file: pt.file, scope: undefined }, sel, embedded, depth, strict);
        }
      }
    } else if (base.k === 'Name') {
      const v = base.value;
      if (t.neutral) {
        if (v.startsWith(TPARAM_PREFIX)) {
          // a type parameter of the code being walked (from a substituted generic type)
          const tp = this.lookup(v.slice(TPARAM_PREFIX.length));
          return tp?.kind === 'typeparam' ? this.typeParamMethod(tp, sel, depth) : undefined;
        }
        if (v === 'error') return sel === 'Error' ? { kind: 'imethod', sig: undefined, iface: t } : undefined;
        if (!v.startsWith(LOCAL_PREFIX)) return undefined;
      } else {
        const local = this.lookupIn(t.scope, v);
        if (local) {
          if (local.kind === 'typeparam') return this.typeParamMethod(local, sel, depth);
          if (local.kind !== 'type') return undefined;
          // a local type has no methods of its own
        } else {
          const b = this.lookup(v);
          if (b?.kind === 'typeparam') return this.typeParamMethod(b, sel, depth);
          if (b?.kind === 'type' && b.dotPath !== undefined && b.type) {
            const dx: A.Expr = args ? { k: 'IndexExpr', t: x.t, x: b.type, indices: args, lbrack: x.t } : b.type;
            return this.selectIn({ x: dx, file: t.file, scope: t.scope }, sel, embedded, depth, strict);
          }
          if (v === 'error') return sel === 'Error' ? { kind: 'imethod', sig: undefined, iface: t } : undefined;
        }
      }
    } else if (base.k === 'SelectorExpr' && base.x.k === 'Name') {
      const imp = this.importPathOf(base.x.value, t.file);
      if (imp === undefined) return undefined;
      const ext = this.external(imp);
      const tn = base.sel.value;
      const d = ext?.typeDecl?.(tn);
      if (d?.alias) return this.selectIn({ x: d.type, file: t.file, scope: undefined, neutral: true }, sel, embedded, depth, strict);
      const ms = ext?.methodSig?.(tn, sel);
      if (ms) {
        const plain: TypeRef = { x: ms.type, file: t.file, scope: undefined, neutral: true };
        const sig = args && ms.typeParams?.length ? (this.instantiate(ms, args, t) ?? plain) : plain;
        return { kind: 'method', symbol: pathToPrefix(imp) + '.' + methodName(tn, ms.pointer, ms.generic, sel), sig, pointer: ms.pointer };
      }
    }
    let u = this.underlying(t, 0);
    if (!u || !('x' in u)) return undefined;
    let ux = unparen(u.x);
    if (ux.k === 'UnaryExpr' && ux.op === '*') {
      u = this.underlying({ ...u, x: ux.x }, 0);
      if (!u || !('x' in u)) return undefined;
      ux = unparen(u.x);
    }
    if (ux.k === 'InterfaceType') {
      // iface: the interface the call goes through (the receiver's static type, as OCALLINTER sees it)
      for (const m of ux.methods) if (m.name.value === sel) return { kind: 'imethod', sig: { ...u, x: m.type }, iface: t };
      let maybe = !strict;
      for (const e of ux.embeds) {
        const r = this.selection({ ...u, x: e }, sel, depth + 1, true);
        if (r && r.kind === 'imethod' && r.sig) return { ...r, iface: t };
        if (r && r.kind === 'imethod') maybe = true;
        else if (!r && !this.knownInterface({ ...u, x: e })) maybe = true; // cannot tell
      }
      return maybe ? { kind: 'imethod', sig: undefined, iface: t } : undefined;
    }
    if (ux.k === 'Name' && ux.value === 'error') return sel === 'Error' ? { kind: 'imethod', sig: undefined, iface: t } : undefined;
    if (ux.k !== 'StructType') return undefined;
    for (const f of ux.fields) {
      if (f.names.length) {
        for (const n of f.names) if (n.value === sel) return { kind: 'field', type: { ...u, x: f.type } };
        continue;
      }
      if (embeddedFieldName(f.type) === sel) return { kind: 'field', type: { ...u, x: f.type } };
      embedded.push({ ...u, x: f.type });
    }
    return undefined;
  }

  private readonly ifaceLines = new Map<string, string[] | null>();

  /** The method set of the interface an interface call goes through, as `CallSite.ifaceMethods` (undefined: unknown). */
  private interfaceMethodLines(t: TypeRef): string[] | undefined {
    if (!('x' in t)) return undefined;
    const n = t.neutral ? t.x : this.neutral(t.x, t.file, t.scope, 0);
    const key = typeString(n, this.declLookup, this.pkgPath);
    if (key !== undefined && this.ifaceLines.has(key)) return this.ifaceLines.get(key) ?? undefined;
    const ms = interfaceMethodSet(this.declLookup, n, this.pkgPath);
    const lines = ms ? methodSetLines(ms) : undefined;
    if (key !== undefined) this.ifaceLines.set(key, lines ?? null);
    return lines;
  }

  /** The normalized type of a function-valued expression (see `CallSite.funcType`). */
  private funcTypeOf(fun: A.Expr): string | undefined {
    const t = this.typeOf(fun);
    if (!t || !('x' in t)) return undefined;
    const u = this.underlying(t, 0);
    if (!u || !('x' in u)) return undefined;
    const ux = unparen(u.x);
    if (ux.k !== 'FuncType') return undefined;
    return this.funcTypeString({ ...u, x: ux });
  }

  private funcTypeString(t: { x: A.Expr; file: FileSyntax; scope: Scope | undefined; neutral?: boolean }): string | undefined {
    const n = t.neutral ? t.x : this.neutral(t.x, t.file, t.scope, 0);
    if (n.k !== 'FuncType') return undefined;
    return signatureString(n, this.declLookup, this.pkgPath);
  }

  /** The normalized signature of a declared function (package scope; see `FuncEntry.signature`). */
  private signatureOf(ft: A.FuncType, file: FileSyntax): string | undefined {
    return this.withScope(file, undefined, () => this.funcTypeString({ x: ft, file, scope: undefined }));
  }

  // ---- neutral type expressions (types.ts): describing this package's types to others ------

  /**
   * A type expression in neutral form: named types qualified by import path (aliases resolved),
   * type parameters and function-local types marked, array lengths evaluated. Parts that
   * cannot be resolved become UNKNOWN_TYPE.
   */
  private neutral(x: A.Expr, file: FileSyntax, scope: Scope | undefined, depth: number): A.Expr {
    const unknown: A.Name = { k: 'Name', t: x.t, value: UNKNOWN_TYPE };
    if (depth > 16) return unknown;
    const d = depth + 1;
    const field = (f: A.Field): A.Field => {
      const r: A.Field = { names: f.names, type: this.neutral(f.type, file, scope, d) };
      if (f.tag !== undefined) r.tag = f.tag;
      return r;
    };
    switch (x.k) {
      case 'ParenExpr':
        return this.neutral(x.x, file, scope, d);
      case 'Name': {
        const v = x.value;
        if (v.startsWith(EXT_PREFIX) || v.startsWith(TPARAM_PREFIX) || v.startsWith(LOCAL_PREFIX) || v === UNKNOWN_TYPE) return x;
        const local = this.lookupIn(scope, v);
        if (local) {
          if (local.kind === 'typeparam') return { k: 'Name', t: x.t, value: TPARAM_PREFIX + v };
          if (local.kind !== 'type' || !local.type) return unknown;
          if (local.alias) return this.neutral(local.type, local.file, local.scope, d);
          return { k: 'Name', t: x.t, value: `${LOCAL_PREFIX}${this.pkgPath}.${v}@${local.file.name}:${local.type.t}` };
        }
        this.touch('n:' + v);
        const pt = this.env.types.get(v);
        if (pt) {
          if (pt.node.alias) return pt.node.typeParams?.length ? unknown : this.neutral(pt.node.type, pt.file, undefined, d);
          return extName(this.pkgPath, v, x.t);
        }
        const pb = this.lookupPackage(v, file);
        if (pb && pb.kind === 'type' && pb.dotPath !== undefined && pb.type) return { ...pb.type, t: x.t } as A.Expr;
        if (PREDECLARED_TYPES.has(v) && !pb) return x;
        return unknown;
      }
      case 'SelectorExpr': {
        if (x.x.k !== 'Name') return unknown;
        if (x.x.value.startsWith(EXT_PREFIX)) return x;
        const imp = this.importPathOf(x.x.value, file);
        return imp === undefined ? unknown : extName(imp, x.sel.value, x.t);
      }
      case 'IndexExpr':
        return { ...x, x: this.neutral(x.x, file, scope, d), indices: x.indices.map((i) => this.neutral(i, file, scope, d)) };
      case 'UnaryExpr':
        return x.op === '*' || x.op === '~' ? { ...x, x: this.neutral(x.x, file, scope, d) } : unknown;
      case 'BinaryExpr':
        return x.op === '|' ? { ...x, x: this.neutral(x.x, file, scope, d), y: this.neutral(x.y, file, scope, d) } : unknown;
      case 'ArrayType': {
        const elem = this.neutral(x.elem, file, scope, d);
        if (x.len === undefined || x.len === 'ellipsis') return { ...x, elem };
        if (x.len.k === 'BasicLit' && x.len.kind === 'int' && /^[1-9][0-9]*$|^0$/.test(x.len.value)) return { ...x, elem };
        const v = evalConst(x.len, this.constEnv(scope, file));
        if (!v || v.k !== 'int') return { ...x, len: 'ellipsis', elem };
        return { ...x, len: { k: 'BasicLit', t: x.len.t, kind: 'int', value: v.v.toString() }, elem };
      }
      case 'MapType':
        return { ...x, key: this.neutral(x.key, file, scope, d), value: this.neutral(x.value, file, scope, d) };
      case 'ChanType':
        return { ...x, elem: this.neutral(x.elem, file, scope, d) };
      case 'EllipsisType':
        return { ...x, elem: this.neutral(x.elem, file, scope, d) };
      case 'FuncType':
        return { k: 'FuncType', t: x.t, typeParams: undefined, params: x.params.map(field), results: x.results.map(field) };
      case 'StructType':
        return { ...x, fields: x.fields.map(field) };
      case 'InterfaceType':
        return {
          ...x,
          methods: x.methods.map((m) => ({ name: m.name, type: this.neutral(m.type, file, scope, d) as A.FuncType })),
          embeds: x.embeds.map((e) => this.neutral(e, file, scope, d)),
        };
      default:
        return unknown;
    }
  }

  private readonly ownDecls = new Map<string, NeutralTypeDecl | null>();

  /** This package's named type `name` in neutral form (for normalized type strings). */
  private ownTypeDecl(name: string): NeutralTypeDecl | undefined {
    this.touch('n:' + name);
    let d = this.ownDecls.get(name);
    if (d === undefined) {
      d = this.exportTypeDecl(name) ?? null;
      this.ownDecls.set(name, d);
    }
    return d ?? undefined;
  }

  private typeParamScope(names: string[], file: FileSyntax): Scope | undefined {
    if (!names.length) return undefined;
    const vars = new Map<string, Binding>();
    for (const n of names) vars.set(n, { kind: 'typeparam', file });
    return { vars, parent: undefined };
  }

  /** Declaration of a package-level named type, neutral (for importers). */
  exportTypeDecl(name: string): NeutralTypeDecl | undefined {
    const t = this.env.types.get(name);
    if (!t) return undefined;
    const tps = (t.node.typeParams ?? []).flatMap((f) => f.names.map((n) => n.value));
    const type = this.withScope(t.file, undefined, () => this.neutral(t.node.type, t.file, this.typeParamScope(tps, t.file), 0));
    const r: NeutralTypeDecl = { type, alias: t.node.alias };
    if (tps.length) r.typeParams = tps.map((n) => TPARAM_PREFIX + n);
    return r;
  }

  /** Signature of a package-level function, neutral (for importers). */
  exportFuncSig(name: string): NeutralFunc | undefined {
    const f = this.env.funcs.get(name);
    if (!f) return undefined;
    return this.genericSig(f.node, f.file);
  }

  /** Signature (without receiver) of a method declared on `typeName`, neutral (for importers). */
  exportMethodSig(typeName: string, name: string): NeutralMethod | undefined {
    const mo = this.env.methods.get(aliasTarget(this.env, typeName) ?? typeName)?.get(name);
    if (!mo || !mo.decl.recv) return undefined;
    const tps = receiverInfo(mo.decl.recv.type)?.typeParams ?? [];
    const type = this.withScope(mo.file, undefined, () => this.neutral(mo.decl.type, mo.file, this.typeParamScope(tps, mo.file), 0)) as A.FuncType;
    const r: NeutralMethod = { type, generic: mo.generic, pointer: mo.pointer };
    if (tps.length) r.typeParams = tps.map((n) => TPARAM_PREFIX + n);
    return r;
  }

  /** Names of the methods declared on package-level type `typeName` (sorted), undefined if it is not a type. */
  exportMethodNames(typeName: string): string[] | undefined {
    const target = aliasTarget(this.env, typeName) ?? typeName;
    if (!this.env.types.has(target)) return undefined;
    return [...(this.env.methods.get(target)?.keys() ?? [])].sort();
  }

  /** Type of a package-level variable or typed constant, neutral (for importers). */
  exportVarType(name: string): A.Expr | undefined {
    const c = this.env.consts.get(name);
    if (c) {
      const t = this.withScope(c.file, undefined, () =>
        this.typeOfBinding({ kind: 'const', constSpec: { spec: c.spec, index: c.index }, type: c.spec.type, file: c.file }, 0),
      );
      if (!t || !('x' in t)) return undefined;
      return t.neutral ? t.x : this.withScope(c.file, undefined, () => this.neutral(t.x, t.file, t.scope, 0));
    }
    const v = this.env.vars.get(name);
    if (!v) return undefined;
    const b = this.lookupPackageDecl(name);
    if (!b) return undefined;
    return this.withScope(v.file, undefined, () => {
      const t = this.typeOfBinding(b, 0);
      if (!t || !('x' in t)) return undefined;
      return t.neutral ? t.x : this.neutral(t.x, t.file, t.scope, 0);
    });
  }

  /** What a package-level name denotes (for importers). */
  objectKind(name: string): 'func' | 'var' | 'const' | 'type' | undefined {
    const env = this.env;
    if (env.funcs.has(name)) return 'func';
    if (env.vars.has(name)) return 'var';
    if (env.consts.has(name)) return 'const';
    if (env.types.has(name)) return 'type';
    return undefined;
  }

  // ---- light type inference --------------------------------------------------------------------

  /** Best-effort static type of an expression, as a type expression in some scope. */
  private typeOf(x: A.Expr, depth = 0): TypeRef | undefined {
    if (depth > MAX_TYPE_DEPTH) return undefined;
    switch (x.k) {
      case 'ParenExpr':
        return this.typeOf(x.x, depth + 1);
      case 'Name': {
        const b = this.lookup(x.value);
        if (!b) return undefined;
        return this.typeOfBinding(b, depth + 1);
      }
      case 'FuncLit':
        return { x: x.type, file: this.file, scope: this.scopeHere() };
      case 'CompositeLit':
        return x.type ? { x: x.type, file: this.file, scope: this.scopeHere() } : undefined;
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
          const n = this.underlying(t, depth + 1);
          if (n && 'x' in n) {
            const nu = unparen(n.x);
            if (nu.k === 'UnaryExpr' && nu.op === '*') return { ...n, x: nu.x };
          }
          return undefined;
        }
        if (x.op === '<-') {
          const t = this.typeOf(x.x, depth + 1);
          if (!t || !('x' in t)) return undefined;
          const u = this.underlying(t, depth + 1);
          if (u && 'x' in u && u.x.k === 'ChanType') return { ...u, x: u.x.elem };
          return undefined;
        }
        if (x.op === '!') return { x: { k: 'Name', t: x.t, value: 'bool' }, file: this.file, scope: undefined, neutral: true };
        if (x.op === '+' || x.op === '-' || x.op === '^') return this.typeOf(x.x, depth + 1);
        return undefined;
      }
      case 'SelectorExpr': {
        const base = unparen(x.x);
        if (base.k === 'Name') {
          const b = this.lookup(base.value);
          if (b && b.kind === 'import') return b.importPath !== undefined ? this.qualifiedValueType(b.importPath, x.sel.value) : undefined;
        }
        const t = this.typeOf(x.x, depth + 1);
        if (!t) return undefined;
        const s = this.selection(t, x.sel.value, 0);
        if (s) return s.kind === 'field' ? s.type : s.sig;
        return this.externalFieldType(t, x.sel.value);
      }
      case 'IndexExpr': {
        const t = this.typeOf(x.x, depth + 1);
        if (!t || !('x' in t)) return undefined;
        let u = this.underlying(t, depth + 1);
        if (!u || !('x' in u)) return undefined;
        const ux = unparen(u.x);
        if (ux.k === 'UnaryExpr' && ux.op === '*') {
          // indexing a pointer to an array
          u = this.underlying({ ...u, x: ux.x }, depth + 1);
          if (!u || !('x' in u) || u.x.k !== 'ArrayType') return undefined;
        }
        if (u.x.k === 'ArrayType') return { ...u, x: u.x.elem };
        if (u.x.k === 'Name' && u.x.value === 'string') return { x: { k: 'Name', t: x.t, value: 'byte' }, file: this.file, scope: undefined, neutral: true };
        if (u.x.k === 'MapType') return { ...u, x: u.x.value };
        if (u.x.k === 'FuncType') return u; // instantiated generic function
        return undefined;
      }
      case 'AssertExpr':
        return x.type ? { x: x.type, file: this.file, scope: this.scopeHere() } : undefined;
      case 'SliceExpr': {
        // a slice of an array (or of a pointer to one) is a slice; anything else keeps its type
        const t = this.typeOf(x.x, depth + 1);
        if (!t || !('x' in t)) return t;
        let u = this.underlying(t, depth + 1);
        if (u && 'x' in u) {
          const ux = unparen(u.x);
          if (ux.k === 'UnaryExpr' && ux.op === '*') u = this.underlying({ ...u, x: ux.x }, depth + 1);
          if (u && 'x' in u) {
            const a = unparen(u.x);
            if (a.k === 'ArrayType' && a.len !== undefined) return { ...u, x: { ...a, len: undefined } };
          }
        }
        return t;
      }
      case 'CallExpr':
        return this.resultType(x, 0, depth + 1);
      case 'BasicLit': {
        // the default type of an untyped constant (what `x := 1` declares)
        const def = x.kind === 'int' ? 'int' : x.kind === 'float' ? 'float64' : x.kind === 'imag' ? 'complex128' : x.kind === 'rune' ? 'rune' : 'string';
        return { x: { k: 'Name', t: x.t, value: def }, file: this.file, scope: undefined, neutral: true };
      }
      case 'BinaryExpr': {
        if (COMPARISONS.has(x.op)) return { x: { k: 'Name', t: x.t, value: 'bool' }, file: this.file, scope: undefined, neutral: true };
        if (x.op === '<<' || x.op === '>>') return this.typeOf(x.x, depth + 1);
        // an untyped operand takes the other's type
        const untyped = (e: A.Expr): boolean => {
          const u = unparen(e);
          if (u.k === 'BasicLit') return true;
          if (u.k !== 'Name') return false;
          const b = this.lookup(u.value);
          return !b ? u.value === 'iota' : b.kind === 'const' && !b.type;
        };
        if (untyped(x.x)) return this.typeOf(x.y, depth + 1) ?? this.typeOf(x.x, depth + 1);
        return this.typeOf(x.x, depth + 1) ?? this.typeOf(x.y, depth + 1);
      }
      default:
        return undefined;
    }
  }

  private typeOfBinding(b: Binding, depth: number): TypeRef | undefined {
    if (depth > MAX_TYPE_DEPTH) return undefined;
    const scope = b.scope;
    switch (b.kind) {
      case 'var': {
        if (b.type) return b.dotPath !== undefined ? { x: b.type, file: b.file, scope: undefined, neutral: true } : { x: b.type, file: b.file, scope };
        // Local variables are memoized for the walk of their declaration (package-level ones
        // are not: the lookups made while inferring them must be recorded in every walk).
        if (b.typeMemo) return b.typeMemo;
        if (b.typeBusy) return undefined;
        b.typeBusy = true;
        let t: TypeRef | undefined;
        try {
          if (b.rangeX) t = this.rangeVarType(b.rangeX, b.tuple ?? 0, b.file, scope, depth + 1, b.seq);
          else if (b.init) {
            t = this.withScope(
              b.file,
              scope,
              () => {
                if (b.tuple !== undefined) {
                  const init = unparen(b.init as A.Expr);
                  if (init.k === 'CallExpr') return this.resultType(init, b.tuple, depth + 1);
                  // comma-ok forms: x.(T), m[k], <-ch
                  if (b.tuple === 0 && (init.k === 'AssertExpr' || init.k === 'IndexExpr' || (init.k === 'UnaryExpr' && init.op === '<-')))
                    return this.typeOf(init, depth + 1);
                  return undefined;
                }
                return this.typeOf(b.init as A.Expr, depth + 1);
              },
              b.seq,
            );
          }
        } finally {
          b.typeBusy = false;
        }
        if (t && !b.pkgLevel) b.typeMemo = t;
        return t;
      }
      case 'func': {
        if (b.pkgFunc) return { x: b.pkgFunc.type, file: b.file, scope: undefined };
        const fs = b.dotPath !== undefined ? this.external(b.dotPath)?.funcSig?.(b.dotName ?? '') : undefined;
        return fs ? { x: fs.type, file: b.file, scope: undefined, neutral: true } : undefined;
      }
      case 'const': {
        if (b.dotPath !== undefined) return b.type ? { x: b.type, file: b.file, scope: undefined, neutral: true } : undefined;
        if (b.type) return { x: b.type, file: b.file, scope };
        // `const X = T(v)`: typed by the conversion
        const v = b.constSpec ? b.constSpec.spec.values[b.constSpec.index] : undefined;
        const cv = v ? unparen(v) : undefined;
        if (cv && cv.k === 'CallExpr' && cv.args.length === 1) {
          const fun = cv.fun;
          return this.withScope(b.file, scope, () => (this.isTypeExpr(fun) ? { x: fun, file: b.file, scope } : undefined), b.seq);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** Type of `pkg.V` / `pkg.F` used as a value. */
  private qualifiedValueType(path: string, name: string): TypeRef | undefined {
    const ext = this.external(path);
    const vt = ext?.varType?.(name);
    if (vt) return { x: vt, file: this.file, scope: undefined, neutral: true };
    const fs = ext?.funcSig?.(name);
    if (fs) return { x: fs.type, file: this.file, scope: undefined, neutral: true };
    return undefined;
  }

  /** The current scope for a TypeRef (while resolving an initialiser: as seen from it). */
  private scopeHere(): Scope | undefined {
    return this.seqLimit === undefined ? this.scope : { vars: undefined, parent: this.scope, limit: this.seqLimit };
  }

  /** Evaluate with another file / scope chain current (for inferring types of bindings declared elsewhere). */
  private withScope<T>(file: FileSyntax, scope: Scope | undefined, f: () => T, before?: number): T {
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

  private rangeVarType(rx: A.Expr, which: number, file: FileSyntax, scope: Scope | undefined, depth: number, before: number | undefined): TypeRef | undefined {
    return this.withScope(
      file,
      scope,
      () => {
        const t = this.typeOf(rx, depth + 1);
        if (!t || !('x' in t)) return undefined;
        let u = this.underlying(t, depth + 1);
        if (!u || !('x' in u)) return undefined;
        let ux = unparen(u.x);
        if (ux.k === 'UnaryExpr' && ux.op === '*') {
          // a pointer to an array
          u = this.underlying({ ...u, x: ux.x }, depth + 1);
          if (!u || !('x' in u)) return undefined;
          ux = unparen(u.x);
          if (ux.k !== 'ArrayType') return undefined;
        }
        const predeclared = (name: string): TypeRef => ({ x: { k: 'Name', t: 0, value: name }, file, scope: undefined, neutral: true });
        if (ux.k === 'ArrayType') return which === 0 ? predeclared('int') : { ...u, x: ux.elem };
        if (ux.k === 'Name' && ux.value === 'string') return predeclared(which === 0 ? 'int' : 'rune');
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
      },
      before,
    );
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
    const imp = this.env.importNames.get(file.name)?.get(pkgName);
    return imp === undefined ? undefined : this.canonicalImport(imp);
  }

  /** The path the compiler knows an import by (`vendor/golang.org/x/…` for the standard library's vendored packages). */
  private canonicalImport(imp: string): string {
    return this.env.resolver?.(imp)?.path ?? imp;
  }

  /** Type of result `i` of a call. */
  private resultType(call: A.CallExpr, i: number, depth: number): TypeRef | undefined {
    if (depth > MAX_TYPE_DEPTH) return undefined;
    let fun = unparen(call.fun);
    if (fun.k === 'IndexExpr') {
      const inst = this.instantiatedFunc(fun);
      if (inst) return 'x' in inst && inst.x.k === 'FuncType' ? this.nthResult(inst.x, i, inst.file, undefined, true) : undefined;
      fun = unparen(fun.x);
    }
    if (fun.k === 'Name') {
      const b = this.lookup(fun.value);
      if (!b) {
        if ((fun.value === 'new' || fun.value === 'make') && call.args.length) {
          const t = call.args[0];
          return { x: fun.value === 'new' ? { k: 'UnaryExpr', t: t.t, op: '*', x: t } : t, file: this.file, scope: this.scopeHere() };
        }
        if ((fun.value === 'append' || fun.value === 'min' || fun.value === 'max') && call.args.length && i === 0) return this.typeOf(call.args[0], depth + 1);
        const basic = BUILTIN_RESULTS[fun.value];
        if (basic && i === 0) return { x: { k: 'Name', t: fun.t, value: basic }, file: this.file, scope: undefined, neutral: true };
        if (PREDECLARED_TYPES.has(fun.value)) return { x: fun, file: this.file, scope: undefined };
        return undefined;
      }
      if (b.kind === 'type') return { x: fun, file: this.file, scope: this.scopeHere() };
      if (b.kind === 'func' && b.pkgFunc) {
        const pf = b.pkgFunc;
        if (pf.type.typeParams?.length) {
          const inferred = this.inferredResult(this.genericSig(pf, b.file), call, i, depth);
          if (inferred) return inferred;
        }
        return this.nthResult(pf.type, i, b.file, undefined);
      }
      if (b.kind === 'func' && b.dotPath !== undefined) {
        const fs = this.external(b.dotPath)?.funcSig?.(fun.value);
        if (fs) return fs.typeParams?.length ? this.inferredResult(fs, call, i, depth) : this.nthResult(fs.type, i, this.file, undefined, true);
        return undefined;
      }
    }
    if (fun.k === 'SelectorExpr') {
      const x = unparen(fun.x);
      if (x.k === 'Name') {
        const b = this.lookup(x.value);
        if (b && b.kind === 'import' && b.importPath === 'unsafe') return this.unsafeResult(fun.sel.value, call, depth);
        if (b && b.kind === 'import' && b.importPath !== undefined) {
          const ext = this.external(b.importPath);
          const fs = ext?.funcSig?.(fun.sel.value);
          if (fs && !fs.typeParams?.length) return this.nthResult(fs.type, i, this.file, undefined, true);
          const inferred = fs ? this.inferredResult(fs, call, i, depth) : undefined;
          if (inferred) return inferred;
          const f = ext?.func?.(fun.sel.value);
          if (f && f.resultIsFunc[i]) return { ext: 'func' };
          if (f?.resultTypes?.[i]) return this.extTypeRef(f.resultTypes[i] as { path: string; name: string });
          if (ext?.isFuncType?.(fun.sel.value)) return { ext: 'func' }; // conversion to a func type
          if (ext?.typeInfo?.(fun.sel.value)) return this.extTypeRef({ path: b.importPath, name: fun.sel.value }); // conversion
          return undefined;
        }
      }
      // a method call: the method's (or interface method's) signature
      const xt = this.typeOf(fun.x, depth + 1);
      const s = this.selection(xt, fun.sel.value, 0);
      if (s && s.kind !== 'field' && s.sig && 'x' in s.sig) {
        const sx = unparen(s.sig.x);
        if (sx.k === 'FuncType') return this.nthResult(sx, i, s.sig.file, s.sig.scope, s.sig.neutral);
      }
      // method of a type from another package (facts only): x.M() with x of type pkg.T / *pkg.T
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
    // a conversion T(x), (*T)(x), []T(x), func(…)(x)
    if (call.args.length === 1 && !call.dots && fun.k !== 'Name' && fun.k !== 'SelectorExpr' && this.isTypeExpr(fun))
      return { x: fun, file: this.file, scope: this.scopeHere() };
    const ft = this.typeOf(fun, depth + 1);
    if (!ft) return undefined;
    if (!('x' in ft)) return undefined;
    const u = this.underlying(ft, depth + 1);
    if (u && 'x' in u && u.x.k === 'FuncType') return this.nthResult(u.x, i, u.file, u.scope, u.neutral);
    // a conversion T(x)
    const fu = unparen(fun);
    if (fu.k === 'Name') {
      const b = this.lookup(fu.value);
      if (b && b.kind === 'type') return { x: fu, file: this.file, scope: this.scopeHere() };
    }
    return undefined;
  }

  /** Result types of package unsafe's builtins. */
  private unsafeResult(name: string, call: A.CallExpr, depth: number): TypeRef | undefined {
    const neutralName = (v: string): TypeRef => ({ x: { k: 'Name', t: call.t, value: v }, file: this.file, scope: undefined, neutral: true });
    switch (name) {
      case 'Pointer':
      case 'Add':
        return { x: extName('unsafe', 'Pointer', call.t), file: this.file, scope: undefined, neutral: true };
      case 'Sizeof':
      case 'Alignof':
      case 'Offsetof':
        return neutralName('uintptr');
      case 'String':
        return neutralName('string');
      case 'StringData':
        return { x: { k: 'UnaryExpr', t: call.t, op: '*', x: { k: 'Name', t: call.t, value: 'byte' } }, file: this.file, scope: undefined, neutral: true };
      case 'Slice': {
        // unsafe.Slice(p *T, n) []T
        const pt = call.args.length ? this.typeOf(call.args[0], depth + 1) : undefined;
        if (!pt || !('x' in pt)) return undefined;
        const u = this.underlying(pt, depth + 1);
        if (!u || !('x' in u)) return undefined;
        const ux = unparen(u.x);
        if (ux.k !== 'UnaryExpr' || ux.op !== '*') return undefined;
        return { ...u, x: { k: 'ArrayType', t: call.t, len: undefined, elem: ux.x } };
      }
      case 'SliceData': {
        const st = call.args.length ? this.typeOf(call.args[0], depth + 1) : undefined;
        if (!st || !('x' in st)) return undefined;
        const u = this.underlying(st, depth + 1);
        if (!u || !('x' in u) || u.x.k !== 'ArrayType') return undefined;
        return { ...u, x: { k: 'UnaryExpr', t: call.t, op: '*', x: u.x.elem } };
      }
      default:
        return undefined;
    }
  }

  /**
   * Result `i` of a call of a generic function with inferred type arguments: the parameters'
   * types are unified with the arguments' (no constraint type inference, no untyped constants).
   */
  private inferredResult(sig: NeutralFunc, call: A.CallExpr, i: number, depth: number): TypeRef | undefined {
    const tparams = sig.typeParams ?? [];
    const tps = new Set(tparams);
    const bound = new Map<string, A.Expr>();
    const unify = (p: A.Expr, a: A.Expr, d: number): void => {
      if (d > 12) return;
      p = unparen(p);
      a = unparen(a);
      if (p.k === 'Name' && tps.has(p.value)) {
        if (!bound.has(p.value)) bound.set(p.value, a);
        return;
      }
      if (p.k !== a.k) return;
      switch (p.k) {
        case 'UnaryExpr':
          unify(p.x, (a as A.UnaryExpr).x, d + 1);
          return;
        case 'ArrayType':
        case 'ChanType':
        case 'EllipsisType':
          unify(p.elem, (a as A.ArrayType).elem, d + 1);
          return;
        case 'MapType':
          unify(p.key, (a as A.MapType).key, d + 1);
          unify(p.value, (a as A.MapType).value, d + 1);
          return;
        case 'IndexExpr': {
          const ai = a as A.IndexExpr;
          if (p.indices.length === ai.indices.length) p.indices.forEach((x, k) => unify(x, ai.indices[k], d + 1));
          return;
        }
        case 'FuncType': {
          const af = a as A.FuncType;
          const flat = (fs: A.Field[]): A.Expr[] => fs.flatMap((f) => new Array<A.Expr>(Math.max(1, f.names.length)).fill(f.type));
          const [pp, ap, pr, ar] = [flat(p.params), flat(af.params), flat(p.results), flat(af.results)];
          if (pp.length === ap.length) pp.forEach((x, k) => unify(x, ap[k], d + 1));
          if (pr.length === ar.length) pr.forEach((x, k) => unify(x, ar[k], d + 1));
          return;
        }
        default:
          return;
      }
    };
    const params = sig.type.params.flatMap((f) => new Array<A.Expr>(Math.max(1, f.names.length)).fill(f.type));
    call.args.forEach((arg, k) => {
      let p = params[Math.min(k, params.length - 1)];
      if (!p) return;
      if (p.k === 'EllipsisType' && !call.dots) p = p.elem;
      else if (p.k === 'EllipsisType') p = { k: 'ArrayType', t: p.t, len: undefined, elem: p.elem };
      const at = this.typeOf(arg, depth + 1);
      if (!at || !('x' in at)) return;
      unify(p, at.neutral ? at.x : this.neutral(at.x, at.file, at.scope, 0), 0);
    });
    // core types of constraints (`S ~[]E`, `M ~map[K]V`): unify them with the bound arguments
    for (let pass = 0; pass < 3 && !tparams.every((p) => bound.has(p)); pass++) {
      tparams.forEach((p, k) => {
        const a = bound.get(p);
        let c = sig.constraints?.[k];
        if (!a || !c) return;
        c = unparen(c);
        if (c.k === 'InterfaceType' && c.methods.length === 0 && c.embeds.length === 1) c = unparen(c.embeds[0]);
        if (c.k === 'UnaryExpr' && c.op === '~') c = unparen(c.x);
        if (c.k !== 'ArrayType' && c.k !== 'MapType' && c.k !== 'ChanType' && c.k !== 'FuncType' && c.k !== 'UnaryExpr') return;
        const u = this.underlying({ x: a, file: this.file, scope: undefined, neutral: true }, depth + 1);
        if (u && 'x' in u) unify(c, u.neutral ? u.x : this.neutral(u.x, u.file, u.scope, 0), 0);
      });
    }
    if (!tparams.every((p) => bound.has(p))) return undefined;
    const ft = substitute(sig.type, bound) as A.FuncType;
    return this.nthResult(ft, i, this.file, undefined, true);
  }

  /** A generic package function's neutral signature, type parameters and constraints. */
  private genericSig(pf: A.FuncDecl, file: FileSyntax): NeutralFunc {
    const tps = (pf.type.typeParams ?? []).flatMap((p) => p.names.map((n) => n.value));
    return this.withScope(file, undefined, () => {
      const scope = this.typeParamScope(tps, file);
      const r: NeutralFunc = { type: this.neutral(pf.type, file, scope, 0) as A.FuncType, generic: tps.length > 0 };
      if (tps.length) {
        r.typeParams = tps.map((p) => TPARAM_PREFIX + p);
        r.constraints = (pf.type.typeParams ?? []).flatMap((f) => f.names.map(() => this.neutral(f.type, file, scope, 0)));
      }
      return r;
    });
  }

  /** The signature of `F[T…]` / `pkg.F[T…]` with the type arguments substituted (neutral). */
  private instantiatedFunc(x: A.IndexExpr): TypeRef | undefined {
    const f = unparen(x.x);
    if (f.k === 'Name') {
      const b = this.lookup(f.value);
      if (!b || b.kind !== 'func' || !b.pkgFunc?.type.typeParams?.length) return undefined;
      const tps = b.pkgFunc.type.typeParams.flatMap((p) => p.names.map((n) => n.value));
      const pf = b.pkgFunc;
      const n = this.withScope(b.file, undefined, () => this.neutral(pf.type, b.file, this.typeParamScope(tps, b.file), 0));
      return this.instantiate({ type: n, typeParams: tps.map((p) => TPARAM_PREFIX + p) }, x.indices, { file: this.file, scope: this.scopeHere() });
    }
    if (f.k === 'SelectorExpr' && f.x.k === 'Name') {
      const b = this.lookup(f.x.value);
      if (!b || b.kind !== 'import' || b.importPath === undefined) return undefined;
      const fs = this.external(b.importPath)?.funcSig?.(f.sel.value);
      if (!fs?.typeParams?.length) return undefined;
      return this.instantiate(fs, x.indices, { file: this.file, scope: this.scopeHere() });
    }
    return undefined;
  }

  private nthResult(ft: A.FuncType, i: number, file: FileSyntax, scope: Scope | undefined, neutral?: boolean): TypeRef | undefined {
    let k = 0;
    for (const f of ft.results) {
      const n = Math.max(1, f.names.length);
      if (i < k + n) return neutral ? { x: f.type, file, scope, neutral } : { x: f.type, file, scope };
      k += n;
    }
    return undefined;
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

  /** Follow named types (local, package, other packages; generic ones instantiated) to their underlying type expression. */
  private underlying(t: TypeRef, depth: number): TypeRef | undefined {
    if (!('x' in t)) return t;
    let cur: TypeRef = t;
    for (let i = 0; i < 10 && 'x' in cur; i++) {
      let x = unparen(cur.x);
      let args: A.Expr[] | undefined;
      if (x.k === 'IndexExpr') {
        args = x.indices;
        x = unparen(x.x);
      }
      const own = this.ownTypeName(cur, x);
      if (own !== undefined) {
        this.touch('n:' + own);
        const pt = this.env.types.get(own);
        if (!pt) return undefined;
        if (args && pt.node.typeParams?.length) {
          const inst = this.instantiate(this.ownTypeDecl(own), args, cur);
          if (inst) {
            cur = inst;
            continue;
          }
        }
        cur = { x: pt.node.type, file: pt.file, scope: undefined };
        continue;
      }
      if (x.k === 'Name' && cur.neutral) {
        // predeclared; type parameters and local types of another package are opaque
        const v = x.value;
        if (v.startsWith(TPARAM_PREFIX)) {
          const tp = this.lookup(v.slice(TPARAM_PREFIX.length));
          return tp && tp.kind === 'typeparam' ? this.coreTypeOfConstraint(tp, depth) : undefined;
        }
        if (v.startsWith(LOCAL_PREFIX) || v === UNKNOWN_TYPE) return undefined;
        return { ...cur, x };
      }
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
        // type parameter of the function being walked (declared in the function's scope)
        const tp = this.lookup(x.value);
        if (tp && tp.kind === 'typeparam') return this.coreTypeOfConstraint(tp, depth);
        if (tp && tp.kind === 'type' && tp.dotPath !== undefined && tp.type) {
          cur = { x: args ? { k: 'IndexExpr', t: x.t, x: tp.type, indices: args, lbrack: x.t } : tp.type, file: cur.file, scope: cur.scope };
          continue;
        }
        return { ...cur, x };
      }
      if (x.k === 'SelectorExpr' && x.x.k === 'Name') {
        const imp = this.importPathOf(x.x.value, cur.file);
        if (imp === undefined) return undefined;
        const ext = this.external(imp);
        const decl = ext?.typeDecl?.(x.sel.value);
        if (decl) {
          const inst: TypeRef | undefined = args && decl.typeParams?.length ? this.instantiate(decl, args, cur) : undefined;
          cur = inst ?? { x: decl.type, file: cur.file, scope: undefined, neutral: true };
          continue;
        }
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
    return cur;
  }

  /**
   * The name of this package's package-level named type that `x` (the base of a type, without
   * type arguments) denotes in `t`'s scope: a plain name not declared locally, or the neutral
   * spelling with this package's path.
   */
  private ownTypeName(t: { scope: Scope | undefined; neutral?: boolean; file: FileSyntax }, x: A.Expr): string | undefined {
    if (x.k === 'Name') {
      if (t.neutral) return undefined;
      if (this.lookupIn(t.scope, x.value)) return undefined;
      this.touch('n:' + x.value);
      return this.env.types.has(x.value) ? x.value : undefined;
    }
    if (x.k === 'SelectorExpr' && x.x.k === 'Name' && x.x.value.startsWith(EXT_PREFIX) && x.x.value.slice(EXT_PREFIX.length) === this.pkgPath)
      return x.sel.value;
    return undefined;
  }

  /** A generic declaration with type arguments substituted (neutral), or undefined on a count mismatch. */
  private instantiate(
    d: { type: A.Expr; typeParams?: string[] } | undefined,
    args: A.Expr[],
    at: { file: FileSyntax; scope: Scope | undefined; neutral?: boolean },
  ): TypeRef | undefined {
    if (!d || !d.typeParams || d.typeParams.length !== args.length) return undefined;
    const map = new Map<string, A.Expr>();
    d.typeParams.forEach((p, i) => map.set(p, at.neutral ? args[i] : this.neutral(args[i], at.file, at.scope, 0)));
    return { x: substitute(d.type, map), file: at.file, scope: undefined, neutral: true };
  }

  private coreTypeOfConstraint(b: Binding, depth: number): TypeRef | undefined {
    if (!b.type || depth > MAX_TYPE_DEPTH) return undefined;
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

/** Name of an embedded field: the type name without pointer, package and type arguments. */
function embeddedFieldName(t: A.Expr): string | undefined {
  let x = unparen(t);
  if (x.k === 'UnaryExpr' && x.op === '*') x = unparen(x.x);
  if (x.k === 'IndexExpr') x = unparen(x.x);
  if (x.k === 'Name') return x.value;
  if (x.k === 'SelectorExpr') return x.sel.value;
  return undefined;
}
