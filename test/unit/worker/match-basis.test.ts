/**
 * The safe skip of issue #14 (src/worker/match-basis.ts): a binary's match is kept after an edit
 * only while everything it was computed from stands. The old skip compared the edited package's
 * new index with its previous one; the case it got wrong is a match computed from another index
 * than the package's previous one, which these tests build directly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PackageIndex, PackageIndexer } from '../../../src/source/index';
import { basisOf, basisStands, sameForMatching } from '../../../src/worker/match-basis';

const A = 'package a\n\nfunc F() int {\n\treturn g()\n}\n\nfunc g() int { return 1 }\n';

interface P {
  name: string;
  index: PackageIndex;
}

function indexer(text: string): PackageIndexer {
  const ix = new PackageIndexer({ pkgPath: 'example.com/a' });
  ix.setFile('a.go', text);
  return ix;
}

describe('match basis', () => {
  it('an edit the index does not see keeps the entry objects: same for matching', () => {
    const ix = indexer(A);
    const i1 = ix.index();
    ix.setFile('a.go', A.replace('return g()', 'return g() // typed'));
    const i2 = ix.index();
    assert.notEqual(i1, i2);
    assert.ok(sameForMatching(i1, i2));
    // a new line moves g: its entry changes
    ix.setFile('a.go', A.replace('\nfunc g', '\n\nfunc g'));
    assert.ok(!sameForMatching(i2, ix.index()));
  });

  it('imports and files count, not only the entries', () => {
    const ix = indexer(A);
    const i1 = ix.index();
    ix.setFile('b.go', 'package a\n');
    const i2 = ix.index();
    assert.deepEqual(i2.files, ['a.go', 'b.go']);
    assert.ok(!sameForMatching(i1, i2), 'a new file');
    ix.setFile('b.go', 'package a\n\nimport _ "os"\n');
    assert.ok(!sameForMatching(i2, ix.index()), 'a new import');
  });

  it('stands while every input and every other package is the object it was matched with', () => {
    const ia = indexer(A);
    const ib = indexer(A.replace('package a', 'package b'));
    const a: P = { name: 'a', index: ia.index() };
    const b: P = { name: 'b', index: ib.index() };
    const data = {};
    const universe = {};
    const basis = basisOf([data, null, universe], [a, b]);
    ia.setFile('a.go', A.replace('return 1', 'return 1 /* typed */'));
    a.index = ia.index();
    const kept = basisStands(basis, [data, null, universe], [a, b], a);
    assert.ok(kept, 'an invisible edit keeps the match');
    // the kept basis records the new index: a second invisible edit compares with it
    assert.equal(kept.packages[0]?.[1], a.index);

    // any other input that changed: re-match
    assert.equal(basisStands(basis, [{}, null, universe], [a, b], a), null, 'another profile');
    assert.equal(basisStands(basis, [data, 'no git', universe], [a, b], a), null, 'another history state');
    assert.equal(basisStands(basis, [data, null, {}], [a, b], a), null, 'another universe');
    assert.equal(basisStands(basis, [data, null, universe], [b, a], a), null, 'another package order');
    assert.equal(basisStands(basis, [data, null, universe], [a], a), null, 'a package less');
    assert.equal(basisStands(basis, [data, null, universe], [a, b, { name: 'c', index: a.index }], a), null, 'a package more');
    assert.equal(basisStands(basis, [data, null, universe], [a, { ...b }], a), null, 'another package object for b');
    assert.equal(basisStands(null, [data, null, universe], [a, b], a), null, 'never matched');
  });

  it('a package re-indexed after the match was computed is not kept, though its last edit changed nothing (the unsafe skip kept it)', () => {
    const ia = indexer(A);
    const a: P = { name: 'a', index: ia.index() };
    const data = {};
    const basis = basisOf([data], [a]);
    // The package changes (a renamed function) without the binary being re-matched: what a
    // prioritised open does between indexing a package and re-matching the binaries.
    ia.setFile('a.go', A.replace(/\bg\(/g, 'h('));
    a.index = ia.index();
    // then an edit the index does not see
    const previous = a.index;
    ia.setFile('a.go', A.replace(/\bg\(/g, 'h(').replace('return 1', 'return 1 /* typed */'));
    a.index = ia.index();
    assert.ok(sameForMatching(previous, a.index), 'the old skip compared with the previous index and kept the match');
    assert.equal(basisStands(basis, [data], [a], a), null, 'the match was computed from another index: re-match');
  });

  it('an edit of another package leaves a binary that does not match it as it was only if the matched ones are unchanged', () => {
    const ia = indexer(A);
    const ib = indexer(A.replace('package a', 'package b'));
    const a: P = { name: 'a', index: ia.index() };
    const b: P = { name: 'b', index: ib.index() };
    const basis = basisOf([], [a]);
    ib.setFile('a.go', A.replace('package a', 'package b').replace('return 1', 'return 2'));
    b.index = ib.index();
    assert.ok(basisStands(basis, [], [a], b), 'b is not matched by this binary');
    ia.setFile('a.go', A.replace('return 1', 'return 2'));
    a.index = ia.index();
    assert.equal(basisStands(basis, [], [a], b), null, 'a changed since the match, though b is the edited one');
  });
});
