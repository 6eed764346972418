import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { effectiveFile, OverlayError, overlayFlag, readOverlay } from '../../../src/compiler/overlay';

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-overlay-')));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('overlay', () => {
  it('finds -overlay / --overlay in GOFLAGS (the last one wins)', () => {
    assert.equal(overlayFlag('-buildvcs=false -overlay=/a.json'), '/a.json');
    assert.equal(overlayFlag('--overlay=/a.json -overlay=b.json'), 'b.json');
    assert.equal(overlayFlag('-tags=overlay'), undefined);
    assert.equal(overlayFlag(undefined), undefined);
  });

  it('resolves relative paths from the go command directory, as the go command does', async () => {
    fs.writeFileSync(path.join(dir, 'o.json'), JSON.stringify({ Replace: { 'src/a.go': 'edits/a.go', '/abs/b.go': '' } }));
    const o = await readOverlay({ GOFLAGS: '-overlay=o.json' }, dir);
    assert.ok(o);
    assert.equal(effectiveFile(o, path.join(dir, 'src', 'a.go')), path.join(dir, 'edits', 'a.go'));
    assert.equal(effectiveFile(o, '/abs/b.go'), '', 'deleted by the overlay');
    assert.equal(effectiveFile(o, '/abs/c.go'), '/abs/c.go');
    assert.equal(await readOverlay({ GOFLAGS: '-trimpath' }, dir), undefined);
  });

  it('says what is wrong with a bad overlay file', async () => {
    await assert.rejects(readOverlay({ GOFLAGS: '-overlay=missing.json' }, dir), (e: Error) => e instanceof OverlayError && /cannot read/.test(e.message));
    fs.writeFileSync(path.join(dir, 'bad.json'), '{');
    await assert.rejects(readOverlay({ GOFLAGS: '-overlay=bad.json' }, dir), /is not JSON/);
    fs.writeFileSync(path.join(dir, 'num.json'), JSON.stringify({ Replace: { 'a.go': 3 } }));
    await assert.rejects(readOverlay({ GOFLAGS: '-overlay=num.json' }, dir), /is not a string/);
  });
});
