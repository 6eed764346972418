/**
 * The worker's state and request handlers, free of thread plumbing so they can be tested
 * in-process. Errors become data (`WireError`), never exceptions across the thread boundary.
 */
import { isProfileError } from '../profile/errors';
import { userError } from './errors';
import type { Args, JobArgs, JobEvent, JobName, JobResult, MethodName, Response, Result, WireError } from './protocol';
import { collectProfiles } from '../refresh/collect';
import { runBenchmark } from '../refresh/benchmark';
import { UserError } from './errors';
import { DecisionCache, PackageResults } from '../compiler/cache';
import type { BuildProgress } from '../compiler/build';
import { type Confirmed, confirmDecisions, confirmPgoChanges } from '../compiler/confirm';
import type { PgoChange } from '../compiler/changes';
import type { CompilerDecisions } from '../compiler/decisions';
import { UnknownBinaryError, WorkspaceModel } from './workspace';
import { evaluateJob, excludeEdgesJob, trimJob } from './payoff-jobs';
import { renameChecks } from './rename-uses';
import { ExplorerService } from '../explore/service';

type Handlers = { [M in MethodName]: (args: Args<M>) => Promise<Result<M>> | Result<M> };
type JobHandlers = { [J in JobName]: (args: JobArgs<J>, emit: (e: JobEvent<J>) => void, signal: AbortSignal) => Promise<JobResult<J>> };

const cancelled = (): UserError => new UserError('cancelled; nothing was written', undefined, 'cancelled');

export class Engine {
  /** The workspace (empty until openWorkspace; each openWorkspace replaces it, keeping unsaved text). */
  workspace = new WorkspaceModel();
  /** Profiles collected by jobs, kept here until `applyRefresh` uses them (the newest few). */
  private readonly kept = new Map<string, Buffer>();
  private keptSeq = 0;
  private keep(bytes: Buffer): string {
    const token = `profile-${++this.keptSeq}`;
    this.kept.set(token, bytes);
    while (this.kept.size > 16) this.kept.delete(this.kept.keys().next().value!);
    return token;
  }
  /** Compiler decisions by (Go version, profile hash, main package, variant), invalidated per package. */
  private readonly decisionCache = new DecisionCache<CompilerDecisions>();
  /** Per-package compile results by action ID (unchanged packages of a changed build; see compiler/build.ts). */
  private readonly packageResults = new PackageResults();

  /** The profile explorer's sessions (src/explore). */
  private readonly explorer = new ExplorerService(() => this.workspace);

  readonly handlers: Handlers = {
    openWorkspace: async (args) => {
      const ws = new WorkspaceModel();
      ws.adoptOverlays(this.workspace); // unsaved text survives a re-open
      await ws.open(args);
      ws.adoptConfirmations(this.workspace);
      this.workspace = ws;
      return ws.summary();
    },
    completeWorkspace: ({ stage }) => this.workspace.complete(stage),
    updateFile: ({ file, text }) => this.workspace.update(file, text),
    fileView: ({ file, binary }) => this.workspace.fileView(file, binary),
    binaryDetails: ({ binary, limit, filter, sort }) =>
      this.workspace.binaryDetails(binary, { ...(limit !== undefined ? { limit } : {}), ...(filter ? { filter } : {}), ...(sort ? { sort } : {}) }),
    rewriteProfile: ({ binary, symbols }) => this.workspace.rewrite(binary, symbols),
    renameUses: ({ binary, symbols, overlays }) => renameChecks(this.workspace.summary(), binary, symbols, overlays),
    undoRewrite: ({ binary }) => this.workspace.undoRewrite(binary),
    mainPackages: () => this.workspace.mainPackages(),
    summary: () => this.workspace.summary(),
    applyRefresh: async ({ mainDir, inputs, normalize, keepLabels }) => {
      const resolved = inputs.map((i) => {
        if (!i.token) return i;
        const bytes = this.kept.get(i.token);
        if (!bytes) throw new UserError(`the profile collected from ${i.name} is no longer available; collect it again`);
        return { name: i.name, bytes };
      });
      const r = await this.workspace.applyRefresh(mainDir, resolved, { normalize: !!normalize, keepLabels: !!keepLabels });
      for (const i of inputs) if (i.token) this.kept.delete(i.token);
      return r;
    },
    ...this.explorerHandlers(),
  };

  private explorerHandlers(): Pick<Handlers, Extract<MethodName, `explorer${string}`>> {
    const x = this.explorer;
    return {
      explorerOpen: (a) => x.open(a),
      explorerDiff: (a) => x.diff(a),
      explorerClose: ({ session }) => x.close(session),
      explorerFlame: (a) => x.flame(a),
      explorerTop: (a) => x.top(a),
      explorerDiffTable: (a) => x.diffTable(a),
      explorerNeighbors: (a) => x.neighbors(a),
      explorerSearch: (a) => x.search(a),
      explorerLocate: (a) => x.locate(a),
      explorerSymbolAt: (a) => x.symbolAt(a),
      explorerChanges: (a) => x.changes(a),
    };
  }

