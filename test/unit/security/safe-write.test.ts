import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanStaleTemps, isInside, SafeWriteError, writeFileSafe } from '../../../src/platform/safe-write';
import { InputFileError, readRegularFile } from '../../../src/platform/safe-read';

let dir: string;
let outside: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-safewrite-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-outside-'));
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

function fresh(name: string): string {
  const d = path.join(dir, name);
  fs.mkdirSync(d);
  return d;
}

/** A pid that certainly does not run any more (a child that exited). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('safe file writing', () => {
  it('replaces a regular file and keeps the previous one as .bak, nothing else', async () => {
    const d = fresh('plain');
    const f = path.join(d, 'default.pgo');
    await writeFileSafe(f, Buffer.from('one'), { backup: true });
    assert.deepEqual(fs.readdirSync(d), ['default.pgo']); // no .bak without a previous file
    await writeFileSafe(f, Buffer.from('two'), { backup: true });
    await writeFileSafe(f, Buffer.from('three'), { backup: true });
    assert.equal(fs.readFileSync(f, 'utf8'), 'three');
    assert.equal(fs.readFileSync(`${f}.bak`, 'utf8'), 'two');
    assert.deepEqual(fs.readdirSync(d).sort(), ['default.pgo', 'default.pgo.bak']);
  });

  it('keeps the mode of the file it replaces', async () => {
    const d = fresh('mode');
    const f = path.join(d, 'out.pgo');
    fs.writeFileSync(f, 'old', { mode: 0o600 });
    fs.chmodSync(f, 0o600);
    await writeFileSafe(f, Buffer.from('new'), { backup: true });
    assert.equal(fs.statSync(f).mode & 0o777, 0o600);
    assert.equal(fs.statSync(`${f}.bak`).mode & 0o777, 0o600);
  });

  it('a committed .bak symlink to a file outside is replaced, never written through', async () => {
    const d = fresh('bak-link');
    const secret = path.join(outside, 'bashrc');
    fs.writeFileSync(secret, 'echo precious\n');
    const f = path.join(d, 'default.pgo');
    fs.writeFileSync(f, 'old profile');
    fs.symlinkSync(path.relative(d, secret), `${f}.bak`);
    await writeFileSafe(f, Buffer.from('new profile'), { backup: true });
    assert.equal(fs.readFileSync(secret, 'utf8'), 'echo precious\n');
    assert.ok(fs.lstatSync(`${f}.bak`).isFile(), 'the .bak link itself was replaced by a regular file');
    assert.equal(fs.readFileSync(`${f}.bak`, 'utf8'), 'old profile');
    assert.equal(fs.readFileSync(f, 'utf8'), 'new profile');
  });

  it('a dangling .bak link does not create its target', async () => {
    const d = fresh('bak-dangling');
    const target = path.join(outside, 'created-by-bak');
    const f = path.join(d, 'default.pgo');
    fs.writeFileSync(f, 'old');
    fs.symlinkSync(target, `${f}.bak`);
    await writeFileSafe(f, Buffer.from('new'), { backup: true });
    assert.equal(fs.existsSync(target), false);
    assert.equal(fs.readFileSync(`${f}.bak`, 'utf8'), 'old');
  });

  it('refuses an OUT that is a symlink (to a 0600 secret): nothing copied, the link kept', async () => {
    const d = fresh('out-link');
    const secret = path.join(outside, 'id_secret');
    fs.writeFileSync(secret, 'SECRET', { mode: 0o600 });
    const out = path.join(d, 'merged.pgo');
    fs.symlinkSync(secret, out);
    await assert.rejects(
      writeFileSafe(out, Buffer.from('profile'), { backup: true }),
      (e: unknown) =>
        e instanceof SafeWriteError &&
        e.kind === 'unsafe-target' &&
        /refusing to write .*merged\.pgo: it is a symbolic link to .*id_secret; pgo-lens never writes through a link/.test(e.message),
    );
    assert.equal(fs.readFileSync(secret, 'utf8'), 'SECRET');
    assert.ok(fs.lstatSync(out).isSymbolicLink());
    assert.deepEqual(fs.readdirSync(d), ['merged.pgo']);
  });

  it('refuses a dangling link as OUT without creating its target', async () => {
    const d = fresh('out-dangling');
    const target = path.join(outside, 'created-by-out');
    const out = path.join(d, 'default.pgo');
    fs.symlinkSync(target, out);
    await assert.rejects(writeFileSafe(out, Buffer.from('x')), /it is a symbolic link/);
    assert.equal(fs.existsSync(target), false);
  });

  it('refuses a FIFO, a device and a directory as target without blocking', async () => {
    const d = fresh('special');
    const fifo = path.join(d, 'default.pgo');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    await assert.rejects(writeFileSafe(fifo, Buffer.from('x'), { backup: true }), /refusing to write .*default\.pgo: it is a FIFO \(named pipe\)/);
    await assert.rejects(writeFileSafe('/dev/null', Buffer.from('x')), /refusing to write \/dev\/null: it is a character device/);
    await assert.rejects(writeFileSafe(d, Buffer.from('x')), /it is a directory/);
    assert.ok(Date.now() - t0 < 2000);
    assert.deepEqual(fs.readdirSync(d), ['default.pgo']);
  });

  it('a failing write (a .bak directory in the way) leaves the target and no temporary file', async () => {
    const d = fresh('fail');
    const f = path.join(d, 'default.pgo');
    fs.writeFileSync(f, 'good');
    fs.mkdirSync(`${f}.bak`);
    await assert.rejects(writeFileSafe(f, Buffer.from('new'), { backup: true }), /cannot keep a backup: .*default\.pgo\.bak is a directory/);
    assert.equal(fs.readFileSync(f, 'utf8'), 'good');
    assert.deepEqual(fs.readdirSync(d).sort(), ['default.pgo', 'default.pgo.bak']);
  });

  it('a write that runs out of space (file size limit) keeps the file and its backup, names no temporary file', () => {
    const d = fresh('efbig');
    const f = path.join(d, 'default.pgo');
    fs.writeFileSync(f, 'good');
    fs.writeFileSync(`${f}.bak`, 'older');
    const mod = path.resolve(__dirname, '../../../src/platform/safe-write.js');
    const script = `require(${JSON.stringify(mod)}).writeFileSafe(${JSON.stringify(f)}, Buffer.alloc(1 << 20, 7), { backup: true }).then(() => console.log('written'), (e) => console.log(e.name + ': ' + e.message))`;
    // SIGXFSZ ignored: writes past `ulimit -f` fail with EFBIG instead of killing the process.
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 8; exec "$0" -e "$1"`, process.execPath, script], { encoding: 'utf8' });
    assert.match(r.stdout, /^SafeWriteError: cannot write .*default\.pgo: the file size limit was exceeded; .*default\.pgo and its backup are unchanged\n$/);
    assert.doesNotMatch(r.stdout, /\.tmp/);
    assert.equal(fs.readFileSync(f, 'utf8'), 'good');
    assert.equal(fs.readFileSync(`${f}.bak`, 'utf8'), 'older');
    assert.deepEqual(fs.readdirSync(d).sort(), ['default.pgo', 'default.pgo.bak']);
  });

  it('disk full on a small tmpfs keeps the file and its backup', async (t) => {
    const d = fresh('tmpfs');
    const r = process.getuid?.() === 0 ? spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', d], { encoding: 'utf8' }) : null;
    if (!r || r.status !== 0) {
      t.skip(`a tmpfs cannot be mounted here (${r ? r.stderr.trim() : 'not root'}); the file-size-limit test covers the same failure`);
      return;
    }
    try {
      const f = path.join(d, 'default.pgo');
      fs.writeFileSync(f, 'good');
      fs.writeFileSync(`${f}.bak`, 'older');
      await assert.rejects(
        writeFileSafe(f, Buffer.alloc(1 << 20, 1), { backup: true }),
        (e: unknown) => e instanceof SafeWriteError && /no space left on the device/.test(e.message) && !/\.tmp/.test(e.message),
      );
      assert.equal(fs.readFileSync(f, 'utf8'), 'good');
      assert.equal(fs.readFileSync(`${f}.bak`, 'utf8'), 'older');
      assert.deepEqual(fs.readdirSync(d).sort(), ['default.pgo', 'default.pgo.bak']);
    } finally {
      spawnSync('umount', [d]);
    }
  });

  it('temporary files of a killed writer are removed by the next write; a live writer’s are kept', async () => {
    const d = fresh('stale');
    const dead = `.default.pgo.pgo-lens-${deadPid()}-0a1b2c.tmp`;
    const live = `.default.pgo.pgo-lens-${process.pid}-0a1b2d.tmp`;
    const other = '.default.pgo.someone-else.tmp';
    for (const n of [dead, live, other]) fs.writeFileSync(path.join(d, n), 'partial');
    await writeFileSafe(path.join(d, 'default.pgo'), Buffer.from('x'));
    assert.deepEqual(fs.readdirSync(d).sort(), [other, live, 'default.pgo'].sort());
    assert.deepEqual(await cleanStaleTemps(d), []);
  });

  it('isInside resolves links before comparing', () => {
    const d = fresh('inside');
    fs.symlinkSync(outside, path.join(d, 'escape'));
    assert.equal(isInside(path.join(d, 'default.pgo'), [d]), true);
    assert.equal(isInside(path.join(d, 'escape', 'default.pgo'), [d]), false);
    assert.equal(isInside(path.join(d, '..', 'x'), [d]), false);
    assert.equal(isInside(path.join(d, 'new', 'deeper', 'x'), [d]), true);
  });
});

describe('safe input reading', () => {
  it('refuses a FIFO, a device and a directory without blocking, and holds a size cap', async () => {
    const d = fresh('inputs');
    const fifo = path.join(d, 'in.pgo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(
      readRegularFile(fifo, 1 << 20, 'profile'),
      (e: unknown) => e instanceof InputFileError && /in\.pgo: it is a FIFO \(named pipe\), not a regular file/.test(e.message),
    );
    await assert.rejects(readRegularFile('/dev/urandom', 1 << 20, 'profile'), /it is a character device/);
    await assert.rejects(readRegularFile('/dev/zero', 1 << 20, 'profile'), /it is a character device/);
    await assert.rejects(readRegularFile(d, 1 << 20, 'profile'), /it is a directory/);
    const big = path.join(d, 'big');
    fs.writeFileSync(big, Buffer.alloc(100));
    await assert.rejects(readRegularFile(big, 99, 'profile'), /it has 100 bytes, more than the limit of 99/);
    assert.equal((await readRegularFile(big, 100)).length, 100);
  });
});
