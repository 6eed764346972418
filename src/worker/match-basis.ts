/**
 * What a binary's match was computed from, so that an edit can keep the match only while every
 * input still stands (issue #14: an edit the index does not see must not re-match the binary).
 *
 * A match is kept only when the profile data, the git history state and the universe are the very
 * objects it was computed with, the packages it matched are the same package objects in the same
 * order, each with the index object it was matched with, except the edited package, whose new index
 * must be `sameForMatching` as the one recorded (not as the package's previous index: a package's
 * index can change without a re-match of every binary, e.g. while a prioritised open indexes more
 * packages, and comparing with the previous index would then keep a match of another index).
 */
import type { PackageIndex } from '../source/index';

/** The inputs of one match: opaque objects compared by identity, and the packages with the index each was matched with, in match order. */
export interface MatchBasis<P> {
  inputs: readonly unknown[];
  packages: ReadonlyArray<readonly [P, PackageIndex]>;
}

export function basisOf<P extends { index: PackageIndex }>(inputs: readonly unknown[], packages: readonly P[]): MatchBasis<P> {
  return { inputs: [...inputs], packages: packages.map((p) => [p, p.index] as const) };
}

/**
 * Whether a match computed from `basis` still describes `inputs` and `packages` (the packages it
 * would match now, in order) after `edited` was re-indexed. When it does, the basis that stands now
 * is returned (the edited package's new index recorded); otherwise null.
 */
export function basisStands<P extends { index: PackageIndex }>(
  basis: MatchBasis<P> | null,
  inputs: readonly unknown[],
  packages: readonly P[],
  edited: P,
): MatchBasis<P> | null {
  if (!basis || basis.inputs.length !== inputs.length || basis.packages.length !== packages.length) return null;
  for (let i = 0; i < inputs.length; i++) if (basis.inputs[i] !== inputs[i]) return null;
  for (let i = 0; i < packages.length; i++) {
    const was = basis.packages[i];
    const p = packages[i];
    if (!was || !p || was[0] !== p) return null;
    if (was[1] !== p.index && !(p === edited && sameForMatching(was[1], p.index))) return null;
  }
  return basisOf(inputs, packages);
}

/**
 * Whether two indexes of one package give the same match: the same entry objects in the same
 * order (the incremental indexer keeps an entry's object while its content is equal), the same
 * files, symbol prefix, package path and imports.
 */
export function sameForMatching(a: PackageIndex, b: PackageIndex): boolean {
  if (a === b) return true;
  if (a.symbolPrefix !== b.symbolPrefix || a.pkgPath !== b.pkgPath || a.pkgName !== b.pkgName) return false;
  if (!sameList(a.funcs, b.funcs) || !sameList(a.files, b.files)) return false;
  if ((a.imports === undefined) !== (b.imports === undefined)) return false;
  return sameList(a.imports ?? [], b.imports ?? []);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether a match computed from `basis` is what matching `inputs` and `packages` now would compute:
 * the same input objects, the same package objects in the same order, each with the very index
 * object it was matched with (a prioritised open's later stage that indexed only packages the
 * match does not cover keeps it).
 */
export function basisHolds<P extends { index: PackageIndex }>(basis: MatchBasis<P> | null, inputs: readonly unknown[], packages: readonly P[]): boolean {
  if (!basis || basis.inputs.length !== inputs.length || basis.packages.length !== packages.length) return false;
  for (let i = 0; i < inputs.length; i++) if (basis.inputs[i] !== inputs[i]) return false;
  for (let i = 0; i < packages.length; i++) {
    const was = basis.packages[i];
    const p = packages[i];
    if (!was || !p || was[0] !== p || was[1] !== p.index) return false;
  }
  return true;
}
