/**
 * A real history: gjson v1.14.4 with a CPU profile of a query workload collected on it (normally,
 * no asyncpreemptoff), committed in a fresh git repository; then the sources replaced by gjson
 * v1.20.4 (both from the Go module proxy; test/fixtures/history-gjson/generate.mjs).
 * - v1 with its profile: nothing lost.
 * - v2 with the stale profile: every lost percent is explained, with and without history; with
 *   history the profiled functions edited since are listed (parseSquash's body was rewritten) and
 *   drift is re-aligned from the diff.
 * - after `rewrite --realign`, nothing drifted is left, and the compiler's hot-budget and
 *   devirtualization decisions are a superset of the stale profile's.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { buildReport } from '../../../src/match/report';
import { fixturesDir } from '../../paths';
import { goBuildTrimmed, requireGo, tmpDir } from '../goenv';
import { assertExplained } from './explained';

const opts = requireGo();
const fixture = path.join(fixturesDir, 'history-gjson');

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
}

/** Hot-budget inlinings and devirtualizations, positions and costs dropped. */
function decisions(dir: string): string[] {
  // (-trimpath: a copy's compiles come from the build cache on a warm run; positions are not compared)
  const out = goBuildTrimmed(dir, ['-pgo=default.pgo', '-gcflags=example.com/hist/...=-m -d=pgodebug=1', '.']);
  const res: string[] = [];
  for (const line of out.split('\n')) {
    let m = /^hot-budget check allows inlining for call (\S+) \(cost \d+\) at \S+ in function (\S+)$/.exec(line);
    if (m) res.push(`inline ${m[1]} in ${m[2]}`);
    m = /^\S+: PGO devirtualizing (?:interface|function) call (\S+) to (\S+)$/.exec(line);
    if (m) res.push(`devirt ${m[1]} to ${m[2]}`);
  }
  return [...new Set(res)].sort();
}

describe('real history: gjson v1.14.4 profile against gjson v1.20.4', opts, () => {
  it('explains the loss, lists the edits, and rewrite --realign keeps or restores every decision', async () => {
    const d = path.join(tmpDir('history-gjson'), 'hist');
    try {
      fs.cpSync(path.join(fixture, 'v1'), d, { recursive: true });
      fs.renameSync(path.join(d, 'v1.pgo'), path.join(d, 'default.pgo'));
      const v1 = (await buildReport(d, { history: false })).binaries[0]!;
      assert.deepEqual(v1.unmatched, []);
      assert.equal(v1.matchedPercent, 100);
      git(d, 'init', '-q');
      git(d, 'add', '.');
      git(d, 'commit', '-q', '-m', 'gjson v1.14.4 with its profile');
      fs.cpSync(path.join(fixture, 'v2', 'gjson'), path.join(d, 'gjson'), { recursive: true });

      const stale = decisions(d);
      const without = (await buildReport(d, { history: false })).binaries[0]!;
      assertExplained(without);
      const withGit = (await buildReport(d, { history: true })).binaries[0]!;
      assertExplained(withGit);
      assert.ok(withGit.history && 'commit' in withGit.history, JSON.stringify(withGit.history));
      const squash = withGit.history.changed.find((c) => c.symbol === 'example.com/hist/gjson.parseSquash');
      assert.ok(squash && squash.added > 100, JSON.stringify(withGit.history.changed));
      // the diff vouches for every moved line: drift re-aligned from history, nothing renamed
      for (const u of withGit.unmatched) {
        assert.ok(u.kind === 'offset-drift' || u.kind === 'changed', JSON.stringify(u));
        if (u.kind === 'offset-drift') assert.equal(u.basis, 'git', JSON.stringify(u));
      }

      const sink = { write: () => true } as unknown as NodeJS.WritableStream;
      const pgo = path.join(d, 'default.pgo');
      assert.equal(await main(['rewrite', pgo, '--realign', d, '-o', pgo], sink, sink), 0);
      const after = (await buildReport(d, { history: false })).binaries[0]!;
      assertExplained(after);
      assert.deepEqual(
        after.unmatched.filter((u) => u.kind === 'offset-drift'),
        [],
        JSON.stringify(after.unmatched),
      );
      assert.ok(after.matchedPercent >= withGit.matchedPercent);
      const fixed = decisions(d);
      for (const x of stale) assert.ok(fixed.includes(x), `lost after rewrite: ${x}`);
      console.log(
        `gjson v1.14.4 → v1.20.4: ${withGit.history.changed.length} profiled functions edited; matched ${without.matchedPercent.toFixed(2)}% (calls) / ${withGit.matchedPercent.toFixed(2)}% (git) → ${after.matchedPercent.toFixed(2)}% after rewrite; ${stale.length} → ${fixed.length} PGO decisions`,
      );
    } finally {
      fs.rmSync(path.dirname(d), { recursive: true, force: true });
    }
  });
});
