/**
 * The check before a refreshed profile replaces `default.pgo`: read it exactly as the compiler
 * will (src/pgo/load.ts, which accepts and rejects what Go's `internal/profile` and
 * `cmd/internal/pgo` do), and refuse what would make PGO silently do nothing.
 *
 * Errors (nothing should be written):
 * - anything the compiler rejects: corrupt gzip or protobuf, a profile that is not a CPU
 *   profile (no samples/count or cpu/nanoseconds sample type), no `Function.start_line`, …
 *   (`kind` and `advice` from src/profile/errors.ts);
 * - what the compiler accepts but ignores: an empty file, no samples, all edge weights zero
 *   (kind `empty`).
 * Warnings (written, but worth saying): a preprocessed `GO PREPROFILE V1` file (cannot be merged
 * or shown as heat later), no `duration_nanos`, very few samples.
 */
import { type Loaded, loadProfileData } from '../pgo/load';
import { DEFAULT_CDF_THRESHOLD, hotSet, type PgoProfile } from '../pgo/model';
import { isProfileError, type ProfileErrorKind } from '../profile/errors';

/** Facts about a profile, as the compiler will use it. */
export interface ProfileFacts {
  format: 'pprof' | 'preprofile';
  /** `type/unit` of the sample value the compiler uses (null for preprofile input). */
  sampleType: string | null;
  /** Number of pprof Sample records. */
  sampleRecords: number;
  /** CPU samples: the samples/count total when the profile has it, else the Sample records. */
  samples: number;
  /** 0 when unknown. */
  durationNanos: number;
  /** The compiler's TotalWeight (sum of edge weights). */
  totalWeight: number;
  edges: number;
  /** Hot call sites at the given CDF threshold (ByWeight prefix), and the printed threshold. */
  hotCallSites: number;
  thresholdPercent: number;
}

export type Validation =
  | { ok: true; facts: ProfileFacts; warnings: string[]; loaded: Loaded }
  | { ok: false; kind: ProfileErrorKind | 'empty' | 'other'; error: string; advice: string };

/** Fewer samples than this make the hot set mostly noise. */
export const FEW_SAMPLES = 100;

/** The facts of a loaded profile. */
export function profileFacts(loaded: Loaded, cdfThreshold = DEFAULT_CDF_THRESHOLD): ProfileFacts {
  const p = loaded.profile;
  const st = p.sampleType;
  const hs = p.totalWeight > 0 ? hotSet(p, cdfThreshold) : null;
  return {
    format: p.format,
    sampleType: st ? `${st.type}/${st.unit}` : null,
    sampleRecords: p.sampleCount,
    samples: samplesOf(p),
    durationNanos: p.durationNanos,
    totalWeight: p.totalWeight,
    edges: p.edges.length,
    hotCallSites: hs?.hotCount ?? 0,
    thresholdPercent: hs?.thresholdPercent ?? 0,
  };
}

/** CPU samples: the samples/count total when the profile has that value, else Sample records. */
export function samplesOf(p: Pick<PgoProfile, 'sampleType' | 'sampleCount' | 'sampleTotal'>): number {
  return p.sampleType && p.sampleType.type === 'samples' && p.sampleType.unit === 'count' ? p.sampleTotal : p.sampleCount;
}

/**
 * Reads `bytes` as the compiler would (gzip streamed: the raw protobuf is never held whole) and says
 * whether it is worth writing as a PGO profile. Never rejects.
 */
export async function validateForCompiler(bytes: Uint8Array, opts: { cdfThreshold?: number } = {}): Promise<Validation> {
  if (bytes.length === 0) {
    return {
      ok: false,
      kind: 'empty',
      error: 'the profile is an empty file; the compiler would build without PGO',
      advice: 'Collect the profile again; make sure the program or benchmark ran long enough to be sampled.',
    };
  }
  let loaded: Loaded;
  try {
    loaded = await loadProfileData(bytes, { heat: false });
  } catch (e) {
    if (isProfileError(e)) return { ok: false, kind: e.kind, error: e.message, advice: e.advice };
    return { ok: false, kind: 'other', error: (e as Error).message, advice: 'Collect the profile again.' };
  }
  const p = loaded.profile;
  if (p.totalWeight === 0) {
    return {
      ok: false,
      kind: 'empty',
      error: `the compiler would ignore this profile: ${p.emptyReason ?? 'it has no call edges'}`,
      advice:
        p.sampleCount === 0
          ? 'The program was not sampled: profile it for longer (a longer --seconds, or a larger -benchtime), while it is busy.'
          : 'Every sample has weight zero; collect a CPU profile (samples/count, cpu/nanoseconds) again.',
    };
  }
  const facts = profileFacts(loaded, opts.cdfThreshold);
  const warnings: string[] = [];
  if (p.format === 'preprofile') {
    warnings.push('this is a preprocessed profile (GO PREPROFILE V1): the compiler reads it, but it cannot be merged with others and has no line heat');
  } else {
    if (p.durationNanos <= 0) warnings.push('the profile records no duration (duration_nanos); merging it with others cannot be balanced by duration');
    if (facts.samples < FEW_SAMPLES) {
      warnings.push(`only ${facts.samples} samples: the hot call sites are mostly chance; profile longer for a stable profile`);
    }
  }
  return { ok: true, facts, warnings, loaded };
}
