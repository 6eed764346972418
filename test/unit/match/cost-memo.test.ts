/**
 * Inliner cost estimates kept between matches (cost-memo.ts): after edits, the estimates of a
 * model that took what it could from the memo equal those of a fresh model, for every function,
 * in several query orders (recursion cycles make the order matter, so their estimates are never
 * kept).
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { CostMemo } from '../../../src/match/cost-memo';
import { costModel, type CostEstimate } from '../../../src/match/inlinable';
import { type FuncEntry, genericKey, type PackageIndex, PackageIndexer } from '../../../src/source/index';

const SRC = `package p

func leaf(x int) int { return x + 1 }

func mid(x int) int { return leaf(x) + leaf(x+1) }

func top(x int) int { return mid(x) * 2 }

func other(x int) int { return x * 3 }

func a(n int) int {
	if n == 0 {
		return leaf(n)
	}
	return b(n - 1)
}

func b(n int) int { return a(n) + 1 }

func user(n int) int { return a(n) }
`;
const HOT = {};
const SYMS = ['p.leaf', 'p.mid', 'p.top', 'p.other', 'p.a', 'p.b', 'p.user', 'p.missing'];

function estimates(ix: PackageIndex, order: string[], kept?: CostMemo): Map<string, CostEstimate | undefined> {
  const decls = new Map(ix.funcs.map((e) => [genericKey(e.symbol), { entry: e }]));
  kept?.sync({ hot: HOT, universe: undefined, prefixes: 'p' }, new Map([['p', ix]]), decls, (x) => x.funcs.map((e) => genericKey(e.symbol)));
  const cost = costModel((s) => decls.get(genericKey(s))?.entry as FuncEntry | undefined, undefined, kept);
  return new Map(order.map((s) => [s, cost(s)]));
}

const sorted = (m: Map<string, CostEstimate | undefined>) => [...m].sort((x, y) => (x[0] < y[0] ? -1 : 1));

test('kept estimates equal fresh ones after edits, in any query order; cycles are not kept', () => {
  const ix = new PackageIndexer({ pkgPath: 'p' });
  ix.setFile('a.go', SRC);
  const kept = new CostMemo();
  const orders = [SYMS, [...SYMS].reverse(), ['p.b', 'p.top', 'p.a', 'p.user', 'p.leaf', 'p.mid', 'p.other', 'p.missing']];
  const edits = [
    SRC,
    SRC.replace('return x + 1', 'return x*x + x/2 + 1'), // leaf grows: mid and top change with it
    SRC.replace('return x * 3', 'return x * 3 /* typed */'), // nothing the estimate sees
    SRC.replace('func top', '\n\nfunc top'), // top and everything after it move
    SRC + '\nfunc missing() int { return other(1) }\n', // a new function
  ];
  let first: Map<string, CostEstimate | undefined> | undefined;
  let changed = false;
  for (const [i, text] of edits.entries())
    for (const order of orders) {
      ix.setFile('a.go', text);
      const now = ix.index();
      const fresh = estimates(now, order);
      assert.deepEqual(sorted(estimates(now, order, kept)), sorted(fresh), `edit ${i}, order ${order.join(' ')}`);
      first ??= fresh;
      if (first.get('p.top')?.cost !== fresh.get('p.top')?.cost) changed = true;
      assert.ok(kept.size > 0);
      assert.equal(kept.get('p.a'), undefined, `edit ${i}, order ${order.join(' ')}`);
      assert.equal(kept.get('p.b'), undefined);
      assert.equal(kept.get('p.user'), undefined); // it used a's estimate
      assert.ok(kept.get('p.top'));
    }
  assert.ok(changed, 'the edit of leaf changed the estimate of top');
});
