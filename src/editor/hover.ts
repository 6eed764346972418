/** Hover on hot lines: weights, callees at the line, hotness, devirtualization, the profile key. */
import * as vscode from 'vscode';
import type { FileView } from '../worker/protocol';
import { pct, shortSymbol } from './format';

export function hoverMarkdown(view: FileView, line: number): vscode.MarkdownString | undefined {
  const d = view.lines.find((l) => l.line === line);
  if (!d) return undefined;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**Go PGO** · flat ${pct(d.flatPercent)} (${d.flat}) · cum ${pct(d.cumPercent)} (${d.cum})\n\n`);
  if (d.hotSite) md.appendMarkdown('$(flame) **Hot call site**: calls on this line may be inlined with the hot budget (cost ≤ 2000).\n\n');
  if (d.devirtualized) md.appendMarkdown(`$(arrow-swap) **Devirtualized** to \`${shortSymbol(d.devirtualized.callee)}\` (weight ${d.devirtualized.weight})\n\n`);
  if (d.compiler?.length) {
    md.appendMarkdown('**Compiler** (last confirming build):\n\n');
    for (const c of d.compiler.slice(0, 6)) md.appendMarkdown(`- ${c.replace(/[\\`*_[\]]/g, (m) => `\\${m}`)}\n`);
    md.appendMarkdown('\n');
  }
  if (d.callees.length) {
    md.appendMarkdown('| callee | weight | share |\n|---|---:|---:|\n');
    for (const c of d.callees.slice(0, 8)) md.appendMarkdown(`| \`${shortSymbol(c.callee)}\` | ${c.weight} | ${pct(c.percent)} |\n`);
    if (d.callees.length > 8) md.appendMarkdown(`| … ${d.callees.length - 8} more | | |\n`);
    md.appendMarkdown('\n');
  }
  md.appendMarkdown(`Profile key: \`${d.symbol}\` +${d.offset} · ${view.profile ?? ''}`);
  return md;
}

export class PgoHoverProvider implements vscode.HoverProvider {
  constructor(private readonly viewFor: (uri: vscode.Uri) => FileView | undefined, private readonly enabled: () => boolean) {}
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const view = this.viewFor(doc.uri);
    if (!view || !this.enabled()) return undefined;
    const md = hoverMarkdown(view, pos.line);
    return md ? new vscode.Hover(md, doc.lineAt(pos.line).range) : undefined;
  }
}
