/**
 * Per-file syntax (lexed + parsed once per edit) and the package-wide tables that naming needs:
 * package-level constants, functions, methods, types and variables, plus what is known about
 * imported packages.
 */
import type * as A from './ast';
import { lex, Tok, TokenStream } from './lexer';
import { parseFile } from './parser';
import type { TokenSplice } from './incremental-lex';
import { reparse } from './incremental-parse';
import { hash53 } from './hash';
import type { ConstVal } from './consts';
import type { NeutralTypeDecl } from './types';

/**
 * What an importer may know about another package. Every member is optional and may be
 * computed lazily (a source resolver only parses the package when a member is first used);
 * unknown means "guess".
 */
export interface ExternalPackage {
  /** The package's declared name (the default local import name). */
  name?: string;
  /**
   * The import path the compiler knows the package by, when it differs from the path it was
   * asked for: the standard library's vendored packages are `vendor/golang.org/x/…`.
   */
  path?: string;
  /** Value of an exported package-level constant, if known. */
  constValue?(name: string): ConstVal | undefined;
  /** Signature facts of an exported package-level function, if known. */
  func?(name: string): ExternalFunc | undefined;
  /** Whether an exported named type has a function type as its underlying type (e.g. iter.Seq). */
  isFuncType?(name: string): boolean;
  /** Type facts of an exported field of an exported struct type. */
  field?(typeName: string, name: string): { isFunc: boolean; type?: ExternalTypeName } | undefined;
  /** Signature facts of an exported method of an exported type (`T` without `*`). */
  method?(typeName: string, name: string): ExternalFunc | undefined;
  /** The kind of an exported named type's underlying type (undefined: not a known type). */
  typeInfo?(name: string): ExternalType | undefined;
  /**
   * The rest describes types exactly, in neutral form (see types.ts); sources-based resolvers
   * answer them, the small built-in tables do not.
   *
   * What a package-level name denotes.
   */
  objKind?(name: string): 'func' | 'var' | 'const' | 'type' | undefined;
  /** Declaration of a named type (also unexported ones: they show through embedding and fields). */
  typeDecl?(name: string): NeutralTypeDecl | undefined;
  /** Signature of a package-level function. */
  funcSig?(name: string): NeutralFunc | undefined;
  /** Signature of a method declared on named type `typeName` (receiver not included). */
  methodSig?(typeName: string, name: string): NeutralMethod | undefined;
  /** Names of the methods declared on named type `typeName` (sorted; not promoted ones; undefined: no such type). */
  methodNames?(typeName: string): string[] | undefined;
  /** Type of a package-level variable (declared, or inferred from its initialiser) or typed constant. */
  varType?(name: string): A.Expr | undefined;
}

/** A function's neutral signature. */
export interface NeutralFunc {
  type: A.FuncType;
  generic: boolean;
  /**
   * Neutral names of the type parameters the signature mentions, in order: the function's own,
   * or for methods of generic types the receiver's (`func (s *S[E]) M() E`).
   */
  typeParams?: string[];
  /** Constraints of the function's own type parameters (neutral), aligned with `typeParams`. */
  constraints?: A.Expr[];
}

/** A method's neutral signature and receiver form. */
export interface NeutralMethod extends NeutralFunc {
  /** Declared with a pointer receiver `(*T)`. */
  pointer: boolean;
}

export interface ExternalType {
  kind: 'func' | 'map' | 'struct' | 'interface' | 'pointer' | 'slice' | 'array' | 'chan' | 'basic' | 'other';
  /** For maps: whether the key / element type is an interface (values get converted). */
  keyIface?: boolean;
  elemIface?: boolean;
}

/** Build an ExternalPackage from plain tables. */
export function externalFromTables(t: {
  name?: string;
  consts?: ReadonlyMap<string, ConstVal>;
  funcs?: ReadonlyMap<string, ExternalFunc>;
  funcTypes?: ReadonlySet<string>;
}): ExternalPackage {
  return {
    name: t.name,
    constValue: (n) => t.consts?.get(n),
    func: (n) => t.funcs?.get(n),
    isFuncType: (n) => t.funcTypes?.has(n) ?? false,
    typeInfo: (n) => (t.funcTypes?.has(n) ? { kind: 'func' } : undefined),
  };
}

