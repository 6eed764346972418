/**
 * The file view keeps each declaration's share while its entry object, the profile tables, the
 * file's `//line` tokens and its profile names (and which are closure copies) stand
 * (match/file-view.ts, issue #14). Compared with a view of a fresh index (new entry objects, so
 * nothing kept) after every step of seeded random edits on the interp fixture, alternating two
 * hot sets (two ProfileData objects) and a closure-copy map that turns a hot name into a copy (new maps, or
 * the same two map objects kept across steps).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { fileHeat, type FileViewInput } from '../../../src/match/file-view';
import { profileData, type ProfileData } from '../../../src/match/profile-data';
import { hotSet } from '../../../src/pgo/model';
import { loadProfileFile } from '../../../src/pgo/load';
import { indexPackage, type PackageIndex, PackageIndexer } from '../../../src/source/index';
import { fixturesDir } from '../../paths';
import { randomEdit, rng } from './incremental-edits';

test('file view with kept declaration shares equals a fresh view after random edits, profile and copy changes', async () => {
  const dir = path.join(fixturesDir, 'interp');
  const pgo = path.join(dir, 'default.pgo');
  const { profile } = await loadProfileFile(pgo);
  const datas: ProfileData[] = [profileData(pgo, profile, hotSet(profile, 99)), profileData(pgo, profile, hotSet(profile, 60))];
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
  const texts = new Map(names.map((n) => [n, fs.readFileSync(path.join(dir, n), 'utf8')]));
  const ix = new PackageIndexer({ pkgPath: 'main' });
  for (const [n, t] of texts) ix.setFile(n, t);
  let index = ix.index();
  // a hot profile name of the package, made a "closure copy" in every other view
  const hotName = profile.edges.map((e) => e.caller).find((c) => c.startsWith('main.') && index.bySymbol.has(c));
  assert.ok(hotName, 'no caller of the package in the profile');
  // the worker keeps one copy map per package and profile: the same two maps in every step (a view may take a kept share by their identity);
  // the second makes the hot name a copy of another closure, so the hot name's own entry keeps its name list and only the map differs
  const other = [...index.bySymbol.keys()].find((s) => s !== hotName && s.startsWith('main.'));
  assert.ok(other);
  const copyMaps = [new Map<string, string>(), new Map([[hotName, other]])];
  const r = rng(42);
  let lines = 0;
  let differentByData = 0;
  let differentByCopies = 0;
  for (let step = 0; step < 40; step++) {
    const file = names[Math.floor(r() * names.length)] as string;
    const e = randomEdit(texts.get(file) ?? '', r);
    texts.set(file, e.text);
    ix.setFile(file, e.text);
    index = ix.index();
    const fresh = (): PackageIndex =>
      indexPackage(
        [...texts].map(([name, text]) => ({ name, text })),
        { pkgPath: 'main' },
      );
    for (const view of names) {
      const outs: unknown[] = [];
      // each view differs from the one before in one input only: the copies, the hot set, both back
      const views: [ProfileData | undefined, boolean][] = [
        [datas[step % 2], false],
        [datas[step % 2], true],
        [datas[(step + 1) % 2], true],
        [datas[step % 2], false],
      ];
      for (const [k, [data, copy]] of views.entries()) {
        if (!data) continue;
        // a new map half of the time (as the worker makes for a declarations-first index), else one of the kept two
        const copies = step % 4 < 2 ? new Map(copy ? [[hotName, hotName]] : []) : (copyMaps[copy ? 1 : 0] as Map<string, string>);
        const inp = (i: PackageIndex): FileViewInput => ({
          file: path.join(dir, view),
          index: i,
          root: dir,
          data,
          match: null,
          tokens: ix.getFile(view)?.ts.lineDirectives.length ? ix.getFile(view)?.ts : undefined,
          copies,
        });
        const got = fileHeat(inp(index));
        assert.deepEqual(got, fileHeat(inp(fresh())), `${view} after step ${step} (${e.kind} in ${file}), view ${k}`);
        lines += got.lines.length;
        outs.push(got);
      }
      if (JSON.stringify(outs[0]) !== JSON.stringify(outs[1])) differentByCopies++;
      if (JSON.stringify(outs[1]) !== JSON.stringify(outs[2])) differentByData++;
    }
  }
  assert.ok(lines > 100, `only ${lines} line details compared`);
  assert.ok(differentByData > 10, `the hot set change altered only ${differentByData} views`);
  assert.ok(differentByCopies > 10, `the copy change altered only ${differentByCopies} views`);
});
