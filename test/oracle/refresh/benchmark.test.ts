/**
 * Benchmark profiles against the Go toolchain: `go test -bench -cpuprofile` on the shapes
 * fixture's main package (test/fixtures/shapes/cmd/shapes/bench_test.go), the names respelled
 * from the test binary's `example.com/shapes/cmd/shapes.` to `main.`, and the compiler's reaction
 * to the profile before and after (go build -pgo=… -d=pgodebug=1). Also: nothing written into
 * the workspace, cancellation (no profile, no files, no processes left), go test failures, and
 * validateForCompiler agreeing with `go tool preprofile` on what it rejects.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseArgs } from '../../../src/cli/args';
import { benchmarkCommand } from '../../../src/cli/commands/benchmark';
import { buildReport } from '../../../src/match/report';
import { loadProfileBytes } from '../../../src/pgo/load';
import { goFormatFloat } from '../../../src/pgo/gofmt';
import { gzip } from '../../../src/profile/inflate';
import { BenchmarkError, type BenchmarkResult, runBenchmark } from '../../../src/refresh/benchmark';
import { diffProfiles } from '../../../src/refresh/changes';
import { validateForCompiler } from '../../../src/refresh/validate';
import { edgeCaseProfile, synthPprof } from '../../synth';
import { fixturesDir } from '../../paths';
import { goBuild, goPreprofile, printedThresholds, requireGo, tmpDir as makeTmpDir } from '../goenv';

const opts = requireGo();

/** Temporary directories of this file, removed at the end. */
const made: string[] = [];
function tmpDir(prefix: string): string {
  const d = makeTmpDir(`t${prefix}`);
  made.push(d);
  return d;
}
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
const shapesRoot = path.join(fixturesDir, 'shapes');
const shapesMain = path.join(shapesRoot, 'cmd', 'shapes');
const PKG = 'example.com/shapes/cmd/shapes';
const GCFLAGS = `-gcflags=${PKG}=-m -d=pgodebug=1`;
/** The compiler's output for shapes with this profile, built once per profile (each new profile compiles every dependency again). */
const shapesBuilds = new Map<string, string>();
function buildShapes(pgo: string): string {
  let out = shapesBuilds.get(pgo);
  if (out === undefined) shapesBuilds.set(pgo, (out = goBuild(shapesRoot, [`-pgo=${pgo}`, GCFLAGS, './cmd/shapes'])));
  return out;
}

/** Every file under dir (relative), to prove nothing was added to the workspace. */
function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Processes whose command line mentions `s` (Linux /proc). */
function processesMentioning(s: string): number[] {
  const pids: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(s)) pids.push(Number(e));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** (callee, file:line, caller) of each hot-budget line of the build output. */
function hotBudget(out: string): Set<string> {
  return new Set(
    [...out.matchAll(/^hot-budget check allows inlining for call (\S+) \(cost \d+\) at (\S+):(\d+):\d+ in function (\S+)$/gm)].map(
      (m) => `${m[1]} at ${m[2]}:${m[3]} in ${m[4]}`,
    ),
  );
}