/** A named type of some package, as seen by importers. */
export interface ExternalTypeName {
  path: string;
  name: string;
}

export interface ExternalFunc {
  params: number;
  results: number;
  variadic: boolean;
  /** For each result: true if its type is (or has underlying) func type. */
  resultIsFunc: boolean[];
  generic: boolean;
  /** For each result: its named type (through one pointer), when it is one. */
  resultTypes?: (ExternalTypeName | undefined)[];
}

/** Lookup of imported packages by import path. */
export type ImportResolver = (importPath: string) => ExternalPackage | undefined;

/** A lexed and parsed file plus cheap derived data. Independent of the other files. */
export interface FileSyntax {
  name: string;
  text: string;
  ts: TokenStream;
  ast: A.SourceFileAst;
  pkgName: string;
  imports: A.ImportSpec[];
  importsC: boolean;
  /**
   * A string that changes whenever something other files can observe changes: package-level
   * const/var/type declarations, function signatures, imports. Edits inside function bodies
   * leave it unchanged, so other files need not be re-analysed.
   */
  envSig: string;
  /** Number of `func init()` declarations (for package-wide `init.N` numbering). */
  initCount: number;
  /** Per declaration (aligned with ast.decls): its text without function bodies. */
  declSigs: string[];
}

/**
 * `ts`: the text's tokens when the caller has them (incremental-lex.ts); they must equal `lex(text)`.
 * `previous`: the file's previous syntax, whose tokens `ts` was re-lexed from, and which tokens that
 * kept: only the declarations the edit reached are parsed again (incremental-parse.ts).
 */
export function parseSourceFile(name: string, text: string, ts: TokenStream = lex(text), previous?: { syntax: FileSyntax; splice: TokenSplice }): FileSyntax {
  const re = previous ? reparse(previous.syntax.ast, ts, previous.splice) : undefined;
  const ast = re?.ast ?? parseFile(ts, { lazyBodies: true });
  let importsC = false;
  for (const imp of ast.imports) if (imp.path === 'C') importsC = true;
  const declSigs: string[] = [];
  let initCount = 0;
  const decls = ast.decls;
  for (let i = 0; i < decls.length; i++) {
    const d = decls[i] as A.Decl;
    if (d.k === 'FuncDecl' && !d.recv && d.name.value === 'init' && d.bodyRange) initCount++;
    // a function taken over from the previous tree has the same text before its body (a GenDecl's text runs to the next declaration keyword)
    const kept =
      re && previous && d.k === 'FuncDecl'
        ? i < re.head
          ? previous.syntax.declSigs[i]
          : i >= re.tail
            ? previous.syntax.declSigs[i - re.tail + re.oldTail]
            : undefined
        : undefined;
    if (kept !== undefined) declSigs.push(kept);
    else if (d.k === 'FuncDecl') {
      const end = d.bodyRange ? ts.start[d.bodyRange[0]] : ts.end[d.type.t];
      declSigs.push(text.slice(ts.start[d.t], end));
    } else {
      const endTok = lastTokenOfDecl(d, ts);
      declSigs.push(text.slice(ts.start[d.t], ts.end[endTok]));
    }
  }
  const envSig = ast.pkgName + '\u0000' + declSigs.join('\u0000');
  return { name, text, ts, ast, pkgName: ast.pkgName, imports: ast.imports, importsC, envSig, initCount, declSigs };
}

/**
 * Declarations only (function bodies skipped, tokens released): a cheap, small FileSyntax for
 * describing an imported package. Not usable for naming or call sites.
 */
export function parseDeclarations(name: string, text: string): FileSyntax {
  const full = lex(text);
  const ast = parseFile(full, { skipBodies: true });
  const ts: TokenStream = {
    ...full,
    src: '',
    count: 0,
    kind: new Uint8Array(0),
    start: new Uint32Array(0),
    end: new Uint32Array(0),
    line: new Uint32Array(0),
    col: new Uint32Array(0),
    flags: new Uint8Array(0),
    lineStarts: new Uint32Array(0),
  };
  return {
    name,
    text: '',
    ts,
    ast,
    pkgName: ast.pkgName,
    imports: ast.imports,
    importsC: ast.imports.some((i) => i.path === 'C'),
    envSig: '',
    initCount: 0,
    declSigs: [],
  };
}

