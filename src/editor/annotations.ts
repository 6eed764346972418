/**
 * PGO's decisions as end-of-line text after the calls (the default `decisions.style`): text after
 * a line never moves code, unlike a CodeLens, which inserts a line above the call.
 */
import * as vscode from 'vscode';
import type { FileView } from '../worker/protocol';
import { annotationTexts } from './decision-text';

export class DecisionAnnotations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 3em' },
  });

  /** Sets the annotations of an editor (none when `on` is false) and returns them by 0-based line (for tests). */
  apply(editor: vscode.TextEditor, view: FileView | undefined, on: boolean): Map<number, string> {
    const doc = editor.document;
    const texts = view && on ? annotationTexts(view.lenses, (ln) => (ln < doc.lineCount ? doc.lineAt(ln).text : undefined)) : new Map<number, string>();
    const options: vscode.DecorationOptions[] = [];
    for (const [line, text] of texts) {
      const end = doc.lineAt(line).range.end;
      options.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } } });
    }
    // Always set, even to [], so stale decisions never linger.
    editor.setDecorations(this.type, options);
    return texts;
  }

  dispose(): void {
    this.type.dispose();
  }
}
