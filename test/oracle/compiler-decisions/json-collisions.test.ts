/**
 * The compiler's `-json=0` files are named by source base name per package (logopt writerForLSP,
 * os.Create): package `a` instantiating `b.Sum[int]` from `b/type.go` writes its own `a/type.go`
 * lines and b's to the same `type.json`, and the later file (b's) wins. Confirmation notices the
 * lost lines (json-collisions.ts) and compiles `a` once more with `-m=2` in a pass of its own
 * whenever the main run compiled it (kept in the stable directory); a's function facts equal the
 * `-m=2` lines of a plain `go build` of the same module.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { planBuild, runDecisionBuild } from '../../../src/compiler/build';
import { readVerbosePackages } from '../../../src/compiler/json-collisions';
import { confirmDir } from '../../../src/compiler/workdir';
import { writeCollisionModule } from './collision-module';
import { requireGo, tmpDir } from '../goenv';

const opts = requireGo();
const root = fs.realpathSync(tmpDir('json-collision'));
const cacheRoot = tmpDir('json-collision-cache');
after(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(cacheRoot, { recursive: true, force: true });
});

const BIG = `func Big(xs []int) int {
\tn := 0
\tfor i := range xs {
\t\tfor j := range xs {
\t\t\tif xs[i] > xs[j] {
\t\t\t\tn += xs[i] * xs[j]
\t\t\t} else if xs[i] < xs[j] {
\t\t\t\tn -= xs[i] - xs[j]
\t\t\t} else {
\t\t\t\tn ^= i + j
\t\t\t}
\t\t}
\t}
\tfor i := range xs {
\t\tn += xs[i] * i
\t\tif n > 100 {
\t\t\tn /= 3
\t\t}
\t}
\tfor i := range xs {
\t\tn -= xs[i] * i
\t}
\treturn n
}
`;

describe('function facts of a package whose JSON another file of the same name overwrote', opts, () => {
  it('gives that package a -m=2 pass whenever it is compiled, and its facts equal the compiler -m=2 lines', async () => {
    writeCollisionModule(root);
    fs.writeFileSync(path.join(root, 'a', 'type.go'), `package a\n\nimport "example.com/coll/b"\n\n${BIG}\nfunc Total(xs []int) int { return b.Sum(xs) }\n`);
    fs.writeFileSync(
      path.join(root, 'main.go'),
      'package main\n\nimport "example.com/coll/a"\n\nfunc main() {\n\tprintln(a.Big([]int{1, 2}), a.Total([]int{3}))\n}\n',
    );

    const plan = await planBuild(root, root);
    const first = await runDecisionBuild(plan, 'off', { cacheRoot });
    assert.deepEqual(await readVerbosePackages(confirmDir(cacheRoot, root, root, 'off')), ['example.com/coll/a'], 'the collision was noticed');
    assert.ok(!first.args.some((a) => a.includes('-m=2')), 'the main run gives every package -m=1 (its -m=2 text would be replayed by every later run)');
    assert.ok(
      first.verboseArgs.some((a) => a.startsWith('-gcflags=example.com/coll/a=-m=2 ')) && first.verboseArgs.at(-1) === 'example.com/coll/a',
      `a pass of its own gave package a -m=2: ${first.verboseArgs.join(' ')}`,
    );
    assert.deepEqual(first.compiled, ['example.com/coll', 'example.com/coll/a', 'example.com/coll/b'], 'every workspace package, counted once');
    assert.deepEqual(first.reused, []);

    const r = spawnSync('go', ['build', '-o', path.join(cacheRoot, 'bin'), '-gcflags=example.com/coll/...=-m=2', '.'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' },
    });
    assert.equal(r.status, 0, r.stderr);
    const want = new Set<string>();
    for (const l of r.stderr.split('\n')) {
      const m = /^(\S+):(\d+):(\d+): (can inline (\S+) with cost (\d+) as: |cannot inline (\S+): (.+)$)/.exec(l);
      if (!m || !path.resolve(root, m[1]!).startsWith(path.join(root, 'a') + path.sep)) continue;
      want.add(`${path.resolve(root, m[1]!)}:${m[2]}:${m[3]} ${m[5] ?? m[7]} ${m[6] !== undefined ? `cost ${m[6]}` : m[8]}`);
    }
    assert.ok(want.size >= 2, 'a refused and an inlinable function in package a');
    const got = new Set(
      first.decisions.functions
        .filter((f) => f.pkg === 'example.com/coll/a' && f.file.startsWith(path.join(root, 'a') + path.sep))
        .map((f) => `${f.file}:${f.line}:${f.col} ${f.name} ${f.inlinable ? `cost ${f.cost}` : f.reason}`),
    );
    assert.deepEqual([...got].sort(), [...want].sort());

    const again = await runDecisionBuild(plan, 'off', { cacheRoot });
    assert.deepEqual(again.compiled, [], 'stable flags: the second confirmation compiles nothing');
    assert.deepEqual(again.verboseArgs, [], 'no -m=2 pass when a is not compiled');
    assert.deepEqual(again.decisions, first.decisions);

    // an edit of a: the main run compiles it with -m=1, the known collision gets the -m=2 pass at once (no third go command)
    fs.appendFileSync(path.join(root, 'a', 'type.go'), '\nfunc Extra() int { return 7 }\n');
    const edited = await runDecisionBuild(await planBuild(root, root), 'off', { cacheRoot });
    assert.ok(edited.compiled.includes('example.com/coll/a'));
    assert.equal(edited.verboseArgs.at(-1), 'example.com/coll/a');
    const extra = edited.decisions.functions.find((f) => f.pkg === 'example.com/coll/a' && f.name === 'Extra');
    assert.ok(extra?.inlinable && extra.cost !== undefined, `Extra's -m=2 fact: ${JSON.stringify(extra)}`);
    const kept = (d: typeof first.decisions): string[] =>
      d.functions.filter((f) => f.pkg === 'example.com/coll/a' && f.name !== 'Extra').map((f) => `${f.line}:${f.col} ${f.name} ${f.cost} ${f.reason}`);
    assert.deepEqual(kept(edited.decisions), kept(first.decisions), 'the facts of a before the edit, still stated');
  });
});
