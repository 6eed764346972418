/**
 * Oracle for the lean preprofile path (`preprofileFile`, what `pgo-lens preprofile` runs: a
 * streamed decode, then `preprofileFromPprof` writing names straight from the string table's
 * bytes): byte-identical to `go tool preprofile` on cmd/compile's default.pgo, every committed
 * fixture profile, names with invalid UTF-8 and Go-vs-UTF-16 order differences, and mutated
 * inputs (both accept with identical output, or both reject).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { preprofileFile } from '../../src/pgo/load';
import { ProfileError } from '../../src/profile/errors';
import { fixtureProfiles, mutate, rng } from '../fuzzing';
import { edgeCaseProfile, synthPprof } from '../synth';
import { assertPreprofileAsGo, goPreprofile, goroot, requireGo, tmpDir } from './goenv';

const opts = requireGo();

const assertSameAsGo = (file: string): Promise<Buffer> => assertPreprofileAsGo(file, 'lean preprofile', preprofileFile);

describe('lean preprofile path is byte-identical to go tool preprofile', opts, () => {
  it("cmd/compile's default.pgo", async () => {
    await assertSameAsGo(path.join(goroot(), 'src', 'cmd', 'compile', 'default.pgo'));
  });

  it('every committed fixture profile', async () => {
    const files = fixtureProfiles();
    assert.ok(files.length >= 3, `expected at least 3 fixture profiles, found ${files.length}`);
    for (const f of files) await assertSameAsGo(f);
  });

  it('invalid UTF-8, astral vs U+FF21 order, negative offsets, raw and gzipped, empty file', async () => {
    const dir = tmpDir('lean');
    const prof = edgeCaseProfile();
    prof.functions.push(
      { id: 8, name: 'example.com/q.ZZbad', start: 90 },
      { id: 9, name: 'example.com/q.\u{1F600}', start: 100 },
      { id: 10, name: 'example.com/q.\uFF21', start: 110 },
    );
    prof.locations.push({ id: 10, lines: [[8, 85]] }, { id: 11, lines: [[9, 101]] }, { id: 12, lines: [[10, 111]] });
    prof.samples.push({ locs: [1, 10], values: [3, 3e7] }, { locs: [11, 1], values: [2, 2e7] }, { locs: [12, 1], values: [2, 2e7] });
    const raw = Buffer.from(synthPprof(prof));
    const at = raw.indexOf('ZZbad');
    assert.ok(at > 0);
    raw[at] = 0xff;
    raw[at + 1] = 0xc3;
    const files: Array<[string, Uint8Array]> = [
      ['bytes.pb', raw],
      ['bytes.pb.gz', zlib.gzipSync(raw)],
      ['empty.pb', new Uint8Array(0)],
    ];
    for (const [name, bytes] of files) {
      const f = path.join(dir, name);
      fs.writeFileSync(f, bytes);
      const out = await assertSameAsGo(f);
      if (name === 'bytes.pb') {
        assert.ok(out.includes(Buffer.from([0xff, 0xc3, 0x62])) && out.includes(Buffer.from('\n-5 ')), 'the case reaches the raw-byte and negative paths');
        const astral = out.indexOf(Buffer.from('\nexample.com/q.\u{1F600}\n'));
        const fullwidth = out.indexOf(Buffer.from('\nexample.com/q.\uFF21\n'));
        assert.ok(fullwidth > 0 && astral > fullwidth, 'the two equal-weight edges in Go byte order');
      }
    }
  });

  const N = Number(process.env['ORACLE_FUZZ_ITERATIONS'] ?? 100);
  it(`${N} mutated profiles: both accept with identical output, or both reject`, async () => {
    const r = rng(Number(process.env['FUZZ_SEED'] ?? 515151));
    const dir = tmpDir('leanfuzz');
    const seeds = [synthPprof(edgeCaseProfile()), ...fixtureProfiles().map((f) => zlib.gunzipSync(fs.readFileSync(f)))];
    let accepted = 0;
    for (let i = 0; i < N; i++) {
      const f = path.join(dir, `m${i}.pb`);
      fs.writeFileSync(f, mutate(seeds[i % seeds.length]!, r));
      const go = goPreprofile(f);
      let ours: Buffer | ProfileError;
      try {
        ours = await preprofileFile(f);
      } catch (e) {
        if (!(e instanceof ProfileError)) throw e;
        ours = e;
      }
      if (go.ok) {
        assert.ok(Buffer.isBuffer(ours), `input ${i}: go accepts, we reject: ${(ours as ProfileError).message}`);
        assert.ok(ours.equals(go.out), `input ${i}: outputs differ`);
        accepted++;
      } else assert.ok(ours instanceof ProfileError, `input ${i}: go rejects (${go.err.split('\n')[0]}), we accept`);
    }
    assert.ok(accepted > 0 && accepted < N, `both outcomes are exercised (${accepted} of ${N} accepted)`);
  });
});
