/**
 * `pgo-lens evaluate`: what PGO buys and costs for one main package. Builds it with `-pgo=off`
 * and with its profile (each with `-gcflags=<its packages>=-m -S`, into a private temporary
 * directory), and reports
 * - speed: a package's benchmarks, both ways, alternately, with benchstat's statistics (bench.ts);
 * - binary size: file, text, per package and per function (size.ts, `go tool nm -size`);
 * - build time: one cold build each way (`go build -a`: nothing reused from the build cache,
 *   the standard library included, which is what a changed profile costs), and the time of
 *   `go tool preprofile` on the profile (the part spent reading it; includes starting the tool);
 * - stack frames: functions whose frame grows with the profile, flagged when hot and grown by
 *   at least the threshold, with the callees PGO inlined into them and the hot edges to hide
 *   (frames.ts, exclude.ts).
 * Nothing is written in the workspace. Cancellable through the AbortSignal.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BuildError, planBuild, type RunOptions, runGoProcess } from '../compiler/build';
import { sameFunction } from '../compiler/decisions';
import { loadProfileFile } from '../pgo/load';
import { hotSet, type NamedEdge } from '../pgo/model';
import { nonRegularGuard } from '../source/go-list';
import { listSymbols } from '../source/symbols';
import { runSpeed, type SpeedResult } from './bench';
import type { EdgeKey } from './exclude';
import { type FrameGrowth, frameGrowth, type FunctionRange, parseFrames, parseInlines, pgoOnlyInlines } from './frames';
import { compareSizes, type SizeResult } from './size';

export const DEFAULT_FRAME_THRESHOLD = 1024;
export const DEFAULT_COUNT = 6;

/** What to evaluate: plain data, the `evaluate` job's arguments in the worker protocol and the CLI's flags. */
export interface EvaluateArgs {
  mainDir: string;
  /** Default: mainDir/default.pgo. */
  profile?: string;
  /** -bench pattern; undefined or '' skips the speed measurement. */
  bench?: string;
  /** Package directory whose benchmarks run (default mainDir). */
  benchPkg?: string;
  count?: number;
  benchtime?: string;
  /** Measure cold build times (two `go build -a`). */
  buildTime?: boolean;
  frameThreshold?: number;
}

export interface EvaluateOptions extends RunOptions, EvaluateArgs {
  onStep?: (message: string) => void;
}

export interface BuildTimes {
  method: string;
  offSeconds: number;
  pgoSeconds: number;
  preprofileSeconds: number;
}

export interface FlaggedFrame extends FrameGrowth {
  /** Hot profile edges whose removal stops the inlining (see exclude.ts). */
  edges: EdgeKey[];
}

export interface EvaluateResult {
  mainPackage: string;
  mainDir: string;
  profile: string;
  goVersion: string;
  speed: SpeedResult | null;
  size: SizeResult;
  buildTime: BuildTimes | null;
  frames: { thresholdBytes: number; grown: FrameGrowth[]; flagged: FlaggedFrame[] };
  warnings: string[];
}

/** The `evaluate` job's result in the worker protocol. */
export interface EvaluateJobResult {
  result: EvaluateResult;
  /** The plain-text report (report.ts), absolute paths for links. */
  text: string;
}

export class EvaluateError extends Error {
  override readonly name = 'EvaluateError';
}

function moduleRoot(dir: string): string {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'go.mod'))) return d;
    if (path.dirname(d) === d) return path.resolve(dir);
  }
}

