/**
 * One lex per file while a tree is indexed (lazy-tokens.ts, lazy-index.ts): every fixture
 * package indexed with tokens handed between its index and its description to importers equals
 * `indexPackage`, and the descriptions answer as descriptions lexed on their own; a file whose
 * text changed between the two reads is lexed again.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { defaultBuildContext, type ExternalPackage, indexPackage } from '../../../src/source/index';
import { lex } from '../../../src/source/lexer';
import { indexSharingTokens } from '../../../src/source/lazy-index';
import { TokenHandoff, withTokenHandoff } from '../../../src/source/lazy-tokens';
import { createSourceResolver, goEnvFromProcess, inferPackagePath, readPackageFiles } from '../../../src/source/packages';
import { fixturesDir } from '../../paths';

/** Every directory under dir holding .go files, sorted (the tree index's order). */
function goDirs(dir: string): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name.endsWith('.go'))) out.push(dir);
  for (const e of entries) if (e.isDirectory() && e.name !== 'testdata') out.push(...goDirs(path.join(dir, e.name)));
  return out.sort();
}

const ge = goEnvFromProcess();
const ctx = defaultBuildContext();

/** What importers ask of a package, for every top-level name of its files: the description as plain data. */
function describe(p: ExternalPackage | undefined, names: string[]): unknown {
  if (!p) return undefined;
  return names.map((n) => [n, p.objKind?.(n), p.typeDecl?.(n), p.funcSig?.(n), p.varType?.(n), p.constValue?.(n), p.func?.(n), p.methodNames?.(n)]);
}

/** Top-level identifiers of a package's files (a cheap over-approximation: every identifier token after a declaration keyword). */
function topNames(texts: string[]): string[] {
  const names = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(/^(?:func(?: \([^)]*\))?|type|var|const)\s+([A-Za-z_]\w*)/gm)) if (m[1]) names.add(m[1]);
  return [...names].sort();
}

interface Run {
  indexes: unknown[];
  descriptions: unknown[];
  handoff?: TokenHandoff;
}

/** Indexes every fixture package in order, each with a resolver sharing descriptions, with or without a handoff; then describes every package. */
function run(dirs: string[], withHandoff: boolean): Run {
  const shared = new Map<string, ExternalPackage | undefined>();
  const plans = dirs.map((dir) => ({ dir, pf: readPackageFiles(dir, ctx), loc: inferPackagePath(dir, ge) })).filter((p) => p.pf && p.loc);
  const handoff = withHandoff ? new TokenHandoff(new Set(plans.map((p) => p.dir))) : undefined;
  const indexes: unknown[] = [];
  const body = (): void => {
    for (const { dir, pf, loc } of plans) {
      if (!pf || !loc) continue;
      const resolver = createSourceResolver({ fromDir: dir, goEnv: ge, ctx, module: loc.module, shared, outside: null });
      const opts = { pkgPath: loc.importPath, resolver };
      indexes.push(handoff ? indexSharingTokens(dir, pf.files, opts, handoff) : indexPackage(pf.files, opts));
    }
  };
  if (handoff) withTokenHandoff(handoff, body);
  else body();
  // the descriptions the indexes asked for, and those of every package, asked for after the pass
  const descriptions = plans.map(({ dir, pf }) => describe(shared.get(dir), topNames(pf?.files.map((f) => f.text) ?? [])));
  return { indexes, descriptions, ...(handoff ? { handoff } : {}) };
}

test('tokens handed between a package index and its description: the same indexes and descriptions as lexing twice', () => {
  const dirs = goDirs(fixturesDir);
  assert.ok(dirs.length > 10, `fixture packages: ${dirs.length}`);
  const plain = run(dirs, false);
  const shared = run(dirs, true);
  assert.deepEqual(shared.indexes, plain.indexes);
  assert.deepEqual(shared.descriptions, plain.descriptions);
  // the handoff did hand tokens over (else this test compares lexing with lexing)
  assert.ok((shared.handoff?.handed ?? 0) > 5, `handed ${shared.handoff?.handed}`);
});

test('a handed token stream is the text lexed, and a file read again with other text is lexed again', () => {
  const text = 'package p\n\nfunc F() int { return 1 }\n';
  // a description first (its package not yet indexed): the index takes its tokens, once
  const h = new TokenHandoff(new Set(['/p']));
  const d = h.forDescription('/p', 'a.go', text);
  assert.deepEqual(d, lex(text));
  assert.equal(h.forIndex('/p', 'a.go', text), d);
  assert.equal(h.handed, 1);
  assert.notEqual(h.forIndex('/p', 'a.go', text), d);
  // the description read other text than the index then reads (the file changed in between): lexed again
  const h2 = new TokenHandoff(new Set(['/p']));
  h2.forDescription('/p', 'a.go', text);
  const changed = text.replace('return 1', 'return 12345');
  assert.deepEqual(h2.forIndex('/p', 'a.go', changed), lex(changed));
  assert.equal(h2.handed, 0);
  // nothing is kept for a package the pass does not index, or has indexed already, nor by an index for a description
  const h3 = new TokenHandoff(new Set(['/q']));
  h3.markIndexed('/q');
  const a = h3.forDescription('/q', 'a.go', text);
  assert.notEqual(h3.forIndex('/q', 'a.go', text), a);
  const b = h3.forDescription('/r', 'a.go', text);
  assert.notEqual(h3.forIndex('/r', 'a.go', text), b);
  const c = h3.forIndex('/q', 'b.go', text);
  assert.notEqual(h3.forDescription('/q', 'b.go', text), c);
  assert.equal(h3.handed, 0);
});
