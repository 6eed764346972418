/**
 * What one package's compile told us, kept on disk by the go command's ACTION ID of that compile
 * (the first half of `go list -export`'s BuildID). The action ID is a hash of everything the
 * compile depends on — sources, flags (including the JSON directory), the profile, the
 * dependencies' export data, the Go version — so a compile with the same action ID prints the same
 * text and writes the same JSON: when the go command answers a package from its build cache (and
 * replays only the text), its JSON and parsed decisions come from here.
 *
 * Kept per package: the `-json=0` lines we read (the header and `cannotInlineCall`) and the
 * parsed decisions. The newest KEEP entries of each package survive (an edit and its undo both
 * stay answered). Entries carry the parser version: a newer parser ignores older entries.
 *
 * No `vscode` import. Uses the disk (the private per-workspace directory of workdir.ts).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompilerDecisions, FunctionName, JsonFile } from './decisions';

/** Bump when the parser's output for the same compiler text changes (4: a JSON-collided package's entry under its -m=1 action ID holds its -m=2 facts). */
export const PARSER_VERSION = 4;
const KEEP = 4;

export interface StoredPackage {
  v: number;
  pkg: string;
  actionId: string;
  json: JsonFile[];
  decisions: CompilerDecisions;
}

/** The action ID part of a BuildID (`actionID/contentID`); undefined when it is not one. */
export function actionIdOf(buildId: string | undefined): string | undefined {
  const a = buildId?.split('/')[0];
  return a && /^[A-Za-z0-9_-]{8,}$/.test(a) ? a : undefined;
}

/** The `code`s of the `-json=0` lines decisions.ts reads (the rest is escape analysis, bounds checks…). */
export const KEPT_JSON_CODES: readonly string[] = ['cannotInlineCall', 'canInlineFunction', 'cannotInlineFunction', ': should not PGO devirtualize function'];
const KEPT_CODE_FIELDS = KEPT_JSON_CODES.map((c) => `"code":"${c}"`);

/** The `-json=0` lines decisions.ts reads: each file's header, its call refusals and its function facts. */
export function keptJson(files: JsonFile[]): JsonFile[] {
  return files.map((f) => {
    const lines = f.text.split('\n').filter((l) => l.trim());
    return { name: f.name, text: [lines[0] ?? '', ...lines.slice(1).filter((l) => KEPT_CODE_FIELDS.some((c) => l.includes(c)))].join('\n') + '\n' };
  });
}

export class PackageStore {
  constructor(private readonly dir: string) {}

  private pkgDir(pkg: string): string {
    return path.join(this.dir, createHash('sha256').update(pkg).digest('hex').slice(0, 24));
  }

  async get(pkg: string, actionId: string): Promise<StoredPackage | undefined> {
    const file = path.join(this.pkgDir(pkg), `${actionId}.json`);
    let e: StoredPackage;
    try {
      e = JSON.parse(await fs.promises.readFile(file, 'utf8')) as StoredPackage;
    } catch {
      return undefined;
    }
    if (e.v !== PARSER_VERSION || e.pkg !== pkg || e.actionId !== actionId || !Array.isArray(e.json) || !e.decisions) return undefined;
    const now = new Date();
    await fs.promises.utimes(file, now, now).catch(() => undefined); // newest use survives pruning
    return e;
  }

  async put(entry: Omit<StoredPackage, 'v'>): Promise<void> {
    const dir = this.pkgDir(entry.pkg);
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${entry.actionId}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify({ v: PARSER_VERSION, ...entry }), { mode: 0o600 });
    await fs.promises.rename(tmp, file);
    await this.prune(dir);
  }

  /**
   * The function names (function-names.ts) of a package's own positions, kept by the source hash
   * of the package (its files' names and contents: the names depend on nothing else): an importer
   * recompiled after an edit elsewhere logs the same positions, and indexing its files to name
   * closures again is the costly part of reading its decisions.
   */
  async getNames(pkg: string, sourceHash: string): Promise<Record<string, FunctionName | null> | undefined> {
    try {
      const e = JSON.parse(await fs.promises.readFile(path.join(this.pkgDir(pkg), `${sourceHash}.names`), 'utf8')) as {
        v?: unknown;
        names?: Record<string, FunctionName | null>;
      };
      return e.v === PARSER_VERSION && e.names && typeof e.names === 'object' ? e.names : undefined;
    } catch {
      return undefined;
    }
  }

  async putNames(pkg: string, sourceHash: string, names: Record<string, FunctionName | null>): Promise<void> {
    const dir = this.pkgDir(pkg);
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${sourceHash}.names`);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify({ v: PARSER_VERSION, names }), { mode: 0o600 });
    await fs.promises.rename(tmp, file);
    await this.prune(dir, '.names');
  }

  private async prune(dir: string, suffix = '.json'): Promise<void> {
    const names = (await fs.promises.readdir(dir)).filter((n) => n.endsWith(suffix));
    if (names.length <= KEEP) return;
    const dated = await Promise.all(names.map(async (n) => ({ n, t: (await fs.promises.stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
    dated.sort((a, b) => b.t - a.t);
    for (const { n } of dated.slice(KEEP)) await fs.promises.rm(path.join(dir, n), { force: true });
  }
}
