// Regenerates the real-code corpus under test/corpus/ (`npm run corpus`; see test/corpus/README.md).
//
// Every directory of test/corpus/ that holds a go.mod is a corpus module: a small driver
// (main package) around real open-source modules, pinned in go.mod and vendored under vendor/.
// For each one the script:
//
//   1. `go mod vendor`: fetches the pinned modules through GOPROXY into the module cache and
//      copies the packages the build needs (and each module's LICENSE) into vendor/;
//   2. builds the main package (directory <dir>, binary <bin> = base name of <dir>, or of the
//      module root) with -pgo=off and runs `<bin> -cpuprofile $TMP/profile -duration 8s` the
//      normal way: runtime/pprof, GOMAXPROCS and GODEBUG unset (so no asyncpreemptoff: samples
//      in runtime.asyncPreempt stay, as in a user's profile); the profile becomes
//      <dir>/default.pgo;
//   3. expected/<bin>.preprofile  = `go tool preprofile -i <dir>/default.pgo -o …`;
//   4. expected/<bin>.pgodebug.txt = combined output of
//        go build -pgo=auto -o $TMP '-gcflags=<pattern>=-m=2 -d=pgodebug=1' … ./<dir>
//      with one -gcflags per pattern: the corpus module (<module>/...) and every required
//      module (<path>/..., from `go list -m all`), so the library packages, where the hot code
//      is, are compiled with the same flags. Normalized like the fixtures' pgodebug.txt
//      (scripts/go-outputs.mjs): $GOROOT, paths relative to the module root, `# pkg` blocks
//      in `go list -deps` order. Vendored files appear as `vendor/<import path>/<file>`;
//      expected/<bin>.devirt.txt = the `edge`/`call` lines of the same build with -d=pgodebug=2:
//      the compiler's reasoning at every interface and function-value call (which profile edges
//      it weighed, and why it took or refused each);
//   5. expected/<bin>.symbols.txt = symbol<TAB>file<TAB>line of every TEXT symbol of the same
//      packages (-S), checked against the profile's start lines like the fixtures;
//   6. expected/<bin>.top.txt = `go tool pprof -top -nodefraction=0 -nodecount=0 <bin>.pprof`
//      (the pprof totals of the profile; the header's `File:` line is the binary's base name);
//   7. expected/summary.json (versions, counts, commands) and expected/go.version.
//
// Usage: node scripts/corpus.mjs [--duration 8s] [--only <name>] [--reuse-profiles] [--no-vendor] [--check]
//   --reuse-profiles  keep the committed default.pgo files and only regenerate the compiler
//                     outputs (deterministic; use after a Go upgrade or a driver-neutral change).
//   --no-vendor       keep vendor/ as committed (no network needed).
//   --check           regenerate the compiler outputs from the committed profiles and vendor/
//                     into a temporary directory and compare them with expected/ (exit status
//                     3 and the differing files when they are not current); writes nothing.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import {
  checkStartLines,
  listPackages,
  makeNormalizer,
  modulePath,
  parseTextSymbols,
  readProfile,
  reorderBlocks,
  repoRoot,
  run,
  ScriptError,
  shellLine,
} from './go-outputs.mjs';
import { fail as fail_, parseScriptArgs, runScript } from './script-cli.mjs';

const corpusRoot = join(repoRoot, 'test', 'corpus');

const fail = (msg) => fail_('corpus', msg);

const parseArgs = (argv) =>
  parseScriptArgs('corpus', argv, {
    usage: '[--duration 8s] [--only <name>] [--reuse-profiles] [--no-vendor] [--check]',
    defaults: { duration: '8s', only: null, reuseProfiles: false, vendor: true, check: false },
    spec: {
      '--duration': 'duration',
      '--only': 'only',
      '--reuse-profiles': { reuseProfiles: true },
      '--no-vendor': { vendor: false },
      '--check': { check: true, reuseProfiles: true, vendor: false },
    },
  });

