/**
 * Importer-independent ("neutral") type expressions and the normalized type spelling used to
 * compare function types the way the compiler's `types.Identical` does.
 *
 * A neutral type expression is an ordinary syntax tree in which
 * - every named type is `SelectorExpr(Name(EXT_PREFIX + importPath), Name(T))`, whatever package
 *   declares it (the package's own types included);
 * - the remaining plain names are predeclared (`int`, `error`, `any`, …);
 * - type parameters are `Name(TPARAM_PREFIX + name)` and types declared inside function bodies
 *   `Name(LOCAL_PREFIX + unique id)`;
 * - array lengths are evaluated (`BasicLit` int), so the tree needs no scope to be read.
 * Such trees can be handed from one package's index to another's (see `ExternalPackage`).
 */
import type * as A from './ast';

/** Pseudo package name marking a named type by import path. */
export const EXT_PREFIX = '\u0000';
/** Marks a type parameter in a neutral expression (never resolvable by importers). */
export const TPARAM_PREFIX = '\u0001';
/** Marks a type declared inside a function body (identical only to itself). */
export const LOCAL_PREFIX = '\u0002';
/** A type the describing package could not resolve. */
export const UNKNOWN_TYPE = '\u0003';

/** `path.name` as a neutral type expression. */
export function extName(path: string, name: string, t = 0): A.SelectorExpr {
  return { k: 'SelectorExpr', t, x: { k: 'Name', t, value: EXT_PREFIX + path }, sel: { k: 'Name', t, value: name } };
}

/** The import path and name of a neutral named type `EXT(path).name`. */
export function extParts(x: A.Expr): { path: string; name: string } | undefined {
  if (x.k !== 'SelectorExpr' || x.x.k !== 'Name' || !x.x.value.startsWith(EXT_PREFIX)) return undefined;
  return { path: x.x.value.slice(EXT_PREFIX.length), name: x.sel.value };
}

/** What a package says about one of its named types, in neutral form. */
export interface NeutralTypeDecl {
  /** The declared type: the underlying type expression, or for aliases the aliased type. */
  type: A.Expr;
  alias: boolean;
  /** Type parameter names (neutral names, in order) of a generic type. */
  typeParams?: string[];
}

/** Declaration of a named type by import path and name (undefined: unknown). */
export type DeclLookup = (path: string, name: string) => NeutralTypeDecl | undefined;

const MAX_DEPTH = 24;

/**
 * A spelling of a neutral type such that two spellings are equal iff the types are identical
 * (`types.Identical`), as far as the declarations can tell: named types by package path and
 * name (aliases followed), everything else structurally, parameter names ignored. `pkgPath`
 * qualifies unexported field and method names of struct and interface literals. Undefined when
 * some part cannot be known (type parameters, unknown array lengths, unresolvable embedded
 * interfaces).
 */
export function typeString(x: A.Expr, decl: DeclLookup, pkgPath = '', depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const d = depth + 1;
  switch (x.k) {
    case 'ParenExpr':
      return typeString(x.x, decl, pkgPath, d);
    case 'Name': {
      const v = x.value;
      if (v.startsWith(TPARAM_PREFIX) || v === UNKNOWN_TYPE) return undefined;
      if (v.startsWith(LOCAL_PREFIX)) return 'local:' + v.slice(1);
      if (v === 'byte') return 'uint8';
      if (v === 'rune') return 'int32';
      if (v === 'any') return 'interface{}';
      return v;
    }
    case 'SelectorExpr': {
      const e = extParts(x);
      if (!e) return undefined;
      const dd = decl(e.path, e.name);
      if (dd && dd.alias && !dd.typeParams?.length) return typeString(dd.type, decl, e.path, d);
      return `${e.path}.${e.name}`;
    }
    case 'IndexExpr': {
      const base = typeString(x.x, decl, pkgPath, d);
      if (base === undefined) return undefined;
      const args: string[] = [];
      for (const i of x.indices) {
        const s = typeString(i, decl, pkgPath, d);
        if (s === undefined) return undefined;
        args.push(s);
      }
      return `${base}[${args.join(',')}]`;
    }
    case 'UnaryExpr': {
      if (x.op !== '*') return undefined;
      const s = typeString(x.x, decl, pkgPath, d);
      return s === undefined ? undefined : '*' + s;
    }
    case 'ArrayType': {
      const s = typeString(x.elem, decl, pkgPath, d);
      if (s === undefined) return undefined;
      if (x.len === undefined) return '[]' + s;
      if (x.len === 'ellipsis' || x.len.k !== 'BasicLit' || x.len.kind !== 'int') return undefined;
      return `[${x.len.value}]${s}`;
    }
    case 'MapType': {
      const k = typeString(x.key, decl, pkgPath, d);
      const v = typeString(x.value, decl, pkgPath, d);
      return k === undefined || v === undefined ? undefined : `map[${k}]${v}`;
    }
    case 'ChanType': {
      const s = typeString(x.elem, decl, pkgPath, d);
      if (s === undefined) return undefined;
      return x.dir === 'send' ? `chan<-(${s})` : x.dir === 'recv' ? `<-chan(${s})` : `chan(${s})`;
    }
    case 'FuncType':
      return signatureString(x, decl, pkgPath, d);
    case 'StructType': {
      const parts: string[] = [];
      for (const f of x.fields) {
        const s = typeString(f.type, decl, pkgPath, d);
        if (s === undefined) return undefined;
        const tag = f.tag ? ' ' + JSON.stringify(f.tag) : '';
        if (!f.names.length) parts.push(`embedded ${s}${tag}`);
        else for (const n of f.names) parts.push(`${qualify(n.value, pkgPath)} ${s}${tag}`);
      }
      return `struct{${parts.join('; ')}}`;
    }
    case 'InterfaceType': {
      const ms = interfaceMethods(x, decl, pkgPath, d);
      if (!ms) return undefined;
      return `interface{${[...ms]
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([n, s]) => n + s.slice(4))
        .join('; ')}}`;
    }
    default:
      return undefined;
  }
}

