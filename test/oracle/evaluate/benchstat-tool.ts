/** The real `benchstat`, installed from the Go module proxy into a temporary GOBIN, for the oracle tests. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareSides, parseBenchOutput } from '../../../src/evaluate/bench';
import { formatDelta, formatP, pctRange } from '../../../src/evaluate/stats';

/** The version whose output the unit tests quote. */
export const BENCHSTAT = 'golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da';

export function installBenchstat(dir: string): string {
  const gobin = path.join(dir, 'bin');
  fs.mkdirSync(gobin, { recursive: true });
  const r = spawnSync('go', ['install', BENCHSTAT], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOBIN: gobin, GOFLAGS: '-mod=mod' } });
  assert.equal(r.status, 0, `go install ${BENCHSTAT} failed: ${r.stderr}`);
  return path.join(gobin, process.platform === 'win32' ? 'benchstat.exe' : 'benchstat');
}

export interface BenchstatRow {
  name: string;
  off: number;
  offCI: string;
  pgo: number;
  pgoCI: string;
  delta: string;
  p: string;
}

/** `benchstat -format csv off=OFF pgo=PGO`, rows of the sec/op table. */
export function benchstatCsv(bin: string, off: string, pgo: string): BenchstatRow[] {
  const r = spawnSync(bin, ['-format', 'csv', `off=${off}`, `pgo=${pgo}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, `benchstat failed: ${r.stderr}`);
  const lines = r.stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(',sec/op,'));
  assert.ok(start >= 0, `no sec/op table in benchstat output:\n${r.stdout}`);
  const rows: BenchstatRow[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l === '' || l.startsWith('geomean')) break;
    const c = l.split(',');
    rows.push({ name: c[0]!, off: Number(c[1]), offCI: c[2]!, pgo: Number(c[3]), pgoCI: c[4]!, delta: c[5]!, p: c[6]! });
  }
  return rows;
}

/** Our rows (sec/op) equal benchstat's: medians, CI percentages, deltas or "~", p-values. */
export function assertSameAsBenchstat(offText: string, pgoText: string, rows: BenchstatRow[]): void {
  const ours = compareSides(parseBenchOutput(offText), parseBenchOutput(pgoText)).filter((d) => d.unit === 'sec/op');
  assert.deepEqual(
    ours.map((d) => d.name),
    rows.map((r) => r.name),
  );
  for (const [i, d] of ours.entries()) {
    const b = rows[i]!;
    const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
    assert.ok(close(d.off.center, b.off) && close(d.pgo.center, b.pgo), `${d.name}: medians ${d.off.center}/${d.pgo.center}, benchstat ${b.off}/${b.pgo}`);
    assert.equal(pctRange(d.off), b.offCI, `${d.name}: off CI`);
    assert.equal(pctRange(d.pgo), b.pgoCI, `${d.name}: pgo CI`);
    assert.equal(formatDelta(d.comparison, d.off.center, d.pgo.center), b.delta, `${d.name}: delta`);
    assert.equal(formatP(d.comparison), b.p, `${d.name}: p`);
  }
}
