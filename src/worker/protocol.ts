/**
 * The typed protocol between the extension host (or CLI) and the worker thread that owns the
 * engine. Both sides share these types; messages carry plain data only.
 */
import type { DetailsSort } from './details-query';
import type { EvaluateArgs as EvaluateJobArgs, EvaluateJobResult } from '../evaluate/evaluate';
import type { EdgeKey } from '../evaluate/exclude';
import type { TrimMode } from '../profile/trim';
import type { ProfileErrorKind } from '../profile/errors';
import type { HistoryInfo } from '../match/git-history';
import type { EdgeShift } from '../match/loss';
import type { UnmatchedKind } from '../match/refactor';
import type { FileView, HotFunction, HotSiteInfo } from '../match/views';
import type { CollectProgress } from '../refresh/collect';
import type { ProfileChanges } from '../refresh/changes';
import type { DiffPage, DiffQuery, Normalize } from '../explore/diff';
import type { FlameSlice } from '../explore/flame';
import type { Neighbors } from '../explore/neighbors';
import type { SearchResult } from '../explore/search';
import type { ExplorerInfo, View } from '../explore/service';
import type { TopPage, TopQuery } from '../explore/top';

export interface ProfileSummary {
  path: string;
  format: 'pprof' | 'preprofile';
  totalWeight: number;
  edgeCount: number;
  sampleType: string | null;
  /** Sample records in the file (pprof aggregates identical stacks; not the number of samples). */
  sampleCount: number;
  /** The percentage base everywhere: sum of the chosen sample type's values (pprof's "total"); the edge total for a preprofile. */
  total: number;
  durationNanos: number;
  thresholdPercent: number;
  hotCount: number;
  /** Why the compiler would ignore this profile (empty, zero weight), if it would. */
  emptyReason: string | null;
  loadMillis: number;
  fileBytes: number;
}

export interface UnmatchedInfo {
  symbol: string;
  weight: number;
  percent: number;
  reason: string;
  /** renamed / moved (with suggestion), removed, offset-drift, changed (see src/match/refactor.ts). */
  kind?: UnmatchedKind;
  suggestion?: string;
  confidence?: number;
  shift?: number;
  /** Where the editor reports it: the new declaration (renamed, moved) or the drifted function. */
  location?: { file: string; line: number; character: number } | null;
  /** Compiler decisions the mismatch loses: hot calls (inlining) and devirtualization targets. */
  lost?: string[];
  /** offset-drift: re-aligned from the file's git history ('git') or by pairing calls by callee. */
  basis?: 'git' | 'calls';
  /** The lost hot edges charged to this entry: profile offset → offset now (`to` absent when the call is gone). */
  edgeMap?: EdgeShift[];
}

export type { ChangedFunctionInfo, HistoryInfo } from '../match/git-history';

export interface RewriteResult {
  profile: string;
  backup: string;
  renamed: number;
  realigned: number;
}

/** One main package with the profile that applies to it. */
export interface BinarySummary {
  /** Stable id: the main package's directory. */
  id: string;
  mainPackage: string;
  mainDir: string;
  /** The profile file (default.pgo next to the main package, or the -pgo= override). */
  profile: string;
  summary: ProfileSummary | null;
  /** Why the profile could not be used. */
  error: WireError | null;
  /** The profile is loaded but not matched with the source yet (the first stage of a prioritised open shows heat only): matchedPercent, inlineCandidates and devirtualizations are not known. */
  matching?: boolean;
  matchedPercent: number;
  inlineCandidates: number;
  devirtualizations: number;
  unmatched: UnmatchedInfo[];
  /** Git history of the profile (null: none; `historyNote` says why). */
  history: HistoryInfo | null;
  historyNote?: string;
  /** The last compiler confirmation of this binary's predictions. */
  confirmed: ConfirmSummary | null;
}

export interface WorkspaceSummary {
  folders: string[];
  binaries: BinarySummary[];
  packages: number;
  indexMillis: number;
  /** How package import paths were found ('go list' when the go command answered). */
  pathMethod: string;
  /**
   * Only the open files' packages and the main packages with a profile (then those of the hot
   * functions) are indexed so far: `completeWorkspace` indexes the rest. Until then no unmatched
   * entries are reported (those of packages not indexed yet would be false warnings).
   */
  partial?: boolean;
}

