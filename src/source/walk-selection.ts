/** Go's selector lookup (`x.sel`): methods and fields through pointers and embedded fields. */
import type * as A from './ast';
import { methodName, pathToPrefix } from './names';
import { receiverInfo } from './package-env';
import { unparen } from './parser';
import { LOCAL_PREFIX, TPARAM_PREFIX } from './types';
import { embeddedFieldName, type Binding, type Selection, type TypeRef } from './walk-model';
import { WalkTypeExprs } from './walk-type-exprs';

export abstract class WalkSelection extends WalkTypeExprs {
  /** Go's selector lookup of `sel` on a value of type `t`: through pointers and embedded fields, shallowest first. */
  protected selection(t: TypeRef | undefined, sel: string, depth: number, strict = false): Selection | undefined {
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
  protected selectIn(t: TypeRef, sel: string, embedded: TypeRef[], depth: number, strict: boolean): Selection | undefined {
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
    const under = this.underlyingThroughPointer(t);
    if (!under) return undefined;
    const { u, ux } = under;
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

  /** The underlying type expression of `t`, through one pointer (`*T` → T's underlying type), with its unparenthesized expression. */
  protected underlyingThroughPointer(t: TypeRef): { u: Extract<TypeRef, { x: A.Expr }>; ux: A.Expr } | undefined {
    let u = this.underlying(t, 0);
    if (!u || !('x' in u)) return undefined;
    let ux = unparen(u.x);
    if (ux.k === 'UnaryExpr' && ux.op === '*') {
      u = this.underlying({ ...u, x: ux.x }, 0);
      if (!u || !('x' in u)) return undefined;
      ux = unparen(u.x);
    }
    return { u, ux };
  }

  /** A method of a type parameter: called through the dictionary; its signature from the constraint. */
  protected typeParamMethod(b: Binding, sel: string, depth: number): Selection {
    const c = b.type ? this.selection({ x: b.type, file: b.file, scope: b.scope }, sel, depth + 1) : undefined;
    return { kind: 'tpmethod', sig: c && (c.kind === 'imethod' || c.kind === 'method') ? c.sig : undefined };
  }

  /** Whether an (embedded) type is an interface whose method set the index knows. */
  protected knownInterface(t: TypeRef): boolean {
    const x = unparen((t as { x: A.Expr }).x);
    if (x.k === 'Name' && (x.value === 'error' || x.value === 'any' || x.value === 'comparable')) return true;
    const u = this.underlying(t, 0);
    return !!u && 'x' in u && unparen(u.x).k === 'InterfaceType';
  }

  /** The type of field `name` of a struct type (through pointers and named types). */
  protected fieldType(t: TypeRef, name: string): TypeRef | undefined {
    if (!('x' in t)) return undefined;
    const under = this.underlyingThroughPointer(t);
    if (!under) return undefined;
    const { u, ux } = under;
    if (ux.k !== 'StructType') return undefined;
    for (const f of ux.fields) for (const n of f.names) if (n.value === name) return { ...u, x: f.type };
    return undefined;
  }

  /** Field of a struct type of another package (`x.f` with x of type pkg.T / *pkg.T). */
  protected externalFieldType(t: TypeRef, name: string): TypeRef | undefined {
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
}
