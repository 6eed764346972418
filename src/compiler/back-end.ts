/**
 * The decision build's back-end flags: they shrink the work each confirming compile does after
 * the compiler decided, without changing a decision or the export data importers read.
 *
 * Inlining, devirtualization and escape analysis run in the front end (`gc/main.go`: the
 * `interleaved.DevirtualizeAndInlineFuncs` and `escape.Funcs` passes) before any function reaches
 * the SSA back end, and the export data (inline bodies and their costs, escape tags:
 * `noder/linker.go` `relocFuncExt`) is written from the front end's IR. The back end (optional SSA
 * phases, DWARF) changes only the object code (`_go_.o`). The `-m` and `-d=pgodebug` the decisions
 * need make every confirming compile's back end serial (`base/flag.go` `concurrentFlagOk`: `-c=1`),
 * so the back end is where a confirmation loses time against plain `go build`'s `-c=2`:
 *
 * - `-d=ssa/<phase>/off` for every phase of `ssa/compile.go` `passes` without `required: true`
 *   (the phases `-N` skips; `opt`, `lower`, `regalloc` and the rest of the required ones stay);
 * - `-dwarf=false`: no debug information (location lists are a large part of a big package's
 *   back end; `noder/reader.go` keeps scope marks for DWARF only);
 * - `-B` and `-wb=false`: no bounds-check and write-barrier code for the back end to build, schedule and allocate.
 *
 * Intrinsics stay on: the inliner costs an intrinsic call as one node (`inline/inl.go`
 * `isIntrinsicCall`). Measured on Go 1.26.8: the `-m=1` text, the `-json` lines we read and
 * every package's `__.PKGDEF` are byte-identical with and without these flags
 * (test/oracle/compiler-decisions/back-end.test.ts; docs/performance.md "confirm (session 9)").
 *
 * A compiler that refuses one of the flags (a phase renamed or made required in another Go
 * release) gets none of them: `probeBackEnd` compiles a tiny package with them once per plan
 * (build.ts `goEnv`, kept with the plan by plan-cache.ts).
 *
 * No `vscode` import. Uses the disk and one child process (through the caller's runner).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `ssa/compile.go` `passes` of Go 1.26 without `required: true` and not disabled by default (spaces as `_`, as `-d=ssa/` spells them). */
export const OPTIONAL_SSA_PHASES: readonly string[] = [
  'early_phielim_and_copyelim',
  'early_deadcode',
  'short_circuit',
  'pre-opt_deadcode',
  'generic_cse',
  'phiopt',
  'nilcheckelim',
  'prove',
  'early_fuse',
  'branchelim',
  'dead_auto_elim',
  'sccp',
  'late_fuse',
  'check_bce',
  'dse',
  'memcombine',
  'addressing_modes',
  'pair',
  'lowered_deadcode_for_cse',
  'lowered_cse',
  'elim_unread_autos',
  'late_phielim_and_copyelim',
  'late_deadcode',
  'phi_tighten',
  'likelyadjust',
  'late_nilcheck',
  'loop_rotate',
  'trim',
];

/**
 * `-dwarf=false`: no debug information; `-B`: no bounds-check code (`base.Flag.B` is read in `ssagen/ssa.go` only);
 * `-wb=false`: no write barriers (`base.Flag.WB` is read by `ssagen.UseWriteBarrier` only). The objects are never
 * linked or run: their action IDs carry these flags, so no plain build takes them from the go build cache.
 */
const OTHER_FLAGS = '-dwarf=false -B -wb=false';

/** The back-end flags as one `-gcflags` fragment (no spaces inside a flag, so no quoting). */
export function backEndFlags(phases: readonly string[] = OPTIONAL_SSA_PHASES): string {
  const off = phases.map((p) => `ssa/${p}/off`).join(',');
  return off ? `-d=${off} ${OTHER_FLAGS}` : OTHER_FLAGS;
}

/** Runs `go tool compile ARGS` in `cwd` and says whether it exited 0. */
export type CompileRunner = (args: string[], cwd: string) => Promise<boolean>;

/**
 * The back-end flags this compiler accepts: `backEndFlags(phases)` when `go tool compile` compiles a
 * one-function package with them, '' otherwise (the confirmation then runs with the decision flags only).
 */
export async function probeBackEnd(runCompile: CompileRunner, phases: readonly string[] = OPTIONAL_SSA_PHASES): Promise<string> {
  const flags = backEndFlags(phases);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pgo-lens-backend-'));
  try {
    await fs.promises.writeFile(path.join(dir, 'p.go'), 'package p\n\nfunc F(a []int, i int) int { return a[i] }\n');
    return (await runCompile(['-p', 'p', '-o', path.join(dir, 'p.o'), ...flags.split(' '), 'p.go'], dir)) ? flags : '';
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
