/**
 * Alignments kept between matches (align.ts `AlignMemo`, issue #14): the kept alignment is used
 * only for the same entry object, the same edge objects and the same names now of their callees;
 * anything else re-aligns, and every answer equals `alignFunction`'s.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlignMemo, alignFunction } from '../../../src/match/align';
import type { NamedEdge } from '../../../src/pgo/model';
import { type FuncEntry, indexPackage } from '../../../src/source/index';

const SRC = 'package p\n\nfunc F() {\n\tg()\n\th()\n}\n\nfunc g() {}\n\nfunc h() {}\n\nfunc k() {}\n';

function entryF(text: string): FuncEntry {
  const e = indexPackage([{ name: 'a.go', text }], { pkgPath: 'p' }).bySymbol.get('p.F');
  assert.ok(e);
  return e;
}

/** F's profile edges: g at +1, h at +2 (the text above). */
const edgesOf = (): NamedEdge[] => [
  { caller: 'p.F', offset: 1, callee: 'p.g', weight: 10 },
  { caller: 'p.F', offset: 2, callee: 'p.h', weight: 5 },
];

describe('AlignMemo', () => {
  it('keeps an alignment for the same entry, edges and callee names, and equals alignFunction', () => {
    const memo = new AlignMemo();
    const entry = entryF(SRC.replace('\tg()\n', '\n\tg()\n')); // F's calls moved down by one line
    const edges = edgesOf();
    const id = (c: string): string => c;
    const a = memo.align(entry, edges, id);
    assert.deepEqual(a, alignFunction(entry, edges, undefined, id));
    assert.equal(a.moved.get(edges[0]!), 2, 'g moved from +1 to +2');
    assert.equal(memo.align(entry, [...edges], id), a, 'the same inputs: the kept alignment');
  });

  it('re-aligns when a callee has another name now', () => {
    const memo = new AlignMemo();
    const entry = entryF(SRC.replace('\th()\n', '\tk()\n'));
    const edges = edgesOf();
    const before = memo.align(entry, edges, (c) => c);
    assert.ok(before.unpaired.has(edges[1]!), 'h is not called any more');
    const renamed = (c: string): string => (c === 'p.h' ? 'p.k' : c);
    const after = memo.align(entry, edges, renamed);
    assert.notEqual(after, before);
    assert.deepEqual(after, alignFunction(entry, edges, undefined, renamed));
    assert.ok(!after.unpaired.has(edges[1]!), 'h renamed to k lands on the call to k');
  });

  it('re-aligns for other edge objects (its maps are keyed by the edges) and for another entry', () => {
    const memo = new AlignMemo();
    const entry = entryF(SRC);
    const first = edgesOf();
    const a = memo.align(entry, first, (c) => c);
    const second = edgesOf();
    const b = memo.align(entry, second, (c) => c);
    assert.notEqual(b, a);
    assert.deepEqual(
      b,
      alignFunction(entry, second, undefined, (c) => c),
    );
    const moved = entryF(SRC.replace('\th()\n', '\n\th()\n'));
    const c = memo.align(moved, second, (x) => x);
    assert.equal(c.moved.get(second[1]!), 3, 'the new entry: h moved from +2 to +3');
  });
});
