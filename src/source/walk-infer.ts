/** Best-effort static types of expressions and bindings (no type checker: from syntax). */
import type * as A from './ast';
import { PREDECLARED_TYPES, type FileSyntax } from './package-env';
import { unparen } from './parser';
import { extName } from './types';
import { sole, BUILTIN_RESULTS, COMPARISONS, MAX_TYPE_DEPTH, type Binding, type Scope, type TypeRef } from './walk-model';
import { WalkGenerics } from './walk-generics';

export abstract class WalkInfer extends WalkGenerics {
  /** Best-effort static type of an expression, as a type expression in some scope. */
  protected typeOf(x: A.Expr, depth = 0): TypeRef | undefined {
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
          const path = this.packageOf(base);
          if (path !== undefined) return this.qualifiedValueType(path, x.sel.value);
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

  protected typeOfBinding(b: Binding, depth: number): TypeRef | undefined {
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
  protected qualifiedValueType(path: string, name: string): TypeRef | undefined {
    const ext = this.external(path);
    const vt = ext?.varType?.(name);
    if (vt) return { x: vt, file: this.file, scope: undefined, neutral: true };
    const fs = ext?.funcSig?.(name);
    if (fs) return { x: fs.type, file: this.file, scope: undefined, neutral: true };
    return undefined;
  }

  protected rangeVarType(
    rx: A.Expr,
    which: number,
    file: FileSyntax,
    scope: Scope | undefined,
    depth: number,
    before: number | undefined,
  ): TypeRef | undefined {
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
        const yieldParam = ux.k === 'FuncType' ? sole(ux.params) : undefined;
        if (yieldParam) {
          // func(yield func(K[, V]) bool)
          const y = unparen(yieldParam.type);
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

  /** Type of result `i` of a call. */
  protected resultType(call: A.CallExpr, i: number, depth: number): TypeRef | undefined {
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
        const t = call.args[0];
        if ((fun.value === 'new' || fun.value === 'make') && t) {
          return { x: fun.value === 'new' ? { k: 'UnaryExpr', t: t.t, op: '*', x: t } : t, file: this.file, scope: this.scopeHere() };
        }
        if ((fun.value === 'append' || fun.value === 'min' || fun.value === 'max') && t && i === 0) return this.typeOf(t, depth + 1);
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
        const path = this.packageOf(x);
        if (path === 'unsafe') return this.unsafeResult(fun.sel.value, call, depth);
        if (path !== undefined) {
          const ext = this.external(path);
          const fs = ext?.funcSig?.(fun.sel.value);
          if (fs && !fs.typeParams?.length) return this.nthResult(fs.type, i, this.file, undefined, true);
          const inferred = fs ? this.inferredResult(fs, call, i, depth) : undefined;
          if (inferred) return inferred;
          const f = ext?.func?.(fun.sel.value);
          if (f && f.resultIsFunc[i]) return { ext: 'func' };
          if (f?.resultTypes?.[i]) return this.extTypeRef(f.resultTypes[i] as { path: string; name: string });
          if (ext?.isFuncType?.(fun.sel.value)) return { ext: 'func' }; // conversion to a func type
          if (ext?.typeInfo?.(fun.sel.value)) return this.extTypeRef({ path, name: fun.sel.value }); // conversion
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
  protected unsafeResult(name: string, call: A.CallExpr, depth: number): TypeRef | undefined {
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
        const arg = call.args[0];
        const pt = arg ? this.typeOf(arg, depth + 1) : undefined;
        if (!pt || !('x' in pt)) return undefined;
        const u = this.underlying(pt, depth + 1);
        if (!u || !('x' in u)) return undefined;
        const ux = unparen(u.x);
        if (ux.k !== 'UnaryExpr' || ux.op !== '*') return undefined;
        return { ...u, x: { k: 'ArrayType', t: call.t, len: undefined, elem: ux.x } };
      }
      case 'SliceData': {
        const arg = call.args[0];
        const st = arg ? this.typeOf(arg, depth + 1) : undefined;
        if (!st || !('x' in st)) return undefined;
        const u = this.underlying(st, depth + 1);
        if (!u || !('x' in u) || u.x.k !== 'ArrayType') return undefined;
        return { ...u, x: { k: 'UnaryExpr', t: call.t, op: '*', x: u.x.elem } };
      }
      default:
        return undefined;
    }
  }

  /** Whether an expression denotes a type (for conversions). */
  protected isTypeExpr(e: A.Expr): boolean {
    const x = unparen(e);
    switch (x.k) {
      case 'Name': {
        const b = this.lookup(x.value);
        if (!b) return PREDECLARED_TYPES.has(x.value);
        return b.kind === 'type' || b.kind === 'typeparam';
      }
      case 'SelectorExpr': {
        if (x.x.k !== 'Name') return false;
        const path = this.packageOf(x.x);
        if (path === undefined) return false;
        if (path === 'unsafe') return x.sel.value === 'Pointer';
        const ext = this.external(path);
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
}
