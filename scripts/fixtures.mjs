// Regenerates the Go PGO fixtures under test/fixtures/ (`npm run fixtures`).
//
// Every directory of test/fixtures/ that holds a go.mod is a fixture module. For each of
// its main packages (directory <dir>, binary name <bin> = base name of <dir>) the script:
//
//   1. builds the program with -pgo=off into a temporary directory and runs it as
//      `GODEBUG=asyncpreemptoff=1 <bin> -cpuprofile $TMP/profile -duration 4s`; the CPU
//      profile (written by runtime/pprof, not `go test`, so symbols of the main package are
//      spelled `main.`) becomes <dir>/default.pgo, where `go build -pgo=auto` finds it;
//   2. expected/<bin>.preprofile  = `go tool preprofile -i <dir>/default.pgo -o …`;
//   3. expected/<bin>.pgodebug.txt = combined stdout+stderr of
//        go build -pgo=auto -o $TMP "-gcflags=<module>/...=-m -d=pgodebug=1" ./<dir>
//      run in the module root (normalized, see below);
//   4. expected/<bin>.symbols.txt = every TEXT symbol of
//        go build -pgo=auto -o $TMP "-gcflags=<module>/...=-S" ./<dir>
//      as `symbol<TAB>file<TAB>line`, where (file:line) is the position printed on the
//      function's TEXT line, i.e. fn.Pos(), the value the runtime stores as the profile's
//      Function.start_line (checked against the profile on every run, see checkStartLines);
//   5. expected/summary.json (counts and the exact commands) and expected/go.version.
//
// Normalization of the compiler output (so the committed files do not depend on the
// machine):
//   * The go command already rewrites the package directory and its ancestors to shorter
//     relative paths (cmd/go/internal/work/shell.go, reportCmd). Since the builds run in the
//     module root, the package's own files are printed as `cmd/shapes/main.go` (or
//     `./main.go` for a main package in the module root) and files of other packages of the
//     module, which the compiler knows through export data, as `./geom/generic.go`. These
//     forms are kept exactly as printed.
//   * Remaining absolute paths of the module root become relative to the module root
//     (in -S output, positions are absolute and appear after '(').
//   * The Go root, printed absolute or (when that is shorter) relative to the module root,
//     becomes `$GOROOT`, e.g. `$GOROOT/src/slices/zsortanyfunc.go:121:18`.
//   * The go command prints compiler output per package (`# <import path>` blocks) in
//     completion order, which varies with build parallelism; the blocks are reordered into
//     `go list -deps` order. Nothing else is changed.
//
// The compiler output is never stale: the gcflags of the module packages make their build
// actions unique, and when the cache does hold them (same profile, e.g. --reuse-profiles)
// the go command replays the stored compiler output byte for byte.
//
// Usage: node scripts/fixtures.mjs [--duration 4s] [--only <fixture>] [--reuse-profiles]
//   --reuse-profiles  keep the committed default.pgo files and only regenerate the compiler
//                     outputs (deterministic; use after a Go upgrade).
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

const fixturesRoot = join(repoRoot, 'test', 'fixtures');

const parseArgs = (argv) =>
  parseScriptArgs('fixtures', argv, {
    usage: '[--duration 4s] [--only <fixture>] [--reuse-profiles]',
    defaults: { duration: '4s', only: null, reuseProfiles: false },
    spec: { '--duration': 'duration', '--only': 'only', '--reuse-profiles': { reuseProfiles: true } },
  });

const fail = (msg) => fail_('fixtures', msg);

function readOldSummary(expected) {
  try {
    return JSON.parse(readFileSync(join(expected, 'summary.json'), 'utf8'));
  } catch {
    return null;
  }
}

