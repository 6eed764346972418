/**
 * Refactor impact against the compiler. The `shapes` fixture is copied and refactored (a hot
 * function renamed, a method's receiver type renamed, a hot function moved to a new package,
 * lines inserted inside a hot function, lines inserted above one); for each:
 * - `report` classifies the lost profile functions (kind, suggestion), or reports nothing;
 * - the stale profile changes the compiler's PGO decisions (the loss is real);
 * - after `pgo-lens rewrite PROFILE --realign DIR`, building the refactored module with the
 *   rewritten profile and `-gcflags=<module>/...=-m -d=pgodebug=1` prints the same
 *   `hot-budget check allows inlining` and `PGO devirtualizing` decisions as the original module
 *   with the original profile, modulo the new names (mapped back) and lines (dropped).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { buildReport } from '../../../src/match/report';
import { fixturesDir } from '../../paths';
import { goBuildTrimmed, requireGo, tmpDir } from '../goenv';
import { assertExplained } from './explained';

const opts = requireGo();
const MODULE = 'example.com/shapes';
const fixture = path.join(fixturesDir, 'shapes');

function copy(): string {
  const dir = path.join(tmpDir('refactor'), 'shapes');
  fs.cpSync(fixture, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}expected`) });
  return dir;
}

function edit(file: string, f: (s: string) => string): void {
  const s = fs.readFileSync(file, 'utf8');
  const t = f(s);
  assert.notEqual(t, s, `edit of ${file} changed nothing`);
  fs.writeFileSync(file, t);
}

/** (-trimpath: a copy's compiles come from the build cache on a warm run; positions are not compared) */
function build(dir: string, pgo: string): string {
  return goBuildTrimmed(dir, [`-pgo=${pgo}`, `-gcflags=${MODULE}/...=-m -d=pgodebug=1`, './cmd/shapes']);
}

/** The PGO decisions, names mapped back to the original, positions and costs dropped, package qualifiers of the module dropped. */
function decisions(out: string, back: Array<[RegExp, string]> = []): string[] {
  const res: string[] = [];
  for (const line of out.split('\n')) {
    let m = /^hot-budget check allows inlining for call (\S+) \(cost \d+\) at \S+ in function (\S+)$/.exec(line);
    let d: string | null = null;
    if (m) d = `inline ${m[1]} in ${m[2]}`;
    m = /^\S+: PGO devirtualizing (interface|function) call (\S+) to (\S+)$/.exec(line);
    if (m) d = `devirt ${m[1]} ${m[2]} to ${m[3]}`;
    if (!d) continue;
    for (const [re, to] of back) d = d.replace(re, to);
    res.push(d.replace(/\b(geom|render|metrics)\./g, ''));
  }
  return res.sort();
}

interface Scenario {
  name: string;
  refactor(dir: string): void;
  /** symbol → [kind, suggestion] expected in `unmatched` (exactly these symbols). */
  expect: Record<string, [string, string | undefined]>;
  back: Array<[RegExp, string]>;
}

/** Moves geom.TotalPerimeter into a new package metrics, as `name` there. */
function moveTotalPerimeter(d: string, name: string): void {
  let body = '';
  edit(path.join(d, 'geom/geom.go'), (s) => {
    const i = s.indexOf('// TotalPerimeter sums');
    const j = s.indexOf('\n}\n', i) + 3;
    body = s.slice(i, j);
    return s.slice(0, i) + s.slice(j);
  });
  fs.mkdirSync(path.join(d, 'metrics'));
  fs.writeFileSync(
    path.join(d, 'metrics/metrics.go'),
    `package metrics\n\nimport "${MODULE}/geom"\n\n${body.replace('[]Shape', '[]geom.Shape').replace(/\bTotalPerimeter\b/g, name)}`,
  );
  edit(path.join(d, 'cmd/shapes/main.go'), (s) =>
    s.replace(/geom\.TotalPerimeter/g, `metrics.${name}`).replace(`"${MODULE}/geom"\n`, `"${MODULE}/geom"\n\t"${MODULE}/metrics"\n`),
  );
}

