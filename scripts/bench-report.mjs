#!/usr/bin/env node
// Times workspace listing and the report on big trees (issue #14), each against its `go list`
// reference measured in the same run (ratios; nothing passes or fails on time):
//
//   1. `pgo-lens report GOROOT/src/cmd --profile cmd/compile/default.pgo` (every main package of
//      the cmd module with cmd/compile's profile) and `pgo-lens report GOROOT/src/cmd` (only
//      cmd/compile has a default.pgo) vs `go list -deps -json ./...` in GOROOT/src/cmd; then, in a
//      fresh process, how much of the report's indexing is walking function bodies, and how much
//      of that the bodies of declarations the profile names nothing of (the bound of lazy bodies);
//   2. a copy of GOROOT/src as an editor workspace with cmd/compile's profile, the open file
//      cmd/compile/internal/ssa/regalloc.go: time to a usable index of its package (with the main
//      package cmd/compile), then of the packages of the profile's hot functions
//      (source/symbols.ts indexDirs, source/go-list.ts hotPackageDirs), vs the whole tree
//      (indexTree, which runs go list ./...); and whether the open file's heat (inline
//      candidates in regalloc.go) from the prioritised index equals the full one;
//   3. indexing cmd/compile/internal/ssa alone (the open file's package above; rewriteAMD64.go is
//      79k lines), in a fresh process, against lexing and against lexing + parsing its files in the
//      same process (the front end's floor).
//
// Uses dist/cli.js and the compiled engine in out/ (node scripts/build.mjs --tests first).
//
//   node scripts/bench-report.mjs [--skip-cmd] [--skip-open] [--skip-ssa]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const CLI = join(root, 'dist', 'cli.js');
const out = (s = '') => process.stdout.write(s + '\n');
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const pad = (s, n) => String(s).padEnd(n);

function goroot() {
  const r = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Runs a command; wall time and, through /usr/bin/time when present, CPU seconds (user + system). */
function timed(cmd, args, cwd) {
  const hasTime = existsSync('/usr/bin/time');
  const t = performance.now();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, GOFLAGS: '' } })
    : spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, GOFLAGS: '' } });
  const wall = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${(r.stderr ?? '').slice(-500)}`);
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined, stdout: r.stdout };
}

function cmdReport(gr) {
  const cmdDir = join(gr, 'src', 'cmd');
  const pgo = join(cmdDir, 'compile', 'default.pgo');
  out('== report on GOROOT/src/cmd (in place, read-only) vs go list -deps -json ./... there, same run');
  timed('go', ['list', '-e', '-deps', '-json', './...'], cmdDir); // warm go's caches first
  const list = timed('go', ['list', '-e', '-deps', '-json', './...'], cmdDir);
  const row = (label, r) =>
    out(
      `  ${pad(label, 62)} ${pad(sec(r.wall), 9)} ${pad(ratio(r.wall, list.wall), 8)}` +
        (r.cpu !== undefined && list.cpu !== undefined ? ` CPU ${sec(r.cpu)} (${ratio(r.cpu, list.cpu)} of go list's)` : ''),
    );
  row('go list -e -deps -json ./...', list);
  const all = timed(process.execPath, [CLI, 'report', cmdDir, '--profile', pgo, '--json', '--no-git'], cmdDir);
  const binaries = JSON.parse(all.stdout).binaries.length;
  row(`pgo-lens report --profile compile/default.pgo (${binaries} binaries)`, all);
  const own = timed(process.execPath, [CLI, 'report', cmdDir, '--json', '--no-git'], cmdDir);
  row(`pgo-lens report (default.pgo: ${JSON.parse(own.stdout).binaries.length} binary)`, own);
  out('  goal: report ≤ 3× go list -deps -json ./...');
  cmdPhases(cmdDir, pgo, list.cpu);
  cmdBreakdown(cmdDir, pgo, list.cpu);
  out();
}

/**
 * The report with compile's profile in one fresh process (node CPU): the tree index, the 22
 * matches, and within them the universes' entry lookups for callee costs outside the tree (their
 * packages' bodies walked on demand: source/lazy-entries.ts).
 */
