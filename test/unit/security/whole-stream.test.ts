/**
 * Bytes read whole are decoded streamed (`loadProfileData`, issue #13) and must give what inflating
 * them whole first gives (`loadProfileBytes`, whose messages test/unit/profile/errors.test.ts and
 * the oracle tests pin to Go's): the same model for every fixture, and the same error, kind and
 * words, for truncated, corrupted and trailing-data gzip.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { type Loaded, loadProfileBytes, loadProfileData } from '../../../src/pgo/load';
import { serializePreprofile } from '../../../src/pgo/preprofile';
import { fixtureProfiles, rng } from '../../fuzzing';

type Outcome = { ok: true; model: string } | { ok: false; kind: string; message: string };

function outcome(f: () => Loaded): Outcome {
  try {
    return { ok: true, model: serializePreprofile(f().profile).toString('latin1') };
  } catch (e) {
    return { ok: false, kind: String((e as { kind?: unknown }).kind), message: (e as Error).message };
  }
}

async function outcomeAsync(f: () => Promise<Loaded>): Promise<Outcome> {
  try {
    return { ok: true, model: serializePreprofile((await f()).profile).toString('latin1') };
  } catch (e) {
    return { ok: false, kind: String((e as { kind?: unknown }).kind), message: (e as Error).message };
  }
}

async function same(bytes: Uint8Array, what: string): Promise<Outcome> {
  const whole = outcome(() => loadProfileBytes(bytes));
  const streamed = await outcomeAsync(() => loadProfileData(bytes));
  assert.deepEqual(streamed, whole, what);
  return whole;
}

describe('loadProfileData (streamed from memory) agrees with loadProfileBytes (inflated whole)', () => {
  const fixtures = fixtureProfiles();

  it('every fixture profile: the same model', async () => {
    assert.ok(fixtures.length > 0, 'no fixture profiles');
    for (const f of fixtures) {
      const o = await same(fs.readFileSync(f), f);
      assert.ok(o.ok, `${f}: ${JSON.stringify(o)}`);
    }
  });

  it('a gzip of several members and a raw protobuf: the same model', async () => {
    const raw = zlib.gunzipSync(fs.readFileSync(fixtures[0]!));
    const half = raw.length >> 1;
    assert.ok((await same(Buffer.concat([zlib.gzipSync(raw.subarray(0, half)), zlib.gzipSync(raw.subarray(half))]), 'two members')).ok);
    assert.ok((await same(raw, 'raw protobuf')).ok);
  });

  it('the same bytes given as the chunks they arrived in (collect): the same model, the same error', async () => {
    const gz = fs.readFileSync(fixtures[0]!);
    const raw = zlib.gunzipSync(gz);
    const chunks = (b: Uint8Array, n: number): Uint8Array[] => Array.from({ length: Math.ceil(b.length / n) }, (_, i) => b.subarray(i * n, (i + 1) * n));
    for (const [what, bytes] of [
      ['gzip', gz],
      ['raw', raw],
      ['preprofile', Buffer.from('GO PREPROFILE V1\ncaller\ncallee\n1 1\n')],
      ['truncated gzip', gz.subarray(0, gz.length >> 1)],
    ] as const) {
      const whole = outcome(() => loadProfileBytes(bytes));
      for (const n of [1, 7, 4096]) {
        assert.deepEqual(await outcomeAsync(() => loadProfileData(chunks(bytes, n))), whole, `${what} in ${n}-byte chunks`);
      }
    }
  });

  it('truncated, corrupted and trailing-data gzip: the same error, kind and words', async () => {
    const gz = fs.readFileSync(fixtures[0]!);
    const r = rng(0x13);
    const kinds = new Map<string, number>();
    const count = (o: Outcome): void => {
      const k = o.ok ? 'accepted' : o.kind;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    };
    for (const cut of [1, 9, 10, 11, 20, gz.length >> 2, gz.length >> 1, gz.length - 9, gz.length - 8, gz.length - 4, gz.length - 1]) {
      count(await same(gz.subarray(0, cut), `cut at ${cut}`));
    }
    for (let i = 0; i < 60; i++) {
      const bad = Buffer.from(gz);
      const at = 10 + Math.floor(r() * (bad.length - 10));
      bad[at] = bad[at]! ^ (1 + Math.floor(r() * 255));
      count(await same(bad, `byte ${at} flipped`));
    }
    for (const tail of [Buffer.alloc(1), Buffer.alloc(10), Buffer.from('trailing garbage\n'), gz.subarray(0, 30)]) {
      count(await same(Buffer.concat([gz, tail]), `${tail.length} trailing bytes`));
    }
    // A stored (level 0) gzip of over 1 MiB whose protobuf is spoiled inside sound deflate data:
    // the garbage inflates (the decoder fails on its first chunk, long before the end) and only the
    // checksum says so, which is the error Go gives, since it inflates everything before it parses.
    const stored = zlib.gzipSync(Buffer.concat([zlib.gunzipSync(gz), Buffer.alloc(1 << 20)]), { level: 0 });
    for (const at of [10 + 5, 10 + 5 + 100]) {
      const bad = Buffer.from(stored);
      bad[at] = 0x07; // field 0, wire type 7: no protobuf has it
      const o = await same(bad, `stored gzip, byte ${at} spoiled`);
      assert.ok(!o.ok && /invalid checksum/.test(o.message), JSON.stringify(o));
      count(o);
    }
    // The cases must reach gzip errors and protobuf errors both, or they prove little.
    assert.ok((kinds.get('gzip') ?? 0) >= 10 && (kinds.get('protobuf') ?? 0) >= 1, JSON.stringify([...kinds]));
  });
});
