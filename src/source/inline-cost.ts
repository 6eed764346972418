/**
 * An estimate of the inliner's cost of a function (cmd/compile/internal/inline/inl.go,
 * `hairyVisitor`), from the syntax tree: roughly one unit per IR node the visitor would see,
 * the visitor's special cases where the syntax shows them, and the refusals that do not depend
 * on the budget (`recover`, `go`/`defer`, pragmas).
 *
 * The syntax is not the IR: typechecking adds implicit conversions, temporaries and dereferences,
 * folds constants and lowers some builtins, so the estimate is off by a few nodes per statement.
 * How far off is measured against the compiler's `-m=2` costs (test/oracle/source/inline-cost,
 * scripts/inline-cost.mjs; numbers in docs/performance.md) and callers treat costs near a budget
 * as undecidable (`inlinability` in src/match/inlinable.ts).
 *
 * Calls are left open: what a call costs depends on its callee (the callee's own cost if the
 * callee is inlinable, else `inlineExtraCallCost` 57, or 17 for calling a parameter), which the
 * matcher resolves across packages. `nodes` counts the call nodes themselves.
 */
import type * as A from './ast';
import type { TokenStream } from './lexer';
import type { CallSite } from './model';

export interface InlineCostInfo {
  /** Estimated IR nodes of the body, calls' extra costs excluded. */
  nodes: number;
  /** Calls that cost extra: indexes into the entry's `calls`, and whether the callee is a parameter (cost 17). */
  calls: { i: number; param?: true }[];
  /** A reason the function can never be inlined, whatever the budget (`cannot inline F: <reason>`). */
  refusal?: string;
}

/** Pragmas that make `InlineImpossible` non-empty (those the default build honours). */
const IMPOSSIBLE_PRAGMAS: Record<string, string> = {
  'go:noinline': 'marked go:noinline',
  'go:cgo_unsafe_args': 'marked go:cgo_unsafe_args',
  'go:uintptrkeepalive': 'marked as having a keep-alive uintptr argument',
  'go:uintptrescapes': 'marked as having an escaping uintptr argument',
  'go:yeswritebarrierrec': 'marked go:yeswritebarrierrec',
};

/** `//go:` pragmas in the comments between the previous declaration and the token at `tok` (the `func` keyword). */
export function pragmasAbove(ts: TokenStream, tok: number): string[] {
  const line = ts.line[tok]!;
  const out: string[] = [];
  const byLine = new Map<number, string>();
  for (const d of ts.goDirectives) if (d.line < line) byLine.set(d.line, d.text);
  for (let l = line - 1; l >= 1; l--) {
    const text = ts.src.slice(ts.lineStarts[l - 1], l < ts.lineCount ? ts.lineStarts[l] : ts.src.length).trim();
    if (text !== '' && !text.startsWith('//')) break; // pragmas since the previous declaration apply, blank lines too
    const d = byLine.get(l);
    if (d) out.push(d.split(/\s/)[0]!);
  }
  return out;
}

export interface CostContext {
  ts: TokenStream;
  /** The function's own call sites (walker output), to find each call's dispatch. */
  calls: readonly CallSite[];
  /** Is this name a constant (so that expressions of constants fold to one literal)? */
  isConst(name: string): boolean;
  /** `staticBool` of an `if` condition: +1 always true, -1 always false, 0 unknown. */
  constCond(cond: A.Expr, init: A.Stmt | undefined): number;
  /** Parameter names of the function (calls to them cost 17, not 57). */
  params: ReadonlySet<string>;
}

/** The estimate for a function declaration with a body. */
export function estimateInlineCost(decl: A.FuncDecl, body: A.BlockStmt, c: CostContext): InlineCostInfo {
  for (const p of pragmasAbove(c.ts, decl.t)) {
    const why = IMPOSSIBLE_PRAGMAS[p];
    if (why) return { nodes: 0, calls: [], refusal: why };
  }
  const byPos = new Map<string, number>();
  c.calls.forEach((s, i) => byPos.set(`${s.physicalLine}:${s.character}`, i));
  const v = new CostVisitor(c, byPos);
  v.stmts(body.list);
  return { nodes: v.nodes, calls: v.calls, ...(v.refusal ? { refusal: v.refusal } : {}) };
}

