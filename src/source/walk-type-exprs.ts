/**
 * Type expressions: underlying types (through local, package, imported and instantiated named
 * types), the neutral form other packages and type strings read (types.ts), normalized
 * signatures and interface method sets.
 */
import type * as A from './ast';
import { evalConst } from './consts';
import { PREDECLARED_TYPES, type FileSyntax } from './package-env';
import { unparen } from './parser';
import { EXT_PREFIX, extName, LOCAL_PREFIX, signatureString, substitute, TPARAM_PREFIX, typeString, UNKNOWN_TYPE, type NeutralTypeDecl } from './types';
import { interfaceMethodSet, methodSetLines } from './method-sets';
import { sole, MAX_TYPE_DEPTH, countFields, type Binding, type Scope, type TypeRef } from './walk-model';
import { WalkScope } from './walk-scope';

export abstract class WalkTypeExprs extends WalkScope {
  protected readonly declLookup = (path: string, name: string): NeutralTypeDecl | undefined =>
    path === this.pkgPath ? this.ownTypeDecl(name) : this.external(path)?.typeDecl?.(name);
  /** Follow named types (local, package, other packages; generic ones instantiated) to their underlying type expression. */
  protected underlying(t: TypeRef, depth: number): TypeRef | undefined {
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
        this.touch('n:', own);
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
  protected ownTypeName(t: { scope: Scope | undefined; neutral?: boolean; file: FileSyntax }, x: A.Expr): string | undefined {
    if (x.k === 'Name') {
      if (t.neutral) return undefined;
      if (this.lookupIn(t.scope, x.value)) return undefined;
      this.touch('n:', x.value);
      return this.env.types.has(x.value) ? x.value : undefined;
    }
    if (x.k === 'SelectorExpr' && x.x.k === 'Name' && x.x.value.startsWith(EXT_PREFIX) && x.x.value.slice(EXT_PREFIX.length) === this.pkgPath)
      return x.sel.value;
    return undefined;
  }

  /** A generic declaration with type arguments substituted (neutral), or undefined on a count mismatch. */
  protected instantiate(
    d: { type: A.Expr; typeParams?: string[] } | undefined,
    args: A.Expr[],
    at: { file: FileSyntax; scope: Scope | undefined; neutral?: boolean },
  ): TypeRef | undefined {
    if (!d || !d.typeParams || d.typeParams.length !== args.length) return undefined;
    const map = new Map<string, A.Expr>();
    args.forEach((a, i) => {
      const p = d.typeParams?.[i];
      if (p !== undefined) map.set(p, at.neutral ? a : this.neutral(a, at.file, at.scope, 0));
    });
    return { x: substitute(d.type, map), file: at.file, scope: undefined, neutral: true };
  }

  protected coreTypeOfConstraint(b: Binding, depth: number): TypeRef | undefined {
    if (!b.type || depth > MAX_TYPE_DEPTH) return undefined;
    let c = unparen(b.type);
    const embed = c.k === 'InterfaceType' && c.methods.length === 0 ? sole(c.embeds) : undefined;
    if (embed) c = unparen(embed);
    if (c.k === 'UnaryExpr' && c.op === '~') c = unparen(c.x);
    if (c.k === 'FuncType' || c.k === 'ArrayType' || c.k === 'MapType' || c.k === 'ChanType') return { x: c, file: b.file, scope: b.scope };
    if (c.k === 'Name' || c.k === 'SelectorExpr' || c.k === 'IndexExpr') return this.underlying({ x: c, file: b.file, scope: b.scope }, depth + 1);
    return undefined;
  }

  /**
   * A type expression in neutral form: named types qualified by import path (aliases resolved),
   * type parameters and function-local types marked, array lengths evaluated. Parts that
   * cannot be resolved become UNKNOWN_TYPE.
   */
  protected neutral(x: A.Expr, file: FileSyntax, scope: Scope | undefined, depth: number): A.Expr {
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
        this.touch('n:', v);
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

  protected readonly ownDecls = new Map<string, { d: NeutralTypeDecl | null; touched: string[] }>();
  /** This package's named type `name` in neutral form (for normalized type strings). */
  protected ownTypeDecl(name: string): NeutralTypeDecl | undefined {
    this.touch('n:', name);
    let c = this.ownDecls.get(name);
    if (c) this.replay(c.touched);
    else {
      const r = this.recording(() => this.exportTypeDecl(name) ?? null);
      c = { d: r.value, touched: r.touched };
      this.ownDecls.set(name, c);
    }
    return c.d ?? undefined;
  }

  protected typeParamScope(names: string[], file: FileSyntax): Scope | undefined {
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

  protected funcTypeString(t: { x: A.Expr; file: FileSyntax; scope: Scope | undefined; neutral?: boolean }): string | undefined {
    const n = t.neutral ? t.x : this.neutral(t.x, t.file, t.scope, 0);
    if (n.k !== 'FuncType') return undefined;
    return signatureString(n, this.declLookup, this.pkgPath);
  }

  /** The normalized signature of a declared function (package scope; see `FuncEntry.signature`). */
  protected signatureOf(ft: A.FuncType, file: FileSyntax): string | undefined {
    return this.withScope(file, undefined, () => this.funcTypeString({ x: ft, file, scope: undefined }));
  }

  protected funcSignatureOf(t: TypeRef | undefined): { params: number; results: number } | undefined {
    if (!t) return undefined;
    if (!('x' in t)) return t.sig;
    const u = this.underlying(t, 0);
    if (!u) return undefined;
    if (!('x' in u)) return u.sig;
    const ux = unparen(u.x);
    if (ux.k !== 'FuncType') return undefined;
    return { params: countFields(ux.params), results: countFields(ux.results) };
  }

  /** A TypeRef for a named type of another package (encoded as a selector on a pseudo-name). */
  protected extTypeRef(t: { path: string; name: string }): TypeRef {
    return {
      x: { k: 'SelectorExpr', t: 0, x: { k: 'Name', t: 0, value: EXT_PREFIX + t.path }, sel: { k: 'Name', t: 0, value: t.name } },
      file: this.file,
      scope: undefined,
    };
  }

  protected nthResult(ft: A.FuncType, i: number, file: FileSyntax, scope: Scope | undefined, neutral?: boolean): TypeRef | undefined {
    let k = 0;
    for (const f of ft.results) {
      const n = Math.max(1, f.names.length);
      if (i < k + n) return neutral ? { x: f.type, file, scope, neutral } : { x: f.type, file, scope };
      k += n;
    }
    return undefined;
  }

  protected readonly ifaceLines = new Map<string, { lines: string[] | null; touched: string[] }>();
  /** The method set of the interface an interface call goes through, as `CallSite.ifaceMethods` (undefined: unknown). */
  protected interfaceMethodLines(t: TypeRef): string[] | undefined {
    if (!('x' in t)) return undefined;
    const n = t.neutral ? t.x : this.neutral(t.x, t.file, t.scope, 0);
    const key = typeString(n, this.declLookup, this.pkgPath);
    const hit = key !== undefined ? this.ifaceLines.get(key) : undefined;
    if (hit) {
      this.replay(hit.touched);
      return hit.lines ?? undefined;
    }
    const r = this.recording(() => {
      const ms = interfaceMethodSet(this.declLookup, n, this.pkgPath);
      return ms ? methodSetLines(ms) : undefined;
    });
    if (key !== undefined) this.ifaceLines.set(key, { lines: r.value ?? null, touched: r.touched });
    return r.value;
  }
}
