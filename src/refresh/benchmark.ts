/**
 * A CPU profile from a package's benchmarks: `go test -run='^$' -bench=RE -cpuprofile` in the
 * package directory, with everything the go command writes kept in a private temporary
 * directory (nothing lands in the workspace), output streamed line by line, cancellable.
 *
 * Traps handled (checked with Go 1.26):
 * - `-cpuprofile` makes `go test` keep the test binary, written to the *current directory*
 *   (`<pkg>.test` next to the sources) even with `-outputdir`; `-o <dir>` moves it. The go
 *   command's own work directory goes there too (`GOTMPDIR`), so a killed run leaves nothing.
 * - A main package under test is compiled as a library named by its import path, so the profile
 *   says `example.com/x/cmd/y.F`, not `main.F`, and would match nothing of a normal build:
 *   the names are respelled (src/refresh/testnames.ts) unless `keepTestNames`.
 * - "no test files" and a `-bench` pattern that matches nothing both exit 0 (the second even
 *   writes a profile, of the test binary's start-up): both are errors here.
 *
 * Cancelling (AbortSignal) interrupts the whole process group (go, compiler, test binary):
 * SIGINT first so the go command cleans up, SIGKILL after a grace period; the promise then
 * rejects with a `BenchmarkError` of kind `cancelled`, and no profile is returned or left.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { goEnvironment, runGroup as runProcessGroup, type GroupOutcome } from '../platform/spawn';
import { nonRegularGuard } from '../source/go-list';
import { type Rename, rewriteTestBinaryNames } from './testnames';
import { type ProfileFacts, validateForCompiler } from './validate';

export interface BenchmarkOptions {
  /** The package directory; the go command runs there, on `.`. */
  pkgDir: string;
  /** `-bench` regular expression (required, non-empty). */
  bench: string;
  /** `-benchtime`: a duration (`2s`, `500ms`) or an iteration count (`100x`). */
  benchtime?: string;
  /** `-count`. */
  count?: number;
  /** `-timeout` for the test binary (go's default is 10m). */
  timeout?: string;
  /** Keep the test binary's names for a main package (no rewrite to `main.`). */
  keepTestNames?: boolean;
  /**
   * The main package directory whose `default.pgo` the profile is for. When the benchmarked
   * package is another package, a warning says what the profile covers; when it is another
   * *main* package its names are not rewritten (they would collide with this one's `main.*`).
   */
  targetMainDir?: string;
  signal?: AbortSignal;
  /** Every output line of the go command and the benchmarks, as it comes. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called when `go test` starts: the process (group) id and the private work directory. */
  onStart?: (info: { pid: number; workDir: string; argv: string[] }) => void;
  /** Environment (default: process.env). GOFLAGS is kept; GOTMPDIR is set to the work directory. */
  env?: NodeJS.ProcessEnv;
  /** The go command (default `go`). */
  goCommand?: string;
  /** Where the private work directory is created (default os.tmpdir()). */
  tmpRoot?: string;
  /** Milliseconds between SIGINT and SIGKILL when cancelling (default 3000). */
  killGraceMs?: number;
}

export interface BenchmarkPackage {
  name: string;
  importPath: string;
  dir: string;
}

export interface BenchmarkLine {
  /** As printed, e.g. `BenchmarkRound-2`. */
  name: string;
  iterations: number;
  nsPerOp: number;
}

export interface BenchmarkResult {
  /** The profile to write (gzipped pprof): rewritten to `main.` names for a main package. */
  bytes: Buffer;
  /** The profile as `go test` wrote it. */
  testProfile: Buffer;
  pkg: BenchmarkPackage;
  /** The `go test` command line (with the temporary paths of this run). */
  argv: string[];
  benchmarks: BenchmarkLine[];
  /** For a main package: what was renamed (null when nothing was rewritten). */
  rewrite: { renamed: Rename[]; testmain: Rename[]; testOnly: string[] } | null;
  facts: ProfileFacts;
  warnings: string[];
}

export type BenchmarkErrorKind =
  | 'usage'
  | 'cancelled'
  | 'go-missing'
  | 'not-a-package'
  | 'non-regular-file'
  | 'build-failed'
  | 'test-failed'
  | 'no-test-files'
  | 'no-benchmarks'
  | 'no-profile'
  | 'invalid-profile';

