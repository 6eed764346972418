/** The plain-text evaluate report: benchstat-style rows, sizes, build time and the frame warnings. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareSides, parseBenchOutput } from '../../../src/evaluate/bench';
import type { EvaluateResult } from '../../../src/evaluate/evaluate';
import { formatEvaluate } from '../../../src/evaluate/report';

const off = [10, 11, 12, 10, 13, 11].map((v) => `BenchmarkA-2 100 ${v} ns/op`).join('\n');
const pgo = [8, 9, 8.5, 8, 9, 7].map((v) => `BenchmarkA-2 100 ${v} ns/op`).join('\n');

const result: EvaluateResult = {
  mainPackage: 'example.com/m',
  mainDir: '/m',
  profile: '/m/default.pgo',
  goVersion: 'go1.26.8',
  speed: { pkg: 'example.com/m/work', raw: { off, pgo }, deltas: compareSides(parseBenchOutput(off), parseBenchOutput(pgo)), warnings: [] },
  size: {
    fileBytes: { off: 2048, pgo: 3072 },
    textBytes: { off: 1000, pgo: 1100 },
    packages: [{ name: 'main', off: 500, pgo: 600 }],
    functions: [{ name: 'main.main', off: 500, pgo: 600 }],
  },
  buildTime: { method: 'one go build -a each way', offSeconds: 10, pgoSeconds: 12, preprofileSeconds: 0.05 },
  frames: {
    thresholdBytes: 1024,
    grown: [
      {
        symbol: 'example.com/m/work.Process',
        file: '/m/work/work.go',
        line: 96,
        off: 56,
        pgo: 16448,
        hot: true,
        flagged: true,
        inlined: [{ file: '/m/work/work.go', line: 99, col: 16, callee: 'checksum', frame: 16424 }],
      },
    ],
    flagged: [],
  },
  warnings: ['a warning'],
};
result.frames.flagged = [{ ...result.frames.grown[0]!, edges: [{ caller: 'example.com/m/work.Process', offset: 3, callee: 'example.com/m/work.checksum' }] }];

describe('formatEvaluate', () => {
  it('renders every section with links relative to the given function', () => {
    const t = formatEvaluate(result, (f) => f.replace('/m/', ''), 'HINT');
    assert.match(t, /A-2\s+sec\/op\s+11\.00ns ± 18%\s+8\.250ns ± 15%\s+-25\.00% \(p=0\.002 n=6\)/);
    assert.match(t, /file 2\.0 KiB → 3\.0 KiB \(\+1\.0 KiB \(\+50\.00%\)\); text 1000 B → 1\.1 KiB \(\+100 B \(\+10\.00%\)\)/);
    assert.match(t, /cold build 10\.0 s without, 12\.0 s with the profile \(\+20\.0%\); reading the profile: 0\.05 s/);
    assert.match(t, /⚠ example\.com\/m\/work\.Process {2}56 → 16448 B \(\+16392\) hot {2}work\/work\.go:96/);
    assert.match(t, /inlined checksum \(own frame 16424 B\) at work\/work\.go:99:16/);
    assert.match(t, /hide example\.com\/m\/work\.Process:\+3 → example\.com\/m\/work\.checksum from the profile \(HINT\)/);
    assert.match(t, /warning: a warning/);
  });
  it('says what was not measured', () => {
    const t = formatEvaluate({ ...result, speed: null, buildTime: null, frames: { thresholdBytes: 1024, grown: [], flagged: [] } });
    assert.match(t, /not measured \(give --bench RE\)/);
    assert.match(t, /Build time\n {2}not measured/);
    assert.match(t, /no frame grows with the profile/);
  });
});
