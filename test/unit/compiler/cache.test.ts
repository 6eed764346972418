/** DecisionCache: entries depend on the source hashes of the packages their build compiled. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedPackages, DecisionCache, type DecisionCacheKey } from '../../../src/compiler/cache';

const key = (mainPackage: string, over: Partial<DecisionCacheKey> = {}): DecisionCacheKey => ({
  goVersion: 'go1.26.8',
  profileHash: 'p1',
  mainPackage,
  variant: 'pgo',
  modHash: 'm',
  ...over,
});
// two binaries sharing the library package `lib`
const digestDeps = { 'ex/cmd/digest': 'd1', 'ex/lib': 'l1', 'ex/checksum': 'c1' };
const wordDeps = { 'ex/cmd/wordfreq': 'w1', 'ex/lib': 'l1' };

function filled(): DecisionCache<string> {
  const c = new DecisionCache<string>();
  c.set(key('ex/cmd/digest'), digestDeps, 'digest');
  c.set(key('ex/cmd/wordfreq'), wordDeps, 'wordfreq');
  return c;
}

describe('DecisionCache', () => {
  it('hits while every dependency hash is unchanged', () => {
    const c = filled();
    assert.deepEqual(c.get(key('ex/cmd/digest'), digestDeps), { hit: true, value: 'digest' });
    assert.deepEqual(c.get(key('ex/cmd/wordfreq'), { ...wordDeps }), { hit: true, value: 'wordfreq' });
  });
  it('an edit to one package invalidates only the entries that compiled it', () => {
    const c = filled();
    assert.deepEqual(c.get(key('ex/cmd/digest'), { ...digestDeps, 'ex/checksum': 'c2' }), { hit: false, why: 'stale', changed: ['ex/checksum'] });
    assert.equal(c.get(key('ex/cmd/wordfreq'), wordDeps).hit, true, 'wordfreq does not depend on checksum');
    assert.equal(c.size, 1, 'the stale entry was dropped');
  });
  it('invalidatePackage drops exactly the dependents', () => {
    let c = filled();
    assert.equal(c.invalidatePackage('ex/checksum'), 1);
    assert.equal(c.get(key('ex/cmd/wordfreq'), wordDeps).hit, true);
    assert.equal(c.get(key('ex/cmd/digest'), digestDeps).hit, false);
    c = filled();
    assert.equal(c.invalidatePackage('ex/lib'), 2);
    assert.equal(c.size, 0);
    c = filled();
    assert.equal(c.invalidatePackage('ex/unrelated'), 0);
    assert.equal(c.size, 2);
  });
  it('invalidateChanged judges only the packages it is told about', () => {
    const c = filled();
    assert.equal(c.invalidateChanged({ 'ex/cmd/wordfreq': 'w2' }), 1);
    assert.equal(c.get(key('ex/cmd/digest'), digestDeps).hit, true);
    assert.equal(c.invalidateChanged({ 'ex/lib': 'l1' }), 0);
  });
  it('a package added to or removed from the build, another profile, Go version or variant is a miss', () => {
    const c = filled();
    assert.deepEqual(c.get(key('ex/cmd/wordfreq'), { ...wordDeps, 'ex/new': 'n' }), { hit: false, why: 'stale', changed: ['ex/new'] });
    const c2 = filled();
    assert.equal(c2.get(key('ex/cmd/digest', { profileHash: 'p2' }), digestDeps).hit, false);
    assert.equal(c2.get(key('ex/cmd/digest', { goVersion: 'go1.27' }), digestDeps).hit, false);
    assert.equal(c2.get(key('ex/cmd/digest', { variant: 'off' }), digestDeps).hit, false);
    assert.equal(c2.get(key('ex/cmd/digest', { modHash: 'x' }), digestDeps).hit, false);
    const { 'ex/checksum': _drop, ...fewer } = digestDeps;
    assert.deepEqual(c2.get(key('ex/cmd/digest'), fewer), { hit: false, why: 'stale', changed: ['ex/checksum'] });
  });
  it('evicts the least recently used entry beyond its size; round-trips through plain data', () => {
    const c = new DecisionCache<number>(2);
    c.set(key('a'), {}, 1);
    c.set(key('b'), {}, 2);
    assert.equal(c.get(key('a'), {}).hit, true); // a is now newest
    c.set(key('c'), {}, 3);
    assert.equal(c.get(key('b'), {}).hit, false);
    const back = DecisionCache.fromJSON<number>(JSON.parse(JSON.stringify(c.toJSON())));
    assert.deepEqual(back.get(key('c'), {}), { hit: true, value: 3 });
    assert.deepEqual(changedPackages({ a: '1', b: '2' }, { b: '3', c: '4' }), ['a', 'b', 'c']);
  });
});
