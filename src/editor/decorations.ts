/** Heat decorations: one decoration type per heat level (gutter icon, background, ruler). */
import * as vscode from 'vscode';
import type { FileView } from '../worker/protocol';
import type { Settings } from './config';
import { HEAT_LEVELS, heatLevel, themeColorId } from './tables';

export class HeatDecorations implements vscode.Disposable {
  private readonly types: vscode.TextEditorDecorationType[];

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
  }

  /** Lines per level (1-based level ids → 0-based line numbers), also exposed to tests. */
  static linesByLevel(view: FileView | undefined, s: Settings): Map<number, number[]> {
    const out = new Map<number, number[]>();
    if (!view || !s.enable || !s.heatEnable) return out;
    for (const h of view.heat) {
      const level = heatLevel(s.heatMetric === 'cum' ? h.cumPercent : h.flatPercent, s.heatMinPercent);
      if (!level) continue;
      const list = out.get(level.id) ?? [];
      list.push(h.line);
      out.set(level.id, list);
    }
    return out;
  }

  apply(editor: vscode.TextEditor, view: FileView | undefined, s: Settings): Map<number, number[]> {
    const byLevel = HeatDecorations.linesByLevel(view, s);
    const last = editor.document.lineCount - 1;
    HEAT_LEVELS.forEach((l, i) => {
      // Always set, even to [], so stale heat never lingers.
      const ranges = (byLevel.get(l.id) ?? []).filter((ln) => ln <= last).map((ln) => new vscode.Range(ln, 0, ln, 0));
      editor.setDecorations(this.types[i]!, ranges);
    });
    return byLevel;
  }

  dispose(): void {
    for (const t of this.types) t.dispose();
  }
}
