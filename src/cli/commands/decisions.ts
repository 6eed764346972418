/**
 * `pgo-lens decisions DIR [--main PKGDIR] [--pgo FILE] [--json] [--changes] [--verbose]`: build a
 * main package with its profile and the compiler's decision output (the go build cache answers
 * unchanged packages; the JSON goes to a private directory under the user cache dir) and
 * print what the compiler decided at each call site; `--changes` builds with -pgo=off too and
 * prints the call sites whose inlining or devirtualization PGO changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildProgress } from '../../compiler/build';
import { confirmDecisions, confirmPgoChanges, defaultProfile } from '../../compiler/confirm';
import { type CallDecision, describeDecision } from '../../compiler/decisions';
import { type CommandDef, type Parsed, UsageError } from '../args';

const str = (args: Parsed, name: string): string | undefined => {
  const v = args.flags.get(name)?.[0];
  return typeof v === 'string' ? v : undefined;
};

/** The main package: --main, else DIR itself if it has a default.pgo, else the only main package dir with a default.pgo below DIR. */
function findMain(root: string, given: string | undefined): string {
  if (given) return path.resolve(root, given);
  if (fs.existsSync(path.join(root, 'default.pgo'))) return root;
  const found: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 6) return;
    let ents: fs.Dirent[];
    try {
      ents = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    if (ents.some((e) => e.isFile() && e.name === 'default.pgo')) found.push(d);
    for (const e of ents)
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'vendor' && e.name !== 'testdata' && e.name !== 'node_modules')
        walk(path.join(d, e.name), depth + 1);
  };
  walk(root, 0);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new UsageError('no default.pgo under DIR: pass --main PKGDIR (and --pgo FILE)');
  throw new UsageError(`several main packages with a default.pgo: ${found.map((f) => path.relative(root, f) || '.').join(', ')}; pass --main PKGDIR`);
}

const rel = (root: string, f: string): string => {
  const r = path.relative(root, f);
  return r.startsWith('..') || path.isAbsolute(r) ? f : r.split(path.sep).join('/');
};

/**
 * Progress on stderr: one line per phase and "package N of M" while compiling (rewritten in
 * place on a terminal); the go command line only with --verbose.
 */
