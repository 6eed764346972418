/**
 * Oracle: per-function and per-line flat/cum (src/pgo/flatcum.ts, `pgo-lens top`/`list`) equal
 * what `go tool pprof -top -nodefraction=0`, `-top -lines` and `-list` print, on every fixture
 * profile, every real-code corpus profile (test/corpus), cmd/compile's default.pgo and a synthetic profile with inlined frames,
 * recursion and unsymbolized locations. The numbers are parsed from pprof's text output
 * (`-unit=ns` for cpu, so values are exact integers).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadPprofFile } from '../../src/pgo/load';
import type { PprofProfile } from '../../src/profile/pprof';
import { pprofNumbers, pprofSampleIndex, topOrder } from '../../src/pgo/flatcum';
import { formatPercent } from '../../src/pgo/percent';
import { main } from '../../src/cli/main';
import { fixtureProfiles } from '../fuzzing';
import { repoRoot } from '../paths';
import { edgeCaseProfile, synthPprof } from '../synth';
import { goroot, requireGo, tmpDir } from './goenv';

const opts = requireGo();

/** test/corpus/<module>/…/default.pgo. */
function corpusProfiles(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory() && e.name !== 'vendor' && e.name !== 'expected') walk(path.join(d, e.name));
      else if (e.name === 'default.pgo') out.push(path.join(d, e.name));
    }
  };
  walk(path.join(repoRoot, 'test', 'corpus'));
  return out;
}

interface PprofRow {
  name: string;
  flat: number;
  cum: number;
}
/** A row with pprof's printed flat% and cum%. */
interface PrintedRow extends PprofRow {
  pct: [string, string];
}

