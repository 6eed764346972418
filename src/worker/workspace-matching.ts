/**
 * Matching the binaries' profiles against the packages (each binary's match, kept while its basis
 * stands: match-basis.ts) and the workspace summary it reports.
 */
import * as path from 'node:path';
import { emptyProfile, hotSet, type HotSet, type PgoProfile } from '../pgo/model';
import { splitSymbol } from '../source/index';
import { isDeclarationsFirst } from '../source/declarations-first';
import { type BinaryMatch, matchBinary } from '../match/match';
import { basisHolds, basisOf, basisStands } from './match-basis';
import { entryFor } from '../match/file-view';
import { ProfileHistory } from '../match/git-history';
import type { FileHistory } from '../match/history';
import type { BinarySummary, WorkspaceSummary } from './protocol';
import { WorkspacePackages } from './workspace-packages';
import { LocateMemo, type Located } from './locate-memo';
import { type Binary, type LoadedProfileData, type Pkg, symbolPrefixes, readText, binarySummary } from './workspace-data';

export abstract class WorkspaceMatching extends WorkspacePackages {
  private readonly located = new LocateMemo();

  summary(): WorkspaceSummary {
    return {
      folders: [...this.folders],
      // While partial, profile functions of packages not indexed yet would all look unmatched: none is reported until complete.
      binaries: this.binaries.map((b) => (this.pending ? { ...binarySummary(b), unmatched: [] } : this.withLocations(b, binarySummary(b)))),
      packages: this.packages.size,
      indexMillis: this.lastMillis,
      pathMethod: this.pathMethod,
      ...(this.pending ? { partial: true } : {}),
    };
  }

  /** Adds where each unmatched entry belongs in the source, and which decisions it loses. */
  protected withLocations(b: Binary, s: BinarySummary): BinarySummary {
    const hot = b.data?.hot;
    const hotCallees = hot ? calleesByCaller(hot, hot.hotEdges) : undefined;
    const devirtualized = b.match ? calleesByCaller(b.match, b.match.devirtualizations) : undefined;
    this.located.sync(this.packages);
    for (const u of s.unmatched) {
      const sym = u.kind === 'renamed' || u.kind === 'moved' ? u.suggestion : u.kind === 'offset-drift' || u.kind === 'changed' ? u.symbol : undefined;
      u.location = sym ? this.locate(sym) : null;
      if (hot) {
        const lost = new Set<string>();
        for (const callee of hotCallees?.get(u.symbol) ?? []) lost.add(`inlining of ${callee}`);
        for (const callee of devirtualized?.get(u.symbol) ?? []) lost.add(`devirtualization to ${callee}`);
        if (hot.hotCallees.has(u.symbol)) lost.add(`the hot inline budget of ${u.symbol}`);
        u.lost = [...lost].slice(0, 6);
      }
    }
    return s;
  }

  /**
   * The declaration of a linker symbol among the workspace's packages: the first package (in the
   * listing's order) declaring it. Only packages defining the symbol's prefix can (a package's own
   * prefix and its `//go:linkname` ones); the others are looked at only when none of those has it.
   * Answers are kept while they stand (locate-memo.ts; `withLocations` brings them up to date).
   */
  protected locate(sym: string): { file: string; line: number; character: number } | null {
    const kept = this.located.get(sym);
    if (kept) return kept.at && { ...kept.at };
    const at = (pkg: Pkg) => {
      const e = entryFor(pkg.index, sym);
      return e ? { file: path.join(pkg.dir, e.file), line: e.physicalStartLine - 1, character: Math.max(0, e.startColumn - 1) } : null;
    };
    const found = (from: Pkg | null, byPrefix: boolean, r: Located | null) => {
      this.located.set(sym, { from, byPrefix, at: r });
      return r && { ...r };
    };
    const prefix = splitSymbol(sym).prefix;
    for (const pkg of this.packages.values()) {
      const r = symbolPrefixes(pkg.index).includes(prefix) ? at(pkg) : null;
      if (r) return found(pkg, true, r);
    }
    for (const pkg of this.packages.values()) {
      const r = at(pkg);
      if (r) return found(pkg, false, r);
    }
    return found(null, false, null);
  }

  /** The match of `profile` for main package `main` over the workspace's packages (empty without a profile). */
  protected matchProfile(main: Pkg, profilePath: string, profile: PgoProfile | null, hot: HotSet | null): BinaryMatch {
    const p = profile ?? emptyProfile('pprof', 'no profile');
    const h = hot ?? hotSet(p, this.threshold);
    const packages = [...this.packages.values()].filter((x) => x.folder === main.folder && (x.dir === main.dir || x.symbolPath !== 'main'));
    return matchBinary({ root: main.folder!, mainDir: main.dir, profilePath, profile: p, hot: h, packages, universe: this.universeFor(main.dir) });
  }

