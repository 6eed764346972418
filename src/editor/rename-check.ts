/**
 * The rename fix checks the source first: before a profile function is renamed in the profile,
 * the worker looks for places that still use the old name (src/worker/rename-uses.ts). When it
 * finds some, nothing is written: a one-line warning says what and where, with *Show Uses* (a
 * read-only report with links) and *Rewrite Anyway*.
 */
import * as vscode from 'vscode';
import type { WorkerClient } from '../worker/client';
import type { RenameCheck } from '../worker/protocol';
import { failureText } from './failures';
import type { ReportDocuments } from './reports';
import { blocking, oldNameMessage, oldNameReport } from './rename-text';

export class RenameGuard {
  constructor(
    private readonly client: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly reports: ReportDocuments,
  ) {}

  /**
   * The checks that found the old name still used (empty: safe to rewrite). When some did, the
   * warning is shown (not awaited); *Rewrite Anyway* runs `rewriteAnyway`.
   */
  async check(binary: string, symbols: string[] | undefined, rewriteAnyway: () => unknown): Promise<RenameCheck[]> {
    const overlays: Record<string, string> = {};
    for (const d of vscode.workspace.textDocuments) if (d.isDirty && d.languageId === 'go' && d.uri.scheme === 'file') overlays[d.uri.fsPath] = d.getText();
    let checks: RenameCheck[];
    try {
      checks = await this.client.call('renameUses', { binary, ...(symbols ? { symbols } : {}), overlays });
    } catch (e) {
      // the check is a safety net: when it cannot run, say so in the log and let the rewrite go on
      this.log.warn(`checking the source for old names before the rewrite: ${failureText(e)}`);
      return [];
    }
    for (const c of checks) this.log.info(`rename ${c.symbol} → ${c.suggestion}: old name used in ${c.count} place(s) (${c.files} files read)`);
    const found = blocking(checks);
    if (!found.length) return [];
    const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(binary))?.uri.fsPath;
    void vscode.window.showWarningMessage(oldNameMessage(found, root), 'Show Uses', 'Rewrite Anyway').then((a) => {
      if (a === 'Show Uses') void this.reports.show('old-names.md', oldNameReport(found, root), root ?? null);
      else if (a === 'Rewrite Anyway') void rewriteAnyway();
    });
    return found;
  }
}
