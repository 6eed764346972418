/**
 * The shapes the rename-guess cache compares (refactor-cache.ts): a declaration that only moved
 * keeps its shape, an edit inside it or a changed call does not, and the field-by-field comparison
 * agrees with comparing the shape strings.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sameShape, shapeOf } from '../../../src/match/refactor-cache';
import { indexPackage } from '../../../src/source/index';

const source = (above: string, body: string): string => `package lib
${above}
func A(x int) int {
	${body}
	return helper(x) + 1
}

func B(x int) int {
	defer helper(x)
	return helper(x) * 2
}

func helper(x int) int { return x * 3 }
`;
const funcs = (text: string) => indexPackage([{ name: 'a.go', text }], { pkgPath: 'example.com/m/lib' }).funcs;

test('a declaration that only moved keeps its shape; edits inside it change it', () => {
  const base = funcs(source('', 'x++'));
  const variants: { what: string; funcs: ReturnType<typeof funcs>; changed: string[] }[] = [
    { what: 'blank lines above', funcs: funcs(source('\n\n\n', 'x++')), changed: [] },
    { what: 'a comment line inside A', funcs: funcs(source('', 'x++\n\t//')), changed: ['A'] },
    { what: 'another call in A', funcs: funcs(source('', 'x = helper(x)')), changed: ['A'] },
  ];
  for (const v of variants) {
    for (const e of v.funcs) {
      const old = base.find((b) => b.symbol === e.symbol);
      assert.ok(old, e.symbol);
      const same = !v.changed.includes(e.name);
      assert.equal(shapeOf(old) === shapeOf(e), same, `${v.what}: ${e.name} (strings)`);
      assert.equal(sameShape(old, e), same, `${v.what}: ${e.name} (fields)`);
    }
    if (v.what === 'blank lines above')
      assert.ok(
        v.funcs.every((e, i) => e.startLine === (base[i]?.startLine ?? 0) + 3),
        'the declarations moved',
      );
  }
});
