/**
 * `pgo-lens top` and `pgo-lens list`: the editor's per-function and per-line numbers, equal to
 * `go tool pprof -top -nodefraction=0` (and `-top -lines`) and `go tool pprof -list`.
 */
import * as fs from 'node:fs';
import { loadPprofFile } from '../../pgo/load';
import { type FunctionNumbers, pprofNumbers, pprofSampleIndex, topOrder } from '../../pgo/flatcum';
import { pprofPercent } from '../../pgo/percent';
import type { PprofProfile } from '../../profile/pprof';
import { type CommandDef, type FlagSpec, type Parsed, UsageError } from '../args';

const RAW_NAMES: FlagSpec = {
  name: 'raw-names',
  help: "the profile's function names as recorded (the compiler's; like pprof -symbolize=none) instead of pprof's default display names",
};

const SAMPLE_INDEX: FlagSpec = {
  name: 'sample-index',
  value: 'string',
  help: "sample type by name (samples, cpu) or index, like pprof's -sample_index (default: pprof's, the last type: cpu for CPU profiles)",
};

interface Numbers {
  sampleIndex: string;
  unit: string;
  total: number;
  functions: FunctionNumbers[];
}

async function numbersOf(args: Parsed, positionals: number): Promise<Numbers> {
  if (args.positionals.length !== positionals) throw new UsageError(positionals === 1 ? 'expected exactly one PROFILE' : 'expected PROFILE and FUNC_REGEX');
  const p: PprofProfile = await loadPprofFile(args.positionals[0]!);
  if (p.sampleTypes.length === 0) return { sampleIndex: '', unit: '', total: 0, functions: [] };
  const si = args.flags.get('sample-index')?.[0];
  let vi: number;
  try {
    vi = pprofSampleIndex(p, typeof si === 'string' ? si : undefined);
  } catch (e) {
    throw new UsageError(`--sample-index: ${(e as Error).message}`);
  }
  const n = pprofNumbers(p, vi, args.flags.has('raw-names') ? 'raw' : 'pprof');
  return { sampleIndex: p.sampleTypes[vi]!.type, unit: p.sampleTypes[vi]!.unit, total: n.total, functions: n.functions };
}

const row = (flat: number, cum: number, sum: number, total: number, name: string): string =>
  `${String(flat).padStart(12)} ${pprofPercent(flat, total)} ${pprofPercent(sum, total)} ${String(cum).padStart(12)} ${pprofPercent(cum, total)}  ${name}\n`;

export const topCommand: CommandDef = {
  name: 'top',
  usage: 'pgo-lens top PROFILE [--sample-index samples|cpu] [--lines] [--json]',
  summary: 'flat and cum per function (or per source line) as `go tool pprof -top -nodefraction=0` counts them',
  flags: [
    SAMPLE_INDEX,
    RAW_NAMES,
    { name: 'lines', help: 'one row per source line, like pprof -top -lines ("name file:line")' },
    {
      name: 'json',
      help: 'print JSON: {"sampleIndex","unit","total","functions":[{"name","flat","cum"}]} (with --lines: "lines":[{"name","file","line","flat","cum"}])',
    },
  ],
  async run(args, out) {
    const n = await numbersOf(args, 1);
    const lines = args.flags.has('lines');
    const rows = lines
      ? n.functions.flatMap((f) =>
          f.lines.map((l) => ({ name: `${f.name} ${l.file}:${l.line}`, fn: f.name, file: l.file, line: l.line, flat: l.flat, cum: l.cum })),
        )
      : n.functions.map((f) => ({ name: f.name, fn: f.name, file: f.file, line: 0, flat: f.flat, cum: f.cum }));
    const sorted = topOrder(rows);
    if (args.flags.has('json')) {
      const head = { sampleIndex: n.sampleIndex, unit: n.unit, total: n.total };
      const body = lines
        ? { lines: sorted.map((r) => ({ name: r.fn, file: r.file, line: r.line, flat: r.flat, cum: r.cum })) }
        : { functions: sorted.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum })) };
      out.write(JSON.stringify({ ...head, ...body }, null, 1) + '\n');
      return;
    }
    out.write(`Type: ${n.sampleIndex} (${n.unit})\nTotal: ${n.total}\n${'flat'.padStart(12)}  flat%   sum% ${'cum'.padStart(12)}   cum%\n`);
    let sum = 0;
    for (const r of sorted) {
      sum += r.flat;
      out.write(row(r.flat, r.cum, sum, n.total, r.name));
    }
  },
};

export const listCommand: CommandDef = {
  name: 'list',
  usage: 'pgo-lens list PROFILE FUNC_REGEX [--sample-index samples|cpu] [--json]',
  summary: 'flat and cum per source line of the functions whose name matches FUNC_REGEX, as `go tool pprof -list` counts them',
  flags: [
    SAMPLE_INDEX,
    RAW_NAMES,
    {
      name: 'json',
      help: 'print JSON: {"sampleIndex","unit","total","functions":[{"name","flat","cum","lines":[{"file","line","flat","cum"}]}]} (function flat/cum as top)',
    },
  ],
  async run(args, out) {
    const source = args.positionals[1];
    let re: RegExp;
    try {
      re = new RegExp(source ?? '');
    } catch (e) {
      throw new UsageError(`FUNC_REGEX: ${(e as Error).message}`);
    }
    const n = await numbersOf(args, 2);
    const fns = n.functions.filter((f) => re.test(f.name));
    if (fns.length === 0) throw new UsageError(`no function in the profile matches ${JSON.stringify(source)}`);
    if (args.flags.has('json')) {
      out.write(
        JSON.stringify(
          { sampleIndex: n.sampleIndex, unit: n.unit, total: n.total, functions: fns.map(({ name, flat, cum, lines }) => ({ name, flat, cum, lines })) },
          null,
          1,
        ) + '\n',
      );
      return;
    }
    out.write(`Total: ${n.total} ${n.unit}\n`);
    for (const f of fns) {
      for (const file of [...new Set(f.lines.map((l) => l.file))]) {
        const lines = f.lines.filter((l) => l.file === file);
        const flat = lines.reduce((s, l) => s + l.flat, 0);
        const cum = lines.reduce((s, l) => s + l.cum, 0);
        const text = readLines(file);
        out.write(`ROUTINE ======================== ${f.name} in ${file}\n`);
        out.write(
          `${String(flat).padStart(10)} ${String(cum).padStart(10)} (flat, cum) ${pprofPercent(cum, n.total)} of Total (sums of the lines, as pprof prints them; the function: flat ${f.flat}, cum ${f.cum})\n`,
        );
        for (const l of lines) out.write(`${dot(l.flat)} ${dot(l.cum)} ${String(l.line).padStart(6)}:${text?.[l.line - 1] ?? ''}\n`);
      }
    }
  },
};

const dot = (v: number): string => (v === 0 ? '.' : String(v)).padStart(10);

function readLines(file: string): string[] | undefined {
  try {
    return fs.readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
}
