/**
 * Go constant values and a small constant-expression evaluator, used to reproduce the compiler's
 * dead-code elimination (`staticBool` in cmd/compile/internal/noder/writer.go): code under a
 * constant-false condition is never written, so its closures consume no `funcN` numbers.
 */
import type * as A from './ast';
import { unquote } from './parser';

export type ConstVal = { k: 'bool'; v: boolean } | { k: 'int'; v: bigint; t?: string } | { k: 'float'; v: number } | { k: 'string'; v: string };

export interface ConstEnv {
  /** Value of an unqualified identifier, or undefined if it is not a known constant. */
  ident(name: A.Name): ConstVal | undefined;
  /** Value of `pkg.Name` where `pkg` is an identifier (imported package name), if known. */
  qualified(pkg: string, name: string, at: A.Name): ConstVal | undefined;
  /** True if `name` denotes a named type with a basic underlying type (conversion = identity). */
  isBasicType(name: string, at: A.Name): boolean;
  /** The value of `iota` in a const declaration, if any. */
  iota?: number;
}

const BASIC_TYPES = new Set([
  'bool',
  'string',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uintptr',
  'byte',
  'rune',
  'float32',
  'float64',
]);

export function isPredeclaredBasicType(name: string): boolean {
  return BASIC_TYPES.has(name);
}

export function parseIntLit(text: string): bigint | undefined {
  let s = text.replace(/_/g, '');
  try {
    if (/^0[0-7]+$/.test(s)) s = '0o' + s.slice(1); // legacy octal
    return BigInt(s);
  } catch {
    return undefined;
  }
}

