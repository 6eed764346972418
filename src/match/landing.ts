/**
 * Does a profile edge `caller:+offset → callee` still land in the source? The edge's offset must
 * be a line of the caller that can produce a call to `callee`:
 * - a call that names it statically (`calleeSymbol`), an interface call of a method of that name,
 *   or a call through a function value (package variables, fields, parameters, closures);
 * - for callees the compiler emits itself (the runtime: `append` → `runtime.growslice`, map access
 *   → `runtime.mapaccess*`, conversions → `runtime.convT*`/`slicebytetostring`, string operators,
 *   write barriers, preemption…), any line with code: operators are not calls in the source;
 * - a deferred call runs at the function's closing brace, where its samples are attributed.
 * A blank or comment-only line, or an offset outside the function, never lands.
 *
 * Evidence has two strengths: `strong` names the callee (static symbol, interface method name,
 * builtin that lowers to it, deferred callee at the closing brace); `weak` only says a call of
 * that kind could be there (function-value call, runtime callee on a code line). Drift pairing
 * (refactor.ts) moves strong edges by callee and weak ones with their strong neighbours.
 */
import { type CallSite, type FuncEntry, genericKey, splitSymbol } from '../source/index';
import { twinToken } from './twins';

export type Landing = 'strong' | 'weak' | null;

const lastName = (sym: string): string => {
  const n = splitSymbol(genericKey(sym)).name;
  return n.slice(n.lastIndexOf('.') + 1);
};

/** Callees the compiler emits for builtins, operators, conversions and bookkeeping, not for calls in the source. */
export function isLoweredCallee(callee: string): boolean {
  if (callee.startsWith('type:') || callee.startsWith('go:')) return true;
  const { prefix } = splitSymbol(callee);
  if (prefix === '') return !callee.includes('.'); // assembly without a package (memeqbody, cmpbody…)
  return /^(runtime|internal\/runtime\/.+|internal\/bytealg|internal\/abi|runtime\/internal\/.+)$/.test(prefix);
}

/** The builtins whose lowering calls this runtime function (empty when none is known). */
export function builtinsFor(callee: string): readonly string[] {
  if (!isLoweredCallee(callee)) return [];
  const n = lastName(callee);
  if (n === 'growslice') return ['append'];
  if (/^(makeslice|makeslice64|makeslicecopy|makemap|makemap64|makemap_small|makechan|makechan64)$/.test(n)) return ['make'];
  if (n === 'newobject') return ['new'];
  if (/^(typedslicecopy|slicecopy)$/.test(n)) return ['copy'];
  if (/^mapdelete/.test(n)) return ['delete'];
  if (/^(mapclear|memclrNoHeapPointers|memclrHasPointers)$/.test(n)) return ['clear'];
  if (n === 'gopanic') return ['panic'];
  if (n === 'closechan') return ['close'];
  if (n === 'gorecover') return ['recover'];
  if (/^print/.test(n)) return ['print', 'println'];
  return [];
}

/** Conversions the runtime performs (`string(b)`, `[]byte(s)`, values to interfaces). */
function isConversionCallee(callee: string): boolean {
  return isLoweredCallee(callee) && /^(convT\w*|conv\w+|slicebytetostring\w*|stringtoslice\w+|intstring|slicerunetostring|encoderune)$/.test(lastName(callee));
}

/** Offsets inside the function's extent that hold code (false for blank/comment lines and outside). */
export function isCodeOffset(entry: FuncEntry, offset: number): boolean {
  if (offset < 0 || offset > entry.endLine - entry.startLine) return false;
  return !entry.noCode?.includes(offset);
}

/** The function's closing brace offset (where deferred calls run). */
export const endOffset = (entry: FuncEntry): number => entry.endLine - entry.startLine;

/** How strongly a call site names `callee`. */
export function callLanding(c: CallSite, callee: string): Landing {
  if (c.calleeSymbol) return genericKey(c.calleeSymbol) === genericKey(callee) ? 'strong' : null;
  if (c.kind === 'builtin') return c.name && builtinsFor(callee).includes(c.name) ? 'strong' : null;
  if (c.kind === 'conversion') return isConversionCallee(callee) ? 'strong' : null;
  switch (c.dispatch) {
    case 'interface':
      return c.name === lastName(callee) ? 'strong' : null;
    case 'funcvalue':
    case 'unknown':
      return 'weak';
    default:
      return null;
  }
}

/** Does a call at this site plausibly call `callee`? (strong or weak) */
export function callLands(c: CallSite, callee: string): boolean {
  return callLanding(c, callee) !== null;
}

const rank = (l: Landing): number => (l === 'strong' ? 2 : l === 'weak' ? 1 : 0);

/**
 * Async preemption stops a goroutine at any instruction, also at ones whose line comes from code
 * inlined without an inline-tree entry: real profiles have `F:-149 → runtime.asyncPreempt` for an
 * unchanged generic F (the btree corpus module). Such an edge is no evidence either way.
 */
const ASYNC_PREEMPT = 'runtime.asyncPreempt';

/** The best evidence that `entry:+offset → callee` is in the source. */
export function landing(entry: FuncEntry, offset: number, callee: string): Landing {
  if (callee === ASYNC_PREEMPT && !isCodeOffset(entry, offset)) return 'weak';
  if (!isCodeOffset(entry, offset)) return null;
  let best: Landing = null;
  for (const c of entry.calls) {
    if (c.offset !== offset || c.wrapper) continue;
    const l = callLanding(c, callee);
    if (rank(l) > rank(best)) best = l;
  }
  if (best === 'strong') return best;
  if (offset === endOffset(entry) && deferredCallee(entry, callee)) return 'strong';
  if (best === null && isLoweredCallee(callee)) return 'weak';
  return best;
}

/**
 * `landing` kept between the matches of one binary, per twin token (twins.ts): it reads the entry
 * only relative to its start, so an entry and its moved copies land an edge alike, and a new line
 * does not look again at the calls of every declaration below it.
 */
export class LandingMemo {
  private readonly byToken = new WeakMap<object, Map<string, Landing>>();
  /** Answers taken from here, over its life (tests read this). */
  hits = 0;

  landing(entry: FuncEntry, offset: number, callee: string): Landing {
    const t = twinToken(entry);
    let m = this.byToken.get(t);
    if (!m) {
      m = new Map();
      this.byToken.set(t, m);
    }
    const k = `${offset}\x00${callee}`;
    let l = m.get(k);
    if (l === undefined) {
      l = landing(entry, offset, callee);
      m.set(k, l);
    } else this.hits++;
    return l;
  }
}

/** A deferred call of the function calls `callee` (it runs at the closing brace). */
export function deferredCallee(entry: FuncEntry, callee: string): boolean {
  return entry.calls.some((c) => c.goDefer === 'defer' && callLanding(c, callee) === 'strong');
}

/** The kind of evidence an edge to `callee` can have at best (how it pairs when it moved). */
export function evidenceKind(entry: FuncEntry, callee: string): 'static' | 'weak' {
  if (deferredCallee(entry, callee)) return 'static';
  if (builtinsFor(callee).length || isConversionCallee(callee)) return 'static';
  if (isLoweredCallee(callee)) return 'weak';
  return entry.calls.some((c) => callLanding(c, callee) === 'strong') ? 'static' : 'weak';
}
