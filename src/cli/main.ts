/**
 * `pgo-lens`: the command-line edge over the same core the editor uses. Each command is one row
 * of COMMANDS; errors print one line on stderr and exit 1; usage errors exit 2.
 */
import { isProfileError } from '../profile/errors';
import { loadProfileFile, preprofileFile } from '../pgo/load';
import { DEFAULT_CDF_THRESHOLD, hotSet } from '../pgo/model';
import { goFormatFloat } from '../pgo/gofmt';
import { writeFileSafe } from '../platform/safe-write';
import { buildReport, reportJson } from '../match/report';
import { profileTotalLabel } from '../pgo/percent';
import { edgeMapLines, matchSummary, siteShare } from './losses';
import { listSymbolsDetailed } from '../source/symbols';
import { type CommandDef, type FlagSpec, flagHelp, NO_GIT_FLAG, parseArgs, type Parsed, UsageError } from './args';
import { checkCommand } from './commands/check';
import { rewriteCommand } from './commands/rewrite';
import { collectCommand, mergeCommand } from './commands/refresh';
import { decisionsCommand } from './commands/decisions';
import { benchmarkCommand } from './commands/benchmark';
import { listCommand, topCommand } from './commands/top';
import { trimCommand } from './commands/trim';
import { evaluateCommand } from './commands/evaluate';

type Command = CommandDef;

const HELP: FlagSpec = { name: 'help', alias: 'h', help: 'show this help' };

function one(args: Parsed, what: string): string {
  if (args.positionals.length !== 1) throw new UsageError(`expected exactly one ${what}`);
  return args.positionals[0]!;
}

function flagStr(args: Parsed, name: string): string | undefined {
  const v = args.flags.get(name)?.[0];
  return typeof v === 'string' ? v : undefined;
}
function flagNum(args: Parsed, name: string): number | undefined {
  const v = args.flags.get(name)?.[0];
  return typeof v === 'number' ? v : undefined;
}

