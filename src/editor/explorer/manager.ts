/**
 * The profile explorer's edge: the commands that open it (a profile, or a diff of two), the
 * custom editor for `*.pprof` and `*.pgo` files, and the editor cursor → frame highlight. All
 * numbers come from the worker (src/explore); this file only picks files and routes events.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Normalize } from '../../explore/diff';
import type { BinarySummary } from '../../worker/protocol';
import type { WorkerClient } from '../../worker/client';
import { ExplorerPanel, type ExplorerSource, sourceTitle } from './panel';
import type { RenderedState } from './messages';

import { CUSTOM_EDITORS } from '../tables';

export const EXPLORER_VIEW_TYPE = 'pgoLens.explorer';

export interface ExplorerTestApi {
  open(profile: string): Promise<void>;
  diff(base: string, next: string, normalize?: Normalize): Promise<void>;
  /** What the active explorer's webview rendered, after an optional action. */
  state(action?: { action: 'openRow' | 'selectRow' | 'setFilter' | 'setView'; arg: string }): Promise<RenderedState>;
}

export class ExplorerManager implements vscode.Disposable, vscode.CustomReadonlyEditorProvider {
  private readonly panels = new Set<ExplorerPanel>();
  private active: ExplorerPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly binaries: () => BinarySummary[],
    private readonly activeBinary: () => string | undefined,
  ) {
    this.disposables.push(
      ...CUSTOM_EDITORS.map((e) =>
        vscode.window.registerCustomEditorProvider(e.viewType, this, {
          webviewOptions: { retainContextWhenHidden: true },
          supportsMultipleEditorsPerDocument: true,
        }),
      ),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onCursor(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.onCursor(e)),
    );
  }

  /** Opens the explorer on `profile`, else the active binary's profile, else asks. */
  async open(profile?: string | vscode.Uri): Promise<ExplorerPanel | undefined> {
    const file = profile instanceof vscode.Uri ? profile.fsPath : (profile ?? (await this.pickProfile()));
    if (!file) return undefined;
    return this.show({ kind: 'profile', path: file });
  }

  /** Opens a diff: the active binary's profile against its `.bak` when there is one, or two chosen files. */
  async compare(base?: string, next?: string, normalize?: Normalize): Promise<ExplorerPanel | undefined> {
    if (!base || !next) {
      const picked = await this.pickPair();
      if (!picked) return undefined;
      [base, next] = picked;
    }
    const how = normalize ?? (await this.pickNormalize());
    if (!how) return undefined;
    return this.show({ kind: 'diff', base, next, normalize: how });
  }

  private show(source: ExplorerSource): ExplorerPanel {
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(EXPLORER_VIEW_TYPE, sourceTitle(source), vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [dist],
    });
    return this.adopt(panel, source);
  }

  private adopt(panel: vscode.WebviewPanel, source: ExplorerSource): ExplorerPanel {
    const p = new ExplorerPanel(panel, this.context.extensionUri, this.client, source, this.activeBinary, this.log);
    this.panels.add(p);
    this.active = p;
    panel.onDidChangeViewState((e) => e.webviewPanel.active && (this.active = p));
    p.onDispose = () => {
      this.panels.delete(p);
      if (this.active === p) this.active = [...this.panels].pop();
    };
    return p;
  }

  // ---- custom editor for *.pprof and *.pgo

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(doc: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')] };
    this.adopt(panel, { kind: 'profile', path: doc.uri.fsPath });
  }

  // ---- the cursor's function highlights its frames

  private onCursor(editor: vscode.TextEditor): void {
    if (this.panels.size === 0 || editor.document.languageId !== 'go' || editor.document.uri.scheme !== 'file') return;
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => {
      const line = editor.selection.active.line;
      this.client.call('explorerSymbolAt', { file: editor.document.uri.fsPath, line }, 'explorerSymbolAt').then(
        (symbol) => {
          for (const p of this.panels) p.highlight(symbol);
        },
        () => undefined,
      );
    }, 150);
  }

  // ---- pickers

  private async pickProfile(): Promise<string | undefined> {
    const active = this.binaries().find((b) => b.id === this.activeBinary() && b.summary);
    if (active) return active.profile;
    const items: Array<vscode.QuickPickItem & { file?: string }> = this.binaries()
      .filter((b) => b.summary)
      .map((b) => ({ label: b.mainPackage, description: b.profile, file: b.profile }));
    items.push({ label: '$(file) Choose a profile file…' });
    const pick = items.length > 1 ? await vscode.window.showQuickPick(items, { title: 'Open Profile Explorer', placeHolder: 'Profile to explore' }) : items[0];
    if (!pick) return undefined;
    if (pick.file) return pick.file;
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Explore',
      filters: { Profiles: ['pgo', 'pprof', 'pb', 'gz', 'prof'], 'All files': ['*'] },
    });
    return uris?.[0]?.fsPath;
  }

  private async pickPair(): Promise<[string, string] | undefined> {
    const items: Array<vscode.QuickPickItem & { pair?: [string, string] }> = [];
    for (const b of this.binaries())
      if (fs.existsSync(`${b.profile}.bak`))
        items.push({ label: `${b.mainPackage}: profile vs its backup`, description: `${b.profile}.bak → ${b.profile}`, pair: [`${b.profile}.bak`, b.profile] });
    items.push({ label: '$(files) Choose two profile files…' });
    const pick = items.length > 1 ? await vscode.window.showQuickPick(items, { title: 'Compare Profiles', placeHolder: 'What to compare' }) : items[0];
    if (!pick) return undefined;
    if (pick.pair) return pick.pair;
    const filters = { Profiles: ['pgo', 'pprof', 'pb', 'gz', 'prof', 'bak'], 'All files': ['*'] };
    const base = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Base profile', title: 'Compare Profiles: the base (before)', filters });
    if (!base?.[0]) return undefined;
    const next = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'New profile',
      title: 'Compare Profiles: the new profile (after)',
      filters,
    });
    if (!next?.[0]) return undefined;
    return [base[0].fsPath, next[0].fsPath];
  }

  private async pickNormalize(): Promise<Normalize | undefined> {
    const items: Array<vscode.QuickPickItem & { how: Normalize }> = [
      { label: 'By total', description: 'each function as a share of its profile (percentage points)', how: 'total' },
      { label: 'By duration', description: 'each function per second of profiling', how: 'duration' },
    ];
    return (await vscode.window.showQuickPick(items, { title: 'Compare Profiles', placeHolder: 'Normalise the two profiles' }))?.how;
  }

  /** The integration tests' handle (returned through the extension API). */
  testApi(): ExplorerTestApi {
    return {
      open: async (profile) => void (await this.open(profile)),
      diff: async (base, next, normalize = 'total') => void (await this.compare(base, next, normalize)),
      state: (action) => {
        if (!this.active) return Promise.reject(new Error('no explorer is open'));
        return this.active.testState(action);
      },
    };
  }

  dispose(): void {
    clearTimeout(this.cursorTimer);
    for (const p of [...this.panels]) p.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
