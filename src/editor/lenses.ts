/**
 * CodeLens where PGO decides something (the `codeLens` decision style; the default is end-of-line
 * annotations, which never move code): calls inlined only thanks to the hot budget, and
 * devirtualized calls (the worker gives no lens to hot sites where PGO changes nothing; they keep
 * their heat). Predictions the source cannot decide are worded "may" with a question mark.
 */
import * as vscode from 'vscode';
import type { FileView } from '../worker/protocol';
import { decisionStory, shownDecisions } from './decision-text';
import { lensTitle } from './format';

export class PgoCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly viewFor: (uri: vscode.Uri) => FileView | undefined,
    private readonly enabled: (uri: vscode.Uri) => boolean,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const view = this.viewFor(doc.uri);
    if (!view || !this.enabled(doc.uri)) return [];
    const seen = new Set<string>();
    const lenses: vscode.CodeLens[] = [];
    for (const l of shownDecisions(view.lenses)) {
      if (l.line >= doc.lineCount) continue;
      const title = lensTitle(l);
      const key = `${l.line}:${title}`;
      if (seen.has(key)) continue; // several instantiations of a generic function give one lens
      seen.add(key);
      const range = new vscode.Range(l.line, l.character, l.line, l.character);
      lenses.push(new vscode.CodeLens(range, { title, tooltip: decisionStory(l), command: '' }));
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
