/**
 * The build plan's go commands (`go env` and `go list -deps -json`, build.ts listBuild) answered
 * from the last run's listing while nothing they read changed: an edit inside a function body
 * needs neither. The listing is kept in the stable directory of the workspace and main package
 * (workdir.ts) with what it depends on:
 *
 * - a key over the build environment (GO*, CGO_*, CC, CXX, PATH; GOFLAGS with its `-overlay`
 *   file's text), the go binary's stat, and the contents of `$GOROOT/VERSION`, `$GOROOT/go.env`,
 *   the go environment file, every go.work from the main package up, and the workspace modules'
 *   go.mod, go.sum and vendor/modules.txt;
 * - the entries of every workspace package directory and of each directory between it and its
 *   module root (a file added or removed, a new go.mod splitting a module);
 * - every file of the workspace packages, compiled or left out by build constraints (through the
 *   overlay): unchanged by stat, or, for a `.go` file, with the same head (listing-head.ts: build
 *   constraints, package clause, imports, `//go:embed` lines). Any other file that changed, or a
 *   stat too recent to trust (within RACY_MS of the record), is read again.
 *
 * Not kept at all: a package with `//go:embed` patterns (a file added deep in an embedded tree
 * changes no directory we watch) or GOFLAGS with `-modfile`. Not covered, as for unchanged.ts:
 * standard library and module cache sources (read-only; another Go changes the binary's stat).
 *
 * No `vscode` import. Uses the disk.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type GoEnv, type ListedPackage, type Listing, listBuild, packageFiles, type RunOptions, workspaceListed } from './build';
import { listingHead } from './listing-head';
import { effectiveFile, type Overlay } from './overlay';
import { resolveGo, workFiles } from './unchanged';

/** Bump when the record's shape or what it covers changes. */
const VERSION = 2;
const FILE = 'plan.json';
const RACY_MS = 2000;

interface FileMark {
  /** The file as listed (its directory and name); `read` is what the build reads (overlay). */
  file: string;
  read: string;
  stat: string;
  /** sha256 of its listing head (`.go` files only). */
  head?: string;
}

interface PlanRecord {
  v: number;
  at: number;
  key: string;
  keyPaths: string[];
  dirs: Record<string, string[]>;
  files: FileMark[];
  listing: Listing;
}

export type PlanSource = 'kept' | 'listed';

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

async function statMark(file: string): Promise<{ mark: string; mtimeMs: number } | undefined> {
  if (file === '') return undefined;
  try {
    const st = await fs.promises.stat(file, { bigint: true });
    return {
      mark: `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.mode}`,
      mtimeMs: Number((st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs) / 1_000_000n),
    };
  } catch {
    return undefined;
  }
}