function progressPrinter(verbose: boolean): (p: BuildProgress) => void {
  const tty = process.stderr.isTTY === true;
  let inPlace = false;
  return (p) => {
    if (p.phase === 'command' && !verbose) return;
    const line = `pgo-lens decisions: ${p.message}`;
    if (tty && p.phase === 'build' && p.done) {
      process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 120) - 1)}`);
      inPlace = true;
      return;
    }
    if (inPlace) process.stderr.write('\n');
    inPlace = false;
    process.stderr.write(`${line}\n`);
  };
}

export const decisionsCommand: CommandDef = {
  name: 'decisions',
  usage: 'pgo-lens decisions DIR [--main PKGDIR] [--pgo FILE] [--json] [--changes] [--verbose]',
  summary: "build a main package with its profile and print the compiler's own inlining/devirtualization decisions (nothing is written in DIR)",
  flags: [
    { name: 'main', value: 'string', help: 'main package directory (default: the one with a default.pgo under DIR)' },
    { name: 'pgo', value: 'string', help: "profile (default: the main package's default.pgo, like -pgo=auto); `off` builds without PGO" },
    { name: 'changes', help: 'also build with -pgo=off and print only the call sites whose decisions PGO changed' },
    { name: 'all', help: 'print every decision, also those in files outside DIR and calls inlined into inlined bodies' },
    { name: 'json', help: 'print JSON' },
    { name: 'verbose', help: 'also print the go command lines and what was compiled or taken from the cache' },
  ],
  async run(args, out) {
    if (args.positionals.length !== 1) throw new UsageError('expected exactly one DIR');
    const root = path.resolve(args.positionals[0]!);
    const mainDir = findMain(root, str(args, 'main'));
    const pgoFlag = str(args, 'pgo');
    const pgo = pgoFlag === undefined ? defaultProfile(mainDir) : pgoFlag === 'off' ? 'off' : path.resolve(pgoFlag);
    const ac = new AbortController();
    const onSig = (): void => ac.abort();
    process.once('SIGINT', onSig);
    try {
      const verbose = args.flags.has('verbose');
      const common = { root, mainDir, pgo, signal: ac.signal, onProgress: progressPrinter(verbose) };
      if (args.flags.has('changes')) {
        const r = await confirmPgoChanges(common);
        if (args.flags.has('json')) {
          out.write(
            JSON.stringify(
              {
                mainPackage: r.withPgo.mainPackage,
                profile: r.withPgo.pgo,
                goVersion: r.withPgo.goVersion,
                changes: r.changes.map((c) => ({ ...c, file: rel(root, c.file) })),
              },
              null,
              1,
            ) + '\n',
          );
          return;
        }
        const shown = r.changes.filter((c) => args.flags.has('all') || (!c.nested && c.file.startsWith(root)));
        out.write(`${r.withPgo.mainPackage}: ${r.changes.length} call sites changed by PGO (${shown.length} shown)\n`);
        for (const c of shown) {
          const where = `${rel(root, c.file)}:${c.line}:${c.col}`;
          if (c.kind === 'inline')
            out.write(
              `  ${where}  ${c.change === 'gained' ? 'now inlined' : 'no longer inlined'}: ${c.callee}${c.cost !== undefined ? ` (cost ${c.cost}${c.hotBudget ? ', hot budget' : ''})` : ''}\n`,
            );
          else
            out.write(
              `  ${where}  ${c.change === 'gained' ? 'now devirtualized' : 'no longer devirtualized'}: ${c.expr} → ${c.callee}${c.pgo ? '' : ' (static)'}\n`,
            );
        }
        return;
      }
      const r = await confirmDecisions(common);
      if (verbose)
        process.stderr.write(
          r.unchanged
            ? `pgo-lens decisions: none of the ${r.reused.length} workspace package(s), the profile or the toolchain changed: the last confirmation answers (go did not run)\n`
            : `pgo-lens decisions: ${r.compiled.length} workspace package(s) compiled, ${r.reused.length} from the cache, ${r.compileActions} compile action(s) in all\n`,
        );
      if (args.flags.has('json')) {
        const d = r.decisions;
        out.write(
          JSON.stringify(
            {
              mainPackage: r.mainPackage,
              profile: r.pgo === 'off' ? 'off' : rel(root, r.pgo),
              goVersion: r.goVersion,
              calls: d.calls.map((c) => ({ ...c, file: rel(root, c.file) })),
              functions: d.functions.map((f) => ({ ...f, file: rel(root, f.file) })),
              hotBudgetFuncs: d.hotBudgetFuncs,
              thresholds: d.thresholds,
            },
            null,
            1,
          ) + '\n',
        );
        return;
      }
      const shown = r.decisions.calls.filter((c: CallDecision) => args.flags.has('all') || (c.file.startsWith(root) && !(c.kind === 'inline' && c.nested)));
      const hot = shown.filter((c) => c.kind === 'inline' && c.hotBudget).length;
      const dev = shown.filter((c) => c.kind === 'devirtualize' && c.pgo).length;
      out.write(
        `${r.mainPackage} (${r.pgo === 'off' ? '-pgo=off' : `profile ${rel(root, r.pgo)}`}, ${r.goVersion}): ${shown.length} decisions, ${hot} inlined thanks to the hot budget, ${dev} PGO devirtualizations\n`,
      );
      for (const c of shown) out.write(`  ${rel(root, c.file)}:${c.line}:${c.col}  ${describeDecision(c)}\n`);
    } finally {
      process.removeListener('SIGINT', onSig);
    }
  },
};
