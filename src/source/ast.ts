/**
 * A small Go syntax tree: just enough structure for naming functions the way the compiler does,
 * finding call sites, evaluating constant conditions (dead code) and a little local type
 * inference. Positions are token indexes into the file's TokenStream (`t` = first token).
 */

export type Expr =
  | Name
  | BasicLit
  | CompositeLit
  | KeyValueExpr
  | FuncLit
  | ParenExpr
  | SelectorExpr
  | IndexExpr
  | SliceExpr
  | AssertExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | ArrayType
  | MapType
  | ChanType
  | FuncType
  | StructType
  | InterfaceType
  | EllipsisType
  | BadExpr;

export interface Name {
  k: 'Name';
  t: number;
  value: string;
}
export interface BasicLit {
  k: 'BasicLit';
  t: number;
  /** 'int' | 'float' | 'imag' | 'rune' | 'string' */
  kind: 'int' | 'float' | 'imag' | 'rune' | 'string';
  value: string;
}
export interface CompositeLit {
  k: 'CompositeLit';
  t: number;
  type: Expr | undefined;
  elems: Expr[];
  rbrace: number;
}
export interface KeyValueExpr {
  k: 'KeyValueExpr';
  t: number;
  key: Expr;
  value: Expr;
}
export interface FuncLit {
  k: 'FuncLit';
  t: number; // the `func` keyword
  type: FuncType;
  body: BlockStmt;
}
export interface ParenExpr {
  k: 'ParenExpr';
  t: number;
  x: Expr;
}
export interface SelectorExpr {
  k: 'SelectorExpr';
  t: number;
  x: Expr;
  sel: Name;
}
export interface IndexExpr {
  k: 'IndexExpr';
  t: number;
  x: Expr;
  indices: Expr[];
  lbrack: number;
}
export interface SliceExpr {
  k: 'SliceExpr';
  t: number;
  x: Expr;
  lo: Expr | undefined;
  hi: Expr | undefined;
  max: Expr | undefined;
}
export interface AssertExpr {
  k: 'AssertExpr';
  t: number;
  x: Expr;
  /** undefined for `x.(type)` */
  type: Expr | undefined;
}
export interface CallExpr {
  k: 'CallExpr';
  t: number;
  fun: Expr;
  args: Expr[];
  lparen: number;
  rparen: number;
  dots: boolean;
}
export interface UnaryExpr {
  k: 'UnaryExpr';
  t: number;
  /** '+', '-', '!', '^', '*', '&', '<-', '~' */
  op: string;
  x: Expr;
}
export interface BinaryExpr {
  k: 'BinaryExpr';
  t: number;
  op: string;
  x: Expr;
  y: Expr;
}
export interface ArrayType {
  k: 'ArrayType';
  t: number;
  /** undefined for a slice type; EllipsisType-less `[...]T` has len = 'ellipsis' */
  len: Expr | undefined | 'ellipsis';
  elem: Expr;
}
export interface MapType {
  k: 'MapType';
  t: number;
  key: Expr;
  value: Expr;
}
export interface ChanType {
  k: 'ChanType';
  t: number;
  /** `chan<- T` is 'send', `<-chan T` is 'recv', `chan T` has none. */
  dir?: 'send' | 'recv';
  elem: Expr;
}
export interface Field {
  names: Name[];
  type: Expr;
  /** Struct field tag (unquoted value), when present. */
  tag?: string;
}
export interface FuncType {
  k: 'FuncType';
  t: number;
  typeParams: Field[] | undefined;
  params: Field[];
  results: Field[];
}
export interface StructType {
  k: 'StructType';
  t: number;
  /** Embedded fields have no names. */
  fields: Field[];
}
export interface InterfaceType {
  k: 'InterfaceType';
  t: number;
  methods: { name: Name; type: FuncType }[];
  embeds: Expr[];
}
export interface EllipsisType {
  k: 'EllipsisType';
  t: number;
  elem: Expr;
}
export interface BadExpr {
  k: 'BadExpr';
  t: number;
}

export type Stmt =
  | ExprStmt
  | SendStmt
  | IncDecStmt
  | AssignStmt
  | GoDeferStmt
  | ReturnStmt
  | BranchStmt
  | BlockStmt
  | IfStmt
  | SwitchStmt
  | SelectStmt
  | ForStmt
  | RangeStmt
  | LabeledStmt
  | DeclStmt
  | EmptyStmt
  | BadStmt;