export type { LineHeat, SiteCallee, FunctionMark, LensInfo, Confirmation, LineDetail, FileView, HotFunction, HotSiteInfo } from '../match/views';

/** One place the source still uses a renamed function's old name (0-based line and UTF-16 character). */
export interface RenameUse {
  file: string;
  line: number;
  character: number;
  /** The source line, trimmed. */
  text: string;
  /** false for a method selector `x.old`, whose receiver type is not checked (a "may" use). */
  certain: boolean;
}

/** The old-name check of one renamed profile function (src/worker/rename-uses.ts). */
export interface RenameCheck {
  symbol: string;
  suggestion: string;
  /** The first uses (at most 50); `count` is all of them. */
  uses: RenameUse[];
  count: number;
  /** Go files read. */
  files: number;
}

/** One call site whose inlining or devirtualization differs between -pgo=off and the profile. */
export interface CompilerChangeInfo {
  file: string;
  /** 0-based. */
  line: number;
  change: 'gained' | 'lost';
  kind: 'inline' | 'devirtualize';
  callee: string;
  text: string;
  /** The file was edited since the build. */
  stale: boolean;
}

export interface ConfirmSummary {
  mainPackage: string;
  goVersion: string;
  pgo: string;
  fromCache: boolean;
  /** When the build finished (ms since the epoch) and how long confirming took. */
  at: number;
  millis: number;
  inline: { agree: number; explained: number; bugs: number; total: number };
  devirt: { agree: number; bugs: number; total: number };
  counts: Record<string, number>;
  /** Predictions the compiler contradicts without an explanation. */
  bugs: Array<{ what: string; file: string; line: number; callee: string; explanation: string }>;
  /** Sites PGO changed (null: no -pgo=off build was made). */
  changes: number | null;
  /** The -pgo=off build for what PGO changed is still running (`changes` is null until it ends). */
  changesPending?: boolean;
  staleFiles: number;
}

export interface BinaryDetails {
  binary: string;
  hottestFunctions: HotFunction[];
  hotCallSites: HotSiteInfo[];
  devirtualizations: HotSiteInfo[];
  unmatched: UnmatchedInfo[];
  /** What PGO changed per the compiler (-pgo=off vs the profile), when confirmed with changes. */
  compilerChanges: CompilerChangeInfo[] | null;
  /** How many entries matched the query's filter per list (the lists hold the first `limit`). */
  totals?: { hottestFunctions: number; hotCallSites: number; devirtualizations: number; unmatched: number };
}

