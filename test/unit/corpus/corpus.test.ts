/**
 * The real-code corpus (test/corpus, committed outputs; no Go needed): the outputs are complete
 * and consistent, and our report agrees with the compiler's printed decisions: recall 100 %
 * (every hot-budget inlining is an inline candidate, every PGO devirtualization is predicted),
 * precision at least the floors of floors.ts. The figures are printed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { goEnv, goEnvFromProcess } from '../../../src/source/packages';
import { assertBars, bars, type Mode } from './floors';
import { compilerSites, corpusModules, formatFigures, measureModule } from './measure';

const read = (f: string): string => fs.readFileSync(f, 'utf8');

describe('real-code corpus: committed outputs', () => {
  const mods = corpusModules();

  it('has at least four modules, one with many interface devirtualizations, one multi-package service', () => {
    assert.ok(mods.length >= 4, `only ${mods.length} corpus modules`);
    assert.deepEqual(Object.keys(bars).sort(), mods.map((m) => m.name), 'every corpus module needs its bars in floors.ts (and only those)');
    assert.ok(
      mods.some((m) => m.summary.devirtualizedInterfaceCalls >= 5),
      'no module with at least 5 PGO interface devirtualizations',
    );
    assert.ok(
      mods.some((m) => m.summary.compiledPackages.filter((p) => p.startsWith(m.summary.module + '/')).length >= 4),
      'no module with at least four packages of its own',
    );
  });

  for (const mod of mods) {
    const s = mod.summary;
    const exp = (f: string): string => path.join(mod.root, 'expected', f);

    it(`${mod.name}: profile, preprofile, pprof totals and go version are there`, () => {
      assert.ok(fs.statSync(path.join(mod.mainDir, 'default.pgo')).size > 0, 'empty default.pgo');
      const pre = read(exp(`${s.bin}.preprofile`));
      assert.match(pre, /^GO PREPROFILE V1\n/);
      assert.ok(pre.split('\n').length > 10, 'preprofile has no edges');
      const top = read(exp(`${s.bin}.top.txt`));
      assert.match(top, /^Type: cpu$/m);
      assert.match(top, /^ +flat +flat% +sum% +cum +cum%$/m);
      assert.equal(read(exp('go.version')).trim(), s.go);
      assert.match(s.go, /^go version go1\.\d+/);
    });

    it(`${mod.name}: pgodebug.txt has every compiled package and the summary's counts`, () => {
      const text = read(mod.pgodebugFile);
      const headers = new Set(text.split('\n').filter((l) => l.startsWith('# ')).map((l) => l.slice(2)));
      assert.ok(s.compiledPackages.length > 1, 'the library packages were not compiled with the flags');
      for (const p of s.compiledPackages) assert.ok(headers.has(p), `no compiler output for ${p}`);
      assert.equal(text.split('\n').filter((l) => l.startsWith('hot-budget check allows inlining')).length, s.hotBudgetLines);
      assert.ok(s.hotBudgetLines > 0, 'no hot-budget line');
      const cs = compilerSites(text);
      assert.equal(cs.devirtualized.length, new Set(text.split('\n').filter((l) => / PGO devirtualizing (interface|function) call /.test(l))).size);
      assert.match(text, /^hot-callsite-thres-from-CDF=/m);
      assert.doesNotMatch(text, /escapes to heap$|^\S+: leaking param/m, 'escape analysis lines should have been left out');
    });

    it(`${mod.name}: libraries vendored at the pinned versions, with their licenses`, () => {
      const modulesTxt = read(path.join(mod.root, 'vendor', 'modules.txt'));
      const gomod = read(path.join(mod.root, 'go.mod'));
      assert.ok(s.modules.length > 0);
      for (const m of s.modules) {
        assert.ok(modulesTxt.includes(`# ${m.path} ${m.version}\n`), `${m.path} ${m.version} is not in vendor/modules.txt`);
        assert.ok(gomod.includes(`${m.path} ${m.version}`), `${m.path} ${m.version} is not required by go.mod`);
        assert.ok(fs.statSync(path.join(mod.root, m.license)).size > 0, `no license file for ${m.path}`);
      }
    });

    it(`${mod.name}: recall 100 % but for the known misses, precision at least its floor`, { timeout: 120_000 }, async () => {
      // Without go list, as without a toolchain; the Go root (for the standard library's source) if one is known.
      const goroot = ((await goEnv()) ?? goEnvFromProcess()).goroot;
      const mode: Mode = goroot ? 'goroot' : 'noGoroot';
      const f = await measureModule(mod, { useGoList: false, editor: true, ...(goroot ? { goroot } : {}) });
      const text = formatFigures(f).join('\n');
      console.log(`(${mode})\n${text}`);
      assert.ok(f.inline.hotBudgetSites > 0);
      assertBars(mod.name, mode, f, text);
    });
  }
});
