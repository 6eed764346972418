/**
 * Oracle: the profile explorer's numbers (src/explore through ExplorerService, the path the
 * webview's queries take) equal `go tool pprof`'s: the top table equals `-top -nodefraction=0`
 * row for row, the inverted tree's first level equals each function's flat, callers and callees
 * equal `-peek`, and the search share equals what `-focus` keeps.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../src/worker/engine';
import type { Args, MethodName, Result } from '../../src/worker/protocol';
import { withoutFunction } from '../explore-profiles';
import { ExplorerService, type ExplorerWorkspace } from '../../src/explore/service';
import { childrenOf } from '../../src/explore/tree';
import { formatPercent } from '../../src/editor/explorer/webview/format';
import { fixtureProfiles } from '../fuzzing';
import { repoRoot } from '../paths';
import { goBuildTrimmed, goroot, requireGo, tmpDir } from './goenv';

const opts = requireGo();

/** No workspace: the explorer's numbers do not depend on one. */
const noWorkspace: ExplorerWorkspace = {
  explorerBinary: () => null,
  explorerPgoCalls: () => ({ inline: [], devirt: [] }),
  explorerLocate: () => null,
  explorerSymbolAt: () => null,
  explorerChanges: () => {
    throw new Error('no workspace');
  },
};

function goPprof(file: string, args: string[]): string {
  const r = spawnSync('go', ['tool', 'pprof', '-symbolize=none', '-nodefraction=0', '-edgefraction=0', ...args, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  assert.equal(r.status, 0, `go tool pprof ${args.join(' ')} ${file} failed: ${r.stderr}`);
  return r.stdout;
}

/** An exact pprof value: `487` or `4870000000ns` (-unit=ns). */
function value(s: string): number {
  const m = /^(-?\d+)(ns)?$/.exec(s);
  assert.ok(m, `unexpected pprof value ${JSON.stringify(s)}`);
  return Number(m[1]);
}

const unitArgs = (type: string): string[] => (type === 'cpu' ? ['-unit=ns'] : []);

function parseTop(text: string): { total: number; shown: number; rows: Array<{ name: string; flat: number; cum: number }> } {
  const head = /Showing nodes accounting for (\S+), \S+ of (\S+) total/.exec(text);
  assert.ok(head, `no totals in pprof output:\n${text.slice(0, 400)}`);
  const rows: Array<{ name: string; flat: number; cum: number }> = [];
  let inRows = false;
  for (const line of text.split('\n')) {
    if (/^\s+flat\s+flat%\s+sum%\s+cum\s+cum%/.test(line)) {
      inRows = true;
      continue;
    }
    if (!inRows || line.trim() === '') continue;
    const m = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s+(.*)$/.exec(line);
    assert.ok(m, `unparsed pprof row ${JSON.stringify(line)}`);
    rows.push({ name: m[3]!.replace(/ \((partial-)?inline\)$/, ''), flat: value(m[1]!), cum: value(m[2]!) });
  }
  return { total: value(head[2]!), shown: value(head[1]!), rows };
}

/** `-peek` of one function: its callers (above its row) and callees (below), as name → weight. */
function parsePeek(text: string, name: string): { callers: Array<[string, number]>; callees: Array<[string, number]> } {
  const out = { callers: [] as Array<[string, number]>, callees: [] as Array<[string, number]> };
  let block: string[] = [];
  const blocks: string[][] = [];
  for (const line of text.split('\n')) {
    if (/^-+\+-+/.test(line)) {
      if (block.length) blocks.push(block);
      block = [];
    } else if (line.includes('|')) block.push(line);
  }
  for (const b of blocks) {
    const self = b.findIndex((l) => /\|\s(\S.*)$/.exec(l)?.[1] === name);
    if (self < 0) continue;
    const edge = (l: string): [string, number] => {
      const m = /^\s*(\S+)\s+\S+%\s+\|\s{3}(.*)$/.exec(l);
      assert.ok(m, `unparsed -peek edge ${JSON.stringify(l)}`);
      return [m[2]!.replace(/ \((partial-)?inline\)$/, ''), value(m[1]!)];
    };
    out.callers = b.slice(0, self).map(edge);
    out.callees = b.slice(self + 1).map(edge);
    return out;
  }
  assert.fail(`no -peek block for ${name}`);
}

const re = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function assertExplorerEqualsPprof(file: string): Promise<void> {
  const x = new ExplorerService(() => noWorkspace);
  const info = await x.open({ path: file });
  const type = info.sampleTypes[info.sampleIndex]!.split('/')[0]!;
  const go = parseTop(goPprof(file, ['-top', ...unitArgs(type)]));
  assert.equal(info.totals[0], go.total, `${file}: total`);
  const rows: Array<{ name: string; flat: number; cum: number }> = [];
  for (let offset = 0; ;) {
    const page = x.top({ session: info.session, sort: 'flat', desc: true, filter: '', offset, count: 50 });
    rows.push(...page.rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum })));
    offset += page.rows.length;
    if (page.rows.length === 0 || offset >= page.matched) break;
  }
  assert.deepEqual(rows, go.rows, `${file}: the top table, paged, equals -top row for row`);
  // The inverted tree's first level is every function's flat (computed by the tree, not by flatcum).
  const t = await x.tree(info.session, 'bottom-up');
  const level1 = new Map<string, number>();
  for (const n of childrenOf(t, 0)) {
    level1.set(t.names.names[t.fn[n]!]!, t.cum[0]![n]!);
  }
  assert.deepEqual(level1, new Map(go.rows.filter((r) => r.flat !== 0).map((r) => [r.name, r.flat])), `${file}: inverted tree level 1 = flat`);
  // The top-down tree's root is the total.
  assert.equal((await x.tree(info.session, 'top-down')).cum[0]![0], go.total);
  // Callers and callees of the three functions with the largest cum below 100%.
  const heavy = [...go.rows]
    .sort((a, b) => b.cum - a.cum || (a.name < b.name ? -1 : 1))
    .filter((r) => r.cum < go.total)
    .slice(0, 3);
  for (const r of heavy) {
    const peek = parsePeek(goPprof(file, [`-peek=^${re(r.name)}$`, ...unitArgs(type)]), r.name);
    const ours = x.neighbors({ session: info.session, name: r.name });
    const sorted = (l: Array<[string, number]>): Array<[string, number]> => [...l].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    assert.deepEqual(sorted(ours.callers.map((e) => [e.name, e.weight])), sorted(peek.callers), `${file}: callers of ${r.name}`);
    assert.deepEqual(sorted(ours.callees.map((e) => [e.name, e.weight])), sorted(peek.callees), `${file}: callees of ${r.name}`);
    assert.deepEqual([ours.flat, ours.cum], [r.flat, r.cum], `${file}: ${r.name} flat/cum in -peek`);
  }
}

