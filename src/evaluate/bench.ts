/**
 * Speed: a package's benchmarks with test binaries built both ways (`go test -c -pgo=off` and
 * `-pgo=FILE`), run alternately (off, pgo, off, pgo, … `count` times each, one
 * `-test.count=1` run per turn) so that drift of the machine hits both sides alike. The raw
 * output of each side is kept in Go's benchmark format, so `benchstat off.txt pgo.txt` can
 * read exactly what the statistics were computed from.
 *
 * A main package's test binary names its functions by import path, not `main.`: for its
 * benchmarks the profile is respelled (`main.f` → `example.com/m/cmd/x.f`) into a temporary
 * copy, or PGO would not apply to the package's own code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError, type RunOptions, runGoProcess } from '../compiler/build';
import { loadProfileFile } from '../pgo/load';
import { encodePprofGzip } from '../profile/encode';
import { rewritePprof } from '../match/rewrite';
import { pathToPrefix } from '../source/names';
import { compare, type Comparison, summarize, type Summary } from './stats';

export interface BenchOptions extends RunOptions {
  pkgDir: string;
  /** Import path and name of the package (go list). */
  pkg: { name: string; importPath: string };
  profile: string;
  bench: string;
  count: number;
  benchtime?: string;
  workDir: string;
  /** Called after each run with (done, total). */
  onRun?: (done: number, total: number, side: 'off' | 'pgo') => void;
}

export interface BenchSample {
  name: string;
  unit: string;
  values: number[];
}

export interface BenchDelta {
  name: string;
  unit: string;
  off: Summary;
  pgo: Summary;
  comparison: Comparison;
  /** (pgo / off − 1) × 100 of the medians; null when not significant. */
  deltaPercent: number | null;
}

export interface SpeedResult {
  pkg: string;
  /** Raw `go test -bench` output per side (header lines once, then every result line). */
  raw: { off: string; pgo: string };
  deltas: BenchDelta[];
  warnings: string[];
}

const RESULT = /^(Benchmark\S*)\s+(\d+)\s+(.*)$/;
const HEADER = /^(goos|goarch|pkg|cpu):/;

/** A copy of the profile with `main.` functions named as in the test binary of the main package `importPath`. */
export async function profileForMainTests(profile: string, importPath: string, out: string): Promise<number> {
  const loaded = await loadProfileFile(profile, { keepSamples: true, heat: false });
  if (!loaded.pprof) throw new Error(`${profile} is not a pprof profile; cannot name it for the test binary`);
  const p = loaded.pprof;
  const renames = new Map<string, string>();
  const prefix = pathToPrefix(importPath);
  for (let f = 0; f < p.functions.count; f++) {
    const name = p.strings[p.functions.name[f]!] ?? '';
    if (name.startsWith('main.')) renames.set(name, `${prefix}.${name.slice(5)}`);
  }
  rewritePprof(p, { renames, realign: new Map() });
  await fs.promises.writeFile(out, encodePprofGzip(p));
  return renames.size;
}

/** Parses `go test -bench` result lines into per-(benchmark, unit) samples; ns/op becomes sec/op as benchstat reports it. */
export function parseBenchOutput(text: string, into = new Map<string, BenchSample>()): Map<string, BenchSample> {
  for (const line of text.split('\n')) {
    const m = RESULT.exec(line.trim());
    if (!m) continue;
    const name = m[1]!.replace(/^Benchmark/, '');
    const fields = m[3]!.trim().split(/\s+/);
    for (let i = 0; i + 1 < fields.length; i += 2) {
      let v = Number(fields[i]);
      let unit = fields[i + 1]!;
      if (!Number.isFinite(v)) continue;
      if (unit === 'ns/op') {
        v *= 1e-9;
        unit = 'sec/op';
      }
      const key = `${name}\0${unit}`;
      const s = into.get(key) ?? { name, unit, values: [] };
      s.values.push(v);
      into.set(key, s);
    }
  }
  return into;
}

