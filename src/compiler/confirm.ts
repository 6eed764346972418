/**
 * Compiler-confirmed decisions for one main package: plan (go list), cache lookup (whole
 * result, by the workspace packages' source hashes), build (per package from the go build cache
 * and the package store when unchanged: build.ts).
 * No `vscode` import; results are plain data (they cross the worker boundary as they are).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  goCommandEnv,
  listBuild,
  planFromListing,
  profileHash,
  refuseNonRegularGoFiles,
  type RunOptions,
  runDecisionBuild,
  type WorkspacePackage,
} from './build';
import { type DecisionCache } from './cache';
import { pgoChanges, type PgoChange } from './changes';
import type { CompilerDecisions } from './decisions';
import { readOverlay } from './overlay';
import { keptListing, type PlanSource } from './plan-cache';
import { buildEnv, fingerprintNow, lastIfUnchanged, remember, resolveGo, workFiles } from './unchanged';
import { confirmDir, defaultCacheRoot, ensurePrivateDir } from './workdir';

export interface ConfirmOptions extends RunOptions {
  /** Workspace root: its packages get the decision flags and count as "the workspace". */
  root: string;
  /** Main package directory. */
  mainDir: string;
  /** Profile path, or 'off'; default: mainDir/default.pgo when it exists (like -pgo=auto), else 'off'. */
  pgo?: string;
  cache?: DecisionCache<CompilerDecisions>;
  /** Answer from the last confirmation when none of its inputs changed (unchanged.ts; default true). */
  quick?: boolean;
  /** Take `go env` and `go list -deps` from the last run when nothing they read changed (plan-cache.ts; default true). */
  keptPlan?: boolean;
}

export interface Confirmed {
  mainPackage: string;
  mainDir: string;
  /** 'off' or the absolute profile path. */
  pgo: string;
  goVersion: string;
  decisions: CompilerDecisions;
  fromCache: boolean;
  /** The workspace packages the build compiled (what the cache entry depends on). */
  packages: WorkspacePackage[];
  /** The go command's arguments (empty when from the cache). */
  args: string[];
  /** The compiler's output (empty when from the cache). */
  output: string;
  /** Workspace packages compiled by this confirmation, and answered from the caches (both empty when from the cache). */
  compiled: string[];
  reused: string[];
  /** Compile actions the go command ran (std included; 0 when from the cache). */
  compileActions: number;
  /** Answered by the last confirmation without running go: none of its inputs changed (unchanged.ts). */
  unchanged?: boolean;
  /** Where the build plan came from: the go command, or the last run's listing (plan-cache.ts); absent when unchanged. */
  plan?: PlanSource;
}

export function defaultProfile(mainDir: string): string {
  const p = path.join(path.resolve(mainDir), 'default.pgo');
  return fs.existsSync(p) ? p : 'off';
}

