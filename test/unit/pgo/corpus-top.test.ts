/**
 * Without Go: our per-function numbers reproduce the committed `go tool pprof -top
 * -nodefraction=0 -nodecount=0` output of every real-code corpus module
 * (test/corpus/<m>/expected/<bin>.top.txt, written by scripts/corpus.mjs): the same rows in the
 * same order, the same flat% and cum% as printed, and the same total. pprof prints cpu values
 * in rounded seconds there, so the values are compared as pprof rounds them; the oracle test
 * (test/oracle/pprof.test.ts) compares exact values with a live `go tool pprof`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadPprofFile } from '../../../src/pgo/load';
import { pprofNumbers, pprofSampleIndex, topOrder } from '../../../src/pgo/flatcum';
import { formatPercent } from '../../../src/pgo/percent';
import { repoRoot } from '../../paths';

const corpus = path.join(repoRoot, 'test', 'corpus');

/** pprof's ScaledLabel of nanoseconds in seconds (`%.2f` with `.00` trimmed, as -top prints them). */
function seconds(ns: number): string {
  if (ns === 0) return '0';
  const s = (ns / 1e9).toFixed(2);
  return `${s.endsWith('.00') ? s.slice(0, -3) : s}s`;
}

describe('per-function numbers equal the committed go tool pprof -top of the corpus', () => {
  const modules = fs.existsSync(corpus) ? fs.readdirSync(corpus).filter((m) => fs.existsSync(path.join(corpus, m, 'expected', 'summary.json'))) : [];
  it('has the corpus', () => assert.ok(modules.length >= 4, `expected at least 4 corpus modules, found ${modules.length}`));
  for (const m of modules) {
    it(m, async () => {
      const summary = JSON.parse(fs.readFileSync(path.join(corpus, m, 'expected', 'summary.json'), 'utf8')) as { bin: string; profile: string };
      const top = fs.readFileSync(path.join(corpus, m, 'expected', `${summary.bin}.top.txt`), 'utf8');
      const p = await loadPprofFile(path.join(corpus, m, summary.profile));
      const ours = pprofNumbers(p, pprofSampleIndex(p), 'pprof'); // pprof's default sample index (cpu) and names
      const total = /of (\S+) total/.exec(top)![1]!;
      assert.equal(seconds(ours.total), total);
      const rows = top
        .split('\n')
        .map((l) => /^\s*(\S+)\s+(\S+%)\s+\S+%\s+(\S+)\s+(\S+%)\s+(.*?)( \((partial-)?inline\))?$/.exec(l))
        .filter((x): x is RegExpExecArray => !!x && x[1] !== 'flat')
        .map((x) => [x[5], x[1], x[2], x[3], x[4]]);
      const pct = (v: number): string => formatPercent((v / ours.total) * 100);
      const mine = topOrder(ours.functions).map((f) => [f.name, seconds(f.flat), pct(f.flat), seconds(f.cum), pct(f.cum)]);
      assert.ok(rows.length > 20, `${m}: parsed ${rows.length} rows`);
      // Rows of equal (rounded) flat may print in either order only if pprof's order differed: it must not.
      assert.deepEqual(mine, rows);
    });
  }
});
