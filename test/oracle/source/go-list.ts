/**
 * Packages as the go command lists them, indexed the way the compiler builds them: shared by the
 * source oracles (goroot.test.ts, signatures.test.ts, dispatch-oracle.ts) and the whole-std report (std.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { indexPackage, type PackageIndex } from '../../../src/source/index';
import { createSourceResolver, parseGoListJson } from '../../../src/source/packages';
import { defaultBuildContext } from '../../../src/source/build-tags';
import type { ExternalPackage, ImportResolver } from '../../../src/source/package-env';

export interface ListedPackage {
  Dir: string;
  ImportPath: string;
  Name: string;
  GoFiles?: string[];
  Module?: { Path: string; Dir: string };
}

/** `go list -json <patterns>` in `cwd`; throws with go's message when it fails or lists nothing. */
export function goListJson(patterns: string[], env: NodeJS.ProcessEnv, cwd?: string): ListedPackage[] {
  const r = spawnSync('go', ['list', '-json', ...patterns], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`go list -json ${patterns.join(' ')} failed (status ${r.status}):\n${r.stderr}`);
  const listed = parseGoListJson<ListedPackage>(r.stdout);
  if (listed.length === 0) throw new Error(`go list -json ${patterns.join(' ')} listed no package`);
  return listed;
}

export interface IndexedPackage {
  /** The package's symbol prefix: `main` for a command, else its import path. */
  pkgPath: string;
  files: number;
  ix: PackageIndex;
  resolver: ImportResolver;
  /** Time spent in indexPackage. */
  ms: number;
}

/** Indexes the package's GoFiles with a resolver from its directory (`shared` caches imported packages across calls). */
export function indexListed(info: ListedPackage, goroot: string, shared: Map<string, ExternalPackage | undefined>): IndexedPackage {
  const files = (info.GoFiles ?? []).map((name) => ({ name, text: readFileSync(path.join(info.Dir, name), 'utf8') }));
  const pkgPath = info.Name === 'main' ? 'main' : info.ImportPath;
  const resolver = createSourceResolver({
    fromDir: info.Dir,
    goEnv: { goroot },
    ctx: defaultBuildContext(),
    module: info.Module ? { path: info.Module.Path, dir: info.Module.Dir } : undefined,
    shared,
  });
  const t0 = process.hrtime.bigint();
  const ix = indexPackage(files, { pkgPath, resolver });
  return { pkgPath, files: files.length, ix, resolver, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}
