/**
 * "Confirm Decisions with the Compiler" and background confirmation: runs the worker's `confirm`
 * job (the compiler's decision output; the go build cache answers unchanged packages) with
 * progress and cancel, then has the lenses, hovers and view show what the compiler said (lenses
 * the compiler confirmed carry its verdict, the others say "predicted"). Predictions the compiler
 * contradicts without an explanation are logged as bugs.
 *
 * Background (setting `compiler.confirm` = `auto`, the default): after the workspace loads and
 * after each save, every binary is confirmed in turn in the status bar ("package N of M"), never
 * blocking; a newer save cancels the running build and starts over (the newest wins). Trusted
 * workspaces only (the worker refuses too). Go command lines go to the log at debug level.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkerCallError, type WorkerClient } from '../worker/client';
import type { BinarySummary, ConfirmSummary } from '../worker/protocol';
import { binaryLabel } from './format';
import { failureText } from './failures';

export interface ConfirmArgs {
  /** The main package directory (default: the binary of the active file, else ask). */
  mainDir?: string;
  /** Also build with -pgo=off for "What PGO changed" (default true). */
  changes?: boolean;
}

export class ConfirmFlow implements vscode.Disposable {
  private current: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Incremented by each background request: older rounds stop. */
  private round = 0;

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
        {
          location: vscode.ProgressLocation.Notification,
          title: `Go PGO Lens: building ${path.basename(mainDir)} with the compiler's decision output`,
          cancellable: true,
        },
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

  /**
   * Background confirmation of every binary (the active one first): debounced, quiet, in the
   * status bar; a newer call cancels the running build and starts over.
   */
  background(why: 'load' | 'save', delayMs = 1500): void {
    if (!vscode.workspace.isTrusted) return;
    clearTimeout(this.timer);
    const round = ++this.round;
    this.timer = setTimeout(() => void this.confirmAll(round, why), delayMs);
  }

  private async confirmAll(round: number, why: string): Promise<void> {
    const active = this.activeBinary();
    const bins = this.binaries()
      .filter((b) => !b.error && b.summary && !b.summary.emptyReason)
      .sort((a, b) => Number(b.id === active) - Number(a.id === active));
    for (const b of bins) {
      if (round !== this.round) return; // a newer save or load started over
      this.log.debug(`background confirmation of ${b.mainPackage} (after ${why})`);
      try {
        // "What PGO changed" (a -pgo=off build too) stays fresh once the command showed it for this binary
        const changes = b.confirmed !== null && (b.confirmed.changes !== null || b.confirmed.changesPending === true);
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `PGO: confirming ${binaryLabel(b)}` }, (progress) =>
          this.confirm(b.mainDir, changes, (m) => progress.report({ message: m })),
        );
      } catch (e) {
        if (round === this.round) this.failed(e, false);
        return;
      }
    }
  }

  private async confirm(mainDir: string, changes: boolean, report: (m: string) => void, token?: vscode.CancellationToken): Promise<ConfirmSummary> {
    this.current?.abort(); // a newer build replaces a running one
    const ac = new AbortController();
    this.current = ac;
    token?.onCancellationRequested(() => ac.abort());
    this.log.info(`confirming ${mainDir} with the compiler${changes ? ' (and -pgo=off for what PGO changed)' : ''}`);
    const s = await this.client.job(
      'confirm',
      { mainDir, changes },
      (e) => {
        if (e.debug) this.log.debug(e.message);
        else report(e.message);
        if (e.decisionsReady) void this.refresh(); // the lenses show the profile build's decisions while -pgo=off builds
      },
      ac.signal,
    );
    if (this.current === ac) this.current = undefined;
    this.log.info(
      `compiler ${s.goVersion}${s.fromCache ? ' (cached build)' : ''} in ${(s.millis / 1000).toFixed(1)} s: ${s.inline.agree}/${s.inline.total} hot call sites inlined with the hot budget, ` +
        `${s.inline.explained} explained otherwise (${Object.entries(s.counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}); devirtualizations ${s.devirt.agree}/${s.devirt.total}` +
        (s.changes !== null ? `; PGO changed ${s.changes} call sites` : ''),
    );
    for (const b of s.bugs)
      this.log.error(`prediction contradicted by the compiler (please report): ${b.file}:${b.line} ${b.what} ${b.callee}: ${b.explanation}`);
    await this.refresh();
    return s;
  }

  private failed(e: unknown, loud: boolean): void {
    if (e instanceof WorkerCallError && e.wire.kind === 'cancelled') {
      this.log.info(loud ? 'compiler confirmation cancelled' : 'compiler confirmation cancelled (a newer one replaces it)');
      return;
    }
    const msg = (e as Error).message;
    this.log.error(`compiler confirmation failed: ${msg}`);
    if (loud) void vscode.window.showErrorMessage(`Go PGO Lens: the confirming build failed: ${failureText(e)}`, 'Show Log').then((a) => a && this.log.show());
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
      bins
        .map((b) => ({ label: binaryLabel(b), description: b.mainPackage, detail: b.profile, dir: b.mainDir, picked: b.id === active }))
        .sort((a, b) => Number(b.picked) - Number(a.picked)),
      { title: 'Go PGO Lens: confirm which binary with the compiler?' },
    );
    return pick?.dir;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.round++;
    this.current?.abort();
  }
}
