/**
 * What the last decision build of a stable directory was made of, to skip go commands whose answer
 * is known (build.ts):
 *
 * - The `-n` dry run ("package N of M", and all-cached answers without replaying output) only
 *   pays when nothing changed. When the last build had the same arguments, profile and Go, and
 *   some workspace package's source hash differs, the go command will compile, so the dry run is
 *   skipped and M is the changed packages and everything that imports them (an upper bound: an
 *   importer whose dependencies' export data stay the same comes from the cache).
 * - The profile warm-up (build.ts cachePreprocessedProfile) is skipped when it ran for the same
 *   profile contents, Go and build cache. If the go build cache lost the preprocessed profile
 *   since, the go command compiles without `-pgoprofile`; build.ts sees that on the first compile
 *   line, stops, warms up and builds again under new flags (a new JSON directory), so a compile
 *   made without the profile is never answered from the cache later.
 *
 * A wrong record costs time, never a decision: the go command decides what it compiles.
 * No `vscode` import. Uses the disk.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const LAST = 'last-build.json';
const WARM = 'warm-profile.json';

export interface LastBuild {
  /** buildKey of the build. */
  key: string;
  /** Import path → source hash of the workspace packages it built. */
  hashes: Record<string, string>;
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** What besides the sources makes a build: the go command's arguments (flags, JSON directory), the profile's contents, the Go version. */
export function buildKey(args: readonly string[], profileHash: string, goVersion: string): string {
  return sha(JSON.stringify([args, profileHash, goVersion]));
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.promises.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
  await fs.promises.rename(tmp, file);
}

export async function readLastBuild(dir: string): Promise<LastBuild | undefined> {
  const r = await readJson<LastBuild>(path.join(dir, LAST));
  return r && typeof r.key === 'string' && r.hashes && typeof r.hashes === 'object' ? r : undefined;
}

export function writeLastBuild(dir: string, last: LastBuild): Promise<void> {
  return writeJson(path.join(dir, LAST), last);
}

/**
 * The workspace packages whose source changed since `last` (new ones included), or undefined when
 * `last` is not a build of the same key (cold, other flags, another profile or Go).
 */
export function changedSince(last: LastBuild | undefined, key: string, hashes: Record<string, string>): string[] | undefined {
  if (!last || last.key !== key) return undefined;
  return Object.keys(hashes)
    .filter((p) => last.hashes[p] !== hashes[p])
    .sort();
}

/** How many packages can recompile after `changed` changed: those and every package importing one of them, directly or not. */
export function recompileBound(imports: Record<string, string[]>, changed: readonly string[]): number {
  const importers = new Map<string, string[]>();
  for (const [p, deps] of Object.entries(imports)) for (const d of deps) importers.set(d, [...(importers.get(d) ?? []), p]);
  const seen = new Set(changed);
  const todo = [...changed];
  for (let p = todo.pop(); p !== undefined; p = todo.pop())
    for (const q of importers.get(p) ?? [])
      if (!seen.has(q)) {
        seen.add(q);
        todo.push(q);
      }
  return seen.size;
}

/** The warm-up's key: the profile (path and contents), the Go version, the go build cache and the go binary. */
export function warmKey(pgo: string, profileHash: string, goVersion: string, gocache: string, go: string): string {
  return sha(JSON.stringify([pgo, profileHash, goVersion, gocache, go]));
}

export async function isWarm(dir: string, key: string): Promise<boolean> {
  return (await readJson<{ key?: unknown }>(path.join(dir, WARM)))?.key === key;
}

export function markWarm(dir: string, key: string): Promise<void> {
  return writeJson(path.join(dir, WARM), { key });
}

export async function forgetWarm(dir: string): Promise<void> {
  await fs.promises.rm(path.join(dir, WARM), { force: true });
}