/** The vendored modules, from vendor/modules.txt (`# <path> <version>` lines). */
function vendoredModules(root) {
  const file = join(root, 'vendor', 'modules.txt');
  if (!existsSync(file)) throw new ScriptError(`${relative(repoRoot, root)}: no vendor/modules.txt; run without --no-vendor`);
  return [...readFileSync(file, 'utf8').matchAll(/^# (\S+) (v\S+)$/gm)].map((m) => ({ path: m[1], version: m[2] }));
}

// Messages of escape analysis (cmd/compile/internal/escape: escape.go, graph.go, solve.go,
// Go 1.26), which -m=2 prints at length and which have nothing to do with PGO. They are two
// thirds of the output; pgodebug.txt leaves them out and keeps every other line as printed.
const ESCAPE_MESSAGE = new RegExp(
  '^(?:\\s+flow: |\\s+from |leaking param|leaking closure reference|moved to heap: |parameter .* leaks to |mutates param: |calls param: |' +
    'zero-copy string->\\[\\]byte conversion|rewriting OCONVIFACE value |marking .* as escaping |assuming .* is unsafe uintptr|alias analysis: |' +
    '.* escapes to heap(?: in .*)?:?$|.* does not escape(?:, mutate, or call)?$|.* ignoring self-assignment in |.* capturing by )',
);
const POSITIONED = /^(.+?):(\d+)(?::(\d+))?(?:\[[^\]]*\])?: (.*)$/;

// Devirtualization trace lines of -d=pgodebug=2 (cmd/compile/internal/devirtualize/pgo.go, Go 1.26).
const TRACE_LINE = /^\S.*?:\d+:\d+: (?:edge .+?:-?\d+ -> |call .+?:-?\d+: |can't PGO devirtualize go\/defer call )/;

/**
 * The compiler weighs a call's out-edges in map order (pgoir's OutEdges), so the `edge` lines of
 * one call come in a different order from run to run, and each edge's verdict depends on that
 * order (an edge colder than the hottest so far is "too cold" and never checked for eligibility;
 * "(missing IR)", "doesn't implement" appear only for edges weighed as hottest): the edge lines
 * keep the edge and its weight only, sorted per position; the `call` line after them keeps the
 * compiler's final choice, which does not depend on the order.
 */
function sortEdgeRuns(lines) {
  lines = lines.map((l) => l.replace(/^(\S.*?:\d+:\d+: edge .+? \(weight -?\d+\)).*$/, '$1'));
  const out = [];
  let run = [];
  let key = null;
  const flush = () => {
    out.push(...run.sort());
    run = [];
    key = null;
  };
  for (const l of lines) {
    const m = /^(\S.*?:\d+:\d+): edge /.exec(l);
    if (m && m[1] === key) run.push(l);
    else {
      flush();
      if (m) {
        key = m[1];
        run.push(l);
      } else out.push(l);
    }
  }
  flush();
  return out;
}

/** Removes escape-analysis lines from -m=2 output; returns the rest and how many were dropped. */
function dropEscapeAnalysis(text) {
  let dropped = 0;
  const kept = text.split('\n').filter((l) => {
    const m = POSITIONED.exec(l);
    if (m && ESCAPE_MESSAGE.test(m[4])) {
      dropped++;
      return false;
    }
    return true;
  });
  return { text: kept.join('\n'), dropped };
}

function licenseOf(root, mod) {
  const dir = join(root, 'vendor', ...mod.path.split('/'));
  const f = existsSync(dir) ? readdirSync(dir).find((n) => /^(LICEN[CS]E|COPYING)(\.(md|txt))?$/i.test(n)) : undefined;
  return f ? relative(root, join(dir, f)).split(sep).join('/') : null;
}

function processModule(cm, opts, tmp, goroot) {
  const { name, root, module, out: expected } = cm;
  const packages = listPackages(root);
  const mains = packages.filter((p) => p.name === 'main');
  if (mains.length !== 1) throw new ScriptError(`${name}: expected exactly one main package, found ${mains.length}`);
  const pkg = mains[0];
  const relDir = relative(root, pkg.dir).split(sep).join('/');
  const target = relDir ? `./${relDir}` : '.';
  const bin = relDir ? basename(pkg.dir) : name;
  const profile = join(pkg.dir, 'default.pgo');
  mkdirSync(expected, { recursive: true });
  const normalize = makeNormalizer(root, goroot);
  const commands = {};

  // 1. Vendor the pinned modules.
  commands.vendor = ['go', 'mod', 'vendor'];
  if (opts.vendor) run('go', ['mod', 'vendor'], root);
  const modules = vendoredModules(root).map((m) => ({ ...m, license: licenseOf(root, m) }));
  for (const m of modules) if (!m.license) throw new ScriptError(`${name}: vendor/${m.path} has no LICENSE file`);

  // 2. Profile the program, built without PGO, the normal way.
  const env = { GODEBUG: undefined, GOMAXPROCS: undefined };
  commands.profileBuild = ['go', 'build', '-pgo=off', '-o', `$TMP/${bin}.nopgo`, target];
  commands.profileRun = [`$TMP/${bin}.nopgo`, '-cpuprofile', `$TMP/${bin}.pprof`, '-duration', opts.duration];
  const old = readOldSummary(join(root, 'expected'));
  let runOutput = old?.runOutput ?? null;
  if (opts.reuseProfiles && existsSync(profile)) {
    if (old?.commands?.profileRun) commands.profileRun = old.commands.profileRun.split(' ');
  } else {
    const exe = join(tmp, `${bin}.nopgo`);
    run('go', ['build', '-pgo=off', '-o', exe, target], root);
    const tmpProfile = join(tmp, `${bin}.pprof`);
    const r = run(exe, ['-cpuprofile', tmpProfile, '-duration', opts.duration], root, { merge: true, env });
    runOutput = r.out.trim().split('\n').pop();
    process.stdout.write(`    ${bin}: ${runOutput}\n`);
    if (!existsSync(tmpProfile) || statSync(tmpProfile).size === 0) throw new ScriptError(`${bin} wrote no profile`);
    copyFileSync(tmpProfile, profile); // not rename: $TMP may be on another file system
  }
  const profileRel = relative(root, profile).split(sep).join('/');

  // 3. Serialized profile, as the go command hands it to the compiler.
  const pre = join(expected, `${bin}.preprofile`);
  commands.preprofile = ['go', 'tool', 'preprofile', '-i', profileRel, '-o', `expected/${bin}.preprofile`];
  run('go', ['tool', 'preprofile', '-i', profile, '-o', pre], root);

  // 4. -m=2 -d=pgodebug=1 for the corpus module and every vendored module.
  const order = run('go', ['list', '-deps', '-f', '{{.ImportPath}}', target], root).out.trim().split('\n');
  const patterns = [`${module}/...`, ...modules.map((m) => `${m.path}/...`)];
  const dbgFlags = patterns.map((p) => `-gcflags=${p}=-m=2 -d=pgodebug=1`);
  commands.pgodebug = ['go', 'build', '-pgo=auto', '-o', `$TMP/${bin}`, ...dbgFlags, target];
  const dbg = run('go', ['build', '-pgo=auto', '-o', join(tmp, bin), ...dbgFlags, target], root, { merge: true });
  const { text: dbgText, dropped: escapeLines } = dropEscapeAnalysis(reorderBlocks(normalize(dbg.out), order));
  const inPatterns = (ip) => ip === module || ip.startsWith(`${module}/`) || modules.some((m) => ip === m.path || ip.startsWith(`${m.path}/`));
  const compiled = order.filter(inPatterns);
  for (const ip of compiled) {
    if (!dbgText.includes(`\n# ${ip}\n`) && !dbgText.startsWith(`# ${ip}\n`))
      throw new ScriptError(`${bin}: no compiler output for ${ip}; was the compile skipped?`);
  }
  writeFileSync(join(expected, `${bin}.pgodebug.txt`), dbgText);

  // 4b. The devirtualization trace (-d=pgodebug=2): per interface or function-value call, every
  // profile edge the compiler weighed and why it took or refused it (too cold, missing IR,
  // doesn't implement the interface, not a method, …). Only those `edge`/`call` lines are kept:
  // the rest repeats pgodebug.txt, or is a `PGO devirtualize considering call` line per call.
  const traceFlags = patterns.map((p) => `-gcflags=${p}=-d=pgodebug=2`);
  commands.devirtTrace = ['go', 'build', '-pgo=auto', '-o', `$TMP/${bin}.trace`, ...traceFlags, target];
  const trace = run('go', ['build', '-pgo=auto', '-o', join(tmp, `${bin}.trace`), ...traceFlags, target], root, { merge: true });
  const traceText = sortEdgeRuns(
    reorderBlocks(normalize(trace.out), order)
      .split('\n')
      .filter((l) => l.startsWith('# ') || TRACE_LINE.test(l)),
  ).join('\n');
  writeFileSync(join(expected, `${bin}.devirt.txt`), traceText + '\n');

  // 5. Symbols and start lines from -S.
  const asmFlags = patterns.map((p) => `-gcflags=${p}=-S`);
  commands.symbols = ['go', 'build', '-pgo=auto', '-o', `$TMP/${bin}.S`, ...asmFlags, target];
  const asm = run('go', ['build', '-pgo=auto', '-o', join(tmp, `${bin}.S`), ...asmFlags, target], root, { merge: true });
  const { syms, conflicts } = parseTextSymbols(asm.out, (f) => normalize(`(${f}`).slice(1));
  if (syms.length === 0) throw new ScriptError(`${bin}: no TEXT lines in -S output`);
  for (const c of conflicts) console.warn(`    warning: ${bin}: symbol with two positions: ${c}`);
  writeFileSync(join(expected, `${bin}.symbols.txt`), syms.map((s) => `${s.symbol}\t${s.file}\t${s.line}\n`).join(''));

  // 6. pprof's own totals. Copy the profile to <bin>.pprof so the header names the binary only.
  const named = join(tmp, `${bin}.pprof`);
  if (profile !== named) copyFileSync(profile, named);
  commands.top = ['go', 'tool', 'pprof', '-top', '-nodefraction=0', '-nodecount=0', `${bin}.pprof`];
  const top = run('go', ['tool', 'pprof', '-top', '-nodefraction=0', '-nodecount=0', `${bin}.pprof`], tmp);
  writeFileSync(join(expected, `${bin}.top.txt`), top.out);

  const { samples, starts } = readProfile(root, profile);
  const startCheck = checkStartLines(starts, syms);
  const lines = dbgText.split('\n');
  const hotBudget = lines.filter((l) => l.startsWith('hot-budget check allows inlining'));
  const devirt = lines.filter((l) => / PGO devirtualizing (interface|function) call /.test(l));
  const asyncPreempt = [...starts.keys()].includes('runtime.asyncPreempt');
  return {
    name,
    module,
    modules,
    bin,
    package: pkg.importPath,
    dir: relDir || '.',
    profile: profileRel,
    runOutput,
    samples,
    asyncPreemptInProfile: asyncPreempt,
    compiledPackages: compiled,
    escapeAnalysisLinesDropped: escapeLines,
    hotBudgetLines: hotBudget.length,
    hotBudgetSites: new Set(hotBudget).size,
    devirtualizedInterfaceCalls: devirt.filter((l) => l.includes(' interface call ')).length,
    devirtualizedFunctionCalls: devirt.filter((l) => l.includes(' function call ')).length,
    symbols: syms.length,
    startLineCheck: { checked: startCheck.checked, mismatches: startCheck.mismatches },
    devirtualizations: devirt,
    commands: Object.fromEntries(Object.entries(commands).map(([k, v]) => [k, shellLine(v)])),
  };
}

function readOldSummary(expected) {
  try {
    return JSON.parse(readFileSync(join(expected, 'summary.json'), 'utf8'));
  } catch {
    return null;
  }
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const goVersion = run('go', ['version'], repoRoot).out.trim();
  const goroot = run('go', ['env', 'GOROOT'], repoRoot).out.trim();
  console.log(`corpus: ${goVersion}`);
  const names = readdirSync(corpusRoot)
    .filter((n) => existsSync(join(corpusRoot, n, 'go.mod')))
    .filter((n) => !opts.only || n === opts.only)
    .sort();
  if (names.length === 0) fail(opts.only ? `no corpus module named ${opts.only}` : 'no corpus modules found');

  const tmp = mkdtempSync(join(tmpdir(), 'pgo-corpus-'));
  const started = Date.now();
  const summaries = [];
  const stale = [];
  try {
    for (const name of names) {
      const root = join(corpusRoot, name);
      const module = modulePath(root);
      console.log(`${name} (${module})`);
      const committed = join(root, 'expected');
      const expected = opts.check ? join(tmp, `expected-${name}`) : committed;
      const s = { go: goVersion, ...processModule({ name, root, module, out: expected }, opts, tmp, goroot) };
      const bad = s.startLineCheck.mismatches.length;
      console.log(
        `    ${s.bin}: ${s.samples} samples${s.asyncPreemptInProfile ? ' (with runtime.asyncPreempt)' : ''}, ${s.compiledPackages.length} packages, ` +
          `${s.hotBudgetLines} hot-budget lines (${s.hotBudgetSites} distinct), ${s.devirtualizedInterfaceCalls} interface + ` +
          `${s.devirtualizedFunctionCalls} function devirtualizations, ${s.symbols} symbols; ` +
          `start_line = TEXT line for ${s.startLineCheck.checked - bad}/${s.startLineCheck.checked} profile functions`,
      );
      for (const m of s.startLineCheck.mismatches) console.log(`      start_line mismatch: ${m}`);
      writeFileSync(join(expected, 'go.version'), goVersion + '\n');
      writeFileSync(join(expected, 'summary.json'), JSON.stringify(s, null, 2) + '\n');
      const produced = new Set([
        'go.version',
        'summary.json',
        ...['preprofile', 'pgodebug.txt', 'devirt.txt', 'symbols.txt', 'top.txt'].map((e) => `${s.bin}.${e}`),
      ]);
      if (opts.check) {
        const names = new Set([...produced, ...(existsSync(committed) ? readdirSync(committed) : [])]);
        for (const f of [...names].sort()) {
          const a = existsSync(join(committed, f)) ? readFileSync(join(committed, f)) : null;
          const b = existsSync(join(expected, f)) ? readFileSync(join(expected, f)) : null;
          if (!a || !b || !a.equals(b)) stale.push(`${name}/expected/${f}: ${!a ? 'not committed' : !b ? 'no longer produced' : 'differs from a fresh run'}`);
        }
      } else {
        for (const f of readdirSync(expected)) if (!produced.has(f)) rmSync(join(expected, f));
      }
      summaries.push(s);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // Properties the corpus tests rely on. Profiles vary; if one fails, run again or raise --duration.
  const problems = [];
  for (const s of summaries) if (s.hotBudgetLines === 0) problems.push(`${s.name}: no "hot-budget check allows inlining" line`);
  if (!opts.only && !summaries.some((s) => s.devirtualizedInterfaceCalls > 0)) problems.push('no "PGO devirtualizing interface call" line in the corpus');
  if (summaries.some((s) => s.startLineCheck.mismatches.length > 0)) problems.push('profile start lines differ from -S TEXT lines');
  console.log(`corpus: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (opts.check) {
    if (stale.length) {
      console.error(`corpus: the committed outputs are not current (regenerate with node scripts/corpus.mjs --reuse-profiles):\n  ${stale.join('\n  ')}`);
      process.exit(3);
    }
    console.log('corpus: the committed outputs are current');
  }
  if (problems.length) {
    console.error(`corpus: the regenerated outputs lack properties the tests rely on:\n  ${problems.join('\n  ')}`);
    console.error('corpus: profiles vary between runs; run the script again or raise --duration.');
    process.exit(2);
  }
}

runScript('corpus', main);