const COMMANDS: Command[] = [
  {
    name: 'preprofile',
    usage: 'pgo-lens preprofile PROFILE [-o OUT]',
    summary: "write the compiler's serialized profile (byte-identical to `go tool preprofile -i PROFILE`)",
    flags: [{ name: 'output', alias: 'o', value: 'string', help: 'output file (default: standard output); written atomically' }],
    async run(args, out) {
      const data = await preprofileFile(one(args, 'PROFILE'));
      const o = flagStr(args, 'output');
      if (o) await writeFileSafe(o, data);
      else out.write(data);
    },
  },
  {
    name: 'hot',
    usage: 'pgo-lens hot PROFILE [--cdf-threshold N] [--json]',
    summary: 'list the call sites the compiler treats as hot (inline candidates) and the hot functions',
    flags: [
      {
        name: 'cdf-threshold',
        value: 'number',
        help: `hot call-site CDF threshold in percent (default ${DEFAULT_CDF_THRESHOLD}, like -d=pgoinlinecdfthreshold)`,
      },
      { name: 'json', help: 'print JSON' },
    ],
    async run(args, out) {
      const { profile } = await loadProfileFile(one(args, 'PROFILE'), { heat: false, edgeGroups: false });
      const threshold = flagNum(args, 'cdf-threshold') ?? DEFAULT_CDF_THRESHOLD;
      if (!(threshold >= 0 && threshold <= 100)) throw new UsageError('--cdf-threshold must be between 0 and 100');
      const hs = hotSet(profile, threshold);
      const result = {
        totalWeight: profile.totalWeight,
        thresholdPercent: hs.thresholdPercent,
        hotCallSites: hs.hotEdges.map((e) => ({ caller: e.caller, offset: e.offset, callee: e.callee, weight: e.weight })),
        hotFunctions: [...hs.hotCallees].sort(),
      };
      if (args.flags.has('json')) {
        out.write(JSON.stringify(result, null, 2) + '\n');
        return;
      }
      if (profile.totalWeight === 0) {
        out.write(`no PGO: ${profile.emptyReason ?? 'empty profile'}\n`);
        return;
      }
      out.write(`total edge weight ${profile.totalWeight}; hot-callsite-thres-from-CDF=${goFormatFloat(hs.thresholdPercent)}\n`);
      out.write(`${hs.hotEdges.length} hot call sites of ${profile.edges.length} edges:\n`);
      for (const e of hs.hotEdges) {
        out.write(`  ${((e.weight / profile.totalWeight) * 100).toFixed(2).padStart(6)}%  ${e.caller}:+${e.offset} -> ${e.callee}\n`);
      }
    },
  },
  topCommand,
  listCommand,
  {
    name: 'symbols',
    usage: 'pgo-lens symbols DIR [--json] [--tests]',
    summary: 'list every function, method and closure under DIR with its linker symbol (as profiles name it) and lines',
    flags: [
      { name: 'json', help: 'print JSON: [{"symbol","file","line","endLine"}]' },
      { name: 'tests', help: 'include _test.go files (named as `go test` compiles them)' },
    ],
    async run(args, out) {
      const { symbols: syms, packages } = await listSymbolsDetailed(one(args, 'DIR'), { tests: args.flags.has('tests') });
      for (const p of packages) for (const m of p.skipped ?? []) process.stderr.write(`pgo-lens symbols: warning: ${m}\n`);
      if (args.flags.has('json')) {
        out.write(
          JSON.stringify(
            syms.map(({ symbol, file, line, endLine }) => ({ symbol, file, line, endLine })),
            null,
            1,
          ) + '\n',
        );
        return;
      }
      for (const s of syms) out.write(`${s.file}:${s.line}-${s.endLine}\t${s.symbol}\n`);
    },
  },
  {
    name: 'report',
    usage: 'pgo-lens report DIR [--profile P] [--cdf-threshold N] [--json] [--no-git]',
    summary: "match each main package's profile against the source: inline candidates, devirtualizations, unmatched symbols",
    flags: [
      { name: 'profile', value: 'string', help: "one profile for every main package (like go build -pgo=P); default: each main package's default.pgo" },
      { name: 'cdf-threshold', value: 'number', help: `hot call-site CDF threshold (default ${DEFAULT_CDF_THRESHOLD})` },
      { name: 'json', help: 'print JSON' },
      NO_GIT_FLAG,
    ],
    async run(args, out) {
      const threshold = flagNum(args, 'cdf-threshold') ?? DEFAULT_CDF_THRESHOLD;
      if (!(threshold >= 0 && threshold <= 100)) throw new UsageError('--cdf-threshold must be between 0 and 100');
      const profile = flagStr(args, 'profile');
      const r = await buildReport(one(args, 'DIR'), { thresholdPercent: threshold, history: !args.flags.has('no-git'), ...(profile ? { profile } : {}) });
      for (const m of r.skipped) process.stderr.write(`pgo-lens report: warning: ${m}\n`);
      const j = reportJson(r);
      if (args.flags.has('json')) {
        out.write(JSON.stringify(j, null, 1) + '\n');
        return;
      }
      if (j.binaries.length === 0) out.write('no main package with a default.pgo under this directory (use --profile)\n');
      for (const [i, b] of j.binaries.entries()) {
        out.write(`${b.mainPackage} (profile ${b.profile}): ${matchSummary(b, profileTotalLabel(r.binaries[i]!.pgo))}\n`);
        out.write(`  ${b.inlineCandidates.length} hot call sites (inline candidates):\n`);
        for (const c of b.inlineCandidates.slice(0, 20)) out.write(`    ${c.file}:${c.line}  ${c.callee}  ${siteShare(c)}\n`);
        out.write(`  ${b.devirtualizations.length} devirtualization candidates (predicted; \`pgo-lens decisions\` shows the compiler's):\n`);
        for (const d of b.devirtualizations) out.write(`    ${d.file}:${d.line}  -> ${d.callee} (weight ${d.weight})\n`);
        if (b.unmatched.length) {
          out.write(`  ${b.unmatched.length} profile functions no longer match (their percentages sum to the ${b.lostPercent.toFixed(2)}% lost):\n`);
          for (const u of b.unmatched) {
            out.write(`    ${u.symbol}  ${u.percent.toFixed(2)}%  ${u.reason}\n`);
            for (const l of edgeMapLines(u, '        ')) out.write(l + '\n');
          }
        }
        if (b.history && 'commit' in b.history) {
          const h = b.history;
          out.write(
            `  profile committed in ${h.commit.slice(0, 10)} (${new Date(h.time * 1000).toISOString().slice(0, 10)}, "${h.subject}"); ${h.changed.length} profiled functions edited since:\n`,
          );
          for (const c of h.changed.slice(0, 20))
            out.write(
              `    ${c.file}:${c.line + 1}  ${c.symbol}  ${c.percent.toFixed(2)}%  +${c.added} -${c.removed} lines, ${c.shiftedSites}/${c.sites} call sites moved\n`,
            );
        }
      }
    },
  },
  checkCommand,
  rewriteCommand,
  collectCommand,
  mergeCommand,
  benchmarkCommand,
  decisionsCommand,
  trimCommand,
  evaluateCommand,
];

function mainHelp(): string {
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n');
  return `pgo-lens: Go PGO profile tools (same engine as the Go PGO Lens editor extension)\n\nUsage: pgo-lens COMMAND [flags]\n\nCommands:\n${rows}\n\nRun 'pgo-lens COMMAND --help' for a command's flags.\n`;
}

function commandHelp(c: Command): string {
  return `Usage: ${c.usage}\n\n${c.summary}\n\nFlags:\n${flagHelp([...c.flags, HELP])}\n`;
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? out : err).write(mainHelp());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    err.write(`pgo-lens: unknown command ${JSON.stringify(name)}; run 'pgo-lens --help'\n`);
    return 2;
  }
  try {
    const args = parseArgs(rest, [...cmd.flags, HELP]);
    if (args.flags.has('help')) {
      out.write(commandHelp(cmd));
      return 0;
    }
    await cmd.run(args, out);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`pgo-lens ${cmd.name}: ${e.message}\n${commandHelp(cmd)}`);
      return 2;
    }
    if (isProfileError(e)) {
      err.write(`pgo-lens ${cmd.name}: ${e.message}. ${e.advice}\n`);
      return 1;
    }
    const ne = e as NodeJS.ErrnoException;
    err.write(`pgo-lens ${cmd.name}: ${ne?.message ?? String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  // `pgo-lens hot … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`pgo-lens: internal error: ${(e as Error)?.stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
