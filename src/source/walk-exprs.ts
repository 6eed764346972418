/**
 * The walk of expressions in the order the unified IR reader visits them: function literals
 * (named here), calls, selectors and index expressions (synthetic dictionary closures in generic
 * code), package-level dependencies and `ir.Reassigned`.
 */
import type * as A from './ast';
import type { CallSite } from './model';
import { PREDECLARED_TYPES } from './package-env';
import { unparen } from './parser';
import { childName, newCtx } from './closure-names';
import type { FnCtx, TypeRef } from './walk-model';
import { WalkCalls } from './walk-calls';

export abstract class WalkExprs extends WalkCalls {
  /** Statements of a body (walk-stmts.ts). */
  protected abstract walkStmtList(list: A.Stmt[], ctx: FnCtx): void;

  protected walkExprs(xs: A.Expr[], ctx: FnCtx): void {
    for (const x of xs) this.walkExpr(x, ctx);
  }

  protected walkExpr(x: A.Expr | undefined, ctx: FnCtx): void {
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

  protected isStructLit(x: A.CompositeLit): boolean {
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

  protected walkFuncLit(x: A.FuncLit, ctx: FnCtx): string {
    const name = childName(ctx, 'lit');
    this.litSymbols.set(x, this.prefix + '.' + name);
    const entry = this.emit ? this.makeEntry(name, 'closure', x.t, x.body.rbrace, ctx.generic, ctx.entry?.symbol) : undefined;
    if (entry && !ctx.generic) {
      // A function-value call devirtualizes only to a callee whose type is identical to the called one (devirtualize/pgo.go
      // findHotConcreteFunctionCallee skips the others, closures included, before it rejects a closure as the hottest): the
      // literal's type in the scope it is written in, as the call's funcType is.
      const sig = this.funcTypeString({ x: x.type, file: this.file, scope: this.scope });
      if (sig !== undefined) entry.signature = sig;
    }
    const c = newCtx(entry, name, true, undefined, ctx.typeParams, ctx.generic, false);
    if (!entry) c.startLine = this.relLine(x.t);
    this.pushScope();
    this.declareFields(x.type.params);
    this.declareFields(x.type.results);
    this.walkStmtList(x.body.list, c);
    this.popScope();
    return name;
  }

  protected useName(x: A.Name, ctx: FnCtx, isCallee: boolean): void {
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
  protected markAssigned(x: A.Expr): void {
    const u = unparen(x);
    if (u.k !== 'Name') return;
    const b = this.lookup(u.value);
    if (b && b.kind === 'var' && !b.pkgLevel) b.reassigned = true;
  }

  protected walkSelector(x: A.SelectorExpr, ctx: FnCtx, isCallee: boolean): void {
    const base = unparen(x.x);
    if (base.k === 'Name') {
      if (this.packageOf(base) !== undefined) {
        // qualified identifier: pkg.F used as a value inside generic code with inferred type
        // arguments cannot be detected without export data; nothing to walk.
        return;
      }
      const b = this.lookup(base.value);
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
  protected methodDeps(m: string, t: TypeRef | undefined): void {
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

  protected selectorDotTok(x: A.SelectorExpr): number {
    return x.sel.t - 1;
  }

  protected walkIndex(x: A.IndexExpr, ctx: FnCtx, isCallee: boolean): void {
    const base = unparen(x.x);
    // explicit instantiation of a generic function: F[T] / pkg.F[T]
    const qualifiedInst = base.k === 'SelectorExpr' && this.packageOf(base.x) !== undefined && x.indices.some((i) => this.mentionsTypeParams(i, ctx));
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

  protected synthetic(tok: number, ctx: FnCtx): void {
    const name = childName(ctx, 'lit');
    if (this.emit) this.makeEntry(name, 'synthetic', tok, tok, ctx.generic, ctx.entry?.symbol);
  }

  /** Walk a call (operands first, in source order), record its site, return the site. */
  protected walkCall(call: A.CallExpr, ctx: FnCtx): CallSite | undefined {
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
}
