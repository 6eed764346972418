/**
 * "Confirm Decisions with the Compiler" and its after-save variant: runs the worker's `confirm`
 * job (a real go build with the decision flags, into a temporary directory, cached) with progress
 * and cancel, then has the lenses, hovers and view show what the compiler said. Predictions the
 * compiler contradicts without an explanation are logged as bugs. Trusted workspaces only.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkerCallError, type WorkerClient } from '../worker/client';
import type { BinarySummary, ConfirmSummary } from '../worker/protocol';
import { binaryLabel } from './format';

export interface ConfirmArgs {
  /** The main package directory (default: the binary of the active file, else ask). */
  mainDir?: string;
  /** Also build with -pgo=off for "What PGO changed" (default true). */
  changes?: boolean;
}

export class ConfirmFlow implements vscode.Disposable {
  private current: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly binaries: () => BinarySummary[],
    private readonly activeBinary: () => string | undefined,
    /** Refreshes everything shown (the worker's views now carry the confirmations). */
    private readonly refresh: () => Promise<void>,
  ) {}

  /** The command: asks what is missing, shows a cancellable notification. */
  async run(args: ConfirmArgs = {}): Promise<ConfirmSummary | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Go PGO Lens: the compiler is not run in an untrusted workspace.');
      return undefined;
    }
    const mainDir = args.mainDir ?? (await this.pickBinary());
    if (!mainDir) return undefined;
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.languageId === 'go').length;
    if (dirty) this.log.warn(`confirming with the saved files: ${dirty} Go file(s) have unsaved changes and keep showing predictions only`);
    try {
      const s = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Go PGO Lens: building ${path.basename(mainDir)} with the compiler's decision output`, cancellable: true },
        (progress, token) => this.confirm(mainDir, args.changes ?? true, (m) => progress.report({ message: m }), token),
      );
      const bugs = s.bugs.length;
      void vscode.window
        .showInformationMessage(
          `Go PGO Lens: the compiler (${s.goVersion}) confirmed ${s.inline.agree} of ${s.inline.total} hot call sites as inlined with the hot budget (${s.inline.explained} explained otherwise) and ${s.devirt.agree} of ${s.devirt.total} devirtualizations` +
            (s.changes !== null ? `; PGO changed ${s.changes} call sites` : '') +
            (bugs ? `; ${bugs} prediction(s) contradicted — see the log` : ''),
          ...(s.changes !== null ? ['Show What PGO Changed'] : []),
          ...(bugs ? ['Show Log'] : []),
        )
        .then((a) => {
          if (a === 'Show What PGO Changed') void vscode.commands.executeCommand('pgoLens.view.focus');
          if (a === 'Show Log') this.log.show();
        });
      return s;
    } catch (e) {
      this.failed(e, true);
      return undefined;
    }
  }

  /** After a save (setting `compiler.confirmOnSave`): debounced, quiet, the newest save wins. */
  onSave(file: string, delayMs = 1500): void {
    if (!vscode.workspace.isTrusted) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const b = this.binaries().find((x) => !x.error && (file.startsWith(x.mainDir + path.sep) || path.dirname(file) === x.mainDir)) ?? this.binaries().find((x) => x.id === this.activeBinary());
      if (!b) return;
      void vscode.window
        .withProgress({ location: vscode.ProgressLocation.Window, title: `$(sync~spin) PGO: confirming ${binaryLabel(b)}` }, () => this.confirm(b.mainDir, true, () => undefined))
        .then(undefined, (e: unknown) => this.failed(e, false));
    }, delayMs);
  }

  private async confirm(mainDir: string, changes: boolean, report: (m: string) => void, token?: vscode.CancellationToken): Promise<ConfirmSummary> {
    this.current?.abort(); // a newer build replaces a running one
    const ac = new AbortController();
    this.current = ac;
    token?.onCancellationRequested(() => ac.abort());
    this.log.info(`confirming ${mainDir} with the compiler${changes ? ' (and -pgo=off for what PGO changed)' : ''}`);
    const s = await this.client.job('confirm', { mainDir, changes }, (e) => report(e.message), ac.signal);
    if (this.current === ac) this.current = undefined;
    this.log.info(
      `compiler ${s.goVersion}${s.fromCache ? ' (cached build)' : ''} in ${(s.millis / 1000).toFixed(1)} s: ${s.inline.agree}/${s.inline.total} hot call sites inlined with the hot budget, ` +
        `${s.inline.explained} explained otherwise (${Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join(', ')}); devirtualizations ${s.devirt.agree}/${s.devirt.total}` +
        (s.changes !== null ? `; PGO changed ${s.changes} call sites` : ''),
    );
    for (const b of s.bugs) this.log.error(`prediction contradicted by the compiler (please report): ${b.file}:${b.line} ${b.what} ${b.callee}: ${b.explanation}`);
    await this.refresh();
    return s;
  }

  private failed(e: unknown, loud: boolean): void {
    if (e instanceof WorkerCallError && e.wire.kind === 'cancelled') {
      this.log.info('compiler confirmation cancelled');
      return;
    }
    const msg = (e as Error).message;
    this.log.error(`compiler confirmation failed: ${msg}`);
    if (loud) void vscode.window.showErrorMessage(`Go PGO Lens: the confirming build failed: ${msg.split('\n')[0]}`, 'Show Log').then((a) => a && this.log.show());
  }

  private async pickBinary(): Promise<string | undefined> {
    const bins = this.binaries().filter((b) => !b.error && b.summary);
    if (bins.length === 0) {
      void vscode.window.showErrorMessage('Go PGO Lens: no main package with a usable profile to confirm.');
      return undefined;
    }
    const active = this.activeBinary();
    if (bins.length === 1) return bins[0]!.mainDir;
    const pick = await vscode.window.showQuickPick(
      bins.map((b) => ({ label: binaryLabel(b), description: b.mainPackage, detail: b.profile, dir: b.mainDir, picked: b.id === active })).sort((a, b) => Number(b.picked) - Number(a.picked)),
      { title: 'Go PGO Lens: confirm which binary with the compiler?' },
    );
    return pick?.dir;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.current?.abort();
  }
}
