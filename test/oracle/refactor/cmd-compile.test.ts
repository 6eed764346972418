/**
 * Refactor impact on a large real stale profile: `$(go env GOROOT)/src/cmd/compile/default.pgo`
 * is older than the cmd/compile source it ships with. The report must explain every lost percent
 * (Σ unmatched.percent = lostPercent = 100 − matchedPercent, on the profile-total base, which is
 * the sample total pprof prints, not the compiler's edge weight), report no compiler-generated
 * promoted-method wrapper (`ir.(*Name).Op` of the embedded `miniNode`) and no `[...]` symbol,
 * name the real successors of renamed functions (amd64.loadByType → amd64.loadByRegWidth, not
 * ppc64/x86's loadByType), and `rewrite --realign` must recover what renames and drift lost.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { buildReport } from '../../../src/match/report';
import { goroot, requireGo, tmpDir } from '../goenv';
import { assertExplained } from './explained';

const opts = requireGo();

describe('cmd/compile with its shipped (older) profile', opts, () => {
  it('explains every lost percent, skips wrappers, renames within the package, and rewrite --realign recovers the drift', async () => {
    const dir = path.join(goroot(), 'src', 'cmd', 'compile');
    const pgo = path.join(dir, 'default.pgo');
    const before = (await buildReport(dir, { history: false })).binaries;
    assert.equal(before.length, 1);
    const b = before[0]!;
    assert.equal(b.profileTotal, b.pgo.sampleTotal);
    assert.ok(b.pgo.totalWeight > b.pgo.sampleTotal, 'edge weights count samples more than once: the base is the sample total');
    assertExplained(b);
    assert.ok(b.lostPercent > 0 && b.lostPercent < 100, `lost ${b.lostPercent}`);
    for (const u of b.unmatched) {
      assert.ok(!u.suggestion?.includes('[...]'), `${u.symbol} -> ${u.suggestion}`);
      assert.ok(!u.suggestion?.startsWith('cmd/compile/internal/ir.(*miniNode).'), `wrapper reported: ${u.symbol} -> ${u.suggestion}`);
    }
    const by = new Map(b.unmatched.map((u) => [u.symbol, u]));
    for (const sym of ['cmd/compile/internal/ir.(*Name).Op', 'cmd/compile/internal/ir.(*Decl).Pos', 'cmd/compile/internal/ir.(*AssignStmt).Init']) {
      assert.equal(by.get(sym), undefined, `${sym} is a promoted-method wrapper`);
    }
    assert.equal(by.get('cmd/compile/internal/amd64.loadByType')?.suggestion, 'cmd/compile/internal/amd64.loadByRegWidth');
    assert.equal(by.get('cmd/compile/internal/amd64.storeByType')?.suggestion, 'cmd/compile/internal/amd64.storeByRegWidth');

    const out = path.join(tmpDir('cmd-compile'), 'realigned.pgo');
    try {
      const sink = { write: () => true } as unknown as NodeJS.WritableStream;
      assert.equal(await main(['rewrite', pgo, '--realign', dir, '--no-git', '-o', out], sink, sink), 0);
      const after = (await buildReport(dir, { history: false, profile: out })).binaries[0]!;
      assertExplained(after);
      assert.ok(after.matchedPercent > b.matchedPercent + 5, `${b.matchedPercent} → ${after.matchedPercent}`);
      // every rename was applied; what stays lost is code that is gone (removed, changed) or second-order drift
      assert.deepEqual(
        after.unmatched.filter((u) => u.kind === 'renamed' || u.kind === 'moved').map((u) => u.symbol),
        [],
      );
      console.log(
        `cmd/compile: ${b.matchedPercent.toFixed(2)}% matched (${b.unmatched.length} entries) → ${after.matchedPercent.toFixed(2)}% after rewrite --realign (${after.unmatched.length})`,
      );
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
