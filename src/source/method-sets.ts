/**
 * Method sets of named types and interface satisfaction, from neutral type descriptions
 * (types.ts) as an `ImportResolver` gives them (`createSourceResolver`, or the walker for its own
 * package). This is what the PGO devirtualizer asks (`typecheck.Implements(ctyp, inter)`, with
 * `ctyp` the callee's receiver type as declared) and what names the compiler's promoted-method
 * wrappers (`pkg.(*Outer).M` for a method promoted from an embedded field).
 *
 * The rules are the Go spec's: the method set of T holds the value-receiver methods declared on
 * T; that of *T all of them. Through an embedded field S, T gains S's value methods and *T all
 * of S's; through an embedded *S both gain all of S's; an embedded interface contributes all its
 * methods. A selector at a shallower depth (method or field) hides deeper ones, and two at the
 * same shallowest depth cancel each other. A defined type `type T S` does not inherit S's
 * methods (only the fields and embedded types of S's underlying struct); an alias is the type.
 * Interfaces' method sets are their (flattened) methods; a pointer to an interface has none.
 */
import type * as A from './ast';
import { methodName, pathToPrefix, prefixToPath, splitSymbol } from './names';
import type { ImportResolver } from './package-env';
import { type DeclLookup, extParts, interfaceMethods, signatureString } from './types';

/** A named type, or a pointer to one: `path.Name` / `*path.Name`. */
export interface NamedTypeRef {
  path: string;
  name: string;
  pointer: boolean;
}

export interface MethodInfo {
  name: string;
  /** The name as method sets compare it: unexported names qualified by the declaring package (`path.name`). */
  key: string;
  /** Normalized signature without receiver (types.ts `signatureString`); undefined when a type is unknown. */
  signature: string | undefined;
  /** Selector depth: 0 for methods declared on the type itself, n for methods promoted through n embeddings. */
  depth: number;
  /** The type that declares the method (for methods of an embedded interface: that interface). */
  declaredOn: { path: string; name: string };
  /** Declared with a pointer receiver (false for interface methods). */
  pointerReceiver: boolean;
  /** Linker symbol of the declared method (`pkg.(*T).M`); undefined for interface methods and generic receivers. */
  symbol: string | undefined;
}

export interface MethodSet {
  /** Method key -> method. */
  methods: Map<string, MethodInfo>;
  /**
   * False when some type on the way (an embedded field or the type itself) could not be
   * described: methods may be missing (those present are right).
   */
  complete: boolean;
}

/** The type facts method sets need, by import path. */
export interface TypeSource {
  decl: DeclLookup;
  methodSig(path: string, typeName: string, name: string): { type: A.FuncType; generic: boolean; pointer: boolean } | undefined;
  methodNames(path: string, typeName: string): string[] | undefined;
}

/** A TypeSource over an ImportResolver (every package, the current one included, by import path). */
export function typeSource(resolver: ImportResolver): TypeSource {
  return {
    decl: (p, n) => resolver(p)?.typeDecl?.(n),
    methodSig: (p, t, n) => resolver(p)?.methodSig?.(t, n),
    methodNames: (p, t) => resolver(p)?.methodNames?.(t),
  };
}

const MAX_DEPTH = 8;
const MAX_ALIAS = 10;

function isExported(name: string): boolean {
  const c = name.charCodeAt(0);
  return (c >= 65 && c <= 90) || c > 127;
}

function qualify(name: string, path: string): string {
  return isExported(name) ? name : `${path}.${name}`;
}

function unparen(x: A.Expr): A.Expr {
  while (x.k === 'ParenExpr') x = x.x;
  return x;
}

/** One type reached while walking embeddings: a named type (or pointer to one) or an unnamed interface. */
type Node = { named: NamedTypeRef; ptrMethods: boolean } | { iface: A.Expr; path: string };

/** Follows aliases: the named type `path.name` denotes, or a non-named type expression (with its package). */
function resolveAlias(src: TypeSource, path: string, name: string): { path: string; name: string } | { expr: A.Expr; path: string } | undefined {
  for (let i = 0; i < MAX_ALIAS; i++) {
    const d = src.decl(path, name);
    if (!d) return undefined;
    if (!d.alias) return { path, name };
    if (d.typeParams?.length) return undefined;
    const x = unparen(d.type);
    const e = extParts(x);
    if (!e) return { expr: x, path };
    path = e.path;
    name = e.name;
  }
  return undefined;
}

/** The underlying type expression of a named type (through defined types and aliases), with the package it lives in. */
function underlyingOf(src: TypeSource, path: string, name: string): { expr: A.Expr; path: string } | undefined {
  for (let i = 0; i < MAX_ALIAS; i++) {
    const d = src.decl(path, name);
    if (!d || d.typeParams?.length) return undefined;
    const x = unparen(d.type);
    const e = extParts(x);
    if (!e) return { expr: x, path };
    path = e.path;
    name = e.name;
  }
  return undefined;
}

