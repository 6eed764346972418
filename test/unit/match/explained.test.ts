/**
 * "Every lost percent explained" on every fixture's real profile: unchanged, nothing is lost;
 * after a scripted edit (a comment line inserted at the top of every function body, so every call
 * site moves down by one inside its function), Σ unmatched.percent = lostPercent = 100 −
 * matchedPercent, every loss is an offset drift by +1, and `rewrite --realign` brings the match
 * back to 100 %.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturesDir } from '../../paths';
import { main } from '../../../src/cli/main';
import { buildReport } from '../../../src/match/report';

const FIXTURES = ['interp', 'server', 'shapes', 'textproc', 'history-gjson/v1'];

function explained(b: { unmatched: Array<{ percent: number }>; lostPercent: number; matchedPercent: number }): void {
  const sum = b.unmatched.reduce((s, u) => s + u.percent, 0);
  assert.ok(Math.abs(sum - b.lostPercent) < 1e-9, `Σ unmatched ${sum} ≠ lost ${b.lostPercent}`);
  assert.ok(Math.abs(b.matchedPercent - (100 - b.lostPercent)) < 1e-9, `matched ${b.matchedPercent} ≠ 100 − ${b.lostPercent}`);
}

function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'expected') out.push(...goFiles(p));
    else if (e.isFile() && e.name.endsWith('.go') && !e.name.endsWith('_test.go')) out.push(p);
  }
  return out;
}

for (const name of FIXTURES) {
  test(`${name}: nothing lost unchanged; a line inside every function is explained and re-aligned`, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-explained-'));
    try {
      const dir = path.join(tmp, name);
      fs.cpSync(path.join(fixturesDir, name), dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
      // the real-history fixture keeps its profile as v1.pgo (see its generate.mjs)
      if (fs.existsSync(path.join(dir, 'v1.pgo'))) fs.renameSync(path.join(dir, 'v1.pgo'), path.join(dir, 'default.pgo'));
      const before = await buildReport(dir);
      assert.ok(before.binaries.length > 0);
      for (const b of before.binaries) {
        assert.deepEqual(b.unmatched, [], `${b.mainPackage}: ${JSON.stringify(b.unmatched)}`);
        assert.equal(b.lostPercent, 0);
      }
      // a comment as the first line of every function body (one-line functions stay as they are)
      for (const f of goFiles(dir)) fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/^(func .*\{)\n/gm, '$1\n\t// inserted\n'));
      const edited = await buildReport(dir);
      for (const b of edited.binaries) {
        explained(b);
        assert.ok(b.lostPercent > 0, `${b.mainPackage}: the edit should lose something`);
        for (const u of b.unmatched) {
          assert.equal(u.kind, 'offset-drift', JSON.stringify(u));
          for (const e of u.edgeMap!) assert.equal(e.to, e.from + 1, JSON.stringify(e));
        }
      }
      const sink = { write: () => true } as unknown as NodeJS.WritableStream;
      for (const b of edited.binaries) assert.equal(await main(['rewrite', b.profile, '--realign', dir, '--no-git', '-o', b.profile], sink, sink), 0);
      for (const b of (await buildReport(dir)).binaries) {
        assert.deepEqual(b.unmatched, [], `${b.mainPackage} after rewrite: ${JSON.stringify(b.unmatched)}`);
        assert.equal(b.matchedPercent, 100);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
}
