/**
 * Limits where input is read (issue #13): a gzip bomb stops at the decompressed-size cap with a
 * clear error (from a file and over loopback HTTP) while memory stays bounded, endless endpoints
 * stop at the total cap of one collect, the deadline holds while a slow body inflates, redirects are named with their location, trailing data
 * after the last gzip member is rejected (as Go's compress/gzip does), and FIFOs and devices are
 * refused as profiles without blocking.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { loadProfileFile } from '../../../src/pgo/load';
import { isProfileError } from '../../../src/profile/errors';
import { gunzip, MAX_INFLATED_BYTES } from '../../../src/profile/inflate';
import { collectProfiles } from '../../../src/refresh/collect';
import { fixtureProfiles } from '../../fuzzing';

const MiB = 1 << 20;
let dir: string;
let bomb: Buffer; // 300 MiB of zeros, gzipped: about 300 KB
let server: http.Server;
let base: string;
/** Resolves with the time the trickle endpoint saw its connection closed. */
let trickleClosed: Promise<number>;
let onTrickleClosed: (at: number) => void;

/** Runs `f` while sampling the resident set; returns its result and the peak growth in MiB. */
async function peakRss<T>(f: () => Promise<T>): Promise<{ value: T; growthMiB: number }> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const value = await f();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growthMiB: (peak - start) / MiB };
  } finally {
    clearInterval(t);
  }
}