/** `go tool pprof ARGS FILE`; `raw`: with -symbolize=none (the profile's names, no demangling heuristics). */
function goPprof(file: string, args: string[], raw = true): string {
  const r = spawnSync('go', ['tool', 'pprof', ...(raw ? ['-symbolize=none'] : []), ...args, file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, `go tool pprof ${args.join(' ')} ${file} failed: ${r.stderr}`);
  return r.stdout;
}

/** A pprof value: `487` or `4870000000ns` (with -unit=ns). */
function value(s: string): number {
  const m = /^(-?\d+)(ns)?$/.exec(s);
  assert.ok(m, `unexpected pprof value ${JSON.stringify(s)} (not an exact integer)`);
  return Number(m[1]);
}

/** Rows of `go tool pprof -top` ("flat flat% sum% cum cum% name [(inline)]") and its total. */
function parseTop(text: string): { total: number; rows: PrintedRow[] } {
  const total = /of (\S+) total/.exec(text);
  assert.ok(total, `no total in pprof output:\n${text.slice(0, 500)}`);
  const rows: PrintedRow[] = [];
  let inRows = false;
  for (const line of text.split('\n')) {
    if (/^\s+flat\s+flat%\s+sum%\s+cum\s+cum%/.test(line)) {
      inRows = true;
      continue;
    }
    if (!inRows || line.trim() === '') continue;
    const m = /^\s*(\S+)\s+(\S+%)\s+\S+%\s+(\S+)\s+(\S+%)\s+(.*)$/.exec(line);
    assert.ok(m, `unparsed pprof row ${JSON.stringify(line)}`);
    rows.push({ name: m[5]!.replace(/ \((partial-)?inline\)$/, ''), flat: value(m[1]!), cum: value(m[3]!), pct: [m[2]!, m[4]!] });
  }
  return { total: value(total[1]!), rows };
}

function unitArgs(type: string): string[] {
  return type === 'cpu' ? ['-unit=ns'] : [];
}

/** Both namings: -symbolize=none vs our raw names, and pprof's default display names vs ours. */
async function assertTopEqual(file: string): Promise<void> {
  const p = await loadPprofFile(file);
  for (const names of ['raw', 'pprof'] as const) {
    for (const t of p.sampleTypes) await assertTopEqualAs(file, p, t.type, names);
  }
}

async function assertTopEqualAs(file: string, p: PprofProfile, type: string, names: 'raw' | 'pprof'): Promise<void> {
  const raw = names === 'raw';
  const vi = pprofSampleIndex(p, type);
  const ours = pprofNumbers(p, vi, names);
  const pct = (v: number): number => (ours.total !== 0 ? (v / ours.total) * 100 : 0);
  // -top (functions)
  const go = parseTop(goPprof(file, ['-top', '-nodefraction=0', '-edgefraction=0', `-sample_index=${type}`, ...unitArgs(type)], raw));
  assert.equal(ours.total, go.total, `${file} ${type} ${names}: total`);
  const mine = topOrder(ours.functions).map((f) => ({ name: f.name, flat: f.flat, cum: f.cum, pct: [formatPercent(pct(f.flat)), formatPercent(pct(f.cum))] }));
  assert.deepEqual(mine, go.rows, `${file} ${type}: -top rows (order, names, flat, cum, flat%, cum% as printed)`);
  // -top -lines (the nodes -list sums per line)
  const lines = parseTop(goPprof(file, ['-top', '-lines', '-nodefraction=0', '-edgefraction=0', `-sample_index=${type}`, ...unitArgs(type)], raw));
  const goLines = new Map(lines.rows.map((r) => [r.name, [r.flat, r.cum]]));
  const ourLines = new Map<string, number[]>(
    ours.functions.flatMap((f) => f.lines.map((l): [string, number[]] => [`${f.name} ${l.file}:${l.line}`, [l.flat, l.cum]])),
  );
  const unknown = ours.functions.find((f) => f.lines.some((l) => l.line === 0));
  if (unknown) {
    // A frame without a function prints as a name alone (no file:line) in -top -lines.
    ourLines.delete(`${unknown.name} :0`);
    const l = unknown.lines.find((x) => x.line === 0)!;
    ourLines.set(unknown.name, [l.flat, l.cum]);
  }
  assert.equal(ourLines.size, goLines.size, `${file} ${type}: number of -top -lines rows`);
  for (const [k, v] of goLines) assert.deepEqual(ourLines.get(k), v, `${file} ${type}: line ${k}`);
}

describe('flat/cum equal go tool pprof -top and -top -lines', opts, () => {
  it('every fixture profile, both sample types', async () => {
    const files = fixtureProfiles();
    assert.ok(files.length >= 4, `expected at least 4 fixture profiles, found ${files.length}`);
    for (const f of files) await assertTopEqual(f);
  });
  it('every real-code corpus profile (collected normally, without asyncpreemptoff)', async () => {
    const files = corpusProfiles();
    assert.ok(files.length >= 4, `expected at least 4 corpus profiles, found ${files.length}`);
    for (const f of files) await assertTopEqual(f);
  });
  it("cmd/compile's default.pgo (a real, wide profile)", async () => {
    await assertTopEqual(path.join(goroot(), 'src', 'cmd', 'compile', 'default.pgo'));
  });
  it('a synthetic profile with inlined frames, recursion, unsymbolized locations, zero and empty samples', async () => {
    const dir = tmpDir('pprof-synth');
    try {
      const f = path.join(dir, 'edge.pb');
      fs.writeFileSync(f, synthPprof(edgeCaseProfile()));
      await assertTopEqual(f);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pgo-lens top --json and list --json equal go tool pprof', opts, () => {
  const file = path.join(repoRoot, 'test', 'fixtures', 'interp', 'default.pgo');

  async function cli(args: string[]): Promise<unknown> {
    let text = '';
    const out = new Writable({
      write(chunk: Buffer, _enc: string, cb: () => void) {
        text += chunk.toString();
        cb();
      },
    });
    const code = await main(args, out, out);
    assert.equal(code, 0, text);
    return JSON.parse(text);
  }

  it("top: default sample index is pprof's (cpu), rows as -top", async () => {
    const j = (await cli(['top', file, '--json'])) as { sampleIndex: string; unit: string; total: number; functions: PprofRow[] };
    const go = parseTop(goPprof(file, ['-top', '-nodefraction=0', '-unit=ns'], false));
    assert.deepEqual([j.sampleIndex, j.unit], ['cpu', 'nanoseconds']);
    assert.equal(j.total, go.total);
    assert.deepEqual(
      j.functions,
      go.rows.map(({ pct: _, ...r }) => r),
    );
  });

  it('list: per-line numbers as -list prints them, for every listed function', async () => {
    const j = (await cli(['list', file, '^main\\.', '--json', '--sample-index', 'samples'])) as {
      functions: Array<{ name: string; lines: Array<{ file: string; line: number; flat: number; cum: number }> }>;
    };
    // -list reads the source: map the recorded absolute paths onto this checkout.
    const recorded = j.functions[0]!.lines[0]!.file;
    const at = recorded.indexOf('/test/fixtures/');
    assert.ok(at >= 0, `unexpected fixture path ${recorded}`);
    const text = goPprof(file, ['-list', '^main\\.', '-sample_index=samples', `-trim_path=${recorded.slice(0, at)}`, `-source_path=${repoRoot}`]);
    const goLines = new Map<string, [number, number]>();
    let routine = '';
    for (const line of text.split('\n')) {
      const r = /^ROUTINE =+ (\S+) in (\S+)$/.exec(line);
      if (r) {
        routine = `${r[1]} ${r[2]}`;
        continue;
      }
      assert.doesNotMatch(line, /^ Error:/, 'pprof could not read the source');
      const m = /^\s*(\S+)\s+(\S+)\s+(\d+):/.exec(line);
      if (!m || (m[1] === '.' && m[2] === '.')) continue;
      goLines.set(`${routine}:${m[3]}`, [m[1] === '.' ? 0 : Number(m[1]), m[2] === '.' ? 0 : Number(m[2])]);
    }
    const ours = new Map<string, [number, number]>();
    for (const f of j.functions) for (const l of f.lines) ours.set(`${f.name} ${l.file.slice(at + 1)}:${l.line}`, [l.flat, l.cum]);
    assert.ok(goLines.size > 20, `expected many listed lines, got ${goLines.size}`);
    assert.deepEqual(new Map([...ours].sort()), new Map([...goLines].sort()));
  });
});
