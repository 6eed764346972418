/**
 * Crafted profiles that amplify memory (issue #13): a small gzip whose protobuf declares millions
 * of tiny locations, strings or frames. The decoder refuses them with a typed `limit` error once
 * its tables outgrow the budget (src/profile/budget.ts), before building them whole; genuine
 * profiles stay well inside it. Inputs are built here, byte by byte.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { loadProfileBytes, loadProfileFile } from '../../../src/pgo/load';
import { MAX_TABLE_BYTES, TABLE_FLOOR_BYTES, TABLE_RATIO, TableBudget } from '../../../src/profile/budget';
import { ProfileError } from '../../../src/profile/errors';
import { decodePprof } from '../../../src/profile/pprof';
import { corpus } from '../../fuzzing';

/** Appends the unsigned varint v. */
function varint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** A length-delimited field (tag byte < 0x80) with the given payload. */
function field(out: number[], tagByte: number, payload: number[]): void {
  out.push(tagByte);
  varint(out, payload.length);
  for (const b of payload) out.push(b);
}

/** `n` Locations with only an id (6 bytes each for ids ≥ 16384): 38 table bytes per 4–6 input bytes. */
function tinyLocations(n: number): Buffer {
  const out: number[] = [];
  for (let id = 1; id <= n; id++) {
    const loc: number[] = [0x08];
    varint(loc, id);
    field(out, 0x22, loc);
  }
  return Buffer.from(out);
}

/** The empty string, then `n` three-byte strings (5 input bytes each). */
function tinyStrings(n: number): Buffer {
  const buf = Buffer.alloc(2 + 5 * n);
  buf[0] = 0x32;
  buf[1] = 0;
  for (let i = 0; i < n; i++) buf.set([0x32, 3, 0x61 + (i % 26), 0x62, 0x63], 2 + 5 * i);
  return buf;
}

/** One sample type and `n` samples of `depth` one-byte location ids each (4 table bytes per input byte). */
function deepSamples(n: number, depth: number): Buffer {
  const head: number[] = [];
  field(head, 0x0a, [0x08, 1, 0x10, 2]); // sample_type {type: 1, unit: 2}
  const sample: number[] = [];
  field(sample, 0x0a, new Array<number>(depth).fill(1)); // packed location ids
  sample.push(0x10, 1); // one value
  const one: number[] = [];
  field(one, 0x12, sample);
  const body = Buffer.alloc(one.length * n);
  for (let i = 0; i < n; i++) body.set(one, i * one.length);
  const tail: number[] = [];
  field(tail, 0x22, [0x08, 1]); // location 1
  for (const s of ['', 'samples', 'count']) field(tail, 0x32, [...Buffer.from(s)]);
  return Buffer.concat([Buffer.from(head), body, Buffer.from(tail)]);
}

function refused(run: () => unknown, re: RegExp): ProfileError {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof ProfileError, `expected a ProfileError, got ${String(e)}`);
    assert.equal(e.kind, 'limit', e.message);
    assert.match(e.message, re);
    return e;
  }
  assert.fail('the crafted profile was accepted');
}

/** The number before `word` in an error message. */
const countOf = (e: Error, word: string): number => Number(new RegExp(`(\\d+) ${word}`).exec(e.message)?.[1] ?? NaN);

describe('memory budget of the decoded tables (crafted profiles)', () => {
  // The default floor (16 MiB) takes millions of rows to pass; these budgets have a 1 MiB floor
  // and the default ratio, so the same amplification trips them within a second.
  const budget = (): TableBudget => new TableBudget(MAX_TABLE_BYTES, 1 << 20, TABLE_RATIO);

  it('refuses hundreds of thousands of tiny locations early, from a small gzip', () => {
    const raw = tinyLocations(300_000);
    const gz = zlib.gzipSync(raw);
    assert.ok(gz.length < raw.length / 4, `the gzip (${gz.length} bytes) should be much smaller than its protobuf`);
    const e = refused(
      () => loadProfileBytes(gz, { budget: budget() }),
      /decoded tables grow to \d+ MiB from \d+ MiB of protobuf data, more than 3× the data beyond 1 MiB \(\d+ locations, 0 lines.*\): a profile crafted/,
    );
    // 38 table bytes (and the id slot) per 5–6 input bytes: over 1 MiB + 4 × (bytes read) long before 300,000
    const n = countOf(e, 'locations');
    assert.ok(n > (1 << 20) / 38 && n < 100_000, `refused after ${n} locations`);
  });

  it('refuses hundreds of thousands of tiny strings', () => {
    const e = refused(() => loadProfileBytes(zlib.gzipSync(tinyStrings(300_000)), { budget: budget() }), /decoded tables grow to .*crafted/);
    // 30 table bytes per 5 input bytes: over 1 MiB + 3 × (bytes read) after 2^20 / (30 − 15) ≈ 69,900 strings
    const n = countOf(e, 'strings');
    assert.ok(n > 65_000 && n < 75_000, `refused after ${n} strings`);
  });

  it('refuses tables over the absolute cap even when they grow no faster than the data', () => {
    // 4 table bytes per one-byte frame: within a ratio of 5, so only the cap (here 8 MiB) stops it.
    const raw = deepSamples(2000, 2000);
    const small = (): TableBudget => new TableBudget(8 << 20, 1 << 20, 5);
    const e = refused(() => decodePprof(raw, { budget: small() }), /decoded tables would need more than 8 MiB \(.* \d+ samples so far\)/);
    assert.ok(countOf(e, 'samples') < 2000);
    // Without whole stacks (what the compiler reads) the same input is only two frames per sample.
    assert.equal(decodePprof(raw, { heat: false, budget: small() }).sampleCount, 2000);
  });

  it('refuses the same way while streaming a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-budget-'));
    try {
      const file = path.join(dir, 'crafted.pgo');
      fs.writeFileSync(file, zlib.gzipSync(tinyLocations(300_000)));
      await assert.rejects(loadProfileFile(file, { budget: budget() }), (e: unknown) => {
        assert.ok(e instanceof ProfileError && e.kind === 'limit', String(e));
        assert.match(e.message, /decoded tables grow to \d+ MiB from \d+ MiB of protobuf data/);
        const n = countOf(e, 'locations');
        assert.ok(n > (1 << 20) / 38 && n < 100_000, `refused after ${n} locations`);
        return true;
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses deep stacks of one-byte frames (4 table bytes per input byte) by the default ratio', () => {
    const e = refused(() => decodePprof(deepSamples(600, 4000), { budget: budget() }), /more than 3× the data beyond 1 MiB/);
    assert.ok(countOf(e, 'samples') < 600);
  });

  it('leaves genuine profiles far inside the budget', () => {
    assert.equal(MAX_TABLE_BYTES, 512 << 20);
    assert.equal(TABLE_FLOOR_BYTES, 16 << 20);
    assert.equal(TABLE_RATIO, 3);
    // With a floor of only 64 KiB, genuine profiles (the fixtures: small ones amplify most) stay within the ratio.
    for (const c of corpus()) {
      const b = new TableBudget(MAX_TABLE_BYTES, 64 << 10, TABLE_RATIO);
      decodePprof(c.raw, { keepSamples: true, budget: b });
      assert.ok(b.used > 0, c.name);
    }
  });
});
