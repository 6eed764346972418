/**
 * The go commands a confirmation skips after an edit (issue #19) — the kept build plan
 * (plan-cache.ts: no `go env` / `go list -deps`), no `-n` dry run once the last build says the
 * sources changed, no profile warm-up once it ran for this profile (last-build.ts) — checked
 * against the go command: on a copy of the textproc fixture, each shortcut answers only while its
 * inputs are unchanged (a body edit keeps the plan; go.mod, a new file, an import, an ignored
 * file's build constraint, GOFLAGS drop it; another profile warms up again), and every result
 * equals a confirmation that takes none of them (fresh directory, no kept plan or result).
 * A lost preprocessed profile (the warm-up record says warm, the go build cache has not got it)
 * is seen on the first compile and built again with the profile.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { listArgs, planBuild, profileHash } from '../../../src/compiler/build';
import { type ConfirmOptions, confirmDecisions, type Confirmed } from '../../../src/compiler/confirm';
import { buildKey, markWarm, warmKey, writeLastBuild } from '../../../src/compiler/last-build';
import { confirmDir, ensurePrivateDir } from '../../../src/compiler/workdir';
import { fixturesDir } from '../../paths';
import { realTmpDir, requireGo } from '../goenv';

const opts = requireGo();
const temp = realTmpDir; // removed when the file's process exits (goenv.ts)

interface Seen {
  c: Confirmed;
  /** The go command lines the confirmation ran (`go list -n …`, `go build …`, …) and whether `go env` ran. */
  commands: string[];
}

async function confirm(o: ConfirmOptions): Promise<Seen> {
  const commands: string[] = [];
  const c = await confirmDecisions({
    quick: false, // unchanged.ts would answer without go; here the go commands are what is looked at
    ...o,
    onProgress: (p) => {
      if (p.phase === 'command') commands.push(p.message);
      if (p.phase === 'list') commands.push('go env + go list -deps');
    },
  });
  return { c, commands };
}

/** The same confirmation without any shortcut: a new stable directory, no kept plan. */
async function full(o: ConfirmOptions): Promise<Confirmed> {
  return (await confirm({ ...o, cacheRoot: temp('shortcuts-full'), keptPlan: false })).c;
}

const ran = (s: Seen, what: RegExp): boolean => s.commands.some((c) => what.test(c));
/** A listing is not kept when an input changed within 20 ms of go starting (plan-cache.ts): the tests write files that long before. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));

/** The profile's bytes with a gzip header time of its own: contents no go build has preprocessed yet, the same samples. */
function freshProfile(samples: Buffer, stamp: number): Buffer {
  const z = gzipSync(samples);
  z.writeUInt32LE(stamp >>> 0, 4); // MTIME: in no checksum
  return z;
}

