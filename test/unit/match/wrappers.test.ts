/**
 * Promoted-method and pointer wrappers (wrappers.ts): profile symbols the compiler generates from
 * method sets match, produce no unmatched entry and lose nothing; a method no method set has is
 * still reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBuildContext } from '../../../src/source/build-tags';
import { indexPackage } from '../../../src/source/index';
import { typeSource } from '../../../src/source/method-sets';
import { describePackage } from '../../../src/source/packages';
import { parseDeclarations } from '../../../src/source/package-env';
import { EMPTY_HEAT } from '../../../src/pgo/heat-table';
import { hotSet, type NamedEdge, type PgoProfile } from '../../../src/pgo/model';
import { matchBinary } from '../../../src/match/match';
import { wrapperReason } from '../../../src/match/wrappers';

const SRC = `package main

type miniNode struct{ op int }

func (n *miniNode) Op() int { return n.op }

type Name struct {
	*miniNode
	sym string
}

type Lit struct{ v int }

func (l Lit) Value() int { return l.v }

type Node interface{ Op() int }

func main() {
	var n Node = &Name{miniNode: &miniNode{}}
	println(n.Op())
	var v interface{ Value() int } = &Lit{}
	println(v.Value())
}
`;

const types = typeSource((p) => (p === 'main' ? describePackage([parseDeclarations('a.go', SRC)], undefined, defaultBuildContext(), 'main') : undefined));

test('wrapperReason follows the method set', () => {
  assert.match(wrapperReason(types, 'main.(*Name).Op')!, /promoted-method wrapper of \(\*miniNode\)\.Op/);
  assert.match(wrapperReason(types, 'main.(*Lit).Value')!, /pointer-receiver wrapper of Lit\.Value/);
  // declared methods are no wrappers; methods outside the method set neither
  assert.equal(wrapperReason(types, 'main.(*miniNode).Op'), undefined);
  assert.equal(wrapperReason(types, 'main.Lit.Value'), undefined);
  assert.equal(wrapperReason(types, 'main.(*Name).Gone'), undefined);
  // Name embeds *miniNode, so even the value type Name has Op (and a wrapper for it)
  assert.match(wrapperReason(types, 'main.Name.Op')!, /promoted-method wrapper/);
  // no Op in Lit's method set
  assert.equal(wrapperReason(types, 'main.Lit.Op'), undefined);
});

test('wrappers in the profile match: no unmatched entry, nothing lost', () => {
  const es: NamedEdge[] = [
    { caller: 'main.main', offset: 2, callee: 'main.(*Name).Op', weight: 300 },
    { caller: 'main.(*Name).Op', offset: 0, callee: 'main.(*miniNode).Op', weight: 200 },
    { caller: 'main.main', offset: 4, callee: 'main.(*Lit).Value', weight: 100 },
    { caller: 'main.main', offset: 2, callee: 'main.(*Name).Gone', weight: 50 },
  ];
  const profile: PgoProfile = {
    totalWeight: 650,
    edges: es,
    format: 'pprof',
    sampleType: { type: 'samples', unit: 'count' },
    sampleTypes: [{ type: 'samples', unit: 'count' }],
    sampleCount: 700,
    sampleTotal: 700,
    durationNanos: 0,
    heat: EMPTY_HEAT,
  };
  const index = indexPackage([{ name: 'a.go', text: SRC }], { pkgPath: 'main' });
  const pkgs = [{ dir: '/m', importPath: 'example.com/m', symbolPath: 'main', index }];
  const base = { root: '/m', mainDir: '/m', profilePath: '/m/default.pgo', profile, hot: hotSet(profile, 100), packages: pkgs };
  const without = matchBinary(base);
  assert.deepEqual(without.unmatched.map((u) => u.symbol).sort(), ['main.(*Lit).Value', 'main.(*Name).Gone', 'main.(*Name).Op']);
  const m = matchBinary({ ...base, universe: { types, entry: () => undefined } });
  assert.deepEqual(
    m.unmatched.map((u) => [u.symbol, u.kind]),
    [['main.(*Name).Gone', 'removed']],
  );
  assert.equal(m.unmatched[0]!.weight, 50);
  assert.ok(Math.abs(m.matchedPercent - (100 - (50 / 700) * 100)) < 1e-9);
});
