/**
 * Bounded memory on crafted profiles (issue #13), measured as the peak resident set (VmHWM) of a
 * fresh child process per input (memory-child.ts): small gzips that inflate to ~250 MB of tiny
 * messages (one-byte frames, three-byte strings, id-only locations), loaded streamed (the CLI and
 * the worker) and whole (rewrite, validate), and an untrusted folder with three main packages,
 * each with a crafted `default.pgo`, opened in the worker's engine. Every load must be refused
 * with a typed `limit` error and stay under the stated cap. Memory is not noisy like time: these
 * caps hold with margin (measured peaks are in docs/performance.md).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { type MemoryChildResult, memoryChildScript } from './memory-child';

/** The stated caps, MiB of peak RSS for the whole Node process (Node itself is ~45 MiB). */
export const STREAM_CAP_MIB = 256;
export const WHOLE_CAP_MIB = 512;
export const WORKER_CAP_MIB = 512;

const linux = fs.existsSync('/proc/self/status');

function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/**
 * Gzips what `gen` produces one chunk at a time, each chunk its own gzip member (Go and our loaders
 * read multi-member gzip alike), so that the raw protobuf is never whole in the test process. It
 * also means no member's ISIZE gives the whole size, as in a gzip crafted to lie about it.
 */
function gzipChunks(file: string, gen: (write: (b: Buffer) => void) => void): void {
  const parts: Buffer[] = [];
  gen((b) => parts.push(zlib.gzipSync(b, { level: 1 })));
  fs.writeFileSync(file, Buffer.concat(parts));
}

/** 2,500 samples of 100,000 one-byte location ids: ~250 MB of protobuf, 1 MB of gzip. */
function frames(file: string): void {
  const depth = 100_000;
  const sample = Buffer.concat([Buffer.from([0x0a, ...varint(depth)]), Buffer.alloc(depth, 1), Buffer.from([0x10, 1])]);
  const one = Buffer.concat([Buffer.from([0x12, ...varint(sample.length)]), sample]);
  const block = Buffer.concat(new Array<Buffer>(100).fill(one));
  gzipChunks(file, (w) => {
    w(Buffer.from([0x0a, 4, 0x08, 1, 0x10, 2])); // sample_type {type: 1, unit: 2}
    for (let i = 0; i < 25; i++) w(block);
  });
}

/** The empty string, then 50 million three-byte strings: 250 MB of protobuf. */
function strings(file: string): void {
  const block = Buffer.alloc(5 * 1_000_000);
  for (let i = 0; i < 1_000_000; i++) block.set([0x32, 3, 0x61 + (i % 26), 0x62, 0x63], 5 * i);
  gzipChunks(file, (w) => {
    w(Buffer.from([0x32, 0]));
    for (let i = 0; i < 50; i++) w(block);
  });
}

/** 8 million Locations with only an id: ~50 MB of protobuf that compresses poorly. */
function locations(file: string): void {
  gzipChunks(file, (w) => {
    const per = 1_000_000;
    for (let first = 1; first <= 8 * per; first += per) {
      const buf = Buffer.alloc(7 * per);
      let p = 0;
      for (let id = first; id < first + per; id++) {
        const v = varint(id);
        buf[p++] = 0x22;
        buf[p++] = v.length + 1;
        buf[p++] = 0x08;
        for (const b of v) buf[p++] = b;
      }
      w(buf.subarray(0, p));
    }
  });
}

function measure(mode: 'sync' | 'stream' | 'worker', target: string): MemoryChildResult {
  const r = spawnSync(process.execPath, [memoryChildScript, mode, target], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `child ${mode} ${target} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as MemoryChildResult;
}

let dir: string;
const inputs: Record<string, string> = {};
before(() => {
  if (!linux) return;
  dir = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-memory-'));
  for (const [name, make] of Object.entries({ frames, strings, locations })) {
    inputs[name] = path.join(dir, `${name}.pgo`);
    make(inputs[name]);
  }
});
after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('peak memory on crafted profiles stays under the stated caps', { skip: !linux && 'needs /proc/self/status (Linux)' }, () => {
  it('the crafted inputs are small gzips of large protobuf', () => {
    assert.ok(fs.statSync(inputs['frames']!).size < 4 << 20);
    assert.ok(fs.statSync(inputs['strings']!).size < 8 << 20);
  });

  for (const kind of ['frames', 'strings', 'locations']) {
    for (const mode of ['stream', 'sync'] as const) {
      const cap = mode === 'stream' ? STREAM_CAP_MIB : WHOLE_CAP_MIB;
      it(`${kind}, ${mode === 'stream' ? 'streamed (loadProfileFile)' : 'inflated whole (loadProfileBytes)'}: refused, peak ≤ ${cap} MiB`, (t) => {
        const r = measure(mode, inputs[kind]!);
        t.diagnostic(`peak ${r.peakMiB.toFixed(0)} MiB (Node alone ${r.startMiB.toFixed(0)} MiB); ${r.outcome.slice(0, 160)}`);
        assert.match(r.outcome, /^limit: /, r.outcome);
        assert.ok(r.peakMiB <= cap, `peak ${r.peakMiB.toFixed(0)} MiB > ${cap} MiB (${r.outcome})`);
      });
    }
  }

  it(`an untrusted folder with three crafted default.pgo files, opened in the worker: each refused, peak ≤ ${WORKER_CAP_MIB} MiB`, (t) => {
    const folder = path.join(dir, 'repo');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'go.mod'), 'module example.com/hostile\n\ngo 1.23\n');
    for (const [i, kind] of ['frames', 'strings', 'frames'].entries()) {
      const main = path.join(folder, `cmd${i}`);
      fs.mkdirSync(main);
      fs.writeFileSync(path.join(main, 'main.go'), 'package main\n\nfunc main() {}\n');
      fs.copyFileSync(inputs[kind]!, path.join(main, 'default.pgo'));
    }
    const r = measure('worker', folder);
    t.diagnostic(`peak ${r.peakMiB.toFixed(0)} MiB (Node alone ${r.startMiB.toFixed(0)} MiB)`);
    const lines = r.outcome.split('\n');
    assert.equal(lines.length, 3, r.outcome);
    for (const l of lines) assert.match(l, /: limit: /, r.outcome);
    assert.ok(r.peakMiB <= WORKER_CAP_MIB, `peak ${r.peakMiB.toFixed(0)} MiB > ${WORKER_CAP_MIB} MiB (${r.outcome})`);
  });
});
