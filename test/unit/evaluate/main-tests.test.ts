/**
 * profileForMainTests respells `main.` functions with the import path as the linker escapes it
 * (cmd/internal/objabi.PathToPrefix: each UTF-8 byte >= 0x7F as `%xx`, '.' in the last element).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { profileForMainTests } from '../../../src/evaluate/bench';
import { loadPprofFile } from '../../../src/pgo/load';
import { CPU_TYPES, synthPprof } from '../../synth';

function names(file: string): Promise<string[]> {
  return loadPprofFile(file).then((p) => {
    const out: string[] = [];
    for (let f = 0; f < p.functions.count; f++) out.push(p.strings[p.functions.name[f] ?? 0] ?? '');
    return out.sort();
  });
}

test('profileForMainTests names main functions by the escaped import path, byte by byte', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgo-lens-maintests-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const src = path.join(dir, 'in.pprof');
  fs.writeFileSync(
    src,
    synthPprof({
      sampleTypes: CPU_TYPES,
      functions: [
        { id: 1, name: 'main.F', file: 'main.go', start: 3 },
        { id: 2, name: 'main.(*T).M', file: 'main.go', start: 9 },
        { id: 3, name: 'strings.Index', file: 'strings.go', start: 1 },
      ],
      locations: [
        { id: 1, lines: [[1, 4]] },
        { id: 2, lines: [[2, 10]] },
        { id: 3, lines: [[3, 2]] },
      ],
      samples: [{ locs: [3, 2, 1], values: [1, 10] }],
    }),
  );
  const cases: Array<[string, string]> = [
    ['example.com/m/cmd/x', 'example.com/m/cmd/x'],
    ['example.com/m/checksum.v2', 'example.com/m/checksum%2ev2'],
    // UTF-8 bytes of é (c3 a9), not the UTF-16 unit (e9).
    ['x/café', 'x/caf%c3%a9'],
  ];
  for (const [importPath, prefix] of cases) {
    const out = path.join(dir, 'out.pprof');
    assert.equal(await profileForMainTests(src, importPath, out), 2);
    assert.deepEqual(await names(out), [`${prefix}.(*T).M`, `${prefix}.F`, 'strings.Index'].sort(), importPath);
  }
});
