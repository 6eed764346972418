/**
 * The explorer's sessions in the worker: a session is one profile (or two, for a diff) decoded
 * with whole stacks, with its call trees, top table and diff table built on first use and kept
 * until closed (the newest few). Every query answers with plain data sized to what the webview
 * shows. The workspace (matching, declarations, the compiler model) is reached through
 * `ExplorerWorkspace`, which the worker's WorkspaceModel implements.
 */
import { pprofNumbers, pprofSampleIndex, type PprofNumbers } from '../pgo/flatcum';
import { loadPprofFile } from '../pgo/load';
import { modelFromPprof, type PgoProfile } from '../pgo/model';
import type { PprofProfile } from '../profile/pprof';
import type { ProfileChanges } from '../refresh/changes';
import { DiffTable, type DiffPage, type DiffQuery, type Normalize, normalizeScales } from './diff';
import { FLAG_PGO_DEVIRT, FLAG_PGO_INLINE, type FlameSlice, flameSlice } from './flame';
import { type Frames, framesOf, FunctionNames } from './frames';
import { type Neighbors, neighbors } from './neighbors';
import { type SearchResult, search } from './search';
import { type TopPage, type TopQuery, TopTable } from './top';
import { buildTreeAsync, type CallTree } from './tree';

/** What the explorer needs from the open workspace. */
export interface ExplorerWorkspace {
  explorerBinary(file: string, preferred?: string): string | null;
  explorerPgoCalls(id: string | null): { inline: Array<[string, string]>; devirt: Array<[string, string]> };
  explorerLocate(id: string | null, symbol: string, profileFile: string, startLine: number): { file: string; line: number } | null;
  explorerSymbolAt(file: string, line: number): string | null;
  explorerChanges(id: string, before: PgoProfile, after: PgoProfile): ProfileChanges;
}

export class ExplorerError extends Error {
  override readonly name = 'ExplorerError';
}

export interface ExplorerInfo {
  session: string;
  kind: 'profile' | 'diff';
  /** The profile, or [base, new] for a diff. */
  paths: string[];
  /** `type/unit` of every sample type, and the one shown. */
  sampleTypes: string[];
  sampleIndex: number;
  unit: string;
  /** Per side: pprof's total, the duration (0: not recorded), the samples. */
  totals: number[];
  durations: number[];
  samples: number[];
  functions: number;
  /** The binary whose match marks PGO decisions and resolves declarations: the one whose profile is a side, else the editor's (null: none). */
  binary: string | null;
  normalize: Normalize | null;
  millis: number;
}

export type View = 'top-down' | 'bottom-up';

interface Side {
  path: string;
  pprof: PprofProfile;
  numbers: PprofNumbers;
}

interface Session {
  info: ExplorerInfo;
  sides: Side[];
  /** Value column of each side. */
  vis: number[];
  names: FunctionNames;
  frames: Frames[];
  /** Built on first use, one build per view however many queries wait for it. */
  trees: Partial<Record<View, Promise<CallTree>>>;
  top: TopTable | null;
  diff: DiffTable | null;
  /** Multipliers applied to each side's values for widths (1 for a single profile). */
  scales: number[];
  marks: Map<number, number> | null;
  /** The workspace the marks were taken from (a re-opened workspace re-matches, so they are taken again). */
  marksFrom: ExplorerWorkspace | null;
}

const MAX_SESSIONS = 6;

export class ExplorerService {
  private readonly sessions = new Map<string, Session>();
  private seq = 0;

  constructor(private readonly workspace: () => ExplorerWorkspace) {}

  /** Opens a profile; `sampleIndex` as pprof's -sample_index (empty: pprof's default). */
  async open(args: { path: string; sampleIndex?: string; binary?: string }): Promise<ExplorerInfo> {
    const t0 = performance.now();
    const side = await loadSide(args.path, args.sampleIndex);
    return this.add([side.side], side.vi, null, args.binary, t0);
  }

  /** Opens the difference `next` − `base`. */
  async diff(args: { base: string; next: string; normalize: Normalize; sampleIndex?: string; binary?: string }): Promise<ExplorerInfo> {
    const t0 = performance.now();
    const base = await loadSide(args.base, args.sampleIndex);
    const type = base.side.pprof.sampleTypes[base.vi]!.type;
    const next = await loadSide(args.next, args.sampleIndex ?? type);
    if (next.side.pprof.sampleTypes[next.vi]!.type !== type) throw new ExplorerError(`${args.next} has no ${type} samples to compare with ${args.base}`);
    return this.add([base.side, next.side], base.vi, args.normalize, args.binary, t0, next.vi);
  }

