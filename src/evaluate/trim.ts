/**
 * `pgo-lens trim`: a smaller profile that gives the compiler exactly the same input. The pprof
 * tables are compacted (src/profile/trim.ts), gzipped, and read back the way the compiler reads
 * them: the serialized edges (`go tool preprofile` output) must be byte-identical to the
 * original's, and with `stacks` the per-type sample totals must be equal too, or nothing is
 * returned.
 */
import { loadProfileData, loadProfileFile } from '../pgo/load';
import { serializePreprofile } from '../pgo/preprofile';
import { encodePprofGzip } from '../profile/encode';
import { trimPprof, type TrimMode } from '../profile/trim';

export interface TrimFileResult {
  bytes: Buffer;
  inputBytes: number;
  /** bytes.length / inputBytes. */
  ratio: number;
  mode: TrimMode;
  locations: { before: number; after: number };
  functions: { before: number; after: number };
  /** Sample records written (folded pairs in `pgo` mode). */
  samples: { before: number; after: number };
}

export class TrimError extends Error {
  override readonly name = 'TrimError';
}

function sameTotals(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Trims the profile at `input`; throws a ProfileError for unreadable input and a TrimError when trimming cannot be exact. */
export async function trimProfileFile(input: string, mode: TrimMode): Promise<TrimFileResult> {
  const loaded = await loadProfileFile(input, { keepSamples: mode === 'stacks', heat: false });
  if (!loaded.pprof) {
    throw new TrimError(
      loaded.profile.format === 'preprofile'
        ? `${input} is already a preprocessed profile (GO PREPROFILE V1): it has nothing left to trim`
        : `${input} is empty: nothing to trim`,
    );
  }
  const p = loaded.pprof;
  const t = trimPprof(p, mode);
  const bytes = encodePprofGzip(t.profile);
  const back = await loadProfileData(bytes, { heat: false });
  if (!serializePreprofile(back.profile).equals(serializePreprofile(loaded.profile))) {
    throw new TrimError(`internal: the trimmed profile of ${input} would give the compiler different edges; nothing written`);
  }
  if (mode === 'stacks' && !sameTotals(back.pprof!.valueTotals, p.valueTotals)) {
    throw new TrimError(`internal: the trimmed profile of ${input} has different sample totals; nothing written`);
  }
  return {
    bytes,
    inputBytes: loaded.fileBytes,
    ratio: loaded.fileBytes > 0 ? bytes.length / loaded.fileBytes : 1,
    mode,
    locations: { before: p.locations.count, after: t.locations },
    functions: { before: p.functions.count, after: t.functions },
    samples: { before: p.sampleCount, after: t.samples },
  };
}

/** One line for the CLI and the editor: sizes and the ratio. */
export function describeTrim(r: TrimFileResult): string {
  const pct = (r.ratio * 100).toFixed(1);
  return (
    `${r.inputBytes} → ${r.bytes.length} bytes (${pct}% of the original; ${r.mode === 'stacks' ? 'whole stacks kept' : 'two leaf-most frames'}); ` +
    `${r.samples.before} → ${r.samples.after} samples, ${r.locations.before} → ${r.locations.after} locations, ${r.functions.before} → ${r.functions.after} functions`
  );
}
