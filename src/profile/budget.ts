/**
 * The memory budget of a decode (issue #13): a small gzip can inflate to 256 MiB of protobuf whose
 * tiny messages (a 4-byte Location, a 3-byte string) become 10–20× larger decoded tables. The
 * decoder charges every table row as it adds it; the tables may take at most
 * `TABLE_FLOOR_BYTES + TABLE_RATIO × (protobuf bytes read so far)`, and never more than
 * `MAX_TABLE_BYTES`. Real profiles need about 2× their protobuf size (the 50 MB benchmark profile:
 * 1.9×), so only inputs crafted to amplify are refused, early, with a typed `limit` error.
 */
import { ProfileError } from './errors';

/** Absolute cap on the logical size of the decoded tables. */
export const MAX_TABLE_BYTES = 512 * 1024 * 1024;
/**
 * Tables up to this size are always allowed (small profiles with one-byte ids amplify most; every
 * fixture stays within the ratio from 64 KiB on). 16 MiB, not more: crafted inputs are refused
 * after about 16 MiB of protobuf, which keeps their peak resident set low (memory.test.ts).
 */
export const TABLE_FLOOR_BYTES = 16 * 1024 * 1024;
/** Beyond the floor, table bytes per protobuf byte read. */
export const TABLE_RATIO = 3;

/** Bytes per decoded row (typed-array columns of the decoder, growth and the final copy not counted). */
export const ROW_BYTES = {
  location: 38,
  line: 16,
  function: 28,
  /** Plus twice the string's bytes: a JS string header and its slot in the table. */
  string: 24,
  /** Plus 8 per value: caller, leaf, the tuple key and its hash slots. */
  pair: 40,
  /** Plus 4 per frame and 8 per value. */
  sample: 4,
  /** A Map entry for a location id beyond the dense range. */
  sparseId: 40,
} as const;

export interface TableCounts {
  locations: number;
  lines: number;
  functions: number;
  strings: number;
  samples: number;
}

const mib = (n: number): string => `${(n / (1024 * 1024)).toFixed(0)} MiB`;

export class TableBudget {
  /** Logical bytes of the tables so far. */
  used = 0;
  /** Protobuf bytes read, up to the end of the field being decoded. */
  read = 0;

  constructor(
    private readonly max: number = MAX_TABLE_BYTES,
    private readonly floor: number = TABLE_FLOOR_BYTES,
    private readonly ratio: number = TABLE_RATIO,
  ) {}

  /** Adds `bytes`; `counts` describes the tables for the error message when the budget is exceeded. */
  charge(bytes: number, counts: () => TableCounts): void {
    this.used += bytes;
    if (this.used > this.max || this.used > this.floor + this.ratio * this.read) this.refuse(counts());
  }

  private refuse(c: TableCounts): never {
    const what = `${c.locations} locations, ${c.lines} lines, ${c.functions} functions, ${c.strings} strings, ${c.samples} samples`;
    if (this.used > this.max) {
      throw new ProfileError('limit', `the decoded tables would need more than ${mib(this.max)} (${what} so far)`);
    }
    throw new ProfileError(
      'limit',
      `the decoded tables grow to ${mib(this.used)} from ${mib(this.read)} of protobuf data, more than ${this.ratio}× the data beyond ${mib(this.floor)} ` +
        `(${what} so far): a profile crafted to amplify memory, not one a Go program writes`,
    );
  }
}
