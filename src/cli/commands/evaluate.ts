/**
 * `pgo-lens evaluate MAINDIR [--bench RE] [--bench-pkg DIR] [--count N] [--benchtime D] [--json] …`:
 * what PGO buys and costs for a main package: benchmark deltas with benchstat's statistics,
 * binary and text size, cold build time and profile reading time, stack-frame growth from PGO
 * inlining (src/evaluate/). With --exclude-out FILE, the profile with the flagged functions'
 * hot edges hidden is written there (atomically, previous file kept as FILE.bak).
 */
import { excludeFromProfile } from '../../evaluate/exclude-file';
import { DEFAULT_COUNT, DEFAULT_FRAME_THRESHOLD, evaluate } from '../../evaluate/evaluate';
import { formatEvaluate } from '../../evaluate/report';
import { writeFileSafe } from '../../platform/safe-write';
import { type CommandDef, type Parsed, UsageError } from '../args';

const str = (args: Parsed, name: string): string | undefined => {
  const v = args.flags.get(name)?.[0];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} needs a value`);
  return v;
};
const BENCHTIME = /^(\d+x|\d+(\.\d+)?(ns|us|µs|ms|s|m|h))$/;

export const evaluateCommand: CommandDef = {
  name: 'evaluate',
  usage:
    'pgo-lens evaluate MAINDIR [--profile P] [--bench RE] [--bench-pkg DIR] [--count N] [--benchtime D] [--frame-threshold BYTES] [--no-build-time] [--exclude-out FILE] [--json]',
  summary: 'what PGO buys and costs: benchmark deltas (benchstat statistics), binary size, build time, stack-frame growth from PGO inlining',
  flags: [
    { name: 'profile', value: 'string', help: 'the profile (default MAINDIR/default.pgo)' },
    { name: 'bench', value: 'string', help: 'benchmarks to run both ways (a go test -bench regular expression); without it speed is not measured' },
    { name: 'bench-pkg', value: 'string', help: 'the package directory whose benchmarks run (default MAINDIR)' },
    { name: 'count', value: 'number', help: `runs per side, alternating (default ${DEFAULT_COUNT}; benchstat needs ≥ 6 for a confidence interval)` },
    { name: 'benchtime', value: 'string', help: 'go test -benchtime per run: a duration (1s) or an iteration count (100x)' },
    { name: 'frame-threshold', value: 'number', help: `flag hot functions whose frame grows by at least this many bytes (default ${DEFAULT_FRAME_THRESHOLD})` },
    { name: 'no-build-time', help: 'skip the two cold builds (go build -a) that measure build time' },
    {
      name: 'exclude-out',
      value: 'string',
      help: "write the profile with the flagged functions' hot inlining edges hidden to FILE (may be the profile itself)",
    },
    { name: 'json', help: 'print JSON' },
  ],
  async run(args, out) {
    if (args.positionals.length !== 1) throw new UsageError('expected exactly one MAINDIR');
    const count = args.flags.get('count')?.[0];
    if (count !== undefined && !(typeof count === 'number' && Number.isInteger(count) && count >= 1))
      throw new UsageError('--count must be a whole number ≥ 1');
    const threshold = args.flags.get('frame-threshold')?.[0];
    if (threshold !== undefined && !(typeof threshold === 'number' && threshold >= 0)) throw new UsageError('--frame-threshold must be a number of bytes ≥ 0');
    const benchtime = str(args, 'benchtime');
    if (benchtime !== undefined && !BENCHTIME.test(benchtime))
      throw new UsageError(`invalid --benchtime ${JSON.stringify(benchtime)}: a duration like 1s or an iteration count like 100x`);
    const bench = str(args, 'bench');
    const benchPkg = str(args, 'bench-pkg');
    if (benchPkg && !bench) throw new UsageError('--bench-pkg needs --bench RE');
    const profile = str(args, 'profile');
    const ac = new AbortController();
    const onSig = (): void => ac.abort();
    process.once('SIGINT', onSig);
    try {
      const r = await evaluate({
        mainDir: args.positionals[0]!,
        ...(profile ? { profile } : {}),
        ...(bench ? { bench } : {}),
        ...(benchPkg ? { benchPkg } : {}),
        ...(typeof count === 'number' ? { count } : {}),
        ...(benchtime ? { benchtime } : {}),
        ...(typeof threshold === 'number' ? { frameThreshold: threshold } : {}),
        buildTime: !args.flags.has('no-build-time'),
        signal: ac.signal,
        onStep: (m) => process.stderr.write(`pgo-lens evaluate: ${m}\n`),
      });
      if (args.flags.has('json')) out.write(JSON.stringify(r, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v), 1) + '\n');
      else out.write(formatEvaluate(r));
      const ex = str(args, 'exclude-out');
      if (ex) {
        const edges = r.frames.flagged.flatMap((f) => f.edges);
        if (edges.length === 0) {
          process.stderr.write('pgo-lens evaluate: no flagged function has a hot edge to hide; nothing written\n');
          return;
        }
        const x = await excludeFromProfile(r.profile, edges);
        await writeFileSafe(ex, x.bytes, { backup: true });
        process.stderr.write(
          `pgo-lens evaluate: wrote ${ex}: ${edges.length} edge(s) hidden, ${x.stats.samplesDropped} samples dropped, edge weight ${x.weightBefore} → ${x.weightAfter}\n`,
        );
      }
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw new Error('cancelled');
      throw e;
    } finally {
      process.off('SIGINT', onSig);
    }
  },
};
