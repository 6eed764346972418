/**
 * Declarations that only moved (issue #14: a new line makes every declaration below it a new entry
 * object, its lines shifted, its content otherwise the same). Each entry has a twin token: an entry
 * and its copy that differs only by one line shift (the same shift of its start and end lines, of
 * every call's line and physical line; every other field equal) share one token. Results that read
 * an entry only through offsets relative to its start (where a profile edge lands, how its call
 * sites align) are kept per token, so the moved copies of a declaration are not analysed again.
 *
 * A token is given on first sight, and taken over from the previous index of the same package
 * (`pairIndexes`) by entries proved to be twins of an entry there; entries never change, so a
 * token once given always stands. Pure data.
 */
import type { CallSite, FuncEntry, PackageIndex } from '../source/index';

const tokens = new WeakMap<FuncEntry, object>();
/** The indexes each index was paired with (pairing is done once per pair; held weakly, so that an index does not keep its predecessors alive). */
const pairedWith = new WeakMap<PackageIndex, WeakSet<PackageIndex>>();

/** The entry's twin token: shared with the entries it was proved a moved copy of. */
export function twinToken(entry: FuncEntry): object {
  let t = tokens.get(entry);
  if (!t) {
    t = {};
    tokens.set(entry, t);
  }
  return t;
}

/** Counts over the module's life (tests read them). */
export const twinCounts = { paired: 0, twins: 0 };

/**
 * Lets each entry of `now` that is a moved copy of the entry of the same symbol and kind in `before`
 * (the same position when both have the same symbols and kinds there, else the only one of that
 * symbol and kind) take that entry's token.
 */
export function pairIndexes(before: PackageIndex, now: PackageIndex): void {
  if (before === now) return;
  let done = pairedWith.get(now);
  if (!done) {
    done = new WeakSet();
    pairedWith.set(now, done);
  }
  if (done.has(before)) return;
  done.add(before);
  twinCounts.paired++;
  let bySymbol: Map<string, FuncEntry | null> | undefined;
  for (let i = 0; i < now.funcs.length; i++) {
    const e = now.funcs[i]!;
    if (tokens.has(e)) continue;
    let was: FuncEntry | null | undefined = before.funcs[i];
    if (!was || was.symbol !== e.symbol || was.kind !== e.kind) {
      if (!bySymbol) {
        bySymbol = new Map();
        for (const b of before.funcs) {
          const k = `${b.kind}\x00${b.symbol}`;
          bySymbol.set(k, bySymbol.has(k) ? null : b);
        }
      }
      was = bySymbol.get(`${e.kind}\x00${e.symbol}`);
    }
    if (was && isMovedCopy(was, e)) {
      tokens.set(e, twinToken(was));
      twinCounts.twins++;
    }
  }
}

const ENTRY_LINES = new Set(['startLine', 'endLine', 'physicalStartLine', 'physicalEndLine', 'calls']);

/** Whether `b` is `a` with its lines shifted (the relative and physical shifts each the same everywhere) and nothing else changed. */
export function isMovedCopy(a: FuncEntry, b: FuncEntry): boolean {
  if (a === b) return true;
  const d = b.startLine - a.startLine;
  const p = b.physicalStartLine - a.physicalStartLine;
  if (b.endLine - a.endLine !== d || b.physicalEndLine - a.physicalEndLine !== p) return false;
  if (!sameFields(a, b, ENTRY_LINES)) return false;
  if (a.calls.length !== b.calls.length) return false;
  for (let i = 0; i < a.calls.length; i++) if (!movedCall(a.calls[i]!, b.calls[i]!, d, p)) return false;
  return true;
}

const CALL_LINES = new Set(['line', 'physicalLine']);

function movedCall(a: CallSite, b: CallSite, d: number, p: number): boolean {
  return b.line - a.line === d && b.physicalLine - a.physicalLine === p && sameFields(a, b, CALL_LINES);
}

/** Every own field but `skip` deep-equal (plain data: strings, numbers, booleans, arrays, objects; an undefined field is an absent one). */
function sameFields(a: object, b: object, skip: ReadonlySet<string>): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (skip.has(k) || x[k] === undefined) continue;
    n++;
    if (!deepEqual(x[k], y[k])) return false;
  }
  for (const k in y) if (!skip.has(k) && y[k] !== undefined) n--;
  return n === 0;
}

function deepEqual(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  // only plain data is compared by content (a Map or Set has no own fields to compare)
  if (!Array.isArray(x) && (Object.getPrototypeOf(x) !== Object.prototype || Object.getPrototypeOf(y) !== Object.prototype)) return false;
  if (Array.isArray(x) && Array.isArray(y)) {
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i])) return false;
    return true;
  }
  return sameFields(x, y, EMPTY);
}

const EMPTY: ReadonlySet<string> = new Set();