/** Runs a go command; `text` is stdout and stderr as they came (the compiler prints -m and -S there), `stdout` alone. */
async function goOk(o: EvaluateOptions, args: string[], cwd: string): Promise<{ text: string; stdout: string; seconds: number }> {
  const t0 = performance.now();
  const r = await runGoProcess(o.go ?? 'go', args, cwd, o);
  const seconds = (performance.now() - t0) / 1000;
  if (r.code !== 0) throw new BuildError(`go ${args.join(' ')} failed in ${cwd}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, r.combined);
  return { text: r.combined, stdout: r.stdout, seconds };
}

/** Hot edges from `symbol` to the callees PGO inlined into it. */
function edgesToHide(g: FrameGrowth, hot: NamedEdge[]): EdgeKey[] {
  const out: EdgeKey[] = [];
  for (const e of hot) {
    if (e.caller !== g.symbol) continue;
    const site = g.inlined.find((s) => sameFunction(s.callee, e.callee) && (s.file !== g.file || s.line - g.line === e.offset));
    if (site) out.push({ caller: e.caller, offset: e.offset, callee: e.callee });
  }
  return out;
}

export async function evaluate(o: EvaluateOptions): Promise<EvaluateResult> {
  const mainDir = path.resolve(o.mainDir);
  const profile = path.resolve(o.profile ?? path.join(mainDir, 'default.pgo'));
  if (!fs.existsSync(profile)) throw new EvaluateError(`no profile: ${profile} does not exist (give --profile, or put a default.pgo next to the main package)`);
  // Every go command below opens the .go files of the packages it loads: a FIFO would hang it.
  const blocked = nonRegularGuard(mainDir) ?? (o.bench && o.benchPkg ? nonRegularGuard(o.benchPkg) : undefined);
  if (blocked) throw new EvaluateError(blocked);
  const step = (m: string): void => o.onStep?.(m);
  const warnings: string[] = [];
  step('go list');
  const plan = await planBuild(mainDir, mainDir, o);
  const loaded = await loadProfileFile(profile, { heat: false });
  if (loaded.profile.totalWeight === 0)
    throw new EvaluateError(`the compiler would ignore ${profile}: ${loaded.profile.emptyReason ?? 'no call edges'}; nothing to evaluate`);
  const hs = hotSet(loaded.profile);
  const hot = new Set<string>();
  for (const e of hs.hotEdges) {
    hot.add(e.caller);
    hot.add(e.callee);
  }

  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pgo-lens-evaluate-'));
  try {
    const exe = (s: string): string => path.join(work, process.platform === 'win32' ? `${s}.exe` : s);
    const gcflags = plan.patterns.map((p) => `-gcflags=${p}=-m -S`);
    const out: Record<'off' | 'pgo', { text: string; nm: string; bytes: number }> = {
      off: { text: '', nm: '', bytes: 0 },
      pgo: { text: '', nm: '', bytes: 0 },
    };
    for (const side of ['off', 'pgo'] as const) {
      step(`go build -pgo=${side === 'off' ? 'off' : path.basename(profile)} (-m -S)`);
      const b = await goOk(o, ['build', '-buildvcs=false', `-pgo=${side === 'off' ? 'off' : profile}`, '-o', exe(side), ...gcflags, '.'], mainDir);
      step(`go tool nm ${side}`);
      const nm = await goOk(o, ['tool', 'nm', '-size', '-sort', 'size', exe(side)], mainDir);
      out[side] = { text: b.text, nm: nm.stdout, bytes: (await fs.promises.stat(exe(side))).size };
    }
    const size = compareSizes(out.off.nm, out.pgo.nm, { off: out.off.bytes, pgo: out.pgo.bytes });

    step('frames');
    const root = moduleRoot(mainDir);
    const ranges: FunctionRange[] = (await listSymbols(root)).map((s) => ({
      symbol: s.symbol,
      file: path.resolve(root, s.file),
      line: s.line,
      endLine: s.endLine,
    }));
    const threshold = o.frameThreshold ?? DEFAULT_FRAME_THRESHOLD;
    const inl = pgoOnlyInlines(parseInlines(out.off.text, mainDir), parseInlines(out.pgo.text, mainDir));
    const offFrames = parseFrames(out.off.text);
    const pgoFrames = parseFrames(out.pgo.text);
    // A callee's frame as inlined: its own, in whichever build is larger (the profile build may have inlined more into it).
    const calleeFrames = new Map(offFrames);
    for (const [k, v] of pgoFrames) if ((calleeFrames.get(k)?.frame ?? -1) < v.frame) calleeFrames.set(k, v);
    const grown = frameGrowth(offFrames, pgoFrames, inl, ranges, hot, threshold, calleeFrames);
    const flagged = grown.filter((g) => g.flagged).map((g) => ({ ...g, edges: edgesToHide(g, hs.hotEdges) }));

    let buildTime: BuildTimes | null = null;
    if (o.buildTime) {
      step('cold build -pgo=off (go build -a)');
      const off = await goOk(o, ['build', '-a', '-buildvcs=false', '-pgo=off', '-o', exe('cold-off'), '.'], mainDir);
      step('cold build with the profile (go build -a)');
      const pgo = await goOk(o, ['build', '-a', '-buildvcs=false', `-pgo=${profile}`, '-o', exe('cold-pgo'), '.'], mainDir);
      step('go tool preprofile');
      const pre = await goOk(o, ['tool', 'preprofile', '-i', profile, '-o', path.join(work, 'preprofile')], mainDir);
      buildTime = {
        method:
          'one `go build -a` each way (every package recompiled, the standard library included; wall clock, on a machine that may be busy) and one `go tool preprofile -i PROFILE` (wall clock, tool start included)',
        offSeconds: off.seconds,
        pgoSeconds: pgo.seconds,
        preprofileSeconds: pre.seconds,
      };
    }

    let speed: SpeedResult | null = null;
    if (o.bench) {
      const pkgDir = path.resolve(o.benchPkg ?? mainDir);
      const listed = (await goOk(o, ['list', '-find', '-f', '{{.Name}}\t{{.ImportPath}}', '.'], pkgDir)).stdout.trim().split('\n').pop() ?? '';
      const [name, importPath] = listed.split('\t');
      if (!name || !importPath) throw new EvaluateError(`${pkgDir} is not a Go package`);
      step(`benchmarks of ${importPath}`);
      speed = await runSpeed({
        ...o,
        pkgDir,
        pkg: { name, importPath },
        profile,
        bench: o.bench,
        count: o.count ?? DEFAULT_COUNT,
        ...(o.benchtime ? { benchtime: o.benchtime } : {}),
        workDir: work,
        onRun: (done, total, side) => step(`benchmark run ${done}/${total} (${side})`),
      });
      warnings.push(...speed.warnings);
    }
    return {
      mainPackage: plan.mainPackage,
      mainDir,
      profile,
      goVersion: plan.env.goVersion,
      speed,
      size,
      buildTime,
      frames: { thresholdBytes: threshold, grown, flagged },
      warnings,
    };
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true, maxRetries: 3 });
  }
}
