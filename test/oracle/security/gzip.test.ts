/** Bytes after the last gzip member: rejected exactly where, and with the words, Go's compress/gzip uses. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { loadProfileData, loadProfileFile } from '../../../src/pgo/load';
import { fixtureProfiles } from '../../fuzzing';
import { goPreprofile, requireGo, tmpDir } from '../goenv';

const opts = requireGo();

describe('trailing data after gzip, against go tool preprofile', opts, () => {
  const dir = tmpDir('gzip-trailing');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const good = fs.readFileSync(fixtureProfiles()[0]!);
  const cases: Array<[string, Buffer]> = [
    ['1 zero byte', Buffer.alloc(1)],
    ['9 zero bytes', Buffer.alloc(9)],
    ['10 zero bytes', Buffer.alloc(10)],
    ['4 KiB of zeros', Buffer.alloc(4096)],
    ['text', Buffer.from('trailing garbage\n')],
  ];
  for (const [name, tail] of cases) {
    it(`${name}: both reject with Go's message`, async () => {
      const f = path.join(dir, `${name.replace(/\W+/g, '_')}.pgo`);
      fs.writeFileSync(f, Buffer.concat([good, tail]));
      const g = goPreprofile(f);
      assert.ok(!g.ok, 'go accepts it');
      const goMsg = /decompressing profile: (.*)$/m.exec(g.err)?.[1]?.trim();
      assert.ok(goMsg, g.err);
      for (const load of [() => loadProfileFile(f), () => loadProfileData(fs.readFileSync(f))]) {
        await assert.rejects(
          load(),
          (e: Error) => new RegExp(`decompressing profile: ${goMsg}( \\([^)]*\\))?$`).test(e.message) || assert.fail(`${e.message} vs Go: ${goMsg}`),
        );
      }
    });
  }
  it("deflate data that inflates to garbage, caught only by the checksum: Go's gzip error, not a protobuf one", async () => {
    // Stored (level 0) and over 1 MiB, so that the decoder sees the garbage long before the checksum.
    const bad = zlib.gzipSync(Buffer.concat([zlib.gunzipSync(good), Buffer.alloc(1 << 20)]), { level: 0 });
    bad[15] = 0x07; // the first protobuf byte: field 0, wire type 7
    const f = path.join(dir, 'spoiled.pgo');
    fs.writeFileSync(f, bad);
    const g = goPreprofile(f);
    assert.ok(!g.ok, 'go accepts it');
    const goMsg = /decompressing profile: (.*)$/m.exec(g.err)?.[1]?.trim();
    assert.equal(goMsg, 'gzip: invalid checksum', g.err);
    for (const load of [() => loadProfileFile(f), () => loadProfileData(bad)]) {
      await assert.rejects(load(), (e: Error) => e.message.endsWith(`decompressing profile: ${goMsg}`) || assert.fail(`${e.message} vs Go: ${goMsg}`));
    }
  });
  it('no trailing data: both accept', async () => {
    const f = path.join(dir, 'clean.pgo');
    fs.writeFileSync(f, good);
    assert.ok(goPreprofile(f).ok);
    assert.ok((await loadProfileFile(f)).profile.totalWeight > 0);
  });
});
