/**
 * Fuzzing of the Go source front end (issue #13): the lexer, the parser (including the lazily
 * parsed function bodies) and the walker never throw and always terminate on mutated real Go
 * files, and the incremental indexer (`PackageIndexer` after a sequence of edits) gives exactly
 * what indexing the final text from scratch gives.
 *
 * Inputs: the Go packages of test/fixtures and test/corpus, and a few GOROOT/src packages when
 * `go` is on PATH, mutated by go-mutations.ts (byte flips, truncations, token-range deletions,
 * duplications and moves, nesting beyond MAX_NESTING, huge literals, editor-like edits).
 * Bounded in npm test (240 inputs and 40 edit sequences, a few seconds); `SOURCE_FUZZ_ITERATIONS=10000`
 * (or the global `FUZZ_ITERATIONS=200000`, divided by 20 here) for a long run and `FUZZ_SEED` to vary
 * the inputs (a failure names its seed, its iteration and the package it mutated).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { indexPackage, PackageIndexer, type PackageIndex } from '../../../src/source/index';
import { lex } from '../../../src/source/lexer';
import { parseSourceFile } from '../../../src/source/package-env';
import { parseFile } from '../../../src/source/parser';
import { rng } from '../../fuzzing';
import { fixturesDir, repoRoot } from '../../paths';
import { goPackagesUnder, mutateGo, type GoPackage } from './go-mutations';

/** `SOURCE_FUZZ_ITERATIONS`, or a twentieth of the global `FUZZ_ITERATIONS` of a long run (an input here costs ~20 ms). */
const ITERATIONS = Math.max(
  1,
  Math.floor(Number(process.env['SOURCE_FUZZ_ITERATIONS'] ?? (process.env['FUZZ_ITERATIONS'] ? Number(process.env['FUZZ_ITERATIONS']) / 20 : 240))),
);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261207);

/** A few GOROOT packages when `go` is on PATH (the unit tier runs without Go). */
function gorootPackages(): GoPackage[] {
  const r = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' } });
  const root = r.status === 0 ? r.stdout.trim() : '';
  if (!root) return [];
  return ['sort', 'strings', 'bufio', 'container/list', 'iter', 'slices', 'maps', 'sync', 'errors', 'text/tabwriter'].flatMap((p) =>
    goPackagesUnder(path.join(root, 'src', p), 6).slice(0, 1),
  );
}

function packages(): GoPackage[] {
  const pkgs = [...goPackagesUnder(fixturesDir, 6), ...goPackagesUnder(path.join(repoRoot, 'test', 'corpus'), 6), ...gorootPackages()];
  assert.ok(pkgs.length >= 20, `only ${pkgs.length} Go packages to mutate`);
  return pkgs;
}

/** Everything an index says, in a comparable form (the maps as their keys and sizes). */
function comparable(ix: PackageIndex): unknown {
  return {
    pkgPath: ix.pkgPath,
    symbolPrefix: ix.symbolPrefix,
    pkgName: ix.pkgName,
    files: ix.files,
    funcs: ix.funcs,
    bySymbol: [...ix.bySymbol.keys()],
    byFile: [...ix.byFile].map(([f, es]) => [f, es.length]),
    errors: ix.errors,
    approximations: ix.approximations,
    imports: ix.imports,
  };
}

/** The path and values of the first difference between two JSON-like values (for a readable failure). */
function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b))
    return `${at || '.'}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (const k of new Set([...ka, ...kb])) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d) return d;
  }
  return undefined;
}

function describeInput(what: string, i: number, origin: string): string {
  return `${what} ${i} (FUZZ_SEED=${SEED}, ${path.relative(repoRoot, origin) || origin})`;
}

describe('Go front end fuzzing', () => {
  const pkgs = packages();

  it('lexer, parser and walker never throw on mutated files', { timeout: 600_000 }, () => {
    const r = rng(SEED);
    let parsedBodies = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const pkg = pkgs[Math.floor(r() * pkgs.length)]!;
      const target = Math.floor(r() * pkg.files.length);
      const files = pkg.files.map((f, k) => {
        if (k !== target) return f;
        let text = f.text;
        for (let m = 0; m < 1 + Math.floor(r() * 3); m++) text = mutateGo(text, r);
        return { name: f.name, text };
      });
      const text = files[target]!.text;
      try {
        const ts = lex(text);
        assert.ok(ts.count >= 1, 'a token stream ends with EOF');
        const ast = parseFile(ts);
        for (const d of ast.decls) if (d.k === 'FuncDecl' && d.body) parsedBodies++;
        parseSourceFile(files[target]!.name, text);
        indexPackage(files, { pkgPath: 'example.com/fuzz' });
      } catch (e) {
        assert.fail(`${describeInput('input', i, pkg.origin)} threw: ${(e as Error).stack ?? String(e)}`);
      }
    }
    assert.ok(parsedBodies > ITERATIONS, `only ${parsedBodies} function bodies parsed`);
  });

  it('the incremental index after random edits equals indexing the final text', { timeout: 600_000 }, () => {
    const r = rng(SEED ^ 0x5eed);
    const sequences = Math.max(1, Math.floor(ITERATIONS / 6));
    let compared = 0;
    for (let i = 0; i < sequences; i++) {
      const pkg = pkgs[Math.floor(r() * pkgs.length)]!;
      const current = new Map(pkg.files.map((f) => [f.name, f.text]));
      const ix = new PackageIndexer({ pkgPath: 'example.com/fuzz' });
      for (const [name, text] of current) ix.setFile(name, text);
      try {
        ix.index();
        const edits = 1 + Math.floor(r() * 6);
        for (let e = 0; e < edits; e++) {
          const names = [...current.keys()];
          const name = names[Math.floor(r() * names.length)]!;
          const roll = r();
          if (roll < 0.1 && names.length > 1) {
            current.delete(name);
            ix.removeFile(name);
          } else if (roll < 0.2) {
            // back to the original text (caches keyed by content must come back to life)
            const orig = pkg.files.find((f) => f.name === name)?.text ?? '';
            current.set(name, orig);
            ix.setFile(name, orig);
          } else {
            const text = mutateGo(current.get(name) ?? '', r);
            current.set(name, text);
            ix.setFile(name, text);
          }
          if (r() < 0.7) ix.index();
        }
        const incremental = comparable(ix.index());
        const batch = comparable(
          indexPackage(
            [...current].map(([name, text]) => ({ name, text })),
            { pkgPath: 'example.com/fuzz' },
          ),
        );
        const diff = firstDifference(incremental, batch);
        assert.equal(diff, undefined, `${describeInput('edit sequence', i, pkg.origin)}: incremental != batch at ${diff}`);
        compared++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        assert.fail(`${describeInput('edit sequence', i, pkg.origin)} threw: ${(e as Error).stack ?? String(e)}`);
      }
    }
    assert.equal(compared, sequences);
  });
});