const SCENARIOS: Scenario[] = [
  {
    name: 'rename a hot function (main.nearest → main.closest)',
    refactor: (d) => edit(path.join(d, 'cmd/shapes/main.go'), (s) => s.replace(/\bnearest\b/g, 'closest')),
    expect: { 'main.nearest': ['renamed', 'main.closest'] },
    back: [[/\bclosest\b/g, 'nearest']],
  },
  {
    name: "rename a method's receiver type (geom.Circle → geom.Disk)",
    refactor: (d) => {
      for (const f of ['geom/geom.go', 'geom/hull.go', 'geom/generic.go', 'render/raster.go', 'cmd/shapes/main.go']) {
        const p = path.join(d, f);
        fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(/\bCircle\b/g, 'Disk'));
      }
    },
    expect: Object.fromEntries(
      ['Dist', 'Contains', 'Area', 'Bounds'].map((m) => [`${MODULE}/geom.Circle.${m}`, ['renamed', `${MODULE}/geom.Disk.${m}`] as [string, string]]),
    ),
    back: [[/\bDisk\b/g, 'Circle']],
  },
  {
    name: 'move a hot function to a new package (geom.TotalPerimeter → metrics.TotalPerimeter)',
    refactor: (d) => moveTotalPerimeter(d, 'TotalPerimeter'),
    expect: { [`${MODULE}/geom.TotalPerimeter`]: ['moved', `${MODULE}/metrics.TotalPerimeter`] },
    back: [],
  },
  {
    name: 'move and rename a hot function (geom.TotalPerimeter → metrics.Perimeters)',
    refactor: (d) => moveTotalPerimeter(d, 'Perimeters'),
    expect: { [`${MODULE}/geom.TotalPerimeter`]: ['moved', `${MODULE}/metrics.Perimeters`] },
    back: [[/\bPerimeters\b/g, 'TotalPerimeter']],
  },
  {
    name: 'rename a hot function and insert two lines inside it (main.round → main.process)',
    refactor: (d) => {
      for (const f of ['cmd/shapes/main.go', 'cmd/shapes/bench_test.go']) edit(path.join(d, f), (s) => s.replace(/\bround\b/g, 'process'));
      edit(path.join(d, 'cmd/shapes/main.go'), (s) =>
        s.replace('\tprobes := make([]geom.Point, 256)\n', '\t// Probes are random points.\n\t// (two new lines)\n\tprobes := make([]geom.Point, 256)\n'),
      );
    },
    expect: { 'main.round': ['renamed', 'main.process'] },
    back: [[/\bprocess\b/g, 'round']],
  },
  {
    name: 'insert lines in the middle of a hot function (main.round): calls above stay, calls below move',
    refactor: (d) =>
      edit(path.join(d, 'cmd/shapes/main.go'), (s) =>
        s.replace('\tg.Clear()\n', '\t// Draw every shape:\n\t// the grid is reused.\n\t// (three new lines)\n\tg.Clear()\n'),
      ),
    expect: { 'main.round': ['offset-drift', undefined] },
    back: [],
  },
  {
    name: 'insert lines inside a hot function (main.round), above its hot calls',
    refactor: (d) =>
      edit(path.join(d, 'cmd/shapes/main.go'), (s) =>
        s.replace('\tprobes := make([]geom.Point, 256)\n', '\t// Probes are random points.\n\t// (two new lines)\n\tprobes := make([]geom.Point, 256)\n'),
      ),
    expect: { 'main.round': ['offset-drift', undefined] },
    back: [],
  },
];

describe('refactor impact agrees with the compiler (shapes)', opts, () => {
  let baseline: string[] = [];
  it('baseline: the unrefactored module with its profile', () => {
    const d = copy();
    baseline = decisions(build(d, path.join(d, 'cmd/shapes/default.pgo')));
    assert.ok(baseline.some((x) => x.startsWith('inline')) && baseline.some((x) => x.startsWith('devirt')), baseline.join('\n'));
  });

  it('lines inserted above a hot function: nothing reported, same decisions', async () => {
    const d = copy();
    edit(path.join(d, 'cmd/shapes/main.go'), (s) =>
      s.replace('// nearest returns', '// Three new lines\n// above nearest.\n\n// nearest returns').replace('// round processes', '\n\n// round processes'),
    );
    const r = await buildReport(d);
    assert.deepEqual(r.binaries[0]!.unmatched, []);
    assert.equal(r.binaries[0]!.matchedPercent, 100);
    assert.deepEqual(decisions(build(d, path.join(d, 'cmd/shapes/default.pgo'))), baseline);
  });

  for (const sc of SCENARIOS) {
    it(sc.name, async () => {
      const d = copy();
      sc.refactor(d);
      const pgo = path.join(d, 'cmd/shapes/default.pgo');
      const r = await buildReport(d);
      const b = r.binaries[0]!;
      const got = Object.fromEntries(b.unmatched.map((u) => [u.symbol, [u.kind, u.suggestion]]));
      assert.deepEqual(got, sc.expect, JSON.stringify(b.unmatched, null, 1));
      assert.ok(b.matchedPercent < 100);
      assertExplained(b);
      // where call sites moved, the per-edge map says so: those above an insertion stay, those below move
      for (const u of b.unmatched)
        for (const e of u.edgeMap ?? []) if (e.to !== undefined && e.caller === u.symbol) assert.ok(e.to >= e.from, JSON.stringify(e));

      const stale = decisions(build(d, pgo), sc.back);
      assert.notDeepEqual(stale, baseline, 'the stale profile should change the decisions');

      const outs: string[] = [];
      const sink = { write: (s: string) => (outs.push(s), true) } as unknown as NodeJS.WritableStream;
      const code = await main(['rewrite', pgo, '--realign', d, '-o', pgo], sink, sink);
      assert.equal(code, 0, outs.join(''));
      assert.ok(fs.existsSync(`${pgo}.bak`), 'previous profile kept as .bak');
      const after = await buildReport(d);
      assert.deepEqual(after.binaries[0]!.unmatched, [], 'nothing unmatched after rewrite --realign');
      assert.equal(after.binaries[0]!.matchedPercent, 100);

      const fixed = decisions(build(d, pgo), sc.back);
      assert.deepEqual(fixed, baseline);
      console.log(
        `${sc.name}: ${baseline.length} decisions equal after rewrite --realign; stale profile differed in ${stale.filter((x) => !baseline.includes(x)).length + baseline.filter((x) => !stale.includes(x)).length}`,
      );
    });
  }
});
