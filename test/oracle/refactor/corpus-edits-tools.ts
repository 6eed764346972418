/**
 * Tools for the scripted refactors of real corpus modules (corpus-edits.test.ts): a temporary copy
 * of a module, text edits that record where lines were inserted, the built CLI, and the compiler's
 * PGO decisions as comparable keys (read with the corpus measurement's parser, compiler-text.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

/** Replaces every whole-word `from` with `to` in the given files (relative to dir); each must change. */
export function renameIn(dir: string, files: string[], from: string, to: string): void {
  const re = new RegExp(`\\b${from}\\b`, 'g');
  for (const f of files) {
    const p = path.join(dir, f);
    const s = fs.readFileSync(p, 'utf8');
    const t = s.replace(re, to);
    assert.notEqual(t, s, `renaming ${from} changed nothing in ${f}`);
    fs.writeFileSync(p, t);
  }
}

/** The 1-based line where the unique `anchor` (which starts a line) begins in file. */
export function lineOf(dir: string, file: string, anchor: string): number {
  const s = fs.readFileSync(path.join(dir, file), 'utf8');
  const i = s.indexOf(anchor);
  assert.ok(i >= 0 && s.indexOf(anchor, i + 1) < 0, `${JSON.stringify(anchor)} is not unique in ${file}`);
  assert.ok(i === 0 || s[i - 1] === '\n', `${JSON.stringify(anchor)} does not start a line in ${file}`);
  return s.slice(0, i).split('\n').length;
}

/** Inserts `lines` right above the line that the unique `anchor` starts; returns the insertion. */
export function insertBefore(dir: string, file: string, anchor: string, lines: string[]): Insertion {
  const p = path.join(dir, file);
  const at = lineOf(dir, file, anchor);
  const s = fs.readFileSync(p, 'utf8');
  const i = s.indexOf(anchor);
  fs.writeFileSync(p, s.slice(0, i) + lines.map((l) => `${l}\n`).join('') + s.slice(i));
  return { file, after: at - 1, n: lines.length };
}

/** Runs the built CLI (dist/cli.js); returns stdout, throws with stderr on a non-zero exit. */
export function runCli(args: string[], cwd: string): string {
  return execFileSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
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

/** `pgo-lens report --json DIR`: the module's one binary. */
export function report(dir: string): BinaryJson {
  const r = JSON.parse(runCli(['report', '--json', dir], dir)) as { binaries: BinaryJson[] };
  assert.equal(r.binaries.length, 1, `one binary in ${dir}`);
  return r.binaries[0]!;
}

/** `go build -pgo=PGO` of the module's main package with -m -d=pgodebug=1 for every pattern. */
export function buildDecisions(dir: string, pgo: string, patterns: string[]): string {
  return goBuild(dir, [`-pgo=${pgo}`, ...patterns.map((p) => `-gcflags=${p}=-m -d=pgodebug=1`), '.']);
}

/** A line of the edited text mapped back to the original (inserted lines get no original: NaN). */
function lineBack(file: string, line: number, ins: readonly Insertion[]): number {
  for (const i of ins) {
    if (i.file !== file || line <= i.after) continue;
    return line <= i.after + i.n ? Number.NaN : line - i.n;
  }
  return line;
}

/**
 * The compiler's hot-budget inlinings (callee, caller, file:line) and PGO devirtualizations
 * (callee, file:line), with new names mapped back to the old (`names`: new → old, whole words)
 * and lines of edited files mapped back through the insertions. Columns are dropped: a rename
 * on the call's line moves them.
 */
export function decisionKeys(out: string, names: Record<string, string> = {}, ins: readonly Insertion[] = []): string[] {
  const s = compilerSites(out);
  const keys = new Set<string>();
  for (const h of s.hotBudget) keys.add(`inline ${h.callee} in ${h.caller} at ${h.file}:${lineBack(h.file, h.line, ins)}`);
  for (const d of s.devirtualized) keys.add(`devirt ${d.callee} at ${d.file}:${lineBack(d.file, d.line, ins)}`);
  return [...keys].map((k) => Object.entries(names).reduce((t, [to, from]) => t.replace(new RegExp(`\\b${to}\\b`, 'g'), from), k)).sort();
}
