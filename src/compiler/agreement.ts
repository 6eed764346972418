/**
 * Prediction vs confirmation: our profile-only predictions (`pgo-lens report`'s inline candidates
 * and devirtualizations) against the compiler's decisions. Pure.
 *
 * Every prediction gets a category. Agreement: `hot-budget` (inlined thanks to the hot budget),
 * `devirtualized`. Explained disagreements (the prediction "this site is hot" holds, the outcome
 * differs for a reason the compiler states or the semantics imply):
 * - `inlined-normal-budget`: inlined, but its cost is within the normal budget (80) anyway;
 * - `caller-too-big`: `hot-big check disallows` / max caller cost 20 (caller over 5000 IR nodes);
 * - `callee-too-costly`: cost above the hot budget (2000), at the site or in the callee's own compile;
 * - `callee-not-inlinable`: the callee has no inline body for a stated reason (go:noinline,
 *   recover, defer, unhandled op, …);
 * - `recursive`: recursive call / repeated recursive cycle;
 * - `other-call-on-hot-line`: a call we list only because it shares the hot line with the hot
 *   edge (the compiler keys hot sites by line, so it is hot too), whose callee is not a hot
 *   callee: it kept the normal budget and has no inline body (or was refused for cost);
 * - `indirect-other-target`: the hot edge goes through an interface or function-value call that
 *   PGO devirtualized to another (hotter) target: the call to this target stays indirect;
 * - `indirect-call`: the source index says the edge goes through an interface or function-value
 *   call that is not devirtualized (as predicted): closures and methods are never targets of
 *   PGO's function-value devirtualization; nothing to inline;
 * - `stale-site`: the source index has no call to this callee on the line (the profile is older
 *   than the source and its call-site offset lands elsewhere): the compiler, keying by the same
 *   offset, finds nothing to inline there either;
 * - `no-decision-outside-workspace`: no decision printed, callee's package not compiled with -m
 *   (no inline body there, reason not printed);
 * - `compiler-other`: a refusal reason the compiler printed that is none of the above.
 * Unexplained (`bug`): the compiler contradicts the prediction and nothing explains it (e.g. a
 * refusal with max caller cost 80 means the compiler did not see the site as hot), a predicted
 * devirtualization it did not do, or a decision it made that we did not predict (`missed`).
 */
import * as path from 'node:path';
import { type CompilerDecisions, type DevirtDecision, type FunctionFact, type InlineDecision, sameFunction } from './decisions';
import { genericKey, splitSymbol, unescapeSymbol } from '../source/names';

export interface PredictedInline {
  /** Relative to `root` (as `pgo-lens report` gives it) or absolute. */
  file: string;
  line: number;
  caller: string;
  /** Linker symbol. */
  callee: string;
  /** Profile edge weight; 0 for other calls on a hot line. */
  weight: number;
  /** From the source index (see `predictionsFromMatch`): the callee is called statically on this line. */
  direct?: boolean;
  /** From the source index: how the line's indirect calls dispatch (interface / funcvalue / unknown). */
  indirect?: string[];
}

export interface PredictedDevirt {
  file: string;
  line: number;
  col?: number;
  caller?: string;
  callee: string;
}

export interface Predictions {
  root: string;
  /** Import path of the main package (its functions are `main.X` in profiles). */
  mainPackage?: string;
  inlineCandidates: PredictedInline[];
  devirtualizations: PredictedDevirt[];
}

export type AgreementCategory =
  | 'hot-budget'
  | 'devirtualized'
  | 'inlined-normal-budget'
  | 'caller-too-big'
  | 'callee-too-costly'
  | 'callee-not-inlinable'
  | 'recursive'
  | 'other-call-on-hot-line'
  | 'no-decision-outside-workspace'
  | 'indirect-other-target'
  | 'indirect-call'
  | 'stale-site'
  | 'compiler-other'
  | 'bug';

export const AGREEING: ReadonlySet<AgreementCategory> = new Set(['hot-budget', 'devirtualized']);

export interface Judged {
  what: 'inline' | 'devirtualize' | 'missed-inline' | 'missed-devirtualize';
  file: string;
  line: number;
  callee: string;
  caller?: string;
  category: AgreementCategory;
  explanation: string;
}

