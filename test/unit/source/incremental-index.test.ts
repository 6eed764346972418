/**
 * The incremental indexer (PackageIndexer.setFile + index(), with the re-lex of incremental-lex.ts
 * and the per-declaration and per-file reuse of index.ts) equals a one-shot index of the same text
 * after every step of seeded random edit sequences on every fixture package: typing, new lines,
 * deletions, edits spanning declarations, import, directive and package-clause edits, strings and
 * comments left open for a few steps.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { indexPackage, PackageIndexer, type PackageIndex } from '../../../src/source/index';
import { fixturesDir } from '../../paths';
import { randomEdit, rng } from './incremental-edits';

/** Every directory under dir holding non-test .go files, with those files. */
function packages(dir: string): { dir: string; files: string[] }[] {
  const out: { dir: string; files: string[] }[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.go') && !e.name.endsWith('_test.go')).map((e) => e.name);
  if (files.length) out.push({ dir, files: files.sort() });
  for (const e of entries) if (e.isDirectory() && e.name !== 'testdata') out.push(...packages(path.join(dir, e.name)));
  return out;
}

/** The index as plain comparable data (Map order included). */
function plain(ix: PackageIndex): unknown {
  return { ...ix, bySymbol: [...ix.bySymbol], byFile: [...ix.byFile] };
}

test('incremental index equals a one-shot index after every random edit (fixture packages)', () => {
  const pkgs = packages(fixturesDir);
  assert.ok(pkgs.length >= 5, `only ${pkgs.length} fixture packages`);
  let steps = 0;
  for (const [pi, pkg] of pkgs.entries()) {
    const r = rng(7000 + pi);
    const texts = new Map(pkg.files.map((f) => [f, fs.readFileSync(path.join(pkg.dir, f), 'utf8')]));
    const opts = { pkgPath: 'example.com/' + path.relative(fixturesDir, pkg.dir).split(path.sep).join('/') };
    const ix = new PackageIndexer(opts);
    for (const [f, t] of texts) ix.setFile(f, t);
    ix.index();
    for (let step = 0; step < 25; step++) {
      const file = pkg.files[Math.floor(r() * pkg.files.length)] as string;
      const e = randomEdit(texts.get(file) ?? '', r);
      texts.set(file, e.text);
      ix.setFile(file, e.text);
      const got = ix.index();
      const want = indexPackage(
        [...texts].map(([name, text]) => ({ name, text })),
        opts,
      );
      assert.deepEqual(plain(got), plain(want), `${path.relative(fixturesDir, pkg.dir)}/${file} step ${step} (${e.kind})`);
      steps++;
    }
  }
  assert.ok(steps >= 100);
});

test('a new line above a package variable moves its closure and map.init entries (the variable units are per file version)', () => {
  const map = `var M = map[string]int{${Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`).join(', ')}}`;
  const a = `package p\n\nfunc f() int {\n\treturn 1\n}\n\nvar V = func() int { return f() }()\n\n${map}\n`;
  const b = 'package p\n\nfunc g() { f() }\n';
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', a);
  ix.setFile('b.go', b);
  ix.index();
  for (const text of [a.replace('\treturn 1\n', '\t// x\n\treturn 1\n'), a.replace('\treturn 1\n', '\t// x\n\n\treturn 1\n'), a]) {
    ix.setFile('a.go', text);
    const got = ix.index();
    const want = indexPackage(
      [
        { name: 'a.go', text },
        { name: 'b.go', text: b },
      ],
      { pkgPath: 'p' },
    );
    assert.deepEqual(plain(got), plain(want));
    assert.ok(got.funcs.some((e) => e.symbol === 'p.init.func1') && got.funcs.some((e) => e.kind === 'mapinit'));
  }
});

test('a comment edit keeps a declaration by its tokens, except where byte columns change (non-ASCII text)', () => {
  const a = 'package p\n\nfunc f() int {\n\t/* e */ g()\n\treturn 1 // x\n}\n\nfunc g() {}\n';
  const edits = [
    a.replace('// x', '// xy'), // tokens unchanged: the walk is reused
    a.replace('/* e */', '/* é */'), // same UTF-16 columns, one more UTF-8 byte before g(): its byte column moves
    a,
  ];
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', a);
  const first = ix.index();
  for (const [i, text] of edits.entries()) {
    ix.setFile('a.go', text);
    const got = ix.index();
    assert.deepEqual(plain(got), plain(indexPackage([{ name: 'a.go', text }], { pkgPath: 'p' })), `edit ${i}`);
    if (i === 0) assert.equal(got.bySymbol.get('p.f'), first.bySymbol.get('p.f'));
  }
});
