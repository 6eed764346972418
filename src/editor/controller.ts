/**
 * The editor edge's state and event handling: it asks the worker for plain data and turns it
 * into decorations, lenses, hovers, the status bar and the view. It computes nothing the core
 * can; every profile and source operation runs in the worker thread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SupersededError, type WorkerClient, WorkerCrashedError } from '../worker/client';
import type { BinaryDetails, BinarySummary, FileView, RenameCheck, WorkspaceSummary } from '../worker/protocol';
import { affectsUs, pgoOverride, readSettings, type Settings } from './config';
import { DecisionAnnotations } from './annotations';
import { HeatDecorations } from './decorations';
import { LineMap, mapMeasured, type MovedKey, movedKeys } from './line-map';
import { buildDiagnostics } from './diagnostics';
import { EditQueue, type QueuedDoc } from './edit-queue';
import { failureText, showFailure } from './failures';
import { type FileStamp, OwnWrites } from './own-writes';
import { type OverlayState, stateMessage, stateStatusText } from './state';
import { binaryLabel, matchedText, pct, statusText, weightText } from './format';
import { PgoHoverProvider } from './hover';
import { PgoCodeLensProvider } from './lenses';
import { PgoTreeProvider, type ViewEntry, type ViewQuery, type ViewSort } from './view';

export interface TestState {
  summary: WorkspaceSummary | undefined;
  activeBinary: string | undefined;
  statusText: string;
  /** Per open file: decorated lines by heat level id. */
  decorations: Record<string, Record<string, number[]>>;
  /** Per open file: the end-of-line decision annotations by 0-based line. */
  annotations: Record<string, Record<string, string>>;
  views: Record<string, FileView>;
  overlayEnabled: boolean;
  /** loading / stale / error / disabled / ready, as the status bar and the view show it. */
  state: OverlayState['kind'];
  /** Binaries whose profile has a backup that *Undo Profile Rewrite* restores. */
  undoable: string[];
  /** Reloads so far (a rewrite must add exactly one). */
  reloads: number;
  /** File watcher events for profiles our own writes left, not reloaded for (a test waits for one instead of a fixed time). */
  ownWriteEvents: number;
  /** Status bar texts shown so far (the last 1000), to check that loading never says "no profile". */
  statusLog: string[];
  /** Per file: profile functions whose measured lines the edits moved away from the compiler's offsets. */
  drift: Record<string, string[]>;
}

/** What *Rewrite Profile* did: `uses` are the old names the source still uses when it wrote nothing for that reason. */
export interface RewriteOutcome {
  rewritten: boolean;
  uses: RenameCheck[];
}

export class Controller implements vscode.Disposable {
  private summary: WorkspaceSummary | undefined;
  private readonly views = new Map<string, FileView>();
  private readonly decorated = new Map<string, Map<number, number[]>>();
  private readonly annotated = new Map<string, Map<number, string>>();
  private readonly details = new Map<string, Promise<BinaryDetails | undefined>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Edits on their way to the worker (debounced; flushed before a reload or a profile write). */
  private readonly edits = new EditQueue((file, text) => this.sendText(file, text));
  private readonly disposables: vscode.Disposable[] = [];
  private settings: Settings = readSettings();
  private overlay = true;
  private chosenBinary: string | undefined;
  private readonly decorations: HeatDecorations;
  private readonly annotations = new DecisionAnnotations();
  readonly lenses: PgoCodeLensProvider;
  readonly hovers: PgoHoverProvider;
  readonly tree: PgoTreeProvider;
  private readonly status: vscode.StatusBarItem;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('pgoLens');
  private loading: Promise<void> | undefined;
  private state: OverlayState = { kind: 'loading', why: 'activation', startedAt: Date.now() };
  private readonly ownWrites = new OwnWrites();
  /** Our write in flight: watcher events wait for it, then compare the file with what it left. */
  private writing: Promise<unknown> = Promise.resolve();
  private readonly undoable = new Set<string>();
  private reloadCount = 0;
  private ownWriteEvents = 0;
  private view: vscode.TreeView<unknown> | undefined;
  private readonly statusLog: string[] = [];
  /** Per file: the profile's view when it was taken and the document changes since (heat stays on the measured lines). */
  private readonly baselines = new Map<string, { view: FileView; map: LineMap }>();
  /** Per file: profile functions whose measured lines the edits moved away from the compiler's offsets. */
  private readonly drift = new Map<string, Set<string>>();
  /** Per file: the measured lines the compiler's offset view now puts elsewhere. */
  private readonly moved = new Map<string, MovedKey[]>();

