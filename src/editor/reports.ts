/**
 * Reports (*Show Changes*, profile reports) as read-only virtual documents of the `pgo-lens:`
 * scheme: closing one never asks to save, and every `file.go:line` in it is a link.
 */
import * as vscode from 'vscode';
import { findLinks } from './links';

export const REPORT_SCHEME = 'pgo-lens';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly docs = new Map<string, { text: string; base: string | null }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[];

  constructor() {
    this.subs = [
      vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this),
      vscode.languages.registerDocumentLinkProvider({ scheme: REPORT_SCHEME }, this),
      this.changed,
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString())?.text ?? '(this report is no longer available: run the command again)';
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const base = this.docs.get(doc.uri.toString())?.base ?? null;
    const out: vscode.DocumentLink[] = [];
    for (let i = 0; i < doc.lineCount; i++) {
      for (const l of findLinks(doc.lineAt(i).text, base)) {
        const link = new vscode.DocumentLink(
          new vscode.Range(i, l.start, i, l.end),
          vscode.Uri.file(l.file).with({ fragment: `L${l.line}${l.col !== null ? `,${l.col}` : ''}` }),
        );
        link.tooltip = `Open ${l.file}:${l.line}`;
        out.push(link);
      }
    }
    return out;
  }

  /** Opens `text` read-only as `pgo-lens:/<name>` (`name` ends in `.md` for markdown); relative `file:line` resolve against `base`. */
  async show(name: string, text: string, base: string | null = null): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}` });
    this.docs.set(uri.toString(), { text, base });
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