export interface ExprStmt {
  k: 'ExprStmt';
  t: number;
  x: Expr;
}
export interface SendStmt {
  k: 'SendStmt';
  t: number;
  ch: Expr;
  value: Expr;
}
export interface IncDecStmt {
  k: 'IncDecStmt';
  t: number;
  x: Expr;
}
export interface AssignStmt {
  k: 'AssignStmt';
  t: number;
  /** '=', ':=', '+=', ... */
  op: string;
  lhs: Expr[];
  rhs: Expr[];
}
export interface GoDeferStmt {
  k: 'GoDeferStmt';
  t: number; // the `go` / `defer` keyword
  tok: 'go' | 'defer';
  call: Expr;
  /** Last token of the statement. */
  end: number;
}
export interface ReturnStmt {
  k: 'ReturnStmt';
  t: number;
  results: Expr[];
}
export interface BranchStmt {
  k: 'BranchStmt';
  t: number;
  tok: 'break' | 'continue' | 'goto' | 'fallthrough';
  label: string | undefined;
}
export interface BlockStmt {
  k: 'BlockStmt';
  t: number; // '{'
  list: Stmt[];
  rbrace: number;
}
export interface IfStmt {
  k: 'IfStmt';
  t: number;
  init: Stmt | undefined;
  cond: Expr;
  then: BlockStmt;
  else: Stmt | undefined; // IfStmt or BlockStmt
}
export interface CaseClause {
  t: number;
  /** undefined for `default` */
  list: Expr[] | undefined;
  body: Stmt[];
}
export interface SwitchStmt {
  k: 'SwitchStmt';
  t: number;
  init: Stmt | undefined;
  /** Expression switch tag, or the type switch guard `[x :=] y.(type)`. */
  tag: Expr | undefined;
  /** Set for type switches: the bound name, if any. */
  typeSwitch: { bind: Name | undefined; x: Expr } | undefined;
  clauses: CaseClause[];
  rbrace: number;
}
export interface CommClause {
  t: number;
  /** undefined for `default` */
  comm: Stmt | undefined;
  body: Stmt[];
}
export interface SelectStmt {
  k: 'SelectStmt';
  t: number;
  clauses: CommClause[];
  rbrace: number;
}
export interface ForStmt {
  k: 'ForStmt';
  t: number;
  init: Stmt | undefined;
  cond: Expr | undefined;
  post: Stmt | undefined;
  body: BlockStmt;
}
export interface RangeStmt {
  k: 'RangeStmt';
  t: number; // the `for` keyword
  key: Expr | undefined;
  value: Expr | undefined;
  define: boolean;
  x: Expr;
  body: BlockStmt;
}
export interface LabeledStmt {
  k: 'LabeledStmt';
  t: number;
  label: string;
  stmt: Stmt;
}
export interface DeclStmt {
  k: 'DeclStmt';
  t: number;
  decl: GenDecl;
}
export interface EmptyStmt {
  k: 'EmptyStmt';
  t: number;
}
export interface BadStmt {
  k: 'BadStmt';
  t: number;
}

export interface ValueSpec {
  t: number;
  names: Name[];
  type: Expr | undefined;
  values: Expr[];
  /** For const specs: index within the group (iota), and whether values were inherited. */
  iota: number;
  implicit: boolean;
}
export interface TypeSpec {
  t: number;
  name: Name;
  typeParams: Field[] | undefined;
  alias: boolean;
  type: Expr;
}
export interface ImportSpec {
  t: number;
  name: string | undefined; // explicit name, '.' or '_'
  path: string;
}
export interface GenDecl {
  k: 'GenDecl';
  t: number;
  tok: 'var' | 'const' | 'type' | 'import';
  specs: (ValueSpec | TypeSpec | ImportSpec)[];
}
export interface FuncDecl {
  k: 'FuncDecl';
  t: number; // the `func` keyword
  recv: Field | undefined;
  name: Name;
  type: FuncType;
  /**
   * The body. With lazy parsing (the default for indexing) it is parsed on first access, so
   * declarations whose cached analysis is reused are never parsed.
   */
  body: BlockStmt | undefined;
  /** Token indexes of the body's braces, known without parsing it. */
  bodyRange: [number, number] | undefined;
}

export type Decl = GenDecl | FuncDecl;

export interface SourceFileAst {
  pkgName: string;
  /** Token of the package name. */
  pkgTok: number;
  imports: ImportSpec[];
  decls: Decl[];
  /** Syntax errors (message + token); the tree is still usable around them. */
  errors: { t: number; msg: string }[];
}
