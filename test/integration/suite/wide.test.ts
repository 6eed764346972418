// Visible heat on a wide, flat profile (issue 12). Real production profiles spread their time over
// thousands of functions, so no single line reaches an absolute cut-off such as 0.5 %: with an
// absolute scale the overlay showed nothing on cmd/compile's own profile. This test gives the
// workspace a second main package, `wide/`, with 1,200 functions and a profile in which every one
// of them has between 0.05 % and 0.13 % of the samples, then checks with the default settings that
// the file is painted, that the hottest lines get the top level and the coldest the bottom one,
// and that the hover gives the line's absolute numbers. The package is removed afterwards.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { CPU_TYPES, synthPprof, type SynthFunction, type SynthLocation, type SynthSample } from '../../synth';
import { formatPercent } from '../../../src/pgo/percent';
import { api, closeAllEditors, hovers, hoverText, openFile, waitFor } from '../helpers';

interface LineHeat {
  line: number;
  flat: number;
  flatPercent: number;
  flatLevel: number;
}
interface State {
  summary: { binaries: Array<{ id: string; matchedPercent: number; matching?: boolean; summary: unknown }> } | null;
  decorations: Record<string, Record<string, number[]>>;
  views: Record<string, { heat: LineHeat[] } | undefined>;
}
interface Api {
  getState(): State;
  ready(): Promise<void>;
}

const FUNCS = 1200;
const HEADER = ['// Code generated for the wide-profile integration test. DO NOT EDIT.', '', 'package main', ''];
/** 1-based line of fK's `func` line; its body (the sampled line) is the next one. */
const startLine = (k: number): number => HEADER.length + 1 + 4 * k;
/** Samples of fK: between 50 and 149, spread by a multiplicative hash so hot and cold lines interleave. */
const weight = (k: number): number => 50 + ((k * 7919) % 100);

function source(): string {
  const lines = [...HEADER];
  for (let k = 0; k < FUNCS; k++) lines.push(`func f${k}(x int) int {`, `\treturn x*3 + ${k}`, '}', '');
  lines.push('func main() {', '\tx := 0');
  for (let k = 0; k < FUNCS; k++) lines.push(`\tx = f${k}(x)`);
  lines.push('\tprintln(x)', '}', '');
  return lines.join('\n');
}

function profile(file: string): Uint8Array {
  const functions: SynthFunction[] = [];
  const locations: SynthLocation[] = [];
  const samples: SynthSample[] = [];
  for (let k = 0; k < FUNCS; k++) {
    functions.push({ id: k + 1, name: `main.f${k}`, file, start: startLine(k) });
    locations.push({ id: k + 1, address: 0x1000 + 16 * k, lines: [[k + 1, startLine(k) + 1]] });
    samples.push({ locs: [k + 1], values: [weight(k), weight(k) * 10_000_000] });
  }
  return gzipSync(synthPprof({ sampleTypes: CPU_TYPES, functions, locations, samples, durationNanos: 30e9 }));
}

describe('heat on a wide, flat profile', function () {
  this.timeout(90_000);
  let a: Api;
  let dir: vscode.Uri;
  let file: string;
  const total = Array.from({ length: FUNCS }, (_, k) => weight(k)).reduce((s, w) => s + w, 0);

  before(async () => {
    a = await api<Api>();
    await a.ready();
    dir = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'wide');
    const main = vscode.Uri.joinPath(dir, 'main.go');
    file = main.fsPath;
    await vscode.workspace.fs.writeFile(main, Buffer.from(source()));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'default.pgo'), profile(file));
    await vscode.commands.executeCommand('pgoLens.reload');
    await waitFor(() => a.getState().summary?.binaries.find((b) => b.id === dir.fsPath && b.summary !== null), {
      timeoutMs: 60_000,
      what: 'the wide/ main package with its profile',
    });
    await openFile('wide/main.go');
    await waitFor(() => (a.getState().views[file]?.heat.length ?? 0) > 0, { timeoutMs: 30_000, what: 'heat in wide/main.go' });
    // heat comes first; the match with the source follows as its own stage
    await waitFor(() => a.getState().summary?.binaries.find((b) => b.id === dir.fsPath)?.matching !== true, {
      timeoutMs: 60_000,
      what: 'the wide/ profile matched with the source',
    });
  });

  after(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.delete(dir, { recursive: true });
    await vscode.commands.executeCommand('pgoLens.reload');
    await waitFor(() => a.getState().summary && !a.getState().summary!.binaries.some((b) => b.id === dir.fsPath), {
      timeoutMs: 60_000,
      what: 'the wide/ package gone again',
    });
  });

  it('matches the whole profile, and no line reaches 0.5 % of it', async () => {
    // the file watcher's reload for the profile written in before() may still be in its heat stage
    const b = await waitFor(() => a.getState().summary?.binaries.find((x) => x.id === dir.fsPath && x.matching !== true), {
      timeoutMs: 60_000,
      what: 'the wide/ profile matched with the source',
    });
    assert.equal(b.matchedPercent, 100);
    const heat = a.getState().views[file]!.heat;
    assert.equal(heat.length, FUNCS, 'one heat line per function body');
    const max = Math.max(...heat.map((h) => h.flatPercent));
    assert.ok(max < 0.5, `the hottest line has ${max} % of the profile: the profile is not flat`);
    assert.ok(Math.abs(max - (149 / total) * 100) < 1e-9, `hottest line ${max} %`);
  });

  it('paints every sampled line with the default settings, the hottest at the top level and the coldest at the bottom', () => {
    const byLevel = a.getState().decorations[file] ?? {};
    const painted = new Map<number, number>();
    for (const [level, lines] of Object.entries(byLevel)) for (const l of lines) painted.set(l, Number(level));
    const levels = [...new Set(painted.values())].sort((x, y) => x - y);
    assert.ok(levels.length >= 3, `levels used: ${levels.join(', ')}`);
    const bodyLine = (k: number): number => startLine(k); // 0-based line of the body = 1-based `func` line
    let hottest = -1;
    let coldest = -1;
    for (let k = 0; k < FUNCS; k++) {
      assert.ok(painted.has(bodyLine(k)), `f${k}'s body (line ${bodyLine(k) + 1}, ${weight(k)} samples) is not painted`);
      if (weight(k) === 149 && hottest < 0) hottest = k;
      if (weight(k) === 50 && coldest < 0) coldest = k;
    }
    assert.equal(painted.get(bodyLine(hottest)), levels[levels.length - 1], `f${hottest} (the hottest) is not at the top level`);
    assert.equal(painted.get(bodyLine(coldest)), levels[0], `f${coldest} (the coldest) is not at the bottom level`);
    for (const l of painted.keys()) assert.ok((l - HEADER.length - 1) % 4 === 0, `line ${l + 1} is painted but has no samples`);
  });

  it("the hover gives the line's absolute numbers", async () => {
    const k = FUNCS - 1;
    const pos = new vscode.Position(startLine(k), 3);
    // the watcher's reload for the profile written in before() may still clear the views for a moment: wait for a hover
    const text = await waitFor(async () => hoverText(await hovers(vscode.Uri.file(file), pos)).join('\n') || undefined, { timeoutMs: 20_000, what: 'a hover' });
    const pct = formatPercent((weight(k) / total) * 100); // go tool pprof's formatting of the same ratio
    assert.ok(text.includes(`flat ${pct}`), `hover lacks "flat ${pct}":\n${text}`);
    assert.match(text, /\(flat \S+/, text);
    assert.match(text, new RegExp(`main\\.f${k}\\b`), text);
  });
});
