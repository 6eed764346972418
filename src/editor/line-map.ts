/**
 * Where the lines of a file went since the profile's view of it was taken: document changes map
 * each measured line to its line now (or to nothing when it was deleted); lines typed since have
 * no measurement. The overlay paints the profile's heat on the measured lines, not where the
 * compiler's (function start + offset) view would now put it. Plain TypeScript (unit-tested).
 */
import type { FileView } from '../worker/protocol';

/** One text change, as VS Code reports it (0-based lines and characters of the replaced range). */
export interface LineChange {
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
  text: string;
}

interface Op {
  start: number;
  end: number;
  added: number;
  /** The change replaces whole lines (from column 0 to column 0, inserting whole lines): line `start` itself moves. */
  wholeLines: boolean;
}

export class LineMap {
  private readonly ops: Op[] = [];

  /** Records changes in the order VS Code applied them. */
  apply(changes: readonly LineChange[]): void {
    for (const c of changes) {
      const added = c.text.split('\n').length - 1;
      const removed = c.endLine - c.startLine;
      if (added === 0 && removed === 0) continue; // within one line: every line keeps its place
      const wholeLines = c.startChar === 0 && c.endChar === 0 && (c.text === '' || c.text.endsWith('\n'));
      this.ops.push({ start: c.startLine, end: c.endLine, added, wholeLines });
    }
  }

  /** Whether any line moved, appeared or went since the view was taken. */
  get edited(): boolean {
    return this.ops.length > 0;
  }

  /** The line now of a line of the view (null: deleted). */
  map(line: number): number | null {
    let l: number | null = line;
    for (const o of this.ops) {
      if (l === null) return null;
      const shift = o.added - (o.end - o.start);
      if (o.wholeLines) {
        if (l >= o.end) l += shift;
        else if (l >= o.start) l = null;
      } else if (l > o.end) l += shift;
      else if (l > o.start) l = null;
    }
    return l;
  }
}

/** The view's measured parts (heat, declarations' flat/cum, hover details) on the lines they are on now; lenses stay the compiler's. */
export function mapMeasured(view: FileView, map: LineMap, current: FileView): FileView {
  const move = <T extends { line: number }>(list: readonly T[]): T[] =>
    list.flatMap((x) => {
      const line = map.map(x.line);
      return line === null ? [] : [{ ...x, line }];
    });
  return { ...view, heat: move(view.heat), functions: move(view.functions), lines: move(view.lines), lenses: current.lenses };
}

/** A measured line the compiler's offset view now puts elsewhere. */
export interface MovedKey {
  symbol: string;
  offset: number;
  /** 0-based: where the measured line is now, and where the compiler now charges its samples. */
  measured: number;
  compiler: number;
}

/** Measured lines (with samples) whose profile key (symbol, offset) the compiler now resolves to another line. */
export function movedKeys(baseline: FileView, map: LineMap, current: FileView): MovedKey[] {
  const now = new Map(current.lines.map((d) => [`${d.symbol}\u0000${d.offset}`, d.line]));
  const out: MovedKey[] = [];
  for (const d of baseline.lines) {
    if (d.flat === 0 && d.cum === 0) continue;
    const measured = map.map(d.line);
    const compiler = now.get(`${d.symbol}\u0000${d.offset}`);
    if (measured === null || compiler === undefined || compiler === measured) continue;
    out.push({ symbol: d.symbol, offset: d.offset, measured, compiler });
  }
  return out;
}

/**
 * Whether a core mismatch entry becomes a diagnostic: above the share threshold, or an offset
 * drift of a function whose measured lines the user's edits just moved away from the compiler's
 * offsets (whatever its share).
 */
export function diagnosticShown(u: { percent: number; kind?: string; symbol: string }, minPercent: number, edited: ReadonlySet<string>): boolean {
  return u.percent >= minPercent || (u.kind === 'offset-drift' && edited.has(u.symbol));
}