async function headOf(file: string): Promise<string | undefined> {
  if (file === '') return undefined;
  try {
    return sha(listingHead(await fs.promises.readFile(file, 'utf8')));
  } catch {
    return undefined;
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return (await fs.promises.readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** The environment entries that change what go env and go list answer (sorted), with the go binary. */
function keyEnv(env: NodeJS.ProcessEnv, go: string): string {
  const out: Record<string, string> = { ' go': go };
  for (const k of Object.keys(env).sort())
    if (/^(?:GO|CGO_)/.test(k) || k === 'CC' || k === 'CXX' || k === 'PATH' || k === 'HOME' || k === 'XDG_CONFIG_HOME') {
      const v = env[k];
      if (v !== undefined) out[k] = v;
    }
  return JSON.stringify(out);
}

async function computeKey(envKey: string, overlay: Overlay | undefined, keyPaths: string[], goBinary: string): Promise<string> {
  const h = createHash('sha256');
  h.update(`v${VERSION}\0${envKey}\0${overlay?.text ?? ''}\0${(await statMark(goBinary))?.mark ?? 'missing'}\0`);
  const texts = await Promise.all(keyPaths.map((p) => fs.promises.readFile(p).catch(() => undefined)));
  keyPaths.forEach((p, i) => {
    const t = texts[i];
    h.update(`${p}\0`);
    h.update(t === undefined ? '\0missing\0' : sha(t));
    h.update('\0');
  });
  return h.digest('hex');
}

/** The files whose contents the listing depends on besides the sources (see the file comment). */
function keyPathsOf(mainDir: string, env: GoEnv, mine: ListedPackage[]): string[] {
  const out = new Set<string>([path.join(env.goroot, 'VERSION'), path.join(env.goroot, 'go.env'), ...workFiles(mainDir)]);
  if (env.goenv && env.goenv !== 'off') out.add(env.goenv);
  for (const p of mine) {
    const gm = p.Module?.GoMod;
    if (!gm) continue;
    out.add(gm);
    out.add(path.join(path.dirname(gm), 'go.sum'));
    out.add(path.join(path.dirname(gm), 'vendor', 'modules.txt'));
  }
  return [...out].sort();
}

/** Package directories and the directories up to their module roots. */
function watchedDirs(mine: ListedPackage[]): string[] {
  const out = new Set<string>();
  for (const p of mine) {
    const top = p.Module?.Dir ? path.resolve(p.Module.Dir) : undefined;
    for (let d = path.resolve(p.Dir!); ; d = path.dirname(d)) {
      out.add(d);
      if (!top || d === top || path.dirname(d) === d || !d.startsWith(top)) break;
    }
  }
  return [...out].sort();
}

/**
 * An input whose modification time is this close to the go command's start (or later) may have
 * changed while go read it: nothing is kept then. (File times come from a clock that advances per
 * kernel tick, a few milliseconds; a file saved just before the confirmation started is kept.)
 */
const DURING_MS = 20;

/**
 * Keeps `listing` (listed from `at` on) with what it depends on; nothing is kept when an input
 * changed since shortly before `at` (the go command may have read another version of it).
 */
async function record(
  dir: string,
  at: number,
  mainDir: string,
  root: string,
  listing: Listing,
  overlay: Overlay | undefined,
  envKey: string,
  goBinary: string,
): Promise<void> {
  const mine = workspaceListed(listing, root);
  if (mine.some((p) => (p.EmbedPatterns ?? []).length > 0)) return forgetPlan(dir);
  const keyPaths = keyPathsOf(mainDir, listing.env, mine);
  const dirs = watchedDirs(mine);
  const names = mine.flatMap((p) => [...packageFiles(p), ...(p.IgnoredGoFiles ?? []), ...(p.IgnoredOtherFiles ?? [])].map((f) => path.join(p.Dir!, f)));
  const files = await Promise.all(
    names.map(async (file): Promise<FileMark & { newest: number }> => {
      const read = effectiveFile(overlay, file);
      const st = await statMark(read);
      const head = file.endsWith('.go') ? await headOf(read) : undefined;
      return { file, read, stat: st?.mark ?? 'missing', ...(head ? { head } : {}), newest: st?.mtimeMs ?? 0 };
    }),
  );
  const dirStats = await Promise.all([...dirs, ...keyPaths].map((d) => statMark(d)));
  const newest = Math.max(0, ...files.map((f) => f.newest), ...dirStats.map((s) => s?.mtimeMs ?? 0));
  if (newest >= at - DURING_MS) return forgetPlan(dir);
  const rec: PlanRecord = {
    v: VERSION,
    at,
    key: await computeKey(envKey, overlay, keyPaths, goBinary),
    keyPaths,
    dirs: Object.fromEntries(await Promise.all(dirs.map(async (d) => [d, await entries(d)] as const))),
    files: files.map(({ newest: _, ...f }) => f),
    listing,
  };
  const file = path.join(dir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(tmp, JSON.stringify(rec), { mode: 0o600 });
  await fs.promises.rename(tmp, file);
}

/** The kept listing when nothing it depends on changed (undefined otherwise). */
async function lookup(dir: string, envKey: string, overlay: Overlay | undefined, goBinary: string): Promise<Listing | undefined> {
  let r: PlanRecord;
  try {
    r = JSON.parse(await fs.promises.readFile(path.join(dir, FILE), 'utf8')) as PlanRecord;
  } catch {
    return undefined;
  }
  if (r.v !== VERSION || !Array.isArray(r.keyPaths) || !Array.isArray(r.files) || typeof r.dirs !== 'object' || !r.listing) return undefined;
  if ((await computeKey(envKey, overlay, r.keyPaths, goBinary)) !== r.key) return undefined;
  const dirsSame = await Promise.all(Object.entries(r.dirs).map(async ([d, names]) => (await entries(d)).join('\0') === names.join('\0')));
  if (dirsSame.includes(false)) return undefined;
  const filesSame = await Promise.all(
    r.files.map(async (f) => {
      const read = effectiveFile(overlay, f.file);
      if (read !== f.read) return false;
      const st = await statMark(read);
      if ((st?.mark ?? 'missing') === f.stat && (st === undefined || st.mtimeMs < r.at - RACY_MS)) return true;
      return f.head !== undefined && (await headOf(read)) === f.head;
    }),
  );
  return filesSame.includes(false) ? undefined : r.listing;
}

/** Drops the kept listing. */
export async function forgetPlan(dir: string): Promise<void> {
  await fs.promises.rm(path.join(dir, FILE), { force: true });
}

/**
 * `go env` + `go list -deps -json` of mainDir, from the record in `dir` when nothing it depends on
 * changed, else from the go command (and kept for the next time). `env`: the go commands' environment.
 */
export async function keptListing(
  dir: string,
  mainDir: string,
  root: string,
  env: NodeJS.ProcessEnv,
  overlay: Overlay | undefined,
  opts: RunOptions,
): Promise<{ listing: Listing; source: PlanSource }> {
  const go = resolveGo(opts.go ?? 'go', env);
  const usable = go !== undefined && !/(?:^|\s)--?modfile\b/.test(env['GOFLAGS'] ?? '');
  const envKey = keyEnv(env, go ?? '');
  if (usable) {
    const kept = await lookup(dir, envKey, overlay, go);
    if (kept) return { listing: kept, source: 'kept' };
  }
  const at = Date.now();
  const listing = await listBuild(mainDir, opts);
  if (usable) await record(dir, at, mainDir, root, listing, overlay, envKey, go);
  return { listing, source: 'listed' };
}
