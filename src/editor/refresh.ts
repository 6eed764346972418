/**
 * "Refresh Profile…": collect from running services, run a benchmark, or pick profile files;
 * merge, validate, write the main package's profile atomically (in the worker), reload, and say
 * what changed. Everything here is UI: progress, cancellation, questions. The work is the
 * worker's `collect` / `benchmark` jobs and its `applyRefresh` call.
 *
 * Nothing is fetched, run or written in an untrusted workspace.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type WorkerClient, WorkerCallError } from '../worker/client';
import type { CollectJobResult, MainPackageInfo, RefreshInput, RefreshResult } from '../worker/protocol';
import { readRefreshSettings, type RefreshSettings } from './config';
import { failureText } from './failures';
import type { ReportDocuments } from './reports';

/** Arguments of the `pgoLens.refreshProfile` command (all optional: what is missing is asked). */
export interface RefreshArgs {
  source?: 'services' | 'benchmark' | 'files';
  /** The main package directory whose profile is replaced. */
  mainDir?: string;
  endpoints?: string[];
  seconds?: number;
  files?: string[];
  /** Benchmark package directory, `-bench` pattern, `-benchtime`. */
  package?: string;
  pattern?: string;
  benchtime?: string;
  /** Merge what succeeded without asking when some endpoints fail. */
  proceedOnFailure?: boolean;
}

export class RefreshFlow implements vscode.Disposable {
  private readonly benchOutput: vscode.OutputChannel;
  private running = false;
  /** The last refresh's report, reopened by *Show Profile Changes*. */
  private last: { name: string; report: string; base: string } | undefined;

  constructor(
    private readonly client: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
    /** Runs our write of a profile and reloads once (the file watcher does not reload again for it). */
    private readonly ownWrite: <T extends { profile: string }>(why: string, write: () => Promise<T>) => Promise<T>,
    private readonly undo: (mainDir: string) => Promise<void>,
    private readonly reports: ReportDocuments,
  ) {
    this.benchOutput = vscode.window.createOutputChannel('Go PGO Lens: Benchmark');
  }

  async run(args: RefreshArgs = {}): Promise<RefreshResult | undefined> {
    if (!vscode.workspace.isTrusted) {
      const a = await vscode.window.showWarningMessage(
        'Go PGO Lens: profiles are not refreshed in an untrusted workspace (nothing is fetched, run or written there).',
        'Manage Workspace Trust',
      );
      if (a) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    if (this.running) {
      void vscode.window.showInformationMessage('Go PGO Lens: a profile refresh is already running.');
      return undefined;
    }
    this.running = true;
    try {
      return await this.runTrusted(args);
    } catch (e) {
      if (e instanceof WorkerCallError && e.wire.kind === 'cancelled') {
        this.log.info(`profile refresh cancelled; nothing was written`);
        void vscode.window.showInformationMessage('Go PGO Lens: refresh cancelled; the profile is unchanged.');
      } else {
        this.log.error(`profile refresh failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        void vscode.window
          .showErrorMessage(`Go PGO Lens: refresh failed; the profile is unchanged. ${failureText(e)}`, 'Show Log')
          .then((a) => a && this.log.show());
      }
      return undefined;
    } finally {
      this.running = false;
    }
  }

  private async runTrusted(args: RefreshArgs): Promise<RefreshResult | undefined> {
    const mains = await this.client.call('mainPackages', {});
    if (mains.length === 0) {
      void vscode.window.showErrorMessage('Go PGO Lens: no main package in this workspace; a PGO profile belongs next to one.');
      return undefined;
    }
    const target = await this.pickTarget(mains, args.mainDir);
    if (!target) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target.dir));
    const settings = readRefreshSettings(folder?.uri);
    const source = args.source ?? (await this.pickSource(settings));
    if (!source) return undefined;
    let inputs: RefreshInput[] | undefined;
    if (source === 'services') inputs = await this.fromServices(args, settings, folder);
    else if (source === 'benchmark') inputs = await this.fromBenchmark(args, settings, target, folder);
    else inputs = await this.fromFiles(args, target);
    if (!inputs || inputs.length === 0) return undefined;

    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Go PGO Lens: merging and checking ${inputs.length} profile(s), then reloading…` },
      () => this.ownWrite('profile refreshed', () => this.client.call('applyRefresh', { mainDir: target.dir, inputs, normalize: settings.normalize })),
    );
    this.log.info(
      `refreshed ${result.profile} from ${inputs.map((i) => i.name).join(', ')}: ${result.bytes} bytes; ${result.changes.summary}` +
        (result.backup ? `; previous profile kept as ${result.backup}` : ''),
    );
    for (const w of result.warnings) this.log.warn(w);
    this.log.info(result.report);
    const folder0 = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target.dir));
    this.last = { name: `${path.basename(target.dir)}-profile-changes.md`, report: result.report, base: folder0?.uri.fsPath ?? target.dir };
    void vscode.commands.executeCommand('setContext', 'pgoLens.hasChanges', true);
    const actions = ['Show Changes', ...(result.backup ? ['Undo'] : [])];
    void vscode.window
      .showInformationMessage(
        `Go PGO Lens: ${path.basename(result.profile)} refreshed — ${result.changes.summary}${result.warnings.length ? ` (${result.warnings.length} warning(s), see the log)` : ''}`,
        ...actions,
      )
      .then(async (a) => {
        if (a === 'Show Changes') await this.showChanges();
        else if (a === 'Undo') await this.undo(target.dir);
      });
    return result;
  }

