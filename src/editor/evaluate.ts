/**
 * "Evaluate PGO Payoff…" and "Trim Profile…": both run as worker jobs with a cancellable
 * progress notification. The evaluation is shown as a read-only document (scheme
 * `pgo-lens-payoff`) whose `file:line` references are links, and every flagged stack-frame
 * growth becomes a warning on the hot function, with the offer to hide the responsible hot
 * edges from the profile (in place, `.bak` kept). Trimming shows the size ratio and asks before
 * replacing the profile. Trusted workspaces only (they run go and write profiles).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkerCallError, type WorkerClient } from '../worker/client';
import type { BinarySummary, EvaluateJobResult } from '../worker/protocol';
import { binaryLabel } from './format';
import { readEvaluateSettings } from './config';
import { failureText } from './failures';

const SCHEME = 'pgo-lens-payoff';
const LINK = /(\/[^\s:()]+\.go):(\d+)(?::(\d+))?/g;

export class PayoffFlow implements vscode.Disposable, vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  readonly diagnostics = vscode.languages.createDiagnosticCollection('Go PGO payoff');
  private readonly subs: vscode.Disposable[];

  constructor(
    private readonly client: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly binaries: () => BinarySummary[],
    private readonly activeBinary: () => string | undefined,
    /** Reloads the profiles after one was rewritten. */
    private readonly reload: () => Promise<void>,
  ) {
    this.subs = [
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.languages.registerDocumentLinkProvider({ scheme: SCHEME }, this),
      this.diagnostics,
      this.changed,
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const out: vscode.DocumentLink[] = [];
    for (let i = 0; i < doc.lineCount; i++) {
      const text = doc.lineAt(i).text;
      for (const m of text.matchAll(LINK)) {
        const range = new vscode.Range(i, m.index, i, m.index + m[0].length);
        out.push(new vscode.DocumentLink(range, vscode.Uri.file(m[1]!).with({ fragment: `L${m[2]}${m[3] ? `,${m[3]}` : ''}` })));
      }
    }
    return out;
  }

  private trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage('Go PGO Lens: go is not run and profiles are not rewritten in an untrusted workspace.');
    return false;
  }

  private async pick(title: string): Promise<BinarySummary | undefined> {
    const bins = this.binaries().filter((b) => !b.error && b.summary && b.profile !== 'off');
    if (bins.length === 0) {
      void vscode.window.showErrorMessage('Go PGO Lens: no main package with a usable profile.');
      return undefined;
    }
    if (bins.length === 1) return bins[0];
    const active = this.activeBinary();
    const p = await vscode.window.showQuickPick(
      bins
        .map((b) => ({ label: binaryLabel(b), description: b.mainPackage, detail: b.profile, b, picked: b.id === active }))
        .sort((a, b) => Number(b.picked) - Number(a.picked)),
      { title },
    );
    return p?.b;
  }

  private failed(what: string, e: unknown): void {
    if (e instanceof WorkerCallError && e.wire.kind === 'cancelled') {
      this.log.info(`${what} cancelled`);
      return;
    }
    const msg = (e as Error).message;
    this.log.error(`${what} failed: ${msg}`);
    void vscode.window.showErrorMessage(`Go PGO Lens: ${what} failed: ${failureText(e)}`, 'Show Log').then((a) => a && this.log.show());
  }

  private progress<T>(title: string, run: (report: (m: string) => void, signal: AbortSignal) => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Go PGO Lens: ${title}`, cancellable: true }, (p, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return run((message) => p.report({ message }), ac.signal);
    });
  }

  /** Trim Profile…: computes the trimmed profile, shows the ratio, and replaces the file on consent. */
  async trim(): Promise<void> {
    if (!this.trusted()) return;
    const b = await this.pick('Go PGO Lens: trim the profile of which binary?');
    if (!b) return;
    const mode = await vscode.window.showQuickPick(
      [
        {
          label: 'Only what PGO reads',
          detail: 'The two leaf-most frames of each sample: the smallest file; the heat of deeper callers is lost.',
          mode: 'pgo' as const,
        },
        { label: 'Keep whole stacks', detail: 'For go tool pprof and the heat view: drops labels and unused entries only.', mode: 'stacks' as const },
      ],
      { title: `Trim ${vscode.workspace.asRelativePath(b.profile)}` },
    );
    if (!mode) return;
    try {
      const dry = await this.progress('trimming', (report, signal) =>
        this.client.job('trim', { profile: b.profile, mode: mode.mode, write: false }, (e) => report(e.message), signal),
      );
      const ok = await vscode.window.showWarningMessage(
        `Replace ${vscode.workspace.asRelativePath(b.profile)} with its trimmed version? ${dry.description}. go tool preprofile output stays byte-identical; the original is kept as ${path.basename(b.profile)}.bak.`,
        { modal: true },
        'Trim',
      );
      if (ok !== 'Trim') return;
      const r = await this.progress('trimming', (report, signal) =>
        this.client.job('trim', { profile: b.profile, mode: mode.mode, write: true }, (e) => report(e.message), signal),
      );
      this.log.info(`trimmed ${b.profile}: ${r.description}; previous file kept as ${r.backup}`);
      await this.reload();
    } catch (e) {
      this.failed('trimming', e);
    }
  }

  /** Evaluate PGO Payoff…: asks for the benchmarks, runs the job, shows the report and the warnings. */
  async evaluate(): Promise<void> {
    if (!this.trusted()) return;
    const b = await this.pick('Go PGO Lens: evaluate PGO for which binary?');
    if (!b) return;
    const bench = await vscode.window.showInputBox({
      title: 'Benchmarks to run with and without the profile (a go test -bench pattern)',
      prompt: 'Empty: do not measure speed',
      value: '.',
    });
    if (bench === undefined) return;
    let benchPkg: string | undefined;
    if (bench.trim()) {
      const dir = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        defaultUri: vscode.Uri.file(b.mainDir),
        openLabel: 'Run its benchmarks',
        title: 'Package whose benchmarks run',
      });
      if (!dir?.[0]) return;
      benchPkg = dir[0].fsPath;
    }
    const c = readEvaluateSettings(vscode.Uri.file(b.mainDir));
    const benchtime = c.benchtime;
    try {
      const r: EvaluateJobResult = await this.progress(`evaluating ${binaryLabel(b)}`, (report, signal) =>
        this.client.job(
          'evaluate',
          {
            mainDir: b.mainDir,
            profile: b.profile,
            ...(bench.trim() ? { bench: bench.trim(), ...(benchPkg ? { benchPkg } : {}) } : {}),
            count: c.count,
            ...(benchtime ? { benchtime } : {}),
            buildTime: c.buildTime,
            frameThreshold: c.frameThreshold,
          },
          (e) => report(e.message),
          signal,
        ),
      );
      await this.show(b, r);
    } catch (e) {
      this.failed('the PGO evaluation', e);
    }
  }

  private async show(b: BinarySummary, r: EvaluateJobResult): Promise<void> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${path.basename(b.mainDir)}-payoff.txt` });
    this.docs.set(uri.toString(), r.text);
    this.changed.fire(uri);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    this.diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of r.result.frames.flagged) {
      if (!f.file) continue;
      const callees = f.inlined.map((s) => `${s.callee}${s.frame !== null ? ` (frame ${s.frame} B)` : ''}`).join(', ');
      const d = new vscode.Diagnostic(
        new vscode.Range(Math.max(0, f.line - 1), 0, Math.max(0, f.line - 1), 200),
        `PGO inlining grows the stack frame of this hot function from ${f.off} to ${f.pgo} bytes (+${f.pgo - f.off})${callees ? `: inlined ${callees}` : ''}. ` +
          'Mark the callee //go:noinline, or hide the hot edge from the profile (Evaluate PGO Payoff offers it).',
        vscode.DiagnosticSeverity.Warning,
      );
      d.source = 'Go PGO';
      byFile.set(f.file, [...(byFile.get(f.file) ?? []), d]);
    }
    for (const [file, ds] of byFile) this.diagnostics.set(vscode.Uri.file(file), ds);
    const edges = r.result.frames.flagged.flatMap((f) => f.edges);
    if (edges.length === 0) return;
    const a = await vscode.window.showWarningMessage(
      `Go PGO Lens: PGO inlining grows ${r.result.frames.flagged.length} hot function frame(s) by ≥ ${r.result.frames.thresholdBytes} bytes. Hide the ${edges.length} responsible hot edge(s) from ${path.basename(r.result.profile)}?`,
      'Hide Edges…',
    );
    if (a !== 'Hide Edges…') return;
    const ok = await vscode.window.showWarningMessage(
      `Drop the samples of ${edges.map((e) => `${e.caller} → ${e.callee}`).join(', ')} from ${vscode.workspace.asRelativePath(r.result.profile)}? The previous profile is kept as .bak.`,
      { modal: true },
      'Hide',
    );
    if (ok !== 'Hide') return;
    try {
      const x = await this.progress('rewriting the profile', (report, signal) =>
        this.client.job('excludeEdges', { profile: r.result.profile, edges }, (e) => report(e.message), signal),
      );
      this.log.info(
        `hid ${edges.length} edge(s) from ${r.result.profile}: ${x.samplesDropped} samples dropped, edge weight ${x.weightBefore} → ${x.weightAfter}; previous file kept as ${x.backup}`,
      );
      this.diagnostics.clear();
      await this.reload();
    } catch (e) {
      this.failed('hiding the edges', e);
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
