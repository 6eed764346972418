/**
 * Bounded memory on crafted profiles (issue #13), measured as the peak resident set (VmHWM) of a
 * fresh child process per input (memory-child.ts): small gzips that inflate to ~250 MB of tiny
 * messages (crafted-inputs.ts: one-byte frames, three-byte strings, id-only locations, twenty-byte
 * strings), loaded streamed from the file (the CLI and the worker) and from bytes read whole
 * (validateForCompiler: refresh and benchmark; mergeProfiles: merge, collect, refresh; collectOne over loopback HTTP), and an
 * untrusted folder with three main packages, each with a crafted `default.pgo`, opened in the
 * worker's engine. Every load must be refused with a typed error (`limit`, but for one input that
 * validation reads to the end) and stay under the stated cap. Memory is not noisy like time: these caps hold with margin (measured peaks are in
 * docs/performance.md).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CraftedInput, frames, locations, strings, strings20 } from './crafted-inputs';
import { type MemoryChildResult, memoryChildScript } from './memory-child';

/** The stated caps, MiB of peak RSS for the whole Node process (Node itself is ~45 MiB). */
export const STREAM_CAP_MIB = 256;
export const WHOLE_CAP_MIB = 512;
export const WORKER_CAP_MIB = 512;

const linux = fs.existsSync('/proc/self/status');

/** 8 M locations here (~50 MB of protobuf): enough to pass the ratio, quicker than the bench's 30 M. */
const CRAFTED: Record<string, CraftedInput> = { frames, strings, locations: locations(8), strings20 };

const HOW: Record<Mode, string> = {
  stream: 'streamed from the file (loadProfileFile)',
  whole: 'read whole, validated (validateForCompiler)',
  merge: 'read whole, merged (mergeProfiles)',
  collect: 'collected over loopback HTTP (collectOne)',
  worker: 'opened in the worker',
};

const LIMIT = /^limit: /;
/**
 * Input, path, cap, refusal. Validation decodes without per-frame heat, so the one-byte frames
 * cost it nothing and it reads to the end, where the missing string table is the error (as in Go).
 * Twenty-byte strings grow tables just under the decoder's 3× ratio and are stopped only by the
 * absolute 512 MiB table cap (budget.ts), so their cap is the whole-load one on every path;
 * inflated whole before decoding (the old loadProfileBytes path) they peaked at 618–637 MiB.
 */
const CASES: Array<[string, Mode, number, RegExp]> = [
  ['frames', 'stream', STREAM_CAP_MIB, LIMIT],
  ['frames', 'whole', WHOLE_CAP_MIB, /^protobuf: .*the string table has 0 entries/],
  ...['strings', 'locations'].flatMap((k): Array<[string, Mode, number, RegExp]> => [
    [k, 'stream', STREAM_CAP_MIB, LIMIT],
    [k, 'whole', WHOLE_CAP_MIB, LIMIT],
  ]),
  ['frames', 'merge', WHOLE_CAP_MIB, LIMIT],
  ['strings20', 'stream', WHOLE_CAP_MIB, LIMIT],
  ['strings20', 'whole', WHOLE_CAP_MIB, LIMIT],
  ['strings20', 'merge', WHOLE_CAP_MIB, LIMIT],
  // collect says "not a profile" for every decode error, a limit included
  ['strings20', 'collect', WHOLE_CAP_MIB, /^collect: not a profile: profile too large: the decoded tables would need more than 512 MiB/],
];

type Mode = 'stream' | 'whole' | 'merge' | 'collect' | 'worker';

function measure(mode: Mode, target: string): MemoryChildResult {
  const r = spawnSync(process.execPath, [memoryChildScript, mode, target], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `child ${mode} ${target} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as MemoryChildResult;
}

let dir: string;
const inputs: Record<string, string> = {};
before(() => {
  if (!linux) return;
  dir = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-memory-'));
  for (const [name, input] of Object.entries(CRAFTED)) {
    inputs[name] = path.join(dir, `${name}.pgo`);
    input.make(inputs[name]);
  }
});
after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('peak memory on crafted profiles stays under the stated caps', { skip: !linux && 'needs /proc/self/status (Linux)' }, () => {
  it('the crafted inputs are small gzips of large protobuf', () => {
    assert.ok(fs.statSync(inputs['frames']!).size < 4 << 20);
    assert.ok(fs.statSync(inputs['strings']!).size < 8 << 20);
  });

  for (const [kind, mode, cap, refusal] of CASES) {
    it(`${kind}, ${HOW[mode]}: refused, peak ≤ ${cap} MiB`, (t) => {
      const r = measure(mode, inputs[kind]!);
      t.diagnostic(`peak ${r.peakMiB.toFixed(0)} MiB (Node alone ${r.startMiB.toFixed(0)} MiB); ${r.outcome.slice(0, 160)}`);
      assert.match(r.outcome, refusal, r.outcome);
      assert.ok(r.peakMiB <= cap, `peak ${r.peakMiB.toFixed(0)} MiB > ${cap} MiB (${r.outcome})`);
    });
  }

  it(`an untrusted folder with three crafted default.pgo files, opened in the worker: each refused, peak ≤ ${WORKER_CAP_MIB} MiB`, (t) => {
    const folder = path.join(dir, 'repo');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'go.mod'), 'module example.com/hostile\n\ngo 1.23\n');
    for (const [i, kind] of ['frames', 'strings', 'frames'].entries()) {
      const main = path.join(folder, `cmd${i}`);
      fs.mkdirSync(main);
      fs.writeFileSync(path.join(main, 'main.go'), 'package main\n\nfunc main() {}\n');
      fs.copyFileSync(inputs[kind]!, path.join(main, 'default.pgo'));
    }
    const r = measure('worker', folder);
    t.diagnostic(`peak ${r.peakMiB.toFixed(0)} MiB (Node alone ${r.startMiB.toFixed(0)} MiB)`);
    const lines = r.outcome.split('\n');
    assert.equal(lines.length, 3, r.outcome);
    for (const l of lines) assert.match(l, /: limit: /, r.outcome);
    assert.ok(r.peakMiB <= WORKER_CAP_MIB, `peak ${r.peakMiB.toFixed(0)} MiB > ${WORKER_CAP_MIB} MiB (${r.outcome})`);
  });
});