export class BenchmarkError extends Error {
  override readonly name = 'BenchmarkError';
  constructor(
    readonly kind: BenchmarkErrorKind,
    message: string,
    /** The last lines of output, for "show details". */
    readonly output = '',
  ) {
    super(message);
  }
}

const BENCH_LINE = /^(Benchmark\S*)\s+(\d+)\s+(\d+(?:\.\d+)?) ns\/op\b/;
const BENCHTIME = /^(\d+x|\d+(\.\d+)?(ns|us|µs|ms|s|m|h))$/;
const TAIL_LINES = 60;

export function checkBenchmarkOptions(o: Pick<BenchmarkOptions, 'bench' | 'benchtime' | 'count'>): void {
  if (!o.bench) throw new BenchmarkError('usage', 'a -bench pattern is required (e.g. . for every benchmark)');
  if (o.benchtime !== undefined && !BENCHTIME.test(o.benchtime)) {
    throw new BenchmarkError('usage', `invalid benchtime ${JSON.stringify(o.benchtime)}: a duration like 2s or 500ms, or an iteration count like 100x`);
  }
  if (o.count !== undefined && !(Number.isInteger(o.count) && o.count >= 1)) throw new BenchmarkError('usage', `invalid count ${o.count}: a whole number ≥ 1`);
}

/** `go test` arguments for a profile written into `workDir`. */
export function benchmarkArgs(o: Pick<BenchmarkOptions, 'bench' | 'benchtime' | 'count' | 'timeout'>, workDir: string): string[] {
  return [
    'test',
    '-run=^$',
    `-bench=${o.bench}`,
    ...(o.benchtime ? [`-benchtime=${o.benchtime}`] : []),
    ...(o.count ? [`-count=${o.count}`] : []),
    ...(o.timeout ? [`-timeout=${o.timeout}`] : []),
    // the test binary (kept because of -cpuprofile) goes here instead of the package directory
    '-o',
    path.join(workDir, 'bin') + path.sep,
    '-outputdir',
    workDir,
    '-cpuprofile=cpu.pprof',
    '.',
  ];
}

function runGroup(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  o: Pick<BenchmarkOptions, 'signal' | 'onLine' | 'killGraceMs'>,
  onPid?: (pid: number) => void,
  keepAll = false,
): Promise<GroupOutcome> {
  return runProcessGroup(cmd, args, {
    cwd,
    env,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onLine ? { onLine: o.onLine } : {}),
    ...(o.killGraceMs !== undefined ? { killGraceMs: o.killGraceMs } : {}),
    ...(onPid ? { onPid } : {}),
    tailLines: keepAll ? Infinity : TAIL_LINES,
  });
}

const cancelled = (): BenchmarkError => new BenchmarkError('cancelled', 'benchmark cancelled; no profile was produced');

function tail(r: GroupOutcome): string {
  return [...r.stdout, ...r.stderr].slice(-TAIL_LINES).join('\n');
}

function spawnError(e: unknown, goCmd: string): BenchmarkError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return new BenchmarkError('go-missing', `the go command (${goCmd}) was not found; install Go or put it on PATH`);
  return new BenchmarkError('test-failed', `cannot run ${goCmd}: ${err.message}`);
}

/** `go list` of the package in `dir`. */
async function listPackage(dir: string, o: BenchmarkOptions, env: NodeJS.ProcessEnv, goCmd: string): Promise<BenchmarkPackage> {
  let r: GroupOutcome;
  try {
    r = await runGroup(goCmd, ['list', '-find', '-f', '{{.Name}}\t{{.ImportPath}}\t{{.Dir}}', '.'], dir, env, { ...o, onLine: undefined }, undefined, true);
  } catch (e) {
    throw spawnError(e, goCmd);
  }
  if (r.cancelled) throw cancelled();
  const line = r.stdout.find((l) => l.includes('\t'));
  if (r.code !== 0 || !line) {
    const why =
      r.stderr
        .filter((l) => l.trim())
        .slice(0, 5)
        .join('; ') || `go list exited with ${r.code}`;
    throw new BenchmarkError('not-a-package', `${dir} is not a Go package the go command can build: ${why}`, tail(r));
  }
  const [name, importPath, pdir] = line.split('\t') as [string, string, string];
  return { name, importPath, dir: pdir };
}

