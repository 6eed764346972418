// The Go PGO view's lists: filter, order and page, with the total that matched (no silent cap).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { queryRows } from '../../../src/worker/details-query';
import { WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';

const rows = [
  { name: 'main.b', file: '/w/z.go', flat: 5, cum: 9 },
  { name: 'main.a', file: '/w/y.go', flat: 5, cum: 20 },
  { name: 'runtime.mallocgc', file: null, flat: 7, cum: 7 },
  { name: 'main.c', text: 'main.(*T).Run', file: '/w/a.go', flat: 1, cum: 30 },
];

describe('view list queries', () => {
  it('pages with the total, keeping the given order when none is asked', () => {
    const r = queryRows(rows, { limit: 2 });
    assert.deepEqual(
      r.rows.map((x) => x.name),
      ['main.b', 'main.a'],
    );
    assert.equal(r.total, 4);
  });
  it('sorts by flat as go tool pprof -top (flat, then name), by cum, name and file', () => {
    assert.deepEqual(
      queryRows(rows, { sort: 'flat' }).rows.map((x) => x.name),
      ['runtime.mallocgc', 'main.a', 'main.b', 'main.c'],
    );
    assert.deepEqual(
      queryRows(rows, { sort: 'cum' }).rows.map((x) => x.name),
      ['main.c', 'main.a', 'main.b', 'runtime.mallocgc'],
    );
    assert.deepEqual(
      queryRows(rows, { sort: 'name' }).rows.map((x) => x.name),
      ['main.a', 'main.b', 'main.c', 'runtime.mallocgc'],
    );
    assert.deepEqual(
      queryRows(rows, { sort: 'file' }).rows.map((x) => x.name),
      ['main.c', 'main.a', 'main.b', 'runtime.mallocgc'],
    );
  });
  it('filters by symbol, callee or file, case-insensitively, and counts what matched', () => {
    assert.deepEqual(queryRows(rows, { filter: 'MAIN.' }).total, 3);
    assert.deepEqual(
      queryRows(rows, { filter: '(*t).run' }).rows.map((x) => x.name),
      ['main.c'],
    );
    assert.deepEqual(
      queryRows(rows, { filter: 'y.go' }).rows.map((x) => x.name),
      ['main.a'],
    );
    assert.deepEqual(queryRows(rows, { filter: 'nothing' }), { rows: [], total: 0 });
  });
});

describe('binaryDetails without a silent cap', () => {
  let tmp: string;
  let dir: string;
  const model = new WorkspaceModel();
  before(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-details-')));
    dir = path.join(tmp, 'interp');
    fs.cpSync(path.join(fixturesDir, 'interp'), dir, { recursive: true });
    await model.open({ folders: [dir], thresholdPercent: 99 });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('returns the first page and the totals; a larger page continues the same list', () => {
    const all = model.binaryDetails(dir, { limit: 100_000 });
    const page = model.binaryDetails(dir, { limit: 3 });
    assert.ok(all.totals && page.totals);
    assert.equal(all.totals.hottestFunctions, all.hottestFunctions.length);
    assert.ok(all.hottestFunctions.length > 3 && all.hotCallSites.length > 3, 'the fixture has more than one page');
    assert.deepEqual(page.totals, all.totals);
    assert.deepEqual(page.hottestFunctions, all.hottestFunctions.slice(0, 3));
    assert.deepEqual(page.hotCallSites, all.hotCallSites.slice(0, 3));
    // The old number-only call still pages the same way.
    assert.deepEqual(model.binaryDetails(dir, 3).hottestFunctions, page.hottestFunctions);
  });
  it('filters every list and counts what matched', () => {
    const all = model.binaryDetails(dir, { limit: 100_000 });
    const f = model.binaryDetails(dir, { limit: 100_000, filter: 'eval' });
    assert.deepEqual(
      f.hottestFunctions.map((x) => x.symbol),
      all.hottestFunctions.map((x) => x.symbol).filter((s) => /eval/i.test(s)),
    );
    assert.equal(f.totals!.hotCallSites, all.hotCallSites.filter((s) => /eval/i.test(`${s.caller} ${s.callee} ${s.file}`)).length);
    assert.ok(f.totals!.hotCallSites > 0);
  });
});
