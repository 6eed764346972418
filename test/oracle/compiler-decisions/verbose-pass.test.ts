/**
 * No fact lost by the -m=2 pass (issue #19): a package whose `-json=0` lines a file of the same
 * base name overwrites (json-collisions.ts) used to get `-m=2` in the main build, so the go command
 * replayed its `-m=2` text on every later run; now the main build gives it `-m=1` like every
 * package and a pass of its own compiles it with `-m=2` when the main build compiled it. The
 * decisions of a confirmation must equal those parsed from one build with the former flags
 * (`-m=2` for that package in the main build, its JSON from that compile), on a module with the
 * collision and every kind of refusal (too costly, go:noinline, a big caller's limit of 20,
 * recursion), in the collided file and in another file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { jsonByPackage, listArgs, planBuild, readJsonDir, runDecisionBuild } from '../../../src/compiler/build';
import { type CompilerDecisions, mergeDecisions, parsePackage } from '../../../src/compiler/decisions';
import { nameFunctions, unnamedFunctions } from '../../../src/compiler/function-names';
import { GoOutputSplitter } from '../../../src/compiler/gooutput';
import { keptJson } from '../../../src/compiler/store';
import { requireGo, tmpDir } from '../goenv';
import { writeCollisionModule } from './collision-module';

const opts = requireGo();
const root = fs.realpathSync(tmpDir('verbose-pass'));
const cacheRoot = tmpDir('verbose-pass-cache');
const former = tmpDir('verbose-pass-former');
after(() => {
  for (const d of [root, cacheRoot, former]) fs.rmSync(d, { recursive: true, force: true });
});

/** A function of about 11,000 IR nodes (over 5000: a big caller, whose callees get a limit of 20). */
const bigBody = (name: string, callee: string): string =>
  `func ${name}(xs []int) int {\n\tx := ${callee}(xs)\n${Array.from({ length: 700 }, (_, i) => `\tx = x*${(i % 7) + 3} + xs[${i}%len(xs)] ^ (x >> ${i % 13})`).join('\n')}\n\treturn x\n}\n`;

const MID = (name: string): string =>
  `func ${name}(xs []int) int {\n\ts := 0\n\tfor _, x := range xs {\n\t\tif x > 3 {\n\t\t\ts += x * 2\n\t\t} else {\n\t\t\ts -= x\n\t\t}\n\t}\n\treturn s + len(xs)*3\n}\n`;

function writeModule(): void {
  writeCollisionModule(root);
  // a/type.go collides with b/type.go (b.Sum[int] is instantiated in a)
  fs.writeFileSync(
    path.join(root, 'a', 'type.go'),
    `package a\n\nimport "example.com/coll/b"\n\n${MID('mid')}\n${bigBody('Big', 'mid')}\n` +
      'func Fact(n int) int {\n\tif n <= 1 {\n\t\treturn 1\n\t}\n\treturn n * Fact(n-1)\n}\n\n' +
      '//go:noinline\nfunc Noinl(x int) int { return x + 1 }\n\nfunc Total(xs []int) int { return b.Sum(xs) + Noinl(len(xs)) }\n',
  );
  fs.writeFileSync(
    path.join(root, 'a', 'other.go'),
    `package a\n\n${MID('mid2')}\n${bigBody('Big2', 'mid2')}\nfunc Fact2(n int) int {\n\tif n <= 1 {\n\t\treturn 1\n\t}\n\treturn n * Fact2(n-1)\n}\n`,
  );
  fs.writeFileSync(
    path.join(root, 'main.go'),
    'package main\n\nimport "example.com/coll/a"\n\nfunc main() {\n\tprintln(a.Big([]int{1, 2}), a.Big2([]int{3}), a.Total([]int{3}), a.Fact(4), a.Fact2(5))\n}\n',
  );
}

/** The former scheme: one `go list -x -export` with `-m=2` for the collided package, parsed per package as build.ts does. */
async function formerDecisions(plan: Awaited<ReturnType<typeof planBuild>>, verbose: string[]): Promise<CompilerDecisions> {
  const jsonDir = path.join(former, 'json');
  fs.mkdirSync(jsonDir);
  const r = spawnSync('go', ['list', '-x', ...listArgs(plan, 'off', jsonDir, verbose)], {
    cwd: plan.mainDir,
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' },
    maxBuffer: 1 << 30,
  });
  assert.equal(r.status, 0, r.stderr);
  const split = new GoOutputSplitter();
  split.push(r.stderr);
  split.finish();
  const fresh = jsonByPackage(await readJsonDir(jsonDir), plan.mainPackage);
  const parseOpts = { cwd: plan.mainDir, goroot: plan.env.goroot, packageNames: plan.packageNames, mainPackage: plan.mainPackage };
  const byDir = new Map(Object.entries(plan.packageDirs));
  return mergeDecisions(
    plan.packages.map((p) => {
      const files = keptJson(fresh.get(p.importPath) ?? []);
      const functionNames = nameFunctions(unnamedFunctions(files, { ...parseOpts, pkg: p.importPath }), { pkg: p, byDir });
      return parsePackage(p.importPath, split.blocks.get(p.importPath) ?? '', files, { ...parseOpts, functionNames });
    }),
    plan.packageNames,
  );
}

describe('the -m=2 pass of a JSON-collided package loses no fact', opts, () => {
  it('decisions equal those of the former flags (-m=2 in the main build)', async () => {
    writeModule();
    const plan = await planBuild(root, root);
    const now = await runDecisionBuild(plan, 'off', { cacheRoot });
    assert.equal(now.verboseArgs.at(-1), 'example.com/coll/a', 'the collision was noticed and a got its -m=2 pass');
    const was = await formerDecisions(plan, ['example.com/coll/a']);

    // the module holds what the comparison is about
    const mine = (f: string): boolean => f.startsWith(path.join(root, 'a') + path.sep);
    const refusals = now.decisions.calls.filter((c) => c.kind === 'inline' && !c.inlined && mine(c.file));
    for (const why of ['cost', 'recursive'] as const)
      assert.ok(
        refusals.some((c) => c.kind === 'inline' && c.reason === why && c.file.endsWith('other.go')),
        `a ${why} refusal in other.go: ${JSON.stringify(refusals)}`,
      );
    assert.ok(
      now.decisions.functions.some((f) => f.name === 'Noinl' && !f.inlinable) && now.decisions.functions.some((f) => f.name === 'mid' && f.cost !== undefined),
      "type.go's function facts, which only its -m=2 text states",
    );

    assert.deepEqual(now.decisions, was);
    const again = await runDecisionBuild(plan, 'off', { cacheRoot });
    assert.deepEqual(again.compiled, []);
    assert.deepEqual(again.decisions, was, 'and from the store on the next run');
  });
});
