/**
 * The typed protocol between the extension host (or CLI) and the worker thread that owns the
 * engine. Both sides share these types; messages carry plain data only.
 */
import type { ProfileErrorKind } from '../profile/errors';

export interface ProfileSummary {
  path: string;
  format: 'pprof' | 'preprofile';
  totalWeight: number;
  edgeCount: number;
  sampleType: string | null;
  sampleCount: number;
  durationNanos: number;
  thresholdPercent: number;
  hotCount: number;
  /** Why the compiler would ignore this profile (empty, zero weight), if it would. */
  emptyReason: string | null;
  loadMillis: number;
  fileBytes: number;
}

export interface HotCallSite {
  caller: string;
  offset: number;
  callee: string;
  weight: number;
}

/** Method name → [argument, result]. */
export interface Methods {
  /** Loads (or reloads) a profile; later queries name it by path. */
  loadProfile: [{ path: string; thresholdPercent: number }, ProfileSummary];
  /** Forgets a profile. */
  dropProfile: [{ path: string }, void];
  /** The hot call sites of a loaded profile, ByWeight order. */
  hotCallSites: [{ path: string; limit?: number }, HotCallSite[]];
  /** For tests: crash the worker thread. */
  crash: [{ exitCode: number }, void];
}

export type MethodName = keyof Methods;
export type Args<M extends MethodName> = Methods[M][0];
export type Result<M extends MethodName> = Methods[M][1];

export interface Request<M extends MethodName = MethodName> {
  id: number;
  method: M;
  args: Args<M>;
}

export interface WireError {
  /** A ProfileError kind, or 'internal' for bugs, or 'unknown-method'. */
  kind: ProfileErrorKind | 'internal' | 'unknown-method' | 'not-loaded';
  message: string;
  advice?: string;
}

export type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };
