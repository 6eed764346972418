/** Wiring and lifetimes only: every behaviour lives in editor/ (edge) or the worker (core). */
import * as vscode from 'vscode';
import { Controller, type TestState } from './editor/controller';
import { RewriteCodeActions } from './editor/diagnostics';
import { type RefreshArgs, RefreshFlow } from './editor/refresh';
import { type ConfirmArgs, ConfirmFlow } from './editor/confirm';
import { PayoffFlow } from './editor/evaluate';
import { WorkerClient } from './worker/client';
import { ExplorerManager, type ExplorerTestApi } from './editor/explorer/manager';
import { ReportDocuments } from './editor/reports';
import { RenameGuard } from './editor/rename-check';
import type { ViewEntry } from './editor/view';

export interface PgoLensApi {
  /** For tests: the state behind what the editor shows. */
  getState(): TestState;
  /** Resolves when profiles are loaded. */
  ready(): Promise<void>;
  /** For the benchmark: how long activate() took on the host thread. */
  metrics(): { activationMs: number };
  /** For tests: open the profile explorer and read what its webview rendered. */
  explorer: ExplorerTestApi;
  /** For tests: the Go PGO view's entries of one section (e.g. `hottestFunctions`) of the first binary. */
  viewEntries(
    section: 'hottestFunctions' | 'hotCallSites' | 'devirtualizations' | 'unmatched',
  ): Promise<Array<{ label: string; description: string; tooltip: string }>>;
}

export function activate(context: vscode.ExtensionContext): PgoLensApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('Go PGO Lens', { log: true });
  let warned = false;
  const client = new WorkerClient({
    script: context.asAbsolutePath('dist/worker.js'),
    onRestart: (code, n) => {
      log.error(`the worker thread exited (code ${code}); restarted (${n}) and reloading its state`);
      if (!warned) {
        warned = true;
        void vscode.window
          .showWarningMessage('Go PGO Lens: its background worker crashed and was restarted. See the log for details.', 'Show Log')
          .then((a) => a && log.show());
      }
    },
    onStopped: (reason) => {
      log.error(reason);
      void vscode.window.showErrorMessage(`Go PGO Lens stopped: ${reason}`, 'Show Log').then((a) => a && log.show());
    },
  });
  const controller = new Controller(context, client, log);
  const reports = new ReportDocuments();
  const refresh = new RefreshFlow(
    client,
    log,
    (why, write) => controller.afterOwnWrite(why, write),
    (dir) => controller.undoRewrite(dir),
    reports,
  );
  const confirm = new ConfirmFlow(
    client,
    log,
    () => controller.binaries(),
    () => controller.activeBinaryId(),
    () => controller.refreshAll(),
  );
  const renames = new RenameGuard(client, log, reports);
  controller.renameGuard = (binary, symbols, anyway) => renames.check(binary, symbols, anyway);
  controller.onSaved = () => confirm.background('save');
  controller.onLoaded = () => confirm.background('load', 0);
  const payoff = new PayoffFlow(
    client,
    log,
    () => controller.binaries(),
    () => controller.activeBinaryId(),
    () => controller.reload('command'),
  );
  const explorer = new ExplorerManager(
    context,
    client,
    log,
    () => controller.binaries(),
    () => controller.activeBinaryId(),
  );
  const go: vscode.DocumentSelector = { language: 'go', scheme: 'file' };
  const treeView = vscode.window.createTreeView('pgoLens.view', { treeDataProvider: controller.tree, showCollapseAll: true });
  controller.attachView(treeView as vscode.TreeView<unknown>);
  context.subscriptions.push(
    log,
    reports,
    controller,
    { dispose: () => void client.dispose() },
    vscode.languages.registerCodeLensProvider(go, controller.lenses),
    vscode.languages.registerHoverProvider(go, controller.hovers),
    treeView,
    vscode.commands.registerCommand('pgoLens.toggleOverlay', () => controller.toggleOverlay()),
    vscode.commands.registerCommand('pgoLens.reload', () => controller.reload('command')),
    vscode.commands.registerCommand('pgoLens.selectBinary', () => controller.selectBinary()),
    vscode.commands.registerCommand('pgoLens.showReport', () => controller.showReport()),
    vscode.commands.registerCommand('pgoLens.showLog', () => log.show()),
    vscode.commands.registerCommand('pgoLens.rewriteProfile', (binary?: string, symbols?: string[], opts?: { force?: boolean }) =>
      controller.rewriteProfile(typeof binary === 'string' ? binary : undefined, Array.isArray(symbols) ? symbols : undefined, { force: opts?.force === true }),
    ),
    vscode.commands.registerCommand('pgoLens.undoRewrite', (binary?: string) => controller.undoRewrite(binary)),
    vscode.languages.registerCodeActionsProvider(go, new RewriteCodeActions(), { providedCodeActionKinds: RewriteCodeActions.kinds }),
    vscode.commands.registerCommand('pgoLens.openLocation', (file: string, line: number) => controller.openLocation(file, line)),
    refresh,
    vscode.commands.registerCommand('pgoLens.refreshProfile', (args?: RefreshArgs) =>
      refresh.run(args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {}),
    ),
    vscode.commands.registerCommand('pgoLens.showChanges', () => refresh.showChanges()),
    vscode.commands.registerCommand('pgoLens.view.filter', () => controller.filterView()),
    vscode.commands.registerCommand('pgoLens.view.sort', () => controller.sortView()),
    vscode.commands.registerCommand('pgoLens.view.more', (n?: { binary?: string; total?: number }) => controller.viewMore(n, false)),
    vscode.commands.registerCommand('pgoLens.view.showAll', (n?: { binary?: string; total?: number }) => controller.viewMore(n, true)),
    vscode.commands.registerCommand('pgoLens.view.open', (n?: ViewEntry) => controller.openEntry(n)),
    vscode.commands.registerCommand('pgoLens.view.copySymbol', (n?: ViewEntry) => controller.copySymbol(n)),
    vscode.commands.registerCommand('pgoLens.view.fix', (n?: ViewEntry) => controller.fixEntry(n)),
    confirm,
    vscode.commands.registerCommand('pgoLens.confirmDecisions', (args?: ConfirmArgs) =>
      confirm.run(args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {}),
    ),
    payoff,
    vscode.commands.registerCommand('pgoLens.trimProfile', () => payoff.trim()),
    vscode.commands.registerCommand('pgoLens.evaluate', () => payoff.evaluate()),
    explorer,
    vscode.commands.registerCommand('pgoLens.openExplorer', (profile?: vscode.Uri | string) =>
      explorer.open(typeof profile === 'string' || profile instanceof vscode.Uri ? profile : undefined),
    ),
    vscode.commands.registerCommand('pgoLens.compareProfiles', (base?: string, next?: string) =>
      explorer.compare(typeof base === 'string' ? base : undefined, typeof next === 'string' ? next : undefined),
    ),
  );
  controller.start();
  const activationMs = performance.now() - t0;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    getState: () => controller.testState(),
    ready: () => controller.ready(),
    metrics: () => ({ activationMs }),
    viewEntries: (section) => controller.tree.sectionEntries(section),
    explorer: explorer.testApi(),
  };
}

export function deactivate(): void {}
