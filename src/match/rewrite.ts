/**
 * Profile rewrites after a refactor: rename function symbols and re-align the line numbers of
 * functions whose call sites moved, keeping everything else of the pprof profile (full samples,
 * labels, mappings, addresses, header). The result is what the profile would have been had it
 * been collected from the refactored source, as far as the compiler's PGO model can tell.
 */
import { loadProfileBytes } from '../pgo/load';
import type { PgoProfile } from '../pgo/model';
import { encodePprofGzip } from '../profile/encode';
import type { PprofProfile } from '../profile/pprof';
import { genericKey } from '../source/index';
import { type LineShift, mapOffset } from './align';
import type { BinaryMatch } from './match';

export interface RewritePlan {
  /** Old symbol → new symbol. A generic key (`F[...]`) renames every instantiation, keeping shapes. */
  renames: Map<string, string>;
  /** Profile function name (after renames are irrelevant: the old name) → its line map. */
  realign: Map<string, LineShift[]>;
}

export interface RewriteStats {
  renamedFunctions: number;
  realignedLines: number;
}

/** The new name for a profile symbol, or undefined. */
export function renamedSymbol(sym: string, renames: Map<string, string>): string | undefined {
  const direct = renames.get(sym);
  if (direct !== undefined) return direct;
  const b = sym.indexOf('[');
  if (b < 0) return undefined;
  const to = renames.get(genericKey(sym));
  if (to === undefined) return undefined;
  // keep the profile's shape arguments: `F[go.shape.int]` → `G[go.shape.int]`
  const tb = to.indexOf('[');
  const tail = sym.slice(sym.lastIndexOf(']') + 1);
  if (tb < 0 || to.slice(to.lastIndexOf(']') + 1) !== tail) return to;
  return to.slice(0, tb) + sym.slice(b);
}

/** Rewrites the decoded tables in place (decode with `keepSamples: true` to keep full stacks). */
export function rewritePprof(p: PprofProfile, plan: RewritePlan): RewriteStats {
  const F = p.functions;
  const L = p.locations;
  const strIdx = new Map<string, number>();
  p.strings.forEach((s, i) => {
    if (!strIdx.has(s)) strIdx.set(s, i);
  });
  const intern = (s: string): number => {
    let i = strIdx.get(s);
    if (i === undefined) {
      i = p.strings.length;
      p.strings.push(s);
      strIdx.set(s, i);
    }
    return i;
  };
  const stats: RewriteStats = { renamedFunctions: 0, realignedLines: 0 };
  // realign first, by the old names
  const maps = new Map<number, LineShift[]>();
  for (let f = 0; f < F.count; f++) {
    const m = plan.realign.get(p.strings[F.name[f]!] ?? '');
    if (m && m.length) maps.set(f, m);
  }
  if (maps.size) {
    for (let i = 0; i < L.lineFunc.length; i++) {
      const f = L.lineFunc[i]!;
      const m = f >= 0 ? maps.get(f) : undefined;
      if (!m) continue;
      const start = F.startLine[f]!;
      const line = L.lineLine[i]!;
      if (line <= 0 || start <= 0) continue;
      const next = start + mapOffset(m, line - start);
      if (next !== line && next > 0) {
        L.lineLine[i] = next;
        stats.realignedLines++;
      }
    }
  }
  for (let f = 0; f < F.count; f++) {
    const old = p.strings[F.name[f]!] ?? '';
    const to = renamedSymbol(old, plan.renames);
    if (to === undefined || to === old) continue;
    const sys = p.strings[F.systemName[f]!] ?? '';
    const idx = intern(to);
    F.name[f] = idx;
    if (sys === old) F.systemName[f] = idx;
    else if (sys) {
      const st = renamedSymbol(sys, plan.renames);
      if (st !== undefined) F.systemName[f] = intern(st);
    }
    stats.renamedFunctions++;
  }
  return stats;
}

/** The plan `--realign` applies: every suggestion of the report's unmatched entries. */
export function planFromMatch(m: Pick<BinaryMatch, 'unmatched'>): RewritePlan {
  const plan: RewritePlan = { renames: new Map(), realign: new Map() };
  for (const u of m.unmatched) {
    if ((u.kind === 'renamed' || u.kind === 'moved') && u.suggestion) plan.renames.set(u.symbol, u.suggestion);
    // drifted functions, and renamed or moved ones edited inside too (re-aligned by their old name first)
    if ((u.kind === 'offset-drift' || ((u.kind === 'renamed' || u.kind === 'moved') && u.suggestion)) && u.lineMap) plan.realign.set(u.symbol, u.lineMap);
  }
  return plan;
}

/**
 * Encodes and validates: the output must load, keep the total weight, and carry each renamed
 * symbol (and none of the old ones) in its edges.
 */
export function encodeValidated(p: PprofProfile, before: PgoProfile, plan: RewritePlan): { bytes: Buffer; profile: PgoProfile } {
  const bytes = encodePprofGzip(p);
  const { profile } = loadProfileBytes(bytes, { heat: false });
  if (profile.totalWeight !== before.totalWeight) {
    throw new Error(`internal: the rewritten profile's total weight ${profile.totalWeight} differs from the input's ${before.totalWeight}`);
  }
  const names = new Set(profile.edges.flatMap((e) => [e.caller, e.callee]));
  for (const old of plan.renames.keys()) {
    if (names.has(old) && !plan.renames.has(plan.renames.get(old)!)) throw new Error(`internal: ${old} is still in the rewritten profile`);
  }
  return { bytes, profile };
}
