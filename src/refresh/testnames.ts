/**
 * Profiles of test binaries (`go test -cpuprofile`) spell a main package's symbols with its
 * import path: the go command compiles a main package under test as a library (`ForceLibrary`,
 * cmd/go/internal/load/test.go), so its linker prefix is `PathToPrefix(importPath)`, not `main`
 * (go-pgo-semantics.md §6.2). The compiler building the program looks the functions up as
 * `main.F`, so none of the main package's edges would match. This module respells them as a
 * normal build does.
 *
 * What changes, checked against Go 1.26 (`go tool nm`, `-S` TEXT lines, `go tool pprof -raw`):
 * - every symbol of the package: `example.com/x/cmd/y.F` → `main.F`, `.(*T).M` → `main.(*T).M`,
 *   `.f.func1` → `main.f.func1`, `.init.0` → `main.init.0`, `.F[go.shape.int]` → `main.F[…]`;
 * - the package's types inside other symbols' shape arguments: a shape is the underlying type's
 *   link string, in which named types and unexported field names carry the package prefix, e.g.
 *   `lib.(*Stack[go.shape.struct { example.com/x/cmd/y.a int; example.com/x/cmd/y.k example.com/x/cmd/y.kind }]).Push`
 *   is `lib.(*Stack[go.shape.struct { main.a int; main.k main.kind }]).Push` in the program;
 * - the test binary's own generated main package (`_testmain.go`: `main.main`, `main.init.0`)
 *   would collide with the program's `main.main` and `main.init.0` once the package is renamed,
 *   so its functions are renamed out of the way to `_testmain.<name>` (a prefix no Go package
 *   compiles to). They are rarely sampled; PGO never sees them in a normal build.
 *
 * Functions declared in `_test.go` files (benchmarks, test helpers, their closures) keep the
 * test binary's names, and so do those of the external test package (`<path>_test.F`): the
 * program has no such functions, so they match nothing either way, and under their test names
 * they are not mistaken for the program's own functions gone missing.
 */
import { decodePprofData, loadProfileData } from '../pgo/load';
import type { PgoProfile } from '../pgo/model';
import { encodePprofGzip } from '../profile/encode';
import type { PprofProfile } from '../profile/pprof';
import { pathToPrefix } from '../source/names';
import { rewritePprof } from '../match/rewrite';

/** The prefix given to the test binary's generated main package functions. */
export const TESTMAIN_PREFIX = '_testmain.';

export interface Rename {
  from: string;
  to: string;
}

export interface TestNameRewrite {
  /** Gzipped pprof, everything but the renamed function names kept. */
  bytes: Buffer;
  /** The rewritten profile as the compiler reads it. */
  profile: PgoProfile;
  /** Functions of the package under test (or naming its types), old → new. Sorted by `from`. */
  renamed: Rename[];
  /** Functions of the test binary's `_testmain.go`, renamed out of `main.`. */
  testmain: Rename[];
  /** Functions of the package declared in its `_test.go` files: names kept. Sorted. */
  testOnly: string[];
}

/**
 * Before a package prefix, the characters that end a preceding token in a symbol or link
 * string: start, space, brackets, parentheses, braces, `*`, `,`, `;` (and `...`, checked apart).
 */
const BOUNDARY = new Set([' ', '\t', '[', ']', '(', ')', '{', '}', '*', ',', ';']);

/**
 * Respells a test-binary symbol as the normal build names it: every occurrence of the package's
 * linker prefix (`PathToPrefix(importPath) + "."`) that starts a token becomes `main.`.
 */
export function mainPackageSymbol(sym: string, importPath: string): string {
  const prefix = `${pathToPrefix(importPath)}.`;
  let i = sym.indexOf(prefix);
  if (i < 0) return sym;
  let out = '';
  let from = 0;
  while (i >= 0) {
    const atToken = i === 0 || BOUNDARY.has(sym[i - 1]!) || (i >= 3 && sym.slice(i - 3, i) === '...');
    if (atToken) {
      out += `${sym.slice(from, i)}main.`;
      from = i + prefix.length;
      i = sym.indexOf(prefix, from);
    } else {
      i = sym.indexOf(prefix, i + 1);
    }
  }
  return out + sym.slice(from);
}

const isTestFile = (file: string): boolean => file.endsWith('_test.go');

/** True for a function of the test binary's generated main package. */
function isTestmain(name: string, file: string): boolean {
  return name.startsWith('main.') && (file === '_testmain.go' || file.endsWith('/_testmain.go') || file.endsWith('\\_testmain.go'));
}

/**
 * The renames for a decoded test-binary profile of the main package `importPath` (no change
 * to the profile).
 */
export function planTestNameRewrite(p: PprofProfile, importPath: string): Pick<TestNameRewrite, 'renamed' | 'testmain' | 'testOnly'> {
  const F = p.functions;
  const renamed = new Map<string, string>();
  const testmain = new Map<string, string>();
  const testOnly = new Set<string>();
  for (let f = 0; f < F.count; f++) {
    const file = p.strings[F.filename[f]!] ?? '';
    for (const idx of [F.name[f]!, F.systemName[f]!]) {
      const name = p.strings[idx] ?? '';
      if (name === '' || renamed.has(name) || testmain.has(name) || testOnly.has(name)) continue;
      if (isTestmain(name, file)) {
        testmain.set(name, TESTMAIN_PREFIX + name.slice('main.'.length));
        continue;
      }
      const to = mainPackageSymbol(name, importPath);
      if (to === name) continue;
      if (isTestFile(file)) testOnly.add(name);
      else renamed.set(name, to);
    }
  }
  const list = (m: Map<string, string>): Rename[] =>
    [...m].map(([from, to]) => ({ from, to })).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return { renamed: list(renamed), testmain: list(testmain), testOnly: [...testOnly].sort() };
}

/**
 * Rewrites a `go test -cpuprofile` profile of the main package `importPath` so that it matches
 * a normal build of that package. Uses the profile rewrite machinery of refactors
 * (`rewritePprof`: Function.name and system_name; samples, lines and mappings untouched). The
 * result must load as the compiler reads it and keep the input's total edge weight.
 */
export async function rewriteTestBinaryNames(bytes: Uint8Array, importPath: string): Promise<TestNameRewrite> {
  const p = await decodePprofData(bytes, { keepSamples: true, heat: false });
  if (!p) throw new Error('the test profile is empty: nothing to rename');
  const before = (await loadProfileData(bytes, { heat: false })).profile;
  const { renamed, testmain, testOnly } = planTestNameRewrite(p, importPath);
  // Two passes: the generated main package first, so that its `main.main` is out of the way
  // before the package under test takes the name.
  rewritePprof(p, { renames: new Map(testmain.map((r) => [r.from, r.to])), realign: new Map() });
  rewritePprof(p, { renames: new Map(renamed.map((r) => [r.from, r.to])), realign: new Map() });
  const out = encodePprofGzip(p);
  const { profile } = await loadProfileData(out, { heat: false });
  if (profile.totalWeight !== before.totalWeight) {
    throw new Error(`internal: renaming changed the total edge weight (${before.totalWeight} → ${profile.totalWeight})`);
  }
  const prefix = `${pathToPrefix(importPath)}.`;
  const kept = new Set(testOnly);
  for (const e of profile.edges) {
    for (const s of [e.caller, e.callee]) {
      if (!kept.has(s) && mainPackageSymbol(s, importPath) !== s) throw new Error(`internal: ${s} still names ${prefix} after the rewrite`);
    }
  }
  return { bytes: out, profile, renamed, testmain, testOnly };
}
