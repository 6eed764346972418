/**
 * Agreement of our engine with the Go compiler on the real-code corpus (test/corpus/, see its
 * README): for each corpus module, what `pgo-lens report` predicts (buildReport, as the CLI
 * does) against the compiler's printed decisions committed in expected/<bin>.pgodebug.txt.
 * Shared by the unit test (committed outputs, no Go), the oracle test and
 * scripts/bench-corpus.mjs. Nothing here asserts; it measures and lists every disagreement.
 *
 * Decision-lens precision is measured on what the editor shows: the inline CodeLenses of the
 * WorkspaceModel (src/worker) on every file with a hot call site; the same figure for the
 * report's hot call sites (what `report --json` lists) is printed too.
 *
 * The compiler side is read straight from its text by compiler-text.ts (no parser of ours in between):
 * - `POS: PGO devirtualizing interface|function call E to T` → a devirtualized site (file, line,
 *   column, target as printed: short-qualified, e.g. `ast.(*BaseNode).Parent`);
 * - `hot-budget check allows inlining for call X (cost N) at POS in function F` → a hot-budget
 *   site (file, line, X path-qualified).
 * Files are compared as the go command printed them, relative to the module root it ran in
 * (`vendor/<import path>/<file>` for library code, `$GOROOT/src/…` for the standard library).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type AgreementCategory, compareWithCompiler, predictionsFromMatch } from '../../../src/compiler/agreement';
import { parseDecisions, sameFunction } from '../../../src/compiler/decisions';
import { buildReport, type ReportOptions } from '../../../src/match/report';
import { DEFAULT_CDF_THRESHOLD } from '../../../src/pgo/model';
import { WorkspaceModel } from '../../../src/worker/workspace';
import { repoRoot } from '../../paths';
import { compilerSites, type Site, traceByPosition } from './compiler-text';

export const corpusDir = path.join(repoRoot, 'test', 'corpus');

/** What scripts/corpus.mjs writes to expected/summary.json (the fields used here). */
export interface CorpusSummary {
  name: string;
  module: string;
  modules: Array<{ path: string; version: string; license: string }>;
  bin: string;
  package: string;
  /** Main package directory relative to the module root ('.' for the root). */
  dir: string;
  profile: string;
  samples: number;
  compiledPackages: string[];
  hotBudgetLines: number;
  devirtualizedInterfaceCalls: number;
  devirtualizedFunctionCalls: number;
  go: string;
}

export interface CorpusModule {
  name: string;
  root: string;
  mainDir: string;
  summary: CorpusSummary;
  /** expected/<bin>.pgodebug.txt */
  pgodebugFile: string;
  /** expected/<bin>.devirt.txt: the -d=pgodebug=2 devirtualization trace. */
  traceFile: string;
}

/** The corpus modules (directories of test/corpus with expected/summary.json), by name. */
export function corpusModules(dir: string = corpusDir): CorpusModule[] {
  return fs
    .readdirSync(dir)
    .filter((n) => fs.existsSync(path.join(dir, n, 'expected', 'summary.json')))
    .sort()
    .map((name) => {
      const root = path.join(dir, name);
      const summary = JSON.parse(fs.readFileSync(path.join(root, 'expected', 'summary.json'), 'utf8')) as CorpusSummary;
      const exp = (f: string): string => path.join(root, 'expected', `${summary.bin}.${f}`);
      return { name, root, mainDir: path.join(root, summary.dir), summary, pgodebugFile: exp('pgodebug.txt'), traceFile: exp('devirt.txt') };
    });
}

