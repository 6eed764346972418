/**
 * The decision build's back-end flags (src/compiler/back-end.ts: optional SSA phases, DWARF, bounds
 * checks and write barriers off) change no decision and no export data, with the installed Go compiler as the oracle:
 *
 * - OPTIONAL_SSA_PHASES is exactly the set of `passes` in `$GOROOT/src/cmd/compile/internal/ssa/compile.go`
 *   without `required: true` and not disabled by default (read from the compiler's source);
 * - the compiler accepts the flags (the probe says so) and refuses a required phase (the probe
 *   then gives no flags);
 * - on every fixture binary with its profile, one `go list -export -deps` with the decision flags
 *   and one with the back-end flags added: each package's compiler text (`-m=1 -d=pgodebug=1`) is
 *   byte-identical, every JSON line of the front end (inlining, escape analysis) is identical (only
 *   the back end's `isInBounds`, `isSliceInBounds` and `nilcheck` lines may differ), and every
 *   workspace package's export data (`__.PKGDEF` but its `build id` line, which the go command derives from the
 *   flags) is byte-identical, while some object code (`_go_.o`) differs (the flags took effect);
 * - through the product (`runDecisionBuild`), the parsed decisions with and without the flags are deep-equal.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { backEndFlags, OPTIONAL_SSA_PHASES, probeBackEnd } from '../../../src/compiler/back-end';
import { type BuildPlan, decisionFlags, planBuild, readJsonDir, runDecisionBuild } from '../../../src/compiler/build';
import type { CompilerDecisions } from '../../../src/compiler/decisions';
import { fixtureProfiles } from '../../fuzzing';
import { goroot, requireGo, tmpDir } from '../goenv';

const opts = requireGo();
const scratch = tmpDir('back-end');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** JSON codes the back end logs (ssa/check_bce.go, the architectures' ssa.go nil checks). */
const BACK_END_CODES = new Set(['isInBounds', 'isSliceInBounds', 'nilcheck']);

const goCompile = async (args: string[], cwd: string): Promise<boolean> => spawnSync('go', ['tool', 'compile', ...args], { cwd }).status === 0;

/** The members of a Go archive (`!<arch>` with `__.PKGDEF` and `_go_.o`). */
function archiveMembers(file: string): Map<string, Buffer> {
  const b = fs.readFileSync(file);
  assert.equal(b.subarray(0, 8).toString('latin1'), '!<arch>\n', `${file} is an archive`);
  const out = new Map<string, Buffer>();
  for (let i = 8; i + 60 <= b.length;) {
    const name = b
      .subarray(i, i + 16)
      .toString('latin1')
      .trim();
    const size = Number(
      b
        .subarray(i + 48, i + 58)
        .toString('latin1')
        .trim(),
    );
    out.set(name, b.subarray(i + 60, i + 60 + size));
    i += 60 + size + (size & 1);
  }
  return out;
}

/** `__.PKGDEF` without its `build id` line (the go command's action ID hashes the flags). */
function exportData(members: Map<string, Buffer>): string {
  const def = members.get('__.PKGDEF');
  assert.ok(def, 'the archive has export data');
  const text = def.toString('latin1');
  const id = /^build id "[^"\n]*"\n/m.exec(text);
  assert.ok(id, 'the export data names its build id');
  return text.slice(0, id.index) + text.slice(id.index + id[0].length);
}

/** The compiler output by package (`# pkg` blocks; the go command prints them in the order the compiles end). */
function blocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of text.split(/^(?=# )/m)) if (b.trim()) out.set(b.slice(0, b.indexOf('\n')), b);
  assert.ok(out.size > 0 && [...out.keys()].every((k) => k.startsWith('# ')), 'the output is made of package blocks');
  return out;
}

interface Listed {
  text: string;
  exports: Map<string, string>;
}

/** `go list -export -deps` of mainDir with `flags` for the workspace packages; the text, export files and front-end JSON lines. */
function list(plan: BuildPlan, pgo: string, jsonDir: string, backEnd: string): Listed {
  const flags = decisionFlags(jsonDir, 1, backEnd);
  const r = spawnSync(
    'go',
    [
      'list',
      '-export',
      '-deps',
      '-buildvcs=false',
      '-f',
      '{{.ImportPath}} {{.Export}}',
      `-pgo=${pgo}`,
      ...plan.patterns.map((p) => `-gcflags=${p}=${flags}`),
      '.',
    ],
    { cwd: plan.mainDir, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  assert.equal(r.status, 0, r.stderr);
  const exports = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const [pkg, file] = line.split(' ');
    if (pkg && file) exports.set(pkg, file);
  }
  return { text: r.stderr, exports };
}

async function frontEndJson(dir: string): Promise<{ lines: Map<string, string[]>; backEnd: number }> {
  const lines = new Map<string, string[]>();
  let backEnd = 0;
  for (const f of await readJsonDir(dir)) {
    const keep: string[] = [];
    for (const l of f.text.split('\n')) {
      const code = /"code":"([^"]*)"/.exec(l)?.[1];
      if (code !== undefined && BACK_END_CODES.has(code)) backEnd++;
      else if (l.trim()) keep.push(l);
    }
    if (keep.length > 1) lines.set(f.name, keep); // a file with back-end lines only is not compared
  }
  return { lines, backEnd };
}