function lastTokenOfDecl(d: A.GenDecl, ts: TokenStream): number {
  // The declaration ends before the next top-level declaration keyword at column 1 (or EOF); we
  // only need a stable string, so scan forward from the decl start to the next such token.
  const { kind, col, count } = ts;
  for (let i = d.t + 1; i < count; i++) {
    const k = kind[i];
    if (col[i] === 1 && (k === Tok.Func || k === Tok.Var || k === Tok.Const || k === Tok.Type || k === Tok.Import)) return i - 1;
  }
  return count - 1;
}

/** Default local name of an import path when the package name is unknown (heuristic). */
export function guessImportName(path: string): string {
  let last = path.slice(path.lastIndexOf('/') + 1);
  const parts = path.split('/');
  // ".../v2" major version suffix
  const prev = parts[parts.length - 2];
  if (/^v[0-9]+$/.test(last) && prev !== undefined) last = prev;
  // gopkg.in/yaml.v3
  last = last.replace(/\.v[0-9]+$/, '');
  if (last.startsWith('go-')) last = last.slice(3);
  if (last.endsWith('-go')) last = last.slice(0, -3);
  if (last.endsWith('.go')) last = last.slice(0, -3);
  last = last.replace(/[^A-Za-z0-9_]/g, '_');
  return last;
}

export interface PkgObject<T> {
  file: FileSyntax;
  node: T;
}
export interface VarObject {
  file: FileSyntax;
  spec: A.ValueSpec;
  index: number; // position of the name within the spec
  order: number; // source order across the package
}
export interface ConstObject {
  file: FileSyntax;
  spec: A.ValueSpec;
  index: number;
}
export interface MethodObject {
  file: FileSyntax;
  decl: A.FuncDecl;
  recvType: string;
  pointer: boolean;
  generic: boolean;
}

/** Package-wide declaration tables. */
export interface PkgEnv {
  pkgName: string;
  files: FileSyntax[];
  consts: Map<string, ConstObject>;
  vars: Map<string, VarObject>;
  funcs: Map<string, PkgObject<A.FuncDecl>>;
  types: Map<string, PkgObject<A.TypeSpec>>;
  /** receiver base type name -> method name -> method */
  methods: Map<string, Map<string, MethodObject>>;
  /** method name -> all methods with that name */
  methodsByName: Map<string, MethodObject[]>;
  /** per file name: local import name -> import path */
  importNames: Map<string, Map<string, string>>;
  /** per file name: import paths of `import . "path"` */
  dotImports: Map<string, string[]>;
  resolver: ImportResolver | undefined;
  goos: string;
  goarch: string;
  goMinor: number;
  /**
   * Fingerprint of what one package-level lookup sees: `n:<name>` (declarations of a name),
   * `m:<method>` (methods of that name), `mt:<type>` (methods of a type), `i:<file>` (a file's
   * imports). A cached function analysis stays valid while the fingerprints it used are equal.
   */
  fingerprint(key: string): string;
}