export interface Figures {
  name: string;
  /** The report's share of hot weight that matches the source, and what does not. */
  matchedPercent: number;
  unmatched: Array<{ symbol: string; percent: number; kind?: string; reason: string }>;
  devirt: {
    predicted: number;
    compiler: number;
    agree: number;
    /** agree / predicted (1 when nothing is predicted). */
    precision: number;
    /** agree / compiler (1 when the compiler devirtualizes nothing). */
    recall: number;
    /** Predicted, not done by the compiler. */
    falsePositives: Site[];
    /** Done by the compiler, not predicted (neither certain nor possible). */
    misses: Site[];
    /** Predictions marked possible (not certain) and how many of them the compiler did. */
    possible: { predicted: number; agree: number };
  };
  inline: {
    /** Distinct (file, line, column, callee) compiler hot-budget sites. */
    hotBudgetSites: number;
    found: number;
    recall: number;
    /** Hot-budget sites that are not among our inline candidates. */
    missing: Site[];
    /** Hot-budget sites whose candidates the report marks 'none' (heat only, no lens). */
    markedNone: Site[];
    /** Candidates marked 'possible' and how many of them are hot-budget inlinings. */
    possible: { sites: number; onHotBudgetLine: number };
    /** The report's decision sites: distinct (file, line, callee) candidates marked 'hot-budget'. */
    decisionLenses: number;
    onHotBudgetLine: number;
    /** onHotBudgetLine / decisionLenses. */
    precision: number;
    /** Hot call sites where the compiler printed no hot-budget line for that callee. */
    offLenses: Site[];
  };
  /**
   * src/compiler/agreement.ts's categories for the report's hot call sites, from the committed
   * text alone (no -json, so a call-site refusal for cost is not seen: such sites fall into
   * other categories). Counts and up to three examples per category.
   */
  categories: Array<{ category: AgreementCategory; count: number; examples: string[] }>;
  /** With `editor`: the inline CodeLenses the editor shows (WorkspaceModel.fileView) on the files with inline candidates. */
  editor?: {
    /** Hot-budget sites with an editor inline lens / hot-budget sites. */
    recall: number;
    /** Hot-budget sites without an editor inline lens. */
    missing: Site[];
    lenses: number;
    onHotBudgetLine: number;
    precision: number;
    offLenses: Site[];
    /** The off-decision lenses by the agreement category of their hot call site (`(none)`: no such site judged). */
    offByCategory: Record<string, number>;
  };
}