/** A throw-away Go module under a temporary directory. */
function tmpModule(files: Record<string, string>): string {
  const root = tmpDir('benchmod');
  fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/tmpbench\n\ngo 1.23\n');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const BURN = `
func burn(n int) uint64 {
	h := uint64(1469598103934665603)
	for i := 0; i < n; i++ {
		h = (h ^ uint64(i)) * 1099511628211
	}
	return h
}
`;

async function rejection(p: Promise<unknown>): Promise<BenchmarkError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof BenchmarkError, `expected a BenchmarkError, got ${(e as Error).stack}`);
    return e;
  }
  assert.fail('expected the benchmark to fail');
}

describe('benchmark profiles of a main package, as the compiler sees them', opts, () => {
  let r: BenchmarkResult;
  let workDir = '';
  const lines: string[] = [];
  const work = tmpDir('bench');

  it('runs go test -bench with nothing written into the workspace, streaming its output', async () => {
    const before = listTree(shapesRoot);
    r = await runBenchmark({
      pkgDir: shapesMain,
      bench: 'Round',
      // A fixed amount of work (about 2.5 s of CPU, 0.25 ms an iteration), not a time: the CPU profile samples CPU time, so
      // the sample count (and the few-samples warning) does not depend on how busy the machine is; '2s' gave 98 samples under load.
      benchtime: '10000x',
      targetMainDir: shapesMain,
      onLine: (l) => lines.push(l),
      onStart: (i) => (workDir = i.workDir),
    });
    assert.deepEqual(listTree(shapesRoot), before, 'go test must not leave the test binary or anything else in the module');
    assert.ok(workDir && !fs.existsSync(workDir), 'the private work directory is removed');
    assert.ok(
      lines.some((l) => l.startsWith('pkg: example.com/shapes/cmd/shapes')),
      lines.join('\n'),
    );
    assert.equal(r.pkg.importPath, PKG);
    assert.equal(r.pkg.name, 'main');
    assert.equal(r.benchmarks.length, 1);
    assert.match(r.benchmarks[0]!.name, /^BenchmarkRound(-\d+)?$/);
    assert.ok(r.benchmarks[0]!.iterations > 0 && r.benchmarks[0]!.nsPerOp > 0);
    assert.deepEqual(r.warnings, []);
    console.log(`benchmark: ${r.facts.samples} samples, ${r.facts.edges} edges, ${r.rewrite!.renamed.length} functions renamed`);
  });

  it('the test binary names the main package by import path; the rewrite names it main. for the compiler', () => {
    // go tool preprofile is the compiler's own reader of the profile
    const rawFile = path.join(work, 'test.pprof');
    const fixedFile = path.join(work, 'fixed.pprof');
    fs.writeFileSync(rawFile, r.testProfile);
    fs.writeFileSync(fixedFile, r.bytes);
    const raw = goPreprofile(rawFile);
    const fixed = goPreprofile(fixedFile);
    assert.ok(raw.ok && fixed.ok);
    const rawText = raw.out.toString();
    const fixedText = fixed.out.toString();
    assert.match(rawText, /^example\.com\/shapes\/cmd\/shapes\.round$/m);
    assert.doesNotMatch(rawText, /^main\.round$/m);
    assert.match(fixedText, /^main\.round$/m);
    // only the benchmark itself (declared in bench_test.go, absent from the program) keeps its test name
    assert.deepEqual([...new Set(fixedText.split('\n').filter((l) => l.includes(`${PKG}.`)))], [`${PKG}.BenchmarkRound`]);
    assert.deepEqual(r.rewrite!.testOnly, [`${PKG}.BenchmarkRound`]);
    assert.ok(r.rewrite!.renamed.some((x) => x.from === `${PKG}.round` && x.to === 'main.round'));
    // same edges and weights otherwise: the rewrite only renames
    const norm = (t: string): string => t.replaceAll(`${PKG}.`, 'main.');
    assert.equal(norm(rawText).split('\n').length, fixedText.split('\n').length);
    assert.equal(loadProfileBytes(r.bytes).profile.totalWeight, loadProfileBytes(r.testProfile).profile.totalWeight);
  });

  it('the compiler makes hot-budget decisions in main. functions after the rewrite, and none before', () => {
    const fixedOut = buildShapes(path.join(work, 'fixed.pprof'));
    const rawOut = buildShapes(path.join(work, 'test.pprof'));
    const after = [...hotBudget(fixedOut)].filter((l) => / in main\./.test(l));
    const before = [...hotBudget(rawOut)].filter((l) => / in main\./.test(l));
    console.log(`hot-budget lines in main.* functions: ${before.length} with the test names, ${after.length} after the rewrite`);
    assert.ok(after.length > 0, `no hot-budget decision in main.* after the rewrite:\n${fixedOut}`);
    assert.deepEqual(before, []);
    // the compiler saw the same total weight and hot set either way (only names changed)
    assert.deepEqual(printedThresholds(fixedOut), [goFormatFloat(r.facts.thresholdPercent)]);
    assert.deepEqual(printedThresholds(rawOut), [goFormatFloat(r.facts.thresholdPercent)]);

    // the same kind of decisions as the fixture's own profile gives (same call sites)
    const regular = hotBudget(fs.readFileSync(path.join(shapesRoot, 'expected', 'shapes.pgodebug.txt'), 'utf8'));
    const shared = after.filter((l) => regular.has(l));
    console.log(`${shared.length} of them also made with the fixture's default.pgo: ${shared.join('; ')}`);
    assert.ok(shared.length > 0);
  });

  it("pgo-lens predicts the compiler's decisions for the rewritten profile (main package)", async () => {
    const fixedFile = path.join(work, 'fixed.pprof');
    const out = buildShapes(fixedFile);
    const report = await buildReport(shapesRoot, { profile: fixedFile });
    const b = report.binaries[0]!;
    const cands = new Set(b.inlineCandidates.map((c) => `${c.callee} at ${c.file}:${c.line}`));
    const misses = [...hotBudget(out)].map((l) => l.replace(/ in \S+$/, '')).filter((l) => / at cmd\/shapes\//.test(l) && !cands.has(l));
    assert.deepEqual(misses, []);
    const want = [...new Set([...out.matchAll(/^(cmd\/shapes\/\S+):(\d+):\d+: PGO devirtualizing/gm)].map((m) => `${m[1]}:${m[2]}`))].sort();
    const got = [...new Set(b.devirtualizations.filter((d) => d.file.startsWith('cmd/shapes/')).map((d) => `${d.file}:${d.line}`))].sort();
    assert.deepEqual(got, want);

    // what changes when default.pgo is replaced by the benchmark profile
    const old = (await buildReport(shapesRoot)).binaries[0]!;
    const c = diffProfiles({ match: old, profile: old.pgo }, { match: b, profile: b.pgo });
    console.log(`refresh to the benchmark profile: ${c.summary}`);
    assert.equal(c.after.samples, r.facts.samples);
    assert.equal(c.after.totalWeight, r.facts.totalWeight);
    assert.equal(c.before.hotCallSites - c.stoppedHot.length + c.becameHot.length, c.after.hotCallSites);
    // every function of the program in the benchmark profile is found in the source
    assert.deepEqual(b.unmatched, []);
    assert.equal(c.after.matchedPercent, 100);
  });

  it('keeps the test names when asked, or when the profile is for another main package', async () => {
    const other = path.join(fixturesDir, 'textproc', 'cmd', 'wordfreq');
    const k = await runBenchmark({ pkgDir: shapesMain, bench: 'Round', benchtime: '2000x', targetMainDir: other });
    assert.equal(k.rewrite, null);
    assert.equal(k.bytes, k.testProfile);
    assert.match(k.warnings[0]!, /another main package than example\.com\/textproc\/cmd\/wordfreq/);

    const kept = await runBenchmark({ pkgDir: shapesMain, bench: 'Round', benchtime: '2000x', count: 2, keepTestNames: true });
    assert.equal(kept.rewrite, null);
    assert.equal(kept.benchmarks.length, 2, '-count=2 runs the benchmark twice');
    assert.match(kept.warnings[0]!, /^names kept as the test binary spells them/);
    assert.ok(loadProfileBytes(kept.bytes).profile.edges.some((e) => e.caller === `${PKG}.round`));
  });
});

