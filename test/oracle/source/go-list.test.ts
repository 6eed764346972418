/**
 * Listing a workspace with go list (src/source/go-list.ts) against the toolchain: each binary
 * of a report is matched against the packages `go list -deps` says it is built from, and a FIFO
 * named `*.go` (on which go list itself blocks) neither stalls the report nor changes it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildReport, reportJson } from '../../../src/match/report';
import { findPackagePath } from '../../../src/source/packages';
import { indexTreeDetailed } from '../../../src/source/symbols';
import { fixturesDir } from '../../paths';
import { requireGo, tmpDir } from '../goenv';

const opts = requireGo();
const hasMkfifo = spawnSync('mkfifo', ['--version']).error === undefined;

function goListDeps(dir: string, pkg: string): Set<string> {
  const out = execFileSync('go', ['list', '-deps', '-f', '{{.Dir}}', pkg], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOFLAGS: '' } });
  return new Set(out.split('\n').filter(Boolean));
}

function copyFixture(name: string, to: string): string {
  const dst = path.join(to, name);
  fs.cpSync(path.join(fixturesDir, name), dst, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
  return dst;
}

describe('report: one listing, each binary matched against its own dependency closure', opts, () => {
  const root = path.join(fixturesDir, 'textproc');

  it('the listed dependencies of each main package are the ones go list -deps names', async () => {
    const { packages } = await indexTreeDetailed(root);
    const mains = packages.filter((p) => p.symbolPath === 'main');
    assert.equal(mains.length, 2);
    for (const m of mains) {
      const want = [...goListDeps(root, m.dir)].filter((d) => d !== m.dir && d.startsWith(root + path.sep)).sort();
      assert.deepEqual([...(m.deps ?? [])].sort(), want, m.dir);
    }
  });

  it('with one profile for both binaries, no binary reports a call site outside the packages it is built from', async () => {
    const profile = path.join(root, 'cmd', 'wordfreq', 'default.pgo');
    const r = await buildReport(root, { profile, history: false });
    assert.equal(r.binaries.length, 2);
    let outside = 0;
    let sites = 0;
    for (const b of r.binaries) {
      const deps = goListDeps(root, b.mainDir);
      for (const c of [...b.inlineCandidates, ...b.devirtualizations]) {
        sites++;
        if (!deps.has(path.dirname(path.join(root, c.file)))) outside++;
      }
    }
    assert.ok(sites > 0);
    assert.equal(outside, 0);
    // wordfreq's own binary: the same as the report of its default.pgo alone
    const own = reportJson(await buildReport(root, { history: false })).binaries.find((b) => b.profile === 'cmd/wordfreq/default.pgo');
    const shared = reportJson(r).binaries.find((b) => b.mainPackage === own?.mainPackage);
    assert.ok(own && shared);
    assert.deepEqual(shared, own);
  });
});

describe('a FIFO named *.go in the workspace', { ...opts, ...(hasMkfifo ? {} : { skip: 'mkfifo is missing' }) }, () => {
  let tmp: string;
  let repo: string;
  before(() => {
    tmp = tmpDir('fifo');
    repo = copyFixture('interp', tmp);
    fs.mkdirSync(path.join(repo, 'sub'));
    fs.writeFileSync(path.join(repo, 'sub', 'ok.go'), 'package sub\n\nfunc F() int { return 1 }\n');
    fs.mkdirSync(path.join(repo, 'imp'));
    fs.writeFileSync(path.join(repo, 'imp', 'imp.go'), 'package imp\n\nimport "example.com/interp/sub"\n\nfunc G() int { return sub.F() }\n');
    execFileSync('mkfifo', [path.join(repo, 'sub', 'pipe.go')]);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('go list ./... itself blocks on it (the trap is armed)', () => {
    const r = spawnSync('go', ['list', '-e', './...'], { cwd: repo, timeout: 5_000, env: { ...process.env, GOFLAGS: '' } });
    assert.equal(r.signal, 'SIGTERM', `go list finished: ${r.stdout}${r.stderr}`);
  });

  it('the report finishes promptly, names the file, and matches the profile as without it', { timeout: 120_000 }, async () => {
    const started = Date.now();
    const r = await buildReport(repo, { history: false });
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 60, `${seconds} s`);
    assert.ok(
      r.skipped.some((m) => m.startsWith(path.join(repo, 'sub', 'pipe.go') + ': skipped: it is a FIFO (named pipe)')),
      r.skipped.join('\n'),
    );
    // the other packages, the FIFO's own package (read without it) and its importer are indexed
    const dirs = r.packages.map((p) => path.relative(repo, p.dir)).sort();
    assert.deepEqual(dirs, ['', 'imp', 'sub']);
    fs.rmSync(path.join(repo, 'sub', 'pipe.go'));
    try {
      const clean = await buildReport(repo, { history: false });
      assert.deepEqual(reportJson(r), reportJson(clean));
    } finally {
      execFileSync('mkfifo', [path.join(repo, 'sub', 'pipe.go')]);
    }
  });

  it('findPackagePath of its directory reasons from the file system instead of running go list there', { timeout: 60_000 }, async () => {
    const loc = await findPackagePath(path.join(repo, 'sub'));
    assert.deepEqual([loc.importPath, loc.method], ['example.com/interp/sub', 'go.mod']);
    const clean = await findPackagePath(path.join(repo, 'imp'));
    assert.deepEqual([clean.importPath, clean.method], ['example.com/interp/imp', 'go list']);
  });

  it('pgo-lens check finishes promptly too', { timeout: 120_000 }, async () => {
    const { main } = await import('../../../src/cli/main');
    const chunks: string[] = [];
    const out = { write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream;
    const started = Date.now();
    const code = await main(['check', repo, '--no-git', '--min-match', '0'], out);
    assert.ok((Date.now() - started) / 1000 < 60);
    assert.equal(code, 0, chunks.join(''));
  });
});
