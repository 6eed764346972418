/**
 * The walk of statements: scopes and declarations, statically dead code (`writer.stmts`,
 * `staticBool`, `terminates`), range-over-func bodies and go/defer wrappers.
 */
import type * as A from './ast';
import { staticBool } from './consts';
import type { FuncKind } from './model';
import { unparen } from './parser';
import { childName, deadCodeElimination, newCtx } from './closure-names';
import { findLast, type FnCtx } from './walk-model';
import { WalkExprs } from './walk-exprs';

export abstract class WalkStmts extends WalkExprs {
  /** `writer.stmts`: statements after a terminating one are dropped unless a label follows. */
  protected walkStmtList(list: A.Stmt[], ctx: FnCtx): void {
    if (!deadCodeElimination(this.goMinor)) {
      for (const s of list) this.walkStmt(s, ctx, undefined);
      return;
    }
    let lastLabel = -1;
    list.forEach((s, i) => {
      if (s.k === 'LabeledStmt') lastLabel = i;
    });
    let dead = false;
    for (const [i, s] of list.entries()) {
      if (dead && i > lastLabel && s.k !== 'LabeledStmt') continue;
      this.walkStmt(s, ctx, undefined);
      dead = this.terminates(s, ctx);
    }
  }

  protected walkBlock(b: A.BlockStmt, ctx: FnCtx): void {
    this.pushScope();
    this.walkStmtList(b.list, ctx);
    this.popScope();
  }

  /** `pkgWriter.terminates`, plus break/continue leaving a range-over-func body (rewritten to returns). */
  protected terminates(s: A.Stmt | undefined, ctx: FnCtx): boolean {
    if (!s) return false;
    switch (s.k) {
      case 'BranchStmt':
        if (s.tok === 'goto') return true;
        if (ctx.isRangeBody && (s.tok === 'break' || s.tok === 'continue')) return this.branchLeavesRangeBody(s, ctx);
        return false;
      case 'ReturnStmt':
        return true;
      case 'ExprStmt': {
        const x = unparen(s.x);
        if (x.k === 'CallExpr') {
          const f = unparen(x.fun);
          if (f.k === 'Name' && f.value === 'panic' && !this.lookup('panic')) return true;
        }
        return false;
      }
      case 'IfStmt': {
        const cond = this.staticCond(s.cond, s.init);
        return (cond < 0 || this.terminates(s.then, ctx)) && (cond > 0 || this.terminates(s.else, ctx));
      }
      case 'BlockStmt': {
        const last = findLast(s.list, (x) => x.k !== 'EmptyStmt');
        return last ? this.terminates(last, ctx) : false;
      }
      default:
        return false;
    }
  }

  protected branchLeavesRangeBody(s: A.BranchStmt, ctx: FnCtx): boolean {
    const targets = ctx.targets;
    if (s.label === undefined) {
      const t = findLast(targets, (x) => s.tok !== 'continue' || x.kind === 'for' || x.kind === 'rangefunc');
      return t ? t.kind === 'rangefunc' : true;
    }
    const t = findLast(targets, (x) => x.label === s.label);
    return t ? t.kind === 'rangefunc' : true;
  }

  /** Evaluate a condition in the scope of its statement's init (declared names may shadow). */
  protected staticCond(cond: A.Expr, init: A.Stmt | undefined): number {
    if (init && init.k === 'AssignStmt' && init.op === ':=') {
      // names declared by the init shadow outer constants
      this.pushScope();
      for (const l of init.lhs) if (l.k === 'Name') this.declare(l.value, { kind: 'var', file: this.file });
      const v = staticBool(cond, this.currentConstEnv()).v;
      this.popScope();
      return v;
    }
    return staticBool(cond, this.currentConstEnv()).v;
  }

