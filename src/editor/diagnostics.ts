/**
 * Refactor impact: a diagnostic for each profile function that no longer matches the source, on
 * the declaration it most likely became (renamed, moved) or on the function whose call sites
 * shifted (offset drift); removed functions are reported on the profile itself. Quick fixes
 * rewrite default.pgo so the compiler matches it again.
 */
import * as vscode from 'vscode';
import type { BinarySummary, UnmatchedInfo } from '../worker/protocol';
import type { Settings } from './config';
import { pct, shortSymbol } from './format';
import { diagnosticShown } from './line-map';

const signed = (n: number): string => (n >= 0 ? `+${n}` : `${n}`);

/** `+3→+5 +7→+9`: where the entry's lost call sites went (profile offset → offset now). */
export function edgeMoves(u: Pick<UnmatchedInfo, 'edgeMap'>): string {
  const seen = new Map<number, number>();
  for (const e of u.edgeMap ?? []) if (e.to !== undefined && e.to !== e.from) seen.set(e.from, e.to);
  const list = [...seen].sort((a, b) => a[0] - b[0]).map(([f, t]) => `${signed(f)}→${signed(t)}`);
  return list.length > 6 ? `${list.slice(0, 6).join(' ')} …` : list.join(' ');
}

export const DIAGNOSTIC_SOURCE = 'Go PGO';

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
} as const;

export interface PgoDiagnostic extends vscode.Diagnostic {
  pgo: { binary: string; profile: string; entry: UnmatchedInfo };
}

export function diagnosticMessage(u: UnmatchedInfo, profileName: string): string {
  const lost = u.lost?.length ? ` The compiler loses ${u.lost.join(', ')}.` : '';
  const w = `${pct(u.percent)} of the profile`;
  const moves = edgeMoves(u);
  switch (u.kind) {
    case 'renamed':
    case 'moved':
      return `PGO: the profile names ${shortSymbol(u.symbol)} (${w}); it was ${u.kind} to ${shortSymbol(u.suggestion ?? '?')}${moves ? ` and its call sites moved (${moves})` : ''}, so ${profileName} no longer applies here.${lost} Rewrite the profile (quick fix) or collect a new one.`;
    case 'offset-drift':
      return `PGO: call sites in ${shortSymbol(u.symbol)} moved inside the function${moves ? ` (profile line offset → now: ${moves})` : ''}, so their ${w} no longer matches ${profileName}.${lost} Re-align the profile (quick fix) or collect a new one.`;
    case 'changed':
      return `PGO: hot calls of ${shortSymbol(u.symbol)} in ${profileName} are no longer in the source (${w}; ${u.reason}).${lost} Collect a new profile.`;
    default:
      return `PGO: ${shortSymbol(u.symbol)} (${w}) is in ${profileName} but no longer in the source (${u.reason}).${lost} Collect a new profile.`;
  }
}

/** `edited`: profile functions whose measured lines the user's edits moved off the compiler's offsets (their drift is shown whatever its share). */
export function buildDiagnostics(binaries: BinarySummary[], s: Settings, edited: ReadonlySet<string> = new Set()): Map<string, PgoDiagnostic[]> {
  const out = new Map<string, PgoDiagnostic[]>();
  if (!s.enable) return out;
  for (const b of binaries) {
    for (const u of b.unmatched) {
      if (!diagnosticShown(u, s.diagnosticsMinPercent, edited)) continue;
      const file = u.location?.file ?? b.profile;
      const line = u.location?.line ?? 0;
      const ch = u.location?.character ?? 0;
      const d = new vscode.Diagnostic(
        new vscode.Range(line, ch, line, ch + 1),
        diagnosticMessage(u, b.profile.split(/[\\/]/).pop() ?? 'default.pgo'),
        SEVERITY[s.diagnosticsSeverity],
      ) as PgoDiagnostic;
      d.source = DIAGNOSTIC_SOURCE;
      d.code = u.kind ?? 'unmatched';
      d.pgo = { binary: b.id, profile: b.profile, entry: u };
      const list = out.get(file) ?? [];
      list.push(d);
      out.set(file, list);
    }
  }
  return out;
}

export class RewriteCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(_doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of ctx.diagnostics as readonly PgoDiagnostic[]) {
      if (d.source !== DIAGNOSTIC_SOURCE || !d.pgo) continue;
      const u = d.pgo.entry;
      if (!((u.kind === 'renamed' || u.kind === 'moved') && u.suggestion) && u.kind !== 'offset-drift') continue;
      const title =
        u.kind === 'offset-drift'
          ? `Re-align ${shortSymbol(u.symbol)}'s line offsets in ${d.pgo.profile.split(/[\\/]/).pop()}`
          : `Rename ${shortSymbol(u.symbol)} → ${shortSymbol(u.suggestion!)} in ${d.pgo.profile.split(/[\\/]/).pop()}`;
      const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      a.diagnostics = [d];
      a.isPreferred = true;
      a.command = { command: 'pgoLens.rewriteProfile', title, arguments: [d.pgo.binary, [u.symbol]] };
      actions.push(a);
    }
    return actions;
  }
}
