/**
 * The words for PGO's decisions at calls (no `vscode` import): the end-of-line annotation of a
 * line (one per line, naming each call and, when a line has several, its column), and the full
 * story of one decision for hovers and CodeLens tooltips.
 */
import type { LensInfo } from '../worker/protocol';
import { confirmationBadge, NO_SAMPLES, OF_PROFILE, pct, shortSymbol } from './format';

/**
 * Decisions worth showing: a zero-weight devirtualization decides nothing; several instantiations
 * of a generic function at one call give one. A zero-weight inline decision stays: the compiler
 * marks a call site hot by caller and line only (inl.go `candHotEdgeMap`), so every call on a hot
 * line gets the hot budget, also one with no samples of its own (`hot-budget check allows
 * inlining` for it under `-d=pgodebug=1`).
 */
export function shownDecisions(lenses: readonly LensInfo[]): LensInfo[] {
  const seen = new Set<string>();
  const out: LensInfo[] = [];
  for (const l of lenses) {
    if (l.kind === 'devirt' && !(l.weight > 0)) continue;
    const key = `${l.line}:${l.character}:${l.kind}:${shortSymbol(l.callee)}:${l.pgo ?? ''}:${l.certain ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(l);
  }
  return out;
}

const IDENT = /[\p{L}\p{N}_.]/u;

/**
 * The call's expression as written before its `(` at `character` (`b.L.Eval`, `handlers[in.op]`),
 * or undefined when `character` is not a call's `(`.
 */
export function callExpression(lineText: string, character: number): string | undefined {
  if (lineText[character] !== '(') return undefined;
  let i = character - 1;
  while (i >= 0) {
    const ch = lineText[i]!;
    if (IDENT.test(ch)) {
      i--;
      continue;
    }
    if (ch !== ']' && ch !== ')') break;
    // a balanced index, type-argument list or call before the name: skip it whole
    const open = ch === ']' ? '[' : '(';
    let depth = 0;
    let j = i;
    for (; j >= 0; j--) {
      const c = lineText[j];
      if (c === ch) depth++;
      else if (c === open && --depth === 0) break;
    }
    if (j < 0) break;
    i = j - 1;
  }
  const expr = lineText.slice(i + 1, character).replace(/^\.+/, '');
  if (!expr) return undefined;
  return expr.length > 40 ? `…${expr.slice(-39)}` : expr;
}

/** Removes `$(icon)` names: decoration text shows them literally. */
export function plain(text: string): string {
  return text
    .replace(/\$\([a-z-]+\)\s*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A symbol with each type-argument list written `[…]` (shape names carry package paths with slashes and dots). */
export function collapseTypeArgs(sym: string): string {
  let out = '';
  let depth = 0;
  for (const ch of sym) {
    if (ch === '[') {
      if (depth++ === 0) out += '[…]';
    } else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/** The package of a linker symbol (`math/rand` for `math/rand.(*Rand).Intn`). */
function packageOf(sym: string): string {
  const slash = sym.lastIndexOf('/', sym.indexOf('(') >= 0 ? sym.indexOf('(') : sym.length);
  const dot = sym.indexOf('.', slash + 1);
  return dot >= 0 ? sym.slice(0, dot) : sym;
}

/** A callee as the compiler names it in its diagnostics: without the package when it is the caller's. */
export function calleeName(callee: string, caller: string): string {
  const sym = collapseTypeArgs(callee);
  const pkg = packageOf(sym);
  return pkg === packageOf(collapseTypeArgs(caller)) ? sym.slice(pkg.length + 1) : shortSymbol(sym);
}

/** What the compiler's last confirming build said, in a word or two (`✓ (cost 342)`, `✗ not inlined: caller too big`). */
function verdict(l: LensInfo): string {
  if (!l.confirmation) return '';
  const c = l.confirmation;
  return c.state === 'confirmed' ? ` ✓${c.cost !== undefined ? ` (cost ${c.cost})` : ''}` : ` ✗ ${plain(confirmationBadge(c))}`;
}

/** A few words for one decision: `devirtualized`, `inlined (hot budget)`, `may be …`. */
export function decisionPhrase(l: LensInfo): string {
  if (l.kind === 'devirt') {
    const share = l.sitePercent !== undefined && l.sitePercent < 99.995 ? ` (${pct(l.sitePercent)} of the call)` : '';
    return `${l.certain === false ? 'may be devirtualized' : 'devirtualized'}${share}${verdict(l)}`;
  }
  return `${l.pgo === 'possible' ? 'may be inlined' : 'inlined'} (hot budget)${verdict(l)}`;
}

/** One call's decisions, per target: `→ (*Binary).Eval devirtualized + inlined (hot budget) 13.35%`. */
function callText(ls: readonly LensInfo[]): string {
  const byTarget = new Map<string, LensInfo[]>();
  for (const l of ls) byTarget.set(l.callee, [...(byTarget.get(l.callee) ?? []), l]);
  return [...byTarget.values()]
    .map((group) => {
      // devirtualization first: the inlining happens on the call it makes direct
      const sorted = [...group].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'devirt' ? -1 : 1));
      const first = sorted[0]!;
      const share = Math.max(...group.map((l) => l.percent));
      const weight = Math.max(...group.map((l) => l.weight));
      return `→ ${calleeName(first.callee, first.caller)} ${sorted.map(decisionPhrase).join(' + ')} ${weight > 0 ? pct(share) : NO_SAMPLES}`;
    })
    .join(', ');
}

/** Longest annotation shown; the hover has the rest. */
export const ANNOTATION_MAX = 180;

/**
 * One end-of-line text per line: `PGO: b.L.Eval:18 → (*Binary).Eval devirtualized + inlined (hot budget) 13.35% · b.R.Eval:33 …`. Calls are
 * named from the source; a line with several calls gives each its column (1-based, as the
 * compiler prints `file:line:col`). Every decision is a prediction unless the compiler confirmed it.
 */
export function annotationTexts(lenses: readonly LensInfo[], lineText: (line: number) => string | undefined): Map<number, string> {
  const byLine = new Map<number, LensInfo[]>();
  for (const l of shownDecisions(lenses)) {
    const list = byLine.get(l.line) ?? [];
    list.push(l);
    byLine.set(l.line, list);
  }
  const out = new Map<number, string>();
  for (const [line, list] of byLine) {
    const text = lineText(line);
    if (text === undefined) continue;
    const calls = new Map<number, LensInfo[]>();
    for (const l of list) calls.set(l.character, [...(calls.get(l.character) ?? []), l]);
    const several = calls.size > 1;
    const parts = [...calls]
      .sort((a, b) => a[0] - b[0])
      .map(([ch, ls]) => {
        const name = callExpression(text, ch) ?? 'call';
        return `${name}${several ? `:${ch + 1}` : ''} ${callText(ls)}`;
      });
    const predicted = list.some((l) => !l.confirmation) ? ' · predicted' : '';
    let s = `PGO: ${parts.join(' · ')}${predicted}`;
    if (s.length > ANNOTATION_MAX) s = `${s.slice(0, ANNOTATION_MAX - 14).trimEnd()} … (hover)`;
    out.set(line, s);
  }
  return out;
}

/** The full story of one decision (hover and CodeLens tooltip; plain text). */
export function decisionStory(l: LensInfo): string {
  const what =
    l.kind === 'devirt'
      ? `The compiler adds a type/function check and a direct call to ${shortSymbol(l.callee)} here (edge weight ${l.weight}, ${pct(l.percent)} ${OF_PROFILE}${l.sitePercent !== undefined ? `, ${pct(l.sitePercent)} of this call's weight` : ''}).` +
        (l.certain === false ? ` Possible, not certain: ${l.why ?? 'a rule cannot be decided from the source'}.` : '')
      : (l.weight > 0
          ? `Hot call site (${shortSymbol(l.caller)} → ${shortSymbol(l.callee)}, edge weight ${l.weight}, ${pct(l.percent)} ${OF_PROFILE}): the compiler inlines callees with cost up to 2000 here instead of 80.`
          : `Hot line in ${shortSymbol(l.caller)}: the profile has no samples of this call to ${shortSymbol(l.callee)}, but another call on the line is hot, and the compiler gives every call on a hot line the hot budget (callees with cost up to 2000 instead of 80).`) +
        (l.why ? ` ${l.pgo === 'possible' ? 'Possible, not certain: ' : ''}${l.why}.` : '');
  const confirm = l.confirmation
    ? ` Compiler (last confirming build): ${l.confirmation.text}`
    : ' Prediction from the profile; run "Go PGO: Confirm Decisions with the Compiler" to check it against go build.';
  return what + confirm;
}
