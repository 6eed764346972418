/**
 * The real-code corpus against the Go toolchain on PATH: the committed compiler outputs are
 * current (scripts/corpus.mjs --check rebuilds them from the committed profiles and vendor/ and
 * compares byte for byte), and the agreement figures measured with `go list` (as the CLI runs)
 * meet the bars of test/unit/corpus/floors.ts for an engine that knows the Go root.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../paths';
import { assertBars, bars } from '../../unit/corpus/floors';
import { corpusModules, formatFigures, measureModule } from '../../unit/corpus/measure';
import { goroot, requireGo } from '../goenv';

describe('real-code corpus (Go toolchain)', requireGo(), () => {
  const mods = corpusModules();

  it('has at least four modules, each with its bars', () => {
    assert.ok(mods.length >= 4, `only ${mods.length} corpus modules`);
    assert.deepEqual(Object.keys(bars).sort(), mods.map((m) => m.name));
  });

  for (const mod of mods) {
    it(`${mod.name}: committed outputs are current (go version, preprofile, pgodebug, symbols, pprof top)`, { timeout: 600_000 }, () => {
      const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'corpus.mjs'), '--check', '--only', mod.name], { encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.equal(r.status, 0, `scripts/corpus.mjs --check --only ${mod.name} exited with ${r.status}:\n${r.stdout}${r.stderr}`);
    });

    it(`${mod.name}: recall 100 % but for the known misses, precision at least its floor (report with go list)`, { timeout: 300_000 }, async () => {
      const f = await measureModule(mod, { goroot: goroot(), editor: true });
      const text = formatFigures(f).join('\n');
      console.log(text);
      assertBars(mod.name, 'goroot', f, text);
    });
  }
});
