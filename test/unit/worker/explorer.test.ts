/**
 * The explorer through the worker's engine on a temp copy of the `interp` fixture: PGO marks on
 * frames come from the binary's match, a function opens at its declaration (checked against the
 * source text), the cursor's function is found, and a diff against a profile without
 * `main.execArith` reports the consequences the committed compiler output implies
 * (expected/interp.pgodebug.txt: execArith is inlined with the hot budget and is the
 * devirtualization target at vm.go:88).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FLAG_PGO_DEVIRT, FLAG_PGO_INLINE } from '../../../src/explore/flame';
import { WorkerClient } from '../../../src/worker/client';
import { Engine } from '../../../src/worker/engine';
import type { Args, MethodName, Result } from '../../../src/worker/protocol';
import { withoutFunction } from '../../explore-profiles';
import { fixturesDir, repoRoot } from '../../paths';

describe('explorer through the engine (interp fixture)', () => {
  let tmp: string;
  let dir: string;
  const engine = new Engine();
  const call = async <M extends MethodName>(m: M, args: Args<M>): Promise<Result<M>> => {
    const r = await engine.handle(1, m, args);
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
    return r.value as Result<M>;
  };

  before(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-explore-')));
    dir = path.join(tmp, 'interp');
    fs.cpSync(path.join(fixturesDir, 'interp'), dir, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'no-arith.pgo'), withoutFunction(fs.readFileSync(path.join(dir, 'default.pgo')), 'main.execArith'));
    await call('openWorkspace', { folders: [dir], thresholdPercent: 99, trusted: false });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("opens the binary's profile with its match and marks the calls PGO inlines or devirtualizes", async () => {
    const info = await call('explorerOpen', { path: path.join(dir, 'default.pgo') });
    assert.equal(info.binary, dir);
    assert.equal(info.sampleTypes[info.sampleIndex], 'cpu/nanoseconds', "pprof's default sample index: the last type");
    const details = await call('binaryDetails', { binary: dir, limit: 1000 });
    const s = await call('explorerFlame', { session: info.session, view: 'top-down', root: 0, minFraction: 0, maxNodes: 50_000 });
    const parentOf = new Map<number, number>();
    // Breadth first: a node's parent is the last earlier node one level up that covers its start.
    for (let i = 1; i < s.node.length; i++) {
      for (let j = i - 1; j >= 0; j--) {
        if (s.depth[j] === s.depth[i]! - 1 && s.x[j]! <= s.x[i]! + 1e-12 && s.x[i]! < s.x[j]! + s.w[j]! - 1e-12) {
          parentOf.set(i, j);
          break;
        }
      }
    }
    const name = (i: number): string => s.names[s.name[i]!]!;
    const marked = (bit: number): Set<string> => {
      const out = new Set<string>();
      for (const [i, p] of parentOf) if (s.flags[i]! & bit) out.add(`${name(p)} → ${name(i)}`);
      return out;
    };
    const inline = marked(FLAG_PGO_INLINE);
    const devirt = marked(FLAG_PGO_DEVIRT);
    assert.ok(inline.has('main.(*VM).run → main.execArith'), `hot call into execArith is marked: ${[...inline].join(', ')}`);
    assert.ok(devirt.has('main.(*VM).run → main.execArith'), 'the devirtualized call at vm.go:88 is marked');
    for (const pair of inline)
      assert.ok(
        details.hotCallSites.some((h) => `${h.caller} → ${h.callee}` === pair),
        `${pair} is a hot call site of the match`,
      );
    for (const pair of devirt)
      assert.ok(
        details.devirtualizations.some((h) => `${h.caller} → ${h.callee}` === pair),
        `${pair} is a devirtualization of the match`,
      );
    await call('explorerClose', { session: info.session });
    await assert.rejects(call('explorerTop', { session: info.session, sort: 'flat', desc: true, filter: '', offset: 0, count: 1 }), /closed/);
  });

  it('takes the PGO marks again from a re-opened workspace', async () => {
    const info = await call('explorerOpen', { path: path.join(dir, 'default.pgo') });
    const marks = async (): Promise<number> => {
      const s = await call('explorerFlame', { session: info.session, view: 'top-down', root: 0, minFraction: 0, maxNodes: 50_000 });
      return s.flags.filter((f) => f & (FLAG_PGO_INLINE | FLAG_PGO_DEVIRT)).length;
    };
    assert.ok((await marks()) > 0);
    await call('openWorkspace', { folders: [dir], thresholdPercent: 99, trusted: false, profileOverride: 'off' });
    assert.equal(await marks(), 0, 'with PGO off (-pgo=off) nothing is inlined or devirtualized for PGO');
    await call('openWorkspace', { folders: [dir], thresholdPercent: 99, trusted: false });
    assert.ok((await marks()) > 0);
  });

  it('opens a function at its declaration and finds the function around the cursor', async () => {
    const info = await call('explorerOpen', { path: path.join(dir, 'default.pgo') });
    for (const [sym, decl] of [
      ['main.execArith', /^func execArith\(/],
      ['main.(*VM).run', /^func \(vm \*VM\) run\(/],
    ] as const) {
      const loc = await call('explorerLocate', { session: info.session, name: sym });
      assert.ok(loc, `${sym} located`);
      const line = fs.readFileSync(loc.file, 'utf8').split('\n')[loc.line]!;
      assert.match(line, decl, `${sym} lands on its declaration (${loc.file}:${loc.line + 1})`);
      assert.equal(await call('explorerSymbolAt', { file: loc.file, line: loc.line + 1 }), sym, 'the line below the declaration is inside it');
    }
    assert.equal(await call('explorerLocate', { session: info.session, name: 'no.such.function' }), null);
  });

  it('diffs against a profile without main.execArith: deltas and PGO consequences', async () => {
    const info = await call('explorerDiff', { base: path.join(dir, 'default.pgo'), next: path.join(tmp, 'no-arith.pgo'), normalize: 'total' });
    assert.equal(info.kind, 'diff');
    const rows = await call('explorerDiffTable', { session: info.session, sort: 'cumDelta', desc: true, filter: '^main\\.execArith$', offset: 0, count: 10 });
    assert.equal(rows.matched, 1);
    const r = rows.rows[0]!;
    assert.equal(r.newCum, 0);
    assert.ok(r.baseCum > 0 && r.cumDelta < 0 && Math.abs(r.cumDelta + r.baseCumN) < 1e-9, 'execArith loses its whole share');
    const c = await call('explorerChanges', { session: info.session });
    assert.ok(
      c.stoppedHot.some((h) => h.callee === 'main.execArith' && h.caller === 'main.(*VM).run' && /vm\.go$/.test(h.file) && h.line === 88),
      'run → execArith at vm.go:88 stops being hot',
    );
    assert.ok(c.becameHot.every((h) => h.callee !== 'main.execArith'));
    const d = c.devirtualizations.find((x) => /vm\.go$/.test(x.file) && x.line === 88);
    assert.ok(
      d && d.before?.callee === 'main.execArith' && d.after?.callee !== 'main.execArith',
      `the devirtualization at vm.go:88 no longer targets execArith: ${JSON.stringify(d)}`,
    );
    await assert.rejects(
      call('explorerDiff', { base: path.join(dir, 'default.pgo'), next: path.join(tmp, 'missing.pgo'), normalize: 'total' }),
      /missing\.pgo/,
    );
  });

  it('answers through the real worker thread with plain data, beside the request queue', async () => {
    const client = new WorkerClient({ script: path.join(repoRoot, 'out', 'src', 'worker', 'worker.js') });
    try {
      await client.establish('openWorkspace', { folders: [dir], thresholdPercent: 99, trusted: false }, 'workspace');
      const opening = client.call('explorerOpen', { path: path.join(dir, 'default.pgo') });
      const view = client.call('fileView', { file: path.join(dir, 'vm.go') });
      const [info, fv] = await Promise.all([opening, view]);
      assert.equal(info.binary, dir, 'the explorer saw the workspace opened before it');
      assert.ok(fv.heat.length > 0, 'the overlay query sent after it is answered');
      const flame = await client.call('explorerFlame', { session: info.session, view: 'bottom-up', root: 0, minFraction: 0.001, maxNodes: 500 });
      assert.ok(flame.node.length > 1 && flame.node.length <= 500);
      assert.equal(flame.inverted, true);
      const top = await client.call('explorerTop', { session: info.session, sort: 'cum', desc: true, filter: '', offset: 0, count: 3 });
      assert.equal(top.rows.length, 3);
      await assert.rejects(client.call('explorerSearch', { session: info.session, pattern: '(' }), /invalid regular expression/);
    } finally {
      await client.dispose();
    }
  });
});