const norm = (d: CompilerDecisions): string[] => d.calls.map((c) => JSON.stringify(c, Object.keys(c).sort())).sort();

describe('back-end flags: what the compiler accepts', opts, () => {
  it("OPTIONAL_SSA_PHASES are the compiler's optional SSA passes", () => {
    const src = fs.readFileSync(path.join(goroot(), 'src', 'cmd', 'compile', 'internal', 'ssa', 'compile.go'), 'utf8');
    const start = src.indexOf('var passes = [...]pass{');
    assert.ok(start >= 0, 'ssa/compile.go declares passes');
    const body = src.slice(start, src.indexOf('\n}\n', start));
    // one entry per `{name: "…", fn: …}`, possibly over two lines
    const entries = body.split(/\n\t\{name: /).slice(1);
    const optional = entries
      .filter((e) => !/required: true|disabled: !buildcfg|required: buildcfg/.test(e))
      .map((e) => /^"([^"]+)"/.exec(e)?.[1] ?? '')
      .map((n) => n.replaceAll(' ', '_'));
    assert.ok(entries.length > 40, `found ${entries.length} passes`);
    assert.deepEqual([...OPTIONAL_SSA_PHASES].sort(), optional.sort());
  });

  it('the probe gives the flags this compiler accepts, and none when it refuses one', async () => {
    assert.equal(await probeBackEnd(goCompile), backEndFlags());
    assert.equal(await probeBackEnd(goCompile, [...OPTIONAL_SSA_PHASES, 'regalloc']), '', 'a required phase is refused');
    assert.equal(await probeBackEnd(goCompile, ['no_such_phase']), '', 'an unknown phase is refused');
  });
});

describe('back-end flags change no decision and no export data', opts, () => {
  for (const pgo of fixtureProfiles()) {
    const mainDir = path.dirname(pgo);
    it(path.relative(path.resolve(mainDir, '..', '..', '..'), mainDir), async () => {
      let root = mainDir;
      while (!fs.existsSync(path.join(root, 'go.mod'))) root = path.dirname(root);
      const plan = await planBuild(mainDir, root);
      assert.equal(plan.env.backEnd, backEndFlags(), 'the plan carries the accepted flags');
      const without: BuildPlan = { ...plan, env: { ...plan.env, backEnd: '' } };

      // through the product: the decisions (runs the profile warm-up the raw lists below rely on)
      const cache = path.join(scratch, path.basename(mainDir));
      const a = await runDecisionBuild(without, pgo, { cacheRoot: `${cache}-a` });
      const b = await runDecisionBuild(plan, pgo, { cacheRoot: `${cache}-b` });
      assert.ok(b.args.some((x) => x.includes(' -dwarf=false')) && !a.args.some((x) => x.includes('-dwarf=false')), 'only one build has the flags');
      assert.deepEqual(b.compiled.sort(), a.compiled.sort());
      assert.ok(a.decisions.calls.length > 0, 'the build has decisions');
      assert.deepEqual(norm(b.decisions), norm(a.decisions), 'decisions deep-equal');
      assert.deepEqual(b.decisions.thresholds, a.decisions.thresholds);

      // the compiler's raw output
      const jsonA = path.join(scratch, `${path.basename(mainDir)}-json-a`);
      const jsonB = path.join(scratch, `${path.basename(mainDir)}-json-b`);
      const la = list(plan, pgo, jsonA, '');
      const lb = list(plan, pgo, jsonB, plan.env.backEnd ?? '');
      assert.match(la.text, /hot-callsite-thres-from-CDF=/, 'built with the profile');
      assert.deepEqual(blocks(lb.text), blocks(la.text), "each package's -m=1 -d=pgodebug=1 text is byte-identical");
      const [ja, jb] = [await frontEndJson(jsonA), await frontEndJson(jsonB)];
      assert.ok(ja.lines.size > 0);
      assert.deepEqual(jb.lines, ja.lines, 'front-end JSON lines identical');
      let objectsDiffer = 0;
      for (const p of plan.packages) {
        const [ea, eb] = [la.exports.get(p.importPath), lb.exports.get(p.importPath)];
        assert.ok(ea && eb, `${p.importPath} has export data`);
        const [ma, mb] = [archiveMembers(ea), archiveMembers(eb)];
        assert.equal(exportData(ma), exportData(mb), `${p.importPath}: export data byte-identical`);
        if (!ma.get('_go_.o')?.equals(mb.get('_go_.o') ?? Buffer.alloc(0))) objectsDiffer++;
      }
      assert.ok(objectsDiffer > 0, 'the back-end flags changed object code');
    });
  }
});