describe('benchmark: cancelling and failures', opts, () => {
  it('cancelling mid-run kills the process group, leaves no profile, files or processes', { timeout: 120_000 }, async () => {
    const before = listTree(shapesRoot);
    const ac = new AbortController();
    let start: { pid: number; workDir: string } | undefined;
    let sawBenchmarkRunning = false;
    const err = await rejection(
      runBenchmark({
        pkgDir: shapesMain,
        bench: 'Round',
        benchtime: '10m',
        signal: ac.signal,
        onStart: (i) => (start = i),
        onLine: (l) => {
          // printed by the test binary itself when the benchmark starts
          if (l.startsWith('cpu:')) {
            sawBenchmarkRunning = true;
            ac.abort();
          }
        },
      }),
    );
    assert.ok(sawBenchmarkRunning);
    assert.equal(err.kind, 'cancelled');
    assert.match(err.message, /cancelled/);
    assert.ok(start);
    assert.equal(fs.existsSync(start.workDir), false, 'work directory removed');
    assert.equal(groupAlive(start.pid), false, 'the process group is gone');
    assert.deepEqual(processesMentioning(start.workDir), [], 'no go, compiler or test binary process survives');
    assert.deepEqual(listTree(shapesRoot), before);
  });

  it('an already aborted signal runs nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await rejection(runBenchmark({ pkgDir: shapesMain, bench: '.', signal: ac.signal }));
    assert.equal(err.kind, 'cancelled');
  });

  it('a pattern that matches no benchmark is an error listing the benchmarks', async () => {
    const err = await rejection(runBenchmark({ pkgDir: shapesMain, bench: 'NoSuchBenchmark', benchtime: '1x' }));
    assert.equal(err.kind, 'no-benchmarks');
    assert.equal(err.message, `no benchmark of ${PKG} matches -bench "NoSuchBenchmark" (its benchmarks: BenchmarkRound)`);
  });

  it('a package without test files', async () => {
    const err = await rejection(runBenchmark({ pkgDir: path.join(fixturesDir, 'server'), bench: '.' }));
    assert.equal(err.kind, 'no-test-files');
    assert.match(err.message, /^example\.com\/server has no test files/);
  });

  it('a compile error, a failing benchmark, a directory that is no package', async () => {
    const root = tmpModule({
      'broken/main.go': 'package main\n\nfunc main() {}\n',
      'broken/main_test.go': 'package main\n\nimport "testing"\n\nfunc BenchmarkX(b *testing.B) { undefinedThing() }\n',
      'failing/main.go': `package main\n\nfunc main() {}\n${BURN}`,
      'failing/main_test.go': 'package main\n\nimport "testing"\n\nfunc BenchmarkBad(b *testing.B) { b.Fatal("broken on purpose") }\n',
      'empty/README': 'no Go here\n',
    });
    const before = listTree(root);
    const build = await rejection(runBenchmark({ pkgDir: path.join(root, 'broken'), bench: '.' }));
    assert.equal(build.kind, 'build-failed');
    assert.match(build.message, /^go test could not build example\.com\/tmpbench\/broken: .*undefined: undefinedThing/);
    const fail = await rejection(runBenchmark({ pkgDir: path.join(root, 'failing'), bench: '.' }));
    assert.equal(fail.kind, 'test-failed');
    assert.match(fail.message, /BenchmarkBad/);
    assert.match(fail.output, /broken on purpose/);
    const none = await rejection(runBenchmark({ pkgDir: path.join(root, 'empty'), bench: '.' }));
    assert.equal(none.kind, 'not-a-package');
    assert.deepEqual(listTree(root), before, 'failed runs leave nothing behind either');
  });

  it('bad options are usage errors before anything runs', async () => {
    assert.equal((await rejection(runBenchmark({ pkgDir: shapesMain, bench: '' }))).kind, 'usage');
    assert.equal((await rejection(runBenchmark({ pkgDir: shapesMain, bench: '.', benchtime: 'forever' }))).kind, 'usage');
    assert.equal((await rejection(runBenchmark({ pkgDir: shapesMain, bench: '.', count: 0 }))).kind, 'usage');
  });
});

