/**
 * The `-overlay=FILE` of GOFLAGS, as the go command reads it: a JSON object whose `Replace` maps a
 * source path (absolute, or relative to the go command's directory) to the file the build reads
 * instead (an empty string: the file does not exist for the build). A confirmation hashes and
 * looks at what the compiler reads, so an edit through an overlay changes the package's hash and
 * the kept build plan's fingerprint just like an edit on disk.
 *
 * No `vscode` import. Reads the overlay file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class OverlayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverlayError';
  }
}

export interface Overlay {
  /** The overlay file (absolute) and its text (part of the kept plan's fingerprint). */
  file: string;
  text: string;
  /** Absolute source path → absolute replacement ('' : deleted for the build). */
  replace: Map<string, string>;
}

/** The `-overlay` / `--overlay` value in GOFLAGS (the last one wins, as for any flag), or undefined. */
export function overlayFlag(goflags: string | undefined): string | undefined {
  let found: string | undefined;
  for (const f of (goflags ?? '').split(/\s+/)) {
    const m = /^--?overlay=(.*)$/.exec(f);
    if (m) found = m[1];
  }
  return found;
}

/** The overlay named by env's GOFLAGS (relative paths resolved from `cwd`), or undefined when there is none. */
export async function readOverlay(env: NodeJS.ProcessEnv, cwd: string): Promise<Overlay | undefined> {
  const flag = overlayFlag(env['GOFLAGS']);
  if (flag === undefined || flag === '') return undefined;
  const file = path.resolve(cwd, flag);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    throw new OverlayError(`cannot read the -overlay file ${file} named in GOFLAGS: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new OverlayError(`the -overlay file ${file} is not JSON: ${(e as Error).message}`);
  }
  const rep = (parsed as { Replace?: unknown } | null)?.Replace;
  const replace = new Map<string, string>();
  if (rep !== undefined && rep !== null) {
    if (typeof rep !== 'object' || Array.isArray(rep)) throw new OverlayError(`the -overlay file ${file}: Replace is not an object`);
    for (const [from, to] of Object.entries(rep as Record<string, unknown>)) {
      if (typeof to !== 'string') throw new OverlayError(`the -overlay file ${file}: Replace[${JSON.stringify(from)}] is not a string`);
      replace.set(path.resolve(cwd, from), to === '' ? '' : path.resolve(cwd, to));
    }
  }
  return { file, text, replace };
}

/** The file the build reads for `file` (absolute): its replacement, '' when the overlay deletes it, else itself. */
export function effectiveFile(overlay: Overlay | undefined, file: string): string {
  return overlay?.replace.get(file) ?? file;
}
