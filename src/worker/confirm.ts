/**
 * What the compiler confirmed for one binary (src/compiler: a real `go build` with the decision
 * flags), kept beside the predictions: each prediction judged against the compiler's output,
 * the decisions per line for hovers, and what PGO changed (a -pgo=off build compared). Edited
 * files are marked stale: their lines no longer match the build, so they show predictions only.
 */
import * as path from 'node:path';
import { AGREEING, type Agreement, type Judged } from '../compiler/agreement';
import type { PgoChange } from '../compiler/changes';
import type { Confirmed } from '../compiler/confirm';
import { type CallDecision, decisionsByLine, describeDecision } from '../compiler/decisions';
import type { CompilerChangeInfo, ConfirmSummary, Confirmation, LensInfo } from './protocol';

export class ConfirmState {
  readonly at = Date.now();
  /** Files edited since the build (absolute). */
  readonly stale = new Set<string>();
  private readonly judged = new Map<string, Judged[]>();
  private readonly byLine: Map<string, Map<number, CallDecision[]>>;

  constructor(
    readonly confirmed: Confirmed,
    readonly agreement: Agreement,
    readonly changes: PgoChange[] | null,
    readonly millis: number,
    /** The -pgo=off build for `changes` is still running. */
    readonly changesPending = false,
  ) {
    for (const j of agreement.judged) {
      const k = `${path.normalize(j.file)}\0${j.line}`;
      (this.judged.get(k) ?? this.judged.set(k, []).get(k)!).push(j);
    }
    this.byLine = decisionsByLine(confirmed.decisions);
  }

  /** The compiler's verdict on a lens's prediction (undefined: stale file or nothing judged). */
  lens(file: string, lens: LensInfo): Confirmation | undefined {
    if (this.stale.has(file)) return undefined;
    const what = lens.kind === 'devirt' ? 'devirtualize' : 'inline';
    const j = (this.judged.get(`${file}\0${lens.line + 1}`) ?? []).find((x) => x.what === what && x.callee === lens.callee);
    if (!j) return undefined;
    const cost = /cost (\d+)/.exec(j.explanation)?.[1];
    return {
      state: AGREEING.has(j.category) ? 'confirmed' : j.category === 'bug' ? 'contradicted' : 'explained',
      category: j.category,
      text: j.explanation,
      ...(cost ? { cost: Number(cost) } : {}),
    };
  }

  /** The compiler's decisions on a 0-based line, in words (for hovers). */
  lineDecisions(file: string, line: number): string[] {
    if (this.stale.has(file)) return [];
    return (this.byLine.get(file)?.get(line + 1) ?? []).map(describeDecision);
  }

  /** What PGO changed, for the view (0-based lines). */
  changeList(): CompilerChangeInfo[] | null {
    if (!this.changes) return null;
    return this.changes.map((c) => ({
      file: c.file,
      line: c.line - 1,
      change: c.change,
      kind: c.kind,
      callee: c.callee,
      text:
        c.kind === 'devirtualize'
          ? `${c.change === 'gained' ? 'devirtualized' : 'no longer devirtualized'}: ${c.expr ?? ''} → ${c.callee}`
          : `${c.change === 'gained' ? 'inlined' : 'no longer inlined'}: ${c.callee}${c.cost !== undefined ? ` (cost ${c.cost}${c.hotBudget ? ', hot budget' : ''})` : ''}${c.otherwise ? `; otherwise ${c.otherwise}` : ''}`,
      stale: this.stale.has(c.file),
    }));
  }

  summary(): ConfirmSummary {
    const a = this.agreement;
    return {
      mainPackage: this.confirmed.mainPackage,
      goVersion: this.confirmed.goVersion,
      pgo: this.confirmed.pgo,
      fromCache: this.confirmed.fromCache,
      at: this.at,
      millis: this.millis,
      inline: { ...a.inlineAgreement },
      devirt: { ...a.devirtAgreement },
      counts: { ...a.counts },
      bugs: a.bugs.map((b) => ({ what: b.what, file: b.file, line: b.line, callee: b.callee, explanation: b.explanation })),
      changes: this.changes ? this.changes.length : null,
      ...(this.changesPending ? { changesPending: true } : {}),
      staleFiles: this.stale.size,
    };
  }
}