class CostVisitor {
  nodes = 0;
  calls: { i: number; param?: true }[] = [];
  refusal: string | undefined;

  constructor(
    private readonly c: CostContext,
    private readonly byPos: Map<string, number>,
  ) {}

  stmts(list: A.Stmt[]): void {
    for (const s of list) this.stmt(s);
  }

  stmt(s: A.Stmt | undefined): void {
    if (!s) return;
    switch (s.k) {
      case 'ExprStmt':
        this.expr(s.x);
        return;
      case 'SendStmt':
        this.nodes++;
        this.expr(s.ch);
        this.expr(s.value);
        return;
      case 'IncDecStmt':
        this.nodes += 2; // OASOP + the constant 1
        this.expr(s.x);
        return;
      case 'AssignStmt': {
        const multi = s.lhs.length > 1;
        this.nodes += 1;
        if (s.op === ':=' || (multi && s.rhs.length === 1)) this.nodes += s.lhs.length; // ODCLs of the new names / temporaries
        for (const x of s.lhs) if (!(x.k === 'Name' && x.value === '_')) this.expr(x);
        for (const x of s.rhs) this.expr(x);
        return;
      }
      case 'GoDeferStmt':
        this.refusal ??= `unhandled op ${s.tok === 'go' ? 'GO' : 'DEFER'}`;
        this.expr(s.call);
        return;
      case 'ReturnStmt':
        this.nodes++;
        for (const x of s.results) this.expr(x);
        return;
      case 'BranchStmt':
        if (s.tok !== 'fallthrough') this.nodes++;
        return;
      case 'BlockStmt':
        this.stmts(s.list);
        return;
      case 'IfStmt': {
        this.stmt(s.init);
        // a constant condition costs nothing and only the taken branch is there
        const v = this.c.constCond(s.cond, s.init);
        if (v > 0) {
          this.stmts(s.then.list);
          return;
        }
        if (v < 0) {
          this.stmt(s.else);
          return;
        }
        this.nodes++;
        this.expr(s.cond);
        this.stmts(s.then.list);
        this.stmt(s.else);
        return;
      }
      case 'SwitchStmt':
        this.nodes++;
        this.stmt(s.init);
        if (s.typeSwitch) {
          this.nodes++; // OTYPESW
          this.expr(s.typeSwitch.x);
        } else if (s.tag) this.expr(s.tag);
        for (const cl of s.clauses) {
          this.nodes++;
          if (!s.typeSwitch) for (const x of cl.list ?? []) this.expr(x);
          this.stmts(cl.body);
        }
        return;
      case 'SelectStmt':
        this.nodes++;
        for (const cl of s.clauses) {
          this.nodes++;
          this.stmt(cl.comm);
          this.stmts(cl.body);
        }
        return;
      case 'ForStmt':
        this.nodes++;
        this.stmt(s.init);
        if (s.cond) this.expr(s.cond);
        this.stmt(s.post);
        this.stmts(s.body.list);
        return;
      case 'RangeStmt':
        this.nodes++;
        if (s.key && !(s.key.k === 'Name' && s.key.value === '_')) this.expr(s.key);
        if (s.value && !(s.value.k === 'Name' && s.value.value === '_')) this.expr(s.value);
        this.expr(s.x);
        this.stmts(s.body.list);
        return;
      case 'LabeledStmt':
        this.nodes++;
        this.stmt(s.stmt);
        return;
      case 'DeclStmt':
        if (s.decl.tok !== 'var') return;
        for (const sp of s.decl.specs) {
          const vs = sp as A.ValueSpec;
          this.nodes += vs.names.length; // ODCL
          if (vs.values.length) {
            this.nodes += 1;
            this.nodes += vs.names.length;
            for (const x of vs.values) this.expr(x);
          }
        }
        return;
      default:
        return;
    }
  }

