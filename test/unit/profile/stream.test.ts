import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { ChunkFeeder, loadProfileBytes, loadProfileFile } from '../../../src/pgo/load';
import { modelFromPprof } from '../../../src/pgo/model';
import { serializePreprofile } from '../../../src/pgo/preprofile';
import { PprofDecoder } from '../../../src/profile/pprof';
import { encodePprof } from '../../../src/profile/encode';
import { corpus } from '../../fuzzing';

describe('streaming decode equals whole-buffer decode', () => {
  for (const { name, raw } of corpus()) {
    it(`${name}: chunk sizes 1, 7, 777 and 64 KiB`, () => {
      const want = serializePreprofile(loadProfileBytes(raw).profile);
      for (const size of [1, 7, 777, 65536]) {
        const d = new PprofDecoder();
        const f = new ChunkFeeder(d);
        for (let i = 0; i < raw.length; i += size) f.push(Buffer.from(raw.subarray(i, i + size)));
        f.end();
        assert.ok(serializePreprofile(modelFromPprof(d.finish())).equals(want), `chunk size ${size}`);
      }
    });
  }
  it('reads files (gzip and raw) and reports truncation', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-stream-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const { raw } = corpus()[0]!;
    const want = serializePreprofile(loadProfileBytes(raw).profile);
    fs.writeFileSync(path.join(dir, 'a.pb'), raw);
    fs.writeFileSync(path.join(dir, 'a.pb.gz'), zlib.gzipSync(raw));
    fs.writeFileSync(path.join(dir, 'cut.pb'), raw.subarray(0, raw.length - 3));
    const gz = zlib.gzipSync(raw);
    fs.writeFileSync(path.join(dir, 'cut.pb.gz'), gz.subarray(0, gz.length - 10));
    assert.ok(serializePreprofile((await loadProfileFile(path.join(dir, 'a.pb'))).profile).equals(want));
    assert.ok(serializePreprofile((await loadProfileFile(path.join(dir, 'a.pb.gz'))).profile).equals(want));
    await assert.rejects(loadProfileFile(path.join(dir, 'cut.pb')), { name: 'ProfileError', kind: 'protobuf' });
    await assert.rejects(loadProfileFile(path.join(dir, 'cut.pb.gz')), { name: 'ProfileError', kind: 'gzip' });
    await assert.rejects(loadProfileFile(path.join(dir, 'missing.pgo')), { name: 'ProfileError', kind: 'io' });
  });
});

describe('encoding', () => {
  it('a PGO-trimmed encoding keeps the edge map and shrinks the file', () => {
    for (const { name, raw } of corpus()) {
      const { profile, pprof } = loadProfileBytes(raw);
      const trimmed = encodePprof(pprof!);
      assert.ok(serializePreprofile(loadProfileBytes(trimmed).profile).equals(serializePreprofile(profile)), name);
    }
  });
  it('a full encoding round-trips byte-stable', () => {
    for (const { name, raw } of corpus()) {
      const once = encodePprof(loadProfileBytes(raw, { keepSamples: true }).pprof!);
      const twice = encodePprof(loadProfileBytes(once, { keepSamples: true }).pprof!);
      assert.ok(Buffer.from(once).equals(Buffer.from(twice)), name);
    }
  });
});

/** `raw` with every top-level length written as a `width`-byte varint (zero groups padded, as protobuf allows). */
function padLengths(raw: Uint8Array, width: number): Buffer {
  const out: number[] = [];
  let p = 0;
  while (p < raw.length) {
    const tag = raw[p++]!; // the fixtures' top-level tags are one byte (fields 1..14)
    out.push(tag);
    if ((tag & 7) !== 2) {
      if ((tag & 7) !== 0) throw new Error('fixture has a fixed-width top-level field');
      do out.push(raw[p]!);
      while (raw[p++]! >= 0x80);
      continue;
    }
    let len = 0;
    for (let mul = 1, b = 0x80; b >= 0x80; mul *= 128) {
      b = raw[p++]!;
      len += (b & 0x7f) * mul;
    }
    for (let i = 0, v = len; i < width; i++, v = Math.floor(v / 128)) out.push((v & 0x7f) | (i < width - 1 ? 0x80 : 0));
    for (let i = 0; i < len; i++) out.push(raw[p++]!);
  }
  return Buffer.from(out);
}

describe('top-level field lengths', () => {
  it('padded varint lengths (5, 6 and 10 bytes) decode like the canonical ones, whole and streamed', () => {
    for (const { name, raw } of corpus().slice(0, 3)) {
      const want = serializePreprofile(loadProfileBytes(raw).profile);
      for (const width of [5, 6, 10]) {
        const padded = padLengths(raw, width);
        assert.ok(padded.length > raw.length, `${name}: the lengths grew`);
        assert.ok(serializePreprofile(loadProfileBytes(padded).profile).equals(want), `${name}: ${width}-byte lengths`);
        for (const size of [1, 3, 7]) {
          const d = new PprofDecoder();
          const f = new ChunkFeeder(d);
          for (let i = 0; i < padded.length; i += size) f.push(Buffer.from(padded.subarray(i, i + size)));
          f.end();
          assert.ok(serializePreprofile(modelFromPprof(d.finish())).equals(want), `${name}: ${width}-byte lengths in chunks of ${size}`);
        }
      }
    }
  });
  it('a length over the 2^30 limit is a limit error with the exact length, in 5 bytes or more', () => {
    const five = Buffer.from([0x32, 0x80, 0x80, 0x80, 0x80, 0x05]); // string_table, 5 × 2^28 bytes
    assert.throws(() => loadProfileBytes(five), { name: 'ProfileError', kind: 'limit', message: /declares 1342177280 bytes/ });
    const ten = Buffer.from([0x32, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]); // 2^64 − 1
    assert.throws(() => loadProfileBytes(ten), { name: 'ProfileError', kind: 'limit', message: /declares 18446744073709551615 bytes/ });
  });
});
