/**
 * A hostile checkout runs nothing (issue #13). The repository's git configuration names an
 * fsmonitor hook and a clean filter for `*.go`, a bare repository is committed in a subfolder (it
 * arrives with a plain clone), and go.mod names a toolchain to download. `report`, `check` and the
 * worker read history and list packages; every trap writes a marker file, and none may appear.
 * Each trap is shown to be armed: plain git (or go) run the same way does trip it.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { buildReport } from '../../../src/match/report';
import { goEnvironment, runGit, runGo } from '../../../src/platform/spawn';
import { profileCommit } from '../../../src/source/git';
import { fixturesDir } from '../../paths';
import { requireGo, tmpDir } from '../goenv';

const opts = requireGo();

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
}

let root: string;
let repo: string;
let markers: string;
const marker = (n: string): string => path.join(markers, n);
const tripped = (): string[] => fs.readdirSync(markers).sort();

before(() => {
  root = tmpDir('hostile');
  markers = path.join(root, 'markers');
  fs.mkdirSync(markers);
  repo = path.join(root, 'interp');
  fs.cpSync(path.join(fixturesDir, 'interp'), repo, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
  fs.writeFileSync(path.join(repo, '.gitattributes'), '*.go filter=evil\n');
  git(repo, 'init', '-q');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'interp with its profile');
  // As in a downloaded archive of a working copy: the repository's own config runs programs.
  const hook = path.join(root, 'fsmonitor.sh');
  fs.writeFileSync(hook, `#!/bin/sh\ntouch ${JSON.stringify(marker('fsmonitor'))}\nprintf '\\0'\n`, { mode: 0o755 });
  git(repo, 'config', 'core.fsmonitor', hook);
  git(repo, 'config', 'filter.evil.clean', `sh -c 'touch ${marker('clean-filter')}; cat'`);
  git(repo, 'config', 'filter.evil.required', 'true');
  git(repo, 'config', 'diff.evil.textconv', `sh -c 'touch ${marker('textconv')}; cat "$1"' -`);
  // An edit inside a profiled file: history must see it (through the disabled filter).
  fs.appendFileSync(path.join(repo, 'vm.go'), '\n// edited after the profile was committed\n');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a hostile checkout runs nothing', opts, () => {
  it('report reads history with the repository config switched off: no fsmonitor, no filter', async () => {
    const r = await buildReport(repo, { history: true });
    const b = r.binaries[0]!;
    assert.ok(b.history && !('none' in b.history), JSON.stringify(b.history));
    assert.deepEqual(tripped(), []);
  });

  it('check (CLI) on the checkout runs nothing either', async () => {
    const outs: string[] = [];
    const sink = { write: (s: string) => (outs.push(s), true) } as unknown as NodeJS.WritableStream;
    assert.equal(await main(['check', repo, '--min-match', '0'], sink, sink), 0, outs.join(''));
    assert.deepEqual(tripped(), []);
  });

  it('the traps are armed: plain git diff runs the fsmonitor hook and the clean filter', () => {
    const r = spawnSync('git', ['diff', '--name-status', 'HEAD'], { cwd: repo, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(tripped(), ['clean-filter', 'fsmonitor']);
    for (const m of tripped()) fs.rmSync(marker(m));
  });

  it('a bare repository committed in a subfolder is not used', async () => {
    const evil = path.join(repo, 'tools', 'evil');
    fs.mkdirSync(path.join(evil, 'objects'), { recursive: true });
    fs.mkdirSync(path.join(evil, 'refs'), { recursive: true });
    fs.writeFileSync(path.join(evil, 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(evil, 'config'), `[core]\n\tbare = true\n\tfsmonitor = ${path.join(root, 'fsmonitor.sh')}\n`);
    fs.writeFileSync(path.join(evil, 'default.pgo'), fs.readFileSync(path.join(repo, 'default.pgo')));
    // armed: plain git run there takes the embedded repository as its own
    assert.equal(spawnSync('git', ['rev-parse', '--git-dir'], { cwd: evil, encoding: 'utf8' }).stdout.trim(), '.');
    const a = await profileCommit(path.join(evil, 'default.pgo'));
    assert.ok(!a.ok && /cannot use bare repository .*tools\/evil/.test(a.reason), JSON.stringify(a));
    await assert.rejects(runGit(['rev-parse', '--git-dir'], { cwd: evil }), /cannot use bare repository/);
    assert.deepEqual(tripped(), []);
    fs.rmSync(path.join(repo, 'tools'), { recursive: true });
  });

  it('a folder nested in another repository: the reason names the repository git looked at', async () => {
    const nested = path.join(repo, 'sub');
    fs.mkdirSync(nested);
    fs.writeFileSync(path.join(nested, 'default.pgo'), 'x');
    const a = await profileCommit(path.join(nested, 'default.pgo'));
    assert.ok(!a.ok);
    assert.equal(a.reason, `sub/default.pgo has never been committed in the git repository at ${fs.realpathSync(repo)}`);
    fs.rmSync(nested, { recursive: true });
  });
});

describe('an untrusted toolchain line in go.mod downloads nothing', opts, () => {
  let server: http.Server;
  let proxy: string;
  const requests: string[] = [];
  let mod: string;
  before(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(404).end('not found\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    proxy = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mod = path.join(root, 'toolchain');
    fs.mkdirSync(mod, { recursive: true });
    fs.writeFileSync(path.join(mod, 'go.mod'), 'module example.com/t\n\ngo 1.99.0\n\ntoolchain go1.99.0\n');
    fs.writeFileSync(path.join(mod, 'main.go'), 'package main\n\nfunc main() {}\n');
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('go list in the module with the pinned environment asks no proxy for a toolchain', async () => {
    // The user's environment says auto; the workspace is untrusted: pinned to local.
    const base = { ...process.env, GOTOOLCHAIN: 'auto', GOPROXY: proxy, GOSUMDB: 'off', GOFLAGS: '-toolexec=/bin/false' };
    const env = goEnvironment({ trusted: false, base });
    assert.equal(env.GOTOOLCHAIN, 'local');
    assert.equal(env.GOFLAGS, '');
    await assert.rejects(
      runGo(['list', '-e', '-json', '.'], { cwd: mod, env: { trusted: false, base } }),
      /requires go >= 1\.99\.0 \(running go 1\.\d+\.\d+; GOTOOLCHAIN=local\)/,
    );
    assert.deepEqual(requests, []);
    // armed: the same command with the inherited environment asks the proxy for go1.99.0
    await new Promise<void>((resolve) => execFile('go', ['list', '-e', '-json', '.'], { cwd: mod, env: base, timeout: 60_000 }, () => resolve())); // async: this process serves the proxy
    assert.ok(
      (requests as string[]).some((u) => u.includes('golang.org/toolchain')),
      requests.join('\n'),
    );
  });

  it('a trusted workspace keeps the user’s own GOTOOLCHAIN choice', () => {
    assert.equal(goEnvironment({ trusted: true, base: { GOTOOLCHAIN: 'go1.26.8' } }).GOTOOLCHAIN, 'go1.26.8');
    assert.equal(goEnvironment({ trusted: true, toolchain: 'local', base: { GOTOOLCHAIN: 'auto' } }).GOTOOLCHAIN, 'local');
    assert.equal(goEnvironment({ trusted: true, base: {} }).GOTOOLCHAIN, 'local');
    assert.equal(goEnvironment({ trusted: true, keepGoflags: true, base: { GOFLAGS: '-mod=vendor' } }).GOFLAGS, '-mod=vendor');
  });
});
