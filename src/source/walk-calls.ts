/**
 * Call sites: recording a call (position, callee text, kind, dispatch), range-over-func calls,
 * and whether a go/defer call gets a wrapper (`typecheck.normalizeGoDeferCall`).
 */
import type * as A from './ast';
import { byteColumn, lineStart, ownSlice, tokenEnd, tokenLine, tokenStart } from './lexer';
import type { CallKind, CallSite } from './model';
import { GENERIC_PLACEHOLDER, methodName, pathToPrefix } from './names';
import { BUILTIN_FUNCS, PREDECLARED_TYPES } from './package-env';
import { unparen } from './parser';
import { countFields, type Binding, type FnCtx } from './walk-model';
import { WalkDispatch } from './walk-dispatch';

export abstract class WalkCalls extends WalkDispatch {
  protected recordCall(call: A.CallExpr, ctx: FnCtx, funLitName: string | undefined): CallSite | undefined {
    const owner = ctx.entry;
    if (!owner || !this.emit) return undefined;
    const ts = this.ts;
    const lp = call.lparen;
    const physLine = tokenLine(ts, lp);
    const line = this.relLine(lp);
    const offset = tokenStart(ts, lp);
    const site: CallSite = {
      line,
      physicalLine: physLine,
      col: byteColumn(ts, offset, physLine),
      character: offset - lineStart(ts, physLine),
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
      site.callee = ownSlice(ts.src, tokenStart(ts, call.fun.t), tokenEnd(ts, lp - 1));
      let explicitTypeArgs = false;
      if (fun.k === 'IndexExpr' && this.isInstantiation(fun)) {
        fun = unparen(fun.x);
        explicitTypeArgs = true;
      }
      this.recvType = undefined;
      this.classify(fun, site, explicitTypeArgs);
      try {
        this.classifyDispatch(fun, site, ctx);
      } catch (e) {
        // type inference is best effort; never lose the call site over it
        site.dispatch = 'unknown';
        this.approximations.push(`dispatch of ${site.callee}: ${(e as Error).message}`);
      } finally {
        this.recvType = undefined;
      }
    }
    owner.calls.push(site);
    return site;
  }

  /** `F[T]` / `pkg.F[T]` / `T[int]` (instantiation or generic type) rather than indexing a value. */
  protected isInstantiation(x: A.IndexExpr): boolean {
    const inner = unparen(x.x);
    if (inner.k === 'Name') {
      const b = this.lookup(inner.value);
      return !b || b.kind === 'func' || b.kind === 'type' || b.kind === 'typeparam';
    }
    if (inner.k === 'SelectorExpr' && inner.x.k === 'Name') {
      const path = this.packageOf(inner.x);
      if (path === undefined) return false;
      return this.external(path)?.objKind?.(inner.sel.value) !== 'var';
    }
    return false;
  }

  /**
   * A range-over-func loop is rewritten into a call of the iterator with the body closure,
   * positioned at the `for` keyword; record it as a call site of the enclosing function.
   */
  protected recordRangeCall(s: A.RangeStmt, ctx: FnCtx, bodySymbol: string): void {
    const owner = ctx.entry;
    if (!owner || !this.emit) return;
    const ts = this.ts;
    const t = s.t;
    const physLine = tokenLine(ts, t);
    const line = this.relLine(t);
    const offset = tokenStart(ts, t);
    const x = s.x;
    const xEnd = s.body.t - 1;
    const site: CallSite = {
      line,
      physicalLine: physLine,
      col: byteColumn(ts, offset, physLine),
      character: offset - lineStart(ts, physLine),
      offset: line - owner.startLine,
      callee: ownSlice(ts.src, tokenStart(ts, x.t), tokenEnd(ts, xEnd)),
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

  protected classify(fun: A.Expr, site: CallSite, explicitTypeArgs: boolean): void {
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
      const path = this.packageOf(x);
      if (path === 'unsafe') {
        // unsafe.Sizeof, unsafe.Add, …: builtins of package unsafe, not functions
        kind = fun.sel.value === 'Pointer' ? 'conversion' : 'builtin';
        site.pkgPath = 'unsafe';
      } else if (path !== undefined) {
        kind = 'qualified';
        site.pkgPath = path;
        const ext = this.external(path);
        if (ext?.typeInfo?.(fun.sel.value) || ext?.isFuncType?.(fun.sel.value)) kind = 'conversion';
        else {
          const generic = explicitTypeArgs || !!ext?.func?.(fun.sel.value)?.generic;
          site.calleeSymbol = pathToPrefix(path) + '.' + fun.sel.value + (generic ? GENERIC_PLACEHOLDER : '');
        }
      } else {
        kind = 'method';
        const sym = this.resolveMethodSymbol(fun, x.k === 'Name' ? this.lookup(x.value) : undefined);
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
  protected resolveMethodSymbol(fun: A.SelectorExpr, xb: Binding | undefined): string | undefined {
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
      this.recvType = { x: fun.x, t };
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

  /** `normalizeGoDeferCall`: a wrapper unless the call is OCALLFUNC with no params and no results. */
  protected goDeferNeedsWrapper(call: A.CallExpr): boolean {
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
          const path = this.packageOf(x);
          if (path !== undefined) {
            const ext = this.external(path);
            const f = ext?.func?.(fun.sel.value);
            if (f) return f.generic || f.params + f.results > 0;
            this.approximations.push(`go/defer of ${x.value}.${fun.sel.value}(): signature unknown`);
            return argsGuess;
          }
          if (this.lookup(x.value)?.kind === 'type') return true; // method expression: the receiver is an argument
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
}
