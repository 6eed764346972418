/**
 * The Go compiler's printed decisions, as sites: `PGO devirtualizing` and `hot-budget check allows
 * inlining` lines of -m=2 -d=pgodebug=1 output, `inlining call to` positions, `should not PGO
 * devirtualize` refusals, and the -d=pgodebug=2 devirtualization trace. Read straight from the
 * text (no parser of ours in between), for the corpus measurement (measure.ts).
 */
import * as path from 'node:path';

/** A call site as the compiler prints it: file relative to the module root, 1-based line and column. */
export interface Site {
  file: string;
  line: number;
  col?: number;
  callee: string;
  caller?: string;
  /** For a devirtualization disagreement: the compiler's trace at this call (devirt.txt), its reasons. */
  compiler?: string[];
}

export interface CompilerSites {
  devirtualized: Site[];
  hotBudget: Site[];
  /** `file:line:col` → callees of `inlining call to` lines there, as printed (the first is the call written there). */
  inlinedAt: Map<string, string[]>;
  /** `POS: should not PGO devirtualize X: R` lines (printed at X's declaration): X as printed, and the whole line. */
  shouldNot: Array<{ callee: string; line: string }>;
}

/** The go command prints a module file as `main.go` or `./main.go` (another package's view): one form. */
export function printedFile(f: string): string {
  return f.startsWith('$') || f.startsWith('/') ? f : path.posix.normalize(f);
}

const POS = /^(.+?):(\d+):(\d+): (.*)$/;
const PGO_DEVIRT = /^PGO devirtualizing (?:interface|function) call (.+) to (.+)$/;
const HOT_BUDGET = /^hot-budget check allows inlining for call (.+?) \(cost -?\d+\) at (.+?):(\d+):(\d+) in function (.+)$/;
const INLINING = /^inlining call to (.+?)(?: with score -?\d+)?$/;
const SHOULD_NOT = /^should not PGO devirtualize (.+?): (.+)$/;

/** Devirtualized and hot-budget sites from the compiler's text, deduplicated (lines repeat). */
export function compilerSites(text: string): CompilerSites {
  const dev = new Map<string, Site>();
  const hot = new Map<string, Site>();
  const inlinedAt = new Map<string, string[]>();
  const shouldNot = new Map<string, { callee: string; line: string }>();
  for (const l of text.split('\n')) {
    let m = HOT_BUDGET.exec(l);
    if (m) {
      const s: Site = { file: printedFile(m[2]!), line: Number(m[3]), col: Number(m[4]), callee: m[1]!, caller: m[5]! };
      hot.set(`${s.file}:${s.line}:${s.col}:${s.callee}`, s);
      continue;
    }
    m = POS.exec(l);
    if (!m) continue;
    const file = printedFile(m[1]!);
    const d = PGO_DEVIRT.exec(m[4]!);
    if (d) {
      const s: Site = { file, line: Number(m[2]), col: Number(m[3]), callee: d[2]! };
      dev.set(`${s.file}:${s.line}:${s.col}:${s.callee}`, s);
      continue;
    }
    const sn = SHOULD_NOT.exec(m[4]!);
    if (sn) shouldNot.set(l, { callee: sn[1]!, line: l });
    const i = INLINING.exec(m[4]!);
    if (i) {
      const k = `${file}:${m[2]}:${m[3]}`;
      const list = inlinedAt.get(k) ?? [];
      if (!list.includes(i[1]!)) list.push(i[1]!);
      inlinedAt.set(k, list);
    }
  }
  return { devirtualized: [...dev.values()], hotBudget: [...hot.values()], inlinedAt, shouldNot: [...shouldNot.values()] };
}

/** `file:line:col` → the messages of the -d=pgodebug=2 trace at that call, in order. */
export function traceByPosition(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of text.split('\n')) {
    const m = POS.exec(l);
    if (!m) continue;
    const k = `${printedFile(m[1]!)}:${m[2]}:${m[3]}`;
    const list = out.get(k) ?? [];
    if (!list.includes(m[4]!)) list.push(m[4]!);
    out.set(k, list);
  }
  return out;
}
