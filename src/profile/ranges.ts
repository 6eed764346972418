/**
 * Numbers the product cannot represent exactly. Lines, start lines and ids are int64 in pprof;
 * here they are doubles, exact up to ±2^53. No real program comes near that (a larger value means a
 * corrupt or crafted profile), but computing with it would give wrong offsets or an untyped
 * RangeError deep in an encoder: it is a typed `range` error instead, naming what and where.
 */
import { ProfileError } from './errors';
import type { PprofProfile } from './pprof';

/** `v` for a message: exact when safe, otherwise the side of ±2^53 it lies beyond. */
export function describeNumber(v: number): string {
  if (Number.isSafeInteger(v)) return String(v);
  if (Number.isNaN(v)) return 'not a number';
  return v > 0 ? 'beyond 2^53' : 'beyond -2^53';
}

function check(v: number, what: () => string): void {
  if (!Number.isSafeInteger(v)) throw new ProfileError('range', `${what()} is ${describeNumber(v)}, which cannot be represented exactly`);
}

/** Throws a `range` ProfileError for the first id, line or start line beyond ±2^53 (`where`: the input's name). */
export function assertExactNumbers(p: PprofProfile, where?: string): void {
  const at = (s: string): string => (where ? `${where}: ${s}` : s);
  const F = p.functions;
  const L = p.locations;
  for (let f = 0; f < F.count; f++) {
    const name = (): string => p.strings[F.name[f]!] ?? '?';
    check(F.id[f]!, () => at(`the ID of function ${name()}`));
    check(F.startLine[f]!, () => at(`the start line of function ${name()}`));
  }
  for (let l = 0; l < L.count; l++) {
    check(L.id[l]!, () => at(`a location ID`));
    for (let i = L.lineStart[l]!; i < L.lineStart[l + 1]!; i++) {
      const f = L.lineFunc[i]!;
      check(L.lineLine[i]!, () => at(`a line number of location ${L.id[l]}${f >= 0 ? ` (function ${p.strings[F.name[f]!] ?? '?'})` : ''}`));
    }
  }
}