  constructor(
    context: vscode.ExtensionContext,
    private readonly client: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.decorations = new HeatDecorations(context.extensionUri);
    this.lenses = new PgoCodeLensProvider(
      (uri) => this.views.get(uri.fsPath), // the compiler's decisions on the text now
      () => this.overlay && this.settings.enable && this.settings.decisionsStyle === 'codeLens',
    );
    this.hovers = new PgoHoverProvider(
      (uri) => this.shownView(uri.fsPath),
      () => this.overlay && this.settings.enable,
      (uri, line) => this.moved.get(uri.fsPath)?.find((k) => k.measured === line),
      (uri) => this.views.get(uri.fsPath)?.lenses ?? [], // decisions on the text now
    );
    this.tree = new PgoTreeProvider(
      () => this.summary?.binaries ?? [],
      (b, q) => this.binaryDetails(b, q),
    );
    this.status = vscode.window.createStatusBarItem('pgoLens.status', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'Go PGO Lens';
    this.status.command = 'pgoLens.selectBinary';
    this.disposables.push(this.decorations, this.annotations, this.lenses, this.status, this.tree, this.diagnostics);
  }

  start(): void {
    const d = this.disposables;
    d.push(vscode.window.onDidChangeVisibleTextEditors(() => this.refreshVisible()));
    d.push(vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)));
    d.push(vscode.workspace.onDidCloseTextDocument((doc) => this.onClose(doc)));
    d.push(
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (!this.isGo(doc)) return;
        this.scheduleUpdate(doc, 0);
        if (this.settings.confirm === 'auto') this.onSaved?.(doc.uri.fsPath);
      }),
    );
    d.push(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload('workspace folders changed')));
    d.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload('workspace trusted')));
    d.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsUs(e)) return;
        const before = this.settings;
        this.settings = readSettings();
        if (
          before.profile !== this.settings.profile ||
          before.hotCallsiteThreshold !== this.settings.hotCallsiteThreshold ||
          e.affectsConfiguration('go.buildFlags')
        ) {
          void this.reload('settings changed');
        } else this.repaint();
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.pgo');
    const onPgo = (uri: vscode.Uri): void => void this.onProfileChanged(uri.fsPath);
    watcher.onDidChange(onPgo, null, d);
    watcher.onDidCreate(onPgo, null, d);
    watcher.onDidDelete(onPgo, null, d);
    d.push(watcher);
    void vscode.commands.executeCommand('setContext', 'pgoLens.loading', true);
    this.status.show();
    this.updateStatus();
    void this.reload('activation');
  }

  // ---- loading

  /** The view whose message shows the state (set once by extension.ts). */
  attachView(view: vscode.TreeView<unknown>): void {
    this.view = view;
    this.updateStatus();
  }

  private setState(s: OverlayState): void {
    if ((this.state.kind === 'loading') !== (s.kind === 'loading')) void vscode.commands.executeCommand('setContext', 'pgoLens.loading', s.kind === 'loading');
    this.state = s;
    this.updateStatus();
  }

  /** A profile file changed on disk: reload once, unless it is the file our own write just left. */
  private async onProfileChanged(file: string): Promise<void> {
    await this.writing.catch(() => undefined);
    if (this.ownWrites.isOwn(file, await stamp(file))) {
      this.ownWriteEvents++;
      this.log.debug(`${file}: our own write, already reloaded`);
      return;
    }
    if (this.state.kind !== 'loading') this.setState({ kind: 'stale', why: `${path.basename(file)} changed on disk` });
    this.debounce('reload', 500, () => void this.reload(`${path.basename(file)} changed on disk`));
  }

  /**
   * Runs one of our writes of `profile` (rewrite, refresh, undo), records what it left on disk so
   * the watcher does not reload for it, and reloads once.
   */
  async afterOwnWrite<T extends { profile: string }>(why: string, write: () => Promise<T>): Promise<T> {
    await this.flushEdits();
    const w = write();
    this.writing = w;
    const r = await w;
    this.ownWrites.record(r.profile, await stamp(r.profile));
    clearTimeout(this.timers.get('reload')); // a watcher event queued for this very write
    this.timers.delete('reload');
    await this.reload(why);
    return r;
  }

  reload(why: string): Promise<void> {
    const run = async (): Promise<void> => {
      await this.flushEdits();
      this.reloadCount++;
      this.setState({ kind: 'loading', why, startedAt: Date.now() });
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
      const override = pgoOverride(vscode.workspace.workspaceFolders?.[0]);
      this.log.info(`loading profiles (${why}) for ${folders.length} folder(s)${override ? `, -pgo=${override}` : ''}`);
      this.views.clear();
      this.baselines.clear();
      this.drift.clear();
      this.moved.clear();
      this.details.clear();
      if (override === 'off') {
        this.summary = { folders, binaries: [], packages: 0, indexMillis: 0, pathMethod: 'off' };
      } else {
        const t0 = Date.now();
        // Long indexing shows in the status bar's progress area and, after a second, with its elapsed time.
        const ticker = setInterval(() => this.renderStatus(), 1000);
        try {
          this.summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Go PGO: loading profiles' }, () =>
            this.client.establish(
              'openWorkspace',
              {
                folders,
                thresholdPercent: this.settings.hotCallsiteThreshold,
                trusted: vscode.workspace.isTrusted,
                // their packages and the profiled main packages first: heat before the whole workspace is listed
                openFiles: vscode.window.visibleTextEditors.filter((e) => this.isGo(e.document)).map((e) => e.document.uri.fsPath),
                ...(override ? { profileOverride: override } : {}),
              },
              'workspace',
            ),
          );
        } finally {
          clearInterval(ticker);
        }
        for (const b of this.summary.binaries) {
          if (b.error) {
            this.log.error(`${b.profile}: ${b.error.message}${b.error.advice ? ` — ${b.error.advice}` : ''}`);
            void vscode.window
              .showErrorMessage(`Go PGO Lens: ${path.basename(b.profile)} cannot be used: ${failureText(b.error)}`, 'Show Log')
              .then((a) => a && this.log.show());
          } else if (b.summary) {
            const s = b.summary;
            this.log.info(
              `${b.mainPackage}: ${b.profile} (${s.format}, ${s.fileBytes} bytes, ${s.sampleCount} sample records, total ${s.total} ${s.sampleType ?? 'edge weight'}, ${s.edgeCount} edges, total weight ${s.totalWeight}) ` +
                `loaded in ${s.loadMillis.toFixed(0)} ms; hot-callsite-thres-from-CDF=${s.thresholdPercent}, ${s.hotCount} hot edges; ` +
                (b.matching
                  ? 'heat shown, matching with the source next'
                  : `${b.matchedPercent.toFixed(1)}% matched, ${b.inlineCandidates} inline candidates, ${b.devirtualizations} devirtualizations`) +
                (s.emptyReason ? `; the compiler ignores this profile: ${s.emptyReason}` : ''),
            );
          }
        }
        this.log.info(
          `indexed ${this.summary.packages} packages (${this.summary.pathMethod}) in ${this.summary.indexMillis.toFixed(0)} ms; total ${Date.now() - t0} ms`,
        );
      }
      // Edits that reached the editor while the workspace loaded: the load adopted the text the worker had before them.
      await this.flushEdits();
      if (this.chosenBinary && !this.summary.binaries.some((b) => b.id === this.chosenBinary)) this.chosenBinary = undefined;
      void vscode.commands.executeCommand('setContext', 'pgoLens.hasProfile', this.summary.binaries.length > 0);
      await this.updateUndoable();
      void vscode.commands.executeCommand('setContext', 'pgoLens.loading', false);
      this.state = { kind: 'ready' };
      this.tree.refresh();
      this.updateStatus();
      await this.refreshVisible();
      if (this.summary.partial) await this.completeLoad(this.reloadCount);
      if (this.settings.confirm === 'auto') this.onLoaded?.();
    };
    this.loading = run().catch((e) => {
      this.report('loading profiles', e);
      if (!(e instanceof SupersededError)) this.setState({ kind: 'error', message: failureText(e) });
    });
    return this.loading;
  }

  /** After a partial load: the match (decisions, lenses), the hot functions' packages, then the whole workspace, each shown when ready (unless a newer load started). */
  private async completeLoad(n: number): Promise<void> {
    const t0 = Date.now();
    for (const stage of ['match', 'hot', 'all'] as const) {
      const s = await this.client.establish('completeWorkspace', { stage }, 'workspace-complete');
      if (n !== this.reloadCount) return;
      this.summary = s;
      this.baselines.clear();
      this.details.clear();
      this.tree.refresh();
      await this.refreshVisible();
      this.log.info(
        stage === 'match'
          ? `matched the profiles with the source in ${Date.now() - t0} ms more`
          : `indexed ${s.packages} packages${s.partial ? " (the hot functions' packages)" : ''} in ${Date.now() - t0} ms more`,
      );
    }
  }

  private binaryDetails(id: string, q: ViewQuery): Promise<BinaryDetails | undefined> {
    const key = `${id}\u0000${q.limit}\u0000${q.sort ?? ''}\u0000${q.filter ?? ''}`;
    let p = this.details.get(key);
    if (!p) {
      p = this.client.call('binaryDetails', { binary: id, ...q }).catch((e) => {
        this.report('reading the report', e);
        return undefined;
      });
      this.details.set(key, p);
    }
    return p;
  }

  // ---- per file

  private isGo(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'go' && doc.uri.scheme === 'file';
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const doc = e.document;
    if (!this.isGo(doc)) return;
    const base = this.baselines.get(doc.uri.fsPath);
    if (base && e.contentChanges.length) {
      const was = base.map.edited;
      base.map.apply(
        e.contentChanges.map((c) => ({
          startLine: c.range.start.line,
          startChar: c.range.start.character,
          endLine: c.range.end.line,
          endChar: c.range.end.character,
          text: c.text,
        })),
      );
      // Heat follows the measured lines at once, before the worker re-indexes.
      // Decisions wait for the worker's view of the new text (the editor keeps their ranges meanwhile).
      if (base.map.edited || was) for (const ed of vscode.window.visibleTextEditors) if (ed.document === doc) this.paint(ed, false);
    }
    this.scheduleUpdate(doc, this.settings.debounceMs);
  }

  /** What the overlay shows for a file: the measured heat and hover details on the lines they are on now. */
  private shownView(file: string): FileView | undefined {
    const v = this.views.get(file);
    const b = this.baselines.get(file);
    if (!v || !b || !b.map.edited || b.view.binary !== v.binary) return v;
    return mapMeasured(b.view, b.map, v);
  }

  private onClose(doc: vscode.TextDocument): void {
    if (!this.isGo(doc)) return;
    this.views.delete(doc.uri.fsPath);
    this.baselines.delete(doc.uri.fsPath);
    this.drift.delete(doc.uri.fsPath);
    this.moved.delete(doc.uri.fsPath);
    this.decorated.delete(doc.uri.fsPath);
    this.annotated.delete(doc.uri.fsPath);
    this.client.forget(`file:${doc.uri.fsPath}`);
    if (this.edits.close(doc.uri.fsPath) || doc.isDirty) void this.client.call('updateFile', { file: doc.uri.fsPath, text: null }).catch(() => undefined);
  }

  private scheduleUpdate(doc: vscode.TextDocument, delay: number): void {
    this.edits.schedule(queued(doc), delay);
  }

  /** One file's text to the worker (`null`: the saved text); rejects when the worker did not take it. */
  private sendText(file: string, text: string | null): Promise<unknown> {
    // Unsaved text is state the worker must get back after a crash; saved text is on disk.
    const key = `file:${file}`;
    if (text === null) this.client.forget(key);
    const call = text === null ? this.client.call('updateFile', { file, text }, key) : this.client.establish('updateFile', { file, text }, key);
    const done = call.then((summary) => {
      if (summary) this.summary = summary; // the match meter follows the edits
      this.details.clear();
      this.tree.refresh();
      void this.refreshVisible();
    });
    done.catch((e) => this.report('re-indexing', e));
    return done;
  }

  private debounce(key: string, ms: number, fn: () => void): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        fn();
      }, ms),
    );
  }

  /**
   * Sends now the edits still waiting for their debounce, and every open Go document whose
   * version is not the one last sent. A profile write and a reload must see them: the worker plans
   * rewrites on the text it has, and a reload adopts its unsaved text, so an undo typed just
   * before *Undo Profile Rewrite* would otherwise leave the old text in place.
   */
  private flushEdits(): Promise<void> {
    return this.edits.flush(vscode.workspace.textDocuments.filter((d) => this.isGo(d)).map(queued));
  }

  async refreshVisible(): Promise<void> {
    const editors = vscode.window.visibleTextEditors.filter((e) => this.isGo(e.document));
    await Promise.all(editors.map((e) => this.refreshEditor(e)));
    this.lenses.refresh();
    this.updateStatus();
  }

  private async refreshEditor(editor: vscode.TextEditor): Promise<void> {
    const file = editor.document.uri.fsPath;
    if (!this.summary || this.summary.binaries.length === 0) {
      this.views.delete(file);
      this.paint(editor);
      return;
    }
    const doc = editor.document;
    const version = doc.version;
    const pending = this.edits.isPending(file);
    try {
      const view = await this.client.call('fileView', { file, ...(this.chosenBinary ? { binary: this.chosenBinary } : {}) }, `view:${file}`);
      this.views.set(file, view);
      let base = this.baselines.get(file);
      if (base && base.view.binary !== view.binary) base = undefined;
      // The profile's view of the saved text, taken once per load: later edits map it (line-map.ts).
      if (!base && !doc.isDirty && !pending && doc.version === version) this.baselines.set(file, (base = { view, map: new LineMap() }));
      const keys = base?.map.edited ? movedKeys(base.view, base.map, view) : [];
      const moved = new Set(keys.map((k) => k.symbol));
      if (moved.size) {
        this.drift.set(file, moved);
        this.moved.set(file, keys);
      } else {
        this.drift.delete(file);
        this.moved.delete(file);
      }
      this.paint(editor);
    } catch (e) {
      if (!(e instanceof SupersededError)) this.report(`showing ${path.basename(file)}`, e);
    }
  }

  /** `decisions`: false while the worker's view is older than the text (the heat is mapped through the edits, decisions are not). */
  private paint(editor: vscode.TextEditor, decisions = true): void {
    const file = editor.document.uri.fsPath;
    const s = { ...this.settings, enable: this.settings.enable && this.overlay };
    this.decorated.set(file, this.decorations.apply(editor, this.shownView(file), s));
    if (!decisions) return;
    // decisions on the text now: the compiler's view (an edit that moves a call off its offset loses it, as PGO would)
    this.annotated.set(file, this.annotations.apply(editor, this.views.get(file), s.enable && s.decisionsStyle === 'annotation'));
  }

  private repaint(): void {
    for (const e of vscode.window.visibleTextEditors) if (this.isGo(e.document)) this.paint(e);
    this.lenses.refresh();
    this.updateStatus();
  }

  // ---- status bar and commands

  private activeBinary(): BinarySummary | undefined {
    const bins = this.summary?.binaries ?? [];
    const ed = vscode.window.activeTextEditor;
    const view = ed ? this.views.get(ed.document.uri.fsPath) : undefined;
    const id = view?.binary ?? this.chosenBinary ?? bins[0]?.id;
    return bins.find((b) => b.id === id);
  }

  private updateDiagnostics(): void {
    this.diagnostics.clear();
    const edited = new Set([...this.drift.values()].flatMap((x) => [...x]));
    for (const [file, list] of buildDiagnostics(this.summary?.binaries ?? [], this.settings, edited)) this.diagnostics.set(vscode.Uri.file(file), list);
  }

  /** The state shown: loading / stale / error come first; then disabled (setting, hidden, -pgo=off); else ready. */
  private shownState(): OverlayState {
    if (this.state.kind !== 'ready') return this.state;
    if (!this.settings.enable) return { kind: 'disabled', why: 'setting' };
    if (!this.overlay) return { kind: 'disabled', why: 'hidden' };
    if (this.summary?.pathMethod === 'off') return { kind: 'disabled', why: 'pgo-off' };
    return this.state;
  }

  private updateStatus(): void {
    this.updateDiagnostics();
    this.renderStatus();
  }

  /** The status bar, its tooltip and the view's message (no diagnostics: those change with the summary only). */
  private renderStatus(): void {
    const b = this.activeBinary();
    const state = this.shownState();
    const message = stateMessage(state);
    this.status.text = stateStatusText(state) ?? statusText(b, this.summary?.binaries.length ?? 0);
    if (this.statusLog[this.statusLog.length - 1] !== this.status.text) this.statusLog.splice(0, Math.max(0, this.statusLog.push(this.status.text) - 1000));
    if (this.view) this.view.message = message ?? undefined;
    const md = new vscode.MarkdownString(undefined, true);
    if (message) md.appendMarkdown(`${message}\n\n`);
    if (state.kind === 'loading' || state.kind === 'error') {
      md.appendMarkdown('Click for options.');
      this.status.tooltip = md;
      return;
    }
    if (b) {
      md.appendMarkdown(`**Go PGO Lens** · \`${b.mainPackage}\`\n\nProfile: \`${vscode.workspace.asRelativePath(b.profile)}\`\n\n`);
      if (b.error) md.appendMarkdown(`$(warning) ${failureText(b.error)}`);
      else if (b.summary) {
        const total = b.summary.format === 'preprofile' ? `edge weight ${b.summary.total}` : weightText(b.summary.total, b.summary.sampleType);
        md.appendMarkdown(`${total} (100 % of profile, as \`go tool pprof\` counts) · ${b.summary.edgeCount} call edges · ${b.summary.hotCount} hot\n\n`);
        md.appendMarkdown(
          b.matching
            ? 'Matching the profile with the source… (heat is shown; decisions and lenses follow)'
            : `${pct(b.matchedPercent)} of hot weight matches the source · ${b.inlineCandidates} hot call sites · ${b.devirtualizations} devirtualizations`,
        );
        if (b.unmatched.length) md.appendMarkdown(`\n\n$(warning) ${b.unmatched.length} profile functions no longer match`);
        if (b.confirmed) {
          const c = b.confirmed;
          md.appendMarkdown(
            `\n\n$(verified) Compiler ${c.goVersion}, ${new Date(c.at).toLocaleTimeString()}: ${c.inline.agree}/${c.inline.total} hot call sites inlined with the hot budget, ${c.devirt.agree}/${c.devirt.total} devirtualizations${c.bugs.length ? `, $(bug) ${c.bugs.length} contradicted` : ''}`,
          );
        }
        if (b.history?.changed.length)
          md.appendMarkdown(
            `\n\n$(git-commit) ${b.history.changed.length} profiled functions edited since \`${path.basename(b.profile)}\` was committed (${b.history.commit.slice(0, 8)})`,
          );
      }
    } else md.appendMarkdown('No `default.pgo` next to a main package in this workspace.');
    md.appendMarkdown('\n\nClick for options.');
    this.status.tooltip = md;
  }

  async selectBinary(): Promise<void> {
    const bins = this.summary?.binaries ?? [];
    type Item = vscode.QuickPickItem & { run: () => unknown };
    const items: Item[] = bins.map((b) => ({
      label: `${b.id === this.activeBinary()?.id ? '$(check) ' : ''}${binaryLabel(b)}`,
      description: b.mainPackage,
      detail: b.error ? `$(warning) ${b.error.message}` : `${b.profile} · ${matchedText(b)}`,
      run: () => {
        this.chosenBinary = b.id;
        void this.refreshVisible();
      },
    }));
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator, run: () => undefined },
      { label: '$(refresh) Reload profiles', run: () => this.reload('command') },
      { label: '$(cloud-download) Refresh profile…', run: () => vscode.commands.executeCommand('pgoLens.refreshProfile') },
      { label: '$(verified) Confirm decisions with the compiler', run: () => vscode.commands.executeCommand('pgoLens.confirmDecisions') },
      { label: '$(list-tree) Show report', run: () => this.showReport() },
      { label: '$(graph) Open profile explorer', run: () => vscode.commands.executeCommand('pgoLens.openExplorer') },
      { label: `$(flame) ${this.overlay ? 'Hide' : 'Show'} hotness overlay`, run: () => this.toggleOverlay() },
    );
    const pick = await vscode.window.showQuickPick(items, { title: 'Go PGO Lens', placeHolder: 'Binary whose profile applies to the files shown' });
    await pick?.run();
  }

  toggleOverlay(): void {
    this.overlay = !this.overlay;
    this.tree.refresh();
    this.repaint();
  }

  // ---- the view's filter, order, paging and per-entry actions

  async filterView(): Promise<void> {
    const filter = await vscode.window.showInputBox({
      title: 'Go PGO: filter the view',
      prompt: 'Part of a symbol, callee or file name (case-insensitive); empty shows everything',
      value: this.tree.query('').filter ?? '',
    });
    if (filter === undefined) return;
    this.tree.setFilter(filter);
    if (this.view) this.view.description = this.tree.describe();
  }

  async sortView(): Promise<void> {
    const items: Array<vscode.QuickPickItem & { sort: ViewSort | undefined }> = [
      { label: 'flat', description: 'go tool pprof -top order (default)', sort: undefined },
      { label: 'cum', description: 'cumulative weight, largest first', sort: 'cum' },
      { label: 'name', description: 'symbol (caller for call sites)', sort: 'name' },
      { label: 'file', description: 'file, then symbol', sort: 'file' },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Go PGO: sort the view by' });
    if (!pick) return;
    this.tree.setSort(pick.sort);
    if (this.view) this.view.description = this.tree.describe();
  }

  viewMore(n: { binary?: string; total?: number } | undefined, all: boolean): void {
    if (n?.binary && typeof n.total === 'number') this.tree.more(n.binary, n.total, all);
  }

  async copySymbol(n: ViewEntry | undefined): Promise<void> {
    if (!n?.symbol) return;
    await vscode.env.clipboard.writeText(n.symbol);
    void vscode.window.setStatusBarMessage(`Copied ${n.symbol}`, 3000);
  }

  async openEntry(n: ViewEntry | undefined): Promise<void> {
    if (n?.file) await this.openLocation(n.file, (n.line ?? 0) + 1);
  }

  /** Applies one unmatched entry's fix (rename, or re-align this function) to the profile. */
  async fixEntry(n: ViewEntry | undefined): Promise<void> {
    const u = n?.unmatched;
    if (!u || !n.binary) return;
    await this.rewriteProfile(n.binary, [u.symbol]);
  }

  async showReport(): Promise<void> {
    await vscode.commands.executeCommand('pgoLens.view.focus');
  }

  /**
   * Rewrites a binary's profile to match the source (all suggestions, or `symbols`). Renames are
   * checked first (`renameGuard`): while the source still uses an old name nothing is written
   * (`force` skips the check: *Rewrite Anyway*). Returns what happened, for scripts and tests.
   */
  async rewriteProfile(binary?: string, symbols?: string[], opts: { force?: boolean } = {}): Promise<RewriteOutcome | undefined> {
    const b = binary ?? (await this.pickBinary((x) => x.unmatched.some((u) => u.kind !== 'removed')));
    if (!b) return undefined;
    if (!opts.force && this.renameGuard) {
      await this.flushEdits();
      const uses = await this.renameGuard(b, symbols, () => this.rewriteProfile(b, symbols, { force: true }));
      if (uses.length) return { rewritten: false, uses };
    }
    try {
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Go PGO Lens: rewriting the profile, then reloading…' },
        () => this.afterOwnWrite('profile rewritten', () => this.client.call('rewriteProfile', { binary: b, ...(symbols ? { symbols } : {}) })),
      );
      this.log.info(`rewrote ${r.profile}: ${r.renamed} functions renamed, ${r.realigned} lines re-aligned; previous profile kept as ${r.backup}`);
      void vscode.window
        .showInformationMessage(`Go PGO Lens: ${path.basename(r.profile)} rewritten (${r.renamed} renamed, ${r.realigned} lines re-aligned).`, 'Undo')
        .then((a) => {
          if (a === 'Undo') void this.undoRewrite(b);
        });
      return { rewritten: true, uses: [] };
    } catch (e) {
      showFailure(this.log, 'rewriting the profile', e);
      return { rewritten: false, uses: [] };
    }
  }

  /** Set by extension.ts: the old-name check before a rename fix (src/editor/rename-check.ts). */
  renameGuard: ((binary: string, symbols: string[] | undefined, rewriteAnyway: () => unknown) => Promise<RenameCheck[]>) | undefined;

  /** Restores a profile from its `.bak` (one step: the backup is removed once restored). */
  async undoRewrite(binary?: string): Promise<void> {
    await this.updateUndoable();
    const b = binary ?? (await this.pickBinary((x) => this.undoable.has(x.id)));
    if (!b || !this.undoable.has(b)) {
      const which = b ? ` of ${vscode.workspace.asRelativePath(this.binaries().find((x) => x.id === b)?.profile ?? b)}` : '';
      void vscode.window.showInformationMessage(
        `Go PGO Lens: nothing to undo: no backup${which} (each rewrite or refresh keeps one, and undo restores it once).`,
      );
      return;
    }
    try {
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Go PGO Lens: restoring the profile, then reloading…' },
        () => this.afterOwnWrite('profile restored', () => this.client.call('undoRewrite', { binary: b })),
      );
      this.log.info(`restored ${r.profile} from its backup`);
    } catch (e) {
      showFailure(this.log, 'undoing the profile rewrite', e);
      await this.updateUndoable();
    }
  }

  /** Which binaries' profiles have a `.bak`; sets the context key that enables *Undo Profile Rewrite*. */
  private async updateUndoable(): Promise<void> {
    this.undoable.clear();
    for (const b of this.binaries()) if (!b.error && (await stamp(`${b.profile}.bak`))) this.undoable.add(b.id);
    void vscode.commands.executeCommand('setContext', 'pgoLens.canUndo', this.undoable.size > 0);
  }

  private async pickBinary(filter: (b: BinarySummary) => boolean): Promise<string | undefined> {
    const bins = (this.summary?.binaries ?? []).filter(filter);
    if (bins.length <= 1) return bins[0]?.id;
    const pick = await vscode.window.showQuickPick(
      bins.map((b) => ({ label: binaryLabel(b), description: b.profile, id: b.id })),
      { title: 'Go PGO Lens: which profile?' },
    );
    return pick?.id;
  }

  async openLocation(file: string, line: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const pos = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
  }

  private report(what: string, e: unknown): void {
    if (e instanceof SupersededError) return;
    if (e instanceof WorkerCrashedError) {
      this.log.warn(`${what}: ${e.message}`);
      return;
    }
    this.log.error(`${what}: ${(e as Error)?.stack ?? String(e)}`);
  }

  testState(): TestState {
    const decorations: TestState['decorations'] = {};
    for (const [f, m] of this.decorated) decorations[f] = Object.fromEntries([...m].map(([k, v]) => [String(k), v]));
    const annotations: TestState['annotations'] = {};
    for (const [f, m] of this.annotated) annotations[f] = Object.fromEntries([...m].map(([k, v]) => [String(k), v]));
    return {
      summary: this.summary,
      activeBinary: this.activeBinary()?.id,
      statusText: this.status.text,
      decorations,
      annotations,
      views: Object.fromEntries(this.views),
      overlayEnabled: this.overlay,
      state: this.shownState().kind,
      undoable: [...this.undoable],
      reloads: this.reloadCount,
      ownWriteEvents: this.ownWriteEvents,
      statusLog: [...this.statusLog],
      drift: Object.fromEntries([...this.drift].map(([f, set]) => [f, [...set].sort()])),
    };
  }

  /** The binaries of the workspace (for the command flows). */
  binaries(): BinarySummary[] {
    return this.summary?.binaries ?? [];
  }

  activeBinaryId(): string | undefined {
    return this.activeBinary()?.id;
  }

  /** Re-reads the summary and everything shown (after a worker job changed them). */
  async refreshAll(): Promise<void> {
    try {
      this.summary = await this.client.call('summary', {});
    } catch (e) {
      this.report('reading the summary', e);
    }
    await this.updateUndoable();
    this.details.clear();
    this.tree.refresh();
    await this.refreshVisible();
  }

  /** Called after a Go file is saved (the confirm-on-save hook; setting `compiler.confirm` = `auto`). */
  onSaved: ((file: string) => void) | undefined;
  /** Called after the profiles were (re)loaded (background confirmation; setting `compiler.confirm` = `auto`). */
  onLoaded: (() => void) | undefined;

  /** Resolves when the current load (if any) is done. */
  async ready(): Promise<void> {
    await this.loading;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.edits.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** A text document as the edit queue sees it (live: version, state and text read when sent). */
function queued(doc: vscode.TextDocument): QueuedDoc {
  return {
    file: doc.uri.fsPath,
    get version(): number {
      return doc.version;
    },
    get isDirty(): boolean {
      return doc.isDirty;
    },
    getText: () => doc.getText(),
  };
}

/** Size and modification time of a file (null: missing or unreadable). */
async function stamp(file: string): Promise<FileStamp | null> {
  try {
    const st = await fs.promises.stat(file);
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : null;
  } catch {
    return null;
  }
}