function processMain(fx, pkg, opts, tmp) {
  const { root, module, normalize } = fx;
  const relDir = relative(root, pkg.dir).split(sep).join('/');
  const target = relDir ? `./${relDir}` : '.';
  const bin = basename(pkg.dir);
  const profile = join(pkg.dir, 'default.pgo');
  const expected = join(root, 'expected');
  mkdirSync(expected, { recursive: true });
  const commands = {};

  // 1. Profile the program, built without PGO.
  commands.profileBuild = ['go', 'build', '-pgo=off', '-o', `$TMP/${bin}.nopgo`, target];
  commands.profileRun = ['env', 'GODEBUG=asyncpreemptoff=1', `$TMP/${bin}.nopgo`, '-cpuprofile', '$TMP/profile', '-duration', opts.duration];
  if (opts.reuseProfiles && existsSync(profile)) {
    // Keep the recorded command line of the run that produced the kept profile.
    const old = readOldSummary(expected)?.mains?.find((m) => m.bin === bin)?.commands?.profileRun;
    if (old) commands.profileRun = old;
  } else {
    const exe = join(tmp, `${bin}.nopgo`);
    run('go', ['build', '-pgo=off', '-o', exe, target], root);
    const tmpProfile = join(tmp, `${bin}.pprof`);
    // GODEBUG=asyncpreemptoff=1: on a loaded machine the preemption signal (SIGURG) is
    // often delivered just before the profiling signal (SIGPROF), so up to a third of the
    // samples land in runtime.asyncPreempt, "called" from the interrupted line. Those
    // IR-less edges are then the hottest at the loops' call sites and block PGO
    // devirtualization there. The programs only run cooperative goroutines, so nothing
    // else changes.
    const r = run(exe, ['-cpuprofile', tmpProfile, '-duration', opts.duration], root, {
      merge: true,
      env: { GODEBUG: [process.env.GODEBUG, 'asyncpreemptoff=1'].filter(Boolean).join(',') },
    });
    process.stdout.write(`    ${bin}: ${r.out.trim().split('\n').pop()}\n`);
    if (!existsSync(tmpProfile) || statSync(tmpProfile).size === 0) throw new ScriptError(`${bin} wrote no profile`);
    copyFileSync(tmpProfile, profile); // not rename: $TMP may be on another file system
  }

  // 2. Serialized profile, as the go command hands it to the compiler.
  const pre = join(expected, `${bin}.preprofile`);
  commands.preprofile = ['go', 'tool', 'preprofile', '-i', relative(root, profile), '-o', relative(root, pre)];
  run('go', ['tool', 'preprofile', '-i', profile, '-o', pre], root);

  // 3. -m -d=pgodebug=1 for every package of the module.
  const order = run('go', ['list', '-deps', '-f', '{{.ImportPath}}', target], root).out.trim().split('\n');
  const dbgFlags = `-gcflags=${module}/...=-m -d=pgodebug=1`;
  commands.pgodebug = ['go', 'build', '-pgo=auto', '-o', `$TMP/${bin}`, dbgFlags, target];
  const dbg = run('go', ['build', '-pgo=auto', '-o', join(tmp, bin), dbgFlags, target], root, { merge: true });
  const dbgText = reorderBlocks(normalize(dbg.out), order);
  const modulePkgs = fx.packages.filter((p) => order.includes(p.importPath));
  for (const p of modulePkgs) {
    if (!dbgText.includes(`\n# ${p.importPath}\n`) && !dbgText.startsWith(`# ${p.importPath}\n`)) {
      throw new ScriptError(`${bin}: no compiler output for ${p.importPath}; was the compile skipped?`);
    }
  }
  writeFileSync(join(expected, `${bin}.pgodebug.txt`), dbgText);

  // 4. Symbols and start lines from -S.
  const asmFlags = `-gcflags=${module}/...=-S`;
  commands.symbols = ['go', 'build', '-pgo=auto', '-o', `$TMP/${bin}.S`, asmFlags, target];
  const asm = run('go', ['build', '-pgo=auto', '-o', join(tmp, `${bin}.S`), asmFlags, target], root, { merge: true });
  const { syms, conflicts } = parseTextSymbols(asm.out, (f) => normalize(`(${f}`).slice(1));
  if (syms.length === 0) throw new ScriptError(`${bin}: no TEXT lines in -S output`);
  for (const c of conflicts) console.warn(`    warning: ${bin}: symbol with two positions: ${c}`);
  writeFileSync(join(expected, `${bin}.symbols.txt`), syms.map((s) => `${s.symbol}\t${s.file}\t${s.line}\n`).join(''));

  const { samples, starts } = readProfile(root, profile);
  const startCheck = checkStartLines(starts, syms);
  const hotBudget = dbgText.split('\n').filter((l) => l.startsWith('hot-budget check allows inlining'));
  const devirtIface = dbgText.split('\n').filter((l) => l.includes(': PGO devirtualizing interface call '));
  const devirtFunc = dbgText.split('\n').filter((l) => l.includes(': PGO devirtualizing function call '));
  return {
    bin,
    package: pkg.importPath,
    dir: relDir || '.',
    profile: relative(root, profile).split(sep).join('/'),
    samples,
    hotBudgetLines: hotBudget.length,
    hotBudgetSites: new Set(hotBudget).size,
    devirtualizedInterfaceCalls: devirtIface.length,
    devirtualizedFunctionCalls: devirtFunc.length,
    symbols: syms.length,
    startLineCheck: { checked: startCheck.checked, mismatches: startCheck.mismatches },
    devirtualizations: [...devirtIface, ...devirtFunc],
    commands: Object.fromEntries(Object.entries(commands).map(([k, v]) => [k, typeof v === 'string' ? v : shellLine(v)])),
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const goVersion = run('go', ['version'], repoRoot).out.trim();
  const goroot = run('go', ['env', 'GOROOT'], repoRoot).out.trim();
  console.log(`fixtures: ${goVersion}`);

  const fixtures = readdirSync(fixturesRoot)
    .filter((n) => existsSync(join(fixturesRoot, n, 'go.mod')))
    .filter((n) => !opts.only || n === opts.only)
    .sort();
  if (fixtures.length === 0) fail(opts.only ? `no fixture named ${opts.only}` : 'no fixture modules found');

  const tmp = mkdtempSync(join(tmpdir(), 'pgo-fixtures-'));
  const results = [];
  const started = Date.now();
  try {
    for (const name of fixtures) {
      const root = join(fixturesRoot, name);
      const module = modulePath(root);
      const packages = listPackages(root);
      const fx = { name, root, module, packages, normalize: makeNormalizer(root, goroot) };
      const mains = packages.filter((p) => p.name === 'main');
      if (mains.length === 0) throw new ScriptError(`${name}: no main package`);
      console.log(`${name} (${module})`);
      const summary = { fixture: name, module, go: goVersion, mains: [] };
      for (const pkg of mains) {
        const r = processMain(fx, pkg, opts, tmp);
        summary.mains.push(r);
        const bad = r.startLineCheck.mismatches.length;
        console.log(
          `    ${r.bin}: ${r.samples} samples, ${r.hotBudgetLines} hot-budget lines (${r.hotBudgetSites} distinct), ` +
            `${r.devirtualizedInterfaceCalls} interface + ${r.devirtualizedFunctionCalls} function devirtualizations, ` +
            `${r.symbols} symbols; start_line = TEXT line for ${r.startLineCheck.checked - bad}/${r.startLineCheck.checked} profile functions`,
        );
        for (const m of r.startLineCheck.mismatches) console.log(`      start_line mismatch: ${m}`);
      }
      writeFileSync(join(root, 'expected', 'go.version'), goVersion + '\n');
      writeFileSync(join(root, 'expected', 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
      // Drop outputs of main packages that no longer exist.
      const produced = new Set(['go.version', 'summary.json']);
      for (const m of summary.mains) for (const ext of ['preprofile', 'pgodebug.txt', 'symbols.txt']) produced.add(`${m.bin}.${ext}`);
      for (const f of readdirSync(join(root, 'expected'))) if (!produced.has(f)) rmSync(join(root, 'expected', f));
      results.push({ fx, summary });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // Properties the unit tests rely on. Profiles vary from run to run; if a check fails,
  // run the script again (or raise --duration).
  const problems = [];
  const all = results.flatMap(({ fx, summary }) => summary.mains.map((m) => ({ fx, m })));
  for (const { fx, summary } of results) {
    if (!summary.mains.some((m) => m.hotBudgetLines > 0)) problems.push(`${fx.name}: no "hot-budget check allows inlining" line`);
  }
  if (!opts.only) {
    if (!all.some(({ m }) => m.devirtualizedInterfaceCalls > 0)) problems.push('no "PGO devirtualizing interface call" line');
    if (!all.some(({ m }) => m.devirtualizedFunctionCalls > 0)) problems.push('no "PGO devirtualizing function call" line');
    // A target in another package is qualified with that package's name, e.g. "to geom.Circle.Dist".
    const crossPackage = all.some(({ fx, m }) => {
      const names = new Set(fx.packages.filter((p) => p.name !== 'main').map((p) => p.name));
      return m.devirtualizations.some((l) => {
        const t = / to (\(?\*?)?([A-Za-z_]\w*)\./.exec(l.slice(l.lastIndexOf(' to ')));
        return t && names.has(t[2]);
      });
    });
    if (!crossPackage) problems.push('no PGO devirtualization whose target is in another package');
  }
  if (all.some(({ m }) => m.startLineCheck.mismatches.length > 0)) problems.push('profile start lines differ from -S TEXT lines');
  console.log(`fixtures: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (problems.length) {
    console.error(`fixtures: the regenerated outputs lack properties the tests rely on:\n  ${problems.join('\n  ')}`);
    console.error('fixtures: profiles vary between runs; run the script again or raise --duration.');
    process.exit(2);
  }
}

runScript('fixtures', main);