/** Method name → [argument, result]. */
export interface Methods {
  /**
   * Indexes the Go packages of the workspace folders, finds main packages with a default.pgo
   * (or applies `profileOverride` to all, like -pgo=FILE), loads and matches every profile.
   */
  openWorkspace: [
    {
      folders: string[];
      profileOverride?: string;
      thresholdPercent: number;
      /** false: run no go command in the folders (untrusted workspace) */ trusted?: boolean;
      /** The files the editor shows: index their packages and the main packages with a profile first, answer with a `partial` summary. */
      openFiles?: string[];
    },
    WorkspaceSummary,
  ];
  /**
   * After a partial openWorkspace (which answers heat only): 'match' matches what is indexed
   * (decisions and lenses; still partial); 'hot' indexes the packages of the profiles' hot
   * functions and re-matches (still partial); 'all' indexes every package and ends as a full open does.
   */
  completeWorkspace: [{ stage: 'match' | 'hot' | 'all' }, WorkspaceSummary];
  /**
   * Unsaved text of a Go file (null: back to the saved file); re-indexes just its package and
   * re-matches the binaries built from it. Returns the refreshed summary (`indexMillis`: this update).
   */
  updateFile: [{ file: string; text: string | null }, WorkspaceSummary];
  /** What the editor shows for a file (absolute path); `binary` picks among several. */
  fileView: [{ file: string; binary?: string }, FileView];
  /** The view's lists for one binary. */
  binaryDetails: [{ binary: string; limit?: number; filter?: string; sort?: DetailsSort }, BinaryDetails];
  /** Rewrites the binary's profile so it matches the source again (the report's suggestions, or only `symbols`). */
  rewriteProfile: [{ binary: string; symbols?: string[] }, RewriteResult];
  /** Before a rename fix: where the source still uses the old names of the renamed entries among `symbols` (all when absent); `overlays`: unsaved Go text by file. */
  renameUses: [{ binary: string; symbols?: string[]; overlays: Record<string, string> }, RenameCheck[]];
  /** Puts back the profile a rewrite replaced (its `.bak`). */
  undoRewrite: [{ binary: string }, { profile: string }];
  /** The current workspace summary (e.g. after a job changed it). */
  summary: [Record<string, never>, WorkspaceSummary];
  /** The workspace's main packages (refresh targets), with or without a profile. */
  mainPackages: [Record<string, never>, MainPackageInfo[]];
  /**
   * Merges the inputs (go tool pprof -proto semantics, start lines kept), validates the result as
   * the compiler reads it, compares it with the current profile over the current source, and
   * replaces the main package's profile atomically (the previous one kept as `.bak`).
   */
  applyRefresh: [{ mainDir: string; inputs: RefreshInput[]; normalize?: boolean; keepLabels?: boolean }, RefreshResult];
  /** Profile explorer (src/explore): opens a profile with whole stacks; `sampleIndex` as pprof's -sample_index. */
  explorerOpen: [{ path: string; sampleIndex?: string; binary?: string }, ExplorerInfo];
  /** Profile explorer: opens the difference of two profiles (`next` − `base`), normalised by total or by duration. */
  explorerDiff: [{ base: string; next: string; normalize: Normalize; sampleIndex?: string; binary?: string }, ExplorerInfo];
  explorerClose: [{ session: string }, void];
  /** The flame graph nodes at least `minFraction` of the zoom root wide (at most `maxNodes`). */
  explorerFlame: [{ session: string; view: View; root: number; minFraction: number; maxNodes: number }, FlameSlice & { scales: number[] }];
  /** A window of the top table (`go tool pprof -top`'s rows). */
  explorerTop: [{ session: string } & TopQuery, TopPage];
  /** A window of a diff session's per-function deltas. */
  explorerDiffTable: [{ session: string } & DiffQuery, DiffPage];
  /** Callers and callees of a function (pprof's edge weights); `side` 0/1 picks a diff's profile. */
  explorerNeighbors: [{ session: string; name: string; side?: number }, Neighbors];
  explorerSearch: [{ session: string; pattern: string; side?: number }, SearchResult];
  /** The declaration of a profile function (0-based line), as the overlay matches it. */
  explorerLocate: [{ session: string; name: string }, { file: string; line: number } | null];
  /** The symbol of the function around a 0-based line of a Go file. */
  explorerSymbolAt: [{ file: string; line: number }, string | null];
  /** A diff session's PGO consequences: call sites that become or stop being hot, devirtualizations that change. */
  explorerChanges: [{ session: string }, ProfileChanges];
}

/** A main package of the workspace, whether or not it has a profile yet (a refresh can create one). */
export interface MainPackageInfo {
  dir: string;
  importPath: string;
  /** The profile a refresh writes: the binary's profile, else `dir/default.pgo`. */
  profile: string;
  hasProfile: boolean;
}

export interface RefreshInput {
  /** Shown in messages (endpoint, file name, benchmark). */
  name: string;
  /** A profile a job left in the worker (its `token`), the profile bytes, or a file to read. */
  token?: string;
  bytes?: Uint8Array;
  path?: string;
}

export interface RefreshResult {
  profile: string;
  /** The previous profile, kept (null when there was none). */
  backup: string | null;
  /** What the new profile changes for the compiler, with a one-line `summary`. */
  changes: ProfileChanges;
  /** The full change report (markdown). */
  report: string;
  /** Merge and validation warnings (durations differ, few samples…). */
  warnings: string[];
  bytes: number;
}

export type CollectJobResult =
  /** `token` names the profile kept in the worker (profiles never travel through the host thread). */
  { endpoint: string; ok: true; token: string; size: number; samples: number; ms: number } | { endpoint: string; ok: false; error: string; ms: number };