  /** Opens the last refresh's changes read-only (a `pgo-lens:` document with `file:line` links). */
  async showChanges(): Promise<vscode.TextDocument | undefined> {
    if (!this.last) {
      void vscode.window.showInformationMessage('Go PGO Lens: no profile was refreshed in this session, so there are no changes to show.');
      return undefined;
    }
    return this.reports.show(this.last.name, this.last.report, this.last.base);
  }

  private async pickTarget(mains: MainPackageInfo[], mainDir: string | undefined): Promise<MainPackageInfo | undefined> {
    if (mainDir) {
      const m = mains.find((x) => path.resolve(x.dir) === path.resolve(mainDir));
      if (!m) throw new Error(`${mainDir} is not a main package of the workspace`);
      return m;
    }
    if (mains.length === 1) return mains[0];
    const active = vscode.window.activeTextEditor?.document.uri.fsPath;
    const items = mains.map((m) => ({
      label: m.importPath,
      description: vscode.workspace.asRelativePath(m.dir),
      detail: `${m.hasProfile ? 'replaces' : 'creates'} ${vscode.workspace.asRelativePath(m.profile)} — applies to go build of ${m.importPath}`,
      picked: !!active && path.dirname(active) === m.dir,
      m,
    }));
    items.sort((a, b) => Number(b.picked) - Number(a.picked));
    const pick = await vscode.window.showQuickPick(items, { title: 'Go PGO Lens: refresh the profile of which main package?' });
    return pick?.m;
  }

  private async pickSource(s: RefreshSettings): Promise<RefreshArgs['source']> {
    const items: Array<vscode.QuickPickItem & { source: NonNullable<RefreshArgs['source']> }> = [
      {
        label: '$(server-process) From running services',
        detail: s.endpoints.length
          ? `${s.endpoints.length} endpoint(s), ${s.seconds} s each: ${s.endpoints.join(', ')}`
          : 'No endpoints configured (pgoLens.refresh.endpoints): enter them next',
        source: 'services',
      },
      {
        label: '$(beaker) From a benchmark',
        detail: `go test -run='^$' -bench=${s.benchmarkPattern}${s.benchmarkBenchtime ? ` -benchtime=${s.benchmarkBenchtime}` : ''} -cpuprofile in ${s.benchmarkPackage || 'a package you choose'}`,
        source: 'benchmark',
      },
      { label: '$(files) From profile files', detail: 'Merge CPU profiles (.pprof, .pb.gz) you pick', source: 'files' },
    ];
    return (await vscode.window.showQuickPick(items, { title: 'Go PGO Lens: refresh the profile from…' }))?.source;
  }

  // ---- services