describe('the explorer equals go tool pprof', opts, () => {
  it('every fixture profile: top table, inverted tree, callers/callees', async () => {
    const files = fixtureProfiles();
    assert.ok(files.length >= 4, `expected at least 4 fixture profiles, found ${files.length}`);
    for (const f of files) await assertExplorerEqualsPprof(f);
  });

  it("cmd/compile's default.pgo", async () => {
    await assertExplorerEqualsPprof(path.join(goroot(), 'src', 'cmd', 'compile', 'default.pgo'));
  });

  it("the table's percentage cells, as the webview formats them, are the columns pprof prints", async () => {
    const file = path.join(repoRoot, 'test', 'fixtures', 'interp', 'default.pgo');
    const x = new ExplorerService(() => noWorkspace);
    const info = await x.open({ path: file });
    const printed: string[][] = [];
    let rows = false;
    for (const line of goPprof(file, ['-top', '-unit=ns']).split('\n')) {
      if (/^\s+flat\s+flat%/.test(line)) rows = true;
      else if (rows && line.trim()) printed.push(/^\s*\S+\s+(\S+%)\s+(\S+%)\s+\S+\s+(\S+%)\s/.exec(line)!.slice(1, 4));
    }
    const page = x.top({ session: info.session, sort: 'flat', desc: true, filter: '', offset: 0, count: 2000 });
    assert.equal(page.rows.length, printed.length);
    assert.deepEqual(
      page.rows.map((r) => [formatPercent(r.flatPercent), formatPercent(r.sumPercent), formatPercent(r.cumPercent)]),
      printed,
    );
  });

  it('search share equals what -focus keeps', async () => {
    const file = path.join(repoRoot, 'test', 'fixtures', 'interp', 'default.pgo');
    const x = new ExplorerService(() => noWorkspace);
    const info = await x.open({ path: file });
    // Patterns that can only match function names (pprof's focus also tries file and mapping names).
    for (const pattern of ['Binary\\)\\.Eval$', '^main\\.exec', '^runtime\\.mallocgc$']) {
      const go = parseTop(goPprof(file, ['-top', '-unit=ns', `-focus=${pattern}`]));
      const ours = x.search({ session: info.session, pattern });
      assert.ok(ours.functions.length > 0, `${pattern} matches something`);
      assert.equal(ours.matched, go.shown, `${pattern}: match share`);
    }
  });
});

