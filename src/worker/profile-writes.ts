/**
 * The profile writes behind *Rewrite Profile* and *Undo Profile Rewrite*: atomic, keeping a
 * `.bak`, never restoring something the compiler would reject. The workspace model checks trust
 * and finds the binary; these only read and write the profile file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProfileData } from '../pgo/load';
import type { Unmatched } from '../match/match';
import { encodeValidated, planFromMatch, rewritePprof } from '../match/rewrite';
import { readRegularFile } from '../platform/safe-read';
import { describeNonRegular, writeFileSafe } from '../platform/safe-write';
import { MAX_PROFILE_FILE_BYTES } from '../profile/inflate';
import { UserError } from './errors';
import type { RewriteResult } from './protocol';

/** Rewrites the profile for these unmatched entries (renames, re-aligned offsets), keeping a `.bak`. */
export async function rewriteProfileFile(profilePath: string, unmatched: readonly Unmatched[]): Promise<RewriteResult> {
  const plan = planFromMatch({ unmatched: [...unmatched] });
  if (plan.renames.size === 0 && plan.realign.size === 0)
    throw new UserError('nothing to rewrite: no renamed, moved or drifted profile function with a suggestion');
  const bytes = await readRegularFile(profilePath, MAX_PROFILE_FILE_BYTES, 'profile');
  const { profile: before, pprof } = await loadProfileData(bytes, { keepSamples: true });
  if (!pprof) throw new Error(`${profilePath} is not a pprof profile; only pprof profiles can be rewritten`);
  const stats = rewritePprof(pprof, plan);
  const { bytes: out } = encodeValidated(pprof, before, plan);
  await writeFileSafe(profilePath, out, { backup: true });
  return { profile: profilePath, backup: `${profilePath}.bak`, renamed: stats.renamedFunctions, realigned: stats.realignedLines };
}

/** Puts the profile's `.bak` back (a regular file only, and only one the compiler accepts) and removes it. */
export async function restoreProfileBackup(profilePath: string): Promise<{ profile: string }> {
  const bak = `${profilePath}.bak`;
  // A `.bak` link is never followed: only a regular file the product wrote is restored.
  const bst = fs.lstatSync(bak, { throwIfNoEntry: false });
  if (!bst) throw new UserError(`nothing to undo: ${path.basename(profilePath)} has no backup (${path.basename(bak)})`);
  if (!bst.isFile()) throw new UserError(`${bak} is not a regular file (it is ${describeNonRegular(bst)}); it is not restored`);
  const old = await readRegularFile(bak, MAX_PROFILE_FILE_BYTES, 'backup');
  await loadProfileData(old); // never restore something the compiler would reject
  await writeFileSafe(profilePath, old);
  await fs.promises.rm(bak, { force: true });
  return { profile: profilePath };
}
