/**
 * A binary's declarations by key kept between matches (decl-table.ts): after seeded random edits
 * of packages (functions added, removed and renamed, lines inserted, variable initialisers, a
 * name moved into another package, generic declarations), the tables updated per package equal
 * tables built fresh, entry for entry; the changed keys carry what each key had before; and the
 * in-place updates (by position, by names) and the rebuild are all taken.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeclTable, type DeclRef } from '../../../src/match/decl-table';
import { type FuncEntry, genericKey, type PackageIndex, PackageIndexer } from '../../../src/source/index';
import { rng } from '../../fuzzing';

interface Pkg {
  name: string;
  index: PackageIndex;
}

const keysOf = (ix: PackageIndex): readonly string[] => ix.funcs.map((e) => genericKey(e.symbol));
const refsOf = (pkg: Pkg): readonly DeclRef<Pkg>[] => pkg.index.funcs.map((entry) => ({ pkg, entry }));

/** The tables as matchBinary built them before (every package, every entry, in order). */
function fresh(pkgs: readonly Pkg[]): { byKey: Map<string, [string, FuncEntry]>; bySymbol: Map<string, FuncEntry> } {
  const byKey = new Map<string, [string, FuncEntry]>();
  const bySymbol = new Map<string, FuncEntry>();
  for (const p of pkgs)
    for (const e of p.index.funcs) {
      const k = genericKey(e.symbol);
      if (e.kind !== 'varinit' || !byKey.has(e.symbol)) byKey.set(k, [p.name, e]);
      bySymbol.set(k, e);
    }
  return { byKey, bySymbol };
}

/** Package `name`'s source: functions f0..f{n-1} (some shared across packages through a linkname), a generic, a variable initialiser. */
function source(name: string, fns: string[], blank: number): string {
  const body = fns.map((f) =>
    f.startsWith('link:') ? `//go:linkname ${f.slice(5)} shared.${f.slice(5)}\nfunc ${f.slice(5)}() int { return 3 }\n` : `func ${f}() int { return 1 }\n`,
  );
  return `package ${name}\n${'\n'.repeat(blank)}import _ "unsafe"\n\nvar v = g()\n\nfunc g() int { return 2 }\n\nfunc gen[T any](x T) T { return x }\n\n${body.join('\n')}`;
}

test('per-package updates equal fresh tables after random edits', () => {
  let updated = 0;
  let rebuilt = 0;
  let positional = 0;
  for (const seed of [1, 2, 3, 4]) {
    const rand = rng(seed);
    const names = ['a', 'b', 'c'];
    const fns = new Map(names.map((n) => [n, ['f0', 'f1', 'f2']]));
    const indexers = new Map(names.map((n) => [n, new PackageIndexer({ pkgPath: `x/${n}` })]));
    const pkgs: Pkg[] = names.map((name) => {
      indexers.get(name)!.setFile('a.go', source(name, fns.get(name)!, 0));
      return { name, index: indexers.get(name)!.index() };
    });
    const table = new DeclTable<Pkg>(keysOf, refsOf);
    table.sync(pkgs);
    let prev = fresh(pkgs);
    for (let step = 0; step < 40; step++) {
      const p = pkgs[Math.floor(rand() * pkgs.length)]!;
      const list = fns.get(p.name)!;
      const op = Math.floor(rand() * 5);
      if (op === 0) list.push(`f${Math.floor(rand() * 9)}`);
      else if (op === 1 && list.length) list.splice(Math.floor(rand() * list.length), 1);
      else if (op === 2 && list.length) list[Math.floor(rand() * list.length)] = `h${Math.floor(rand() * 9)}`;
      else if (op === 3) list.push(`link:s${Math.floor(rand() * 3)}`); // a name another package may have too
      // op 4: only blank lines before the declarations change (every entry moves, none is renamed)
      const ix = indexers.get(p.name)!;
      ix.setFile('a.go', source(p.name, [...new Set(list)], op === 4 ? Math.floor(rand() * 3) : 0));
      p.index = ix.index();
      table.sync(pkgs);
      const want = fresh(pkgs);
      assert.deepEqual(
        [...table.byKey].map(([k, r]) => [k, r.pkg.name, r.entry]).sort(),
        [...want.byKey].map(([k, [n, e]]) => [k, n, e]).sort(),
        `seed ${seed} step ${step}`,
      );
      assert.deepEqual([...table.bySymbol].sort(), [...want.bySymbol].sort());
      for (const [k, r] of table.byKey) assert.equal(r.entry, want.byKey.get(k)![1], `byKey ${k} is the very entry`);
      const changed = table.changedKeys();
      if (changed) {
        // every key whose entry differs now is listed, with the entry it had
        for (const k of new Set([...prev.byKey.keys(), ...want.byKey.keys()]))
          if (prev.byKey.get(k)?.[1] !== want.byKey.get(k)?.[1]) {
            assert.ok(changed.has(k), `changed key ${k} listed`);
            assert.equal(changed.get(k), prev.byKey.get(k)?.[1]);
          }
      }
      prev = want;
    }
    updated += table.counts.updated;
    rebuilt += table.counts.rebuilt;
    positional += table.counts.positional;
  }
  // every path ran: most edits update one package in place (by position when only lines moved); shared linknames force rebuilds
  assert.ok(updated > 50, `updated ${updated}`);
  assert.ok(positional > 10, `positional ${positional}`);
  assert.ok(rebuilt > 5, `rebuilt ${rebuilt}`);
});

test('a package list that changes rebuilds, and a rebuild gives new maps', () => {
  const ix = (name: string, text: string): PackageIndex => {
    const x = new PackageIndexer({ pkgPath: `x/${name}` });
    x.setFile('a.go', text);
    return x.index();
  };
  const a: Pkg = { name: 'a', index: ix('a', 'package a\nfunc F() {}\n') };
  const b: Pkg = { name: 'b', index: ix('b', 'package b\nfunc G() {}\n') };
  const table = new DeclTable<Pkg>(keysOf, refsOf);
  table.sync([a]);
  const first = table.byKey;
  table.sync([a, b]);
  assert.notEqual(table.byKey, first);
  assert.equal(table.changedKeys(), null);
  assert.deepEqual([...table.byKey.keys()].sort(), ['x/a.F', 'x/b.G']);
  a.index = ix('a', 'package a\n\nfunc F() {}\n');
  const before = table.byKey;
  table.sync([a, b]);
  assert.equal(table.byKey, before, 'updated in place');
  assert.deepEqual([...table.changedKeys()!.keys()], ['x/a.F']);
  assert.equal(table.byKey.get('x/a.F')!.entry, a.index.funcs[0]);
});
