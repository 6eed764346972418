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
