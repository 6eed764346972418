/**
 * The process-wide cache of outside packages (src/source/index-cache.ts), on a fake GOROOT in a
 * temporary directory: a second resolver or universe takes the same description or index; a
 * changed file of the package or of a package it imports rebuilds it in the next epoch (and not
 * within one, as a model reads outside packages as of its open); the size bound evicts the least
 * recently used; workspace folders and imports that do not come from the cache keep an entry out.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultBuildContext } from '../../../src/source/build-tags';
import { beginOutsideEpoch, OutsideIndexCache, processOutsideCache, setProcessOutsideCache } from '../../../src/source/index-cache';
import { createSourceResolver, type GoEnvInfo } from '../../../src/source/packages';
import { createUniverse } from '../../../src/source/universe';

const FILES: Record<string, string> = {
  'dep/dep.go': 'package dep\n\nconst M = 41\n',
  'lib/lib.go': 'package lib\n\nimport "dep"\n\nconst N = dep.M + 1\n\nfunc F() int { return N }\n',
  'other/other.go': 'package other\n\nfunc G() int {\n\treturn 1\n}\n',
  'solo/solo.go': 'package solo\n\nconst S = 7\n',
  'imp/imp.go': 'package imp\n\nimport "nowhere.example/x"\n\nconst K = x.A\n',
};

describe('outside-package cache', () => {
  let tmp: string;
  let ge: GoEnvInfo;
  let ws: string;
  const write = (rel: string, text: string, mtime?: Date): void => {
    const p = path.join(ge.goroot!, 'src', rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    if (mtime) fs.utimesSync(p, mtime, mtime);
  };
  const describeIn = (cache: OutsideIndexCache | null | undefined, p: string) => createSourceResolver({ fromDir: ws, goEnv: ge, outside: cache })(p);
  const intOf = (v: unknown): bigint | undefined => (v && typeof v === 'object' && 'v' in v && typeof v.v === 'bigint' ? v.v : undefined);

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-outside-')));
    ge = { goroot: path.join(tmp, 'goroot'), gomodcache: path.join(tmp, 'modcache') };
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(ws, { recursive: true });
    fs.writeFileSync(path.join(ws, 'main.go'), 'package main\n\nfunc main() {}\n');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const reset = (): void => {
    fs.rmSync(path.join(tmp, 'goroot'), { recursive: true, force: true });
    for (const [rel, text] of Object.entries(FILES)) write(rel, text);
  };

  it('only GOROOT/src and the module cache are cacheable', () => {
    reset();
    const cache = new OutsideIndexCache();
    assert.equal(cache.cacheable(path.join(ge.goroot!, 'src', 'lib'), ge), true);
    assert.equal(cache.cacheable(path.join(ge.gomodcache!, 'example.com', 'm@v1.0.0'), ge), true);
    assert.equal(cache.cacheable(ws, ge), false);
    assert.equal(cache.cacheable(path.join(ge.goroot!, 'pkg'), ge), false);
  });

  it('a second resolver takes the same description; a changed dependency rebuilds it in the next epoch', () => {
    reset();
    const cache = new OutsideIndexCache();
    const d1 = describeIn(cache, 'lib');
    assert.equal(intOf(d1?.constValue?.('N')), 42n); // resolves dep: recorded as lib's dependency
    assert.equal(describeIn(cache, 'lib'), d1);
    assert.equal(describeIn(null, 'lib') === d1, false, 'without the cache every resolver describes anew');
    write('dep/dep.go', 'package dep\n\nconst M = 1\n');
    assert.equal(describeIn(cache, 'lib'), d1, 'within an epoch the stamps taken stand');
    cache.revalidate();
    const d2 = describeIn(cache, 'lib');
    assert.notEqual(d2, d1);
    assert.equal(intOf(d2?.constValue?.('N')), 2n);
    assert.ok(cache.stats().stale >= 1);
  });

  it('a file changed in place (same size, another mtime) rebuilds the entry', () => {
    reset();
    const cache = new OutsideIndexCache();
    write('lib/lib.go', FILES['lib/lib.go']!, new Date(2020, 0, 1));
    const d1 = describeIn(cache, 'lib');
    assert.equal(intOf(d1?.constValue?.('N')), 42n);
    write('lib/lib.go', FILES['lib/lib.go']!.replace('dep.M + 1', 'dep.M + 2'), new Date(2021, 0, 1));
    cache.revalidate();
    const d2 = describeIn(cache, 'lib');
    assert.notEqual(d2, d1);
    assert.equal(intOf(d2?.constValue?.('N')), 43n);
  });

  it('universes share the index of an outside package until its files change', () => {
    reset();
    const cache = new OutsideIndexCache();
    const universe = () => createUniverse({ mainDir: ws, goEnv: ge, ctx: defaultBuildContext(), outside: cache });
    const e1 = universe().entry('other.G');
    assert.equal(e1?.startLine, 3);
    assert.equal(universe().entry('other.G'), e1);
    write('other/other.go', '// a comment line\n' + FILES['other/other.go']!);
    cache.revalidate();
    const e2 = universe().entry('other.G');
    assert.notEqual(e2, e1);
    assert.equal(e2?.startLine, 4);
    const plain = createUniverse({ mainDir: ws, goEnv: ge, ctx: defaultBuildContext(), outside: null }).entry('other.G');
    assert.deepEqual(plain, e2, 'the cached index equals one made without the cache');
  });

  it('evicts the least recently used beyond its bound', () => {
    reset();
    const cache = new OutsideIndexCache({ maxEntries: 2 });
    const dep = describeIn(cache, 'dep');
    const other = describeIn(cache, 'other');
    assert.equal(describeIn(cache, 'dep'), dep); // dep is now the most recent
    describeIn(cache, 'solo');
    assert.equal(cache.stats().entries, 2);
    assert.equal(cache.stats().evicted, 1);
    assert.equal(describeIn(cache, 'dep'), dep);
    assert.notEqual(describeIn(cache, 'other'), other);
    const small = new OutsideIndexCache({ maxChars: FILES['dep/dep.go']!.length + FILES['solo/solo.go']!.length });
    describeIn(small, 'dep');
    describeIn(small, 'solo');
    describeIn(small, 'other');
    assert.ok(small.stats().chars <= small.maxChars, `${small.stats().chars} characters kept, bound ${small.maxChars}`);
  });

  it('an import that does not come from the cache keeps the importer out of it', () => {
    reset();
    const cache = new OutsideIndexCache();
    const d1 = describeIn(cache, 'imp');
    assert.equal(describeIn(cache, 'imp'), d1);
    assert.equal(d1?.constValue?.('K'), undefined); // resolves nowhere.example/x: no directory
    assert.equal(cache.stats().dropped, 1);
    assert.notEqual(describeIn(cache, 'imp'), d1);
  });

  it('an open takes its folders out of every cache and starts a new epoch of the process-wide one', () => {
    reset();
    const cache = new OutsideIndexCache();
    const saved = setProcessOutsideCache(cache);
    try {
      const lib = describeIn(undefined, 'lib'); // the process-wide cache
      lib?.constValue?.('N');
      const solo = describeIn(undefined, 'solo');
      assert.equal(describeIn(undefined, 'solo'), solo);
      write('dep/dep.go', 'package dep\n\nconst M = 5\n');
      beginOutsideEpoch([path.join(ge.goroot!, 'src', 'solo')]);
      assert.equal(processOutsideCache(), cache);
      assert.equal(cache.cacheable(path.join(ge.goroot!, 'src', 'solo'), ge), false);
      assert.notEqual(describeIn(undefined, 'solo'), describeIn(undefined, 'solo'), 'a workspace folder is never cached');
      assert.equal(intOf(describeIn(undefined, 'lib')?.constValue?.('N')), 6n, 'the new epoch saw the changed dependency');
    } finally {
      setProcessOutsideCache(saved);
    }
  });

  it('drops entries under a workspace folder and the entries that depend on them', () => {
    reset();
    const cache = new OutsideIndexCache();
    const lib = describeIn(cache, 'lib');
    lib?.constValue?.('N');
    const other = describeIn(cache, 'other');
    cache.dropUnder([path.join(ge.goroot!, 'src', 'dep')]);
    assert.notEqual(describeIn(cache, 'lib'), lib);
    assert.equal(describeIn(cache, 'other'), other);
  });
});