  private add(sides: Side[], vi: number, normalize: Normalize | null, binary: string | undefined, t0: number, vi2 = vi): ExplorerInfo {
    const names = new FunctionNames();
    const frames = sides.map((s) => framesOf(s.pprof, names));
    const ds = sides.map((s) => ({ numbers: s.numbers, durationNanos: Number(s.pprof.durationNanos) }));
    const scales = normalize ? normalizeScales(ds, normalize) : [1];
    const p = sides[0]!.pprof;
    const id = `explore-${++this.seq}`;
    const ws = this.workspace();
    const info: ExplorerInfo = {
      session: id,
      kind: sides.length > 1 ? 'diff' : 'profile',
      paths: sides.map((s) => s.path),
      sampleTypes: p.sampleTypes.map((t) => `${t.type}/${t.unit}`),
      sampleIndex: vi,
      unit: p.sampleTypes[vi]?.unit ?? '',
      totals: sides.map((s) => s.numbers.total),
      durations: ds.map((d) => d.durationNanos),
      samples: sides.map((s) => s.pprof.sampleCount),
      functions: names.size,
      binary: sides.map((x) => ws.explorerBinary(x.path)).find((b) => b !== null) ?? ws.explorerBinary('', binary),
      normalize,
      millis: 0,
    };
    const session: Session = {
      info,
      sides,
      vis: [vi, vi2].slice(0, sides.length),
      names,
      frames,
      trees: {},
      top: null,
      diff: null,
      scales,
      marks: null,
      marksFrom: null,
    };
    if (normalize) session.diff = new DiffTable(ds[0]!, ds[1]!, normalize);
    this.sessions.set(id, session);
    while (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    info.millis = performance.now() - t0;
    return info;
  }

  private get(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new ExplorerError(`explorer session ${id} is closed; open the profile again`);
    return s;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  tree(id: string, view: View): Promise<CallTree> {
    const s = this.get(id);
    let t = s.trees[view];
    if (!t) {
      t = buildTreeAsync(
        s.frames.map((frames, i) => ({ frames, vi: s.vis[i]! })),
        view === 'bottom-up',
      );
      s.trees[view] = t;
      t.catch(() => delete s.trees[view]);
    }
    return t;
  }

  async flame(args: { session: string; view: View; root: number; minFraction: number; maxNodes: number }): Promise<FlameSlice & { scales: number[] }> {
    const s = this.get(args.session);
    const t = await this.tree(args.session, args.view);
    const marks = this.marks(s);
    const n = s.names.size;
    const slice = flameSlice(
      t,
      { root: args.root, minFraction: args.minFraction, maxNodes: Math.min(Math.max(1, args.maxNodes), 50_000) },
      s.scales,
      (a, b) => marks.get(a * n + b) ?? 0,
    );
    return { ...slice, scales: s.scales };
  }

  /** PGO's decisions by (caller id × functions + callee id), from the binary's match. */
  private marks(s: Session): Map<number, number> {
    const ws = this.workspace();
    if (s.marks && s.marksFrom === ws) return s.marks;
    const m = new Map<number, number>();
    const calls = ws.explorerPgoCalls(s.info.binary);
    const n = s.names.size;
    const put = (pairs: Array<[string, string]>, bit: number): void => {
      for (const [caller, callee] of pairs) {
        const a = s.names.lookup(caller);
        const b = s.names.lookup(callee);
        if (a !== undefined && b !== undefined) m.set(a * n + b, (m.get(a * n + b) ?? 0) | bit);
      }
    };
    put(calls.inline, FLAG_PGO_INLINE);
    put(calls.devirt, FLAG_PGO_DEVIRT);
    s.marks = m;
    s.marksFrom = ws;
    return m;
  }

  top(args: { session: string } & TopQuery): TopPage {
    const s = this.get(args.session);
    if (s.sides.length !== 1) throw new ExplorerError('a diff session has a diff table (explorerDiffTable), not a top table');
    s.top ??= new TopTable(s.sides[0]!.numbers);
    return s.top.page(args);
  }

  diffTable(args: { session: string } & DiffQuery): DiffPage {
    const s = this.get(args.session);
    if (!s.diff) throw new ExplorerError('not a diff session');
    return s.diff.page(args);
  }

  neighbors(args: { session: string; name: string; side?: number }): Neighbors {
    const s = this.get(args.session);
    const i = Math.min(Math.max(0, args.side ?? s.sides.length - 1), s.sides.length - 1);
    return neighbors(s.frames[i]!, s.vis[i]!, args.name);
  }

  search(args: { session: string; pattern: string; side?: number }): SearchResult {
    const s = this.get(args.session);
    const i = Math.min(Math.max(0, args.side ?? s.sides.length - 1), s.sides.length - 1);
    return search(s.frames[i]!, s.vis[i]!, args.pattern);
  }

  locate(args: { session: string; name: string }): { file: string; line: number } | null {
    const s = this.get(args.session);
    const f = s.names.lookup(args.name);
    if (f === undefined) return null;
    return this.workspace().explorerLocate(s.info.binary, args.name, s.names.files[f]!, s.names.startLines[f]!);
  }

  symbolAt(args: { file: string; line: number }): string | null {
    return this.workspace().explorerSymbolAt(args.file, args.line);
  }

  /** A diff's consequences for the compiler: hot call sites and devirtualizations that change. */
  changes(args: { session: string }): ProfileChanges {
    const s = this.get(args.session);
    if (s.sides.length !== 2) throw new ExplorerError('PGO consequences compare two profiles: open a diff');
    if (!s.info.binary) throw new ExplorerError('no binary of the workspace to match the profiles with: open a Go workspace with a main package');
    const [a, b] = s.sides.map((x) => modelFromPprof(x.pprof)) as [PgoProfile, PgoProfile];
    return this.workspace().explorerChanges(s.info.binary, a, b);
  }
}

async function loadSide(path: string, sampleIndex?: string): Promise<{ side: Side; vi: number }> {
  const pprof = await loadPprofFile(path);
  let vi: number;
  try {
    vi = pprofSampleIndex(pprof, sampleIndex);
  } catch (e) {
    throw new ExplorerError(`${path}: ${(e as Error).message}`);
  }
  return { side: { path, pprof, numbers: pprofNumbers(pprof, vi) }, vi };
}