  protected walkStmt(s: A.Stmt, ctx: FnCtx, label: string | undefined): void {
    switch (s.k) {
      case 'ExprStmt':
        this.walkExpr(s.x, ctx);
        return;
      case 'SendStmt':
        this.walkExpr(s.ch, ctx);
        this.walkExpr(s.value, ctx);
        return;
      case 'IncDecStmt':
        this.walkExpr(s.x, ctx);
        this.markAssigned(s.x);
        return;
      case 'AssignStmt': {
        if (s.op === ':=') {
          for (const l of s.lhs) if (l.k !== 'Name') this.walkExpr(l, ctx);
          for (const r of s.rhs) this.walkExpr(r, ctx);
          const tuple = s.rhs.length === 1 && s.lhs.length > 1;
          s.lhs.forEach((l, i) => {
            if (l.k !== 'Name') return;
            // `:=` redeclares only new names; an existing binding in the same scope keeps its
            // type (and is assigned to)
            const old = this.scope?.vars?.get(l.value);
            if (old) {
              old.reassigned = true;
              return;
            }
            this.declare(l.value, {
              kind: 'var',
              init: tuple ? s.rhs[0] : s.rhs[i],
              tuple: tuple ? i : undefined,
              file: this.file,
              scope: this.scope,
              staticDefn: !tuple && s.lhs.length === s.rhs.length ? true : undefined,
            });
          });
        } else {
          for (const l of s.lhs) this.walkExpr(l, ctx);
          for (const r of s.rhs) this.walkExpr(r, ctx);
          for (const l of s.lhs) this.markAssigned(l);
        }
        return;
      }
      case 'GoDeferStmt':
        this.walkGoDefer(s, ctx);
        return;
      case 'ReturnStmt':
        for (const r of s.results) this.walkExpr(r, ctx);
        return;
      case 'BranchStmt':
      case 'EmptyStmt':
      case 'BadStmt':
        return;
      case 'BlockStmt':
        this.walkBlock(s, ctx);
        return;
      case 'LabeledStmt':
        this.walkStmt(s.stmt, ctx, s.label);
        return;
      case 'DeclStmt':
        this.walkDecl(s.decl, ctx);
        return;
      case 'IfStmt': {
        this.pushScope();
        if (s.init) this.walkStmt(s.init, ctx, undefined);
        const r = deadCodeElimination(this.goMinor) ? staticBool(s.cond, this.currentConstEnv()) : { v: 0, kept: s.cond };
        this.walkExpr(r.kept, ctx);
        if (r.v >= 0) this.walkBlock(s.then, ctx);
        if (r.v <= 0 && s.else) this.walkStmt(s.else, ctx, undefined);
        this.popScope();
        return;
      }
      case 'ForStmt': {
        this.pushScope();
        if (s.init) this.walkStmt(s.init, ctx, undefined);
        let alwaysFalse = false;
        if (s.cond) {
          const r = deadCodeElimination(this.goMinor) ? staticBool(s.cond, this.currentConstEnv()) : { v: 0, kept: s.cond };
          alwaysFalse = r.v < 0;
          this.walkExpr(r.kept, ctx);
        }
        ctx.targets.push({ kind: 'for', label });
        if (!alwaysFalse) {
          if (s.post) this.walkStmt(s.post, ctx, undefined);
          this.walkBlock(s.body, ctx);
        }
        ctx.targets.pop();
        this.popScope();
        return;
      }
      case 'RangeStmt':
        this.walkRange(s, ctx, label);
        return;
      case 'SwitchStmt': {
        this.pushScope();
        if (s.init) this.walkStmt(s.init, ctx, undefined);
        if (s.typeSwitch) this.walkExpr(s.typeSwitch.x, ctx);
        else if (s.tag) this.walkExpr(s.tag, ctx);
        ctx.targets.push({ kind: 'switch', label });
        for (const c of s.clauses) {
          if (c.list) for (const x of c.list) if (!s.typeSwitch) this.walkExpr(x, ctx);
          this.pushScope();
          if (s.typeSwitch?.bind) {
            // one type in the case: that type; otherwise the operand's type
            const only = c.list && c.list.length === 1 ? c.list[0] : undefined;
            const one = only && !(only.k === 'Name' && only.value === 'nil' && !this.lookup('nil')) ? only : undefined;
            this.declare(s.typeSwitch.bind.value, {
              kind: 'var',
              type: one,
              init: one ? undefined : s.typeSwitch.x,
              file: this.file,
              // the operand is read outside the clause (`switch v := v.(type)` rebinds v)
              scope: this.scope?.parent,
            });
          }
          this.walkStmtList(c.body, ctx);
          this.popScope();
        }
        ctx.targets.pop();
        this.popScope();
        return;
      }
      case 'SelectStmt': {
        ctx.targets.push({ kind: 'select', label });
        for (const c of s.clauses) {
          this.pushScope();
          if (c.comm) this.walkStmt(c.comm, ctx, undefined);
          this.walkStmtList(c.body, ctx);
          this.popScope();
        }
        ctx.targets.pop();
        return;
      }
    }
  }

