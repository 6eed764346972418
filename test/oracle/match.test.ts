/**
 * Oracle for source matching: build each fixture binary with its profile and
 * `-gcflags=<module>/...=-m -d=pgodebug=1`, then compare with `pgo-lens report`:
 * - every `hot-budget check allows inlining for call X … at FILE:LINE` in the module's own code
 *   appears in inlineCandidates (same file, line, callee);
 * - devirtualizations equal the set of `PGO devirtualizing … call … to Y` lines (file, line, target);
 * - unchanged source leaves `unmatched` empty for the fixture module.
 * Precision of inline candidates is printed (it is not 100 %: a hot site makes every call on its
 * line hot, but the compiler reports only the calls whose cost needs the hot budget).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildReport } from '../../src/match/report';
import { splitSymbol } from '../../src/source/index';
import { fixtureProfiles } from '../fuzzing';
import { goBuildTrimmed, requireGo } from './goenv';

const opts = requireGo();

function moduleOf(dir: string): { root: string; module: string } {
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    const f = path.join(d, 'go.mod');
    if (fs.existsSync(f)) return { root: d, module: /^module\s+(\S+)/m.exec(fs.readFileSync(f, 'utf8'))![1]! };
  }
  throw new Error(`no go.mod above ${dir}`);
}

const unescape = (s: string): string => s.replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
/** The compiler prints paths relative to the module root, sometimes with `./`. */
const normFile = (f: string): string => f.replace(/^\.\//, '');

/** `(*Binary).Eval` (local) or `geom.Polygon.Contains` (package name) vs our linker name. */
function sameTarget(printed: string, linker: string): boolean {
  const { prefix, name } = splitSymbol(linker);
  if (printed === name) return true;
  const pkgName = unescape(prefix)
    .split('/')
    .pop()!
    .replace(/\.v\d+$/, '');
  return printed === `${pkgName}.${name}`;
}

describe('source matching agrees with the compiler', opts, () => {
  const seen = new Set<string>();
  for (const pgo of fixtureProfiles()) {
    const { root, module } = moduleOf(path.dirname(pgo));
    if (seen.has(root)) continue;
    seen.add(root);
    it(path.basename(root), async () => {
      const report = await buildReport(root);
      assert.ok(report.binaries.length >= 1);
      for (const b of report.binaries) {
        const rel = `./${path.relative(root, b.mainDir)}`;
        // (-trimpath: a fresh clone at another path takes these compiles from the build cache too)
        const out = goBuildTrimmed(root, ['-pgo=auto', `-gcflags=${module}/...=-m -d=pgodebug=1`, rel === './' ? '.' : rel]);
        const label = path.relative(root, b.mainDir) || '.';

        assert.deepEqual(b.unmatched, [], `${label}: unchanged source must match the profile`);

        // hot-budget inlining in the module's own files
        const cands = new Set(b.inlineCandidates.map((c) => `${c.file}:${c.line}:${unescape(c.callee)}`));
        let recall = 0;
        let total = 0;
        const misses: string[] = [];
        for (const m of out.matchAll(/^hot-budget check allows inlining for call (\S+) \(cost \d+\) at (\S+):(\d+):\d+ in function \S+$/gm)) {
          const file = normFile(m[2]!);
          if (path.isAbsolute(file) || file.startsWith('$GOROOT')) continue;
          total++;
          if (cands.has(`${file}:${m[3]}:${m[1]}`)) recall++;
          else misses.push(`${file}:${m[3]} ${m[1]}`);
        }
        const reported = new Set(
          [...out.matchAll(/^hot-budget check allows inlining for call (\S+) \(cost \d+\) at (\S+):(\d+):\d+/gm)].map(
            (m) => `${normFile(m[2]!)}:${m[3]}:${m[1]}`,
          ),
        );
        const precision = [...cands].filter((c) => reported.has(c)).length;
        console.log(`${label}: hot-budget recall ${recall}/${total}; candidates confirmed by a hot-budget line ${precision}/${cands.size}`);
        assert.deepEqual(misses, [], `${label}: hot-budget inlines missing from inlineCandidates`);

        // devirtualizations, exactly
        const want = [
          ...new Set(
            [...out.matchAll(/^(\S+):(\d+):\d+: PGO devirtualizing (?:interface|function) call \S+ to (\S+)$/gm)].map(
              (m) => `${normFile(m[1]!)}:${m[2]} ${m[3]}`,
            ),
          ),
        ].sort();
        const got = [...new Set(b.devirtualizations.map((d) => `${d.file}:${d.line} ${d.callee}`))];
        const gotNorm = want.length ? got : got;
        const matchedGot = new Set<string>();
        const missing: string[] = [];
        for (const w of want) {
          const [pos, target] = w.split(' ') as [string, string];
          const hit = gotNorm.find((g) => g.startsWith(pos + ' ') && sameTarget(target, g.slice(pos.length + 1)));
          if (hit) matchedGot.add(hit);
          else missing.push(w);
        }
        const extra = gotNorm.filter((g) => !matchedGot.has(g));
        console.log(`${label}: devirtualizations ${want.length - missing.length}/${want.length} found, ${extra.length} extra`);
        assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${label}: devirtualizations differ from the compiler's`);
      }
    });
  }
});