  /** Constant-foldable: literals and constants combined by operators (and conversions of them). */
  private isConstExpr(x: A.Expr, depth = 0): boolean {
    if (depth > 20) return false;
    switch (x.k) {
      case 'BasicLit':
        return true;
      case 'Name':
        return x.value === 'true' || x.value === 'false' || x.value === 'iota' || this.c.isConst(x.value);
      case 'ParenExpr':
        return this.isConstExpr(x.x, depth + 1);
      case 'UnaryExpr':
        return x.op !== '&' && x.op !== '*' && x.op !== '<-' && this.isConstExpr(x.x, depth + 1);
      case 'BinaryExpr':
        return this.isConstExpr(x.x, depth + 1) && this.isConstExpr(x.y, depth + 1);
      default:
        return false;
    }
  }

  expr(x: A.Expr | undefined): void {
    if (!x) return;
    if (x.k !== 'Name' && x.k !== 'BasicLit' && this.isConstExpr(x)) {
      this.nodes++;
      return;
    }
    switch (x.k) {
      case 'Name':
        if (x.value !== '_') this.nodes++;
        return;
      case 'BasicLit':
        this.nodes++;
        return;
      case 'ParenExpr':
        this.expr(x.x);
        return;
      case 'CompositeLit':
        this.nodes += 1;
        for (const e of x.elems) {
          if (e.k === 'KeyValueExpr') {
            this.nodes++;
            if (e.key.k !== 'Name') this.expr(e.key);
            this.expr(e.value);
          } else this.expr(e);
        }
        return;
      case 'KeyValueExpr':
        this.expr(x.key);
        this.expr(x.value);
        return;
      case 'FuncLit':
        // OCLOSURE: 15 extra + the node; the closure's body is its own function
        this.nodes += 16;
        return;
      case 'SelectorExpr':
        this.nodes++;
        this.expr(x.x);
        return;
      case 'IndexExpr':
        this.nodes++;
        this.expr(x.x);
        for (const i of x.indices) this.expr(i);
        return;
      case 'SliceExpr':
        this.nodes++;
        this.expr(x.x);
        if (x.lo && !(x.lo.k === 'BasicLit' && x.lo.value === '0')) this.expr(x.lo);
        this.expr(x.hi);
        this.expr(x.max);
        return;
      case 'AssertExpr':
        this.nodes++;
        this.expr(x.x);
        return;
      case 'CallExpr':
        this.call(x);
        return;
      case 'UnaryExpr':
        this.nodes++;
        this.expr(x.x);
        return;
      case 'BinaryExpr':
        this.nodes++;
        this.expr(x.x);
        this.expr(x.y);
        return;
      default:
        return; // types (OTYPE costs nothing)
    }
  }

  private call(call: A.CallExpr): void {
    const ts = this.c.ts;
    const idx = this.byPos.get(`${ts.line[call.lparen]}:${ts.col[call.lparen]! - 1}`);
    const site = idx === undefined ? undefined : this.c.calls[idx];
    for (const a of call.args) this.expr(a);
    if (site?.kind === 'conversion') {
      this.nodes++; // OCONV (an OCONVNOP costs nothing, its operand does)
      return;
    }
    if (site?.kind === 'builtin') {
      const n = site.name ?? '';
      if (n === 'recover') this.refusal ??= 'call to recover';
      else if (n === 'panic')
        this.nodes += 2; // OPANIC + inlineExtraPanicCost (the implicit OCONVIFACE is refunded)
      else this.nodes++; // len, append, make, min…: one op
      return;
    }
    this.nodes++; // OCALLFUNC / OCALLINTER
    const fun = call.fun;
    if (site?.kind === 'qualified' || fun.k === 'Name')
      this.nodes++; // the callee ONAME
    else if (fun.k === 'SelectorExpr') {
      // method call: OMETHEXPR costs nothing (toolstash hack), the receiver is an argument;
      // an interface call's ODOTINTER is a node
      if (site?.dispatch !== 'static') this.nodes++;
      this.expr(fun.x);
    } else this.expr(fun);
    if (idx === undefined) {
      this.calls.push({ i: -1 });
      return;
    }
    const param = fun.k === 'Name' && this.c.params.has(fun.value) && site?.dispatch !== 'static';
    this.calls.push(param ? { i: idx, param: true } : { i: idx });
  }
}