export function buildPkgEnv(files: FileSyntax[], resolver: ImportResolver | undefined, goos: string, goarch: string, goMinor: number): PkgEnv {
  const env: PkgEnv = {
    pkgName: files[0]?.pkgName ?? '',
    files,
    consts: new Map(),
    vars: new Map(),
    funcs: new Map(),
    types: new Map(),
    methods: new Map(),
    methodsByName: new Map(),
    importNames: new Map(),
    dotImports: new Map(),
    resolver,
    goos,
    goarch,
    goMinor,
    fingerprint: () => '',
  };
  let order = 0;
  for (const f of files) {
    const names = new Map<string, string>();
    for (const imp of f.imports) {
      if (imp.name === '.') {
        const l = env.dotImports.get(f.name);
        if (l) l.push(imp.path);
        else env.dotImports.set(f.name, [imp.path]);
        continue;
      }
      if (imp.name === '_') continue;
      let local = imp.name;
      if (!local) {
        const ext = resolver?.(imp.path);
        local = ext?.name ?? guessImportName(imp.path);
      }
      names.set(local, imp.path);
    }
    env.importNames.set(f.name, names);
    for (const d of f.ast.decls) {
      if (d.k === 'FuncDecl') {
        if (d.recv) {
          const r = receiverInfo(d.recv.type);
          if (!r) continue;
          const m: MethodObject = { file: f, decl: d, recvType: r.name, pointer: r.pointer, generic: r.generic };
          let byType = env.methods.get(r.name);
          if (!byType) env.methods.set(r.name, (byType = new Map()));
          byType.set(d.name.value, m);
          let byName = env.methodsByName.get(d.name.value);
          if (!byName) env.methodsByName.set(d.name.value, (byName = []));
          byName.push(m);
        } else if (d.name.value !== '_' && d.name.value !== 'init') {
          env.funcs.set(d.name.value, { file: f, node: d });
        }
        continue;
      }
      if (d.tok === 'import') continue;
      for (const s of d.specs) {
        if (d.tok === 'type') {
          const ts = s as A.TypeSpec;
          env.types.set(ts.name.value, { file: f, node: ts });
        } else if (d.tok === 'const') {
          const vs = s as A.ValueSpec;
          vs.names.forEach((n, i) => {
            if (n.value !== '_') env.consts.set(n.value, { file: f, spec: vs, index: i });
          });
        } else if (d.tok === 'var') {
          const vs = s as A.ValueSpec;
          vs.names.forEach((n, i) => {
            const o: VarObject = { file: f, spec: vs, index: i, order: order++ };
            if (n.value !== '_') env.vars.set(n.value, o);
          });
        }
      }
    }
  }
  // Resolve receivers declared through local aliases (`type A = T; func (A) M()` is `T.M`).
  for (const [name, byType] of [...env.methods]) {
    const target = aliasTarget(env, name);
    if (target && target !== name) {
      env.methods.delete(name);
      let t = env.methods.get(target);
      if (!t) env.methods.set(target, (t = new Map()));
      for (const [mn, m] of byType) {
        m.recvType = target;
        t.set(mn, m);
      }
    }
  }
  // Fingerprints are built from per-declaration hashes (computed once per declaration, lazily):
  // a const block declares many names, and each name must not re-hash the whole block.
  type Piece = { text: string; hash?: string };
  const pieces = new Map<string, Piece[]>();
  const add = (key: string, piece: Piece): void => {
    const l = pieces.get(key);
    if (l) l.push(piece);
    else pieces.set(key, [piece]);
  };
  for (const f of files) {
    add('i:' + f.name, { text: f.imports.map((i) => `${i.name ?? ''} ${i.path}`).join(';') });
    f.ast.decls.forEach((d, i) => {
      const sig: Piece = { text: f.declSigs[i] ?? '' };
      if (d.k === 'FuncDecl') {
        if (d.recv) {
          const r = receiverInfo(d.recv.type);
          add('m:' + d.name.value, sig);
          if (r) add('mt:' + (aliasTarget(env, r.name) ?? r.name), sig);
        } else add('n:' + d.name.value, sig);
      } else if (d.tok !== 'import') {
        for (const spec of d.specs) {
          if (d.tok === 'type') add('n:' + (spec as A.TypeSpec).name.value, sig);
          else for (const n of (spec as A.ValueSpec).names) add('n:' + n.value, sig);
        }
      }
    });
  }
  const fpCache = new Map<string, string>();
  env.fingerprint = (key: string): string => {
    let h = fpCache.get(key);
    if (h === undefined) {
      const p = pieces.get(key);
      if (!p) h = '-';
      else if (p.length === 1 && p[0]) h = p[0].hash ??= hash53(p[0].text);
      else h = hash53(p.map((x) => (x.hash ??= hash53(x.text))).join(','));
      fpCache.set(key, h);
    }
    return h;
  };
  return env;
}

/** Follow local type aliases `type A = B` to a non-alias local type name. */
export function aliasTarget(env: PkgEnv, name: string): string | undefined {
  let cur = name;
  for (let i = 0; i < 10; i++) {
    const t = env.types.get(cur);
    if (!t || !t.node.alias) return cur;
    let x = t.node.type;
    while (x.k === 'ParenExpr') x = x.x;
    if (x.k === 'UnaryExpr' && x.op === '*') return cur; // pointer alias: not a valid receiver base
    if (x.k === 'IndexExpr') x = x.x;
    if (x.k !== 'Name') return cur;
    cur = x.value;
  }
  return cur;
}