function parseRuneLit(text: string): bigint | undefined {
  const body = unquote('"' + text.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"') + '"');
  const cp = body.codePointAt(0);
  return cp === undefined ? undefined : BigInt(cp);
}

function toFloat(v: ConstVal): number | undefined {
  if (v.k === 'int') return Number(v.v);
  if (v.k === 'float') return v.v;
  return undefined;
}

/** Evaluate a constant expression; undefined if it is not (known to be) constant. */
export function evalConst(x: A.Expr, env: ConstEnv): ConstVal | undefined {
  switch (x.k) {
    case 'BasicLit':
      switch (x.kind) {
        case 'int': {
          const v = parseIntLit(x.value);
          return v === undefined ? undefined : { k: 'int', v };
        }
        case 'float': {
          const v = Number(x.value.replace(/_/g, ''));
          return Number.isNaN(v) ? undefined : { k: 'float', v };
        }
        case 'rune': {
          const v = parseRuneLit(x.value);
          return v === undefined ? undefined : { k: 'int', v };
        }
        case 'string':
          return { k: 'string', v: unquote(x.value) };
        default:
          return undefined;
      }
    case 'Name':
      if (x.value === 'iota' && env.iota !== undefined) {
        const shadow = env.ident(x);
        return shadow ?? { k: 'int', v: BigInt(env.iota) };
      }
      return env.ident(x);
    case 'ParenExpr':
      return evalConst(x.x, env);
    case 'SelectorExpr':
      if (x.x.k === 'Name') return env.qualified(x.x.value, x.sel.value, x.x);
      return undefined;
    case 'UnaryExpr': {
      const v = evalConst(x.x, env);
      if (!v) return undefined;
      switch (x.op) {
        case '+':
          return v.k === 'int' || v.k === 'float' ? v : undefined;
        case '-':
          if (v.k === 'int') return { k: 'int', v: -v.v };
          if (v.k === 'float') return { k: 'float', v: -v.v };
          return undefined;
        case '!':
          return v.k === 'bool' ? { k: 'bool', v: !v.v } : undefined;
        case '^': {
          if (v.k !== 'int') return undefined;
          const bits = v.t ? unsignedBits(v.t) : 0;
          // For unsigned typed constants ^x flips exactly the type's bits (^uintptr(0) = 2^64-1).
          if (bits) return { k: 'int', v: ~v.v & ((1n << BigInt(bits)) - 1n), t: v.t };
          return { k: 'int', v: -v.v - 1n, t: v.t };
        }
        default:
          return undefined;
      }
    }
    case 'BinaryExpr': {
      if (x.op === '&&' || x.op === '||') {
        const a = evalConst(x.x, env);
        const b = evalConst(x.y, env);
        if (!a || !b || a.k !== 'bool' || b.k !== 'bool') return undefined;
        return { k: 'bool', v: x.op === '&&' ? a.v && b.v : a.v || b.v };
      }
      const a = evalConst(x.x, env);
      if (!a) return undefined;
      const b = evalConst(x.y, env);
      if (!b) return undefined;
      return binary(x.op, a, b);
    }
    case 'CallExpr': {
      const f = x.fun.k === 'ParenExpr' ? x.fun.x : x.fun;
      if (f.k === 'Name' && x.args.length >= 1) {
        // conversions to basic types keep the value (constant overflow is a compile error anyway)
        if ((isPredeclaredBasicType(f.value) && !env.ident(f)) || env.isBasicType(f.value, f)) {
          const arg = x.args.length === 1 ? x.args[0] : undefined;
          if (!arg) return undefined;
          const v = evalConst(arg, env);
          if (!v) return undefined;
          if (f.value === 'string' && v.k === 'int') {
            // string(rune): an invalid code point converts to U+FFFD
            const cp = v.v;
            const ok = cp >= 0n && cp <= 0x10ffffn && !(cp >= 0xd800n && cp <= 0xdfffn);
            return { k: 'string', v: ok ? String.fromCodePoint(Number(cp)) : '\ufffd' };
          }
          if ((f.value === 'float64' || f.value === 'float32') && v.k === 'int') return { k: 'float', v: Number(v.v) };
          if (/^u?int|^byte$|^rune$|^uintptr$/.test(f.value)) {
            if (v.k === 'float' && Number.isInteger(v.v)) return { k: 'int', v: BigInt(v.v), t: f.value };
            if (v.k === 'int') return { k: 'int', v: v.v, t: f.value };
          }
          return v;
        }
        const [first] = x.args;
        if (f.value === 'len' && first && x.args.length === 1) {
          const v = evalConst(first, env);
          if (v && v.k === 'string') return { k: 'int', v: BigInt(Buffer.byteLength(v.v, 'utf8')) };
          return undefined;
        }
        if ((f.value === 'min' || f.value === 'max') && first) {
          let acc = evalConst(first, env);
          for (const a of x.args.slice(1)) {
            if (!acc) break;
            const v = evalConst(a, env);
            if (!v) return undefined;
            const lt = binary('<', v, acc);
            if (!lt || lt.k !== 'bool') return undefined;
            if ((f.value === 'min') === lt.v) acc = v;
          }
          return acc;
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Width of an unsigned basic integer type (0 if signed or unknown). */
function unsignedBits(t: string): number {
  switch (t) {
    case 'uint8':
    case 'byte':
      return 8;
    case 'uint16':
      return 16;
    case 'uint32':
      return 32;
    case 'uint':
    case 'uint64':
    case 'uintptr':
      return 64;
    default:
      return 0;
  }
}

function binary(op: string, a: ConstVal, b: ConstVal): ConstVal | undefined {
  if (a.k === 'int' && b.k === 'int') {
    const r = intBinary(op, a.v, b.v);
    if (r && r.k === 'int') {
      // the result of a shift has the left operand's type; otherwise the typed operand's
      const t = op === '<<' || op === '>>' ? a.t : (a.t ?? b.t);
      if (t) return { k: 'int', v: r.v, t };
    }
    return r;
  }
  return nonIntBinary(op, a, b);
}

function intBinary(op: string, x: bigint, y: bigint): ConstVal | undefined {
  {
    switch (op) {
      case '+':
        return { k: 'int', v: x + y };
      case '-':
        return { k: 'int', v: x - y };
      case '*':
        return { k: 'int', v: x * y };
      case '/':
        return y === 0n ? undefined : { k: 'int', v: x / y };
      case '%':
        return y === 0n ? undefined : { k: 'int', v: x % y };
      case '<<':
        return y < 0n || y > 10000n ? undefined : { k: 'int', v: x << y };
      case '>>':
        return y < 0n ? undefined : { k: 'int', v: x >> y };
      case '&':
        return { k: 'int', v: x & y };
      case '|':
        return { k: 'int', v: x | y };
      case '^':
        return { k: 'int', v: x ^ y };
      case '&^':
        return { k: 'int', v: x & ~y };
      case '==':
        return { k: 'bool', v: x === y };
      case '!=':
        return { k: 'bool', v: x !== y };
      case '<':
        return { k: 'bool', v: x < y };
      case '<=':
        return { k: 'bool', v: x <= y };
      case '>':
        return { k: 'bool', v: x > y };
      case '>=':
        return { k: 'bool', v: x >= y };
      default:
        return undefined;
    }
  }
}

function nonIntBinary(op: string, a: ConstVal, b: ConstVal): ConstVal | undefined {
  if ((a.k === 'int' || a.k === 'float') && (b.k === 'int' || b.k === 'float')) {
    const x = toFloat(a) as number;
    const y = toFloat(b) as number;
    switch (op) {
      case '+':
        return { k: 'float', v: x + y };
      case '-':
        return { k: 'float', v: x - y };
      case '*':
        return { k: 'float', v: x * y };
      case '/':
        return y === 0 ? undefined : { k: 'float', v: x / y };
      case '==':
        return { k: 'bool', v: x === y };
      case '!=':
        return { k: 'bool', v: x !== y };
      case '<':
        return { k: 'bool', v: x < y };
      case '<=':
        return { k: 'bool', v: x <= y };
      case '>':
        return { k: 'bool', v: x > y };
      case '>=':
        return { k: 'bool', v: x >= y };
      default:
        return undefined;
    }
  }
  if (a.k === 'string' && b.k === 'string') {
    switch (op) {
      case '+':
        return { k: 'string', v: a.v + b.v };
      case '==':
        return { k: 'bool', v: a.v === b.v };
      case '!=':
        return { k: 'bool', v: a.v !== b.v };
      case '<':
        return { k: 'bool', v: cmpBytes(a.v, b.v) < 0 };
      case '<=':
        return { k: 'bool', v: cmpBytes(a.v, b.v) <= 0 };
      case '>':
        return { k: 'bool', v: cmpBytes(a.v, b.v) > 0 };
      case '>=':
        return { k: 'bool', v: cmpBytes(a.v, b.v) >= 0 };
      default:
        return undefined;
    }
  }
  if (a.k === 'bool' && b.k === 'bool') {
    if (op === '==') return { k: 'bool', v: a.v === b.v };
    if (op === '!=') return { k: 'bool', v: a.v !== b.v };
  }
  return undefined;
}

function cmpBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * `staticBool` from the compiler's unified IR writer: +1 always true, -1 always false, 0 unknown.
 * It also reports which part of the expression the writer keeps (it rewrites `false && x` to
 * `false`, dropping any closures in `x`). Faithful to the source, including that `!x` returns
 * the operand's result un-negated when `!x` itself is not constant.
 */
export function staticBool(e: A.Expr, env: ConstEnv): { v: number; kept: A.Expr } {
  const cv = evalConst(e, env);
  if (cv) {
    if (cv.k === 'bool') return { v: cv.v ? 1 : -1, kept: e };
    return { v: 0, kept: e };
  }
  if (e.k === 'UnaryExpr' && e.op === '!') {
    const r = staticBool(e.x, env);
    return { v: r.v, kept: r.kept === e.x ? e : { ...e, x: r.kept } };
  }
  if (e.k === 'BinaryExpr' && (e.op === '&&' || e.op === '||')) {
    const and = e.op === '&&';
    const x = staticBool(e.x, env);
    if (and ? x.v < 0 : x.v > 0) return { v: x.v, kept: x.kept };
    const y = staticBool(e.y, env);
    if (and ? x.v > 0 || y.v < 0 : x.v < 0 || y.v > 0) {
      // `*ep = e.Y` only when e.X is itself a constant
      if (evalConst(x.kept, env)) return { v: y.v, kept: y.kept };
      return { v: y.v, kept: { ...e, x: x.kept, y: y.kept } };
    }
    return { v: 0, kept: x.kept === e.x && y.kept === e.y ? e : { ...e, x: x.kept, y: y.kept } };
  }
  return { v: 0, kept: e };
}

export function constToString(v: ConstVal): string {
  switch (v.k) {
    case 'bool':
      return String(v.v);
    case 'int':
      return v.v.toString();
    case 'float':
      return String(v.v);
    case 'string':
      return JSON.stringify(v.v);
  }
}