/** An embedded field's type as a walk node (undefined: cannot be described). */
function embeddedNode(t: A.Expr, path: string, ptrMethods: boolean): Node | undefined {
  let x = unparen(t);
  let ptr = false;
  if (x.k === 'UnaryExpr' && x.op === '*') {
    ptr = true;
    x = unparen(x.x);
  }
  if (x.k === 'Name' && (x.value === 'error' || x.value === 'any')) return { iface: x, path };
  const e = extParts(x);
  if (!e) return undefined; // generic instantiations, local or unknown types
  return { named: { path: e.path, name: e.name, pointer: ptr }, ptrMethods: ptrMethods || ptr };
}

/** The name an embedded field is selected by (`T` for `p.T`, `*p.T`, `p.T[X]`). */
function embeddedName(t: A.Expr): string | undefined {
  let x = unparen(t);
  if (x.k === 'UnaryExpr' && x.op === '*') x = unparen(x.x);
  if (x.k === 'IndexExpr') x = unparen(x.x);
  if (x.k === 'Name') return x.value;
  if (x.k === 'SelectorExpr') return x.sel.value;
  return undefined;
}

interface Selectors {
  /** Methods contributed at this depth, by key. */
  methods: MethodInfo[];
  /** Field names (qualified keys) at this depth. */
  fields: string[];
  /** Embedded types: the next depth. */
  next: Node[];
  complete: boolean;
}

function interfaceSelectors(src: TypeSource, x: A.Expr, path: string, depth: number, on: { path: string; name: string }): Selectors {
  const ux = unparen(x);
  let ms: Map<string, string> | undefined;
  if (ux.k === 'Name' && ux.value === 'error') ms = new Map([['Error', 'func() string']]);
  else if (ux.k === 'Name' && ux.value === 'any') ms = new Map();
  else if (ux.k === 'InterfaceType') ms = interfaceMethods(ux, src.decl, path, 0);
  if (!ms) return { methods: [], fields: [], next: [], complete: false };
  const methods: MethodInfo[] = [];
  for (const [key, signature] of ms) {
    const dot = key.lastIndexOf('.');
    methods.push({ name: dot < 0 ? key : key.slice(dot + 1), key, signature, depth, declaredOn: on, pointerReceiver: false, symbol: undefined });
  }
  return { methods, fields: [], next: [], complete: true };
}

/** The selectors a node contributes at `depth`. */
function selectorsOf(src: TypeSource, node: Node, depth: number): Selectors {
  if ('iface' in node) return interfaceSelectors(src, node.iface, node.path, depth, { path: node.path, name: 'interface' });
  const r = resolveAlias(src, node.named.path, node.named.name);
  if (!r) return { methods: [], fields: [], next: [], complete: false };
  if ('expr' in r) {
    // an alias of an unnamed type: its underlying type's selectors (no declared methods)
    const n = node.named.pointer ? undefined : r.expr;
    if (!n) return { methods: [], fields: [], next: [], complete: true };
    return structOrInterface(src, n, r.path, depth, node.ptrMethods, { path: r.path, name: node.named.name }, []);
  }
  const under = underlyingOf(src, r.path, r.name);
  if (!under) return { methods: [], fields: [], next: [], complete: false };
  const methods: MethodInfo[] = [];
  let complete = true;
  const ux = unparen(under.expr);
  const isIface = ux.k === 'InterfaceType' || (ux.k === 'Name' && (ux.value === 'error' || ux.value === 'any'));
  if (!isIface) {
    const names = src.methodNames(r.path, r.name);
    if (!names) complete = false;
    for (const m of names ?? []) {
      const ms = src.methodSig(r.path, r.name, m);
      if (!ms) {
        complete = false;
        continue;
      }
      if (ms.pointer && !node.ptrMethods) continue;
      methods.push({
        name: m,
        key: qualify(m, r.path),
        signature: ms.generic ? undefined : signatureString(ms.type, src.decl, r.path),
        depth,
        declaredOn: { path: r.path, name: r.name },
        pointerReceiver: ms.pointer,
        symbol: ms.generic ? undefined : `${pathToPrefix(r.path)}.${methodName(r.name, ms.pointer, false, m)}`,
      });
    }
  } else if (node.named.pointer && depth === 0) {
    // a pointer to an interface has no methods
    return { methods: [], fields: [], next: [], complete: true };
  }
  const s = structOrInterface(src, under.expr, under.path, depth, node.ptrMethods, { path: r.path, name: r.name }, methods);
  s.complete &&= complete;
  return s;
}

function structOrInterface(
  src: TypeSource,
  x: A.Expr,
  path: string,
  depth: number,
  ptrMethods: boolean,
  on: { path: string; name: string },
  methods: MethodInfo[],
): Selectors {
  const ux = unparen(x);
  if (ux.k === 'InterfaceType' || (ux.k === 'Name' && (ux.value === 'error' || ux.value === 'any'))) {
    const s = interfaceSelectors(src, ux, path, depth, on);
    s.methods.push(...methods);
    return s;
  }
  const out: Selectors = { methods, fields: [], next: [], complete: true };
  if (ux.k !== 'StructType') return out;
  for (const f of ux.fields) {
    if (f.names.length) {
      for (const n of f.names) out.fields.push(qualify(n.value, path));
      continue;
    }
    const en = embeddedName(f.type);
    if (en) out.fields.push(qualify(en, path));
    const node = embeddedNode(f.type, path, ptrMethods);
    if (node) out.next.push(node);
    else out.complete = false;
  }
  return out;
}

