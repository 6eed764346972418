/**
 * Failure text for the user: one line, no stack trace, no temporary path. Plain TypeScript (no
 * `vscode` import) so the rules are unit-tested; `failures.ts` shows the line and logs the rest.
 */

export interface FailureLike {
  message?: unknown;
  /** A worker wire error's advice (`WorkerCallError.wire.advice`). */
  wire?: { kind?: string; message?: string; advice?: string };
  /** A wire error itself (e.g. a binary's load error). */
  advice?: unknown;
}

/** Paths under a temporary directory (`os.tmpdir()`, `/tmp`, VS Code's test dirs) shown by name only. */
export function hideTemporaryPaths(text: string, tmpDirs: readonly string[]): string {
  let out = text;
  for (const dir of new Set(tmpDirs.filter((d) => d.length > 1).map((d) => d.replace(/[\\/]+$/, '')))) {
    const esc = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // The whole path under the temporary directory becomes its last component.
    out = out.replace(new RegExp(`${esc}[\\\\/][^\\s'"\`:;,)]*`, 'g'), (p) => p.split(/[\\/]/).pop() || p);
  }
  return out;
}

/** The one line of an error the user reads: its message's first line, without `Error:` prefixes or stack frames. */
export function failureLine(e: unknown, tmpDirs: readonly string[] = []): string {
  const f = (e ?? {}) as FailureLike;
  const raw = typeof e === 'string' ? e : typeof f.message === 'string' ? f.message : String(e);
  const first = raw.split(/\r?\n/).find((l) => l.trim() !== '' && !/^\s+at\s/.test(l)) ?? '';
  let line = first.trim().replace(/^(?:[A-Z][A-Za-z]*Error|Error):\s*/, '');
  const advice = f.wire?.advice ?? (typeof f.advice === 'string' ? f.advice : undefined);
  if (advice && !line.includes(advice)) line = `${line} ${advice.split(/\r?\n/)[0]!.trim()}`;
  line = hideTemporaryPaths(line, tmpDirs);
  return line === '' ? 'unknown error (see the log)' : line;
}

/** Whether a failure is a cancellation the user asked for (reported as information, not as an error). */
export function isCancellation(e: unknown): boolean {
  return (e as FailureLike)?.wire?.kind === 'cancelled';
}
