/** Seeded mutation helpers shared by the fuzz tests (unit) and the differential fuzz (oracle). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fixturesDir } from './paths';
import { edgeCaseProfile, synthPprof } from './synth';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every `default.pgo` under test/fixtures. */
export function fixtureProfiles(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name === 'default.pgo') out.push(path.join(d, e.name));
    }
  };
  walk(fixturesDir);
  return out;
}

/** Real profiles committed with the fixtures (raw protobuf), plus the synthetic edge-case profile. */
export function corpus(): Array<{ name: string; raw: Uint8Array }> {
  const out = [{ name: 'synthetic', raw: synthPprof(edgeCaseProfile()) }];
  for (const p of fixtureProfiles()) {
    const b = fs.readFileSync(p);
    out.push({ name: path.relative(fixturesDir, p), raw: b[0] === 0x1f ? zlib.gunzipSync(b) : b });
  }
  return out;
}

export function mutate(src: Uint8Array, r: () => number): Uint8Array {
  let out = Buffer.from(src);
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n && out.length > 0; k++) {
    const at = Math.floor(r() * out.length);
    switch (Math.floor(r() * 7)) {
      case 0: // bit flip
        out[at] = out[at]! ^ (1 << Math.floor(r() * 8));
        break;
      case 1: // random byte
        out[at] = Math.floor(r() * 256);
        break;
      case 2: // truncate
        out = out.subarray(0, at);
        break;
      case 3: // insert random bytes
        out = Buffer.concat([out.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256))), out.subarray(at)]);
        break;
      case 4: // a huge varint
        out = Buffer.concat([out.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), out.subarray(at)]);
        break;
      case 5: {
        // duplicate a slice (repeats fields)
        const len = Math.floor(r() * 64);
        out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + len), out.subarray(at)]);
        break;
      }
      default: // delete a slice
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + Math.floor(r() * 32))]);
    }
  }
  return out;
}
