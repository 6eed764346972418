/** Errors the user caused or can fix (not bugs): they cross the thread boundary with their message and advice. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly advice?: string,
    readonly kind: 'failed' | 'cancelled' = 'failed',
  ) {
    super(message);
  }
}

/** Names of the core's error classes whose message is meant for the user. */
const USER_ERRORS = new Set([
  'UserError',
  'BenchmarkError',
  'BuildError',
  'AbortedError',
  'UsageError',
  'UnsafeDirError',
  'TrimError',
  'EvaluateError',
  'ExplorerError',
  'PatternError',
  'NormalizeError',
  'SafeWriteError',
  'InputFileError',
]);

/** The wire kind and advice of a user-facing error, or null for anything else (a bug). */
export function userError(e: unknown): { kind: 'failed' | 'cancelled'; message: string; advice?: string } | null {
  const err = e as { name?: string; message?: string; kind?: string; advice?: string };
  if (!err || typeof err !== 'object' || !USER_ERRORS.has(err.name ?? '')) return null;
  const cancelled = err.name === 'AbortedError' || err.kind === 'cancelled';
  return { kind: cancelled ? 'cancelled' : 'failed', message: err.message ?? String(e), ...(typeof err.advice === 'string' ? { advice: err.advice } : {}) };
}
