/**
 * Oracle: the normalized `FuncEntry.signature` and `CallSite.funcType` strings against
 * `types.Identical`. `sigoracle/` (a small Go program on go/types, export data from
 * `go list -export`) groups every declared non-generic function's signature (receiver dropped)
 * and every called function value's type into classes of identical types. Our strings must
 * induce the same partition: equal strings for identical types ("iff"), as far as we give one.
 *
 * `PGO_LENS_SIGNATURE_PACKAGES="a b"` replaces the GOROOT package list.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../../paths';
import type { PackageIndex } from '../../../src/source/index';
import type { ExternalPackage } from '../../../src/source/package-env';
import { GO_ENV, goEnvValue, requireGo } from './compiler';
import { tmpDir } from '../goenv';
import { goListJson, indexListed } from './go-list';

const ENV: NodeJS.ProcessEnv = { ...GO_ENV, GOWORK: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' };

interface OracleItem {
  kind: 'func' | 'call';
  name?: string;
  file: string;
  line: number;
  col: number;
  group: number;
}

let oracleBin: string | undefined;

function sigoracle(cwd: string, patterns: string[]): OracleItem[] {
  if (!oracleBin) {
    oracleBin = path.join(tmpDir('sigoracle'), 'sigoracle');
    const b = spawnSync('go', ['build', '-o', oracleBin, '.'], {
      cwd: path.join(repoRoot, 'test', 'oracle', 'source', 'sigoracle'),
      env: ENV,
      encoding: 'utf8',
    });
    assert.equal(b.status, 0, b.stderr);
  }
  const r = spawnSync(oracleBin, patterns, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as OracleItem);
}

const shared = new Map<string, ExternalPackage | undefined>();

function indexPackages(cwd: string, patterns: string[]): { dir: string; ix: PackageIndex }[] {
  const goroot = goEnvValue('GOROOT');
  return goListJson(patterns, ENV, cwd).map((info) => ({ dir: info.Dir, ix: indexListed(info, goroot, shared).ix }));
}

interface Partition {
  funcs: { total: number; known: number };
  calls: { total: number; known: number };
  /** Our equal strings for types that are not identical. */
  falseEqual: string[];
  /** Identical types spelled differently. */
  falseDifferent: string[];
  unmatched: string[];
  /** Functions without a signature (a type the index cannot resolve). */
  unknown: string[];
}

function comparePartition(pkgs: { dir: string; ix: PackageIndex }[], items: OracleItem[]): Partition {
  const funcs = new Map<string, { name: string; start: number; end: number; sig: string | undefined }[]>();
  const calls = new Map<string, string | undefined>();
  for (const { dir, ix } of pkgs) {
    for (const f of ix.funcs) {
      if (f.kind === 'func' || f.kind === 'method') {
        const k = path.join(dir, f.file);
        const l = funcs.get(k) ?? [];
        l.push({ name: f.name.slice(f.name.lastIndexOf('.') + 1), start: f.physicalStartLine, end: f.physicalEndLine, sig: f.signature });
        funcs.set(k, l);
      }
      for (const c of f.calls) {
        if (c.dispatch === 'funcvalue') calls.set(`${path.join(dir, c.file ?? f.file)}:${c.physicalLine}:${c.col}`, c.funcType);
      }
    }
  }
  const res: Partition = { funcs: { total: 0, known: 0 }, calls: { total: 0, known: 0 }, falseEqual: [], falseDifferent: [], unmatched: [], unknown: [] };
  const byString = new Map<string, Map<number, string>>();
  const byGroup = new Map<number, Map<string, string>>();
  const note = (s: string, g: number, where: string): void => {
    const a = byString.get(s) ?? new Map<number, string>();
    if (!a.has(g)) a.set(g, where);
    byString.set(s, a);
    const b = byGroup.get(g) ?? new Map<string, string>();
    if (!b.has(s)) b.set(s, where);
    byGroup.set(g, b);
  };
  for (const it of items) {
    const where = `${path.basename(it.file)}:${it.line}:${it.col}`;
    if (it.kind === 'func') {
      if (it.name === 'init' || it.name === '_') continue; // not values (and blank functions are not compiled)
      const e = funcs.get(it.file)?.find((x) => x.name === it.name && x.start <= it.line && it.line <= x.end);
      if (!e) {
        res.unmatched.push(`func ${it.name} at ${where}`);
        continue;
      }
      res.funcs.total++;
      if (e.sig === undefined) {
        res.unknown.push(`${where} ${it.name}`);
        continue;
      }
      res.funcs.known++;
      note(e.sig, it.group, `${where} ${it.name}`);
    } else {
      const k = `${it.file}:${it.line}:${it.col}`;
      if (!calls.has(k)) continue; // a variable the compiler sees through (static), or not a call to us
      res.calls.total++;
      const ft = calls.get(k);
      if (ft === undefined) continue;
      res.calls.known++;
      note(ft, it.group, `${where} (call)`);
    }
  }
  for (const [s, gs] of byString) if (gs.size > 1) res.falseEqual.push(`${s}: not identical at ${[...gs.values()].join(', ')}`);
  for (const [, ss] of byGroup) if (ss.size > 1) res.falseDifferent.push(`identical but spelled ${[...ss].map(([s, w]) => `${s} (${w})`).join(' / ')}`);
  return res;
}

function report(t: TestContext, name: string, r: Partition): void {
  t.diagnostic(`${name}: signatures for ${r.funcs.known}/${r.funcs.total} functions, funcType for ${r.calls.known}/${r.calls.total} function-value calls`);
  t.diagnostic(`  ${r.falseEqual.length} equal strings for non-identical types, ${r.falseDifferent.length} identical types spelled differently`);
  for (const x of [...r.falseEqual, ...r.falseDifferent].slice(0, 40)) t.diagnostic(`  ${x}`);
  for (const x of r.unmatched.slice(0, 20)) t.diagnostic(`  unmatched: ${x}`);
  for (const x of r.unknown.slice(0, 20)) t.diagnostic(`  no signature: ${x}`);
}

for (const fixture of ['interp', 'shapes', 'textproc', 'naming']) {
  test(`signatures and funcTypes in fixture ${fixture} partition like types.Identical`, (t) => {
    if (!requireGo(t)) return;
    const root = path.join(fixturesDir, fixture);
    const r = comparePartition(indexPackages(root, ['./...']), sigoracle(root, ['./...']));
    report(t, fixture, r);
    assert.deepEqual(r.falseEqual, []);
    assert.deepEqual(r.falseDifferent, []);
    assert.deepEqual(r.unmatched, []);
    assert.ok(r.funcs.known > 0);
  });
}

test('signatures and funcTypes in GOROOT packages partition like types.Identical', (t) => {
  if (!requireGo(t)) return;
  const list = (process.env.PGO_LENS_SIGNATURE_PACKAGES ?? '').split(/\s+/).filter(Boolean);
  const pkgs = list.length ? list : ['encoding/json', 'text/template', 'go/types', 'net/http'];
  const dir = tmpDir('signatures');
  const r = comparePartition(indexPackages(dir, pkgs), sigoracle(dir, pkgs));
  report(t, pkgs.join(' '), r);
  assert.deepEqual(r.falseEqual, []);
  assert.deepEqual(r.falseDifferent, []);
  assert.deepEqual(r.unmatched, []);
});