export interface Agreement {
  judged: Judged[];
  counts: Partial<Record<AgreementCategory, number>>;
  /** Predictions and compiler decisions that disagree without an explanation. */
  bugs: Judged[];
  /** Inline candidates the compiler inlined thanks to the hot budget / all inline candidates. */
  inlineAgreement: { agree: number; explained: number; bugs: number; total: number };
  devirtAgreement: { agree: number; bugs: number; total: number };
}

const norm = (s: string): string => genericKey(unescapeSymbol(s));

/** The name after the package prefix. */
function splitName(sym: string): string {
  const p = pkgOf(sym);
  return p ? sym.slice(p.length + 1) : sym;
}

/** Package path of a linker symbol (split before unescaping: `a/b%2ev2.F` → `a/b.v2`). */
function pkgOf(sym: string): string {
  return unescapeSymbol(splitSymbol(sym).prefix);
}

function factFor(functions: FunctionFact[], callee: string, mainPackage?: string): FunctionFact | undefined {
  const full = unescapeSymbol(callee);
  const name = norm(splitName(callee));
  let pkg = pkgOf(callee);
  if (pkg === 'main' && mainPackage) pkg = mainPackage;
  return functions.find((f) => f.pkg === pkg && norm(f.name) === name) ?? functions.find((f) => f.pkg === pkg && sameFunction(f.name, full));
}

function costlyReason(reason: string | undefined): boolean {
  return !!reason && /cost \d+ exceeds budget (\d+)/.test(reason) && Number(/exceeds budget (\d+)/.exec(reason)![1]) >= 2000;
}

