/**
 * Heat decorations: one decoration type per heat level (gutter icon, background, ruler), and each
 * function's pprof flat/cum as end-of-line text on its `func` line (text after the line never
 * moves code, unlike a CodeLens).
 */
import * as vscode from 'vscode';
import type { FileView, FunctionMark } from '../worker/protocol';
import type { Settings } from './config';
import { functionMarkText } from './format';
import { HEAT_LEVELS, heatLevel, themeColorId } from './tables';

export class HeatDecorations implements vscode.Disposable {
  private readonly types: vscode.TextEditorDecorationType[];
  private readonly functionType: vscode.TextEditorDecorationType;

  constructor(extensionUri: vscode.Uri) {
    this.types = HEAT_LEVELS.map((l) =>
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor(themeColorId(l, 'background')),
        overviewRulerColor: new vscode.ThemeColor(themeColorId(l, 'ruler')),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
        light: { gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', `heat-${l.id}-light.svg`), gutterIconSize: 'contain' },
        dark: { gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', `heat-${l.id}-dark.svg`), gutterIconSize: 'contain' },
      }),
    );
    this.functionType = vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    });
  }

  /** Lines per level (1-based level ids → 0-based line numbers), also exposed to tests. */
  static linesByLevel(view: FileView | undefined, s: Settings): Map<number, number[]> {
    const out = new Map<number, number[]>();
    if (!view || !s.enable || !s.heatEnable) return out;
    for (const h of view.heat) {
      const level = s.heatMetric === 'cum' ? heatLevel(h.cumLevel, h.cumPercent, s.heatMinPercent) : heatLevel(h.flatLevel, h.flatPercent, s.heatMinPercent);
      if (!level) continue;
      const list = out.get(level.id) ?? [];
      list.push(h.line);
      out.set(level.id, list);
    }
    return out;
  }

  /** The functions whose flat/cum is shown at the declaration (those above the heat floor, by cum). */
  static functionMarks(view: FileView | undefined, s: Settings): FunctionMark[] {
    if (!view || !s.enable || !s.heatEnable) return [];
    return view.functions.filter((f) => f.cumPercent > 0 && f.cumPercent >= s.heatMinPercent);
  }

  apply(editor: vscode.TextEditor, view: FileView | undefined, s: Settings): Map<number, number[]> {
    const byLevel = HeatDecorations.linesByLevel(view, s);
    const last = editor.document.lineCount - 1;
    HEAT_LEVELS.forEach((l, i) => {
      // Always set, even to [], so stale heat never lingers.
      const ranges = (byLevel.get(l.id) ?? []).filter((ln) => ln <= last).map((ln) => new vscode.Range(ln, 0, ln, 0));
      editor.setDecorations(this.types[i]!, ranges);
    });
    const marks: vscode.DecorationOptions[] = [];
    for (const f of HeatDecorations.functionMarks(view, s)) {
      if (f.line > last) continue;
      const end = editor.document.lineAt(f.line).range.end;
      marks.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: functionMarkText(f) } } });
    }
    editor.setDecorations(this.functionType, marks);
    return byLevel;
  }

  dispose(): void {
    for (const t of this.types) t.dispose();
    this.functionType.dispose();
  }
}
