/**
 * Oracle: how the compiler's PGO devirtualizer sees each call, against `CallSite.dispatch`.
 *
 * `go build -gcflags=<pkg>=-d=pgodebug=3 -pgo=<profile>` prints one JSON `CallStat` per call the
 * devirtualizer visits (`cmd/compile/internal/devirtualize/pgo.go`): `Direct` (a statically known
 * callee), `Interface` (OCALLINTER), neither (a function-value call). Any non-empty profile
 * works; the fixtures' own `default.pgo` also makes the compiler devirtualize, which lets us check
 * `funcType` against the target's signature.
 *
 * Each CallStat is matched to an index call site by position (file:line:col of the `(`, or of
 * `for` for range-over-func loops) and caller symbol. CallStats that are not source calls are
 * classified, not ignored: calls in dictionary wrappers (at the generic function's declaration),
 * in synthetic method-value closures (at the selector), range-over-func bookkeeping
 * (`runtime.panicrangestate`), and generic code of other packages instantiated here.
 *
 * `PGO_LENS_DISPATCH_PACKAGES="a b"` replaces the GOROOT package list.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fixturesDir } from '../../paths';
import type { ExternalPackage } from '../../../src/source/package-env';
import { goEnvValue, requireGo } from './compiler';
import { type CallStat, callStats, compareDispatch, type DispatchReport, indexPackages, reportLines } from './dispatch-oracle';

function report(t: TestContext, name: string, r: DispatchReport): void {
  for (const line of reportLines(name, r)) t.diagnostic(line);
}

const shared = new Map<string, ExternalPackage | undefined>();

interface FixtureBuild {
  fixture: string;
  /** Main package directories (relative to the fixture) with their profile. */
  mains: { dir: string; profile?: string }[];
}

const FIXTURES: FixtureBuild[] = [
  { fixture: 'interp', mains: [{ dir: '.' }] },
  { fixture: 'shapes', mains: [{ dir: 'cmd/shapes' }] },
  { fixture: 'textproc', mains: [{ dir: 'cmd/wordfreq' }, { dir: 'cmd/digest' }] },
  // no profile of its own: any non-empty profile makes the compiler report every call
  { fixture: 'naming', mains: [{ dir: '.', profile: path.join(goEnvValueSafe('GOROOT'), 'src', 'cmd', 'compile', 'default.pgo') }] },
];

function goEnvValueSafe(name: string): string {
  const r = spawnSync('go', ['env', name], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

for (const fx of FIXTURES) {
  test(`dispatch of every call in fixture ${fx.fixture} matches the compiler's PGO CallStats`, (t) => {
    if (!requireGo(t)) return;
    const root = path.join(fixturesDir, fx.fixture);
    const mod = `example.com/${fx.fixture}`;
    const stats: CallStat[] = [];
    for (const m of fx.mains) {
      const profile = m.profile ?? path.join(root, m.dir, 'default.pgo');
      assert.ok(existsSync(profile), profile);
      stats.push(...callStats(root, [`${mod}/...`], ['./' + m.dir], profile));
    }
    const pkgs = indexPackages(root, ['./...'], shared);
    const r = compareDispatch(pkgs, stats);
    report(t, fx.fixture, r);
    assert.ok(r.sites > 20);
    assert.deepEqual(r.unexplained, []);
    assert.deepEqual(r.disagreements, []);
    assert.deepEqual(r.calleeWrong, []);
    assert.deepEqual(r.funcTypeWrong, []);
  });
}

// go/types: generics, range-over-func, interfaces everywhere; internal/profile: an internal
// package (built directly, not through an importing main).
const DEFAULT_GOROOT = ['encoding/json', 'text/template', 'go/types', 'internal/profile'];

test('dispatch of every call in GOROOT packages matches the compiler (cmd/compile default.pgo)', (t) => {
  if (!requireGo(t)) return;
  const list = (process.env.PGO_LENS_DISPATCH_PACKAGES ?? '').split(/\s+/).filter(Boolean);
  const pkgsWanted = list.length ? list : DEFAULT_GOROOT;
  // Building the packages themselves (no -o: the results are discarded) works for internal and
  // cmd/ packages too, which a main package outside GOROOT could not import.
  const dir = mkdtempSync(path.join(tmpdir(), 'pgo-lens-dispatch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const profile = path.join(goEnvValue('GOROOT'), 'src', 'cmd', 'compile', 'default.pgo');
  const stats = callStats(dir, pkgsWanted, pkgsWanted, profile, false);
  const pkgs = indexPackages(dir, pkgsWanted, shared);
  let failures = 0;
  let total = 0;
  for (const p of pkgs) {
    const r = compareDispatch(
      [p],
      stats.filter((s) => s.Pkg === p.ix.pkgPath),
    );
    report(t, p.importPath, r);
    total += r.sites;
    failures += r.unexplained.length + r.disagreements.length + r.calleeWrong.length + r.funcTypeWrong.length;
  }
  assert.ok(total > 0, 'no CallStats matched');
  assert.equal(failures, 0);
});
