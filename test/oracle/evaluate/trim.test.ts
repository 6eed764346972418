/**
 * Oracle: a trimmed profile gives the compiler exactly the same input. On every fixture profile,
 * cmd/compile's default.pgo and the synthetic edge cases, `go tool preprofile` prints the same
 * bytes for the trimmed file as for the original; a fixture build makes the same
 * `-m -d=pgodebug=1` decisions; with --keep-stacks `go tool pprof -top` prints the same report.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { trimProfileFile } from '../../../src/evaluate/trim';
import { fixtureProfiles } from '../../fuzzing';
import { fixturesDir } from '../../paths';
import { edgeCaseProfile, synthPprof } from '../../synth';
import { goBuildTrimmed, goPreprofile, goroot, requireGo, tmpDir } from '../goenv';

const opts = requireGo();
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function scratch(prefix: string): string {
  const d = tmpDir(prefix);
  dirs.push(d);
  return d;
}

function inputs(): string[] {
  const synth = path.join(scratch('trim-synth'), 'edge.pb');
  fs.writeFileSync(synth, synthPprof(edgeCaseProfile()));
  return [path.join(goroot(), 'src', 'cmd', 'compile', 'default.pgo'), ...fixtureProfiles(), synth];
}

function pprofTop(file: string, extra: string[] = []): string {
  const r = spawnSync('go', ['tool', 'pprof', '-top', '-nodecount=100000', ...extra, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `go tool pprof -top ${file} failed: ${r.stderr}`);
  return r.stdout;
}

describe('pgo-lens trim gives the compiler the same input', opts, () => {
  it('go tool preprofile output is byte-identical, both modes, and PGO mode is smaller', async () => {
    const dir = scratch('trim');
    const files = inputs();
    assert.ok(files.length >= 5, `expected GOROOT's, the fixtures' and the synthetic profile, found ${files.length}`);
    for (const [i, file] of files.entries()) {
      const want = goPreprofile(file);
      assert.ok(want.ok, `go tool preprofile failed on ${file}`);
      for (const keep of [false, true]) {
        const out = path.join(dir, `${i}-${keep}.pgo`);
        const lines: string[] = [];
        const sink = { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream;
        const code = await main(['trim', file, '-o', out, ...(keep ? ['--keep-stacks'] : [])], sink, sink);
        assert.equal(code, 0, lines.join(''));
        assert.match(lines.join(''), /% of the original/);
        const got = goPreprofile(out);
        assert.ok(got.ok, `go rejects the trimmed ${file}: ${!got.ok && got.err}`);
        assert.ok(got.out.equals(want.out), `trimmed ${file} (keep-stacks ${keep}) changes go tool preprofile output`);
        if (!keep && !file.endsWith('.pb')) assert.ok(fs.statSync(out).size < fs.statSync(file).size, `trimming ${file} did not make it smaller`);
      }
    }
  });

  it('--keep-stacks keeps go tool pprof -top output equal', async () => {
    const dir = scratch('trim-top');
    for (const [i, file] of inputs().entries()) {
      const r = await trimProfileFile(file, 'stacks');
      const out = path.join(dir, `${i}.pgo`);
      fs.writeFileSync(out, r.bytes);
      assert.equal(pprofTop(out), pprofTop(file), `pprof -top differs for ${file}`);
    }
  });

  it('the PGO-only trim keeps the flat column of go tool pprof -top (leaves are kept)', async () => {
    const file = path.join(goroot(), 'src', 'cmd', 'compile', 'default.pgo');
    const out = path.join(scratch('trim-flat'), 'a.pgo');
    fs.writeFileSync(out, (await trimProfileFile(file, 'pgo')).bytes);
    const flat = (t: string): string[] =>
      t
        .split('\n')
        .filter((l) => /^\s+\d/.test(l))
        .map((l) => l.trim().split(/\s+/))
        .filter((c) => c[0] !== '0')
        .map((c) => `${c[0]} ${c[5]}`)
        .sort();
    const all = ['-nodefraction=0', '-edgefraction=0'];
    const want = flat(pprofTop(file, all));
    assert.ok(want.length > 100, `expected many leaf functions, got ${want.length}`);
    assert.deepEqual(flat(pprofTop(out, all)), want);
  });

  it('a fixture build with the trimmed profile makes the same -m -d=pgodebug=1 decisions', async () => {
    const mod = path.join(fixturesDir, 'interp');
    const trimmed = path.join(scratch('trim-build'), 'trimmed.pgo');
    fs.writeFileSync(trimmed, (await trimProfileFile(path.join(mod, 'default.pgo'), 'pgo')).bytes);
    const gcflags = '-gcflags=example.com/interp=-m -d=pgodebug=1';
    // (-trimpath: a fresh clone at another path takes these compiles from the build cache too)
    const a = goBuildTrimmed(mod, [`-pgo=${path.join(mod, 'default.pgo')}`, gcflags, '.']);
    const b = goBuildTrimmed(mod, [`-pgo=${trimmed}`, gcflags, '.']);
    const decisions = (t: string): string[] =>
      t
        .split('\n')
        .filter((l) => /hot-budget|inlining call to|devirtualiz|hot-callsite-thres|can inline/.test(l))
        .sort();
    assert.ok(
      decisions(a).some((l) => l.includes('hot-budget')),
      'the fixture build should inline with the hot budget',
    );
    assert.deepEqual(decisions(b), decisions(a));
  });
});
