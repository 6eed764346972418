/** Bytes after the last gzip member: rejected exactly where, and with the words, Go's compress/gzip uses. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadProfileFile } from '../../../src/pgo/load';
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
      await assert.rejects(
        loadProfileFile(f),
        (e: Error) => new RegExp(`decompressing profile: ${goMsg}( \\([^)]*\\))?$`).test(e.message) || assert.fail(`${e.message} vs Go: ${goMsg}`),
      );
    });
  }
  it('no trailing data: both accept', async () => {
    const f = path.join(dir, 'clean.pgo');
    fs.writeFileSync(f, good);
    assert.ok(goPreprofile(f).ok);
    assert.ok((await loadProfileFile(f)).profile.totalWeight > 0);
  });
});
