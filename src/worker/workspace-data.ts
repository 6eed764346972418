/** The workspace model's records (packages, binaries) and the pure helpers its parts share. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProfileFile } from '../pgo/load';
import { profileTotal } from '../pgo/percent';
import { hotSet, type HotSet, type PgoProfile } from '../pgo/model';
import { isProfileError } from '../profile/errors';
import { ConfirmState } from './confirm';
import { type PackageIndex, PackageIndexer, splitSymbol } from '../source/index';
import { escapeModulePath, type GoEnvInfo } from '../source/packages';
import { type IndexedTreePackage } from '../source/symbols';
import { type BinaryMatch, MatchCache } from '../match/match';
import { type MatchBasis } from './match-basis';
import { profileData, type ProfileData } from '../match/profile-data';
import { ProfileHistory } from '../match/git-history';
import type { BinarySummary, ChangedFunctionInfo, ProfileSummary, WireError } from './protocol';

/** A loaded profile with its tables (shared by binaries using the same file) and its summary. */
export interface LoadedProfileData extends ProfileData {
  summary: ProfileSummary;
}

export interface Pkg {
  dir: string;
  importPath: string;
  symbolPath: string;
  method: string;
  /** The workspace folder the package was found under; null for packages indexed on demand. */
  folder: string | null;
  /** File names in the build. */
  files: Set<string>;
  /**
   * The incremental indexer while the package is warm (viewed or edited lately); null when cold.
   * Warm packages keep every file's tokens and syntax (about 25 bytes per source character), so
   * only the most recently used ones stay warm (`WARM_BUDGET_CHARS`).
   */
  indexer: PackageIndexer | null;
  index: PackageIndex;
  /** Source characters (known once warm). */
  size: number;
  lastUse: number;
  /** Per profile path: compiler copies of inlined closures → the closure's symbol (by start line). */
  copies: Map<string, Map<string, string>>;
}

export interface Binary {
  id: string;
  folder: string;
  mainDir: string;
  mainPackage: string;
  profilePath: string;
  data: LoadedProfileData | null;
  error: WireError | null;
  match: BinaryMatch | null;
  /** What `match` was computed from (match-basis.ts): an edit keeps the match only while all of it stands. */
  basis: MatchBasis<Pkg> | null;
  /** Matches of this binary's profile against packages outside its folder, by directory, with the package and index each was computed from. */
  external: Map<string, ExternalMatch>;
  /** The profile's git history (trusted workspaces), or why there is none. */
  history: ProfileHistory | string | null;
  /** Profiled functions edited since the profile's commit (follows `match`). */
  changed: ChangedFunctionInfo[];
  /** The last compiler confirmation (a `confirm` job). */
  confirm: ConfirmState | null;
  /** What the binary's matches keep between edits. */
  cache: MatchCache;
}

/** A binary's match of one package outside its folder (`matchFor`): valid while the package and its index are the ones recorded. */
export interface ExternalMatch {
  pkg: Pkg;
  index: PackageIndex;
  match: BinaryMatch;
}

/** binaryDetails for an id that is not a binary of the open workspace. */
export class UnknownBinaryError extends Error {
  override readonly name = 'UnknownBinaryError';
}

/** Source characters of warm packages kept beyond the most recently used one. */
export const WARM_BUDGET_CHARS = 6_000_000;
/** Packages outside the workspace indexed for views, kept (most recently used first). */
export const ON_DEMAND_MAX = 32;

export interface OpenOptions {
  folders: string[];
  profileOverride?: string;
  thresholdPercent: number;
  trusted?: boolean;
  /** Use git history (default true; never in an untrusted workspace). */
  history?: boolean;
  /**
   * The files the editor shows: when given (and no override), `open` indexes only their packages
   * and the main packages with a default.pgo, and answers with a partial summary; `complete`
   * indexes the rest.
   */
  openFiles?: string[];
}

/** What a prioritised open still has to do. */
export interface Pending {
  /** Per folder: the directories holding a default.pgo. */
  profileDirs: Map<string, string[]>;
  openDirs: string[];
  hot?: Promise<void>;
  all?: Promise<void>;
}

export function newPkg(p: IndexedTreePackage, folder: string): Pkg {
  return {
    dir: p.dir,
    importPath: p.importPath,
    symbolPath: p.symbolPath,
    method: p.method,
    folder,
    files: new Set(p.files),
    indexer: null,
    index: p.index,
    size: 0,
    lastUse: 0,
    copies: new Map(),
  };
}

