/**
 * The walker's data model: bindings and lexical scopes, the function being walked, type
 * references and selections (see walker.ts for what the walk reproduces).
 */
import type * as A from './ast';
import type { ConstVal } from './consts';
import type { CallSite, FuncEntry } from './model';
import type { FileSyntax } from './package-env';
import { unparen } from './parser';

export interface Binding {
  kind: 'var' | 'const' | 'type' | 'typeparam' | 'func' | 'import';
  /** Declared type (var, param) or the type expression (type), constraint (typeparam). */
  type?: A.Expr;
  /** Initializer for type inference (var) and index into a tuple-valued initializer. */
  init?: A.Expr;
  tuple?: number;
  /** Range variable: which (0 key / 1 value) of ranging over `rangeX`. */
  rangeX?: A.Expr;
  /** Const spec data. */
  constSpec?: { spec: A.ValueSpec; index: number };
  /** Package-level objects. */
  pkgFunc?: A.FuncDecl;
  importPath?: string;
  file: FileSyntax;
  /** Scope chain where the binding was declared (for resolving its type expressions). */
  scope?: Scope;
  /** A package-level variable (always treated as reassigned by the compiler). */
  pkgLevel?: boolean;
  /**
   * A local variable defined by a plain assignment `x := v` / `var x = v` (one value per
   * name): the compiler's `ir.StaticValue` can see through it while it is never reassigned.
   */
  staticDefn?: boolean;
  /** Assigned again after its definition, or its address taken (`ir.Reassigned`). */
  reassigned?: boolean;
  /** A local `type A = B`. */
  alias?: boolean;
  /** An object of a dot-imported package (`import . "path"`); `type` is then neutral. */
  dotPath?: string;
  dotName?: string;
  /** Inferred type of a local variable (memo), and a guard against inference cycles. */
  typeMemo?: TypeRef;
  typeBusy?: boolean;
  /**
   * Declaration order of local bindings: an initialiser (or range expression) is resolved
   * without the bindings declared by its own statement or later (`s := s.parent`).
   */
  seq?: number;
}
/** Lexical scopes as a linked chain; a binding keeps the chain it was declared in (O(1)). */
export interface Scope {
  vars: Map<string, Binding> | undefined;
  parent: Scope | undefined;
  /** A view of `parent` in which bindings numbered from `limit` on are not visible (see Binding.seq). */
  limit?: number;
}

/** A function being walked (declared function, literal, range body). */
export interface FnCtx {
  entry: FuncEntry | undefined;
  /** The name (inside the package) children are derived from. */
  name: string;
  /** OClosure != nil: literals nested in it are named `name.N` rather than `name.funcN`. */
  isClosure: boolean;
  /** For range-over-func bodies: the first enclosing non-range function. */
  rangeParent: FnCtx | undefined;
  gen: { lit: number; range: number; goDefer: number };
  typeParams: Set<string>;
  generic: boolean;
  /** break/continue targets inside this function, innermost last. */
  targets: { kind: 'for' | 'switch' | 'select' | 'rangefunc'; label?: string }[];
  isRangeBody: boolean;
  startLine: number;
}

/**
 * A type as a type expression in some scope; `neutral` expressions come from another package's
 * description (see types.ts) and are read without scope.
 */
export type TypeRef = { x: A.Expr; file: FileSyntax; scope: Scope | undefined; neutral?: boolean } | { ext: 'func'; sig?: { params: number; results: number } };

/** What `x.sel` selects (Go's selector lookup through embedded fields). */
export type Selection =
  | { kind: 'field'; type: TypeRef }
  | { kind: 'method'; symbol: string; sig: TypeRef; pointer: boolean }
  | { kind: 'imethod'; sig: TypeRef | undefined; iface?: TypeRef }
  | { kind: 'tpmethod'; sig: TypeRef | undefined };

/** A call whose static callee depends on local variables not being reassigned (decided at the end). */
/** The import path of a binding of an imported package's name (undefined for any other binding). */
export function importOfBinding(b: Binding | undefined): string | undefined {
  return b?.kind === 'import' ? b.importPath : undefined;
}

export interface PendingStatic {
  site: CallSite;
  chain: Binding[];
  symbol: string | undefined;
}

export interface WalkResult {
  entries: FuncEntry[];
  deps: Set<string>;
  /** Package-level lookups the walk depended on, with their fingerprints (see PkgEnv.fingerprint). */
  touched: Map<string, string>;
}

export interface WalkerOptions {
  prefix: string;
  goMinor: number;
  /** Import path ('main' for a main package) qualifying the package's own types in normalized type strings. */
  pkgPath?: string;
  /**
   * Record the package-level lookups each walk makes, with their fingerprints, so that a cached
   * walk can be re-validated after an edit (default true). A one-shot index never re-validates.
   */
  track?: boolean;
}

export const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);

/** Result types of builtins that do not depend on their arguments. */
export const BUILTIN_RESULTS: Record<string, string> = { len: 'int', cap: 'int', copy: 'int', recover: 'any' };

/** Depth limit of type inference (chains of variables, selectors and calls). */
export const MAX_TYPE_DEPTH = 40;

export const UNIVERSE_CONSTS: ReadonlyMap<string, ConstVal> = new Map([
  ['true', { k: 'bool', v: true }],
  ['false', { k: 'bool', v: false }],
]);

export interface InitContext {
  ctx: FnCtx;
}

export function unparenType(t: A.Expr | undefined): A.Expr | undefined {
  if (!t) return undefined;
  const u = unparen(t);
  return u.k === 'UnaryExpr' && u.op === '*' ? u.x : u;
}

/** The only element of a one-element list (undefined for any other length). */
export function sole<T>(xs: readonly T[]): T | undefined {
  return xs.length === 1 ? xs[0] : undefined;
}

/** The last element satisfying `pred` (Array.prototype.findLast is ES2023). */
export function findLast<T>(xs: readonly T[], pred: (x: T) => boolean): T | undefined {
  for (let i = xs.length - 1; i >= 0; i--) {
    const x = xs[i];
    if (x !== undefined && pred(x)) return x;
  }
  return undefined;
}

export function countFields(fs: A.Field[]): number {
  let n = 0;
  for (const f of fs) n += Math.max(1, f.names.length);
  return n;
}

/** Name of an embedded field: the type name without pointer, package and type arguments. */
export function embeddedFieldName(t: A.Expr): string | undefined {
  let x = unparen(t);
  if (x.k === 'UnaryExpr' && x.op === '*') x = unparen(x.x);
  if (x.k === 'IndexExpr') x = unparen(x.x);
  if (x.k === 'Name') return x.value;
  if (x.k === 'SelectorExpr') return x.sel.value;
  return undefined;
}
