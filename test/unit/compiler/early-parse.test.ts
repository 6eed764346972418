/**
 * early-parse.ts reads a compile's JSON folder once its output block ended, while other compiles
 * still run: it must take only folders whose compiles all ended (a running compile's folder may be
 * partly written), hand back the JSON exactly as reading the whole directory after the build does,
 * and offer an early parse only for the same text and JSON.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { jsonByPackage } from '../../../src/compiler/build';
import type { CompilerDecisions, JsonFile } from '../../../src/compiler/decisions';
import { EarlyParse } from '../../../src/compiler/early-parse';
import { readKeptJsonDir } from '../../../src/compiler/json-read';

const base = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-early-parse-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

const header = (pkg: string, file: string): string =>
  `{"version":0,"package":"${pkg}","goos":"linux","goarch":"amd64","gc_version":"go1.26.8","file":"${file}"}`;
const refusal = (l: number): string =>
  `{"range":{"start":{"line":${l},"character":6},"end":{"line":${l},"character":6}},"severity":3,"code":"cannotInlineCall","source":"go compiler","message":"cost 90 of p.f exceeds max caller cost 80"}`;
const escape =
  '{"range":{"start":{"line":2,"character":6},"end":{"line":2,"character":6}},"severity":3,"code":"escape","source":"go compiler","message":"x escapes"}';

const decisions = (pkg: string, text: string, files: JsonFile[]): CompilerDecisions => ({
  calls: [],
  functions: [],
  hotBudgetFuncs: {},
  noDevirt: [],
  thresholds: [text],
  packages: [pkg, ...files.map((f) => f.name)],
  ignoredLines: 0,
});

function write(dir: string, folder: string, file: string, text: string): void {
  fs.mkdirSync(path.join(dir, folder), { recursive: true });
  fs.writeFileSync(path.join(dir, folder, file), text);
}

describe('early-parse (reading compiles as they end)', () => {
  it('takes only folders whose compiles ended, and hands back what a read after the build gives', async () => {
    const dir = path.join(base, 'json');
    const parsed: string[] = [];
    const early = new EarlyParse({
      jsonDir: dir,
      mainPackage: 'example.com/m/cmd/x',
      eligible: (pkg) => pkg !== 'example.com/m/skip',
      parse: async (pkg, text, files) => {
        parsed.push(pkg);
        return decisions(pkg, text, files);
      },
    });
    write(dir, 'example.com%2fm%2fa', 'a.json', `${header('example.com/m/a', '/m/a/a.go')}\n${escape}\n${refusal(3)}\n`);
    write(dir, 'example.com%2fm%2fa', 'b.json', `${header('example.com/m/a', '/m/a/b.go')}\n${refusal(4)}\n`);
    // a compile still running: its header is cut short, then another whose block has not ended
    write(dir, 'example.com%2fm%2fb', 'b.json', '{"version":0,"package":"exam');
    write(dir, 'main', 'x.json', `${header('main', '/m/cmd/x/x.go')}\n${refusal(7)}\n`);
    write(dir, 'example.com%2fm%2fskip', 's.json', `${header('example.com/m/skip', '/m/skip/s.go')}\n${refusal(9)}\n`);
    early.blockEnded('example.com/m/a', 'a text\n');
    early.blockEnded('example.com/m/skip', 'skip text\n');
    await early.settle();
    assert.deepEqual(early.parsedEarly, ['example.com/m/a'], 'the running compiles (b, main) are not read; skip is not eligible');
    // b and main end; b's folder is complete now
    write(dir, 'example.com%2fm%2fb', 'b.json', `${header('example.com/m/b', '/m/b/b.go')}\n${refusal(5)}\n`);
    early.blockEnded('example.com/m/b', 'b text\n');
    early.blockEnded('example.com/m/cmd/x', 'main text\n');
    const fresh = await early.finish();
    assert.deepEqual(early.parsedEarly, ['example.com/m/a', 'example.com/m/b', 'example.com/m/cmd/x']);
    assert.deepEqual(fresh, jsonByPackage(await readKeptJsonDir(dir), 'example.com/m/cmd/x'));
    assert.deepEqual(parsed.sort(), ['example.com/m/a', 'example.com/m/b', 'example.com/m/cmd/x']);

    const aFiles = fresh.get('example.com/m/a') ?? [];
    assert.equal(aFiles.length, 2);
    assert.deepEqual(await early.parsed('example.com/m/a', 'a text\n', aFiles), {
      json: aFiles,
      decisions: decisions('example.com/m/a', 'a text\n', aFiles),
    });
    assert.equal(await early.parsed('example.com/m/a', 'other text\n', aFiles), undefined, 'another text: no early parse');
    assert.equal(await early.parsed('example.com/m/a', 'a text\n', aFiles.slice(1)), undefined, 'other JSON: no early parse');
    assert.equal(await early.parsed('example.com/m/skip', 'skip text\n', fresh.get('example.com/m/skip') ?? []), undefined);
  });

  it('a failed read or parse leaves nothing behind: finish reads every folder, and parsed answers undefined', async () => {
    const dir = path.join(base, 'json2');
    const early = new EarlyParse({
      jsonDir: dir,
      mainPackage: 'example.com/m/cmd/x',
      eligible: () => true,
      parse: async () => {
        throw new Error('parse failed');
      },
    });
    write(dir, 'example.com%2fm%2fa', 'a.json', `${header('example.com/m/a', '/m/a/a.go')}\n${refusal(3)}\n`);
    early.blockEnded('example.com/m/a', 'a text\n');
    const fresh = await early.finish();
    assert.deepEqual(fresh, jsonByPackage(await readKeptJsonDir(dir), 'example.com/m/cmd/x'));
    assert.equal(await early.parsed('example.com/m/a', 'a text\n', fresh.get('example.com/m/a') ?? []), undefined);
  });
});