/**
 * The method set of a named type (`pointer`: of `*T`), promoted methods included. Undefined
 * when the type is unknown to the source.
 */
export function methodSet(src: TypeSource, t: NamedTypeRef): MethodSet | undefined {
  if (!resolveAlias(src, t.path, t.name)) return undefined;
  const methods = new Map<string, MethodInfo>();
  const hidden = new Set<string>();
  let complete = true;
  let level: Node[] = [{ named: t, ptrMethods: t.pointer }];
  const seen = new Set<string>();
  for (let depth = 0; depth <= MAX_DEPTH && level.length; depth++) {
    const count = new Map<string, number>();
    const found = new Map<string, MethodInfo>();
    const next: Node[] = [];
    for (const node of level) {
      if ('named' in node) {
        const id = `${node.named.path}.${node.named.name}:${node.ptrMethods}`;
        if (seen.has(id)) continue;
        seen.add(id);
      }
      const s = selectorsOf(src, node, depth);
      complete &&= s.complete;
      const keys = new Set<string>([...s.fields, ...s.methods.map((m) => m.key)]);
      for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
      for (const m of s.methods) found.set(m.key, m);
      next.push(...s.next);
    }
    for (const [k, n] of count) {
      if (methods.has(k) || hidden.has(k)) continue;
      const m = found.get(k);
      if (n === 1 && m) methods.set(k, m);
      else hidden.add(k); // a field, or a collision at this depth
    }
    level = next;
  }
  if (level.length) complete = false;
  return { methods, complete };
}

/** The method set of an interface type in neutral form (declared in `path`): key -> signature. */
export function interfaceMethodSet(decl: DeclLookup, x: A.Expr, path: string): Map<string, string> | undefined {
  const ux = unparen(x);
  if (ux.k === 'Name' && ux.value === 'error') return new Map([['Error', 'func() string']]);
  if (ux.k === 'Name' && ux.value === 'any') return new Map();
  if (ux.k === 'InterfaceType') return interfaceMethods(ux, decl, path, 0);
  const e = extParts(ux);
  if (!e) return undefined;
  for (let i = 0, p = e.path, n = e.name; i < MAX_ALIAS; i++) {
    const d = decl(p, n);
    if (!d || d.typeParams?.length) return undefined;
    const y = unparen(d.type);
    const f = extParts(y);
    if (!f) return interfaceMethodSet(decl, y, p);
    p = f.path;
    n = f.name;
  }
  return undefined;
}

/** `key sig` lines of an interface method set, sorted (the form `CallSite.ifaceMethods` stores). */
export function methodSetLines(ms: Map<string, string>): string[] {
  return [...ms].map(([k, s]) => `${k} ${s}`).sort();
}

/** Parses `methodSetLines` output back into key -> signature. */
export function parseMethodSetLines(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of lines) {
    const sp = l.indexOf(' ');
    out.set(l.slice(0, sp), l.slice(sp + 1));
  }
  return out;
}

/**
 * Whether type `t` implements the interface whose method set is `iface` (key -> signature):
 * true or false when the sources tell, undefined when they cannot (unknown types, incomplete
 * method sets). `typecheck.Implements` in the compiler.
 */
export function implementsInterface(src: TypeSource, t: NamedTypeRef, iface: ReadonlyMap<string, string>): boolean | undefined {
  const ms = methodSet(src, t);
  if (!ms) return undefined;
  let unknown = false;
  for (const [key, sig] of iface) {
    const m = ms.methods.get(key);
    if (!m) {
      if (!ms.complete) unknown = true;
      else return false;
      continue;
    }
    if (m.signature === undefined || sig === undefined) unknown = true;
    else if (m.signature !== sig) return false;
  }
  return unknown ? undefined : true;
}

/**
 * The receiver type of a method symbol as declared (`pkg.(*T).M` -> `*pkg.T`, `pkg.T.M` -> `pkg.T`),
 * what `methodRecvType` gives the devirtualizer. Undefined for functions, closures, generic
 * receivers and wrappers.
 */
export function receiverOfSymbol(symbol: string): (NamedTypeRef & { method: string }) | undefined {
  if (symbol.includes('[')) return undefined;
  const { prefix, name } = splitSymbol(symbol);
  const path = prefix ? prefixToPath(prefix) : undefined;
  if (path === undefined) return undefined;
  const m = /^(?:\(\*([^().]+)\)|([^().]+))\.([^().]+)$/.exec(name);
  if (!m || /^(func|gowrap|deferwrap)\d+$/.test(m[3]!)) return undefined; // closures (`F.func1`), not methods
  return { path, name: m[1] ?? m[2]!, pointer: m[1] !== undefined, method: m[3]! };
}
