/**
 * CodeLens only where PGO decides something: calls inlined only thanks to the hot budget, and
 * devirtualized calls (the worker gives no lens to hot sites where PGO changes nothing; they
 * keep their heat). Predictions the source cannot decide are worded "may" with a question mark.
 */
import * as vscode from 'vscode';
import type { FileView } from '../worker/protocol';
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
    for (const l of view.lenses) {
      if (l.line >= doc.lineCount) continue;
      const title = lensTitle(l);
      const key = `${l.line}:${title}`;
      if (seen.has(key)) continue; // several instantiations of a generic function give one lens
      seen.add(key);
      const range = new vscode.Range(l.line, l.character, l.line, l.character);
      lenses.push(
        new vscode.CodeLens(range, {
          title,
          tooltip:
            (l.kind === 'devirt'
              ? `The compiler adds a type/function check and a direct call to ${l.callee} here (weight ${l.weight}).` +
                (l.certain === false ? `\n\nPossible, not certain: ${l.why ?? 'a rule cannot be decided from the source'}.` : '')
              : `Hot call site (${l.caller} → ${l.callee}, weight ${l.weight}): the compiler inlines callees with cost up to 2000 here instead of 80.` +
                (l.why ? `\n\n${l.pgo === 'possible' ? 'Possible, not certain: ' : ''}${l.why}.` : '')) +
            (l.confirmation
              ? `\n\nCompiler (last confirming build): ${l.confirmation.text}`
              : '\n\nPrediction from the profile; run "Go PGO: Confirm Decisions with the Compiler" to check it against go build.'),
          command: '',
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
