import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { ProfileError, type ProfileErrorKind } from '../../../src/profile/errors';
import { loadProfileBytes } from '../../../src/pgo/load';
import { ProtoWriter } from '../../../src/profile/wire';
import { edgeCaseProfile, synthPprof } from '../../synth';

function expectKind(bytes: Uint8Array, kind: ProfileErrorKind, re: RegExp): void {
  assert.throws(
    () => loadProfileBytes(bytes),
    (e: unknown) => {
      assert.ok(e instanceof ProfileError, `expected ProfileError, got ${String(e)}`);
      assert.equal(e.kind, kind, e.message);
      assert.match(e.message, re);
      assert.ok(e.advice.length > 20);
      return true;
    },
  );
}

const good = synthPprof(edgeCaseProfile());

describe('bad input yields a typed, specific error', () => {
  it('truncated gzip', () => {
    const gz = zlib.gzipSync(good);
    expectKind(gz.subarray(0, gz.length - 9), 'gzip', /truncated|unexpected end/);
  });
  it('corrupted gzip', () => {
    const gz = Buffer.from(zlib.gzipSync(good));
    assert.ok(gz.length >= 40, 'the gzip should be long enough to corrupt bytes 12-39');
    for (let i = 12; i < 40; i++) gz.writeUInt8(gz.readUInt8(i) ^ 0x5a, i);
    expectKind(gz, 'gzip', /decompress|invalid|incorrect|truncated|unexpected/i);
  });
  it('truncated protobuf', () => {
    expectKind(good.subarray(0, Math.floor(good.length / 2)), 'protobuf', /not enough data/);
  });
  it('unknown wire type', () => {
    expectKind(Buffer.from('garbage\n'), 'protobuf', /unknown wire type: 7/);
  });
  it('wrong sample type (a heap profile)', () => {
    const p = edgeCaseProfile();
    p.sampleTypes = [
      ['alloc_objects', 'count'],
      ['alloc_space', 'bytes'],
    ];
    expectKind(synthPprof(p), 'sample-type', /samples\/count.*alloc_objects\/count, alloc_space\/bytes/);
  });
  it('missing Function.start_line', () => {
    const p = edgeCaseProfile();
    for (const f of p.functions) f.start = 0;
    expectKind(synthPprof(p), 'start-line', /profile missing Function.start_line data/);
  });
  it('sample refers to an undefined location (Go crashes here)', () => {
    const p = edgeCaseProfile();
    p.samples.push({ locs: [999, 1], values: [1, 1] });
    expectKind(synthPprof(p), 'malformed', /location id 999/);
  });
  it('line refers to an undefined function', () => {
    const p = edgeCaseProfile();
    p.locations.push({ id: 50, lines: [[77, 1]] });
    expectKind(synthPprof(p), 'protobuf', /Function ID 77 not found/);
  });
  it('values do not match sample types', () => {
    const p = edgeCaseProfile();
    p.samples.push({ locs: [1], values: [1] });
    expectKind(synthPprof(p), 'malformed', /mismatch: sample has: 1 values vs\. 2 types/);
  });
  it('duplicate ids', () => {
    const p = edgeCaseProfile();
    p.functions.push({ id: 1, name: 'dup', start: 1 });
    expectKind(synthPprof(p), 'malformed', /multiple functions with same id: 1/);
    const q = edgeCaseProfile();
    q.locations.push({ id: 3, lines: [] });
    expectKind(synthPprof(q), 'malformed', /multiple locations with same id: 3/);
  });
  it('string index out of range', () => {
    const w = new ProtoWriter();
    w.message(1, (m) => {
      m.int64Opt(1, 5);
      m.int64Opt(2, 6);
    });
    w.string(6, '');
    expectKind(w.finish(), 'protobuf', /malformed profile format/);
  });
  it('first string not empty', () => {
    const w = new ProtoWriter();
    w.string(6, 'x');
    expectKind(w.finish(), 'protobuf', /string_table\[0\] must be ''/);
  });
  it('absurd length prefix', () => {
    const w = new ProtoWriter();
    w.tag(2, 2);
    w.varint(2 ** 40);
    w.bytes(new Uint8Array(16));
    expectKind(w.finish(), 'limit', /declares/);
  });
  it('absurd string index does not allocate', () => {
    const w = new ProtoWriter();
    w.message(1, (m) => {
      m.int64Opt(1, 2 ** 50);
    });
    w.string(6, '');
    expectKind(w.finish(), 'protobuf', /malformed profile format/);
  });
  it('absurd location id does not allocate a dense table', () => {
    const p = edgeCaseProfile();
    p.locations.push({ id: 2 ** 45, lines: [[1, 11]] });
    p.samples.push({ locs: [2 ** 45, 1], values: [1, 1] });
    const { profile } = loadProfileBytes(synthPprof(p));
    assert.equal(profile.totalWeight, 43);
  });
});
