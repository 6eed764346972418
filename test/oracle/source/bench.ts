/**
 * Measurements behind the lexer decision and the indexing budgets (not a test; run by hand):
 *
 *   node scripts/build.mjs --tests && node out/test/oracle/source/bench.js [--tree-sitter DIR] [--goroot]
 *
 * `--tree-sitter DIR` points at a directory with `node_modules/web-tree-sitter` and
 * `node_modules/tree-sitter-go` installed (e.g. `cd /tmp/ts && npm i web-tree-sitter tree-sitter-go`);
 * they are not project dependencies. `--goroot` also indexes all of $GOROOT/src.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lex } from '../../../src/source/lexer';
import { parseFile } from '../../../src/source/parser';
import { parseSourceFile } from '../../../src/source/package-env';
import { PackageIndexer, indexPackage } from '../../../src/source/index';
import { defaultBuildContext } from '../../../src/source/build-tags';
import { packageDirs, readPackageFiles, inferPackagePath, createSourceResolver } from '../../../src/source/packages';
import type { ExternalPackage } from '../../../src/source/package-env';

function goroot(): string {
  try {
    return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  } catch {
    return process.env.GOROOT ?? '/usr/local/go';
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s[s.length >> 1];
  if (m === undefined) throw new Error('median of no values');
  return m;
}

function time(fn: () => void, runs = 30, warm = 5): number {
  for (let i = 0; i < warm; i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(xs);
}

async function treeSitter(dir: string, text: string): Promise<void> {
  const req = require;
  const TS = req(path.join(dir, 'node_modules', 'web-tree-sitter', 'tree-sitter.cjs'));
  const Parser = TS.Parser ?? TS;
  const t0 = process.hrtime.bigint();
  await Parser.init();
  const Lang = TS.Language ?? Parser.Language;
  const Go = await Lang.load(path.join(dir, 'node_modules', 'tree-sitter-go', 'tree-sitter-go.wasm'));
  const parser = new Parser();
  parser.setLanguage(Go);
  let tree = parser.parse(text);
  const cold = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`tree-sitter cold start (init + load grammar + first parse): ${cold.toFixed(1)} ms`);
  console.log(`tree-sitter full parse: ${time(() => parser.parse(text)).toFixed(2)} ms`);
  const walk = (): number => {
    const t = parser.parse(text);
    const c = t.walk();
    let n = 0;
    for (;;) {
      n++;
      if (c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) {
        if (!c.gotoParent()) return n;
      }
    }
  };
  console.log(`tree-sitter parse + cursor walk of all nodes: ${time(() => walk(), 10, 2).toFixed(2)} ms`);
  // incremental: insert a character in the middle
  const mid = text.indexOf('\n', text.length >> 1) + 1;
  const edited = text.slice(0, mid) + ' ' + text.slice(mid);
  const pos = (off: number): { row: number; column: number } => {
    const before = text.slice(0, off);
    const row = before.split('\n').length - 1;
    return { row, column: off - (before.lastIndexOf('\n') + 1) };
  };
  console.log(
    `tree-sitter incremental re-parse after a 1-char edit: ${time(() => {
      const t = tree.copy();
      t.edit({
        startIndex: mid,
        oldEndIndex: mid,
        newEndIndex: mid + 1,
        startPosition: pos(mid),
        oldEndPosition: pos(mid),
        newEndPosition: { ...pos(mid), column: pos(mid).column + 1 },
      });
      parser.parse(edited, t);
    }).toFixed(2)} ms`,
  );
  tree = parser.parse(text);
}

async function main(): Promise<void> {
  const root = goroot();
  const file = path.join(root, 'src', 'cmd', 'internal', 'obj', 'riscv', 'obj.go');
  const text = readFileSync(file, 'utf8');
  console.log(`input: ${file} (${text.split('\n').length} lines, ${text.length} bytes)`);
  const ts = lex(text);
  console.log(`tokens: ${ts.count}`);
  console.log(`lex: ${time(() => lex(text)).toFixed(2)} ms`);
  console.log(`lex + parse: ${time(() => parseFile(lex(text))).toFixed(2)} ms`);
  console.log(`lex + parse as the indexer does (lazy bodies, declaration signature): ${time(() => parseSourceFile('obj.go', text)).toFixed(2)} ms`);

  // The whole package, then re-index after editing the big file (what the worker does).
  const dir = path.dirname(file);
  const pf = readPackageFiles(dir, defaultBuildContext());
  if (!pf) throw new Error('cannot read ' + dir);
  const resolver = createSourceResolver({ fromDir: dir, goEnv: { goroot: root } });
  console.log(
    `index the one file alone: ${time(() => indexPackage([{ name: 'obj.go', text }], { pkgPath: 'cmd/internal/obj/riscv', resolver })).toFixed(2)} ms`,
  );
  const ix = new PackageIndexer({ pkgPath: 'cmd/internal/obj/riscv', resolver });
  for (const f of pf.files) ix.setFile(f.name, f.text);
  ix.index();
  // Edited texts are prepared (and flattened, as a string received from the editor would be)
  // outside the timed region.
  const flat = (x: string): string => Buffer.from(x, 'utf8').toString('utf8');
  const at = text.indexOf('\treturn', text.length >> 1);
  const bodyEdits = Array.from({ length: 64 }, (_, k) => flat(text.slice(0, at) + `\t_ = ${k}\n` + text.slice(at)));
  const typing = Array.from({ length: 64 }, (_, k) => flat(text.slice(0, at) + `\t_ = ${'x'.repeat(k)}\n` + text.slice(at)));
  const declEdits = Array.from({ length: 16 }, (_, k) => flat(text + `\nconst benchConst${k} = 1\n`));
  let n = 0;
  const edit = (variants: string[]) => (): void => {
    const v = variants[n++ % variants.length];
    if (v === undefined) throw new Error('no edit variants');
    ix.setFile('obj.go', v);
    ix.index();
  };
  console.log(
    `package (${pf.files.length} files): re-index after inserting a line in a function body of obj.go: ${time(edit(bodyEdits), 60, 10).toFixed(2)} ms`,
  );
  console.log(`package: re-index while typing on one line of a function body: ${time(edit(typing), 60, 10).toFixed(2)} ms`);
  console.log(`package: re-index after a package-level declaration edit (cached functions re-validated): ${time(edit(declEdits), 16, 4).toFixed(2)} ms`);

  const tsIdx = process.argv.indexOf('--tree-sitter');
  const tsPath = tsIdx > 0 ? process.argv[tsIdx + 1] : undefined;
  if (tsPath !== undefined) await treeSitter(tsPath, text);

  if (process.argv.includes('--goroot')) {
    const t0 = process.hrtime.bigint();
    const ctx = defaultBuildContext();
    const shared = new Map<string, ExternalPackage | undefined>();
    let pkgs = 0;
    let funcs = 0;
    let lines = 0;
    for (const d of packageDirs(path.join(root, 'src'))) {
      const p = readPackageFiles(d, ctx);
      if (!p) continue;
      const loc = inferPackagePath(d, { goroot: root });
      const r = createSourceResolver({ fromDir: d, goEnv: { goroot: root }, ctx, shared, module: loc?.module });
      const res = indexPackage(p.files, { pkgPath: loc?.symbolPath ?? d, resolver: r });
      pkgs++;
      funcs += res.funcs.length;
      for (const f of p.files) lines += f.text.split('\n').length;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`GOROOT/src: ${pkgs} packages, ${lines} lines, ${funcs} functions indexed in ${ms.toFixed(0)} ms (reading files, resolving imports included)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
