/**
 * The byte string table (src/profile/string-table.ts): strings decoded on first use, equal
 * contents found by bytes, and the compiler's model equal whether it reads the table as bytes or,
 * once handed out (and possibly edited), as JS strings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelFromPprof } from '../../../src/pgo/model';
import { serializePreprofile } from '../../../src/pgo/preprofile';
import { decodePprof } from '../../../src/profile/pprof';
import { StringArena, StringTable } from '../../../src/profile/string-table';
import { corpus } from '../../fuzzing';
import { edgeCaseProfile, synthPprof } from '../../synth';

function tableOf(parts: Uint8Array[]): StringTable {
  const a = new StringArena();
  for (const p of parts) a.add(p, 0, p.length);
  return a.table();
}

describe('StringTable', () => {
  const bad = Uint8Array.from([0x61, 0xff, 0x62]); // "a", an invalid byte, "b"
  const parts = [new Uint8Array(0), Buffer.from('main.f'), Buffer.from('é.g'), Buffer.from('main.f'), bad, Uint8Array.from(bad), new Uint8Array(0)];

  it('decodes each string on demand, ASCII, UTF-8 and invalid bytes (escaped as Go byte strings)', () => {
    const t = tableOf(parts);
    assert.equal(t.count, 7);
    assert.equal(t.get(1), 'main.f');
    assert.equal(t.get(2), 'é.g');
    assert.equal(t.get(4), 'a\udcffb');
    assert.equal(t.get(7), undefined);
    assert.equal(t.get(-1), undefined);
  });

  it('finds equal strings by their bytes: the first index asked for with the same contents', () => {
    const t = tableOf(parts);
    assert.deepEqual(
      parts.map((_, i) => t.canon(i)),
      [0, 1, 2, 1, 4, 4, 0],
    );
    const r = tableOf(parts);
    assert.deepEqual(parts.map((_, i) => r.canon(parts.length - 1 - i)).reverse(), [6, 3, 2, 3, 5, 5, 6]);
    assert.equal(r.canon(0), 6);
    assert.throws(() => r.canon(7), RangeError);
  });

  it('keeps finding equal contents while its hash grows (12,000 strings, 6,000 distinct)', () => {
    const many = Array.from({ length: 12000 }, (_, i) => Buffer.from(`pkg.f${i % 6000}`));
    const t = tableOf(many);
    for (let i = 0; i < 12000; i++) assert.equal(t.canon(i), i % 6000, `string ${i}`);
  });

  it('all() hands out one array; later reads see its edits', () => {
    const t = tableOf(parts);
    assert.equal(t.materialized, false);
    const all = t.all();
    assert.equal(t.materialized, true);
    assert.deepEqual(all, ['', 'main.f', 'é.g', 'main.f', 'a\udcffb', 'a\udcffb', '']);
    assert.equal(t.all(), all);
    all[1] = 'renamed';
    all.push('new');
    assert.equal(t.get(1), 'renamed');
    assert.equal(t.get(7), 'new');
  });

  it('fromStrings keeps the array it is given', () => {
    const s = ['', 'x'];
    const t = StringTable.fromStrings(s);
    assert.equal(t.all(), s);
    assert.equal(t.get(1), 'x');
  });
});

describe('the model reads names as bytes or as strings alike', () => {
  it('edge-case profile and every corpus profile: identical edges either way', () => {
    const inputs = [synthPprof(edgeCaseProfile()), ...corpus().map((c) => c.raw)];
    for (const raw of inputs) {
      const lazy = decodePprof(raw, { heat: false });
      const eager = decodePprof(raw, { heat: false });
      assert.ok(eager.strings.length >= 0); // hands the table out as JS strings
      assert.equal(eager.stringTable?.materialized, true);
      assert.equal(lazy.stringTable?.materialized, false);
      const a = modelFromPprof(lazy);
      const b = modelFromPprof(eager);
      assert.deepEqual(a.edges, b.edges);
      assert.ok(serializePreprofile(a).equals(serializePreprofile(b)));
      assert.equal(lazy.stringTable?.materialized, false, 'the model decodes names one by one, not the whole table');
    }
  });
});