/** Compares predictions with confirmed decisions. */
export function compareWithCompiler(pred: Predictions, d: CompilerDecisions): Agreement {
  const abs = (f: string): string => (path.isAbsolute(f) ? path.normalize(f) : path.resolve(pred.root, f));
  const inlByLine = new Map<string, InlineDecision[]>();
  const devByLine = new Map<string, DevirtDecision[]>();
  for (const c of d.calls) {
    const k = `${c.file}\0${c.line}`;
    if (c.kind === 'inline') (inlByLine.get(k) ?? inlByLine.set(k, []).get(k)!).push(c);
    else (devByLine.get(k) ?? devByLine.set(k, []).get(k)!).push(c);
  }
  const hotFuncs = new Set(Object.keys(d.hotBudgetFuncs).map(norm));
  const compiled = new Set(d.packages);
  const judged: Judged[] = [];

  const usedInline = new Set<InlineDecision>();
  for (const c of pred.inlineCandidates) {
    const file = abs(c.file);
    const base = { what: 'inline' as const, file, line: c.line, callee: c.callee, caller: c.caller };
    const here = (inlByLine.get(`${file}\0${c.line}`) ?? []).filter(
      (x) => sameFunction(x.callee, c.callee, d.packageNames) || (x.calleeFull !== undefined && norm(x.calleeFull) === norm(c.callee)),
    );
    here.forEach((x) => usedInline.add(x));
    const judge = (category: AgreementCategory, explanation: string): void => void judged.push({ ...base, category, explanation });
    const inl = here.filter((x) => x.inlined);
    const hb = inl.find((x) => x.hotBudget);
    if (hb) {
      judge('hot-budget', `inlined thanks to the hot budget (cost ${hb.cost})`);
      continue;
    }
    if (inl.length) {
      const x = inl.find((y) => !y.nested) ?? inl[0]!;
      if (x.cost === undefined || x.cost <= 80)
        judge(
          'inlined-normal-budget',
          `inlined without needing the hot budget${x.cost !== undefined ? ` (cost ${x.cost} ≤ 80)` : ' (callee cost within the normal budget; cost printed in its own package)'}`,
        );
      else if (/\.func\d+/.test(x.callee)) judge('inlined-normal-budget', `closure inlined within the closure budget (cost ${x.cost})`);
      else judge('bug', `inlined with cost ${x.cost} > 80 but no hot-budget line`);
      continue;
    }
    const refused = here.filter((x) => !x.inlined);
    if (refused.length) {
      const r = refused.find((x) => x.reason === 'big-caller') ?? refused.find((x) => x.reason === 'cost' && x.maxCost === 20) ?? refused[0]!;
      if (r.reason === 'big-caller' || (r.reason === 'cost' && r.maxCost === 20))
        judge('caller-too-big', `caller is a big function (over 5000 IR nodes): no hot inlining${r.cost !== undefined ? ` (callee cost ${r.cost})` : ''}`);
      else if (r.reason === 'cost' && r.maxCost === 2000) judge('callee-too-costly', `callee cost ${r.cost} exceeds the hot budget 2000`);
      else if (r.reason === 'recursive') judge('recursive', `not inlined: ${r.message ?? 'recursive call'}`);
      else if (r.reason === 'not-inlinable') judge('callee-not-inlinable', r.message ?? 'callee has no inline body');
      else if (r.reason === 'cost' && c.weight === 0 && !hotFuncs.has(norm(c.callee)))
        judge(
          'other-call-on-hot-line',
          `shares the hot line but the compiler refused it for cost (${r.message}); hot sites are keyed by line, but this callee is not on a hot edge`,
        );
      else if (r.reason === 'cost') judge('bug', `the compiler treated the site as not hot: ${r.message}`);
      else judge('compiler-other', r.message ?? 'refused');
      continue;
    }
    // No decision printed for this callee on this line.
    const f = factFor(d.functions, c.callee, pred.mainPackage);
    if (f && !f.inlinable) {
      if (costlyReason(f.reason)) judge('callee-too-costly', `${f.name}: ${f.reason}`);
      else if (c.weight === 0 && /cost \d+ exceeds budget 80/.test(f.reason ?? ''))
        judge('other-call-on-hot-line', `shares the hot line; not a hot callee, so it kept the budget of 80: ${f.name}: ${f.reason}`);
      else judge('callee-not-inlinable', `${f.name}: ${f.reason}`);
      continue;
    }
    const other = (devByLine.get(`${file}\0${c.line}`) ?? []).find((x) => x.pgo && !sameFunction(x.callee, c.callee, d.packageNames));
    if (other) {
      judge(
        'indirect-other-target',
        `indirect call: PGO devirtualized ${other.expr} to its hottest target ${other.callee}; calls to this target stay indirect`,
      );
      continue;
    }
    if (c.direct === false && c.indirect?.length) {
      const closure = /\.func\d+$/.test(c.callee);
      const method = !closure && genericKey(splitName(c.callee)).includes('.');
      const fv = c.indirect.includes('funcvalue');
      judge(
        'indirect-call',
        fv && closure
          ? 'function-value call to a closure: PGO never devirtualizes to closures (devirtualize/pgo.go), so the call stays indirect'
          : fv && method
            ? 'function-value call (method value) to a method: PGO never devirtualizes function values to methods, so the call stays indirect'
            : `${c.indirect.join('/')} call, not devirtualized (as predicted): nothing to inline`,
      );
      continue;
    }
    let pkg = pkgOf(c.callee);
    if (pkg === 'main' && pred.mainPackage) pkg = pred.mainPackage;
    if (!compiled.has(pkg) && !f) {
      const hot = hotFuncs.has(norm(c.callee));
      if (c.weight === 0 && !hot)
        judge(
          'other-call-on-hot-line',
          `shares the hot line; no decision printed: the callee (package ${pkg}, not compiled with -m) has no inline body without the hot budget`,
        );
      else if (pkg === 'runtime' && c.direct === false)
        judge(
          'no-decision-outside-workspace',
          `no decision printed: ${c.callee} is a runtime helper the compiler emits (append, map access, new, …), not a call written on this line`,
        );
      else
        judge(
          'no-decision-outside-workspace',
          `no decision printed: the callee has no inline body (package ${pkg} is not compiled with -m, so its reason is not printed)`,
        );
      continue;
    }
    if (c.direct === false && !c.indirect?.length) {
      judge(
        'stale-site',
        `no call to ${c.callee} on this line in the current source (the profile's call-site offset lands here; the profile is older than the source)`,
      );
      continue;
    }
    judge(
      'bug',
      f
        ? `callee can be inlined (cost ${f.cost ?? '?'}) but the compiler printed no decision for it on this line`
        : 'no decision printed and nothing known about the callee',
    );
  }

  // Devirtualizations: exact agreement expected.
  const usedDev = new Set<DevirtDecision>();
  for (const p of pred.devirtualizations) {
    const file = abs(p.file);
    const hit = (devByLine.get(`${file}\0${p.line}`) ?? []).find(
      (x) => x.pgo && (p.col === undefined || x.col === p.col) && sameFunction(x.callee, p.callee, d.packageNames),
    );
    if (hit) {
      usedDev.add(hit);
      judged.push({
        what: 'devirtualize',
        file,
        line: p.line,
        callee: p.callee,
        ...(p.caller ? { caller: p.caller } : {}),
        category: 'devirtualized',
        explanation: `PGO devirtualizes ${hit.expr} to ${hit.callee}`,
      });
    } else {
      judged.push({
        what: 'devirtualize',
        file,
        line: p.line,
        callee: p.callee,
        ...(p.caller ? { caller: p.caller } : {}),
        category: 'bug',
        explanation: 'predicted a PGO devirtualization the compiler did not do',
      });
    }
  }
  for (const c of d.calls) {
    if (c.kind === 'devirtualize' && c.pgo && !usedDev.has(c) && c.file.startsWith(pred.root)) {
      judged.push({
        what: 'missed-devirtualize',
        file: c.file,
        line: c.line,
        callee: c.callee,
        category: 'bug',
        explanation: `the compiler PGO-devirtualizes ${c.expr} to ${c.callee}; not predicted`,
      });
    }
    if (c.kind === 'inline' && c.inlined && c.hotBudget && !usedInline.has(c) && !c.nested && c.file.startsWith(pred.root)) {
      judged.push({
        what: 'missed-inline',
        file: c.file,
        line: c.line,
        callee: c.calleeFull ?? c.callee,
        ...(c.caller ? { caller: c.caller } : {}),
        category: 'bug',
        explanation: `the compiler inlines ${c.callee} with the hot budget (cost ${c.cost}); not predicted`,
      });
    }
  }

  const counts: Agreement['counts'] = {};
  for (const j of judged) counts[j.category] = (counts[j.category] ?? 0) + 1;
  const inl = judged.filter((j) => j.what === 'inline');
  const dev = judged.filter((j) => j.what === 'devirtualize' || j.what === 'missed-devirtualize');
  return {
    judged,
    counts,
    bugs: judged.filter((j) => j.category === 'bug'),
    inlineAgreement: {
      agree: inl.filter((j) => AGREEING.has(j.category)).length,
      explained: inl.filter((j) => !AGREEING.has(j.category) && j.category !== 'bug').length,
      bugs: judged.filter((j) => (j.what === 'inline' || j.what === 'missed-inline') && j.category === 'bug').length,
      total: inl.length,
    },
    devirtAgreement: {
      agree: dev.filter((j) => j.category === 'devirtualized').length,
      bugs: dev.filter((j) => j.category === 'bug').length,
      total: dev.length,
    },
  };
}

