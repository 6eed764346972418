/**
 * NameIndexers (function-names.ts) keeps incremental source indexers across confirmations so that
 * naming an edited package's closures re-walks only what changed: the names it gives after any
 * sequence of edits must equal those of a fresh one-shot index (differential, random edits).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { NameIndexers, nameFunctions, type FunctionPos } from '../../../src/compiler/function-names';
import { indexPackage } from '../../../src/source/index';
import { rng } from '../../fuzzing';

const base = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-name-indexers-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

/** One declaration of a random shape: functions with (nested) closures, methods, init functions, package-level closures. */
function decl(r: () => number, n: number): string {
  const k = Math.floor(r() * 6);
  const body = (depth: number): string =>
    depth > 0 && r() < 0.6 ? `\tg${depth} := func(x int) int {\n${body(depth - 1)}\t\treturn x + ${depth}\n\t}\n\t_ = g${depth}(1)\n` : `\tprintln(${n})\n`;
  switch (k) {
    case 0:
      return `func F${n}(a int) int {\n${body(2)}\treturn a\n}\n`;
    case 1:
      return `func (t *T) M${n}() {\n${body(1)}\tgo func() { println(t) }()\n}\n`;
    case 2:
      return `func init() {\n${body(1)}}\n`;
    case 3:
      return `var V${n} = func() int { return ${n} }\n`;
    case 4:
      return `func G${n}[E any](xs []E) func() E {\n\treturn func() E { return xs[0] }\n}\n`;
    default:
      return `// a comment ${n}\nfunc H${n}() { defer func() { recover() }() }\n`;
  }
}

describe('NameIndexers (closure names after edits)', () => {
  it('names every closure, init and declared position as a fresh index does, through 40 random edits', () => {
    const dir = path.join(base, 'p');
    fs.mkdirSync(dir);
    const files = ['a.go', 'b.go'].map((f) => path.join(dir, f));
    const r = rng(7);
    const decls: string[][] = [[], []];
    let n = 0;
    for (const d of decls) for (let i = 0; i < 6; i++) d.push(decl(r, n++));
    const write = (): void => {
      files.forEach((f, i) =>
        fs.writeFileSync(f, `package p\n\ntype T struct{}\n\n${decls[i]!.join('\n')}`.replace('type T struct{}\n', i === 0 ? 'type T struct{}\n' : '')),
      );
    };
    const pkg = { importPath: 'example.com/p', name: 'p', dir, goFiles: files };
    const indexers = new NameIndexers();
    let named = 0;
    for (let round = 0; round < 40; round++) {
      // an edit: insert, remove or replace a declaration, or touch a body (a new line shifts what follows)
      const d = decls[Math.floor(r() * decls.length)]!;
      const at = Math.floor(r() * (d.length + 1));
      const what = r();
      if (what < 0.4) d.splice(at, 0, decl(r, n++));
      else if (what < 0.6 && d.length > 1) d.splice(Math.min(at, d.length - 1), 1);
      else if (d.length) d[Math.min(at, d.length - 1)] = decl(r, n++);
      write();
      // every function entry's start (what the compiler logs) and a few positions that name nothing
      const ix = indexPackage(
        files.map((f) => ({ name: f, text: fs.readFileSync(f, 'utf8') })),
        { pkgPath: pkg.importPath },
      );
      const positions: FunctionPos[] = [];
      for (const [file, entries] of ix.byFile)
        for (const e of entries) positions.push({ file: path.isAbsolute(file) ? file : path.join(dir, file), line: e.physicalStartLine, col: e.startColumn });
      positions.push({ file: files[0]!, line: 1, col: 1 }, { file: files[1]!, line: 3, col: 2 });
      const fresh = nameFunctions(positions, { pkg });
      const kept = nameFunctions(positions, { pkg, indexers });
      assert.deepEqual(kept, fresh, `round ${round}`);
      named += fresh.size;
    }
    assert.ok(named > 200, `${named} names compared`);
    assert.ok(indexers.size > 0 && indexers.size <= 16);
  });
});
