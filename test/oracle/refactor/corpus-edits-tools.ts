/**
 * Tools for the scripted refactors of real corpus modules (corpus-edits.test.ts): a temporary copy
 * of a module, text edits that record where lines were inserted, the built CLI, and the compiler's
 * PGO decisions as comparable keys (read with the corpus measurement's parser, compiler-text.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { repoRoot } from '../../paths';
import { compilerSites } from '../../unit/corpus/compiler-text';
import { goBuild, tmpDir } from '../goenv';

export const corpusDir: string = path.join(repoRoot, 'test', 'corpus');
const cli = path.join(repoRoot, 'dist', 'cli.js');

/** Lines inserted into a file: `n` new lines after line `after` of the original text (1-based). */
export interface Insertion {
  file: string;
  after: number;
  n: number;
}

/** A temporary copy of test/corpus/<name> without its expected/ outputs; `dispose` removes it. */
export function copyModule(name: string): { dir: string; dispose(): void } {
  const tmp = tmpDir(`edits-${name}`);
  const dir = path.join(tmp, name);
  const src = path.join(corpusDir, name);
  fs.cpSync(src, dir, { recursive: true, filter: (s) => s !== path.join(src, 'expected') });
  return { dir, dispose: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

/** Where a line of an edited file came from: `file:line` of the original text, or `new` for an added line. */
type Origin = string;

/**
 * Line edits of one module copy that remember, for every line of an edited file, its original
 * file and line, so the compiler's positions after the edit can be compared with those before.
 */
export class Edits {
  private readonly origins = new Map<string, Origin[]>();
  constructor(readonly dir: string) {}

  private read(file: string): string[] {
    const ls = fs.readFileSync(path.join(this.dir, file), 'utf8').split('\n');
    if (!this.origins.has(file))
      this.origins.set(
        file,
        ls.map((_, i) => `${file}:${i + 1}`),
      );
    return ls;
  }

  private write(file: string, ls: string[]): void {
    assert.equal(ls.length, this.origins.get(file)!.length);
    fs.writeFileSync(path.join(this.dir, file), ls.join('\n'));
  }

  /** The 0-based index of the one line of file that starts with `prefix`. */
  private find(ls: string[], file: string, prefix: string): number {
    const at = ls.flatMap((l, i) => (l.startsWith(prefix) ? [i] : []));
    assert.equal(at.length, 1, `${JSON.stringify(prefix)} should start exactly one line of ${file}`);
    return at[0]!;
  }

  /** The original 1-based line that starts with `prefix` (before any edit of the file). */
  lineOf(file: string, prefix: string): number {
    return this.find(this.read(file), file, prefix) + 1;
  }

  /** Inserts `lines` right above the line starting with `prefix`; returns the insertion (original coordinates). */
  insertBefore(file: string, prefix: string, lines: string[]): Insertion {
    const ls = this.read(file);
    const i = this.find(ls, file, prefix);
    const o = this.origins.get(file)!;
    const after = Number(o[i - 1]!.split(':').pop());
    ls.splice(i, 0, ...lines);
    o.splice(i, 0, ...lines.map(() => 'new'));
    this.write(file, ls);
    return { file, after, n: lines.length };
  }

  /** Replaces whole words `from` by `to` in files; each must change, no line count changes. */
  rename(files: string[], from: string, to: string): void {
    const re = new RegExp(`\\b${from}\\b`, 'g');
    for (const f of files) this.replace(f, re, to);
  }

  /** Replaces `re` by `to` on every line of file (at least one must change). */
  replace(file: string, re: RegExp, to: string): void {
    const ls = this.read(file);
    const t = ls.map((l) => l.replace(re, to));
    assert.ok(
      t.some((l, i) => l !== ls[i]),
      `${re} changed nothing in ${file}`,
    );
    this.write(file, t);
  }

  /** Removes the lines from the one starting with `first` up to the next line starting with `last` (inclusive; `last` undefined: one line). */
  cut(file: string, first: string, last?: string): { lines: string[]; origins: Origin[] } {
    const ls = this.read(file);
    const i = this.find(ls, file, first);
    let j = i;
    if (last !== undefined) while (!ls[j]!.startsWith(last)) assert.ok(++j < ls.length, `no ${JSON.stringify(last)} after ${JSON.stringify(first)} in ${file}`);
    const o = this.origins.get(file)!;
    const origins = o.splice(i, j - i + 1);
    const lines = ls.splice(i, j - i + 1);
    this.write(file, ls);
    return { lines, origins };
  }

  /** Appends lines (with their origins) at the end of file, after a blank line. */
  append(file: string, block: { lines: string[]; origins: Origin[] }): void {
    const ls = this.read(file);
    const o = this.origins.get(file)!;
    const at = ls[ls.length - 1] === '' ? ls.length - 1 : ls.length;
    ls.splice(at, 0, '', ...block.lines);
    o.splice(at, 0, 'new', ...block.origins);
    this.write(file, ls);
  }

  /** Where `file:line` of the edited module was before the edits. */
  originOf(file: string, line: number): Origin {
    const o = this.origins.get(file);
    return o ? (o[line - 1] ?? 'new') : `${file}:${line}`;
  }
}

/** Runs the built CLI (dist/cli.js); returns stdout, throws with stderr on a non-zero exit. */
export function runCli(args: string[], cwd: string): string {
  return execFileSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/**
 * The CLI's `main` in this process (the code dist/cli.js bundles): returns stdout, throws with stderr on a non-zero exit. The
 * edits run the CLI 18 times; in one process its code is compiled once (a new `node dist/cli.js` spent about 1.5 s of its 3 s
 * of CPU on goldmark before its code was hot). The first baseline still runs the built file.
 */
export async function cliMain(args: string[]): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (to: string[]): NodeJS.WritableStream => ({ write: (s: string) => (to.push(s), true) }) as unknown as NodeJS.WritableStream;
  const code = await main(args, sink(out), sink(err));
  if (code !== 0) throw new Error(`pgo-lens ${args.join(' ')} exited with ${code}:\n${err.join('')}`);
  return out.join('');
}

export interface UnmatchedJson {
  symbol: string;
  kind: string;
  suggestion?: string;
  percent: number;
  edgeMap: Array<{ caller: string; callee: string; from: number; to?: number; weight: number }>;
}

export interface BinaryJson {
  mainPackage: string;
  percentBase: string;
  unmatched: UnmatchedJson[];
  matchedPercent: number;
  lostPercent: number;
}

/** `pgo-lens report --json DIR`: the module's one binary (`built`: from dist/cli.js, else from the CLI's main in this process). */
export async function report(dir: string, built = false): Promise<BinaryJson> {
  const args = ['report', '--json', dir];
  const r = JSON.parse(built ? runCli(args, dir) : await cliMain(args)) as { binaries: BinaryJson[] };
  assert.equal(r.binaries.length, 1, `one binary in ${dir}`);
  return r.binaries[0]!;
}

/**
 * `go build -trimpath -pgo=PGO` of the module's main package with -m -d=pgodebug=1 for every pattern, its positions printed
 * relative to the module root again (see modulePaths).
 *
 * -trimpath keeps the module's directory out of the go command's cache keys: without it every package of a copy in a new
 * temporary directory is compiled again on every run (the compiler's decisions do not depend on where the files are); with it a
 * warm run takes the edited modules' compiles, whose inputs are the same from run to run, from the build cache.
 */
export function buildDecisions(dir: string, pgo: string, patterns: string[]): string {
  return modulePaths(dir, goBuild(dir, ['-trimpath', `-pgo=${pgo}`, ...patterns.map((p) => `-gcflags=${p}=-m -d=pgodebug=1`), '.']));
}

/**
 * -trimpath prints positions as `module/file.go` (the main module) and `module@version/file.go` (a vendored one); this maps
 * them back to the paths relative to the module root that a build without it prints (`file.go`, `vendor/module/file.go`),
 * only where a position stands: at the start of a line and after ` at ` of a hot-budget line (symbols keep their paths).
 */
export function modulePaths(dir: string, out: string): string {
  const main = /^module\s+(\S+)/m.exec(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8'))?.[1];
  assert.ok(main, `no module line in ${dir}/go.mod`);
  const prefixes: Array<[string, string]> = [[`${main}/`, '']];
  const modules = path.join(dir, 'vendor', 'modules.txt');
  if (fs.existsSync(modules))
    for (const m of fs.readFileSync(modules, 'utf8').matchAll(/^# (\S+) (\S+)$/gm)) prefixes.push([`${m[1]}@${m[2]}/`, `vendor/${m[1]}/`]);
  return out.replace(/(^| at )(\S+?\.go)(?=:\d+:\d+)/gm, (_, before: string, file: string) => {
    const p = prefixes.find(([from]) => file.startsWith(from));
    return `${before}${p ? p[1] + file.slice(p[0].length) : file}`;
  });
}

/**
 * The compiler's hot-budget inlinings (callee, caller, position) and PGO devirtualizations
 * (callee, position), with new names mapped back to the old (`names`: new → old, whole words)
 * and positions mapped back through the edits. Columns are dropped: a rename on the call's line
 * moves them.
 */
export function decisionKeys(out: string, names: Record<string, string> = {}, edits?: Edits): string[] {
  const s = compilerSites(out);
  const at = (file: string, line: number): string => (edits ? edits.originOf(file, line) : `${file}:${line}`);
  const keys = new Set<string>();
  for (const h of s.hotBudget) keys.add(`inline ${h.callee} in ${h.caller} at ${at(h.file, h.line)}`);
  for (const d of s.devirtualized) keys.add(`devirt ${d.callee} at ${at(d.file, d.line)}`);
  const esc = (x: string): string => x.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return [...keys].map((k) => Object.entries(names).reduce((t, [to, from]) => t.replace(new RegExp(`(?<!\\w)${esc(to)}\\b`, 'g'), from), k)).sort();
}
