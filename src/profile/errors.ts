/**
 * Typed profile errors. One table drives every kind: its short title, and the advice shown to
 * the user. Messages say what is wrong (with the compiler's own words where it has them) and
 * what to do about it.
 */

export const PROFILE_ERROR_KINDS = {
  io: { title: 'cannot read profile', advice: 'Check that the file exists and is readable.' },
  gzip: {
    title: 'corrupt gzip data',
    advice: 'The file is not a complete gzip stream; it was probably truncated while copying. Collect or copy the profile again.',
  },
  protobuf: {
    title: 'corrupt pprof protobuf',
    advice: 'The file is not a valid pprof profile. Collect it again with runtime/pprof, net/http/pprof or `go test -cpuprofile`.',
  },
  malformed: {
    title: 'malformed pprof profile',
    advice: 'The profile is internally inconsistent; the Go compiler would reject it too. Regenerate it, or merge with `go tool pprof -proto`.',
  },
  'sample-type': {
    title: 'not a CPU profile',
    advice: 'PGO needs a CPU profile (sample type samples/count or cpu/nanoseconds). Heap, block, mutex and goroutine profiles cannot be used.',
  },
  'start-line': {
    title: 'profile has no Function.start_line',
    advice:
      'The profiled program was built with Go older than 1.20, or a tool re-symbolized the profile and dropped start lines (merge with `go tool pprof -proto -symbolize=none`). Collect a new profile with Go 1.20 or later.',
  },
  preprofile: {
    title: 'malformed preprocessed profile',
    advice: 'The GO PREPROFILE V1 file is damaged. Regenerate it with `go tool preprofile -i default.pgo`.',
  },
  limit: {
    title: 'profile too large',
    advice: 'The profile exceeds a safety limit; it is probably corrupt. If it is genuine, trim it to the two leaf-most frames (all PGO reads) first.',
  },
  range: {
    title: 'number out of range',
    advice: 'A line number or ID in the profile lies beyond ±2^53, far beyond any real program: the profile is corrupt or was crafted. Collect it again.',
  },
  precision: {
    title: 'profile weights too large',
    advice: 'A weight exceeds 2^53 and cannot be represented exactly. Use a samples/count profile.',
  },
} as const;

export type ProfileErrorKind = keyof typeof PROFILE_ERROR_KINDS;

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(
    readonly kind: ProfileErrorKind,
    /** The specific problem, e.g. `sample 12 refers to location 99, which does not exist`. */
    readonly detail: string,
  ) {
    super(`${PROFILE_ERROR_KINDS[kind].title}: ${detail}`);
  }
  /** What the user can do. */
  get advice(): string {
    return PROFILE_ERROR_KINDS[this.kind].advice;
  }
}

export function isProfileError(e: unknown): e is ProfileError {
  return e instanceof ProfileError;
}

/** The compiler's verbatim texts, where users will search for them. */
export const COMPILER_MESSAGES = {
  sampleType: 'profile does not contain a sample index with value/type "samples/count" or cpu/nanoseconds"',
  startLine: 'profile missing Function.start_line data (Go version of profiled application too old? Go 1.20+ automatically adds this to profiles)',
} as const;
