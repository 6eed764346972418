/**
 * `pgo-lens rewrite PROFILE [--rename OLD=NEW]… [--realign DIR] -o OUT`: rename function symbols
 * in a pprof profile and/or apply the refactor suggestions of `pgo-lens report DIR` (renames,
 * moves, re-aligned lines of functions whose call sites moved). Everything else of the profile is
 * kept; the result is checked to load before OUT is replaced atomically (previous one: OUT.bak).
 */
import * as path from 'node:path';
import { buildReport } from '../../match/report';
import { encodeValidated, planFromMatch, rewritePprof, type RewritePlan } from '../../match/rewrite';
import { loadProfileFile } from '../../pgo/load';
import { writeFileSafe } from '../../platform/safe-write';
import { type CommandDef, NO_GIT_FLAG, UsageError } from '../args';

export const rewriteCommand: CommandDef = {
  name: 'rewrite',
  usage: 'pgo-lens rewrite PROFILE [--rename OLD=NEW]… [--realign DIR] [--no-git] -o OUT',
  summary: "rename profile symbols and re-align moved call sites after a refactor (applies `report DIR`'s suggestions with --realign)",
  flags: [
    { name: 'rename', value: 'string', repeat: true, help: 'OLD=NEW linker symbols (repeatable); OLD may be a generic key `F[...]`' },
    { name: 'realign', value: 'string', help: 'apply the suggestions of `pgo-lens report DIR` for the binaries using PROFILE: renames, moves, offset drift' },
    { name: 'output', alias: 'o', value: 'string', help: 'output file (required; may equal PROFILE); replaced atomically, the previous one kept as OUT.bak' },
    NO_GIT_FLAG,
  ],
  async run(args, out) {
    if (args.positionals.length !== 1) throw new UsageError('expected exactly one PROFILE');
    const input = args.positionals[0]!;
    const o = args.flags.get('output')?.[0];
    if (typeof o !== 'string' || o === '') throw new UsageError('-o OUT is required');
    const plan: RewritePlan = { renames: new Map(), realign: new Map() };
    const realign = args.flags.get('realign')?.[0];
    if (typeof realign === 'string') {
      // The binaries whose default.pgo is PROFILE; else every main package built with -pgo=PROFILE.
      const history = !args.flags.has('no-git');
      let report = await buildReport(realign, { history });
      let bins = report.binaries.filter((b) => path.resolve(b.profile) === path.resolve(input));
      if (bins.length === 0) {
        report = await buildReport(realign, { profile: input, history });
        bins = report.binaries;
      }
      for (const b of bins) {
        const p = planFromMatch(b);
        for (const [k, v] of p.renames) plan.renames.set(k, v);
        for (const [k, v] of p.realign) plan.realign.set(k, v);
      }
    }
    for (const r of args.flags.get('rename') ?? []) {
      const s = String(r);
      const eq = s.indexOf('=');
      if (eq <= 0 || eq === s.length - 1) throw new UsageError(`--rename needs OLD=NEW, got ${JSON.stringify(s)}`);
      plan.renames.set(s.slice(0, eq), s.slice(eq + 1));
    }
    if (plan.renames.size === 0 && plan.realign.size === 0 && typeof realign !== 'string')
      throw new UsageError('nothing to do: give --rename OLD=NEW or --realign DIR');
    const loaded = await loadProfileFile(input, { keepSamples: true, heat: false });
    if (!loaded.pprof) throw new Error(`${input} is not a pprof profile (a preprofile or empty file cannot be rewritten); use the original CPU profile`);
    const stats = rewritePprof(loaded.pprof, plan);
    const { bytes } = encodeValidated(loaded.pprof, loaded.profile, plan);
    await writeFileSafe(o, bytes, { backup: true });
    for (const [a, b] of plan.renames) out.write(`rename  ${a} -> ${b}\n`);
    for (const [a, m] of plan.realign)
      out.write(
        `realign ${a}: ${m
          .filter((x) => x.from !== x.to)
          .map((x) => `${signed(x.from)}->${signed(x.to)}`)
          .join(' ')}\n`,
      );
    out.write(`${stats.renamedFunctions} functions renamed, ${stats.realignedLines} line entries re-aligned; wrote ${shownPath(o)}\n`);
  },
};

const signed = (n: number): string => (n >= 0 ? `+${n}` : `${n}`);

/** OUT relative to the working directory when it is inside it, else absolute (never `../../..`). */
export function shownPath(o: string): string {
  const abs = path.resolve(o);
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}