  private async fromServices(args: RefreshArgs, s: RefreshSettings, folder: vscode.WorkspaceFolder | undefined): Promise<RefreshInput[] | undefined> {
    let endpoints = args.endpoints ?? s.endpoints;
    if (endpoints.length === 0) {
      const typed = await vscode.window.showInputBox({
        title: 'Go PGO Lens: profile endpoints',
        prompt: 'Comma-separated: http(s)://host:port/debug/pprof/profile or host:port',
        placeHolder: '127.0.0.1:6060, 10.0.0.7:6060',
        ignoreFocusOut: true,
      });
      endpoints = (typed ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
      if (endpoints.length === 0) return undefined;
      void vscode.window.showInformationMessage('Go PGO Lens: save these endpoints in the workspace settings?', 'Save').then((a) => {
        if (a) void vscode.workspace.getConfiguration('pgoLens', folder?.uri).update('refresh.endpoints', endpoints, vscode.ConfigurationTarget.Workspace);
      });
    }
    const seconds = args.seconds ?? s.seconds;
    this.log.info(`collecting ${seconds} s CPU profiles from ${endpoints.join(', ')}`);
    // One job per endpoint: each has its own progress notification and its own Cancel.
    const results = await Promise.all(endpoints.map((ep) => this.collectOne(ep, seconds, s.maxBytes)));
    const good = results.filter((r): r is Extract<CollectJobResult, { ok: true }> => r.ok);
    const bad = results.filter((r): r is Extract<CollectJobResult, { ok: false }> => !r.ok);
    for (const r of bad) this.log.warn(`${r.endpoint}: ${r.error}`);
    if (good.length === 0) throw new Error(`no endpoint returned a profile: ${bad.map((r) => `${r.endpoint}: ${r.error}`).join('; ')}`);
    if (bad.length > 0 && !args.proceedOnFailure) {
      const go = `Merge ${good.length} profile(s)`;
      const a = await vscode.window.showWarningMessage(
        `Go PGO Lens: ${good.length} of ${results.length} endpoints returned a profile.`,
        { modal: true, detail: bad.map((r) => `${r.endpoint}: ${r.error}`).join('\n') },
        go,
      );
      if (a !== go) return undefined;
    }
    return good.map((g) => ({ name: g.endpoint, token: g.token }));
  }

  private collectOne(endpoint: string, seconds: number, maxBytes: number): Thenable<CollectJobResult> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Profiling ${endpoint}`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        let timer: NodeJS.Timeout | undefined;
        let elapsed = 0;
        try {
          const [r] = await this.client.job(
            'collect',
            { endpoints: [endpoint], seconds, maxBytes },
            ({ progress: p }) => {
              if (p.phase === 'connecting') progress.report({ message: 'connecting…' });
              else if (p.phase === 'profiling' && !timer) {
                timer = setInterval(() => {
                  elapsed = Math.min(seconds, elapsed + 1);
                  progress.report({ increment: 100 / seconds, message: `${elapsed} of ${seconds} s` });
                }, 1000);
              } else if (p.phase === 'receiving') progress.report({ message: `receiving ${(p.bytes / 1024).toFixed(0)} KiB` });
            },
            ac.signal,
          );
          return r!;
        } catch (e) {
          if (e instanceof WorkerCallError && e.wire.kind === 'cancelled') return { endpoint, ok: false, error: 'cancelled', ms: 0 };
          throw e;
        } finally {
          clearInterval(timer);
        }
      },
    );
  }

  // ---- benchmark

  private async fromBenchmark(
    args: RefreshArgs,
    s: RefreshSettings,
    target: MainPackageInfo,
    folder: vscode.WorkspaceFolder | undefined,
  ): Promise<RefreshInput[] | undefined> {
    let pkgDir = args.package ?? (s.benchmarkPackage ? path.resolve(folder?.uri.fsPath ?? target.dir, s.benchmarkPackage) : undefined);
    if (!pkgDir) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        defaultUri: vscode.Uri.file(target.dir),
        openLabel: 'Run Its Benchmarks',
        title: 'Go PGO Lens: package whose benchmarks to profile',
      });
      pkgDir = picked?.[0]?.fsPath;
      if (!pkgDir) return undefined;
    }
    const pattern = args.pattern ?? s.benchmarkPattern;
    const benchtime = args.benchtime ?? s.benchmarkBenchtime;
    const out = this.benchOutput;
    out.clear();
    out.show(true);
    out.appendLine(`# go test -run='^$' -bench=${pattern}${benchtime ? ` -benchtime=${benchtime}` : ''} -cpuprofile=… in ${pkgDir}`);
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Benchmarking ${vscode.workspace.asRelativePath(pkgDir)}`, cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return this.client.job(
          'benchmark',
          { pkgDir, bench: pattern, ...(benchtime ? { benchtime } : {}), targetMainDir: target.dir },
          ({ line }) => {
            out.appendLine(line);
            if (/^Benchmark/.test(line)) progress.report({ message: line.split(/\s+/)[0] });
          },
          ac.signal,
        );
      },
    );
    out.appendLine(`# ${r.samples} samples from ${r.benchmarks.length} benchmark result(s)`);
    if (r.renamed !== null) {
      const m = `the benchmarked package is a main package, profiled as a test binary under its import path ${r.importPath}; ${r.renamed} function name(s) were respelled as main.* so the profile matches go build`;
      out.appendLine(`# ${m}`);
      this.log.info(m);
    }
    for (const w of r.warnings) {
      out.appendLine(`# warning: ${w}`);
      this.log.warn(w);
    }
    return [{ name: `benchmarks of ${r.importPath}`, token: r.token }];
  }

  // ---- files

  private async fromFiles(args: RefreshArgs, target: MainPackageInfo): Promise<RefreshInput[] | undefined> {
    let files = args.files;
    if (!files) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: true,
        defaultUri: vscode.Uri.file(target.dir),
        openLabel: 'Merge',
        title: 'Go PGO Lens: CPU profiles to merge',
        filters: { 'CPU profiles': ['pprof', 'pb.gz', 'prof', 'pgo', 'gz', 'out'], 'All files': ['*'] },
      });
      files = picked?.map((u) => u.fsPath);
    }
    if (!files || files.length === 0) return undefined;
    return files.map((f) => ({ name: path.basename(f), path: f }));
  }

  dispose(): void {
    this.benchOutput.dispose();
  }
}