before(async () => {
  dir = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-limits-'));
  trickleClosed = new Promise((resolve) => (onTrickleClosed = resolve));
  bomb = await new Promise<Buffer>((resolve) => {
    const g = zlib.createGzip({ level: 9 });
    const out: Buffer[] = [];
    g.on('data', (c: Buffer) => out.push(c));
    g.on('end', () => resolve(Buffer.concat(out)));
    const chunk = Buffer.alloc(MiB);
    let i = 0;
    const write = (): void => {
      while (i < 300) {
        i++;
        if (!g.write(chunk)) return void g.once('drain', write);
      }
      g.end();
    };
    write();
  });
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/bomb/')) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bomb);
    if (req.url?.startsWith('/trickle/')) {
      // the bomb, 1 KB every 200 ms (about a minute in all): it inflates while it arrives, never reaching a cap within the deadline
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let at = 0;
      const t = setInterval(() => {
        if (at >= bomb.length) return void (clearInterval(t), res.end());
        res.write(bomb.subarray(at, (at += 1024)));
      }, 200);
      res.on('close', () => {
        clearInterval(t);
        onTrickleClosed(Date.now());
      });
      return;
    }
    if (req.url?.startsWith('/moved/')) return void res.writeHead(302, { location: '/elsewhere/debug/pprof/profile' }).end();
    if (req.url?.startsWith('/endless/')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(256 * 1024, 0x0a);
      const pump = (): void => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      return pump();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('input limits', () => {
  it('a gzip bomb file stops at the decompressed-size cap, memory bounded', async () => {
    const f = path.join(dir, 'bomb.pgo');
    fs.writeFileSync(f, bomb);
    const { value: err, growthMiB } = await peakRss(() =>
      loadProfileFile(f).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    assert.ok(isProfileError(err) && err.kind === 'limit', String(err));
    assert.match(err.message, new RegExp(`profile too large: decompressed data exceeds ${MAX_INFLATED_BYTES} bytes \\(256 MiB\\), the safety limit`));
    console.log(`gzip bomb (${bomb.length} bytes → 300 MiB) from a file: peak RSS growth ${growthMiB.toFixed(0)} MiB`);
    assert.ok(growthMiB < 512, `${growthMiB} MiB`);
    assert.throws(() => gunzip(bomb, 8 * MiB), /decompressed data exceeds 8388608 bytes \(8 MiB\)/);
  });

  it('a gzip bomb over loopback HTTP stops at the cap, memory bounded', async () => {
    const { value: rs, growthMiB } = await peakRss(() => collectProfiles([`${base}/bomb/debug/pprof/profile`], { seconds: 1, marginSeconds: 30 }));
    assert.equal(rs.length, 1);
    assert.ok(!rs[0]!.ok);
    assert.match(rs[0]!.error, new RegExp(`^response too large: decompressed data exceeds ${MAX_INFLATED_BYTES} bytes`));
    console.log(`gzip bomb over HTTP: peak RSS growth ${growthMiB.toFixed(0)} MiB`);
    assert.ok(growthMiB < 512, `${growthMiB} MiB`);
  });

  it('four endless endpoints stop at the total cap of one collect', async () => {
    const eps = [1, 2, 3, 4].map((i) => `${base}/endless/${i}/debug/pprof/profile`);
    const t0 = Date.now();
    const { value: rs, growthMiB } = await peakRss(() => collectProfiles(eps, { seconds: 1, marginSeconds: 60, maxTotalBytes: 64 * MiB }));
    assert.ok(
      rs.every((r) => !r.ok && /the endpoints of this collect together sent more than 67108864 bytes \(the total limit\)/.test(r.error)),
      JSON.stringify(rs),
    );
    assert.ok(Date.now() - t0 < 30_000);
    console.log(`four endless endpoints, 64 MiB total cap: peak RSS growth ${growthMiB.toFixed(0)} MiB`);
    assert.ok(growthMiB < 256, `${growthMiB} MiB`);
  });

  it('the deadline holds while a slow gzip body is being inflated, and the connection is dropped', async () => {
    const t0 = Date.now();
    const rs = await collectProfiles([`${base}/trickle/debug/pprof/profile`], { seconds: 1, marginSeconds: 1 });
    const ms = Date.now() - t0;
    assert.equal(rs.length, 1);
    assert.ok(!rs[0]!.ok);
    assert.match(rs[0]!.error, /^timed out after 2 s/);
    // the bounds are far from both the deadline (2 s) and the body (about 60 s), so a busy machine does not decide the outcome
    assert.ok(ms < 15_000, `answered after ${ms} ms; the body takes about 60 s`);
    // (the endpoint's close event, awaited: without the drop it would come when the body ends)
    const closedAt = await trickleClosed;
    assert.ok(closedAt - t0 < 15_000, `the endpoint saw the connection closed after ${closedAt - t0} ms`);
  });

  it('a redirect is named with its location', async () => {
    const [r] = await collectProfiles([`${base}/moved/debug/pprof/profile`], { seconds: 1 });
    assert.ok(!r!.ok);
    assert.equal(
      r!.error,
      `HTTP 302 Found: redirected to ${base}/elsewhere/debug/pprof/profile (redirects are not followed; use that URL as the endpoint if it is the profile)`,
    );
  });

  it('trailing zeros after the last gzip member are rejected like Go does; a second member is read', async () => {
    const good = fs.readFileSync(fixtureProfiles()[0]!);
    assert.ok(good[0] === 0x1f);
    const f = path.join(dir, 'trailing.pgo');
    fs.writeFileSync(f, Buffer.concat([good, Buffer.alloc(16)]));
    await assert.rejects(loadProfileFile(f), /corrupt gzip data: decompressing profile: gzip: invalid header \(16 bytes after the last gzip member\)/);
    assert.throws(() => gunzip(Buffer.concat([good, Buffer.alloc(1)])), /decompressing profile: unexpected EOF \(1 byte after the last gzip member\)/);
    const raw = gunzip(good);
    const two = Buffer.concat([zlib.gzipSync(raw.subarray(0, 100)), zlib.gzipSync(raw.subarray(100))]);
    assert.deepEqual(gunzip(two), raw);
    fs.writeFileSync(f, two);
    assert.ok((await loadProfileFile(f)).profile.totalWeight > 0);
  });

  it('FIFOs, devices and directories are refused as profiles without blocking', async () => {
    const fifo = path.join(dir, 'fifo.pgo');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    for (const [p, what] of [
      [fifo, 'a FIFO \\(named pipe\\)'],
      ['/dev/urandom', 'a character device'],
      ['/dev/zero', 'a character device'],
      [dir, 'a directory'],
    ] as const) {
      await assert.rejects(
        loadProfileFile(p),
        (e: unknown) => isProfileError(e) && e.kind === 'io' && new RegExp(`it is ${what}, not a regular file|it is a directory`).test(e.message),
        p,
      );
    }
    assert.ok(Date.now() - t0 < 2000);
  });
});
