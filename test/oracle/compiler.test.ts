/**
 * Oracle: build each fixture's main package with its default.pgo and the compiler's PGO debug
 * output, and check our model against what the compiler says it did:
 * - every `hot-callsite-thres-from-CDF` it prints (one per compiled package) equals ours;
 * - every function it gives the hot budget (`hot-node enabled increased budget=2000 for func=X`)
 *   is a hot callee in our model;
 * - every callee it inlines thanks to the hot budget (`hot-budget check allows inlining for call X
 *   (cost N)`, N > 80) is a hot callee in our model (it can only have an inline body that large if
 *   the profile made it hot).
 * Call-site positions are checked by the source-matching oracle once the index exists.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadProfileFile } from '../../src/pgo/load';
import { goFormatFloat } from '../../src/pgo/gofmt';
import { hotSet } from '../../src/pgo/model';
import { fixtureProfiles } from '../fuzzing';
import { goBuild, printedThresholds, requireGo } from './goenv';

const opts = requireGo();

function moduleRoot(dir: string): { root: string; module: string } {
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    const gomod = path.join(d, 'go.mod');
    if (fs.existsSync(gomod)) {
      const m = /^module\s+(\S+)/m.exec(fs.readFileSync(gomod, 'utf8'));
      if (!m) throw new Error(`no module line in ${gomod}`);
      return { root: d, module: m[1]! };
    }
  }
  throw new Error(`no go.mod above ${dir}`);
}

/** Linker names escape '.' after the last '/' and odd bytes as %xx; the compiler prints them unescaped. */
function unescapeLinkName(s: string): string {
  return s.replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

describe('the compiler agrees with our hot set on every fixture', opts, () => {
  for (const pgo of fixtureProfiles()) {
    const mainDir = path.dirname(pgo);
    it(path.relative(path.join(__dirname, '..', '..', '..'), mainDir), async () => {
      const { root, module } = moduleRoot(mainDir);
      const rel = `./${path.relative(root, mainDir)}`.replace(/\/$/, '');
      const out = goBuild(root, ['-pgo=auto', `-gcflags=${module}/...=-m -d=pgodebug=1`, rel === './' ? '.' : rel]);
      const { profile } = await loadProfileFile(pgo);
      const hs = hotSet(profile);
      const callees = new Set([...hs.hotCallees].map(unescapeLinkName));

      const printed = printedThresholds(out);
      assert.ok(printed.length >= 1, 'the compiler printed no threshold: was the profile used?');
      for (const t of printed) assert.equal(t, goFormatFloat(hs.thresholdPercent));

      const hotNodes = [...out.matchAll(/^hot-node enabled increased budget=2000 for func=(\S+)$/gm)].map((m) => m[1]!);
      assert.ok(hotNodes.length > 0, 'expected hot-node lines');
      for (const f of hotNodes) assert.ok(callees.has(f), `compiler gives ${f} the hot budget; our model does not list it as a hot callee`);

      const budget = [...out.matchAll(/^hot-budget check allows inlining for call (\S+) \(cost (\d+)\) at (\S+) in function (\S+)$/gm)];
      assert.ok(budget.length > 0, 'expected hot-budget inlining lines');
      for (const m of budget) {
        const cost = Number(m[2]);
        assert.ok(cost > 80 && cost <= 2000, `cost ${cost}`);
        assert.ok(callees.has(m[1]!), `compiler inlines ${m[1]} (cost ${cost}) with the hot budget; our model has no hot edge into it`);
      }
    });
  }
});
