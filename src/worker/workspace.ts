/**
 * The worker's model of the open workspace: every Go package under the workspace folders (each
 * with its incremental `PackageIndexer`), the binaries (main packages with a profile), their
 * loaded profiles and the match of each profile against the source. Editor edits re-index one
 * package and re-match only the binaries built from it.
 *
 * Everything returned is plain data (no Maps, no class instances): it crosses the thread
 * boundary by structured clone. The per-file view and the binary lists are built by pure code in
 * `src/match/` (file-view.ts, binary-lists.ts) from what this model holds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileSafe } from '../platform/safe-write';
import { readRegularFile } from '../platform/safe-read';
import { MAX_PROFILE_FILE_BYTES } from '../profile/inflate';
import { changesReport, diffProfiles } from '../refresh/changes';
import { type MergeInput, type MergeOptions, mergeProfiles } from '../refresh/merge';
import { validateForCompiler } from '../refresh/validate';
import { emptyProfile, hotSet } from '../pgo/model';
import { UserError } from './errors';
import { restoreProfileBackup, rewriteProfileFile } from './profile-writes';
import { ConfirmState } from './confirm';
import { compareWithCompiler, predictionsFromMatch } from '../compiler/agreement';
import type { PgoChange } from '../compiler/changes';
import type { Confirmed } from '../compiler/confirm';
import { cmp } from '../match/file-view';
import type { ConfirmSummary, MainPackageInfo, RefreshInput, RefreshResult, RewriteResult } from './protocol';
import { WorkspaceExplorer } from './workspace-explorer';
import { UnknownBinaryError } from './workspace-data';

export { type OpenOptions, UnknownBinaryError } from './workspace-data';

/** Layer 6 (the class engine.ts calls): trust, confirmations, profile rewrites and refreshes; the layers below: see src/worker/README.md. */
export class WorkspaceModel extends WorkspaceExplorer {
  /** Refuses anything that writes, runs or builds in an untrusted workspace (the worker's own check, not only the UI's). */
  assertTrusted(what: string): void {
    if (!this.trusted)
      throw new UserError(
        `${what}: not done in an untrusted workspace (nothing is written, run or built there)`,
        'Trust the workspace (Workspaces: Manage Workspace Trust) to allow it.',
      );
  }

  /** Takes over another model's unsaved editor text (before `open`). */
  adoptOverlays(other: WorkspaceModel): void {
    for (const [f, t] of other.overlays) this.overlays.set(f, t);
  }

  /** Takes over another model's compiler confirmations (after `open`) whose profile did not change since. */
  adoptConfirmations(other: WorkspaceModel): void {
    for (const o of other.binaries) {
      const b = this.binaries.find((x) => x.id === o.id && x.profilePath === o.profilePath);
      if (!b || !o.confirm) continue;
      const mtime = fs.statSync(b.profilePath, { throwIfNoEntry: false })?.mtimeMs ?? Infinity;
      if (mtime <= o.confirm.at) b.confirm = o.confirm;
    }
  }

  /** The build a `confirm` job makes for a binary: its folder, main package and profile. */
  confirmTarget(mainDir: string): { root: string; mainDir: string; pgo: string } {
    // The host only asks in a trusted workspace; the worker refuses as well (the build runs code
    // paths chosen by the workspace: go.mod, cgo, toolchain lines).
    if (!this.trusted) throw new UserError('the compiler is not run in an untrusted workspace: predictions only');
    const b = this.binaries.find((x) => x.mainDir === path.resolve(mainDir));
    if (!b) throw new UnknownBinaryError(`${mainDir} is not a main package with a profile in the workspace`);
    if (!b.data) throw new UserError(`${b.profilePath} cannot be used, so there is nothing to confirm`);
    return { root: b.folder, mainDir: b.mainDir, pgo: b.profilePath };
  }

