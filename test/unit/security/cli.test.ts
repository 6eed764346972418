/** The CLI's writes and reads go through the safe modules (issue #13 reproductions, end to end). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { fixtureProfiles } from '../../fuzzing';

let dir: string;
let secret: string;
before(() => {
  dir = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-sec-cli-'));
  secret = path.join(dir, 'home-bashrc');
  fs.writeFileSync(secret, 'echo precious\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string }> {
  const outs: string[] = [];
  const sink = { write: (s: string | Uint8Array) => (outs.push(String(s)), true) } as unknown as NodeJS.WritableStream;
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string | Uint8Array) => (outs.push(String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv, sink, sink), out: outs.join('') };
  } finally {
    process.stderr.write = orig;
  }
}

describe('CLI on hostile files', () => {
  it('merge: a committed OUT.bak link to a file outside is replaced, not written through', async () => {
    const repo = fs.mkdtempSync(path.join(dir, 'repo-'));
    const out = path.join(repo, 'default.pgo');
    fs.copyFileSync(fixtureProfiles()[0]!, out);
    fs.symlinkSync(path.relative(repo, secret), `${out}.bak`);
    const r = await run('merge', '-o', out, fixtureProfiles()[0]!);
    assert.equal(r.code, 0, r.out);
    assert.equal(fs.readFileSync(secret, 'utf8'), 'echo precious\n');
    assert.ok(fs.lstatSync(`${out}.bak`).isFile());
  });

  it('merge and preprofile refuse an OUT that is a symlink, and /dev/zero or a FIFO as input, without blocking', async () => {
    const link = path.join(dir, 'out-link.pgo');
    fs.symlinkSync(secret, link);
    let r = await run('merge', '-o', link, fixtureProfiles()[0]!);
    assert.equal(r.code, 1);
    assert.match(r.out, /refusing to write .*out-link\.pgo: it is a symbolic link to .*home-bashrc/);
    r = await run('preprofile', fixtureProfiles()[0]!, '-o', link);
    assert.equal(r.code, 1);
    assert.equal(fs.readFileSync(secret, 'utf8'), 'echo precious\n');
    r = await run('merge', '-o', path.join(dir, 'm.pgo'), '/dev/zero');
    assert.equal(r.code, 1);
    assert.match(r.out, /cannot read profile \/dev\/zero: it is a character device, not a regular file/);
    r = await run('hot', '/dev/urandom');
    assert.equal(r.code, 1);
    assert.match(r.out, /\/dev\/urandom: it is a character device, not a regular file/);
    assert.ok(!fs.existsSync(path.join(dir, 'm.pgo')));
  });
});
