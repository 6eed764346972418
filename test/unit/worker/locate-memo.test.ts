/**
 * Where the summary says an unmatched profile function's declaration is (`location`, kept between
 * summaries by locate-memo.ts) follows every edit: the declaration moving down its file, into
 * another file, back to its name, and a package whose answer did not change keeping it — each
 * step compared with a fresh model of the same text.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkspaceModel, type OpenOptions } from '../../../src/worker/workspace';
import type { WorkspaceSummary } from '../../../src/worker/protocol';
import { fixturesDir } from '../../paths';
import { LocateMemo } from '../../../src/worker/locate-memo';
import type { Pkg } from '../../../src/worker/workspace-data';
import type { PackageIndex } from '../../../src/source/model';

const unmatched = (s: WorkspaceSummary) =>
  s.binaries.map((b) => b.unmatched.map((u) => ({ symbol: u.symbol, kind: u.kind, location: u.location, lost: u.lost })));

describe('locations of unmatched profile functions after edits', () => {
  let tmp: string;
  let opts: OpenOptions;
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-locate-')));
    for (const fx of ['interp', 'textproc'])
      fs.cpSync(path.join(fixturesDir, fx), path.join(tmp, fx), { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
    opts = { folders: [path.join(tmp, 'interp'), path.join(tmp, 'textproc')], thresholdPercent: 99, trusted: false, history: false };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('equal a fresh model after each edit of a renamed hot function', async () => {
    const model = new WorkspaceModel();
    await model.open(opts);
    const ast = path.join(tmp, 'interp', 'ast.go');
    const vm = path.join(tmp, 'interp', 'vm.go');
    const astText = fs.readFileSync(ast, 'utf8');
    const vmText = fs.readFileSync(vm, 'utf8');
    const decl = /^func apply\(op byte, l, r float64\) float64 \{\n[\s\S]*?^\}\n/m.exec(astText);
    assert.ok(decl, 'ast.go declares apply');
    const renamed = astText.replace(/\bapply\(/g, 'applyOp(');
    const movedDecl = decl[0].replace('func apply(', 'func applyOp(');
    const steps: Array<[string, Record<string, string | null>]> = [
      ['rename apply', { [ast]: renamed }],
      ['lines above it', { [ast]: renamed.replace('package main\n', 'package main\n\n// one\n// two\n') }],
      ['more lines above it', { [ast]: renamed.replace('package main\n', 'package main\n\n// one\n// two\n// three\n// four\n') }],
      ['an edit in another file', { [vm]: vmText.replace('package main\n', 'package main\n\n// vm\n') }],
      ['moved to vm.go', { [ast]: renamed.replace(movedDecl, ''), [vm]: `${vmText}\n${movedDecl}` }],
      ['lines above it in vm.go', { [vm]: `// top\n// top\n${vmText}\n${movedDecl}` }],
      ['back in ast.go', { [ast]: renamed, [vm]: vmText }],
      ['its old name', { [ast]: null }],
    ];
    const located = new Set<string>();
    for (const [what, edits] of steps) {
      for (const [file, text] of Object.entries(edits)) model.update(file, text);
      const fresh = new WorkspaceModel();
      fresh.adoptOverlays(model);
      await fresh.open(opts);
      const got = unmatched(model.summary());
      assert.deepEqual(got, unmatched(fresh.summary()), what);
      for (const list of got) for (const u of list) if (u.location) located.add(`${u.location.file}:${u.location.line}`);
    }
    // the steps did move a located declaration around (ast.go at three lines, vm.go at two)
    assert.ok(located.size >= 4, [...located].join(', '));
  });
});

describe('LocateMemo', () => {
  const index = (prefix: string, symbols: string[]) =>
    ({
      symbolPrefix: prefix,
      funcs: symbols.map((symbol) => ({ symbol })),
      bySymbol: new Map(symbols.map((s) => [s, { symbol: s }])),
    }) as unknown as PackageIndex;
  const pkg = (dir: string, ix: PackageIndex) => ({ dir, index: ix }) as unknown as Pkg;

  it('drops an answer when another changed package now declares the symbol, and only then', () => {
    const a = pkg('/a', index('ex/p', []));
    const b = pkg('/b', index('ex/p', ['ex/p.F']));
    const c = pkg('/c', index('ex/q', ['ex/q.G']));
    const packages = new Map([
      ['/a', a],
      ['/b', b],
      ['/c', c],
    ]);
    const memo = new LocateMemo();
    memo.sync(packages);
    memo.set('ex/p.F', { from: b, byPrefix: true, at: { file: '/b/f.go', line: 3, character: 0 } });
    memo.set('ex/q.G', { from: c, byPrefix: true, at: { file: '/c/g.go', line: 9, character: 0 } });
    // a package of another prefix changes and declares F: the first pass never looks at it
    c.index = index('ex/q', ['ex/q.G', 'ex/p.F']);
    memo.sync(packages);
    assert.ok(memo.get('ex/p.F'));
    assert.equal(memo.get('ex/q.G'), undefined, 'the answer of the changed package itself');
    // a package of the same prefix, before b, changes and declares F: it comes first now
    a.index = index('ex/p', ['ex/p.F']);
    memo.sync(packages);
    assert.equal(memo.get('ex/p.F'), undefined);
    // a new package list drops everything
    memo.set('ex/p.F', { from: a, byPrefix: true, at: null });
    memo.sync(new Map(packages));
    assert.equal(memo.get('ex/p.F'), undefined);
  });
});
