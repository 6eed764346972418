import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { OwnWrites } from '../../../src/editor/own-writes';

const stamp = (f: string): { size: number; mtimeMs: number } => {
  const st = fs.statSync(f);
  return { size: st.size, mtimeMs: st.mtimeMs };
};

describe('own profile writes (one reload after a rewrite, not two)', () => {
  it('knows the file it wrote, until someone else changes it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-own-'));
    try {
      const f = path.join(dir, 'default.pgo');
      fs.writeFileSync(f, 'ours');
      const w = new OwnWrites();
      assert.equal(w.isOwn(f, stamp(f)), false, 'nothing recorded yet');
      w.record(f, stamp(f));
      assert.equal(w.isOwn(f, stamp(f)), true);
      assert.equal(w.isOwn(path.join(dir, '.', 'default.pgo'), stamp(f)), true, 'the same file by another spelling');
      // Another writer: different size, and a later mtime.
      fs.writeFileSync(f, 'theirs, longer');
      fs.utimesSync(f, new Date(), new Date(Date.now() + 5000));
      assert.equal(w.isOwn(f, stamp(f)), false);
      // Forgotten after the first foreign change, even if the stamp came back.
      assert.equal(w.isOwn(f, { size: 4, mtimeMs: 0 }), false);
      assert.equal(w.isOwn(f, null), false, 'a deleted file is never our write');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('tells a same-size rewrite apart by its modification time', () => {
    const w = new OwnWrites();
    w.record('/p/default.pgo', { size: 100, mtimeMs: 1000 });
    assert.equal(w.isOwn('/p/default.pgo', { size: 100, mtimeMs: 1001 }), false);
  });
});
