/**
 * Profile refresh against real Go programs: two instances of test/fixtures/server on 127.0.0.1,
 * `pgo-lens collect` from both, and the merged profile compared with `go tool pprof -proto
 * -symbolize=none a b` through `go tool preprofile` (what the compiler reads). All traffic stays
 * on 127.0.0.1; every server exits by itself (-max-lifetime), and is killed in `after`.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadProfileBytes } from '../../../src/pgo/load';
import { fixturesDir, repoRoot } from '../../paths';
import { goPreprofile, requireGo, tmpDir } from '../goenv';

const cli = path.join(repoRoot, 'out', 'src', 'cli', 'main.js');

function runCli(args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

function startServer(bin: string): Promise<{ proc: ChildProcess; addr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, ['-port', '0', '-max-lifetime', '90s'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    // A fail-safe only: a server that dies fails at once (exit event); a live one prints its address within milliseconds.
    const t = setTimeout(() => reject(new Error(`server did not start in 60 s: ${buf}`)), 60_000);
    proc.on('exit', (code, signal) => {
      clearTimeout(t);
      reject(new Error(`server exited (${code ?? signal}) before listening: ${buf}`));
    });
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (\S+)/.exec(buf);
      if (m) {
        clearTimeout(t);
        resolve({ proc, addr: m[1]! });
      }
    });
    proc.on('error', reject);
  });
}

/** A tiny local HTTP server; returns its host:port. */
function nodeServer(handler: http.RequestListener, servers: http.Server[]): Promise<string> {
  return new Promise((resolve) => {
    const s = http.createServer(handler);
    servers.push(s);
    s.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(s.address() as AddressInfo).port}`));
  });
}

describe('profile refresh against running Go servers', requireGo(), () => {
  const work = tmpDir('refresh');
  const servers: http.Server[] = [];
  const serverDir = path.join(fixturesDir, 'server');
  const merged = path.join(work, 'default.pgo');

  // The Go servers each keep a CPU busy (so that there is something to profile): they run only for the tests that collect from them.
  describe('collecting from them', () => {
    const procs: ChildProcess[] = [];
    let addrs: string[] = [];
    before(async () => {
      const bin = path.join(work, 'server');
      const r = spawnSync('go', ['build', '-o', bin, '.'], { cwd: serverDir, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-buildvcs=false' } });
      assert.equal(r.status, 0, r.stderr);
      const started = await Promise.all([startServer(bin), startServer(bin)]);
      procs.push(...started.map((s) => s.proc));
      addrs = started.map((s) => s.addr);
    });
    after(() => {
      for (const p of procs) p.kill('SIGKILL');
    });

    it('collect from two instances gives the compiler what go tool pprof -proto gives it', async () => {
      const out = merged;
      const raw = path.join(work, 'raw');
      const t0 = Date.now();
      const r = await runCli(['collect', ...addrs.map((a) => `http://${a}`), '--seconds', '2', '-o', out, '--save-raw', raw]);
      const ms = Date.now() - t0;
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /ok, \d+ bytes/);
      const rawFiles = fs.readdirSync(raw).map((f) => path.join(raw, f));
      assert.equal(rawFiles.length, 2);
      for (const f of rawFiles) assert.ok(loadProfileBytes(fs.readFileSync(f)).profile.totalWeight > 0, `${f} has samples`);

      // Go's merge of the same two raw profiles.
      const goMerged = path.join(work, 'm.pb.gz');
      const g = spawnSync('go', ['tool', 'pprof', '-proto', '-symbolize=none', ...rawFiles], { maxBuffer: 1 << 28 });
      assert.equal(g.status, 0, g.stderr?.toString());
      fs.writeFileSync(goMerged, g.stdout);

      const ours = goPreprofile(out);
      const theirs = goPreprofile(goMerged);
      assert.ok(ours.ok && theirs.ok, `${!ours.ok ? ours.err : ''} ${!theirs.ok ? theirs.err : ''}`);
      // Byte for byte: the serialized edges are sorted by weight, then names, so equal edge maps
      // serialize identically.
      assert.equal(ours.out.toString('latin1'), theirs.out.toString('latin1'));
      assert.ok(ours.out.toString().split('\n').length > 4, 'the merged profile has call edges');
      console.log(`collect 2 s from 2 servers + merge + write: ${ms} ms; merged ${fs.statSync(out).size} bytes`);
    });

    it('a failing endpoint next to a working one: the working one is merged', async () => {
      const garbage = await nodeServer((_req, res) => res.end('junk'), servers);
      const out = path.join(work, 'partial.pgo');
      const r = await runCli(['collect', addrs[0]!, garbage, '--seconds', '1', '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /merged 1 of 2/);
      assert.ok(loadProfileBytes(fs.readFileSync(out)).profile.totalWeight > 0);
    });
  });

  it('the compiler accepts the collected profile', () => {
    // What `go build -pgo=PROFILE` runs with it (cmd/go/internal/work: `preprofile -o T -i PROFILE`, then `compile -pgoprofile=T`
    // for every package), on one file that imports nothing: a build also compiles every dependency with the new profile (5 s of
    // CPU for the runtime alone, 40 s for the server's net/http), and the compiler reads and checks the profile the same way.
    const tiny = path.join(work, 'tiny');
    fs.mkdirSync(tiny, { recursive: true });
    fs.writeFileSync(path.join(tiny, 'main.go'), 'package main\n\nfunc main() {}\n');
    const pre = goPreprofile(merged);
    assert.ok(pre.ok, pre.ok ? '' : `go tool preprofile rejects the collected profile: ${pre.err}`);
    fs.writeFileSync(path.join(tiny, 'pgo.preprofile'), pre.out);
    const c = spawnSync('go', ['tool', 'compile', '-p', 'main', '-pgoprofile=pgo.preprofile', '-o', 'main.o', 'main.go'], { cwd: tiny, encoding: 'utf8' });
    assert.equal(c.status, 0, `go tool compile -pgoprofile rejects the collected profile: ${c.stderr}`);
  });

  const dirs: string[] = [work];
  after(() => {
    for (const s of servers) {
      s.closeAllConnections?.();
      s.close();
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('unreachable, garbage, oversized and timed-out endpoints each fail clearly; the output is untouched', async () => {
    // a closed port: listen on a free port, note it, close
    const closed = await new Promise<string>((resolve) => {
      const s = http.createServer();
      s.listen(0, '127.0.0.1', () => {
        const a = `127.0.0.1:${(s.address() as AddressInfo).port}`;
        s.close(() => resolve(a));
      });
    });
    const garbage = await nodeServer((_req, res) => res.end('<html>this is not a profile</html>\n'), servers);
    const big = await nodeServer((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(64 * 1024, 7));
    }, servers);
    const silent = await nodeServer(() => undefined, servers); // never answers
    const notFound = await nodeServer((_req, res) => {
      res.writeHead(404);
      res.end('404 page not found\n');
    }, servers);
    const out = path.join(work, 'existing.pgo');
    fs.writeFileSync(out, 'previous content');
    const t0 = Date.now();
    const r = await runCli(['collect', closed, garbage, big, silent, notFound, '--seconds', '1', '--timeout-margin', '1', '--max-bytes', '10000', '-o', out]);
    const ms = Date.now() - t0;
    assert.equal(r.code, 1, r.stderr);
    const line = (addr: string): string => r.stderr.split('\n').find((l) => l.includes(`${addr}:`)) ?? '';
    assert.match(line(closed), /FAILED: unreachable: connection refused/);
    assert.match(line(garbage), /FAILED: not a profile: corrupt pprof protobuf/);
    assert.match(line(big), /FAILED: response too large/);
    assert.match(line(silent), /FAILED: timed out after 2 s/);
    assert.match(line(notFound), /FAILED: HTTP 404 Not Found: 404 page not found/);
    assert.match(r.stderr, /no endpoint returned a profile \(5 failed\); nothing written/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'previous content');
    assert.ok(!fs.existsSync(`${out}.bak`));
    // Bounded in time: each endpoint's own time (the CLI prints it, from its request to its result) is near the 2 s deadline at
    // most; the whole run's time also counts node's start-up, seconds on a loaded machine, so it is only bounded by runCli's 30 s.
    for (const a of [closed, garbage, big, silent, notFound]) {
      const s = Number(/\((\d+(?:\.\d+)?) s\)$/.exec(line(a))?.[1]);
      assert.ok(s <= 7, `${a} answered after ${s} s: ${line(a)}`);
    }
    console.log(`five failing endpoints reported in ${ms} ms`);
  });

  it('killed mid-write, pgo-lens merge leaves the old or the new complete file', async () => {
    const raw = path.join(work, 'raw');
    const inputs = fs.readdirSync(raw).map((f) => path.join(raw, f));
    const dir = tmpDir('kill');
    dirs.push(dir);
    const out = path.join(dir, 'default.pgo');
    // old = the first profile alone, new = both merged
    let r = await runCli(['merge', '-o', out, inputs[0]!]);
    assert.equal(r.code, 0, r.stderr);
    const oldBytes = fs.readFileSync(out);
    // calibrate: the mean time of a complete run (node start-up included)
    let full = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      r = await runCli(['merge', '-o', path.join(dir, 'new.pgo'), ...inputs]);
      full += (Date.now() - t0) / 3;
      assert.equal(r.code, 0, r.stderr);
    }
    const newBytes = fs.readFileSync(path.join(dir, 'new.pgo'));
    assert.notDeepEqual(oldBytes, newBytes);
    let sawOld = 0;
    let sawNew = 0;
    for (let i = 0; i < 30; i++) {
      const delay = full * (0.4 + Math.random() * 0.9); // kill anywhere from start-up to just after the rename
      await new Promise<void>((resolve) => {
        const p = spawn(process.execPath, [cli, 'merge', '-o', out, ...inputs], { stdio: 'ignore' });
        const t = setTimeout(() => p.kill('SIGKILL'), delay);
        p.on('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
      const now = fs.readFileSync(out);
      assert.ok(now.equals(oldBytes) || now.equals(newBytes), `iteration ${i}: OUT is neither the old nor the new file`);
      assert.ok(loadProfileBytes(now).profile.totalWeight > 0);
      if (now.equals(oldBytes)) sawOld++;
      else sawNew++;
      if (i % 2 === 1) fs.writeFileSync(out, oldBytes); // reset now and then so both outcomes stay possible
    }
    const leftovers = fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    console.log(
      `kill test: one merge takes ${full.toFixed(0)} ms; old file ${sawOld}×, new file ${sawNew}×; ${leftovers.length} temporary files left by killed processes`,
    );
  });
});
