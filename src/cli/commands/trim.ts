/**
 * `pgo-lens trim PROFILE -o OUT [--keep-stacks]`: a profile that gives the compiler exactly the
 * same input (`go tool preprofile` output byte-identical) but keeps only what PGO reads; with
 * --keep-stacks whole stacks stay for `go tool pprof` and the heat view. OUT is replaced
 * atomically (the previous file kept as OUT.bak).
 */
import { describeTrim, trimProfileFile } from '../../evaluate/trim';
import { writeFileSafe } from '../../platform/safe-write';
import { type CommandDef, UsageError } from '../args';

export const trimCommand: CommandDef = {
  name: 'trim',
  usage: 'pgo-lens trim PROFILE -o OUT [--keep-stacks]',
  summary: 'shrink a profile to what PGO reads (byte-identical `go tool preprofile` output); prints the size ratio',
  flags: [
    { name: 'output', alias: 'o', value: 'string', help: 'output file (required; may equal PROFILE); replaced atomically, the previous one kept as OUT.bak' },
    { name: 'keep-stacks', help: 'keep whole stacks (go tool pprof -top/-list and the heat view unchanged); drop only labels and unreferenced entries' },
  ],
  async run(args, out) {
    if (args.positionals.length !== 1) throw new UsageError('expected exactly one PROFILE');
    const o = args.flags.get('output')?.[0];
    if (typeof o !== 'string' || o === '') throw new UsageError('-o OUT is required');
    const r = await trimProfileFile(args.positionals[0]!, args.flags.has('keep-stacks') ? 'stacks' : 'pgo');
    await writeFileSafe(o, r.bytes, { backup: true });
    out.write(`wrote ${o}: ${describeTrim(r)}\n`);
  },
};