/** The per-benchmark comparison of the two sides (benchstat's rows, in first-seen order). */
export function compareSides(off: Map<string, BenchSample>, pgo: Map<string, BenchSample>): BenchDelta[] {
  const out: BenchDelta[] = [];
  for (const [key, a] of off) {
    const b = pgo.get(key);
    if (!b) continue;
    const so = summarize(a.values);
    const sp = summarize(b.values);
    const c = compare(a.values, b.values);
    const significant = c.p <= c.alpha && so.center !== 0;
    out.push({ name: a.name, unit: a.unit, off: so, pgo: sp, comparison: c, deltaPercent: significant ? (sp.center / so.center - 1) * 100 : null });
  }
  return out;
}

async function goTestBinary(o: BenchOptions, pgo: string, out: string): Promise<void> {
  const args = ['test', '-c', '-buildvcs=false', `-pgo=${pgo}`, '-o', out, '.'];
  const r = await runGoProcess(o.go ?? 'go', args, o.pkgDir, o);
  if (r.code !== 0) throw new BuildError(`go ${args.join(' ')} failed in ${o.pkgDir}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, r.combined);
  if (!fs.existsSync(out))
    throw new BuildError(
      `${o.pkg.importPath} has no test files, so no benchmarks (go test -c wrote no binary); choose another package with --bench-pkg`,
      r.combined,
    );
}

/** Builds both test binaries and runs them alternately. */
export async function runSpeed(o: BenchOptions): Promise<SpeedResult> {
  const warnings: string[] = [];
  let profile = path.resolve(o.profile);
  if (o.pkg.name === 'main') {
    const respelled = path.join(o.workDir, 'tests.pgo');
    const n = await profileForMainTests(profile, o.pkg.importPath, respelled);
    profile = respelled;
    warnings.push(
      `${o.pkg.importPath} is a main package: its test binary names its functions ${pathToPrefix(o.pkg.importPath)}.*, so ${n} main.* profile functions were respelled for it`,
    );
  }
  const bin = (s: string): string => path.join(o.workDir, process.platform === 'win32' ? `${s}.test.exe` : `${s}.test`);
  await goTestBinary(o, 'off', bin('off'));
  await goTestBinary(o, profile, bin('pgo'));
  const args = ['-test.run=^$', `-test.bench=${o.bench}`, '-test.count=1', ...(o.benchtime ? [`-test.benchtime=${o.benchtime}`] : [])];
  const raw = { off: [] as string[], pgo: [] as string[] };
  const total = 2 * o.count;
  let done = 0;
  for (let i = 0; i < o.count; i++) {
    for (const side of ['off', 'pgo'] as const) {
      const r = await runGoProcess(bin(side), args, o.pkgDir, o, (chunk) => o.onOutput?.(chunk));
      if (r.code !== 0)
        throw new BuildError(
          `the ${side} benchmark binary of ${o.pkg.importPath} failed (exit ${r.code ?? r.signal}): ${r.combined.trim().split('\n').slice(-3).join(' ')}`,
          r.combined,
        );
      for (const line of r.stdout.split('\n')) {
        if (HEADER.test(line)) {
          if (i === 0) raw[side].push(line);
        } else if (RESULT.test(line.trim())) raw[side].push(line.trim());
      }
      o.onRun?.(++done, total, side);
    }
  }
  const off = parseBenchOutput(raw.off.join('\n'));
  if (off.size === 0) throw new BuildError(`no benchmark of ${o.pkg.importPath} matches -bench ${JSON.stringify(o.bench)}`, raw.off.join('\n'));
  const pgo = parseBenchOutput(raw.pgo.join('\n'));
  return { pkg: o.pkg.importPath, raw: { off: raw.off.join('\n') + '\n', pgo: raw.pgo.join('\n') + '\n' }, deltas: compareSides(off, pgo), warnings };
}