function cmdPhases(cmdDir, pgo, listCpu) {
  const r = spawnSync(process.execPath, [SELF, '--child', 'phases', cmdDir, pgo], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child phases: ${r.stderr.slice(-2000)}`);
  const m = JSON.parse(r.stdout);
  const vs = (ms) => (listCpu !== undefined ? ` (${ratio(ms, listCpu)} of go list's)` : '');
  const row = (label, ms) => out(`  ${pad(label, 62)} CPU ${pad(sec(ms), 9)}${vs(ms)}`);
  out(`  -- the report with compile's profile in one fresh process (${m.binaries} binaries):`);
  row('  buildReport', m.total);
  row('  … the tree index (indexTreeDetailed)', m.index);
  row(`  … matching (matchBinary × ${m.binaries})`, m.match);
  row(`  … … outside entries (${m.lookups} lookups, ${m.walked} declarations walked, ${m.full} whole packages)`, m.entries);
}

/**
 * Where the report's indexing goes, in a fresh process (node CPU): the tree the report indexes
 * (`indexTreeDetailed` with `builtFrom`), the walks of function declarations in it, and the walks
 * of declarations none of whose entries (the function, its closures and wrappers) the profile
 * names as a caller or callee — what walking bodies on demand could save at most, before the
 * callee-cost and rename-guess bodies it would still need.
 */
function cmdBreakdown(cmdDir, pgo, listCpu) {
  const r = spawnSync(process.execPath, [SELF, '--child', 'breakdown', cmdDir, pgo], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child breakdown: ${r.stderr.slice(-2000)}`);
  const m = JSON.parse(r.stdout);
  const vs = (ms) => (listCpu !== undefined ? ` (${ratio(ms, listCpu)} of go list's)` : '');
  const row = (label, ms) => out(`  ${pad(label, 62)} CPU ${pad(sec(ms), 9)}${vs(ms)}`);
  out(`  -- the report's index of the tree, fresh process (${m.packages} packages, ${m.decls} function declarations walked):`);
  row('  index the tree (go list, read, lex, parse, describe, walk)', m.index);
  row('  … walking function declarations', m.walks);
  row(`  … of which ${m.unsampledDecls} declarations the profile names nothing of`, m.unsampledWalks);
  row('  lex + parse the same files again (bodies lazy)', m.parse);
  out(`  packages without a function the profile names: ${m.unsampledPackages} of ${m.packages}`);
}

function openWorkspace(gr) {
  out('== a copy of GOROOT/src as the workspace, cmd/compile profile, open file cmd/compile/internal/ssa/regalloc.go');
  const tmp = mkdtempSync(join(tmpdir(), 'pgo-lens-bench-src-'));
  try {
    const src = join(tmp, 'src');
    const c = performance.now();
    cpSync(join(gr, 'src'), src, { recursive: true });
    out(`  (copied in ${sec(performance.now() - c)})`);
    const list = timed('go', ['list', '-e', '-json', './...'], src);
    // each measurement in a fresh process: no caches shared between them
    const child = (mode) => {
      const r = spawnSync(process.execPath, [SELF, '--child', mode, src], { encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`child ${mode}: ${r.stderr.slice(-2000)}`);
      return JSON.parse(r.stdout);
    };
    const pri = child('priority');
    const full = child('full');
    const row = (label, ms, extra = '') => out(`  ${pad(label, 62)} ${pad(sec(ms), 9)} ${pad(ratio(ms, full.ms), 8)} ${extra}`);
    row('go list -e -json ./... in the copy (reference)', list.wall, '');
    const cpuNote = (ms) => `node CPU ${sec(ms)}`;
    row(`index the open file's package + main (${pri.first.packages} packages)`, pri.first.ms, cpuNote(pri.first.cpu));
    row(`  + the profile's hot packages (${pri.hot.packages} more, ${pri.hot.dirs} named)`, pri.first.ms + pri.hot.ms, cpuNote(pri.first.cpu + pri.hot.cpu));
    row(`index the whole tree (indexTree: ${full.packages} packages)`, full.ms, `${cpuNote(full.cpu)} (the 1.00× of this block)`);
    out(
      `  heat in regalloc.go from the prioritised index equals the full index's: ${pri.sites === full.sites ? 'yes' : 'NO'} (${pri.sites.split('\n').filter(Boolean).length} hot call sites)`,
    );
    out('  goal: heat in the open file ≤ 2 s');
    out();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function ssaIndex(gr) {
  out('== index cmd/compile/internal/ssa (GOROOT, read-only) in a fresh process, against its lexer and parser alone');
  const r = spawnSync(process.execPath, [SELF, '--child', 'ssa', join(gr, 'src')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child ssa: ${r.stderr.slice(-2000)}`);
  const m = JSON.parse(r.stdout);
  const row = (label, ms) => out(`  ${pad(label, 62)} CPU ${pad(sec(ms), 9)} ${ratio(ms, m.lex)} of lexing`);
  row(`lex its ${m.files} files (${m.lines} lines)`, m.lex);
  row('lex + parse (bodies lazy, as the indexer parses)', m.parse);
  row(`index the package (indexDirs: ${m.funcs} functions, ${m.calls} call sites)`, m.index);
  out();
}

async function childMain(mode, src) {
  const require = createRequire(import.meta.url);
  const lib = (p) => require(join(root, 'out', 'src', ...p.split('/')));
  if (mode === 'breakdown') {
    await breakdownChild(lib, src, process.argv[5]);
    return;
  }
  if (mode === 'phases') {
    await phasesChild(lib, src, process.argv[5]);
    return;
  }
  if (mode === 'ssa') {
    const { indexDirs } = lib('source/symbols.js');
    const { readPackageFiles } = lib('source/packages.js');
    const { lex } = lib('source/lexer.js');
    const { parseSourceFile } = lib('source/package-env.js');
    const dir = join(src, 'cmd', 'compile', 'internal', 'ssa');
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    // the index first, in a cold process (as an editor opening the file pays it)
    const c0 = cpu();
    const ix = (await indexDirs(src, [dir])).packages[0].index;
    const c1 = cpu();
    const files = readPackageFiles(dir).files;
    const c2 = cpu();
    for (const f of files) lex(f.text);
    const c3 = cpu();
    for (const f of files) parseSourceFile(f.name, f.text);
    const c4 = cpu();
    process.stdout.write(
      JSON.stringify({
        files: files.length,
        lines: files.reduce((n, f) => n + f.text.split('\n').length, 0),
        funcs: ix.funcs.length,
        calls: ix.funcs.reduce((n, f) => n + f.calls.length, 0),
        index: c1 - c0,
        lex: c3 - c2,
        parse: c4 - c3,
      }),
    );
    return;
  }
  const { indexDirs, indexTree } = lib('source/symbols.js');
  const { hotPackageDirs } = lib('source/go-list.js');
  const { loadProfileFile } = lib('pgo/load.js');
  const { hotSet } = lib('pgo/model.js');
  const { matchBinary } = lib('match/match.js');
  const mainDir = join(src, 'cmd', 'compile');
  const openDir = join(mainDir, 'internal', 'ssa');
  const pgoFile = join(mainDir, 'default.pgo');
  const heat = (packages, pgo, hot) => {
    const m = matchBinary({ root: src, mainDir, profilePath: pgoFile, profile: pgo, hot, packages });
    return m.inlineCandidates
      .filter((c) => c.file === relative(src, join(openDir, 'regalloc.go')).split('\\').join('/'))
      .map((c) => `${c.line} ${c.callee} ${c.weight}`)
      .sort()
      .join('\n');
  };
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now();
  const c0 = cpu();
  if (mode === 'priority') {
    const first = await indexDirs(src, [openDir, mainDir]);
    const t1 = performance.now();
    const c1 = cpu();
    const pgo = (await loadProfileFile(pgoFile)).profile;
    const hot = hotSet(pgo);
    const names = hot.hotEdges.flatMap((e) => [e.caller, e.callee]);
    const dirs = hotPackageDirs(src, names, [openDir, mainDir]);
    const have = new Set(first.packages.map((p) => p.dir));
    const more = await indexDirs(
      src,
      dirs.filter((d) => !have.has(d)),
    );
    const t2 = performance.now();
    const c2 = cpu();
    const sites = heat([...first.packages, ...more.packages], pgo, hot);
    process.stdout.write(
      JSON.stringify({
        first: { ms: t1 - t0, cpu: c1 - c0, packages: first.packages.length },
        hot: { ms: t2 - t1, cpu: c2 - c1, packages: more.packages.length, dirs: dirs.length },
        sites,
      }),
    );
  } else {
    const packages = await indexTree(src);
    const t1 = performance.now();
    const c1 = cpu();
    const pgo = (await loadProfileFile(pgoFile)).profile;
    process.stdout.write(JSON.stringify({ ms: t1 - t0, cpu: c1 - c0, packages: packages.length, sites: heat(packages, pgo, hotSet(pgo)) }));
  }
}

/** The cmdBreakdown child: `dir` is GOROOT/src/cmd, `pgoFile` compile's profile. Times each walkFuncDecl by wrapping it. */
async function breakdownChild(lib, dir, pgoFile) {
  const { Walker } = lib('source/walker.js');
  const { genericKey } = lib('source/names.js');
  const { indexTreeDetailed } = lib('source/symbols.js');
  const { builtFrom } = lib('match/report.js');
  const { loadProfileFile } = lib('pgo/load.js');
  const { parseSourceFile } = lib('source/package-env.js');
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const pgo = (await loadProfileFile(pgoFile)).profile;
  const named = new Set(pgo.edges.flatMap((e) => [genericKey(e.caller), genericKey(e.callee)]));
  const walk = Walker.prototype.walkFuncDecl;
  let walks = 0;
  let unsampledWalks = 0;
  let decls = 0;
  let unsampledDecls = 0;
  Walker.prototype.walkFuncDecl = function (...a) {
    const c = cpu();
    const r = walk.apply(this, a);
    const ms = cpu() - c;
    walks += ms;
    decls++;
    if (!r.entries.some((e) => named.has(genericKey(e.symbol)))) {
      unsampledWalks += ms;
      unsampledDecls++;
    }
    return r;
  };
  const c0 = cpu();
  const tree = await indexTreeDetailed(dir, {}, (listed) => builtFrom(listed, true));
  const index = cpu() - c0;
  Walker.prototype.walkFuncDecl = walk;
  const texts = tree.packages.flatMap((p) => p.files.map((f) => ({ name: f, text: readFileSync(join(p.dir, f), 'utf8') })));
  const c1 = cpu();
  for (const f of texts) parseSourceFile(f.name, f.text);
  const parse = cpu() - c1;
  const unsampledPackages = tree.packages.filter((p) => !p.index.funcs.some((f) => named.has(genericKey(f.symbol)))).length;
  process.stdout.write(JSON.stringify({ index, walks, unsampledWalks, decls, unsampledDecls, parse, packages: tree.packages.length, unsampledPackages }));
}

/** The cmdPhases child: `buildReport` with its phases timed by wrapping the module exports report.js calls. */
async function phasesChild(lib, dir, pgoFile) {
  const report = lib('match/report.js');
  const symbols = lib('source/symbols.js');
  const match = lib('match/match.js');
  const universe = lib('source/universe.js');
  const { lazyEntryStats } = lib('source/lazy-entries.js');
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t = { index: 0, match: 0, entries: 0, lookups: 0, binaries: 0 };
  const timed = (mod, name, key, after = (r) => r) => {
    const f = mod[name];
    mod[name] = (...a) => {
      const c = cpu();
      const r = f(...a);
      if (r instanceof Promise)
        return r.then((v) => {
          t[key] += cpu() - c;
          return after(v);
        });
      t[key] += cpu() - c;
      return after(r);
    };
  };
  timed(symbols, 'indexTreeDetailed', 'index');
  timed(match, 'matchBinary', 'match', (m) => (t.binaries++, m));
  timed(universe, 'createUniverse', 'entries', (u) => {
    const entry = u.entry.bind(u);
    u.entry = (s) => {
      t.lookups++;
      const c = cpu();
      const r = entry(s);
      t.entries += cpu() - c;
      return r;
    };
    return u;
  });
  const c0 = cpu();
  await report.buildReport(dir, { profile: pgoFile });
  process.stdout.write(JSON.stringify({ ...t, total: cpu() - c0, walked: lazyEntryStats.walked, full: lazyEntryStats.full }));
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  await childMain(argv[1], argv[2]);
} else {
  const gr = goroot();
  if (!gr || !existsSync(CLI) || !existsSync(join(root, 'out', 'src', 'source', 'go-list.js'))) {
    out('bench-report: needs go on PATH and a build (node scripts/build.mjs --tests)');
  } else {
    if (!argv.includes('--skip-cmd')) cmdReport(gr);
    if (!argv.includes('--skip-open')) openWorkspace(gr);
    if (!argv.includes('--skip-ssa')) ssaIndex(gr);
  }
}
