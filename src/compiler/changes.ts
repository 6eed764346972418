/**
 * What PGO changed: the call sites whose inlining or devirtualization differs between a build
 * with `-pgo=off` and one with the profile. Pure: two parsed decision sets in, a list out.
 *
 * A site is (absolute file, line, column, callee as printed). "Inlined" means the compiler printed
 * `inlining call to` for it; everything else (a refusal, or no line at all because the callee had
 * no inline body without the hot budget) counts as not inlined. PGO devirtualization only exists
 * with a profile; static devirtualizations are compared too (inlining can expose them).
 */
import { type CompilerDecisions, comparePos, type InlineDecision, type Pos } from './decisions';

export interface PgoChange extends Pos {
  kind: 'inline' | 'devirtualize';
  callee: string;
  /** `gained`: only with the profile; `lost`: only without it. */
  change: 'gained' | 'lost';
  /** inline: the decision of the build where it was inlined. */
  hotBudget?: boolean;
  cost?: number;
  nested?: boolean;
  /** inline: what the other build said about the site, if anything. */
  otherwise?: string;
  /** devirtualize: the expression and whether it was PGO's devirtualization. */
  expr?: string;
  pgo?: boolean;
}

const siteKey = (d: Pos & { callee: string }): string => `${d.file}\0${d.line}\0${d.col}\0${d.callee}`;

function inlinedSites(d: CompilerDecisions): Map<string, InlineDecision> {
  const m = new Map<string, InlineDecision>();
  for (const c of d.calls) if (c.kind === 'inline' && c.inlined && !m.has(siteKey(c))) m.set(siteKey(c), c);
  return m;
}

function refusalsAt(d: CompilerDecisions): Map<string, InlineDecision[]> {
  const m = new Map<string, InlineDecision[]>();
  for (const c of d.calls) {
    if (c.kind !== 'inline' || c.inlined) continue;
    const k = `${c.file}\0${c.line}\0${c.col}`;
    const l = m.get(k) ?? [];
    l.push(c);
    m.set(k, l);
  }
  return m;
}

/** Sites inlined or devirtualized in exactly one of the two builds, in position order. */
export function pgoChanges(off: CompilerDecisions, withPgo: CompilerDecisions): PgoChange[] {
  const out: PgoChange[] = [];
  const a = inlinedSites(off);
  const b = inlinedSites(withPgo);
  const refA = refusalsAt(off);
  const refB = refusalsAt(withPgo);
  const other = (refs: Map<string, InlineDecision[]>, d: InlineDecision): string => {
    const r = refs.get(`${d.file}\0${d.line}\0${d.col}`);
    return r?.length ? r.map((x) => `${x.reason}${x.message ? `: ${x.message}` : ''}`).join('; ') : 'no decision printed (no inline body or no call)';
  };
  const push = (d: InlineDecision, change: 'gained' | 'lost', refs: Map<string, InlineDecision[]>): void => {
    const c: PgoChange = {
      kind: 'inline',
      file: d.file,
      line: d.line,
      col: d.col,
      callee: d.callee,
      change,
      hotBudget: d.hotBudget,
      otherwise: other(refs, d),
    };
    if (d.cost !== undefined) c.cost = d.cost;
    if (d.nested) c.nested = true;
    out.push(c);
  };
  for (const [k, d] of b) if (!a.has(k)) push(d, 'gained', refA);
  for (const [k, d] of a) if (!b.has(k)) push(d, 'lost', refB);

  const devKey = (c: { file: string; line: number; col: number; expr: string; callee: string; pgo: boolean }): string =>
    `${c.file}\0${c.line}\0${c.col}\0${c.expr}\0${c.callee}\0${c.pgo}`;
  const da = new Map(off.calls.filter((c) => c.kind === 'devirtualize').map((c) => [devKey(c), c] as const));
  const db = new Map(withPgo.calls.filter((c) => c.kind === 'devirtualize').map((c) => [devKey(c), c] as const));
  for (const [k, d] of db)
    if (!da.has(k)) out.push({ kind: 'devirtualize', file: d.file, line: d.line, col: d.col, callee: d.callee, change: 'gained', expr: d.expr, pgo: d.pgo });
  for (const [k, d] of da)
    if (!db.has(k)) out.push({ kind: 'devirtualize', file: d.file, line: d.line, col: d.col, callee: d.callee, change: 'lost', expr: d.expr, pgo: d.pgo });
  out.sort((x, y) => comparePos(x, y) || (x.callee < y.callee ? -1 : x.callee > y.callee ? 1 : 0) || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0));
  return out;
}
