/**
 * `pgo-lens check DIR [--min-match N] [--json]`: for pull-request CI. Fails (exit 1) when some
 * binary's matchedPercent (100 − the hot call-edge weight lost, as % of the profile total) is
 * below N (default 90), and prints the biggest losses: which profile functions no longer match,
 * why (renamed, moved, removed, offset-drift, changed), what they are called now and where
 * their call sites went.
 */
import { buildReport, reportJson } from '../../match/report';
import { DEFAULT_CDF_THRESHOLD } from '../../pgo/model';
import { profileTotalLabel } from '../../pgo/percent';
import { lossWhat, matchSummary } from '../losses';
import { type CommandDef, NO_GIT_FLAG, UsageError } from '../args';

export const DEFAULT_MIN_MATCH = 90;

export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

export const checkCommand: CommandDef = {
  name: 'check',
  usage: 'pgo-lens check DIR [--min-match N] [--profile P] [--json] [--no-git]',
  summary: `CI gate: exit 1 when less than N% of a binary's profile still matches the source (default ${DEFAULT_MIN_MATCH}; % of the profile total); prints the biggest losses`,
  flags: [
    { name: 'min-match', value: 'number', help: `minimum matchedPercent per binary (default ${DEFAULT_MIN_MATCH})` },
    { name: 'profile', value: 'string', help: "one profile for every main package (like go build -pgo=P); default: each main package's default.pgo" },
    {
      name: 'json',
      help: 'print JSON: {"ok","minMatch","binaries":[{"mainPackage","percentBase","profileTotal","matchedPercent","lostPercent","ok","losses":[…]}]}',
    },
    NO_GIT_FLAG,
  ],
  async run(args, out) {
    if (args.positionals.length !== 1) throw new UsageError('expected exactly one DIR');
    const min = args.flags.get('min-match')?.[0];
    const minMatch = typeof min === 'number' ? min : DEFAULT_MIN_MATCH;
    if (!(minMatch >= 0 && minMatch <= 100)) throw new UsageError('--min-match must be between 0 and 100');
    const profile = args.flags.get('profile')?.[0];
    const r = await buildReport(args.positionals[0]!, {
      thresholdPercent: DEFAULT_CDF_THRESHOLD,
      history: !args.flags.has('no-git'),
      ...(typeof profile === 'string' ? { profile } : {}),
    });
    for (const m of r.skipped) process.stderr.write(`pgo-lens check: warning: ${m}\n`);
    const j = reportJson(r);
    const binaries = j.binaries.map((b) => ({
      mainPackage: b.mainPackage,
      profile: b.profile,
      percentBase: b.percentBase,
      profileTotal: b.profileTotal,
      matchedPercent: b.matchedPercent,
      lostPercent: b.lostPercent,
      ok: b.matchedPercent >= minMatch,
      losses: b.unmatched.map(({ symbol, kind, percent, suggestion, confidence, shift, edgeMap }) => ({
        symbol,
        kind,
        percent,
        ...(suggestion ? { suggestion } : {}),
        ...(confidence !== undefined ? { confidence } : {}),
        ...(shift !== undefined ? { shift } : {}),
        ...(edgeMap?.length ? { edgeMap } : {}),
      })),
    }));
    const failed = binaries.filter((b) => !b.ok);
    if (args.flags.has('json')) {
      out.write(JSON.stringify({ ok: failed.length === 0, minMatch, binaries }, null, 1) + '\n');
    } else {
      if (binaries.length === 0) out.write('no main package with a default.pgo under this directory (use --profile)\n');
      for (const [i, b] of binaries.entries()) {
        const jb = j.binaries[i]!;
        out.write(
          `${b.ok ? 'ok  ' : 'FAIL'} ${b.mainPackage} (profile ${b.profile}): ${matchSummary(jb, profileTotalLabel(r.binaries[i]!.pgo))}; minimum ${minMatch}%\n`,
        );
        for (const u of jb.unmatched.slice(0, b.ok ? 5 : 20)) {
          if (u.weight === 0) continue;
          out.write(`    ${u.percent.toFixed(2).padStart(6)}%  ${u.symbol}  ${lossWhat(u)}\n`);
        }
      }
      if (failed.length && binaries.some((b) => b.losses.some((l) => l.suggestion || l.kind === 'offset-drift'))) {
        out.write(`fix: pgo-lens rewrite PROFILE --realign ${args.positionals[0]} -o PROFILE (or collect a new profile)\n`);
      }
    }
    if (failed.length) throw new CheckFailed(`${failed.length} of ${binaries.length} binaries match less than ${minMatch}% of their profile`);
  },
};
