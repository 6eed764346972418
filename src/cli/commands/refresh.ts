/**
 * `pgo-lens collect` and `pgo-lens merge`: gather CPU profiles from running programs and/or
 * files, merge them like `go tool pprof -proto -symbolize=none` (keeping Function.start_line),
 * check the result the way the compiler reads it, and replace the output atomically (the previous
 * file is kept as OUT.bak). Nothing is written when the result would be unusable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectProfiles, type CollectResult, DEFAULT_MAX_BYTES } from '../../refresh/collect';
import { mergeProfiles, type MergeInput, type MergeOptions, type MergeResult } from '../../refresh/merge';
import { writeFileSafe } from '../../platform/safe-write';
import { readRegularFile } from '../../platform/safe-read';
import { MAX_PROFILE_FILE_BYTES } from '../../profile/inflate';
import { type CommandDef, type FlagSpec, type Parsed, UsageError } from '../args';

const MERGE_FLAGS: FlagSpec[] = [
  { name: 'output', alias: 'o', value: 'string', help: 'output file (required); replaced atomically, the previous one kept as OUT.bak' },
  { name: 'keep-labels', help: 'keep sample labels (default: drop them; PGO ignores labels and they keep samples from summing)' },
  { name: 'normalize', help: "scale every input to the longest input's duration before summing" },
];

function output(args: Parsed): string {
  const o = args.flags.get('output')?.[0];
  if (typeof o !== 'string' || o === '') throw new UsageError('-o OUT is required');
  return o;
}

function mergeOpts(args: Parsed): MergeOptions {
  return { keepLabels: args.flags.has('keep-labels'), normalize: args.flags.has('normalize') };
}

async function write(out: string, r: MergeResult): Promise<void> {
  await writeFileSafe(out, r.bytes, { backup: true });
}

function summary(out: string, r: MergeResult): string {
  const p = r.loaded.profile;
  return `wrote ${out}: ${r.bytes.length} bytes, ${r.samples} samples, ${p.edges.length} call edges, total edge weight ${p.totalWeight}\n`;
}

export const mergeCommand: CommandDef = {
  name: 'merge',
  usage: 'pgo-lens merge -o OUT PROFILE PROFILE… [--normalize] [--keep-labels]',
  summary: 'merge CPU profiles like `go tool pprof -proto -symbolize=none` (keeps start lines), check them, write OUT atomically',
  flags: MERGE_FLAGS,
  async run(args) {
    const out = output(args);
    if (args.positionals.length === 0) throw new UsageError('expected at least one PROFILE');
    const inputs: MergeInput[] = [];
    for (const name of args.positionals) {
      inputs.push({ name, bytes: await readRegularFile(name, MAX_PROFILE_FILE_BYTES, 'profile') });
    }
    const r = await mergeProfiles(inputs, mergeOpts(args));
    await write(out, r);
    for (const w of r.warnings) process.stderr.write(`pgo-lens merge: warning: ${w}\n`);
    process.stderr.write(`pgo-lens merge: ${summary(out, r)}`);
  },
};

function statusLine(r: CollectResult): string {
  const t = `${(r.ms / 1000).toFixed(1)} s`;
  return r.ok ? `${r.endpoint}: ok, ${r.bytes.length} bytes, ${r.samples} samples (${t})` : `${r.endpoint}: FAILED: ${r.error} (${t})`;
}

export const collectCommand: CommandDef = {
  name: 'collect',
  usage: 'pgo-lens collect URL… -o OUT [--seconds N] [--timeout-margin N] [--max-bytes N] [--save-raw DIR] [--normalize] [--keep-labels]',
  summary: 'collect CPU profiles from net/http/pprof endpoints concurrently, merge the successful ones, write OUT atomically',
  flags: [
    { name: 'seconds', value: 'number', help: 'profile duration per endpoint (default 30)' },
    { name: 'timeout-margin', value: 'number', help: 'seconds allowed beyond --seconds before an endpoint times out (default 10)' },
    { name: 'max-bytes', value: 'number', help: `largest accepted response (default ${DEFAULT_MAX_BYTES})` },
    { name: 'save-raw', value: 'string', help: 'also keep each collected profile as DIR/<host>_<port>.pb.gz' },
    ...MERGE_FLAGS,
  ],
  async run(args) {
    const out = output(args);
    if (args.positionals.length === 0) throw new UsageError('expected at least one URL (host:port or http(s)://host:port[/path])');
    const num = (name: string, dflt: number, min: number): number => {
      const v = args.flags.get(name)?.[0];
      if (v === undefined) return dflt;
      if (typeof v !== 'number' || !(v >= min)) throw new UsageError(`--${name} must be a number ≥ ${min}`);
      return v;
    };
    const seconds = num('seconds', 30, 1);
    if (!Number.isInteger(seconds)) throw new UsageError('--seconds must be a whole number');
    const marginSeconds = num('timeout-margin', 10, 0);
    const maxBytes = num('max-bytes', DEFAULT_MAX_BYTES, 1);
    const ac = new AbortController();
    const onSig = (): void => ac.abort();
    process.once('SIGINT', onSig);
    process.once('SIGTERM', onSig);
    let results: CollectResult[];
    try {
      process.stderr.write(`pgo-lens collect: profiling ${args.positionals.length} endpoint(s) for ${seconds} s…\n`);
      results = await collectProfiles(args.positionals, { seconds, marginSeconds, maxBytes, signal: ac.signal });
    } finally {
      process.off('SIGINT', onSig);
      process.off('SIGTERM', onSig);
    }
    for (const r of results) process.stderr.write(`pgo-lens collect: ${statusLine(r)}\n`);
    if (ac.signal.aborted) throw new Error('cancelled; nothing written');
    const good = results.filter((r): r is Extract<CollectResult, { ok: true }> => r.ok);
    if (good.length === 0) throw new Error(`no endpoint returned a profile (${results.length} failed); nothing written`);
    const saveDir = args.flags.get('save-raw')?.[0];
    if (typeof saveDir === 'string') {
      await fs.promises.mkdir(saveDir, { recursive: true });
      for (const g of good) {
        const base = new URL(g.url).host.replace(/[^A-Za-z0-9.-]+/g, '_');
        await writeFileSafe(path.join(saveDir, `${base}.pb.gz`), g.bytes);
      }
    }
    const r = await mergeProfiles(
      good.map((g) => ({ name: g.endpoint, bytes: g.bytes })),
      mergeOpts(args),
    );
    await write(out, r);
    for (const w of r.warnings) process.stderr.write(`pgo-lens collect: warning: ${w}\n`);
    process.stderr.write(`pgo-lens collect: merged ${good.length} of ${results.length}; ${summary(out, r)}`);
  },
};