  /** The packages binary b's match covers, in match order: its folder's, the main package and those defining a symbol prefix of the profile's edges. */
  protected matchedPackages(b: Binary, data: LoadedProfileData): Pkg[] {
    // Packages none of whose symbols occur in the profile's edges cannot change the match.
    const edgePrefixes = data.edgePrefixes;
    return [...this.packages.values()].filter(
      (p) => p.folder === b.folder && (p.dir === b.mainDir || (p.symbolPath !== 'main' && symbolPrefixes(p.index).some((x) => edgePrefixes.has(x)))),
    );
  }

  /**
   * Matches binary b again over the current packages; with `edited` (the package an edit just
   * re-indexed), only when the match's basis does not stand (match-basis.ts).
   */
  protected rematch(b: Binary, edited?: Pkg): void {
    if (!b.data) {
      b.external.clear();
      b.match = null;
      b.basis = null;
      return;
    }
    for (const p of this.packages.values()) if (isDeclarationsFirst(p.index)) this.fullIndex(p);
    const packages = this.matchedPackages(b, b.data);
    const universe = this.universeFor(b.mainDir);
    // git history maps lines through the text itself: with it every edit re-matches
    const inputs = [b.data, b.history, universe];
    if (edited && b.match && (!b.history || typeof b.history === 'string')) {
      const kept = basisStands(b.basis, inputs, packages, edited);
      if (kept) {
        b.basis = kept;
        return;
      }
    }
    b.external.clear();
    const h = b.history;
    const history = h && typeof h !== 'string' ? (pkg: { dir: string }, file: string) => this.fileHistory(h, path.join(pkg.dir, file)) : undefined;
    b.match = matchBinary({
      root: b.folder,
      mainDir: b.mainDir,
      profilePath: b.profilePath,
      profile: b.data.profile,
      hot: b.data.hot,
      packages,
      universe,
      ...(history ? { history } : {}),
      cache: b.cache,
    });
    b.basis = basisOf(inputs, packages);
    this.updateChanged(b);
  }

  /**
   * Whether binary b's match was computed from exactly what matching it now would take (the
   * inputs, the packages it covers in order, each one's index object: match-basis.ts), so that a
   * stage that indexed only packages outside it need not match again. Never with git history (it
   * maps lines through the text) or while a package has a declarations-first index.
   */
  protected matchStands(b: Binary): boolean {
    if (!b.data || !b.match || (b.history && typeof b.history !== 'string')) return false;
    for (const p of this.packages.values()) if (isDeclarationsFirst(p.index)) return false;
    return basisHolds(b.basis, [b.data, b.history, this.universeFor(b.mainDir)], this.matchedPackages(b, b.data));
  }

  protected updateChanged(b: Binary): void {
    const h = b.history;
    b.changed = h && typeof h !== 'string' && b.match && b.data ? h.changedFunctions(b.data.profile, b.match, (abs) => this.fileHistory(h, abs)) : [];
  }

  protected fileHistory(h: ProfileHistory, abs: string): FileHistory | undefined {
    return h.file(abs, this.overlays.get(abs), readText);
  }

  /** The match that covers `pkg` for binary `b` (a package outside its folder is matched alone). */
  protected matchFor(b: Binary, pkg: Pkg): BinaryMatch | null {
    if (!b.data) return null;
    if (pkg.folder === b.folder) return b.match;
    const kept = b.external.get(pkg.dir);
    if (kept && kept.pkg === pkg && kept.index === pkg.index) return kept.match;
    const m = matchBinary({
      root: pkg.dir,
      mainDir: b.mainDir,
      profilePath: b.profilePath,
      profile: b.data.profile,
      hot: b.data.hot,
      packages: [pkg],
      universe: this.universeFor(b.mainDir),
    });
    b.external.set(pkg.dir, { pkg, index: pkg.index, match: m });
    return m;
  }
}

/** Each caller's callees in list order, computed once per owner object (a hot set's hot edges, a match's devirtualizations). */
const calleesMemo = new WeakMap<object, Map<string, string[]>>();
function calleesByCaller(owner: object, calls: ReadonlyArray<{ caller: string; callee: string }>): Map<string, string[]> {
  let m = calleesMemo.get(owner);
  if (!m) {
    m = new Map();
    for (const c of calls) {
      const list = m.get(c.caller);
      if (list) list.push(c.callee);
      else m.set(c.caller, [c.callee]);
    }
    calleesMemo.set(owner, m);
  }
  return m;
}
