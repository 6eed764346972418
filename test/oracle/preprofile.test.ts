/**
 * Oracle: our preprofile output equals `go tool preprofile`'s byte for byte, and our hot-set
 * threshold equals the one the compiler prints, on real and edge-case profiles.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { loadProfileBytes, loadProfileFile } from '../../src/pgo/load';
import { goFormatFloat } from '../../src/pgo/gofmt';
import { hotSet } from '../../src/pgo/model';
import { serializePreprofile } from '../../src/pgo/preprofile';
import { encodePprof, encodePprofGzip } from '../../src/profile/encode';
import { ProfileError } from '../../src/profile/errors';
import { fixtureProfiles, mutate, rng } from '../fuzzing';
import { edgeCaseProfile, synthPprof } from '../synth';
import { assertPreprofileAsGo, goBuild, goPreprofile, goroot, printedThresholds, requireGo, tmpDir } from './goenv';

const opts = requireGo();

async function assertSameAsGo(file: string): Promise<void> {
  await assertPreprofileAsGo(file, 'preprofile', async (f) => serializePreprofile((await loadProfileFile(f)).profile));
}

describe('preprofile is byte-identical to go tool preprofile', opts, () => {
  it("cmd/compile's default.pgo", async () => {
    await assertSameAsGo(path.join(goroot(), 'src', 'cmd', 'compile', 'default.pgo'));
  });
  it('every fixture profile', async () => {
    const files = fixtureProfiles();
    assert.ok(files.length >= 3, `expected at least 3 fixture profiles, found ${files.length}`);
    for (const f of files) await assertSameAsGo(f);
  });
  it('synthetic edge cases (inline chains, recursion, unsymbolized frames, zero weights), raw and gzipped', async () => {
    const dir = tmpDir('synth');
    const raw = synthPprof(edgeCaseProfile());
    const variants: Array<[string, Uint8Array]> = [
      ['raw.pb', raw],
      ['gz.pb.gz', zlib.gzipSync(raw)],
    ];
    const cpuOnly = edgeCaseProfile();
    cpuOnly.sampleTypes = [['cpu', 'nanoseconds']];
    for (const s of cpuOnly.samples) s.values = [s.values[1]!];
    variants.push(['cpu.pb', synthPprof(cpuOnly)]);
    variants.push(['empty.pb', new Uint8Array(0)]);
    for (const [name, bytes] of variants) {
      const f = path.join(dir, name);
      fs.writeFileSync(f, bytes);
      await assertSameAsGo(f);
    }
  });
  it('names with non-ASCII and invalid UTF-8 bytes, negative offsets and large weights (the one-buffer writer)', async () => {
    const dir = tmpDir('bytes');
    const prof = edgeCaseProfile();
    prof.functions.push({ id: 8, name: 'example.com/ü.Fünf', start: 70 }, { id: 9, name: 'example.com/q.ZZbad', start: 90 });
    prof.locations.push({ id: 10, lines: [[8, 65]] }, { id: 11, lines: [[9, 95]] }); // 65 − 70: a negative offset
    prof.samples.push({ locs: [11, 10], values: [3, 9007199254] }, { locs: [10, 11], values: [1, 123456789012] });
    const raw = Buffer.from(synthPprof(prof));
    const at = raw.indexOf('ZZbad');
    assert.ok(at > 0);
    raw[at] = 0xff; // invalid UTF-8, same length: the string's length prefix stays right
    raw[at + 1] = 0xc3;
    const f = path.join(dir, 'bytes.pb');
    fs.writeFileSync(f, raw);
    await assertSameAsGo(f);
    const go = goPreprofile(f);
    assert.ok(
      go.ok && go.out.includes(Buffer.from([0xff, 0xc3, 0x62])) && go.out.includes(Buffer.from('\n-5 ')),
      'the case reaches the escaped and negative paths',
    );
  });
  it('decode → encode round trip gives the compiler the same edges (full and PGO-trimmed)', async () => {
    const dir = tmpDir('rt');
    const src = [path.join(goroot(), 'src', 'cmd', 'compile', 'default.pgo'), ...fixtureProfiles()];
    for (const file of src) {
      const want = goPreprofile(file);
      assert.ok(want.ok);
      const bytes = fs.readFileSync(file);
      for (const keepSamples of [true, false]) {
        const { pprof } = loadProfileBytes(bytes, { keepSamples });
        const out = path.join(dir, `${path.basename(path.dirname(file))}-${keepSamples}.pgo`);
        fs.writeFileSync(out, keepSamples ? encodePprofGzip(pprof!) : encodePprof(pprof!));
        const got = goPreprofile(out);
        assert.ok(got.ok, `go rejects our encoding of ${file}: ${!got.ok && got.err}`);
        assert.ok(got.out.equals(want.out), `re-encoded ${file} (keepSamples=${keepSamples}) changes the compiler's edges`);
      }
    }
  });
});

describe('threshold equals the compiler’s hot-callsite-thres-from-CDF', opts, () => {
  const hello = (): string => {
    const dir = tmpDir('hello');
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module hello\n\ngo 1.23\n');
    fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nfunc main() { println("hi") }\n');
    return dir;
  };
  it("cmd/compile's default.pgo at the default and at other thresholds", async () => {
    const pgo = path.join(goroot(), 'src', 'cmd', 'compile', 'default.pgo');
    const { profile } = await loadProfileFile(pgo);
    const dir = hello();
    for (const t of [99, 80, 50.5, 100, 0]) {
      const flags = t === 99 ? '-d=pgodebug=1' : `-d=pgodebug=1,pgoinlinecdfthreshold=${t}`;
      const printed = printedThresholds(goBuild(dir, [`-pgo=${pgo}`, `-gcflags=${flags}`, '.']));
      assert.deepEqual(printed, [goFormatFloat(hotSet(profile, t).thresholdPercent)], `threshold ${t}`);
    }
  });
  it('every fixture profile', async () => {
    const dir = hello();
    for (const f of fixtureProfiles()) {
      const { profile } = await loadProfileFile(f);
      const printed = printedThresholds(goBuild(dir, [`-pgo=${f}`, '-gcflags=-d=pgodebug=1', '.']));
      assert.deepEqual(printed, [goFormatFloat(hotSet(profile).thresholdPercent)], f);
    }
  });
});

describe('differential fuzzing against go tool preprofile', opts, () => {
  const N = Number(process.env['ORACLE_FUZZ_ITERATIONS'] ?? 150);
  it(`${N} mutated profiles: both accept with identical output, or both reject`, () => {
    const r = rng(Number(process.env['FUZZ_SEED'] ?? 424242));
    const dir = tmpDir('dfuzz');
    const seeds = [synthPprof(edgeCaseProfile()), ...fixtureProfiles().map((f) => zlib.gunzipSync(fs.readFileSync(f)))];
    let agreedAccept = 0;
    let agreedReject = 0;
    for (let i = 0; i < N; i++) {
      const data = mutate(seeds[i % seeds.length]!, r);
      const f = path.join(dir, `m${i}.pb`);
      fs.writeFileSync(f, data);
      const go = goPreprofile(f);
      let ours: Buffer | ProfileError;
      try {
        ours = serializePreprofile(loadProfileBytes(data).profile);
      } catch (e) {
        if (!(e instanceof ProfileError)) throw e;
        ours = e;
      }
      if (go.ok) {
        assert.ok(Buffer.isBuffer(ours), `input ${i}: go accepts, we reject: ${(ours as ProfileError).message}`);
        assert.ok(ours.equals(go.out), `input ${i}: outputs differ`);
        agreedAccept++;
      } else {
        assert.ok(ours instanceof ProfileError, `input ${i}: go rejects (${go.err.split('\n')[0]}), we accept`);
        agreedReject++;
      }
    }
    assert.equal(agreedAccept + agreedReject, N);
  });
});