/** `func(params) results` without names; undefined when a type is unknown. */
export function signatureString(ft: A.FuncType, decl: DeclLookup, pkgPath = '', depth = 0): string | undefined {
  const params: string[] = [];
  for (const f of ft.params) {
    let t = f.type;
    let pre = '';
    if (t.k === 'EllipsisType') {
      pre = '...';
      t = t.elem;
    }
    const s = typeString(t, decl, pkgPath, depth + 1);
    if (s === undefined) return undefined;
    for (let k = 0; k < Math.max(1, f.names.length); k++) params.push(pre + s);
  }
  const results: string[] = [];
  for (const f of ft.results) {
    const s = typeString(f.type, decl, pkgPath, depth + 1);
    if (s === undefined) return undefined;
    for (let k = 0; k < Math.max(1, f.names.length); k++) results.push(s);
  }
  const r = results.length === 0 ? '' : results.length === 1 ? ' ' + results[0] : ` (${results.join(', ')})`;
  return `func(${params.join(', ')})${r}`;
}

/**
 * Method name (unexported names qualified by `pkgPath`) -> signature string of an interface
 * type (embedded interfaces flattened); undefined when a part is unknown.
 */
export function interfaceMethods(x: A.InterfaceType, decl: DeclLookup, pkgPath: string, depth: number): Map<string, string> | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const out = new Map<string, string>();
  for (const m of x.methods) {
    const s = signatureString(m.type, decl, pkgPath, depth + 1);
    if (s === undefined) return undefined;
    out.set(qualify(m.name.value, pkgPath), s);
  }
  for (const e of x.embeds) {
    const sub = embeddedMethods(e, decl, pkgPath, depth + 1);
    if (!sub) return undefined;
    for (const [k, v] of sub) out.set(k, v);
  }
  return out;
}

function embeddedMethods(e: A.Expr, decl: DeclLookup, pkgPath: string, depth: number): Map<string, string> | undefined {
  if (depth > MAX_DEPTH) return undefined;
  while (e.k === 'ParenExpr') e = e.x;
  if (e.k === 'Name') {
    if (e.value === 'error') return new Map([['Error', 'func() string']]);
    if (e.value === 'any' || e.value === 'comparable') return new Map();
    return undefined;
  }
  if (e.k === 'InterfaceType') return interfaceMethods(e, decl, pkgPath, depth + 1);
  const p = extParts(e);
  if (!p) return undefined; // unions and ~T only occur in constraints
  const d = decl(p.path, p.name);
  if (!d || d.typeParams?.length) return undefined;
  return embeddedMethods(d.type, decl, p.path, depth + 1);
}

function qualify(name: string, pkgPath: string): string {
  const c = name.charCodeAt(0);
  const exported = (c >= 65 && c <= 90) || c > 127;
  return exported || !pkgPath ? name : `${pkgPath}.${name}`;
}

/**
 * Replace type parameters (neutral names) by type arguments in a neutral type expression.
 * Returns the same object when nothing changes.
 */
export function substitute(x: A.Expr, map: ReadonlyMap<string, A.Expr>, depth = 0): A.Expr {
  if (depth > MAX_DEPTH) return x;
  const d = depth + 1;
  const sub = (e: A.Expr): A.Expr => substitute(e, map, d);
  const field = (f: A.Field): A.Field => {
    const t = sub(f.type);
    return t === f.type ? f : { ...f, type: t };
  };
  switch (x.k) {
    case 'Name':
      return map.get(x.value) ?? x;
    case 'ParenExpr':
      return sub(x.x);
    case 'IndexExpr': {
      const b = sub(x.x);
      const is = x.indices.map(sub);
      return b === x.x && is.every((e, i) => e === x.indices[i]) ? x : { ...x, x: b, indices: is };
    }
    case 'UnaryExpr': {
      const e = sub(x.x);
      return e === x.x ? x : { ...x, x: e };
    }
    case 'ArrayType':
    case 'ChanType':
    case 'EllipsisType': {
      const e = sub(x.elem);
      return e === x.elem ? x : { ...x, elem: e };
    }
    case 'MapType': {
      const k = sub(x.key);
      const v = sub(x.value);
      return k === x.key && v === x.value ? x : { ...x, key: k, value: v };
    }
    case 'FuncType':
      return { ...x, params: x.params.map(field), results: x.results.map(field) };
    case 'StructType':
      return { ...x, fields: x.fields.map(field) };
    case 'InterfaceType':
      return { ...x, methods: x.methods.map((m) => ({ name: m.name, type: sub(m.type) as A.FuncType })), embeds: x.embeds.map(sub) };
    case 'BinaryExpr':
      return { ...x, x: sub(x.x), y: sub(x.y) };
    default:
      return x;
  }
}