/** A file of ours (relative to root or absolute) in the go command's printed form. */
function printedForm(root: string, file: string, goroot: string | undefined): string {
  const abs = path.isAbsolute(file) ? file : path.join(root, file);
  if (goroot && abs.startsWith(goroot + path.sep)) return '$GOROOT/' + path.relative(goroot, abs).split(path.sep).join('/');
  return path.relative(root, abs).split(path.sep).join('/');
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

/**
 * The report's hot call sites counted for decision precision: those marked `pgo: 'hot-budget'`
 * (the claims "PGO inlines this"; 'possible' ones are counted apart, 'none' ones are heat only).
 */
export function decisionLensSites<T extends { file: string; line: number; callee: string; caller: string; pgo?: string }>(
  candidates: ReadonlyArray<T>,
): ReadonlyArray<T> {
  return candidates.filter((c) => c.pgo === 'hot-budget');
}

/** Measures one corpus module: our report against the compiler's committed text. */
export async function measureModule(mod: CorpusModule, opts: ReportOptions & { goroot?: string; editor?: boolean } = {}): Promise<Figures> {
  const text = fs.readFileSync(mod.pgodebugFile, 'utf8');
  const cs = compilerSites(text);
  const { goroot, editor: _editor, ...reportOpts } = opts;
  const report = await buildReport(mod.root, reportOpts);
  const b = report.binaries.find((x) => path.resolve(x.mainDir) === path.resolve(mod.mainDir));
  if (!b) throw new Error(`${mod.name}: the report has no binary for ${path.relative(mod.root, mod.mainDir) || '.'} (is default.pgo there?)`);
  const form = (f: string): string => printedForm(mod.root, f, goroot);

  // Devirtualizations: same file, line, column of the call's `(`, same target. Precision counts
  // the certain predictions (the claims); recall the compiler's devirtualizations predicted
  // certain or possible (the editor shows both, the possible ones worded "may").
  const usedC = new Set<Site>();
  const falsePositives: Site[] = [];
  const possible = { predicted: 0, agree: 0 };
  let predictedCertain = 0;
  for (const d of b.devirtualizations) {
    const p: Site = { file: form(d.file), line: d.line, col: d.col, callee: d.callee, caller: d.caller };
    const hit = cs.devirtualized.find((c) => !usedC.has(c) && c.file === p.file && c.line === p.line && c.col === p.col && sameFunction(c.callee, p.callee));
    if (hit) usedC.add(hit);
    if (d.certain === false) {
      possible.predicted++;
      if (hit) possible.agree++;
      continue;
    }
    predictedCertain++;
    if (!hit) falsePositives.push(p);
  }
  const trace = traceByPosition(fs.readFileSync(mod.traceFile, 'utf8'));
  const explain = (x: Site): Site => {
    const here = trace.get(`${x.file}:${x.line}:${x.col}`) ?? ['(no trace: the compiler did not consider this call for PGO devirtualization)'];
    // Refusals of the chosen callee itself are printed at its declaration, not at the call.
    const refused = cs.shouldNot.filter((n) => sameFunction(n.callee, x.callee)).map((n) => n.line);
    return { ...x, compiler: [...here, ...refused] };
  };
  falsePositives.splice(0, falsePositives.length, ...falsePositives.map(explain));
  const misses = cs.devirtualized.filter((c) => !usedC.has(c)).map(explain);
  const agree = predictedCertain - falsePositives.length;

  // Inline candidates vs hot-budget sites: same file and line, same callee.
  const cands = b.inlineCandidates.map((c) => ({ file: form(c.file), line: c.line, callee: c.callee, caller: c.caller, pgo: c.pgo }));
  // The compiler prints the outermost position of a call: a hot call inside a body inlined at P
  // is reported at P. Such a site is matched by a call of the callee from a function inlined at
  // P (an `inlining call to` line there) as well as by one at P itself.
  const matches = (s: Site, c: { file: string; line: number; callee: string; caller: string }): boolean => {
    if (!sameFunction(s.callee, c.callee)) return false;
    if (c.file === s.file && c.line === s.line) return true;
    const outer = cs.inlinedAt.get(`${s.file}:${s.line}:${s.col}`) ?? [];
    return outer.some((o) => sameFunction(o, c.caller) && !sameFunction(o, s.callee));
  };
  const onHotBudget = (c: { file: string; line: number; callee: string; caller: string }): boolean => cs.hotBudget.some((s) => matches(s, c));
  const missing = cs.hotBudget.filter((s) => !cands.some((c) => matches(s, c)));
  // hot-budget sites the report marks 'none' (heat only): decisions we do not show
  const markedNone = cs.hotBudget.filter((s) => !cands.some((c) => c.pgo !== 'none' && matches(s, c)));
  const possibleCands = new Map<string, (typeof cands)[number]>();
  for (const c of cands) if (c.pgo === 'possible') possibleCands.set(`${c.file}:${c.line}:${c.callee}`, c);
  // One lens per (file, line, callee): generic instantiations share the line.
  const lensKeys = new Map<string, (typeof cands)[number]>();
  for (const c of decisionLensSites(cands)) lensKeys.set(`${c.file}:${c.line}:${c.callee}`, c);
  const lenses = [...lensKeys.values()];
  const offLenses: Site[] = lenses.filter((l) => !onHotBudget(l));

  const decisions = parseDecisions(text, [], { cwd: mod.root, ...(goroot ? { goroot } : {}) });
  const agreement = compareWithCompiler(predictionsFromMatch(mod.root, b), decisions);
  const byCat = new Map<AgreementCategory, { count: number; examples: string[] }>();
  for (const j of agreement.judged.filter((x) => x.what === 'inline')) {
    const c = byCat.get(j.category) ?? { count: 0, examples: [] };
    c.count++;
    if (c.examples.length < 3) c.examples.push(`${form(j.file)}:${j.line} ${j.callee}: ${j.explanation}`);
    byCat.set(j.category, c);
  }
  const categories = [...byCat].map(([category, c]) => ({ category, ...c })).sort((x, y) => y.count - x.count || (x.category < y.category ? -1 : 1));

  let editor: Figures['editor'];
  if (opts.editor) {
    const shown = await editorInlineLenses(
      mod,
      b.mainDir,
      [...new Set(b.inlineCandidates.map((c) => path.resolve(mod.root, c.file)))],
      reportOpts.useGoList !== false,
    );
    // precision over the claims ('hot-budget' lenses); recall over every inline lens (claims and "may")
    const all = shown.map((l) => ({ ...l, file: form(l.file) }));
    const sites = all.filter((l) => l.pgo === 'hot-budget');
    const off = sites.filter((l) => !onHotBudget(l));
    const noLens = cs.hotBudget.filter((h) => !all.some((l) => matches(h, l)));
    const offByCategory: Record<string, number> = {};
    for (const l of off) {
      const j = agreement.judged.find((x) => x.what === 'inline' && form(x.file) === l.file && x.line === l.line && x.callee === l.callee);
      const k = j?.category ?? '(none)';
      offByCategory[k] = (offByCategory[k] ?? 0) + 1;
    }
    editor = {
      recall: ratio(cs.hotBudget.length - noLens.length, cs.hotBudget.length),
      missing: noLens,
      lenses: sites.length,
      onHotBudgetLine: sites.length - off.length,
      precision: ratio(sites.length - off.length, sites.length),
      offLenses: off,
      offByCategory,
    };
  }
  return {
    name: mod.name,
    matchedPercent: b.matchedPercent,
    unmatched: b.unmatched.map((u) => ({ symbol: u.symbol, percent: u.percent, ...(u.kind ? { kind: u.kind } : {}), reason: u.reason })),
    categories,
    devirt: {
      predicted: predictedCertain,
      compiler: cs.devirtualized.length,
      agree,
      precision: ratio(agree, predictedCertain),
      possible,
      recall: ratio(usedC.size, cs.devirtualized.length),
      falsePositives,
      misses,
    },
    inline: {
      hotBudgetSites: cs.hotBudget.length,
      found: cs.hotBudget.length - missing.length,
      recall: ratio(cs.hotBudget.length - missing.length, cs.hotBudget.length),
      missing,
      markedNone,
      possible: { sites: possibleCands.size, onHotBudgetLine: [...possibleCands.values()].filter(onHotBudget).length },
      decisionLenses: lenses.length,
      onHotBudgetLine: lenses.length - offLenses.length,
      precision: ratio(lenses.length - offLenses.length, lenses.length),
      offLenses,
    },
    ...(editor ? { editor } : {}),
  };
}

/** The inline CodeLenses the editor shows on these files for this binary (1-based lines and columns, absolute files). */
async function editorInlineLenses(
  mod: CorpusModule,
  mainDir: string,
  files: string[],
  trusted: boolean,
): Promise<Array<Site & { col: number; caller: string; pgo: string }>> {
  const model = new WorkspaceModel();
  await model.open({ folders: [mod.root], thresholdPercent: DEFAULT_CDF_THRESHOLD, trusted, history: false });
  const out: Array<Site & { col: number; caller: string; pgo: string }> = [];
  for (const file of files.sort()) {
    const v = model.fileView(file, mainDir);
    for (const l of v.lenses) {
      if (l.kind === 'inline') out.push({ file, line: l.line + 1, col: l.character + 1, callee: l.callee, caller: l.caller, pgo: l.pgo ?? 'hot-budget' });
    }
  }
  return out;
}