/** Whether `./...` in folder reaches dir: under it, and not through testdata, vendor, hidden or `_` directories. */
export function listedUnder(folder: string, dir: string): boolean {
  const rel = path.relative(folder, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return rel.split(path.sep).every((s) => s === '' || !(s === 'testdata' || s === 'vendor' || s.startsWith('.') || s.startsWith('_')));
}

const prefixCache = new WeakMap<PackageIndex, string[]>();

/** The symbol prefixes a package defines: its own and those of `//go:linkname` symbols. */
export function symbolPrefixes(ix: PackageIndex): string[] {
  let list = prefixCache.get(ix);
  if (!list) {
    const set = new Set([ix.symbolPrefix]);
    for (const f of ix.funcs) if (f.linkname) set.add(splitSymbol(f.symbol).prefix);
    list = [...set];
    prefixCache.set(ix, list);
  }
  return list;
}

/** Whether binary b is built from workspace package pkg. */
export function builtFrom(b: Binary, pkg: Pkg): boolean {
  if (pkg.folder !== b.folder) return false;
  return pkg.symbolPath !== 'main' || pkg.dir === b.mainDir;
}

/** Directory the match's relative file names are relative to. */
export function pkgRoot(b: Binary, pkg: Pkg): string {
  return pkg.folder === b.folder ? b.folder : pkg.dir;
}

export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The local file of a profile's file name: as is if it exists, else re-rooted under this GOROOT
 * (`/other/go/src/strconv/ftoa.go`, or `strconv/ftoa.go` from a -trimpath build), else in the
 * module cache (`example.com/m@v1.2.3/x.go` from a -trimpath build).
 */
export function localPath(file: string, ge: GoEnvInfo): string | null {
  if (!file || file === '<autogenerated>') return null;
  const cands: string[] = [];
  if (path.isAbsolute(file)) cands.push(file);
  if (ge.goroot) {
    const i = file.lastIndexOf('/src/');
    if (i >= 0) cands.push(path.join(ge.goroot, file.slice(i + 1)));
    if (!path.isAbsolute(file)) cands.push(path.join(ge.goroot, 'src', file));
  }
  const at = file.indexOf('@');
  if (ge.gomodcache && !path.isAbsolute(file) && at > 0) cands.push(path.join(ge.gomodcache, escapeModulePath(file.slice(0, at)) + file.slice(at)));
  return cands.find((c) => fs.existsSync(c)) ?? null;
}

export function binarySummary(b: Binary): BinarySummary {
  return {
    id: b.id,
    mainPackage: b.mainPackage,
    mainDir: b.mainDir,
    profile: b.profilePath,
    summary: b.data ? { ...b.data.summary } : null,
    error: b.error ? { ...b.error } : null,
    ...(b.data && !b.error && !b.match ? { matching: true } : {}),
    matchedPercent: b.match?.matchedPercent ?? 0,
    inlineCandidates: b.match?.inlineCandidates.length ?? 0,
    devirtualizations: b.match?.devirtualizations.length ?? 0,
    unmatched: (b.match?.unmatched ?? []).map(({ lineMap: _, ...u }) => ({ ...u })),
    history: b.history && typeof b.history !== 'string' ? b.history.summary(b.changed.map((c) => ({ ...c }))) : null,
    confirmed: b.confirm?.summary() ?? null,
    ...(typeof b.history === 'string' ? { historyNote: b.history } : {}),
  };
}

export function profileSummary(file: string, profile: PgoProfile, hot: HotSet, fileBytes: number, loadMillis: number): ProfileSummary {
  return {
    path: file,
    format: profile.format,
    totalWeight: profile.totalWeight,
    edgeCount: profile.edges.length,
    sampleType: profile.sampleType ? `${profile.sampleType.type}/${profile.sampleType.unit}` : null,
    sampleCount: profile.sampleCount,
    total: profileTotal(profile),
    durationNanos: profile.durationNanos,
    thresholdPercent: hot.thresholdPercent,
    hotCount: hot.hotCount,
    emptyReason: profile.totalWeight === 0 ? (profile.emptyReason ?? 'empty profile') : null,
    loadMillis,
    fileBytes,
  };
}

export function wireError(e: unknown): WireError {
  if (isProfileError(e)) return { kind: e.kind, message: e.message, ...(e.advice !== undefined ? { advice: e.advice } : {}) };
  const err = e as Error;
  return { kind: 'internal', message: err?.stack ?? String(e) };
}

export async function loadProfileData(file: string, thresholdPercent: number): Promise<LoadedProfileData | WireError> {
  const t0 = performance.now();
  let profile: PgoProfile;
  let fileBytes: number;
  try {
    ({ profile, fileBytes } = await loadProfileFile(file));
  } catch (e) {
    return wireError(e);
  }
  const hot = hotSet(profile, thresholdPercent);
  const data = profileData(file, profile, hot);
  return { ...data, summary: profileSummary(file, profile, hot, fileBytes, performance.now() - t0) };
}
