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
 *
 * `Walker` is one class built in layers, one concern per file, each extending the one before:
 * walk-scope.ts (state, scopes, name resolution, constants) → walk-type-exprs.ts → walk-selection.ts
 * → walk-generics.ts → walk-infer.ts → walk-dispatch.ts → walk-calls.ts → walk-exprs.ts →
 * walk-stmts.ts → this file (the entry points, and what importers ask about this package). A
 * layer that needs a later one declares that method `abstract`. closure-names.ts allocates
 * closure names; walk-model.ts holds the shared types.
 */
import type * as A from './ast';
import { evalConst } from './consts';
import type { FuncEntry, FuncKind } from './model';
import { GENERIC_PLACEHOLDER, methodName } from './names';
import { aliasTarget, PREDECLARED_TYPES, receiverInfo, type ExternalType, type FileSyntax, type NeutralFunc, type NeutralMethod } from './package-env';
import { unparen } from './parser';
import { TPARAM_PREFIX } from './types';
import { estimateInlineCost } from './inline-cost';
import { linknames, newCtx } from './closure-names';
import { unparenType, type InitContext, type WalkResult } from './walk-model';
import { WalkStmts } from './walk-stmts';
import { tokenStart } from './lexer';

export { linknames } from './closure-names';
export type { InitContext, WalkResult, WalkerOptions } from './walk-model';

export class Walker extends WalkStmts {
  /**
   * One-shot walks (`track` off: `indexPackage`, the report): declared signatures by file and the
   * text from the parameter list's `(` to the body's `{`. The string is a function of that text,
   * the file's imports and the package-level declarations (package scope: no local names), so
   * equal keys give equal signatures (`func (v *Value) bool` for most of ssa's 5,600 functions).
   * Off when tracking: a result kept across index() calls would have to be re-validated.
   */
  private readonly declSigs = new Map<string, string | null>();

  private declSignature(file: FileSyntax, decl: A.FuncDecl): string | undefined {
    const open = decl.bodyRange?.[0];
    if (this.track || open === undefined) return this.signatureOf(decl.type, file);
    const ts = file.ts;
    const key = file.name + '\0' + ts.src.slice(tokenStart(ts, decl.name.t + 1), tokenStart(ts, open));
    const hit = this.declSigs.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const sig = this.signatureOf(decl.type, file);
    this.declSigs.set(key, sig ?? null);
    return sig;
  }

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
      const sig = this.declSignature(file, decl);
      if (sig !== undefined) entry.signature = sig;
    }
    const ctx = newCtx(entry, name, false, undefined, typeParams, generic, false);
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
    const ctx = initCtx ? initCtx.ctx : newCtx(undefined, 'init', false, undefined, new Set(), false, false);
    for (const x of exprs) this.walkExpr(x, ctx);
    if (initCtx) initCtx.ctx = ctx;
    return this.end();
  }

  /** The shared context of the synthetic `init` function for package-level var closures. */
  newInitContext(entry: FuncEntry, firstLit: number): InitContext {
    // Go 1.21 named package-scope closures glob..funcN; 1.22+ makes them children of `init`.
    const ctx = newCtx(entry, this.goMinor >= 22 ? 'init' : 'glob.', false, undefined, new Set(), false, false);
    ctx.gen.lit = firstLit;
    return { ctx };
  }

  /** Number of literals allocated so far in an init context. */
  static litCount(ic: InitContext): number {
    return ic.ctx.gen.lit;
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

  protected isInterfaceType(t: A.Expr, file: FileSyntax): boolean {
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
    const x = spec.values[index];
    if (spec.values.length !== spec.names.length || !x || spec.names[index]?.value === '_') return false;
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
          if (this.packageOf(e.x) !== undefined) {
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
}
