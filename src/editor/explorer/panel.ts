/**
 * One explorer webview: opens its session in the worker (a profile, or a diff of two), answers
 * the webview's queries by forwarding them with the session (only the methods of
 * `WEBVIEW_METHODS`), opens the source of a function through the worker's declaration matching,
 * and passes the editor cursor's function in. Re-opens its session after a worker restart.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExplorerInfo } from '../../explore/service';
import type { Normalize } from '../../explore/diff';
import type { WorkerClient } from '../../worker/client';
import { explorerHtml, makeNonce } from './html';
import { type FromWebview, type RenderedState, type ToWebview, WEBVIEW_METHODS, type WebviewMethod } from './messages';
import { failureText } from '../failures';

export type ExplorerSource = { kind: 'profile'; path: string } | { kind: 'diff'; base: string; next: string; normalize: Normalize };

export function sourceTitle(s: ExplorerSource): string {
  return s.kind === 'profile' ? `Profile: ${path.basename(s.path)}` : `Diff: ${path.basename(s.next)} − ${path.basename(s.base)}`;
}

export class ExplorerPanel implements vscode.Disposable {
  private info: Promise<ExplorerInfo>;
  private ready = false;
  private markReady: () => void = () => undefined;
  /** Resolves when the webview's script has started (it says 'ready'). */
  private readonly readyPromise = new Promise<void>((r) => (this.markReady = r));
  private readonly disposables: vscode.Disposable[] = [];
  private readonly tests = new Map<number, (s: RenderedState) => void>();
  private testSeq = 0;
  onDispose: () => void = () => undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly client: WorkerClient,
    readonly source: ExplorerSource,
    private readonly binary: () => string | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = explorerHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'explorer-webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'explorer.css')).toString(),
      nonce: makeNonce((n) => randomBytes(n)),
    });
    this.info = this.openSession();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: FromWebview) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private openSession(): Promise<ExplorerInfo> {
    const s = this.source;
    const binary = this.binary();
    const opened =
      s.kind === 'profile'
        ? this.client.call('explorerOpen', { path: s.path, ...(binary ? { binary } : {}) })
        : this.client.call('explorerDiff', { base: s.base, next: s.next, normalize: s.normalize, ...(binary ? { binary } : {}) });
    opened.then(
      (info) => {
        this.log.info(`explorer: opened ${info.paths.join(' vs ')} in ${info.millis.toFixed(0)} ms (${info.functions} functions)`);
        if (this.ready) this.post({ type: 'init', info });
      },
      (e: Error) => {
        this.log.error(`explorer: could not open ${sourceTitle(s)}: ${e.message}`);
        void vscode.window
          .showErrorMessage(`Go PGO Lens: could not open the profile explorer: ${failureText(e)}`, 'Show Log')
          .then((a) => a && this.log.show());
      },
    );
    return opened;
  }

  private post(m: ToWebview): void {
    void this.panel.webview.postMessage(m);
  }

  private async onMessage(m: FromWebview): Promise<void> {
    if (m.type === 'ready') {
      this.ready = true;
      this.markReady();
      this.info.then(
        (info) => this.post({ type: 'init', info }),
        () => undefined,
      );
    } else if (m.type === 'request') {
      try {
        this.post({ type: 'response', id: m.id, ok: true, value: await this.forward(m.method, m.args) });
      } catch (e) {
        this.post({ type: 'response', id: m.id, ok: false, error: (e as Error).message });
      }
    } else if (m.type === 'open') void this.openSource(m.name);
    else if (m.type === 'testState') {
      this.tests.get(m.id)?.(m.state);
      this.tests.delete(m.id);
    }
  }

  /** A webview query, with the session added; after a worker restart the session is opened again once. */
  private async forward(method: WebviewMethod, args: unknown, retry = true): Promise<unknown> {
    if (!WEBVIEW_METHODS.includes(method)) throw new Error(`unknown explorer query ${String(method)}`);
    const { session } = await this.info;
    const a = { ...(args as object), session };
    try {
      switch (method) {
        case 'flame':
          return await this.client.call('explorerFlame', a as never);
        case 'top':
          return await this.client.call('explorerTop', a as never);
        case 'diffTable':
          return await this.client.call('explorerDiffTable', a as never);
        case 'neighbors':
          return await this.client.call('explorerNeighbors', a as never);
        case 'search':
          return await this.client.call('explorerSearch', a as never);
        case 'changes':
          return await this.client.call('explorerChanges', { session });
      }
    } catch (e) {
      const gone = /explorer session .* is closed|worker thread exited/.test((e as Error).message);
      if (!retry || !gone) throw e;
      this.info = this.openSession();
      return this.forward(method, args, false);
    }
  }

  /** Opens the declaration of a profile function (workspace, GOROOT or module cache). */
  async openSource(name: string): Promise<boolean> {
    try {
      const { session } = await this.info;
      const loc = await this.client.call('explorerLocate', { session, name });
      if (!loc) {
        void vscode.window.showInformationMessage(`Go PGO Lens: no source found for ${name} (not in the workspace, GOROOT or the module cache).`);
        return false;
      }
      const pos = new vscode.Position(loc.line, 0);
      await vscode.window.showTextDocument(vscode.Uri.file(loc.file), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(`Go PGO Lens: could not open ${name}: ${failureText(e)}`);
      return false;
    }
  }

  highlight(symbol: string | null): void {
    if (this.ready) this.post({ type: 'highlight', symbol });
  }

  /** For tests: what the webview rendered, after an optional action (rejects after `timeoutMs`). */
  async testState(action?: { action: 'openRow' | 'selectRow' | 'setFilter' | 'setView'; arg: string }, timeoutMs = 15_000): Promise<RenderedState> {
    await this.readyPromise;
    const id = ++this.testSeq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.tests.delete(id);
        reject(new Error(`the explorer webview did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.tests.set(id, (s) => {
        clearTimeout(timer);
        resolve(s);
      });
      this.post(action ? { type: 'testAct', id, ...action } : { type: 'testQuery', id });
    });
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.panel.dispose();
    this.info
      .then(
        ({ session }) => this.client.call('explorerClose', { session }),
        () => undefined,
      )
      .catch(() => undefined);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDispose();
  }
}
