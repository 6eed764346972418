/** The corpus figures as text lines (tests' output and scripts/bench-corpus.mjs). */
import type { Site } from './compiler-text';
import type { Figures } from './measure';

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const site = (s: Site): string => `${s.file}:${s.line}${s.col ? `:${s.col}` : ''} ${s.callee}${s.caller ? ` (in ${s.caller})` : ''}`;

/** The figures as text lines, every disagreement listed (for tests' output and the bench). */
export function formatFigures(f: Figures, maxListed = Infinity): string[] {
  const d = f.devirt;
  const i = f.inline;
  const out = [
    `${f.name}: matched ${f.matchedPercent.toFixed(1)} % of hot weight`,
    `  devirtualization: precision ${pct(d.precision)} (${d.agree}/${d.predicted} certain), recall ${pct(d.recall)} (${d.compiler - d.misses.length}/${d.compiler}, certain or possible); possible: ${d.possible.agree}/${d.possible.predicted} done`,
    `  report's hot call sites: hot-budget recall ${pct(i.recall)} (${i.found}/${i.hotBudgetSites}); decisions ('hot-budget'): precision ${pct(i.precision)} (${i.onHotBudgetLine}/${i.decisionLenses}); ` +
      `'possible': ${i.possible.onHotBudgetLine}/${i.possible.sites} inlined; hot-budget inlinings marked 'none': ${i.markedNone.length}`,
  ];
  if (f.editor) {
    const e = f.editor;
    out.push(
      `  editor's decision (inline) lenses: hot-budget recall ${pct(e.recall)} (${i.hotBudgetSites - e.missing.length}/${i.hotBudgetSites}), ` +
        `precision ${pct(e.precision)} (${e.onHotBudgetLine}/${e.lenses})`,
    );
    const cats = Object.entries(e.offByCategory).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    if (cats.length) out.push(`  editor lenses off a hot-budget inlining, by category: ${cats.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  const list = (title: string, xs: Site[]): void => {
    if (!xs.length) return;
    out.push(`  ${title} (${xs.length}):`);
    for (const s of xs.slice(0, maxListed)) {
      out.push(`    ${site(s)}`);
      for (const c of s.compiler ?? []) out.push(`      compiler: ${c}`);
    }
    if (xs.length > maxListed) out.push(`    … ${xs.length - maxListed} more`);
  };
  out.push(`  hot call sites by agreement category (src/compiler/agreement.ts): ${f.categories.map((c) => `${c.category} ${c.count}`).join(', ')}`);
  if (f.unmatched.length) {
    out.push(`  unmatched hot functions (${f.unmatched.length}):`);
    for (const u of f.unmatched.slice(0, maxListed)) out.push(`    ${u.symbol} ${u.percent.toFixed(2)} % ${u.kind ?? ''}: ${u.reason}`);
  }
  list('predicted devirtualizations the compiler did not do', d.falsePositives);
  list('compiler devirtualizations not predicted', d.misses);
  list('hot-budget inlinings not among the hot call sites', i.missing);
  list("decision sites ('hot-budget') without a hot-budget inlining of that callee", i.offLenses);
  list("hot-budget inlinings the report marks 'none'", i.markedNone);
  if (f.editor) list('hot-budget inlinings without an editor inline lens', f.editor.missing);
  if (f.editor) list('editor inline lenses without a hot-budget inlining of that callee', f.editor.offLenses);
  return out;
}