export async function confirmDecisions(opts: ConfirmOptions): Promise<Confirmed> {
  const pgo = opts.pgo === undefined ? defaultProfile(opts.mainDir) : opts.pgo === 'off' ? 'off' : path.resolve(opts.pgo);
  const goEnvVars = opts.quick === false ? undefined : buildEnv(goCommandEnv(opts.env));
  // what the result is of, besides the stats: the profile (one directory serves every profile of the variant) and the go binary
  const go = resolveGo(opts.go ?? 'go', goCommandEnv(opts.env));
  const env = goEnvVars && go ? { ...goEnvVars, ' profile': pgo, ' go': go } : undefined;
  let dir: string | undefined;
  if (env) {
    const top = opts.cacheRoot ?? defaultCacheRoot();
    dir = confirmDir(top, opts.root, opts.mainDir, pgo === 'off' ? 'off' : 'pgo');
    await ensurePrivateDir(dir, top);
    const last = await lastIfUnchanged<Confirmed>(dir, env);
    if (last) {
      opts.onProgress?.({ phase: 'plan', message: 'nothing changed since the last confirmation' });
      return {
        ...last,
        fromCache: true,
        unchanged: true,
        args: [],
        output: '',
        compiled: [],
        reused: last.packages.map((p) => p.importPath),
        compileActions: 0,
      };
    }
  }
  const mainDir = path.resolve(opts.mainDir);
  const root = path.resolve(opts.root);
  refuseNonRegularGoFiles(mainDir, root);
  const goEnvAll = goCommandEnv(opts.env);
  const overlay = await readOverlay(goEnvAll, mainDir);
  const top = opts.cacheRoot ?? defaultCacheRoot();
  const variantDir = confirmDir(top, root, mainDir, pgo === 'off' ? 'off' : 'pgo');
  await ensurePrivateDir(variantDir, top);
  // one listing per workspace and main package (both variants build the same packages)
  const listed =
    opts.keptPlan === false
      ? { listing: await listBuild(mainDir, opts), source: 'listed' as const }
      : await keptListing(path.dirname(variantDir), mainDir, root, goEnvAll, overlay, opts);
  const plan = await planFromListing(mainDir, root, listed.listing, overlay);
  // the inputs' stats before the build reads them: an edit from now on makes the record stale
  const inputs = env && {
    paths: [...plan.inputs, ...(pgo === 'off' ? [] : [pgo]), ...(go ? [go] : []), path.join(plan.env.goroot, 'VERSION'), ...workFiles(plan.mainDir)],
    env,
  };
  const fp = inputs ? await fingerprintNow(inputs) : undefined;
  const deps = Object.fromEntries(plan.packages.map((p) => [p.importPath, p.hash]));
  const key = {
    goVersion: plan.env.goVersion,
    profileHash: await profileHash(pgo),
    mainPackage: plan.mainPackage,
    variant: pgo === 'off' ? 'off' : 'pgo',
    modHash: plan.modHash,
  };
  const base = { mainPackage: plan.mainPackage, mainDir: plan.mainDir, pgo, goVersion: plan.env.goVersion, packages: plan.packages };
  const cached = opts.cache?.get(key, deps);
  if (cached?.hit) return { ...base, decisions: cached.value, fromCache: true, args: [], output: '', compiled: [], reused: [], compileActions: 0 };
  const raw = await runDecisionBuild(plan, pgo, opts);
  opts.cache?.set(key, deps, raw.decisions);
  const confirmed: Confirmed = {
    ...base,
    plan: listed.source,
    decisions: raw.decisions,
    fromCache: false,
    args: raw.args,
    output: raw.text,
    compiled: raw.compiled,
    reused: raw.reused,
    compileActions: raw.compileActions,
  };
  if (dir && inputs && fp && !fp.racy && raw.stable) await remember(dir, inputs, fp.fingerprint, { ...confirmed, args: [], output: '' });
  return confirmed;
}

export interface ConfirmedChanges {
  off: Confirmed;
  withPgo: Confirmed;
  changes: PgoChange[];
}

/**
 * Builds with the profile, then with -pgo=off, and lists what differs. `onWithPgo` gets the profile
 * build's decisions as soon as they are known (the editor shows them while the -pgo=off build runs).
 */
export async function confirmPgoChanges(opts: ConfirmOptions, onWithPgo?: (withPgo: Confirmed) => void): Promise<ConfirmedChanges> {
  const pgo = opts.pgo === undefined ? defaultProfile(opts.mainDir) : opts.pgo;
  if (pgo === 'off') throw new Error(`no profile for ${opts.mainDir}: no default.pgo there (use --pgo FILE)`);
  const withPgo = await confirmDecisions({ ...opts, pgo });
  onWithPgo?.(withPgo);
  const off = await confirmDecisions({ ...opts, pgo: 'off' });
  return { off, withPgo, changes: pgoChanges(off.decisions, withPgo.decisions) };
}
