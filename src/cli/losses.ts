/**
 * Text for the matched share and the unmatched entries (`report`, `check`): one percentage base,
 * the profile total, named once per binary; each entry's per-edge line map where call sites moved.
 */
import type { BinaryReportJson } from '../match/report';
import { NO_SAMPLES } from '../pgo/percent';

type Loss = BinaryReportJson['unmatched'][number];

const signed = (n: number): string => (n >= 0 ? `+${n}` : `${n}`);

/** A hot call site's share; one with no samples of its own is worded as the editor's lenses word it (the same NO_SAMPLES), not `0.00%`. */
export function siteShare(c: { weight: number; percent: number }): string {
  return c.weight > 0 ? `${c.percent.toFixed(2)}%` : NO_SAMPLES;
}

/** `88.2% of the profile matched, 11.76% lost in 175 functions (% of the profile total: 11838 samples)` */
export function matchSummary(b: Pick<BinaryReportJson, 'matchedPercent' | 'lostPercent' | 'unmatched'>, totalLabel: string): string {
  const n = b.unmatched.filter((u) => u.weight > 0).length;
  const lost = b.lostPercent > 0 ? `, ${b.lostPercent.toFixed(2)}% lost in ${n} profile function${n === 1 ? '' : 's'}` : '';
  return `${b.matchedPercent.toFixed(1)}% of the profile matched${lost} (percentages of the profile total: ${totalLabel})`;
}

/** `offset-drift +3→+5 +7→+9`, `renamed -> p.G (+2→+4)`, `changed: +5 gone`… */
export function lossWhat(u: Loss): string {
  const moves = edgeMoves(u);
  switch (u.kind) {
    case 'offset-drift':
      return `offset-drift ${moves}`;
    case 'renamed':
    case 'moved':
      return `${u.kind}${u.suggestion ? ` -> ${u.suggestion}` : ''}${moves && /→/.test(moves) ? ` (and call sites moved: ${moves})` : ''}`;
    case 'changed':
      return `changed: no call any more at ${(u.edgeMap ?? [])
        .map((e) => `${signed(e.from)} -> ${e.callee}`)
        .slice(0, 3)
        .join(', ')}${(u.edgeMap?.length ?? 0) > 3 ? ' …' : ''}`;
    default:
      return u.kind;
  }
}

/** The distinct old → new offsets of the entry's moved edges: `+3→+5 +7→+9` (at most 8). */
export function edgeMoves(u: Loss): string {
  const seen = new Map<number, number>();
  for (const e of u.edgeMap ?? []) if (e.to !== undefined && e.to !== e.from) seen.set(e.from, e.to);
  const list = [...seen].sort((a, b) => a[0] - b[0]).map(([f, t]) => `${signed(f)}→${signed(t)}`);
  return list.length > 8 ? `${list.slice(0, 8).join(' ')} … (${list.length} sites)` : list.join(' ');
}

/** One line per lost edge of an entry whose call sites moved (the per-edge line map), at most `max`. */
export function edgeMapLines(u: Loss, indent: string, max = 6): string[] {
  const es = (u.edgeMap ?? []).filter((e) => e.to !== e.from || e.to === undefined);
  if (u.kind !== 'offset-drift' && u.kind !== 'changed' && !es.some((e) => e.to !== undefined)) return [];
  const out = es.slice(0, max).map((e) => `${indent}${signed(e.from).padStart(5)} -> ${e.to === undefined ? 'gone' : signed(e.to).padStart(4)}  ${e.callee}`);
  if (es.length > max) out.push(`${indent}… ${es.length - max} more`);
  return out;
}
