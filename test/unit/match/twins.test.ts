/**
 * Twin tokens (src/match/twins.ts): after random line edits of the interp fixture, an entry of the new
 * index shares its token with the entry of the same symbol and kind in the previous index exactly when
 * it is that entry with its lines shifted (a reference built differently: both entries printed with
 * every line made relative to the entry's start, compared as JSON). And `isMovedCopy` of a shifted
 * copy is true, and false as soon as any single field other than the lines differs.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { isMovedCopy, pairIndexes, twinToken } from '../../../src/match/twins';
import { type FuncEntry, PackageIndexer } from '../../../src/source/index';
import { rng } from '../../fuzzing';
import { fixturesDir } from '../../paths';

const dir = path.join(fixturesDir, 'interp');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
  .sort();

/** The entry with every line relative to its own start (what a moved copy keeps). */
function relative(e: FuncEntry): string {
  return JSON.stringify({
    ...e,
    startLine: 0,
    endLine: e.endLine - e.startLine,
    physicalStartLine: 0,
    physicalEndLine: e.physicalEndLine - e.physicalStartLine,
    calls: e.calls.map((c) => ({ ...c, line: c.line - e.startLine, physicalLine: c.physicalLine - e.physicalStartLine })),
  });
}

test('entries share a twin token exactly when they only moved', () => {
  let twins = 0;
  let changed = 0;
  for (const seed of [1, 2, 3, 4]) {
    const rand = rng(seed);
    const pick = (n: number): number => Math.floor(rand() * n);
    const ix = new PackageIndexer({ pkgPath: 'example.com/interp' });
    const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    for (const [f, t] of texts) ix.setFile(f, t);
    let before = ix.index();
    for (let step = 0; step < 25; step++) {
      const file = files[pick(files.length)]!;
      const lines = texts.get(file)!.split('\n');
      const at = 1 + pick(lines.length - 1);
      const what = pick(4);
      if (what === 0)
        lines.splice(at, 0, ''); // a blank line
      else if (what === 1)
        lines.splice(at, 0, '\t// a comment'); // a comment line
      else if (what === 2 && lines[at]?.trim() === '')
        lines.splice(at, 1); // a blank line less
      else lines.splice(at, 0, ...['', '']); // two lines
      texts.set(file, lines.join('\n'));
      ix.setFile(file, texts.get(file)!);
      const now = ix.index();
      pairIndexes(before, now);
      const bySym = new Map<string, FuncEntry[]>();
      for (const e of before.funcs) bySym.set(`${e.kind}\x00${e.symbol}`, [...(bySym.get(`${e.kind}\x00${e.symbol}`) ?? []), e]);
      for (const e of now.funcs) {
        const olds = bySym.get(`${e.kind}\x00${e.symbol}`) ?? [];
        if (olds.length !== 1) continue;
        const old = olds[0]!;
        const moved = relative(old) === relative(e);
        assert.equal(twinToken(e) === twinToken(old), moved, `seed ${seed} step ${step}: ${e.symbol} (moved copy: ${moved})`);
        assert.equal(isMovedCopy(old, e), moved, `seed ${seed} step ${step}: isMovedCopy ${e.symbol}`);
        if (moved && old !== e) twins++;
        if (!moved) changed++;
      }
      before = now;
    }
  }
  assert.ok(twins > 100 && changed > 5, `moved copies ${twins}, changed entries ${changed}`);
});

test('a moved copy with any other field changed is not a twin', () => {
  const ix = new PackageIndexer({ pkgPath: 'example.com/interp' });
  for (const f of files) ix.setFile(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  const entries = ix.index().funcs.filter((e) => e.calls.length > 0);
  let tried = 0;
  for (const e of entries.slice(0, 40)) {
    const shift = (x: FuncEntry, d: number, p: number): FuncEntry => ({
      ...x,
      startLine: x.startLine + d,
      endLine: x.endLine + d,
      physicalStartLine: x.physicalStartLine + p,
      physicalEndLine: x.physicalEndLine + p,
      calls: x.calls.map((c) => ({ ...c, line: c.line + d, physicalLine: c.physicalLine + p })),
    });
    assert.ok(isMovedCopy(e, shift(e, 3, 3)), e.symbol);
    // the relative lines (after `//line` directives) and the physical ones may move by different amounts, each the same everywhere
    assert.ok(isMovedCopy(e, shift(e, 3, 4)), `${e.symbol}: relative and physical shifts differ`);
    const moved = shift(e, 5, 5);
    for (const k of Object.keys(e) as Array<keyof FuncEntry>) {
      const v = e[k];
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
      const bad = { ...moved, [k]: typeof v === 'string' ? `${v}x` : typeof v === 'number' ? v + 100 : !v };
      assert.ok(!isMovedCopy(e, bad), `${e.symbol}: field ${k}`);
      tried++;
    }
    const c0 = e.calls[0]!;
    for (const k of Object.keys(c0) as Array<keyof typeof c0>) {
      const v = c0[k];
      if (typeof v !== 'string' && typeof v !== 'number') continue;
      const calls = [{ ...moved.calls[0]!, [k]: typeof v === 'string' ? `${v}x` : v + 1 }, ...moved.calls.slice(1)];
      assert.ok(!isMovedCopy(e, { ...moved, calls }), `${e.symbol}: call field ${k}`);
      tried++;
    }
    assert.ok(!isMovedCopy(e, { ...moved, calls: moved.calls.slice(1) }), `${e.symbol}: a call less`);
    if (e.inline) assert.ok(!isMovedCopy(e, { ...moved, inline: { ...e.inline, nodes: e.inline.nodes + 1 } }), `${e.symbol}: inline cost`);
  }
  assert.ok(tried > 200, `fields tried ${tried}`);
});
