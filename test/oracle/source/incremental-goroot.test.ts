/**
 * Incremental re-lexing and re-indexing on real code (issue #14), read from GOROOT at test time:
 * seeded random edits (typing, new lines, deletions, moves, import and directive edits, open
 * strings and comments) on cmd/compile's ssa/regalloc.go, indexed as a package of its own with
 * ssa's value.go beside it, compared after every step with a one-shot index; the re-lex of
 * rewriteAMD64.go (79k lines) compared with a whole lex after typing, new lines and deletions; and
 * the re-parse (incremental-parse.ts) of both files compared with a whole parse (trees with every
 * body, errors, layout, declaration signatures) after random edits.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { relex, relexSplice } from '../../../src/source/incremental-lex';
import { reparse } from '../../../src/source/incremental-parse';
import { lex } from '../../../src/source/lexer';
import { parseSourceFile, type FileSyntax } from '../../../src/source/package-env';
import { topLevelLayout } from '../../../src/source/parser';
import { indexPackage, PackageIndexer, type PackageIndex } from '../../../src/source/index';
import { goroot, requireGo } from '../goenv';
import { randomEdit, rng } from '../../unit/source/incremental-edits';

function plain(ix: PackageIndex): unknown {
  return { ...ix, bySymbol: [...ix.bySymbol], byFile: [...ix.byFile] };
}

/** A parse with every body parsed (in declaration order) and what parseSourceFile derives from it, as plain data. */
function settled(s: FileSyntax): unknown {
  for (const d of s.ast.decls) if (d.k === 'FuncDecl') void d.body;
  return { ast: s.ast, layout: topLevelLayout(s.ast), envSig: s.envSig, declSigs: s.declSigs, initCount: s.initCount, imports: s.imports };
}

/** `steps` random edits of `file` (edit(text, step) gives the next text), each re-parsed from the previous syntax and compared with a whole parse. */
function reparseAgainstWhole(file: string, steps: number, edit: (text: string, step: number) => string): { reused: number; spliced: number } {
  const name = path.basename(file);
  let syntax = parseSourceFile(name, fs.readFileSync(file, 'utf8'));
  let reused = 0;
  let spliced = 0;
  for (let step = 0; step < steps; step++) {
    const text = edit(syntax.text, step);
    const re = relexSplice(syntax.ts, text);
    const full = parseSourceFile(name, text);
    if (re) {
      spliced++;
      const again = reparse(syntax.ast, re.ts, re.splice);
      if (again && again.head + (again.ast.decls.length - again.tail) > 0) reused++;
    }
    const next = re ? parseSourceFile(name, text, re.ts, { syntax, splice: re.splice }) : full;
    assert.deepEqual(settled(next), settled(full), `${name} step ${step}`);
    syntax = next;
  }
  return { reused, spliced };
}

describe('incremental index on GOROOT files', requireGo(), () => {
  const ssa = (): string => path.join(goroot(), 'src', 'cmd', 'compile', 'internal', 'ssa');

  it('regalloc.go: the incremental index equals a one-shot index after every random edit', () => {
    const files = ['regalloc.go', 'value.go'];
    const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(ssa(), f), 'utf8')]));
    const opts = { pkgPath: 'cmd/compile/internal/ssa' };
    const ix = new PackageIndexer(opts);
    for (const [f, t] of texts) ix.setFile(f, t);
    ix.index();
    const r = rng(14);
    const kinds = new Set<string>();
    for (let step = 0; step < 30; step++) {
      const e = randomEdit(texts.get('regalloc.go') ?? '', r);
      kinds.add(e.kind);
      texts.set('regalloc.go', e.text);
      ix.setFile('regalloc.go', e.text);
      const want = indexPackage(
        [...texts].map(([name, text]) => ({ name, text })),
        opts,
      );
      assert.deepEqual(plain(ix.index()), plain(want), `step ${step} (${e.kind})`);
    }
    assert.ok(kinds.size >= 6, `only ${[...kinds].join(', ')}`);
  });

  it('rewriteAMD64.go: the re-lex equals a whole lex', () => {
    const text0 = fs.readFileSync(path.join(ssa(), 'rewriteAMD64.go'), 'utf8');
    let text = text0;
    let ts = lex(text);
    const r = rng(79);
    let spliced = 0;
    for (let step = 0; step < 12; step++) {
      const lines = text.split('\n');
      const at = Math.floor(r() * lines.length);
      const offset = lines.slice(0, at).join('\n').length + 1;
      const edits = [`\t// typing ${step}`, '\n', '', 'x := "open'];
      const pick = edits[step % edits.length] as string;
      text = pick === '' ? text.slice(0, offset) + text.slice(offset + (lines[at]?.length ?? 0) + 1) : text.slice(0, offset) + pick + text.slice(offset);
      const inc = relex(ts, text);
      const full = lex(text);
      if (inc) {
        spliced++;
        for (const k of ['kind', 'start', 'end', 'line', 'col', 'flags', 'lineStarts'] as const) assert.deepEqual(inc[k], full[k], `${k} after step ${step}`);
        assert.deepEqual([inc.count, inc.lineCount, inc.goDirectives, inc.nonAscii], [full.count, full.lineCount, full.goDirectives, full.nonAscii]);
      }
      ts = inc ?? full;
    }
    assert.ok(spliced >= 6, `only ${spliced} of 12 edits re-lexed in part`);
  });

  it('regalloc.go: the re-parse equals a whole parse after every random edit', () => {
    const r = rng(15);
    const { reused, spliced } = reparseAgainstWhole(path.join(ssa(), 'regalloc.go'), 30, (text) => randomEdit(text, r).text);
    assert.ok(spliced >= 10 && reused >= spliced * 0.8, `${reused} of ${spliced} re-lexed edits re-parsed in part`);
  });

  it('rewriteAMD64.go: the re-parse equals a whole parse after typing, new lines, deletions and an open body', () => {
    const r = rng(80);
    const edits = ['\t_ = len(v.Args)', '\t// typing', '\n', '', 'func open() {'];
    const { reused, spliced } = reparseAgainstWhole(path.join(ssa(), 'rewriteAMD64.go'), 5, (text, step) => {
      const lines = text.split('\n');
      const at = 1 + Math.floor(r() * (lines.length - 1));
      const offset = lines.slice(0, at).join('\n').length + 1;
      const pick = edits[step % edits.length] as string;
      return pick === '' ? text.slice(0, offset) + text.slice(offset + (lines[at]?.length ?? 0) + 1) : text.slice(0, offset) + pick + '\n' + text.slice(offset);
    });
    assert.ok(spliced >= 3 && reused >= spliced * 0.6, `${reused} of ${spliced} re-lexed edits re-parsed in part`);
  });
});
