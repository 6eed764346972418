/**
 * The workspace report: for each main package under a directory that has a profile (its
 * `default.pgo`, or one `-pgo=` profile for all), the profile matched against the source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProfileFile } from '../pgo/load';
import { DEFAULT_CDF_THRESHOLD, hotSet, type PgoProfile } from '../pgo/model';
import { indexTree, type IndexedTreePackage, type ListSymbolsOptions } from '../source/symbols';
import { type BinaryMatch, matchBinary } from './match';

export interface ReportOptions extends ListSymbolsOptions {
  /** Like `go build -pgo=FILE`: one profile for every main package. */
  profile?: string;
  thresholdPercent?: number;
}

export interface BinaryReportJson {
  mainPackage: string;
  profile: string;
  inlineCandidates: BinaryMatch['inlineCandidates'];
  devirtualizations: Array<Omit<BinaryMatch['devirtualizations'][number], 'col' | 'kind'>>;
  unmatched: BinaryMatch['unmatched'];
  matchedPercent: number;
}

export interface WorkspaceReport {
  root: string;
  packages: IndexedTreePackage[];
  binaries: Array<BinaryMatch & { pgo: PgoProfile }>;
}

export async function buildReport(dir: string, opts: ReportOptions = {}): Promise<WorkspaceReport> {
  const root = path.resolve(dir);
  const packages = await indexTree(root, opts);
  const binaries: WorkspaceReport['binaries'] = [];
  const cache = new Map<string, PgoProfile>();
  for (const main of packages.filter((p) => p.symbolPath === 'main')) {
    const file = opts.profile ? path.resolve(opts.profile) : path.join(main.dir, 'default.pgo');
    if (!opts.profile && !fs.existsSync(file)) continue; // -pgo=auto: no default.pgo, no PGO
    let pgo = cache.get(file);
    if (!pgo) {
      pgo = (await loadProfileFile(file)).profile;
      cache.set(file, pgo);
    }
    const hot = hotSet(pgo, opts.thresholdPercent ?? DEFAULT_CDF_THRESHOLD);
    const m = matchBinary({ root, mainDir: main.dir, profilePath: file, profile: pgo, hot, packages });
    binaries.push({ ...m, pgo });
  }
  return { root, packages, binaries };
}

export function reportJson(r: WorkspaceReport): { binaries: BinaryReportJson[] } {
  return {
    binaries: r.binaries.map((b) => ({
      mainPackage: b.mainPackage,
      profile: path.relative(r.root, b.profile).split(path.sep).join('/') || b.profile,
      inlineCandidates: b.inlineCandidates,
      devirtualizations: b.devirtualizations.map(({ file, line, caller, callee, weight }) => ({ file, line, caller, callee, weight })),
      unmatched: b.unmatched,
      matchedPercent: b.matchedPercent,
    })),
  };
}
