/**
 * A quirk of the compiler's `-json=0` output (cmd/compile/internal/logopt/log_opts.go,
 * writerForLSP): each source file's diagnostics go to `<dir>/<package>/<base name>.json`, opened
 * with os.Create, so two files of one compile with the same base name truncate each other and
 * only the later one (in position order) keeps its lines. A package compiles positions of other
 * packages' files when it instantiates their generic functions: `types/type.go` and
 * `sync/atomic/type.go` (atomic.Pointer[T]) both write `type.json`, and the package's own lines
 * are lost — its function facts with them. Whenever the main run compiles one of those packages,
 * a pass of its own compiles it once more with `-m=2` (build.ts), whose text states the facts; the
 * set is kept in the stable directory. (Giving them `-m=2` in the main run would make the go
 * command replay that text on every run: 109 MB for cmd/compile's types2.)
 *
 * No `vscode` import. Reads and writes one small file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type JsonFile, resolveFile } from './decisions';

const FILE = 'verbose-packages.json';

/**
 * Packages whose own file's JSON another file of the same base name overwrote: a JSON file of the
 * package (by its header) names a file outside the package directory whose base name is one of
 * the package's own files.
 */
export function collidedPackages(
  packages: ReadonlyArray<{ importPath: string; dir: string; goFiles: string[] }>,
  jsonOf: (importPath: string) => JsonFile[] | undefined,
  opts: { cwd: string; goroot?: string },
): string[] {
  const out: string[] = [];
  for (const p of packages) {
    const own = new Set(p.goFiles.map((f) => path.basename(f)));
    const dir = path.resolve(p.dir);
    for (const j of jsonOf(p.importPath) ?? []) {
      let file: string | undefined;
      try {
        const h = JSON.parse(j.text.slice(0, j.text.indexOf('\n') >>> 0)) as { file?: unknown };
        file = typeof h.file === 'string' ? resolveFile(h.file, opts) : undefined;
      } catch {
        file = undefined;
      }
      if (file && path.dirname(file) !== dir && own.has(path.basename(file))) {
        out.push(p.importPath);
        break;
      }
    }
  }
  return out.sort();
}

/** The packages built with `-m=2` in the stable directory `dir` (sorted). */
export async function readVerbosePackages(dir: string): Promise<string[]> {
  try {
    const v = JSON.parse(await fs.promises.readFile(path.join(dir, FILE), 'utf8')) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').sort() : [];
  } catch {
    return [];
  }
}

export async function writeVerbosePackages(dir: string, pkgs: string[]): Promise<void> {
  const file = path.join(dir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(tmp, JSON.stringify([...new Set(pkgs)].sort()), { mode: 0o600 });
  await fs.promises.rename(tmp, file);
}