/**
 * Predictions from a matched binary (`buildReport(...).binaries[i]`), annotated from the source
 * index with how the calls on each hot line dispatch (so an indirect call is not mistaken for a
 * refused inline).
 */
export function predictionsFromMatch(
  root: string,
  b: {
    mainPackage: string;
    inlineCandidates: Array<{ file: string; line: number; caller: string; callee: string; weight: number }>;
    devirtualizations: Array<{ file: string; line: number; col: number; caller: string; callee: string }>;
    resolved: Map<string, { entry: { calls: Array<{ physicalLine: number; calleeSymbol?: string; dispatch: string }> } }>;
  },
): Predictions {
  return {
    root,
    mainPackage: b.mainPackage,
    inlineCandidates: b.inlineCandidates.map((c) => {
      const calls = b.resolved.get(c.caller)?.entry.calls.filter((x) => x.physicalLine === c.line);
      if (!calls) return { ...c };
      return {
        ...c,
        direct: calls.some((x) => x.calleeSymbol === c.callee),
        indirect: [...new Set(calls.filter((x) => x.dispatch !== 'static').map((x) => x.dispatch))].sort(),
      };
    }),
    devirtualizations: b.devirtualizations.map(({ file, line, col, caller, callee }) => ({ file, line, col, caller, callee })),
  };
}
