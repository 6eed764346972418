/**
 * `pgo-lens benchmark PKGDIR --bench RE [--benchtime D] [--count N] [--keep-test-names] [--for MAINDIR] -o OUT`:
 * a CPU profile from a package's benchmarks (`go test -bench -cpuprofile`, everything the go
 * command writes kept out of the workspace), with a main package's test-binary names respelled
 * as a normal build names them, checked as the compiler reads it, and OUT replaced atomically
 * (the previous file kept as OUT.bak). Output of `go test` goes to stderr as it comes; Ctrl-C
 * stops the whole run and writes nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileSafe } from '../../platform/safe-write';
import { BenchmarkError, runBenchmark } from '../../refresh/benchmark';
import { type CommandDef, type Parsed, UsageError } from '../args';

const str = (args: Parsed, name: string): string | undefined => {
  const v = args.flags.get(name)?.[0];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} needs a value`);
  return v;
};

/** A main package directory OUT is the `default.pgo` of, if any. */
function impliedTarget(out: string): string | undefined {
  if (path.basename(out) !== 'default.pgo') return undefined;
  const dir = path.dirname(path.resolve(out));
  try {
    return fs.readdirSync(dir).some((f) => f.endsWith('.go') && !f.endsWith('_test.go')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

export const benchmarkCommand: CommandDef = {
  name: 'benchmark',
  usage: 'pgo-lens benchmark PKGDIR --bench RE [--benchtime D] [--count N] [--keep-test-names] [--for MAINDIR] -o OUT',
  summary:
    "profile a package's benchmarks (go test -bench -cpuprofile, nothing written into the workspace), main. names as in a normal build, write OUT atomically",
  flags: [
    { name: 'bench', value: 'string', help: 'benchmarks to run, a go test -bench regular expression (required; . for all)' },
    { name: 'benchtime', value: 'string', help: 'go test -benchtime: a duration (5s) or an iteration count (1000x)' },
    { name: 'count', value: 'number', help: 'go test -count: run each benchmark N times' },
    { name: 'keep-test-names', help: "keep a main package's symbols as the test binary names them (import path instead of main.)" },
    {
      name: 'for',
      value: 'string',
      help: 'the main package directory the profile is for (default: the directory of OUT when OUT is a default.pgo); warns when PKGDIR is another package',
    },
    { name: 'output', alias: 'o', value: 'string', help: 'output file (required); replaced atomically, the previous one kept as OUT.bak' },
  ],
  async run(args) {
    if (args.positionals.length !== 1) throw new UsageError('expected exactly one PKGDIR');
    const pkgDir = args.positionals[0]!;
    const out = str(args, 'output');
    if (!out) throw new UsageError('-o OUT is required');
    const bench = str(args, 'bench');
    if (!bench) throw new UsageError('--bench RE is required (. runs every benchmark)');
    const benchtime = str(args, 'benchtime');
    const countV = args.flags.get('count')?.[0];
    if (countV !== undefined && !(typeof countV === 'number' && Number.isInteger(countV) && countV >= 1))
      throw new UsageError('--count must be a whole number ≥ 1');
    const count = countV as number | undefined;
    const target = str(args, 'for') ?? impliedTarget(out);
    if (!fs.existsSync(pkgDir) || !fs.statSync(pkgDir).isDirectory()) throw new Error(`${pkgDir} is not a directory`);

    const ac = new AbortController();
    const onSig = (): void => ac.abort();
    process.once('SIGINT', onSig);
    process.once('SIGTERM', onSig);
    try {
      const r = await runBenchmark({
        pkgDir,
        bench,
        ...(benchtime !== undefined ? { benchtime } : {}),
        ...(count !== undefined ? { count } : {}),
        keepTestNames: args.flags.has('keep-test-names'),
        ...(target ? { targetMainDir: target } : {}),
        signal: ac.signal,
        onLine: (line) => process.stderr.write(`${line}\n`),
      });
      await writeFileSafe(out, r.bytes, { backup: true });
      const f = r.facts;
      let msg = `pgo-lens benchmark: wrote ${out}: ${r.bytes.length} bytes, ${f.samples} samples, ${f.edges} call edges, total edge weight ${f.totalWeight}\n`;
      if (r.rewrite) {
        msg += `pgo-lens benchmark: ${r.pkg.importPath} is a main package: renamed ${r.rewrite.renamed.length} function(s) to main. as a normal build names them`;
        msg += r.rewrite.testmain.length ? `, and ${r.rewrite.testmain.length} of the test binary's generated main package to _testmain.` : '';
        msg += r.rewrite.testOnly.length ? `; kept the test names of ${r.rewrite.testOnly.length} function(s) declared in _test.go files\n` : '\n';
      }
      for (const w of r.warnings) msg += `pgo-lens benchmark: warning: ${w}\n`;
      process.stderr.write(msg);
    } catch (e) {
      if (e instanceof BenchmarkError) {
        if (e.kind === 'usage') throw new UsageError(e.message);
        throw new Error(e.kind === 'cancelled' ? 'cancelled; nothing written' : `${e.message}; nothing written`);
      }
      throw e;
    } finally {
      process.off('SIGINT', onSig);
      process.off('SIGTERM', onSig);
    }
  },
};
