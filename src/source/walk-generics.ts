/**
 * Generic code: signatures of generic functions, explicit and inferred instantiation, and which
 * expressions mention the type parameters of the code being walked (dictionary closures).
 */
import type * as A from './ast';
import type { FileSyntax, NeutralFunc } from './package-env';
import { unparen } from './parser';
import { substitute, TPARAM_PREFIX } from './types';
import { sole, type FnCtx, type TypeRef } from './walk-model';
import { WalkSelection } from './walk-selection';

export abstract class WalkGenerics extends WalkSelection {
  /** The static type of an expression (walk-infer.ts). */
  protected abstract typeOf(x: A.Expr, depth?: number): TypeRef | undefined;

  /** A generic package function's neutral signature, type parameters and constraints. */
  protected genericSig(pf: A.FuncDecl, file: FileSyntax): NeutralFunc {
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
  protected instantiatedFunc(x: A.IndexExpr): TypeRef | undefined {
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
      const path = this.packageOf(f.x);
      if (path === undefined) return undefined;
      const fs = this.external(path)?.funcSig?.(f.sel.value);
      if (!fs?.typeParams?.length) return undefined;
      return this.instantiate(fs, x.indices, { file: this.file, scope: this.scopeHere() });
    }
    return undefined;
  }

  /**
   * Result `i` of a call of a generic function with inferred type arguments: the parameters'
   * types are unified with the arguments' (no constraint type inference, no untyped constants).
   */
  protected inferredResult(sig: NeutralFunc, call: A.CallExpr, i: number, depth: number): TypeRef | undefined {
    const tparams = sig.typeParams ?? [];
    const tps = new Set(tparams);
    const bound = new Map<string, A.Expr>();
    const unify = (p: A.Expr, a: A.Expr | undefined, d: number): void => {
      if (!a || d > 12) return;
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
        const embed = c.k === 'InterfaceType' && c.methods.length === 0 ? sole(c.embeds) : undefined;
        if (embed) c = unparen(embed);
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

  /** `F` / `pkg.F` naming a generic function (package-local: known; imported: from the resolver). */
  protected isGenericFuncRef(x: A.Expr): boolean {
    x = unparen(x);
    if (x.k === 'Name') {
      const b = this.lookup(x.value);
      return !!(b && b.kind === 'func' && b.pkgFunc?.type.typeParams?.length);
    }
    if (x.k === 'SelectorExpr' && x.x.k === 'Name') {
      const path = this.packageOf(x.x);
      if (path !== undefined) {
        const ext = this.external(path);
        if (ext?.func?.(x.sel.value)?.generic) return true;
        // unknown: explicit index on a qualified function name is an instantiation unless it is a
        // package-level slice/map variable; treat as instantiation when the index names a type
        return false;
      }
    }
    return false;
  }

  protected mentionsTypeParams(x: A.Expr | undefined, ctx: FnCtx): boolean {
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
  protected isDerivedMethodValue(x: A.SelectorExpr, ctx: FnCtx): boolean {
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
}
