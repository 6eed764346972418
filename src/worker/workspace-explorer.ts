/**
 * The profile explorer's queries (src/explore) over the open workspace.
 */
import * as path from 'node:path';
import { diffProfiles, type ProfileChanges } from '../refresh/changes';
import { hotSet, type PgoProfile } from '../pgo/model';
import { type FuncEntry } from '../source/index';
import { entryFor } from '../match/file-view';
import { WorkspaceViews } from './workspace-views';
import { type Pkg, UnknownBinaryError, localPath } from './workspace-data';

export abstract class WorkspaceExplorer extends WorkspaceViews {
  /** The binary whose profile is `file`, else `preferred` when it is a binary of the workspace, else null. */
  explorerBinary(file: string, preferred?: string): string | null {
    const abs = path.resolve(file);
    const own = this.binaries.find((b) => path.resolve(b.profilePath) === abs);
    if (own) return own.id;
    return this.binaries.find((b) => b.id === preferred)?.id ?? null;
  }

  /** The (caller, callee) pairs of a binary's hot call sites (PGO inline candidates) and devirtualizations. */
  explorerPgoCalls(id: string | null): { inline: Array<[string, string]>; devirt: Array<[string, string]> } {
    const m = this.binaries.find((b) => b.id === id)?.match;
    if (!m) return { inline: [], devirt: [] };
    return { inline: m.inlineCandidates.map((c) => [c.caller, c.callee]), devirt: m.devirtualizations.map((d) => [d.caller, d.callee]) };
  }

  /**
   * The declaration of a profile function, as the overlay matches it: the binary's match, then a
   * workspace package with the symbol's prefix, then the profile's own file and start line when it
   * exists here (GOROOT, the module cache). Lines are 0-based.
   */
  explorerLocate(id: string | null, symbol: string, profileFile: string, startLine: number): { file: string; line: number } | null {
    const b = this.binaries.find((x) => x.id === id);
    const r = b?.match?.resolved.get(symbol);
    if (r && !r.copy) return { file: path.join((r.pkg as Pkg).dir, r.entry.file), line: r.entry.physicalStartLine - 1 };
    const pkg = b && this.pkgOfSymbol(b, symbol);
    const entry = pkg && entryFor(pkg.index, symbol);
    if (pkg && entry) return { file: path.join(pkg.dir, entry.file), line: entry.physicalStartLine - 1 };
    const ws = this.locate(symbol);
    if (ws) return { file: ws.file, line: ws.line };
    const local = localPath(profileFile, this.ge);
    return local ? { file: local, line: Math.max(0, startLine - 1) } : null;
  }

  /** The linker symbol of the innermost function declared around 0-based `line` of `file`, or null. */
  explorerSymbolAt(file: string, line: number): string | null {
    const abs = path.resolve(file);
    const pkg = this.packageOf(abs);
    if (!pkg) return null;
    let best: FuncEntry | undefined;
    for (const e of pkg.index.byFile.get(path.basename(abs)) ?? []) {
      if (e.kind === 'varinit' || e.kind === 'mapinit') continue;
      if (line + 1 < e.physicalStartLine || line + 1 > e.physicalEndLine) continue;
      if (!best || e.physicalEndLine - e.physicalStartLine < best.physicalEndLine - best.physicalStartLine) best = e;
    }
    return best?.symbol ?? null;
  }

  /** What replacing binary `id`'s profile `before` with `after` changes for the compiler, over the current source. */
  explorerChanges(id: string, before: PgoProfile, after: PgoProfile): ProfileChanges {
    const b = this.binaries.find((x) => x.id === id);
    const main = b && this.packages.get(b.mainDir);
    if (!b || !main) throw new UnknownBinaryError(`no binary ${id} in the open workspace`);
    const side = (p: PgoProfile) => ({ match: this.matchProfile(main, b.profilePath, p, hotSet(p, this.threshold)), profile: p });
    return diffProfiles(side(before), side(after));
  }
}
