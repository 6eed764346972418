/** A small, strict argument parser: flags are declared per command, anything else is an error. */

export interface FlagSpec {
  name: string; // long name without dashes
  alias?: string; // single letter
  value?: 'string' | 'number';
  repeat?: boolean;
  help: string;
}

/** A `pgo-lens` subcommand. */
export interface CommandDef {
  name: string;
  usage: string;
  summary: string;
  flags: FlagSpec[];
  run(args: Parsed, out: NodeJS.WritableStream): Promise<void>;
}

export interface Parsed {
  positionals: string[];
  flags: Map<string, (string | number | true)[]>;
}

/** Shared by report, check and rewrite. */
export const NO_GIT_FLAG: FlagSpec = {
  name: 'no-git',
  help: 'do not read git history (by default the commit that last changed each profile re-aligns drifted call sites exactly and lists hot functions edited since)',
};

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(argv: string[], specs: FlagSpec[]): Parsed {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    if (s.alias) byName.set(s.alias, s);
  }
  const flags = new Map<string, (string | number | true)[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown flag ${a}`);
    let value: string | number | true = true;
    if (spec.value) {
      let raw: string | undefined;
      if (eq >= 0) raw = body.slice(eq + 1);
      else {
        raw = argv[++i];
        if (raw === undefined) throw new UsageError(`flag --${spec.name} needs a value`);
      }
      if (spec.value === 'number') {
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`flag --${spec.name} needs a number, got ${JSON.stringify(raw)}`);
        value = n;
      } else value = raw;
    } else if (eq >= 0) throw new UsageError(`flag --${spec.name} takes no value`);
    const list = flags.get(spec.name) ?? [];
    if (list.length && !spec.repeat) throw new UsageError(`flag --${spec.name} given twice`);
    list.push(value);
    flags.set(spec.name, list);
  }
  return { positionals, flags };
}

export function flagHelp(specs: FlagSpec[]): string {
  return specs
    .map((s) => {
      const names = `${s.alias ? `-${s.alias}, ` : '    '}--${s.name}${s.value ? ` ${s.value === 'number' ? 'N' : 'VALUE'}` : ''}`;
      return `  ${names.padEnd(28)} ${s.help}`;
    })
    .join('\n');
}