describe('confirmation shortcuts after an edit (textproc copy)', opts, () => {
  it('each shortcut answers only while its inputs are unchanged, with the decisions of a confirmation without them', async () => {
    const root = path.join(temp('shortcuts'), 'textproc');
    fs.cpSync(path.join(fixturesDir, 'textproc'), root, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
    const mainDir = path.join(root, 'cmd', 'digest');
    const cacheRoot = temp('shortcuts-cache');
    const base: ConfirmOptions = { root, mainDir, cacheRoot };
    const file = path.join(root, 'container', 'container.go');
    const original = fs.readFileSync(file, 'utf8');
    await settle(); // the copy's files are inputs too: copied within 20 ms of go starting, nothing would be kept

    const first = await confirm(base);
    assert.equal(first.c.plan, 'listed');
    assert.ok(ran(first, /^go env/), 'the first confirmation lists');
    assert.ok(ran(first, /^go build .*-pgo=/), 'and warms the profile up');
    assert.ok(ran(first, /^go list -n /), 'and counts with a dry run (no earlier build)');

    // a new function in a body's place: the plan, the warm-up and the dry run are all skipped
    fs.writeFileSync(file, `${original}\nfunc Extra() int { return 1 }\n`);
    await settle();
    const edit = await confirm(base);
    assert.equal(edit.c.plan, 'kept', 'an edit after the imports keeps the plan');
    assert.ok(!ran(edit, /^go env|^go build|^go list -n /), `only go list -x ran: ${edit.commands.join(' | ')}`);
    assert.ok(edit.c.compiled.includes('example.com/textproc/container'));
    assert.deepEqual(edit.c.decisions, (await full(base)).decisions, 'the same decisions as without shortcuts');

    // unchanged since the last build: the dry run answers (nothing compiled, nothing replayed)
    const again = await confirm(base);
    assert.equal(again.c.plan, 'kept');
    assert.ok(ran(again, /^go list -n /));
    assert.deepEqual(again.c.compiled, []);
    assert.deepEqual(again.c.decisions, edit.c.decisions);

    // what go list reads changes: the plan is listed again
    const relisted = async (why: string, o: ConfirmOptions = base): Promise<Seen> => {
      const s = await confirm(o);
      assert.equal(s.c.plan, 'listed', why);
      assert.deepEqual(s.c.decisions, (await full(o)).decisions, `${why}: the same decisions as without shortcuts`);
      return s;
    };
    fs.writeFileSync(file, original.replace('import "iter"', 'import (\n\t"iter"\n\t_ "unsafe"\n)'));
    await settle();
    await relisted('an import added in place');
    const gomod = path.join(root, 'go.mod');
    fs.appendFileSync(gomod, '\n// a comment\n');
    await settle();
    await relisted('go.mod changed');
    fs.writeFileSync(path.join(root, 'container', 'more.go'), 'package container\n\n// More is new.\nfunc More() int { return 2 }\n');
    await settle();
    const added = await relisted('a file added');
    assert.ok(added.c.packages.find((p) => p.importPath === 'example.com/textproc/container')?.goFiles.some((f) => f.endsWith('more.go')));
    const ignored = path.join(root, 'container', 'ignored.go');
    fs.writeFileSync(ignored, '//go:build never\n\npackage container\n\nfunc Ignored() int { return 3 }\n');
    await settle();
    await relisted('an ignored file added');
    assert.equal((await confirm(base)).c.plan, 'kept');
    fs.writeFileSync(ignored, 'package container\n\nfunc Ignored() int { return 3 }\n'); // in place: the directory keeps its entries
    await settle();
    const unignored = await relisted("an ignored file's build constraint removed in place");
    assert.ok(unignored.c.packages.find((p) => p.importPath === 'example.com/textproc/container')?.goFiles.some((f) => f.endsWith('ignored.go')));
    await relisted('another GOFLAGS', { ...base, env: { ...process.env, GOFLAGS: '-tags=pgolensshortcut' } });
    assert.equal((await confirm({ ...base, env: { ...process.env, GOFLAGS: '-tags=pgolensshortcut' } })).c.plan, 'kept');

    // another profile (same contents, other bytes: its own warm-up, same decisions)
    const pgo = path.join(mainDir, 'default.pgo');
    const other = path.join(temp('shortcuts-profile'), 'other.pgo');
    fs.writeFileSync(other, gzipSync(gunzipSync(fs.readFileSync(pgo)), { level: 1 }));
    assert.notEqual(await profileHash(other), await profileHash(pgo));
    const withOther = await confirm({ ...base, pgo: other });
    assert.ok(ran(withOther, /^go build .*-pgo=/), 'another profile is warmed up');
    assert.ok(ran(withOther, /^go list -n /), 'and counted: the last build had another profile');
    assert.deepEqual(withOther.c.decisions, (await full({ ...base, pgo: other })).decisions);
  });

  it('the unchanged answer (no go command at all) ends when a file left out by a build constraint loses it in place', async () => {
    const root = path.join(temp('shortcuts-ignored'), 'textproc');
    fs.cpSync(path.join(fixturesDir, 'textproc'), root, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
    const ignored = path.join(root, 'container', 'ignored.go');
    fs.writeFileSync(ignored, '//go:build never\n\npackage container\n\nfunc Ignored() int { return 3 }\n');
    await new Promise((r) => setTimeout(r, 2100)); // stats this recent are not trusted (unchanged.ts)
    const base: ConfirmOptions = { root, mainDir: path.join(root, 'cmd', 'digest'), cacheRoot: temp('shortcuts-ignored-cache'), quick: true };
    await confirm(base);
    assert.equal((await confirm(base)).c.unchanged, true, 'nothing changed');
    fs.writeFileSync(ignored, fs.readFileSync(ignored, 'utf8').replace('//go:build never', '// no constraint')); // same size, same directory entries
    const changed = await confirm(base);
    assert.notEqual(changed.c.unchanged, true, 'the file is part of the build now');
    assert.ok(changed.c.packages.find((p) => p.importPath === 'example.com/textproc/container')?.goFiles.some((f) => f.endsWith('ignored.go')));
  });

  it('a preprocessed profile the go build cache does not have is seen at the first compile and built with the profile', async () => {
    const root = path.join(temp('shortcuts-lost'), 'textproc');
    fs.cpSync(path.join(fixturesDir, 'textproc'), root, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
    const mainDir = path.join(root, 'cmd', 'digest');
    const goVersion = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
    const gocache = execFileSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' }).trim();
    const samples = gunzipSync(fs.readFileSync(path.join(mainDir, 'default.pgo')));
    const plan = await planBuild(mainDir, root);
    // `dryRun`: the record says nothing of an earlier build, so the dry run meets the compiles first;
    // else a forged earlier build with other sources sends the confirmation straight to go list -x
    for (const [level, dryRun] of [
      [2, true],
      [3, false],
    ] as const) {
      const cacheRoot = temp('shortcuts-lost-cache');
      // a profile whose bytes no go build has preprocessed yet
      const pgo = path.join(temp('shortcuts-lost-profile'), `fresh${level}.pgo`);
      fs.writeFileSync(pgo, freshProfile(samples, (Date.now() + level) % 2 ** 32));
      const dir = confirmDir(cacheRoot, root, mainDir, 'pgo');
      await ensurePrivateDir(dir, cacheRoot);
      // the record claims a warm-up of exactly this profile: the confirmation skips it
      const hash = await profileHash(pgo);
      await markWarm(dir, warmKey(pgo, hash, goVersion, gocache, 'go'));
      if (!dryRun) await writeLastBuild(dir, { key: buildKey(listArgs(plan, pgo, path.join(dir, 'json')), hash, goVersion), hashes: {} });
      const s = await confirm({ root, mainDir, cacheRoot, pgo });
      const warmAt = s.commands.findIndex((c) => /^go build .*-pgo=/.test(c));
      assert.ok(warmAt > 0, `warmed up after a first go command: ${s.commands.join(' | ')}`);
      assert.match(s.commands[warmAt - 1] ?? '', dryRun ? /^go list -n / : /^go list -x /, 'the go command that met a compile without the profile');
      const want = await full({ root, mainDir, pgo });
      assert.ok(
        want.decisions.calls.some((c) => c.kind === 'inline' && c.inlined && c.hotBudget),
        'the profile matters here (hot-budget inlines)',
      );
      assert.deepEqual(s.c.decisions, want.decisions, 'the decisions of a build with the profile');
    }
  });
});
