/** The differential check of lazy-entries.ts (unit and oracle tests): every symbol of a package, and near-misses, against `indexPackage`. */
import assert from 'node:assert/strict';
import { indexPackage, type IndexOptions, type SourceFile } from '../../../src/source/index';
import { lazyOutsideIndex } from '../../../src/source/lazy-entries';
import { rng } from '../../fuzzing';

/** Symbols near the package's own: each real one changed so that it names nothing (or something else). */
function absentLike(symbols: string[]): string[] {
  return symbols.flatMap((s) => [s + 'x', s.replace(/\.([^.]*)$/, '.X$1'), s + '.func99', s.replace(/\(\*/, '(')]);
}

/** Checks every symbol (and near-misses) of the package against the full index, in a shuffled order, on one lazy index; returns how many symbols. */
export function checkLazyEntries(files: SourceFile[], opts: IndexOptions, seed: number): number {
  const full = indexPackage(files, opts);
  const lazy = lazyOutsideIndex(files, opts);
  const own = [...full.bySymbol.keys()];
  const keys = [...own, ...absentLike(own)];
  const r = rng(seed);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
  }
  for (const k of keys) assert.deepEqual(lazy.bySymbol.get(k), full.bySymbol.get(k), `${opts.pkgPath}: ${k}`);
  // anything else is the full index
  assert.deepEqual(lazy.funcs, full.funcs);
  assert.deepEqual([...lazy.bySymbol.keys()], own);
  return own.length;
}
