/**
 * Call dispatch as PGO devirtualization sees it (`pgoir.DirectCallee`, `ir.StaticValue`):
 * static, interface or function-value calls, with their callee symbols and function types.
 */
import type * as A from './ast';
import type { CallSite } from './model';
import { GENERIC_PLACEHOLDER, methodName, pathToPrefix } from './names';
import { PREDECLARED_TYPES } from './package-env';
import { unparen } from './parser';
import { sole, type Binding, type FnCtx, type TypeRef } from './walk-model';
import { WalkInfer } from './walk-infer';

export abstract class WalkDispatch extends WalkInfer {
  /**
   * The receiver type of the method call being recorded, as `classify` computed it
   * (`resolveMethodSymbol`), so `classifyDispatch` does not infer it again: nothing between the
   * two changes scopes or declarations. `recordCall` clears it around each call.
   */
  protected recvType: { x: A.Expr; t: TypeRef | undefined } | undefined;

  protected receiverType(x: A.Expr): TypeRef | undefined {
    const m = this.recvType;
    return m && m.x === x ? m.t : this.typeOf(x);
  }

  /** Set `dispatch` (and `calleeSymbol`, `funcType`) of a call whose callee expression is `fun`. */
  protected classifyDispatch(fun: A.Expr, site: CallSite, ctx: FnCtx): void {
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
        const path = this.packageOf(x);
        if (path !== undefined) {
          if (this.external(path)?.objKind?.(fun.sel.value) === 'var') {
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
      const sel = this.selection(this.receiverType(fun.x), fun.sel.value, 0);
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
  protected dispatchValue(fun: A.Expr, site: CallSite, ctx: FnCtx): void {
    const sv = this.staticValue(fun, ctx, 0);
    if (sv && sv.chain.length === 0) {
      site.dispatch = 'static';
      if (sv.symbol) site.calleeSymbol = sv.symbol;
      return;
    }
    this.setFuncValue(site, fun);
    if (sv) this.pending.push({ site, chain: sv.chain, symbol: sv.symbol });
  }

  protected setFuncValue(site: CallSite, fun: A.Expr): void {
    site.dispatch = 'funcvalue';
    const ft = this.funcTypeOf(fun);
    if (ft !== undefined) site.funcType = ft;
  }

  /**
   * `ir.StaticValue` + `pgoir.DirectCallee`: the function an expression certainly evaluates to
   * (symbol undefined for synthetic closures). `chain` lists the local variables looked through;
   * the answer holds if none of them is reassigned.
   */
  protected staticValue(e: A.Expr, ctx: FnCtx, depth: number): { symbol: string | undefined; chain: Binding[] } | undefined {
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
          const path = this.packageOf(base);
          if (path !== undefined) {
            const ext = this.external(path);
            const k = ext?.objKind?.(x.sel.value);
            if (k !== undefined ? k !== 'func' : !!ext?.typeInfo?.(x.sel.value)) return undefined;
            const generic = !!(ext?.funcSig?.(x.sel.value)?.generic ?? ext?.func?.(x.sel.value)?.generic);
            return { symbol: pathToPrefix(path) + '.' + x.sel.value + (generic ? GENERIC_PLACEHOLDER : ''), chain: [] };
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
        if (inner.k === 'SelectorExpr') {
          const path = this.packageOf(inner.x);
          if (path !== undefined) return { symbol: pathToPrefix(path) + '.' + inner.sel.value + GENERIC_PLACEHOLDER, chain: [] };
        }
        return undefined;
      }
      case 'CallExpr': {
        // a conversion between function types is OCONVNOP, which StaticValue looks through
        const arg = sole(x.args);
        if (!arg || x.dots || !this.isTypeExpr(x.fun)) return undefined;
        return this.staticValue(arg, ctx, depth + 1);
      }
      default:
        return undefined;
    }
  }

  protected dotFuncSymbol(path: string, name: string, explicitTypeArgs: boolean): string {
    const generic = explicitTypeArgs || !!this.external(path)?.funcSig?.(name)?.generic;
    return pathToPrefix(path) + '.' + name + (generic ? GENERIC_PLACEHOLDER : '');
  }

  /**
   * `T.M` / `(*T).M` / `pkg.T.M`: undefined if `x` is not a method expression; otherwise the
   * callee symbol when the compiler calls it directly (the receiver matches the method's).
   */
  protected methodExpr(x: A.SelectorExpr): { symbol: string | undefined } | undefined {
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
      const path = this.packageOf(base.x);
      if (path === undefined) return undefined;
      const ext = this.external(path);
      const k = ext?.objKind?.(base.sel.value);
      if (k !== undefined ? k !== 'type' : !ext?.typeInfo?.(base.sel.value)) return undefined;
      const ms = ext?.methodSig?.(base.sel.value, m);
      if (!ms || ms.pointer !== ptr) return { symbol: undefined };
      return { symbol: pathToPrefix(path) + '.' + methodName(base.sel.value, ms.pointer, ms.generic, m) };
    }
    return undefined;
  }

  /** The normalized type of a function-valued expression (see `CallSite.funcType`). */
  protected funcTypeOf(fun: A.Expr): string | undefined {
    const t = this.typeOf(fun);
    if (!t || !('x' in t)) return undefined;
    const u = this.underlying(t, 0);
    if (!u || !('x' in u)) return undefined;
    const ux = unparen(u.x);
    if (ux.k !== 'FuncType') return undefined;
    return this.funcTypeString({ ...u, x: ux });
  }
}
