/**
 * `pgo-lens check DIR [--min-match N] [--json]`: for pull-request CI. Fails (exit 1) when some
 * binary's profile matches less than N % of its hot weight (default 90), and prints the biggest
 * losses: which profile functions no longer match, why (renamed, moved, removed, offset-drift)
 * and what they are called now.
 */
import { buildReport, reportJson } from '../../match/report';
import { DEFAULT_CDF_THRESHOLD } from '../../pgo/model';
import { type CommandDef, NO_GIT_FLAG, UsageError } from '../args';

export const DEFAULT_MIN_MATCH = 90;

export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

export const checkCommand: CommandDef = {
  name: 'check',
  usage: 'pgo-lens check DIR [--min-match N] [--profile P] [--json] [--no-git]',
  summary: `CI gate: exit 1 when a binary's profile matches less than N% of its hot weight (default ${DEFAULT_MIN_MATCH}); prints the biggest losses`,
  flags: [
    { name: 'min-match', value: 'number', help: `minimum matchedPercent per binary (default ${DEFAULT_MIN_MATCH})` },
    { name: 'profile', value: 'string', help: "one profile for every main package (like go build -pgo=P); default: each main package's default.pgo" },
    { name: 'json', help: 'print JSON: {"ok","minMatch","binaries":[{"mainPackage","matchedPercent","ok","losses":[…]}]}' },
    NO_GIT_FLAG,
  ],
  async run(args, out) {
    if (args.positionals.length !== 1) throw new UsageError('expected exactly one DIR');
    const min = args.flags.get('min-match')?.[0];
    const minMatch = typeof min === 'number' ? min : DEFAULT_MIN_MATCH;
    if (!(minMatch >= 0 && minMatch <= 100)) throw new UsageError('--min-match must be between 0 and 100');
    const profile = args.flags.get('profile')?.[0];
    const r = await buildReport(args.positionals[0]!, { thresholdPercent: DEFAULT_CDF_THRESHOLD, history: !args.flags.has('no-git'), ...(typeof profile === 'string' ? { profile } : {}) });
    const j = reportJson(r);
    const binaries = j.binaries.map((b) => ({
      mainPackage: b.mainPackage,
      profile: b.profile,
      matchedPercent: b.matchedPercent,
      ok: b.matchedPercent >= minMatch,
      losses: b.unmatched.map(({ symbol, kind, percent, suggestion, confidence, shift }) => ({
        symbol,
        kind,
        percent,
        ...(suggestion ? { suggestion } : {}),
        ...(confidence !== undefined ? { confidence } : {}),
        ...(shift !== undefined ? { shift } : {}),
      })),
    }));
    const failed = binaries.filter((b) => !b.ok);
    if (args.flags.has('json')) {
      out.write(JSON.stringify({ ok: failed.length === 0, minMatch, binaries }, null, 1) + '\n');
    } else {
      if (binaries.length === 0) out.write('no main package with a default.pgo under this directory (use --profile)\n');
      for (const b of binaries) {
        out.write(`${b.ok ? 'ok  ' : 'FAIL'} ${b.mainPackage} (profile ${b.profile}): ${b.matchedPercent.toFixed(1)}% of hot weight matched (minimum ${minMatch}%)\n`);
        for (const l of b.losses.slice(0, b.ok ? 5 : 20)) {
          const what = l.kind === 'offset-drift' ? `offset-drift ${l.shift! > 0 ? '+' : ''}${l.shift} lines` : l.kind;
          const sugg = l.suggestion ? ` -> ${l.suggestion}` : '';
          out.write(`    ${l.percent.toFixed(2).padStart(6)}%  ${l.symbol}  ${what}${sugg}\n`);
        }
      }
      if (failed.length && binaries.some((b) => b.losses.some((l) => l.suggestion || l.kind === 'offset-drift'))) {
        out.write(`fix: pgo-lens rewrite PROFILE --realign ${args.positionals[0]} -o PROFILE (or collect a new profile)\n`);
      }
    }
    if (failed.length) throw new CheckFailed(`${failed.length} of ${binaries.length} binaries match less than ${minMatch}% of their profile's hot weight`);
  },
};
