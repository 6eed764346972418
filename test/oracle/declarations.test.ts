/**
 * Oracle for the source index against profiles: every profile function whose package is in the
 * indexed tree must have a declaration at the profile's own recorded file and start line
 * (Function.filename, Function.start_line). Fixtures: 100 %. cmd/compile's default.pgo against
 * $(go env GOROOT)/src/cmd/compile (the profile is older than the source): every miss is
 * classified with its evidence, and none is left unexplained.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadProfileFile } from '../../src/pgo/load';
import { genericKey, splitSymbol } from '../../src/source/index';
import { indexTree, type IndexedTreePackage } from '../../src/source/symbols';
import { fixtureProfiles } from '../fuzzing';
import { goroot, requireGo } from './goenv';

const opts = requireGo();

interface Check {
  total: number;
  exact: number;
  /** Of `exact`: inlined closure copies found as the closure they copy. */
  copies: number;
  misses: Array<{ symbol: string; why: string }>;
}

/** Profile file paths are absolute on the profiled machine: compare their tail with ours. */
function sameFile(recorded: string, ours: string): boolean {
  const a = recorded.split(/[\\/]/);
  const b = ours.split(/[\\/]/);
  const n = Math.min(a.length, b.length, 4);
  return a.slice(-n).join('/') === b.slice(-n).join('/');
}

async function check(root: string, pgo: string, mainOnly?: string): Promise<Check> {
  const pkgs = await indexTree(root);
  const { profile } = await loadProfileFile(pgo);
  const usable = pkgs.filter((p) => p.symbolPath !== 'main' || !mainOnly || p.dir === mainOnly);
  const bySym = new Map<string, { pkg: IndexedTreePackage; entry: IndexedTreePackage['index']['funcs'][number] }>();
  const byName = new Map<string, string[]>(); // last name component → symbols (evidence for renames/moves)
  for (const pkg of usable)
    for (const e of pkg.index.funcs) {
      bySym.set(genericKey(e.symbol), { pkg, entry: e });
      const base = e.name.split('.').pop()!;
      byName.set(base, [...(byName.get(base) ?? []), e.symbol]);
    }
  const prefixes = new Set(usable.map((p) => p.index.symbolPrefix));
  const r: Check = { total: 0, exact: 0, copies: 0, misses: [] };
  for (const f of profile.heat.rows()) {
    if (!prefixes.has(splitSymbol(f.name).prefix)) continue;
    r.total++;
    const hit = bySym.get(genericKey(f.name));
    if (hit) {
      const file = path.join(hit.pkg.dir, hit.entry.file);
      if (sameFile(f.file, file) && hit.entry.startLine === f.startLine) {
        r.exact++;
        continue;
      }
      r.misses.push({
        symbol: f.name,
        why: sameFile(f.file, file)
          ? `moved within its file: profile start line ${f.startLine}, source ${hit.entry.startLine}`
          : `moved to another file: profile ${f.file}:${f.startLine}, source ${path.relative(root, file)}:${hit.entry.startLine}`,
      });
      continue;
    }
    const { name } = splitSymbol(f.name);
    // A copy of a closure made by inlining (Caller.<inlined names>.funcN) is the original
    // closure's code, possibly from another package: it must be declared at the recorded file
    // and start line.
    const atLine = usable.flatMap((p) => p.index.funcs.filter((e) => e.startLine === f.startLine && sameFile(f.file, path.join(p.dir, e.file))));
    if (atLine.some((e) => e.kind === 'closure' || e.kind === 'range')) {
      r.exact++;
      r.copies++;
      continue;
    }
    if (/\.func\d+|\.\d+$|-range\d+/.test(name)) {
      const parent = name.replace(/(\.func\d+|\.\d+|-range\d+)+$/, '');
      const parentHit = bySym.get(genericKey(`${splitSymbol(f.name).prefix}.${parent}`));
      r.misses.push({
        symbol: f.name,
        why: parentHit
          ? `closure numbering of ${parent} changed (its parent exists, no closure at the recorded line)`
          : `closure or inlined closure copy named after ${parent}, not a declaration in this source, none at the recorded line`,
      });
      continue;
    }
    const base = name.split('.').pop()!;
    const similar = (byName.get(base) ?? []).slice(0, 3);
    r.misses.push({
      symbol: f.name,
      why: similar.length ? `renamed or moved: same name now at ${similar.join(', ')}` : 'removed from the source (no declaration of that name)',
    });
  }
  return r;
}

describe('declarations at the profile’s recorded file and start line', opts, () => {
  it('fixtures: 100 %', async () => {
    for (const pgo of fixtureProfiles()) {
      const mainDir = path.dirname(pgo);
      let root = mainDir;
      while (!existsSync(path.join(root, 'go.mod'))) root = path.dirname(root);
      const r = await check(root, pgo, mainDir);
      assert.ok(r.total > 10, `${pgo}: only ${r.total} module functions in the profile`);
      assert.deepEqual(r.misses, [], `${pgo}: ${r.exact}/${r.total}`);
    }
  });

  it("cmd/compile's default.pgo against GOROOT/src/cmd/compile: match rate, every miss explained", async () => {
    const root = path.join(goroot(), 'src', 'cmd', 'compile');
    const r = await check(root, path.join(root, 'default.pgo'));
    const byWhy = new Map<string, number>();
    for (const m of r.misses) {
      const k = m.why.replace(/:.*/, '');
      byWhy.set(k, (byWhy.get(k) ?? 0) + 1);
    }
    const bySymbol = r.total - r.misses.filter((m) => !m.why.startsWith('moved')).length;
    console.log(
      `cmd/compile: ${bySymbol}/${r.total} profile functions have a declaration of that symbol (${((bySymbol / r.total) * 100).toFixed(1)}%); ` +
        `${r.exact} (${((r.exact / r.total) * 100).toFixed(1)}%) at their recorded file and start line (${r.copies} of them inlined closure copies). ` +
        'Functions that moved keep matching for PGO: offsets are relative to the start line.',
    );
    for (const [k, n] of byWhy) console.log(`  ${n} ${k}`);
    for (const m of r.misses.slice(0, 400)) console.log(`    ${m.symbol}: ${m.why}`);
    assert.ok(r.total > 500);
    assert.ok(r.misses.every((m) => m.why.length > 0));
    assert.ok(bySymbol / r.total > 0.9, 'most of the profile should still name declarations of the source');
  });
});