export interface BenchmarkJobResult {
  /** The profile, kept in the worker for `applyRefresh`. */
  token: string;
  size: number;
  importPath: string;
  isMain: boolean;
  argv: string[];
  benchmarks: Array<{ name: string; iterations: number; nsPerOp: number }>;
  /** Test-binary names respelled as `main.` (count), null when nothing was rewritten. */
  renamed: number | null;
  warnings: string[];
  samples: number;
}

/**
 * Long-running operations: they run beside the request queue (so queries stay answered), report
 * progress events and stop when the caller cancels. Name → [argument, result, progress event].
 */
export interface Jobs {
  /** Collects CPU profiles from net/http/pprof endpoints concurrently. */
  collect: [{ endpoints: string[]; seconds: number; maxBytes?: number }, CollectJobResult[], { endpoint: string; progress: CollectProgress }];
  /**
   * Builds the main package with its profile and the compiler's decision output into a temporary
   * directory (`changes`: also with -pgo=off) and judges the binary's predictions against it.
   */
  /** Events: progress (`done` of `total` compile actions while compiling); `debug`: a go command line, for the log only. */
  /**
   * Builds with the compiler and judges the predictions; with `changes` also with -pgo=off, after the
   * profile build: an event with `decisionsReady` says the profile build's decisions are stored (lenses
   * can show them) while the -pgo=off build for "What PGO changed" runs.
   */
  confirm: [
    { mainDir: string; changes: boolean },
    ConfirmSummary,
    { message: string; debug?: boolean; done?: number; total?: number; decisionsReady?: boolean },
  ];
  /** Runs `go test -bench` with a CPU profile in a temporary directory. */
  benchmark: [
    { pkgDir: string; bench: string; benchtime?: string; count?: number; targetMainDir?: string; keepTestNames?: boolean },
    BenchmarkJobResult,
    { line: string; stream: 'stdout' | 'stderr' },
  ];
  /** Trims a profile (src/evaluate/trim.ts); with `write` it replaces the file in place, keeping `.bak`. */
  trim: [{ profile: string; mode: TrimMode; write: boolean }, TrimJobResult, { message: string }];
  /** What PGO buys and costs for a main package (src/evaluate/evaluate.ts). */
  evaluate: [EvaluateJobArgs, EvaluateJobResult, { message: string }];
  /** Hides hot edges from a profile in place (keeping `.bak`), see src/evaluate/exclude.ts. */
  excludeEdges: [
    { profile: string; edges: EdgeKey[] },
    { samplesDropped: number; weightBefore: number; weightAfter: number; backup: string },
    { message: string },
  ];
}

export interface TrimJobResult {
  inputBytes: number;
  outputBytes: number;
  ratio: number;
  description: string;
  /** The backup path when written. */
  backup: string | null;
}

export type { EvaluateJobArgs, EvaluateJobResult };

export type JobName = keyof Jobs;
export type JobArgs<J extends JobName> = Jobs[J][0];
export type JobResult<J extends JobName> = Jobs[J][1];
export type JobEvent<J extends JobName> = Jobs[J][2];

export interface JobRequest<J extends JobName = JobName> {
  id: number;
  job: J;
  args: JobArgs<J>;
}

/** Host → worker: stop a running job. */
export interface CancelRequest {
  cancel: number;
}

/** Worker → host: a job's progress. */
export interface JobEventMessage {
  id: number;
  event: unknown;
}

export type MethodName = keyof Methods;
export type Args<M extends MethodName> = Methods[M][0];
export type Result<M extends MethodName> = Methods[M][1];

export interface Request<M extends MethodName = MethodName> {
  id: number;
  method: M;
  args: Args<M>;
  /**
   * Supersession key: a request still waiting in the worker's queue when a newer one with the same
   * key arrives is not run (it is answered with kind 'superseded'); the newer one takes its place.
   */
  key?: string;
}

export interface WireError {
  /** A ProfileError kind, or 'internal' for bugs, or 'unknown-method'. */
  kind: ProfileErrorKind | 'internal' | 'unknown-method' | 'not-loaded' | 'cancelled' | 'failed' | 'superseded';
  message: string;
  advice?: string;
}

export type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** Percentages as `go tool pprof` writes them: the one formatting both sides of the boundary show. */
export { formatPercent, NO_SAMPLES } from '../pgo/percent';