describe("the explorer's links and PGO consequences agree with the Go toolchain", opts, () => {
  const call = async <M extends MethodName>(engine: Engine, m: M, args: Args<M>): Promise<Result<M>> => {
    const r = await engine.handle(1, m, args);
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
    return r.value as Result<M>;
  };

  it('opens runtime functions in GOROOT at their declaration', async () => {
    const dir = tmpDir('explore-goroot');
    try {
      fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'interp'), dir, { recursive: true });
      const engine = new Engine();
      await call(engine, 'openWorkspace', { folders: [dir], thresholdPercent: 99 });
      const info = await call(engine, 'explorerOpen', { path: path.join(dir, 'default.pgo') });
      const loc = await call(engine, 'explorerLocate', { session: info.session, name: 'runtime.mallocgc' });
      assert.ok(loc, 'runtime.mallocgc located');
      assert.ok(loc.file.startsWith(path.join(goroot(), 'src', 'runtime') + path.sep), loc.file);
      assert.match(fs.readFileSync(loc.file, 'utf8').split('\n')[loc.line]!, /^func mallocgc\(/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a diff's consequences are what the compiler does with the new profile", async () => {
    const dir = tmpDir('explore-diff');
    try {
      fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'interp'), dir, { recursive: true });
      const next = path.join(dir, 'no-arith.pprof');
      fs.writeFileSync(next, withoutFunction(fs.readFileSync(path.join(dir, 'default.pgo')), 'main.execArith'));
      const engine = new Engine();
      await call(engine, 'openWorkspace', { folders: [dir], thresholdPercent: 99 });
      const info = await call(engine, 'explorerDiff', { base: path.join(dir, 'default.pgo'), next, normalize: 'total' });
      const c = await call(engine, 'explorerChanges', { session: info.session });
      const d = c.devirtualizations.find((x) => x.file.endsWith('vm.go') && x.line === 88);
      assert.ok(d, 'the devirtualization at vm.go:88 changes');
      // (-trimpath: the copy's compiles come from the build cache on a warm run; no `./` in front of positions)
      const build = (pgo: string): string => goBuildTrimmed(dir, [`-pgo=${pgo}`, '-gcflags=example.com/interp/...=-m -d=pgodebug=1', '.']);
      const before = build(path.join(dir, 'default.pgo'));
      const after = build(next);
      const site = (out: string): string | undefined => /^vm\.go:88:18: PGO devirtualizing function call handlers\[in\.op\] to (\S+)$/m.exec(out)?.[1];
      assert.equal(site(before), 'execArith', 'the compiler devirtualizes vm.go:88 to execArith with the fixture profile');
      const short = (sym: string | undefined): string | undefined => sym?.replace(/^main\./, '');
      assert.equal(site(after), short(d.after?.callee), `the compiler's target with the new profile is the explorer's (${d.change})`);
      const hot = (out: string): boolean => /hot-budget check allows inlining for call main\.execArith \(cost \d+\) at vm\.go:88:18/.test(out);
      assert.ok(hot(before), 'execArith is inlined with the hot budget before');
      assert.ok(!hot(after), 'and not after');
      assert.ok(
        c.stoppedHot.some((h) => h.callee === 'main.execArith' && h.line === 88),
        'the explorer says the site stopped being hot',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