  /** Stores a confirming build and judges the binary's current predictions against it (`changesPending`: the -pgo=off build is still running). */
  setConfirmation(mainDir: string, confirmed: Confirmed, changes: PgoChange[] | null, millis: number, changesPending = false): ConfirmSummary {
    const b = this.binaries.find((x) => x.mainDir === path.resolve(mainDir));
    if (!b || !b.match) throw new UnknownBinaryError(`${mainDir} is no longer a matched binary of the workspace`);
    const agreement = compareWithCompiler(predictionsFromMatch(b.folder, b.match), confirmed.decisions);
    // The raw build output can be hundreds of MB (cmd/compile): keep only the parsed decisions.
    b.confirm = new ConfirmState({ ...confirmed, output: '' }, agreement, changes, millis, changesPending);
    for (const f of this.overlays.keys()) b.confirm.stale.add(f); // the build saw the saved files
    return b.confirm.summary();
  }

  /** Rewrites a binary's profile after a refactor (renames, re-aligned offsets), atomically, keeping a `.bak`. */
  async rewrite(id: string, symbols?: string[]): Promise<RewriteResult> {
    const b = this.binaries.find((x) => x.id === id);
    if (!b || !b.match) throw new UnknownBinaryError(`no matched binary ${id}`);
    this.assertTrusted(`rewriting ${b.profilePath}`);
    return rewriteProfileFile(b.profilePath, symbols ? b.match.unmatched.filter((u) => symbols.includes(u.symbol)) : b.match.unmatched);
  }

  /** Main packages of the workspace folders: where a refresh can write a profile. */
  mainPackages(): MainPackageInfo[] {
    const out: MainPackageInfo[] = [];
    for (const pkg of [...this.packages.values()].sort((a, b) => cmp(a.dir, b.dir))) {
      if (pkg.symbolPath !== 'main' || pkg.folder === null) continue;
      const b = this.binaries.find((x) => x.mainDir === pkg.dir);
      const profile = b?.profilePath ?? this.override ?? path.join(pkg.dir, 'default.pgo');
      out.push({ dir: pkg.dir, importPath: pkg.importPath, profile, hasProfile: !!b?.data || fs.existsSync(profile) });
    }
    return out;
  }

  /** See `applyRefresh` in protocol.ts. */
  async applyRefresh(mainDir: string, inputs: RefreshInput[], opts: MergeOptions): Promise<RefreshResult> {
    const main = this.packages.get(path.resolve(mainDir));
    if (!main || main.symbolPath !== 'main' || main.folder === null) throw new UnknownBinaryError(`${mainDir} is not a main package of the workspace`);
    this.assertTrusted(`writing a refreshed profile for ${main.dir}`);
    if (inputs.length === 0) throw new UserError('no profiles to merge');
    const read: MergeInput[] = [];
    for (const i of inputs) {
      if (i.bytes) read.push({ name: i.name, bytes: Buffer.from(i.bytes.buffer, i.bytes.byteOffset, i.bytes.byteLength) });
      else if (i.path) read.push({ name: i.name, bytes: await readRegularFile(i.path, MAX_PROFILE_FILE_BYTES, 'profile') });
    }
    const merged = await mergeProfiles(read, opts);
    const v = await validateForCompiler(merged.bytes, { cdfThreshold: this.threshold });
    if (!v.ok) throw new UserError(`the merged profile cannot be used: ${v.error}`, v.advice);
    const b = this.binaries.find((x) => x.mainDir === main.dir);
    const target = b?.profilePath ?? this.override ?? path.join(main.dir, 'default.pgo');
    const next = v.loaded.profile;
    const after = { match: this.matchProfile(main, target, next, hotSet(next, this.threshold)), profile: next };
    const before =
      b?.data && b.match
        ? { match: b.match, profile: b.data.profile }
        : { match: this.matchProfile(main, target, null, null), profile: emptyProfile('pprof', 'no profile') };
    const changes = diffProfiles(before, after);
    const existed = fs.existsSync(target);
    await writeFileSafe(target, merged.bytes, { backup: existed });
    return {
      profile: target,
      backup: existed ? `${target}.bak` : null,
      changes,
      report: changesReport(changes, `Profile refresh: ${path.relative(main.folder, target) || target}`),
      warnings: [...merged.warnings, ...v.warnings],
      bytes: merged.bytes.length,
    };
  }

  async undoRewrite(id: string): Promise<{ profile: string }> {
    const b = this.binaries.find((x) => x.id === id);
    if (!b) throw new UnknownBinaryError(`no binary ${id}`);
    this.assertTrusted(`restoring ${b.profilePath}`);
    return restoreProfileBackup(b.profilePath);
  }
}