  protected walkDecl(d: A.GenDecl, ctx: FnCtx): void {
    for (const spec of d.specs) {
      if (d.tok === 'var') {
        const vs = spec as A.ValueSpec;
        for (const v of vs.values) this.walkExpr(v, ctx);
        const tuple = vs.values.length === 1 && vs.names.length > 1;
        vs.names.forEach((n, i) =>
          this.declare(n.value, {
            kind: 'var',
            type: vs.type,
            init: tuple ? vs.values[0] : vs.values[i],
            tuple: tuple ? i : undefined,
            file: this.file,
            scope: this.scope,
            staticDefn: vs.values.length === vs.names.length ? true : undefined,
          }),
        );
      } else if (d.tok === 'const') {
        const vs = spec as A.ValueSpec;
        // constant expressions cannot contain closures; just declare them
        vs.names.forEach((n, i) =>
          this.declare(n.value, { kind: 'const', constSpec: { spec: vs, index: i }, type: vs.type, file: this.file, scope: this.scope }),
        );
      } else if (d.tok === 'type') {
        const ts = spec as A.TypeSpec;
        this.declare(ts.name.value, { kind: 'type', type: ts.type, file: this.file, scope: this.scope, alias: ts.alias });
      }
    }
  }

  protected walkRange(s: A.RangeStmt, ctx: FnCtx, label: string | undefined): void {
    this.pushScope();
    if (!s.define) {
      if (s.key) this.walkExpr(s.key, ctx);
      if (s.value) this.walkExpr(s.value, ctx);
      if (s.key) this.markAssigned(s.key);
      if (s.value) this.markAssigned(s.value);
    }
    this.walkExpr(s.x, ctx);
    const declareVars = (): void => {
      if (!s.define) return;
      if (s.key && s.key.k === 'Name') this.declare(s.key.value, { kind: 'var', rangeX: s.x, tuple: 0, file: this.file, scope: this.scope });
      if (s.value && s.value.k === 'Name') this.declare(s.value.value, { kind: 'var', rangeX: s.x, tuple: 1, file: this.file, scope: this.scope });
    };
    if (this.goMinor >= 23 && this.isRangeOverFunc(s.x)) {
      // The body becomes a closure `F-rangeN` starting at the `for` keyword.
      const name = childName(ctx, 'range');
      const parentCtx = ctx.isRangeBody && ctx.rangeParent ? ctx.rangeParent : ctx;
      const entry = this.emit ? this.makeEntry(name, 'range', s.t, s.body.rbrace, ctx.generic, ctx.entry?.symbol) : undefined;
      this.recordRangeCall(s, ctx, this.prefix + '.' + name);
      const body = newCtx(entry, name, true, parentCtx, ctx.typeParams, ctx.generic, true);
      if (!entry) body.startLine = this.relLine(s.t);
      body.targets.push({ kind: 'rangefunc', label });
      this.pushScope();
      declareVars();
      this.walkStmtList(s.body.list, body);
      this.popScope();
    } else {
      declareVars();
      ctx.targets.push({ kind: 'for', label });
      this.walkBlock(s.body, ctx);
      ctx.targets.pop();
    }
    this.popScope();
  }

  protected walkGoDefer(s: A.GoDeferStmt, ctx: FnCtx): void {
    const call = unparen(s.call);
    if (call.k !== 'CallExpr') {
      this.walkExpr(s.call, ctx);
      return;
    }
    // The call's operands are read first (literals in them are numbered before the wrapper).
    const site = this.walkCall(call, ctx);
    if (this.goMinor < 22) {
      // Go 1.21 creates go/defer wrappers during escape analysis, after inlining, named as
      // ordinary literals; they cannot be predicted from the source.
      if (site) site.goDefer = s.tok;
      return;
    }
    if (this.goDeferNeedsWrapper(call)) {
      const name = childName(ctx, s.tok);
      const kind: FuncKind = s.tok === 'go' ? 'gowrap' : 'deferwrap';
      const e = this.emit ? this.makeEntry(name, kind, s.t, s.end, ctx.generic, ctx.entry?.symbol) : undefined;
      if (site) {
        site.goDefer = s.tok;
        if (e) site.wrapper = e.symbol;
        else site.wrapper = this.prefix + '.' + name;
      }
    } else if (site) {
      site.goDefer = s.tok;
    }
  }

  /** Range-over-func: the range expression has a function type (Go 1.23+). */
  protected isRangeOverFunc(x: A.Expr): boolean {
    const u0 = unparen(x);
    if (u0.k === 'FuncLit') return true;
    if (u0.k === 'BasicLit') return false;
    const t = this.typeOf(x);
    if (!t) {
      // Unknown type: calls of methods commonly named as iterators.
      if (u0.k === 'CallExpr') {
        const f = unparen(u0.fun);
        if (f.k === 'SelectorExpr' && /^(All|Backward|Seq|Seq2|Iter)$/.test(f.sel.value)) {
          this.approximations.push(`range over ${f.sel.value}(): assumed range-over-func`);
          return true;
        }
      }
      return false;
    }
    if (!('x' in t)) return true;
    const u = this.underlying(t, 0);
    if (!u) return false;
    if (!('x' in u)) return true;
    return unparen(u.x).k === 'FuncType';
  }
}