/** The import paths `go list -deps` gives for the package in `dir` (null when it fails). */
async function listDeps(dir: string, o: BenchmarkOptions, env: NodeJS.ProcessEnv, goCmd: string): Promise<{ pkg: BenchmarkPackage; deps: Set<string> } | null> {
  const r = await runGroup(
    goCmd,
    ['list', '-deps', '-f', '{{.Name}}\t{{.ImportPath}}\t{{.Dir}}', '.'],
    dir,
    env,
    { ...o, onLine: undefined },
    undefined,
    true,
  ).catch(() => null);
  if (r?.cancelled) throw cancelled();
  if (!r || r.code !== 0) return null;
  const rows = r.stdout.filter((l) => l.includes('\t')).map((l) => l.split('\t') as [string, string, string]);
  const last = rows[rows.length - 1];
  if (!last) return null;
  return { pkg: { name: last[0], importPath: last[1], dir: last[2] }, deps: new Set(rows.map((x) => x[1])) };
}

function samePath(a: string, b: string): boolean {
  const real = (p: string): string => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/** Names of the package's benchmarks (`go test -list`), for the "nothing matched" message. */
async function listBenchmarks(dir: string, o: BenchmarkOptions, env: NodeJS.ProcessEnv, goCmd: string): Promise<string[]> {
  const r = await runGroup(goCmd, ['test', '-run=^$', '-list=^Benchmark', '.'], dir, env, { ...o, onLine: undefined }, undefined, true).catch(() => null);
  if (r?.cancelled) throw cancelled();
  if (!r || r.code !== 0) return [];
  return r.stdout.filter((l) => /^Benchmark\w*$/.test(l));
}

/** Runs the benchmarks and returns their CPU profile (see the module comment). */
export async function runBenchmark(o: BenchmarkOptions): Promise<BenchmarkResult> {
  checkBenchmarkOptions(o);
  const goCmd = o.goCommand ?? 'go';
  if (o.signal?.aborted) throw cancelled();
  // go list -deps and go test open every .go file of the packages they load: a FIFO would hang them.
  const blocked = nonRegularGuard(o.pkgDir) ?? (o.targetMainDir ? nonRegularGuard(o.targetMainDir) : undefined);
  if (blocked) throw new BenchmarkError('non-regular-file', blocked);
  const pkgDir = path.resolve(o.pkgDir);
  const workDir = await fs.promises.mkdtemp(path.join(o.tmpRoot ?? os.tmpdir(), 'pgo-lens-gotest-'));
  try {
    await fs.promises.mkdir(path.join(workDir, 'bin'));
    await fs.promises.mkdir(path.join(workDir, 'gotmp'));
    // A build the user asked for: their GOFLAGS and GOTOOLCHAIN kept (the worker runs it only in a trusted workspace).
    const env = goEnvironment({ trusted: true, keepGoflags: true, base: o.env ?? process.env, extra: { GOTMPDIR: path.join(workDir, 'gotmp') } });
    const pkg = await listPackage(pkgDir, o, env, goCmd);
    const isMain = pkg.name === 'main';
    const warnings: string[] = [];

    // What the profile will be applied to.
    let rewriteNames = isMain && !o.keepTestNames;
    if (o.targetMainDir && !samePath(o.targetMainDir, pkg.dir)) {
      const target = await listDeps(path.resolve(o.targetMainDir), o, env, goCmd);
      const tName = target ? target.pkg.importPath : o.targetMainDir;
      if (isMain) {
        rewriteNames = false;
        warnings.push(
          `${pkg.importPath} is another main package than ${tName}, whose profile this is for: its functions are kept under their test names ` +
            `(as main.* they would be taken for ${tName}'s own functions); the profile applies to the packages both programs share`,
        );
      } else if (target && target.deps.has(pkg.importPath)) {
        warnings.push(
          `${pkg.importPath} is not the main package ${tName}: the profile covers only what the benchmarks run (${pkg.importPath} and what it calls); ` +
            `for ${tName}, PGO uses it in those packages, and ${tName}'s own code gets no profile`,
        );
      } else {
        warnings.push(
          `${tName} does not import ${pkg.importPath}: only the packages both share (the standard library, common dependencies) will match the profile`,
        );
      }
    } else if (!isMain && !o.targetMainDir) {
      warnings.push(`${pkg.importPath} is not a main package: the profile applies to a program that imports it, for the code the benchmarks run`);
    }
    if (isMain && o.keepTestNames) {
      warnings.push(`names kept as the test binary spells them (${pkg.importPath}.F): the profile will not match a normal build of ${pkg.importPath}`);
    }

    const argv = benchmarkArgs(o, workDir);
    let r: GroupOutcome;
    try {
      r = await runGroup(goCmd, argv, pkgDir, env, o, (pid) => o.onStart?.({ pid, workDir, argv: [goCmd, ...argv] }));
    } catch (e) {
      throw spawnError(e, goCmd);
    }
    if (r.cancelled) throw cancelled();
    const all = [...r.stdout, ...r.stderr];
    const benchmarks: BenchmarkLine[] = [];
    for (const l of r.stdout) {
      const m = BENCH_LINE.exec(l);
      if (m) benchmarks.push({ name: m[1]!, iterations: Number(m[2]), nsPerOp: Number(m[3]) });
    }
    if (r.code !== 0) {
      if (all.some((l) => /\[(build|setup) failed\]/.test(l))) {
        const errs = r.stderr.filter((l) => l.trim() && !l.startsWith('# ') && !/^FAIL\b/.test(l));
        throw new BenchmarkError('build-failed', `go test could not build ${pkg.importPath}: ${errs.slice(0, 3).join('; ') || 'see the output'}`, tail(r));
      }
      const fails = all.filter((l) => /^\s*--- FAIL: /.test(l)).map((l) => l.trim().slice(10));
      const why = fails.length ? `${fails.join(', ')} failed` : `go test exited with ${r.code ?? r.signal}`;
      throw new BenchmarkError('test-failed', `benchmarks of ${pkg.importPath}: ${why}`, tail(r));
    }
    if (all.some((l) => /\[no test files\]/.test(l))) {
      throw new BenchmarkError('no-test-files', `${pkg.importPath} has no test files, so no benchmarks: add a Benchmark function in a _test.go file`, tail(r));
    }
    if (benchmarks.length === 0) {
      const names = await listBenchmarks(pkgDir, o, env, goCmd);
      const have = names.length ? `its benchmarks: ${names.join(', ')}` : 'it has no Benchmark functions';
      throw new BenchmarkError('no-benchmarks', `no benchmark of ${pkg.importPath} matches -bench ${JSON.stringify(o.bench)} (${have})`, tail(r));
    }
    let testProfile: Buffer;
    try {
      testProfile = await fs.promises.readFile(path.join(workDir, 'cpu.pprof'));
    } catch {
      throw new BenchmarkError('no-profile', `go test wrote no CPU profile for ${pkg.importPath}`, tail(r));
    }
    const v = await validateForCompiler(testProfile);
    if (!v.ok) throw new BenchmarkError('invalid-profile', `the benchmark profile is unusable: ${v.error}. ${v.advice}`, tail(r));
    let bytes = testProfile;
    let rewrite: BenchmarkResult['rewrite'] = null;
    let facts = v.facts;
    if (rewriteNames) {
      const rw = await rewriteTestBinaryNames(testProfile, pkg.importPath);
      bytes = rw.bytes;
      rewrite = { renamed: rw.renamed, testmain: rw.testmain, testOnly: rw.testOnly };
      const v2 = await validateForCompiler(bytes);
      if (!v2.ok) throw new BenchmarkError('invalid-profile', `internal: the renamed profile is unusable: ${v2.error}`);
      facts = v2.facts;
    }
    warnings.push(...v.warnings);
    return { bytes, testProfile, pkg, argv: [goCmd, ...argv], benchmarks, rewrite, facts, warnings };
  } finally {
    await fs.promises.rm(workDir, { recursive: true, force: true, maxRetries: 3 });
  }
}
