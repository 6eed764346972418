/**
 * Oracle: our benchstat statistics equal the real benchstat's on the same raw benchmark output:
 * medians, 95 % confidence intervals, deltas or "~", and p-values, on samples that take every
 * path (exact U without and with ties, normal approximations, too few samples, all equal).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { requireGo, tmpDir } from '../goenv';
import { assertSameAsBenchstat, benchstatCsv, installBenchstat } from './benchstat-tool';

const opts = requireGo();
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** name → [off values, pgo values] (ns/op). */
function dataSets(): Map<string, [number[], number[]]> {
  const r = rng(17);
  const noisy = (n: number, center: number, spread: number, round = 0): number[] =>
    Array.from({ length: n }, () => {
      const v = center * (1 + (r() - 0.5) * spread);
      return round ? Math.round(v / round) * round : Math.round(v * 1000) / 1000;
    });
  const m = new Map<string, [number[], number[]]>();
  m.set('Faster6', [noisy(6, 1000, 0.1), noisy(6, 800, 0.1)]);
  m.set('Same6', [noisy(6, 1000, 0.2), noisy(6, 1000, 0.2)]);
  m.set('Slower10', [noisy(10, 500, 0.05), noisy(10, 530, 0.05)]);
  m.set('Ties10', [noisy(10, 100, 0.2, 5), noisy(10, 104, 0.2, 5)]);
  m.set('Ties20', [noisy(20, 100, 0.1, 2), noisy(20, 101, 0.1, 2)]);
  m.set('Large30', [noisy(30, 2000, 0.3), noisy(30, 1900, 0.3)]);
  m.set('Normal35', [noisy(35, 2000, 0.3), noisy(35, 1950, 0.3)]);
  m.set('TiesNormal40', [noisy(40, 100, 0.2, 4), noisy(40, 102, 0.2, 4)]);
  for (let n = 21; n <= 29; n++) m.set(`Mid${n}`, [noisy(n, 700, 0.2), noisy(n, 690, 0.2)]);
  m.set('Few2', [noisy(2, 50, 0.1), noisy(2, 40, 0.1)]);
  m.set('Few4', [noisy(4, 50, 0.1), noisy(4, 40, 0.1)]);
  m.set('Equal5', [
    [7, 7, 7, 7, 7],
    [7, 7, 7, 7, 7],
  ]);
  m.set('Uneven', [noisy(5, 300, 0.1), noisy(8, 250, 0.1)]);
  return m;
}

function goBench(sets: Map<string, [number[], number[]]>, side: 0 | 1): string {
  const lines = ['goos: linux', 'goarch: amd64', 'pkg: example.com/x'];
  for (const [name, v] of sets) for (const x of v[side]) lines.push(`Benchmark${name}-2\t1000\t${x} ns/op`);
  return lines.join('\n') + '\n';
}

describe('statistics agree with benchstat', opts, () => {
  it('medians, CIs, deltas and p-values on every path', () => {
    const dir = tmpDir('benchstat');
    dirs.push(dir);
    const bin = installBenchstat(dir);
    const sets = dataSets();
    const off = path.join(dir, 'off.txt');
    const pgo = path.join(dir, 'pgo.txt');
    fs.writeFileSync(off, goBench(sets, 0));
    fs.writeFileSync(pgo, goBench(sets, 1));
    const rows = benchstatCsv(bin, off, pgo);
    assert.equal(rows.length, sets.size);
    const deltas = rows.map((r) => r.delta);
    assert.ok(deltas.includes('~') && deltas.some((d) => d !== '~'), `expected significant and non-significant rows: ${deltas.join(' ')}`);
    assertSameAsBenchstat(fs.readFileSync(off, 'utf8'), fs.readFileSync(pgo, 'utf8'), rows);
  });
});
