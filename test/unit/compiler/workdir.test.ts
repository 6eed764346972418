/**
 * The stable private directory of compiler confirmation (workdir.ts) and the per-package store
 * (store.ts): paths, permissions, locks, action IDs, pruning, parser versions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PackageResults } from '../../../src/compiler/cache';
import type { CompilerDecisions } from '../../../src/compiler/decisions';
import { actionIdOf, keptJson, PackageStore, PARSER_VERSION } from '../../../src/compiler/store';
import { confirmDir, defaultCacheRoot, ensurePrivateDir, UnsafeDirError, userCacheDir, withDirLock } from '../../../src/compiler/workdir';

const base = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-workdir-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));
const posix = process.platform !== 'win32';

const empty = (pkg: string): CompilerDecisions => ({
  calls: [],
  functions: [],
  hotBudgetFuncs: {},
  noDevirt: [],
  thresholds: [],
  packages: [pkg],
  ignoredLines: 0,
});

describe('workdir', () => {
  it('the user cache directory as Go computes it; PGO_LENS_CACHE_DIR wins', () => {
    assert.equal(userCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }, 'linux'), '/x/cache');
    assert.equal(userCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }, 'linux'), path.join('/home/u', '.cache'));
    assert.equal(userCacheDir({ HOME: '/Users/u' }, 'darwin'), path.join('/Users/u', 'Library', 'Caches'));
    assert.equal(userCacheDir({ LocalAppData: 'C:\\Users\\u\\AppData\\Local' }, 'win32'), 'C:\\Users\\u\\AppData\\Local');
    assert.equal(userCacheDir({}, 'linux'), undefined);
    assert.equal(defaultCacheRoot({ PGO_LENS_CACHE_DIR: '/abs/dir', HOME: '/home/u' }), '/abs/dir');
  });

  it('one stable directory per workspace, main package and variant', () => {
    const a = confirmDir('/c', '/ws', '/ws/cmd/a', 'pgo');
    assert.equal(a, confirmDir('/c', '/ws/', '/ws/cmd/a/', 'pgo'));
    assert.notEqual(a, confirmDir('/c', '/ws', '/ws/cmd/a', 'off'));
    assert.notEqual(a, confirmDir('/c', '/ws', '/ws/cmd/b', 'pgo'));
    assert.notEqual(a, confirmDir('/c', '/ws2', '/ws/cmd/a', 'pgo'));
    assert.ok(a.startsWith(path.join('/c', 'confirm') + path.sep));
  });

  it('creates the directory 0700, repairs a too open mode, refuses a symbolic link', { skip: posix ? undefined : 'POSIX modes' }, async () => {
    const top = path.join(base, 'top');
    const dir = path.join(top, 'confirm', 'k', 'pgo');
    await ensurePrivateDir(dir, top);
    for (const d of [top, path.join(top, 'confirm'), dir]) assert.equal(fs.statSync(d).mode & 0o777, 0o700, d);
    fs.chmodSync(dir, 0o777);
    await ensurePrivateDir(dir, top);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    const elsewhere = path.join(base, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, path.join(top, 'confirm', 'link'));
    await assert.rejects(
      ensurePrivateDir(path.join(top, 'confirm', 'link', 'pgo'), top),
      (e: Error) => e instanceof UnsafeDirError && /symbolic link/.test(e.message),
    );
    await assert.rejects(ensurePrivateDir(path.join(base, 'outside'), top), UnsafeDirError);
  });

  it('holders in this process take turns; a live other process keeps the lock; a dead one loses it', async () => {
    const dir = path.join(base, 'lock');
    fs.mkdirSync(dir);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const firstEntered = new Promise<void>((r) => (entered = r));
    const first = withDirLock(dir, async (locked) => {
      order.push(`first ${locked}`);
      entered();
      await gate;
      order.push('first done');
    });
    const second = withDirLock(dir, async (locked) => {
      order.push(`second ${locked}`);
    });
    await firstEntered; // the first holds the lock now, however loaded the machine is
    // give a second that did not wait its turn time to get in (only makes a broken lock more visible: the first holds on)
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(order, ['first true'], 'the second waits for the first');
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first true', 'first done', 'second true']);
    assert.ok(!fs.existsSync(path.join(dir, 'lock')), 'released');

    fs.writeFileSync(path.join(dir, 'lock'), String(process.ppid)); // a live process that is not us
    assert.equal(await withDirLock(dir, async (locked) => locked), false);
    fs.writeFileSync(path.join(dir, 'lock'), '2147483646'); // no such process
    assert.equal(await withDirLock(dir, async (locked) => locked), true);
  });
});

describe('package store', () => {
  it('action IDs from BuildIDs; only the JSON lines the parser reads are kept', () => {
    assert.equal(actionIdOf('3UkxGyoz_HRgWoRCdkgM/niUnFjXnFsiWcsoU1h-w'), '3UkxGyoz_HRgWoRCdkgM');
    assert.equal(actionIdOf(''), undefined);
    assert.equal(actionIdOf('../../etc/passwd'), undefined);
    const header = '{"version":0,"package":"main","file":"/w/main.go"}';
    const keep = '{"range":{"start":{"line":24,"character":30}},"code":"cannotInlineCall","message":"cost 120 of main.f exceeds max caller cost 80"}';
    const fact = '{"range":{"start":{"line":23,"character":6}},"code":"cannotInlineFunction","message":"function too complex: cost 90 exceeds budget 80"}';
    const cost = '{"range":{"start":{"line":30,"character":6}},"code":"canInlineFunction","message":"cost: 12"}';
    const drop = '{"range":{"start":{"line":25,"character":2}},"code":"escape","message":"make([]int, n) escapes to heap"}';
    assert.deepEqual(keptJson([{ name: 'main/main.json', text: `${header}\n${fact}\n${drop}\n${keep}\n${cost}\n` }]), [
      { name: 'main/main.json', text: `${header}\n${fact}\n${keep}\n${cost}\n` },
    ]);
  });

  it('answers by (package, action ID), ignores other parser versions, keeps the newest four per package', async () => {
    const store = new PackageStore(path.join(base, 'store'));
    const json = [{ name: 'p/a.json', text: '{"version":0}\n' }];
    await store.put({ pkg: 'example.com/p', actionId: 'AAAAAAAAAAAA', json, decisions: empty('example.com/p') });
    assert.deepEqual((await store.get('example.com/p', 'AAAAAAAAAAAA'))?.json, json);
    assert.equal(await store.get('example.com/q', 'AAAAAAAAAAAA'), undefined);
    assert.equal(await store.get('example.com/p', 'BBBBBBBBBBBB'), undefined);

    const file = fs.readdirSync(path.join(base, 'store')).map((d) => path.join(base, 'store', d, 'AAAAAAAAAAAA.json'))[0]!;
    const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(entry.v, PARSER_VERSION);
    fs.writeFileSync(file, JSON.stringify({ ...entry, v: PARSER_VERSION - 1 }));
    assert.equal(await store.get('example.com/p', 'AAAAAAAAAAAA'), undefined, "an older parser's entry is not used");

    for (const [i, id] of ['CCCCCCCCCCC1', 'CCCCCCCCCCC2', 'CCCCCCCCCCC3', 'CCCCCCCCCCC4', 'CCCCCCCCCCC5'].entries()) {
      await store.put({ pkg: 'example.com/r', actionId: id, json: [], decisions: empty('example.com/r') });
      const f = fs
        .readdirSync(path.join(base, 'store'))
        .map((d) => path.join(base, 'store', d, `${id}.json`))
        .find((x) => fs.existsSync(x))!;
      const t = new Date(Date.now() - (10 - i) * 60_000);
      fs.utimesSync(f, t, t);
    }
    await store.put({ pkg: 'example.com/r', actionId: 'CCCCCCCCCCC6', json: [], decisions: empty('example.com/r') });
    const kept = [];
    for (const id of ['CCCCCCCCCCC1', 'CCCCCCCCCCC2', 'CCCCCCCCCCC3', 'CCCCCCCCCCC4', 'CCCCCCCCCCC5', 'CCCCCCCCCCC6'])
      if (await store.get('example.com/r', id)) kept.push(id);
    assert.deepEqual(kept, ['CCCCCCCCCCC3', 'CCCCCCCCCCC4', 'CCCCCCCCCCC5', 'CCCCCCCCCCC6'], 'the newest four');
  });

  it('PackageResults: least recently used entries go first', () => {
    const r = new PackageResults<number>(2);
    r.set('a', '1', 1);
    r.set('b', '1', 2);
    assert.equal(r.get('a', '1'), 1); // a is now the newest
    r.set('c', '1', 3);
    assert.equal(r.get('b', '1'), undefined);
    assert.equal(r.get('a', '1'), 1);
    assert.equal(r.get('a', '2'), undefined, 'another action ID is another compile');
  });
});
