/**
 * A binary's source history: the commit that last changed its profile and the text, at that
 * commit, of every workspace file holding a profiled function. Diffing it with the text now
 * (saved or unsaved) re-aligns drifted offsets exactly and lists the hot functions edited since
 * the profile was committed. Loaded once per workspace open (git runs then only); edits reuse it.
 */
import * as path from 'node:path';
import { type FileHistory, fileHistory, functionChange } from './history';
import type { BinaryMatch } from './match';
import type { NamedEdge, PgoProfile } from '../pgo/model';
import { changedGoFiles, type ProfileCommit, profileCommit, readAtCommit } from '../source/git';

/** A profiled function whose source changed since the commit that last changed the profile. */
export interface ChangedFunctionInfo {
  symbol: string;
  /** Absolute path and 0-based line of its declaration now. */
  file: string;
  line: number;
  /** Edge weight of the function (as caller or callee) and its share of the total. */
  weight: number;
  percent: number;
  /** Lines new or changed in its body, and old lines gone. */
  added: number;
  removed: number;
  /** Of its profiled call-site offsets (`sites`), how many no longer hold the line they recorded. */
  shiftedSites: number;
  sites: number;
}

/** Where the profile came from in git: the commit that last changed it, and what changed since. */
export interface HistoryInfo {
  commit: string;
  /** Seconds since the epoch. */
  time: number;
  subject: string;
  changed: ChangedFunctionInfo[];
}

export class ProfileHistory {
  private readonly cache = new Map<string, { text: string; h: FileHistory }>();
  private readonly disk = new Map<string, string | undefined>();

  private constructor(
    readonly info: ProfileCommit,
    /** Absolute path now → text at the commit. */
    private readonly old: Map<string, string>,
    /** Absolute paths (now) whose saved text differs from the commit. */
    readonly changedOnDisk: Set<string>,
  ) {}

  /** Loads the history of `profile` for `files` (absolute); a string says why there is none. */
  static async load(profile: string, files: Iterable<string>): Promise<ProfileHistory | string> {
    const pc = await profileCommit(profile);
    if (!pc.ok) return pc.reason;
    const { top, commit } = pc.value;
    try {
      const changed = await changedGoFiles(top, commit);
      const oldPath = new Map<string, string>();
      const changedOnDisk = new Set<string>();
      for (const c of changed) {
        const abs = path.join(top, c.now);
        changedOnDisk.add(abs);
        if (c.status !== 'A') oldPath.set(abs, c.old);
      }
      const wanted: Array<[string, string]> = [];
      for (const abs of new Set(files)) {
        const rel = path.relative(top, abs);
        if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
        const at = oldPath.get(abs) ?? (changedOnDisk.has(abs) ? undefined : rel.split(path.sep).join('/'));
        if (at !== undefined) wanted.push([abs, at]);
      }
      const texts = await readAtCommit(
        top,
        commit,
        wanted.map(([, rel]) => rel),
      );
      const old = new Map<string, string>();
      for (const [abs, rel] of wanted) {
        const t = texts.get(rel);
        if (t !== undefined) old.set(abs, t);
      }
      return new ProfileHistory(pc.value, old, changedOnDisk);
    } catch (e) {
      return (e as Error).message;
    }
  }

  /** Whether any of the known files differs from the commit, given the unsaved texts. */
  differs(overlays: ReadonlyMap<string, string>): boolean {
    for (const f of this.old.keys()) if (this.changedOnDisk.has(f) || (overlays.has(f) && overlays.get(f) !== this.old.get(f))) return true;
    return false;
  }

  /** The saved text of `abs` may differ from before (a save, a rewrite on disk). */
  saved(abs: string): void {
    if (!this.old.has(abs)) return;
    this.changedOnDisk.add(abs);
    this.disk.delete(abs);
  }

  /**
   * The file's history against its current text (`overlay`: unsaved text), if the commit had
   * it. Saved files are read only when they differ from the commit.
   */
  file(abs: string, overlay: string | undefined, read: (abs: string) => string | undefined): FileHistory | undefined {
    const old = this.old.get(abs);
    if (old === undefined) return undefined;
    let text = overlay;
    if (text === undefined) {
      if (!this.changedOnDisk.has(abs)) text = old;
      else {
        if (!this.disk.has(abs)) this.disk.set(abs, read(abs));
        text = this.disk.get(abs);
      }
    }
    if (text === undefined) return undefined;
    const c = this.cache.get(abs);
    if (c && c.text === text) return c.h;
    const h = fileHistory(this.info.commit, old, text);
    this.cache.set(abs, { text, h });
    return h;
  }

  /**
   * The profiled functions of the workspace edited since the commit, heaviest first: a
   * function is listed when its current body has new or changed lines, or lost some.
   */
  changedFunctions(profile: PgoProfile, match: BinaryMatch, history: (abs: string) => FileHistory | undefined): ChangedFunctionInfo[] {
    const outEdges = new Map<string, NamedEdge[]>();
    const weight = new Map<string, number>();
    for (const e of profile.edges) {
      (outEdges.get(e.caller) ?? outEdges.set(e.caller, []).get(e.caller)!).push(e);
      weight.set(e.caller, (weight.get(e.caller) ?? 0) + e.weight);
      if (e.callee !== e.caller) weight.set(e.callee, (weight.get(e.callee) ?? 0) + e.weight);
    }
    const total = profile.totalWeight;
    const out: ChangedFunctionInfo[] = [];
    for (const [sym, r] of match.resolved) {
      if (r.copy) continue;
      const w = weight.get(sym) ?? 0;
      const start = profile.heat.startLineOf(sym);
      if (!w || !start) continue;
      const abs = path.join(r.pkg.dir, r.entry.file);
      const h = history(abs);
      if (!h) continue;
      const offsets = [...new Set((outEdges.get(sym) ?? []).map((e) => e.offset))];
      const ch = functionChange(h, start, r.entry, offsets);
      if (!ch || ch.added + ch.removed === 0) continue;
      out.push({
        symbol: sym,
        file: abs,
        line: r.entry.physicalStartLine - 1,
        weight: w,
        percent: total > 0 ? (w / total) * 100 : 0,
        added: ch.added,
        removed: ch.removed,
        shiftedSites: ch.shifted,
        sites: offsets.length,
      });
    }
    out.sort((a, b) => b.weight - a.weight || (a.symbol < b.symbol ? -1 : 1));
    return out;
  }

  summary(changed: ChangedFunctionInfo[]): HistoryInfo {
    return { commit: this.info.commit, time: this.info.time, subject: this.info.subject, changed };
  }
}
