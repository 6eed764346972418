/**
 * Builds small pprof profiles message by message, for edge cases that real programs rarely
 * produce. The oracle tests feed the same bytes to `go tool preprofile`, so expectations about
 * them are checked against the Go toolchain, not against our own decoder.
 */
import { ProtoWriter, WIRE_BYTES, WIRE_VARINT } from '../src/profile/wire';

export interface SynthFunction {
  id: number;
  name: string;
  file?: string;
  /** A bigint for values beyond 2^53. */
  start?: number | bigint;
}
export interface SynthLocation {
  id: number;
  address?: number;
  /** [functionId, line], innermost first (a bigint line for values beyond 2^53). */
  lines: Array<[number | bigint, number | bigint]>;
}
export interface SynthSample {
  /** Location ids, leaf first. */
  locs: number[];
  values: number[];
  /** Encode location ids unpacked (Go accepts both). */
  unpacked?: boolean;
}
export interface SynthProfile {
  sampleTypes?: Array<[string, string]>;
  functions: SynthFunction[];
  locations: SynthLocation[];
  samples: SynthSample[];
  durationNanos?: number;
}

export const CPU_TYPES: Array<[string, string]> = [
  ['samples', 'count'],
  ['cpu', 'nanoseconds'],
];

export function synthPprof(p: SynthProfile): Uint8Array {
  const strings: string[] = [''];
  const idx = new Map<string, number>([['', 0]]);
  const s = (v: string): number => {
    let i = idx.get(v);
    if (i === undefined) {
      i = strings.length;
      strings.push(v);
      idx.set(v, i);
    }
    return i;
  };
  const w = new ProtoWriter();
  for (const [t, u] of p.sampleTypes ?? CPU_TYPES) {
    w.message(1, (m) => {
      m.int64Opt(1, s(t));
      m.int64Opt(2, s(u));
    });
  }
  for (const smp of p.samples) {
    w.message(2, (m) => {
      if (smp.unpacked) {
        for (const l of smp.locs) {
          m.tag(1, WIRE_VARINT);
          m.varint(l);
        }
      } else m.packed(1, smp.locs);
      m.packed(2, smp.values);
    });
  }
  for (const l of p.locations) {
    w.message(4, (m) => {
      m.int64Opt(1, l.id);
      m.int64Opt(3, l.address ?? 0x1000 + l.id * 16);
      for (const [f, line] of l.lines) {
        m.message(4, (ln) => {
          if (typeof f === 'bigint') ln.int64OptBig(1, f);
          else ln.int64Opt(1, f);
          if (typeof line === 'bigint') ln.int64OptBig(2, line);
          else ln.int64Opt(2, line);
        });
      }
    });
  }
  for (const f of p.functions) {
    w.message(5, (m) => {
      m.int64Opt(1, f.id);
      m.int64Opt(2, s(f.name));
      m.int64Opt(3, s(f.name));
      m.int64Opt(4, s(f.file ?? 'main.go'));
      if (typeof f.start === 'bigint') m.int64OptBig(5, f.start);
      else m.int64Opt(5, f.start ?? 0);
    });
  }
  // strings last, as Go's encoder writes them after the tables
  const names = strings.slice();
  for (const str of names) {
    const data = Buffer.from(str, 'utf8');
    w.tag(6, WIRE_BYTES);
    w.varint(data.length);
    w.bytes(data);
  }
  w.int64Opt(10, p.durationNanos ?? 1e9);
  return w.finish().slice();
}

/**
 * Edge cases in one profile: inline chains in leaf and caller locations, one-frame samples,
 * direct recursion, the same function at two addresses, an unsymbolized frame, zero-weight
 * samples and deep stacks (only the two leaf-most frames count).
 */
export function edgeCaseProfile(): SynthProfile {
  return {
    functions: [
      { id: 1, name: 'main.main', start: 10 },
      { id: 2, name: 'main.hot', start: 20 },
      { id: 3, name: 'main.inlined', start: 30 },
      { id: 4, name: 'main.leaf', start: 40 },
      { id: 5, name: 'main.rec', start: 50 },
      { id: 6, name: 'runtime.main', start: 5, file: 'proc.go' },
      { id: 7, name: 'example.com/p.(*T).M', start: 60, file: 'p/t.go' },
    ],
    locations: [
      { id: 1, lines: [[1, 12]] },
      {
        id: 2,
        lines: [
          [3, 31],
          [2, 22],
        ],
      }, // hot inlined into... : innermost inlined, then physical hot
      { id: 3, lines: [[4, 41]] },
      { id: 4, lines: [[5, 52]] },
      { id: 5, lines: [[5, 53]] },
      { id: 6, lines: [[6, 7]] },
      { id: 7, lines: [] }, // unsymbolized
      { id: 8, lines: [[4, 41]], address: 0x9990 }, // same function/line, other PC
      {
        id: 9,
        lines: [
          [7, 61],
          [3, 33],
        ],
      },
    ],
    samples: [
      { locs: [3, 2, 1, 6], values: [5, 5e7] },
      { locs: [3, 2, 1], values: [3, 3e7], unpacked: true },
      { locs: [8, 2, 1], values: [2, 2e7] },
      { locs: [2], values: [4, 4e7] },
      { locs: [4, 4, 5, 1], values: [6, 6e7] },
      { locs: [4, 5], values: [1, 1e7] },
      { locs: [7, 1], values: [2, 2e7] },
      { locs: [1, 7], values: [1, 1e7] },
      { locs: [3, 9, 1], values: [7, 7e7] },
      { locs: [3, 2], values: [0, 0] },
      { locs: [], values: [1, 1e7] },
    ],
  };
}
