/** Hover on hot lines: weights, callees at the line, hotness, devirtualization, the profile key. */
import * as vscode from 'vscode';
import type { FileView, LensInfo, LineDetail } from '../worker/protocol';
import { callExpression, decisionStory, plain, shownDecisions } from './decision-text';
import { lensTitle, OF_PROFILE, pct, shortSymbol, weightText } from './format';
import { HEAT_LEVELS, heatLegend } from './tables';

/** Where the compiler's offset view now charges a measured line's samples (after edits inside its function). */
export interface MovedNote {
  /** 0-based line the compiler now charges. */
  compiler: number;
}

/**
 * `decisions`: PGO's decisions at the calls of the line on the text now (the compiler's view), with
 * `lineText` to name the calls; a line with decisions and no samples still gets a hover.
 */
export function hoverMarkdown(
  view: FileView,
  line: number,
  moved?: MovedNote,
  decisions: readonly LensInfo[] = [],
  lineText = '',
): vscode.MarkdownString | undefined {
  const d = view.lines.find((l) => l.line === line);
  const shown = shownDecisions(decisions.filter((l) => l.line === line));
  if (!d && !shown.length) return undefined;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(d ? `${hoverHeadline(view, d)}\n\n` : '**Go PGO**\n\n');
  if (shown.length) {
    md.appendMarkdown('**PGO decisions on this line**\n\n');
    for (const l of shown) {
      const call = callExpression(lineText, l.character);
      md.appendMarkdown(`- ${call ? `\`${call}\` (column ${l.character + 1}): ` : ''}${escape(plain(lensTitle(l)))}. ${escape(decisionStory(l))}\n`);
    }
    md.appendMarkdown('\n');
  }
  if (!d) return md;
  if (moved) {
    md.appendMarkdown(
      `$(warning) **Edited since the profile was loaded**: these samples were measured on this line, but the compiler now charges them to line ${moved.compiler + 1} (function start + ${d.offset}); hot-call and devirtualization decisions follow that line until the profile is re-aligned or refreshed.\n\n`,
    );
  }
  const legend = heatLine(view, line);
  if (legend) md.appendMarkdown(`${legend}\n\n`);
  if (d.hotSite) md.appendMarkdown('$(flame) **Hot call site**: calls on this line may be inlined with the hot budget (cost ≤ 2000).\n\n');
  if (d.devirtualized)
    md.appendMarkdown(`$(arrow-swap) **Devirtualized** to \`${shortSymbol(d.devirtualized.callee)}\` (weight ${d.devirtualized.weight})\n\n`);
  if (d.compiler?.length) {
    md.appendMarkdown('**Compiler** (last confirming build):\n\n');
    for (const c of d.compiler.slice(0, 6)) md.appendMarkdown(`- ${escape(c)}\n`);
    md.appendMarkdown('\n');
  }
  if (d.callees.length) {
    md.appendMarkdown(`| callee | weight | ${OF_PROFILE} |\n|---|---:|---:|\n`);
    for (const c of d.callees.slice(0, 8)) md.appendMarkdown(`| \`${shortSymbol(c.callee)}\` | ${c.weight} | ${pct(c.percent)} |\n`);
    if (d.callees.length > 8) md.appendMarkdown(`| … ${d.callees.length - 8} more | | |\n`);
    md.appendMarkdown('\n');
  }
  md.appendMarkdown(`Profile key: \`${d.symbol}\` +${d.offset} · ${view.profile ? view.profile.split(/[\\/]/).pop() : ''}`);
  return md;
}

function escape(s: string): string {
  return s.replace(/[\\`*_[\]<>]/g, (m) => `\\${m}`);
}

/** `go tool pprof -list`'s numbers for the line, as shares of the profile and absolute. */
export function hoverHeadline(view: FileView, d: LineDetail): string {
  const abs = `flat ${weightText(d.flat, view.sampleType)}, cum ${weightText(d.cum, view.sampleType, view.total)}`;
  return `**Go PGO** · flat ${pct(d.flatPercent)} · cum ${pct(d.cumPercent)} ${OF_PROFILE} (${abs})`;
}

/** The line's heat level and what it means (the legend). */
export function heatLine(view: FileView, line: number): string | undefined {
  const h = view.heat.find((x) => x.line === line);
  if (!h) return undefined;
  const part = (metric: string, level: number, lines: number): string | undefined => {
    const l = HEAT_LEVELS[level - 1];
    return l ? `${metric} ${heatLegend(l)} (${lines} lines)` : undefined;
  };
  const parts = [part('flat', h.flatLevel, view.heatLines.flat), part('cum', h.cumLevel, view.heatLines.cum)].filter((x): x is string => !!x);
  return parts.length ? `Heat · ${parts.join(' · ')}` : undefined;
}

export class PgoHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly viewFor: (uri: vscode.Uri) => FileView | undefined,
    private readonly enabled: () => boolean,
    private readonly movedAt: (uri: vscode.Uri, line: number) => MovedNote | undefined = () => undefined,
    /** PGO's decisions on the text now (the compiler's view), whatever the decision style. */
    private readonly decisionsFor: (uri: vscode.Uri) => readonly LensInfo[] = () => [],
  ) {}
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const view = this.viewFor(doc.uri);
    if (!view || !this.enabled()) return undefined;
    const md = hoverMarkdown(view, pos.line, this.movedAt(doc.uri, pos.line), this.decisionsFor(doc.uri), doc.lineAt(pos.line).text);
    return md ? new vscode.Hover(md, doc.lineAt(pos.line).range) : undefined;
  }
}