describe('benchmark: packages other than the program', opts, () => {
  const root = tmpModule({
    'lib/lib.go': `package lib\n${BURN.replace('func burn', 'func Burn')}`,
    'lib/lib_test.go':
      'package lib\n\nimport "testing"\n\nvar sink uint64\n\nfunc BenchmarkBurn(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n\t\tsink += Burn(1000)\n\t}\n}\n',
    'cmd/user/main.go': 'package main\n\nimport "example.com/tmpbench/lib"\n\nfunc main() { println(lib.Burn(10)) }\n',
    'cmd/other/main.go': `package main\n\nfunc main() { println(burn(10)) }\n${BURN}`,
  });

  it('a library benchmark for a program that imports it: profile kept, warning says what it covers', async () => {
    const r = await runBenchmark({ pkgDir: path.join(root, 'lib'), bench: 'Burn', benchtime: '400000x', targetMainDir: path.join(root, 'cmd', 'user') });
    assert.equal(r.rewrite, null);
    // (a busy machine may add the few-samples warning)
    assert.deepEqual(
      r.warnings.slice(1).filter((w) => !/^only \d+ samples/.test(w)),
      [],
    );
    assert.match(
      r.warnings[0]!,
      /^example\.com\/tmpbench\/lib is not the main package example\.com\/tmpbench\/cmd\/user: the profile covers only what the benchmarks run/,
    );
    assert.ok(
      loadProfileBytes(r.bytes).profile.edges.some(
        (e) => e.caller === 'example.com/tmpbench/lib.BenchmarkBurn' && e.callee === 'example.com/tmpbench/lib.Burn',
      ),
    );
  });

  it('a library benchmark for a program that does not import it', async () => {
    const r = await runBenchmark({ pkgDir: path.join(root, 'lib'), bench: 'Burn', benchtime: '200000x', targetMainDir: path.join(root, 'cmd', 'other') });
    assert.match(r.warnings[0]!, /^example\.com\/tmpbench\/cmd\/other does not import example\.com\/tmpbench\/lib/);
  });
});