  /** Long-running operations (see `Jobs` in protocol.ts); they do not touch the workspace state. */
  readonly jobs: JobHandlers = {
    collect: async ({ endpoints, seconds, maxBytes }, emit, signal) => {
      this.workspace.assertTrusted('collecting profiles');
      const rs = await collectProfiles(endpoints, {
        seconds,
        signal,
        ...(maxBytes ? { maxBytes } : {}),
        onProgress: (endpoint, progress) => emit({ endpoint, progress }),
      });
      if (signal.aborted) throw cancelled();
      return rs.map((r) =>
        r.ok
          ? { endpoint: r.endpoint, ok: true as const, token: this.keep(r.bytes), size: r.bytes.length, samples: r.samples, ms: r.ms }
          : { endpoint: r.endpoint, ok: false as const, error: r.error, ms: r.ms },
      );
    },
    confirm: async ({ mainDir, changes }, emit, signal) => {
      const t0 = performance.now();
      this.workspace.assertTrusted(`building ${mainDir} with the compiler`);
      const target = this.workspace.confirmTarget(mainDir);
      const opts = {
        ...target,
        cache: this.decisionCache,
        packageResults: this.packageResults,
        signal,
        onProgress: (p: BuildProgress) =>
          emit({ message: p.message, ...(p.phase === 'command' ? { debug: true } : {}), ...(p.total ? { done: p.done ?? 0, total: p.total } : {}) }),
      };
      let confirmed: Confirmed;
      let diff: PgoChange[] | null = null;
      if (changes) {
        // The profile build first: its decisions are shown while the -pgo=off build runs.
        const r = await confirmPgoChanges(opts, (withPgo) => {
          if (signal.aborted) return;
          this.workspace.setConfirmation(mainDir, withPgo, null, performance.now() - t0, true);
          emit({ message: 'building with -pgo=off for what PGO changed', decisionsReady: true });
        });
        confirmed = r.withPgo;
        diff = r.changes;
      } else confirmed = await confirmDecisions(opts);
      if (signal.aborted) throw cancelled();
      return this.workspace.setConfirmation(mainDir, confirmed, diff, performance.now() - t0);
    },
    benchmark: async (args, emit, signal) => {
      this.workspace.assertTrusted(`running the benchmarks of ${args.pkgDir}`);
      const r = await runBenchmark({ ...args, signal, onLine: (line, stream) => emit({ line, stream }) });
      return {
        token: this.keep(r.bytes),
        size: r.bytes.length,
        importPath: r.pkg.importPath,
        isMain: r.pkg.name === 'main',
        argv: r.argv,
        benchmarks: r.benchmarks.map((b) => ({ ...b })),
        renamed: r.rewrite ? r.rewrite.renamed.length : null,
        warnings: [...r.warnings],
        samples: r.facts.samples,
      };
    },
    trim: trimJob,
    evaluate: evaluateJob,
    excludeEdges: excludeEdgesJob,
  };

  /** Runs a job; `post` carries its progress events. */
  async runJob(id: number, job: string, args: unknown, post: (event: unknown) => void, signal: AbortSignal): Promise<Response> {
    const h = (this.jobs as Record<string, ((a: unknown, emit: (e: unknown) => void, s: AbortSignal) => Promise<unknown>) | undefined>)[job];
    if (!h) return { id, ok: false, error: { kind: 'unknown-method', message: `unknown job ${job}` } };
    try {
      return { id, ok: true, value: await h(args, post, signal) };
    } catch (e) {
      return { id, ok: false, error: signal.aborted ? toWireError(cancelled()) : toWireError(e) };
    }
  }

  async handle(id: number, method: string, args: unknown): Promise<Response> {
    const h = (this.handlers as Record<string, ((a: unknown) => unknown) | undefined>)[method];
    if (!h) return { id, ok: false, error: { kind: 'unknown-method', message: `unknown method ${method}` } };
    try {
      return { id, ok: true, value: await h(args) };
    } catch (e) {
      return { id, ok: false, error: toWireError(e) };
    }
  }
}

export function toWireError(e: unknown): WireError {
  if (e instanceof UnknownBinaryError) return { kind: 'not-loaded', message: e.message };
  if (isProfileError(e)) return { kind: e.kind, message: e.message, advice: e.advice };
  const u = userError(e);
  if (u) return u;
  const err = e as Error;
  return { kind: 'internal', message: err?.stack ?? String(e) };
}
