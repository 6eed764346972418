/**
 * Crafted profiles for the memory caps of issue #13: small gzips of ~250 MB of tiny protobuf
 * messages whose decoded tables would be many times larger. Shared by memory.test.ts and
 * scripts/bench-crafted.mjs (which bundles this file with esbuild), so both measure the same bytes.
 *
 * Each chunk is its own gzip member (Go and our loaders read multi-member gzip alike), so that the
 * raw protobuf is never whole in the generating process, and no member's ISIZE gives the whole
 * size, as in a gzip crafted to lie about it.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface CraftedInput {
  /** What the protobuf holds, for messages. */
  what: string;
  /** Writes the gzip to `file`. */
  make(file: string): void;
}

function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function gzipChunks(file: string, gen: (write: (b: Buffer) => void) => void): void {
  const parts: Buffer[] = [];
  gen((b) => parts.push(zlib.gzipSync(b, { level: 1 })));
  fs.writeFileSync(file, Buffer.concat(parts));
}

/** 2,500 samples of 100,000 one-byte location ids: ~250 MB of protobuf, 1 MB of gzip. */
export const frames: CraftedInput = {
  what: '2,500 samples × 100,000 one-byte frames',
  make(file) {
    const depth = 100_000;
    const sample = Buffer.concat([Buffer.from([0x0a, ...varint(depth)]), Buffer.alloc(depth, 1), Buffer.from([0x10, 1])]);
    const one = Buffer.concat([Buffer.from([0x12, ...varint(sample.length)]), sample]);
    const block = Buffer.concat(new Array<Buffer>(100).fill(one));
    gzipChunks(file, (w) => {
      w(Buffer.from([0x0a, 4, 0x08, 1, 0x10, 2])); // sample_type {type: 1, unit: 2}
      for (let i = 0; i < 25; i++) w(block);
    });
  },
};

/** The empty string, then 50 million three-byte strings: 250 MB of protobuf. */
export const strings: CraftedInput = {
  what: '50 M three-byte strings',
  make(file) {
    const block = Buffer.alloc(5 * 1_000_000);
    for (let i = 0; i < 1_000_000; i++) block.set([0x32, 3, 0x61 + (i % 26), 0x62, 0x63], 5 * i);
    gzipChunks(file, (w) => {
      w(Buffer.from([0x32, 0]));
      for (let i = 0; i < 50; i++) w(block);
    });
  },
};

/** `millions` million Locations with only an id: 7 bytes each, a protobuf that compresses poorly. */
export function locations(millions: number): CraftedInput {
  return {
    what: `${millions} M id-only locations`,
    make(file) {
      gzipChunks(file, (w) => {
        const per = 1_000_000;
        for (let first = 1; first <= millions * per; first += per) {
          const buf = Buffer.alloc(7 * per);
          let p = 0;
          for (let id = first; id < first + per; id++) {
            const v = varint(id);
            buf[p++] = 0x22;
            buf[p++] = v.length + 1;
            buf[p++] = 0x08;
            for (const b of v) buf[p++] = b;
          }
          w(buf.subarray(0, p));
        }
      });
    },
  };
}

/**
 * The empty string, then 11 million twenty-byte strings (242 MB of protobuf): 64 table bytes per
 * 22 protobuf bytes, just under the decoder's 3× ratio, so only the absolute table cap stops it.
 */
export const strings20: CraftedInput = {
  what: '11 M twenty-byte strings (2.9× table bytes per byte: under the ratio)',
  make(file) {
    const block = Buffer.alloc(22 * 500_000);
    for (let i = 0; i < 500_000; i++) {
      block.set([0x32, 20], 22 * i);
      block.write(`s${i}`.padEnd(20, 'x'), 22 * i + 2, 'latin1');
    }
    gzipChunks(file, (w) => {
      w(Buffer.from([0x32, 0]));
      for (let i = 0; i < 22; i++) w(block);
    });
  },
};