describe('pgo-lens benchmark (CLI command)', opts, () => {
  it('writes OUT atomically with main. names, keeping OUT.bak', async () => {
    const dir = tmpDir('benchcli');
    const out = path.join(dir, 'default.pgo');
    fs.writeFileSync(out, 'previous');
    // A fixed amount of work (about 1 s of CPU), like every benchmark of this file: with '1s', whose sample count depends on the
    // machine's load, this failed once at load 19 (no edge of BenchmarkRound in the profile).
    const args = parseArgs([shapesMain, '--bench', 'Round', '--benchtime', '4000x', '-o', out], benchmarkCommand.flags);
    await benchmarkCommand.run(args, process.stdout);
    assert.equal(fs.readFileSync(`${out}.bak`, 'utf8'), 'previous');
    const p = loadProfileBytes(fs.readFileSync(out)).profile;
    assert.ok(p.edges.some((e) => e.caller === 'main.round'));
    assert.deepEqual([...new Set(p.edges.flatMap((e) => [e.caller, e.callee]).filter((n) => n.startsWith(`${PKG}.`)))], [`${PKG}.BenchmarkRound`]);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['default.pgo', 'default.pgo.bak']);
  });

  it('writes nothing when the benchmark fails', async () => {
    const dir = tmpDir('benchcli');
    const out = path.join(dir, 'default.pgo');
    const args = parseArgs([shapesMain, '--bench', 'Nope', '--benchtime', '1x', '-o', out], benchmarkCommand.flags);
    await assert.rejects(
      benchmarkCommand.run(args, process.stdout),
      /no benchmark of example\.com\/shapes\/cmd\/shapes matches -bench "Nope".*; nothing written$/,
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

describe('validateForCompiler rejects what the compiler rejects', opts, () => {
  const dir = tmpDir('validate');
  const p = edgeCaseProfile();
  const cases: Array<[string, Uint8Array, boolean]> = [
    ['a CPU profile', synthPprof(p), true],
    [
      'a heap profile',
      synthPprof({
        ...p,
        sampleTypes: [
          ['alloc_objects', 'count'],
          ['alloc_space', 'bytes'],
        ],
      }),
      false,
    ],
    ['no start lines', synthPprof({ ...p, functions: p.functions.map((f) => ({ ...f, start: 0 })) }), false],
    ['truncated gzip', gzip(synthPprof(p)).subarray(0, 40), false],
  ];
  for (const [name, bytes, ok] of cases) {
    it(name, async () => {
      const f = path.join(dir, name.replace(/\W+/g, '_'));
      fs.writeFileSync(f, bytes);
      assert.equal(goPreprofile(f).ok, ok, 'go tool preprofile');
      assert.equal((await validateForCompiler(bytes)).ok, ok, 'validateForCompiler');
    });
  }
});