/** Receiver base type: `T`, `*T`, `T[P]`, `(*T[P, Q])`. */
export function receiverInfo(t: A.Expr): { name: string; pointer: boolean; generic: boolean; typeParams: string[] } | undefined {
  let x = t;
  let pointer = false;
  while (x.k === 'ParenExpr') x = x.x;
  if (x.k === 'UnaryExpr' && x.op === '*') {
    pointer = true;
    x = x.x;
    while (x.k === 'ParenExpr') x = x.x;
  }
  let generic = false;
  const typeParams: string[] = [];
  if (x.k === 'IndexExpr') {
    generic = true;
    for (const i of x.indices) if (i.k === 'Name') typeParams.push(i.value);
    x = x.x;
  }
  if (x.k !== 'Name') return undefined;
  return { name: x.value, pointer, generic, typeParams };
}

/** Predeclared identifiers of the universe scope. */
export const BUILTIN_FUNCS = new Set([
  'append',
  'cap',
  'clear',
  'close',
  'complex',
  'copy',
  'delete',
  'imag',
  'len',
  'make',
  'max',
  'min',
  'new',
  'panic',
  'print',
  'println',
  'real',
  'recover',
]);
export const PREDECLARED_TYPES = new Set([
  'any',
  'bool',
  'byte',
  'comparable',
  'complex64',
  'complex128',
  'error',
  'float32',
  'float64',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'rune',
  'string',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uintptr',
]);

/**
 * A few standard-library facts used when no resolver is given: iterator-returning functions
 * (range-over-func detection), zero-argument functions without results (go/defer wrappers),
 * and platform constants (dead code). A resolver built from the real sources overrides them.
 */
export function builtinExternal(path: string, goos: string, goarch: string): ExternalPackage | undefined {
  const seq = (n: number): ExternalFunc => ({ params: n, results: 1, variadic: false, resultIsFunc: [true], generic: true });
  const seqNG = (n: number): ExternalFunc => ({ params: n, results: 1, variadic: false, resultIsFunc: [true], generic: false });
  const none: ExternalFunc = { params: 0, results: 0, variadic: false, resultIsFunc: [], generic: false };
  const ptrSize = /^(386|arm|mips|mipsle|wasm32)$/.test(goarch) ? 4n : 8n;
  switch (path) {
    case 'iter':
      return externalFromTables({ name: 'iter', funcTypes: new Set(['Seq', 'Seq2']) });
    case 'maps':
      return externalFromTables({
        name: 'maps',
        funcs: new Map([
          ['Keys', seq(1)],
          ['Values', seq(1)],
          ['All', seq(1)],
        ]),
      });
    case 'slices':
      return externalFromTables({
        name: 'slices',
        funcs: new Map([
          ['All', seq(1)],
          ['Values', seq(1)],
          ['Backward', seq(1)],
          ['Chunk', seq(2)],
        ]),
      });
    case 'strings':
    case 'bytes':
      return externalFromTables({
        name: path,
        funcs: new Map([
          ['Lines', seqNG(1)],
          ['SplitSeq', seqNG(2)],
          ['SplitAfterSeq', seqNG(2)],
          ['FieldsSeq', seqNG(1)],
          ['FieldsFuncSeq', seqNG(2)],
        ]),
      });
    case 'runtime':
      return externalFromTables({
        name: 'runtime',
        consts: new Map<string, ConstVal>([
          ['GOOS', { k: 'string', v: goos }],
          ['GOARCH', { k: 'string', v: goarch }],
          ['Compiler', { k: 'string', v: 'gc' }],
        ]),
        funcs: new Map([
          ['Gosched', none],
          ['LockOSThread', none],
          ['UnlockOSThread', none],
          ['GC', none],
        ]),
      });
    case 'internal/goos':
      return externalFromTables({ name: 'goos', consts: new Map<string, ConstVal>([['GOOS', { k: 'string', v: goos }]]) });
    case 'internal/goarch':
      return externalFromTables({
        name: 'goarch',
        consts: new Map<string, ConstVal>([
          ['GOARCH', { k: 'string', v: goarch }],
          ['PtrSize', { k: 'int', v: ptrSize }],
        ]),
      });
    case 'runtime/pprof':
      return externalFromTables({ name: 'pprof', funcs: new Map([['StopCPUProfile', none]]) });
    case 'runtime/trace':
      return externalFromTables({ name: 'trace', funcs: new Map([['Stop', none]]) });
    default:
      return undefined;
  }
}
