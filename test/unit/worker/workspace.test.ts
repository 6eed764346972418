/**
 * The worker's workspace model on temp copies of the `interp` and `textproc` fixtures: binaries
 * and their match, heat, the lenses the committed compiler output (`expected/<bin>.pgodebug.txt`)
 * justifies, edits through `updateFile`, files outside the workspace (GOROOT) and the same
 * through the real worker thread. Go is not required (with go on PATH, indexTree uses go list).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { buildReport } from '../../../src/match/report';
import { genericKey, splitSymbol } from '../../../src/source/index';
import { loadProfileFile } from '../../../src/pgo/load';
import { WorkerClient } from '../../../src/worker/client';
import { Engine } from '../../../src/worker/engine';
import type { BinarySummary, FileView, LineDetail, WorkspaceSummary } from '../../../src/worker/protocol';
import { WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir, repoRoot } from '../../paths';
import { synthPprof } from '../../synth';

const script = path.join(repoRoot, 'out', 'src', 'worker', 'worker.js');

const unescape = (s: string): string => s.replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
const normFile = (f: string): string => f.replace(/^\.\//, '');

/** `(*Binary).Eval` (local) or `geom.Polygon.Contains` (package name) vs a linker name. */
function sameTarget(printed: string, linker: string): boolean {
  const { prefix, name } = splitSymbol(linker);
  if (printed === name) return true;
  const pkgName = unescape(prefix)
    .split('/')
    .pop()!
    .replace(/\.v\d+$/, '');
  return printed === `${pkgName}.${name}`;
}

/** Structured-clone friendly and plain: no Maps, Sets, class instances or functions. */
function assertPlain(v: unknown, at = '$'): void {
  if (v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v)) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => assertPlain(x, `${at}[${i}]`));
    return;
  }
  assert.equal(typeof v, 'object', `${at} is a ${typeof v}`);
  assert.equal(Object.getPrototypeOf(v), Object.prototype, `${at} is not a plain object`);
  for (const [k, x] of Object.entries(v as object)) assertPlain(x, `${at}.${k}`);
}

function withoutDevirt(d: LineDetail): LineDetail {
  const out = { ...d };
  delete out.devirtualized;
  return out;
}

interface Expected {
  inlines: { file: string; line: number; col: number; callee: string; caller: string }[];
  devirts: { file: string; line: number; col: number; target: string }[];
}

function expectedFor(fixture: string, bin: string): Expected {
  const text = fs.readFileSync(path.join(fixturesDir, fixture, 'expected', `${bin}.pgodebug.txt`), 'utf8');
  const inlines: Expected['inlines'] = [];
  for (const m of text.matchAll(/^hot-budget check allows inlining for call (\S+) \(cost \d+\) at (\S+):(\d+):(\d+) in function (\S+)$/gm)) {
    const file = normFile(m[2]!);
    if (path.isAbsolute(file) || file.startsWith('$GOROOT')) continue;
    // each decision is usually printed twice (cost computation and inlining)
    if (!inlines.some((x) => x.file === file && x.line === Number(m[3]) && x.col === Number(m[4]) && x.callee === m[1])) {
      inlines.push({ file, line: Number(m[3]), col: Number(m[4]), callee: m[1]!, caller: m[5]! });
    }
  }
  const devirts: Expected['devirts'] = [];
  for (const m of text.matchAll(/^(\S+):(\d+):(\d+): PGO devirtualizing (?:interface|function) call \S+ to (\S+)$/gm)) {
    devirts.push({ file: normFile(m[1]!), line: Number(m[2]), col: Number(m[3]), target: m[4]! });
  }
  return { inlines, devirts };
}

function goroot(): string | undefined {
  try {
    return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

describe('workspace model', () => {
  let tmp: string;
  let interp: string;
  let textproc: string;
  const model = new WorkspaceModel();
  let summary: WorkspaceSummary;
  let openMillis = 0;
  const bin = (dir: string): BinarySummary => {
    const b = summary.binaries.find((x) => x.mainDir === dir);
    assert.ok(b, `no binary for ${dir}`);
    return b;
  };

  before(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-ws-')));
    interp = path.join(tmp, 'interp');
    textproc = path.join(tmp, 'textproc');
    fs.cpSync(path.join(fixturesDir, 'interp'), interp, { recursive: true });
    fs.cpSync(path.join(fixturesDir, 'textproc'), textproc, { recursive: true });
    const t0 = performance.now();
    summary = await model.open({ folders: [interp, textproc], thresholdPercent: 99 });
    openMillis = performance.now() - t0;
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lists the binaries, fully matched', () => {
    console.log(`openWorkspace(interp, textproc): ${openMillis.toFixed(0)} ms, ${summary.packages} packages, paths by ${summary.pathMethod}`);
    assertPlain(summary);
    assert.deepEqual(summary.folders, [interp, textproc]);
    assert.deepEqual(
      summary.binaries.map((b) => b.mainDir),
      [interp, path.join(textproc, 'cmd', 'digest'), path.join(textproc, 'cmd', 'wordfreq')],
    );
    for (const b of summary.binaries) {
      assert.equal(b.id, b.mainDir);
      assert.equal(b.profile, path.join(b.mainDir, 'default.pgo'));
      assert.equal(b.error, null);
      assert.ok(b.summary && b.summary.totalWeight > 0 && b.summary.hotCount > 0);
      assert.equal(b.matchedPercent, 100, `${b.mainPackage}`);
      assert.deepEqual(b.unmatched, [], `${b.mainPackage}`);
      assert.ok(b.inlineCandidates > 0);
    }
    assert.equal(bin(interp).mainPackage, 'example.com/interp');
  });

  it('matches as buildReport does (the whole folder at once)', async () => {
    for (const folder of [interp, textproc]) {
      for (const r of (await buildReport(folder)).binaries) {
        const b = bin(r.mainDir);
        assert.equal(b.matchedPercent, r.matchedPercent);
        assert.equal(b.inlineCandidates, r.inlineCandidates.length);
        assert.equal(b.devirtualizations, r.devirtualizations.length);
        assert.deepEqual(b.unmatched, r.unmatched);
        const d = model.binaryDetails(b.id, 1e9);
        assert.deepEqual(
          d.devirtualizations.map((x) => `${x.file}:${x.line + 1} ${x.caller} ${x.callee} ${x.weight}`).sort(),
          r.devirtualizations.map((x) => `${path.join(folder, x.file)}:${x.line} ${x.caller} ${x.callee} ${x.weight}`).sort(),
        );
      }
    }
    assert.equal(bin(path.join(textproc, 'cmd', 'wordfreq')).mainPackage, 'example.com/textproc/cmd/wordfreq');
  });

  it('shows heat on a hot file', () => {
    const v = model.fileView(path.join(interp, 'ast.go'));
    assertPlain(v);
    assert.equal(v.binary, interp);
    assert.deepEqual(v.binaries, [interp]);
    assert.equal(v.profile, path.join(interp, 'default.pgo'));
    assert.ok(v.heat.length > 5);
    const text = fs.readFileSync(path.join(interp, 'ast.go'), 'utf8').split('\n');
    let flat = 0;
    for (const h of v.heat) {
      assert.ok(h.line >= 0 && h.line < text.length);
      assert.ok(h.cum >= h.flat || h.cum > 0);
      flat += h.flat;
    }
    // (*Binary).Eval's first body line is the hottest line of the file
    const evalLine = text.findIndex((l) => l.startsWith('func (b *Binary) Eval'));
    const hottest = [...v.heat].sort((a, b) => b.flat - a.flat)[0]!;
    assert.equal(hottest.line, evalLine + 1);
    const d = v.lines.find((l) => l.line === evalLine + 1)!;
    assert.equal(d.symbol, 'main.(*Binary).Eval');
    assert.equal(d.offset, 1);
    assert.ok(d.hotSite);
    assert.equal(d.callees[0]!.callee, 'main.(*Binary).Eval');
    assert.ok(d.callees.every((c, i) => i === 0 || c.weight <= d.callees[i - 1]!.weight));
    assert.equal(d.devirtualized?.callee, 'main.(*Binary).Eval');
    assert.ok(flat > 0 && flat <= 487);
  });

  it("shows go tool pprof's numbers with one percentage base (hover = -list, view and declaration = -top)", () => {
    // Expected values as `go tool pprof -top` / `-list 'Binary..Eval'` print them for
    // test/fixtures/interp/default.pgo (-sample_index=samples; the oracle test checks every row).
    const v = model.fileView(path.join(interp, 'ast.go'));
    assert.equal(v.total, 487);
    assert.equal(v.sampleType, 'samples/count');
    assert.equal(bin(interp).summary!.total, 487);
    const text = fs.readFileSync(path.join(interp, 'ast.go'), 'utf8').split('\n');
    const decl = text.findIndex((l) => l.startsWith('func (b *Binary) Eval'));
    const line = (n: number) => v.lines.find((d) => d.line === n - 1)!;
    assert.equal(decl + 1, 36);
    assert.deepEqual(
      [36, 37, 38].map((n) => [line(n).flat, line(n).cum]),
      [
        [5, 5],
        [53, 109],
        [18, 33],
      ],
    );
    for (const n of [36, 37, 38]) {
      assert.equal(line(n).flatPercent, (line(n).flat / 487) * 100);
      assert.equal(line(n).cumPercent, (line(n).cum / 487) * 100);
    }
    const mark = v.functions.find((f) => f.line === decl)!;
    assert.deepEqual([mark.symbol, mark.flat, mark.cum, mark.cumPercent], ['main.(*Binary).Eval', 76, 113, (113 / 487) * 100]);
    for (const f of v.functions) assert.ok(f.cum >= f.flat, `${f.symbol}: cum below flat`);
    for (const c of line(37).callees) assert.equal(c.percent, (c.weight / 487) * 100);
    for (const l of v.lenses) assert.equal(l.percent, (l.weight / 487) * 100);
    const d = model.binaryDetails(interp, 3);
    assert.deepEqual(
      d.hottestFunctions.map((f) => [f.symbol, f.flat, f.cum]),
      [
        ['main.(*Binary).Eval', 76, 113],
        ['main.apply', 31, 31],
        ['main.(*VM).run', 23, 115],
      ],
    );
    for (const s of d.hotCallSites) assert.equal(s.percent, (s.weight / 487) * 100);
    // heat levels are ranked: the file's hottest line is at the top level whatever its share
    const hottest = [...v.heat].sort((a, b) => b.flat - a.flat)[0]!;
    assert.equal(hottest.flatLevel, 4);
    assert.ok(v.heat.every((h) => h.flat > 0 === h.flatLevel > 0 && h.cum > 0 === h.cumLevel > 0));
    assert.ok(v.heatLines.flat > 0 && v.heatLines.cum >= v.heatLines.flat);
  });

  for (const [fixture, binDir] of [
    ['interp', '.'],
    ['textproc', 'cmd/wordfreq'],
    ['textproc', 'cmd/digest'],
  ] as const) {
    const name = path.basename(binDir === '.' ? fixture : binDir);
    it(`puts lenses where the compiler decides (${name})`, () => {
      const root = path.join(tmp, fixture);
      const id = path.join(root, binDir);
      const exp = expectedFor(fixture, name);
      assert.ok(exp.inlines.length > 0);
      const wrongCallee: string[] = [];
      const views = new Map<string, FileView>();
      const view = (rel: string): FileView => {
        let v = views.get(rel);
        if (!v) {
          v = model.fileView(path.join(root, rel), id);
          assert.equal(v.binary, id);
          views.set(rel, v);
        }
        return v;
      };
      for (const x of exp.inlines) {
        const v = view(x.file);
        const lens = v.lenses.find((l) => l.kind === 'inline' && l.line === x.line - 1 && l.character === x.col - 1);
        assert.ok(lens, `${name}: no inline lens at ${x.file}:${x.line}:${x.col} for ${x.callee}`);
        assert.equal(genericKey(unescape(lens.caller)), genericKey(x.caller), `${x.file}:${x.line}:${x.col}`);
        if (genericKey(unescape(lens.callee)) !== genericKey(x.callee)) {
          // Only where the source index sees no static callee (no type checker: `r.Intn` with r
          // of unknown type) and the matcher therefore predicts a devirtualization of the call.
          const devirt = v.lenses.find((l) => l.kind === 'devirt' && l.line === lens.line && l.character === lens.character);
          assert.ok(devirt, `${x.file}:${x.line}:${x.col}: lens for ${lens.callee}, compiler inlines ${x.callee}`);
          wrongCallee.push(`${x.file}:${x.line}:${x.col}`);
        }
      }
      // Devirtualization lenses: at every compiler devirtualization the matcher predicts, and
      // nowhere the matcher does not predict one.
      const details = model.binaryDetails(id, 1000);
      const predicted = new Set(details.devirtualizations.map((d) => `${d.file}:${d.line}:${d.callee}`));
      let checked = 0;
      for (const x of exp.devirts) {
        const file = path.join(root, x.file);
        const pred = details.devirtualizations.find((d) => d.file === file && d.line === x.line - 1 && sameTarget(x.target, d.callee));
        if (!pred) continue;
        checked++;
        const v = view(x.file);
        const lens = v.lenses.find((l) => l.kind === 'devirt' && l.line === x.line - 1 && l.character === x.col - 1);
        assert.ok(lens, `${name}: no devirt lens at ${x.file}:${x.line}:${x.col}`);
        assert.ok(sameTarget(x.target, lens.callee), `${lens.callee} vs ${x.target}`);
        assert.ok(lens.sitePercent! > 0 && lens.sitePercent! <= 100);
        const d = v.lines.find((l) => l.line === x.line - 1);
        assert.ok(d?.devirtualized);
      }
      console.log(
        `${name}: ${exp.inlines.length} hot-budget inlines have lenses` +
          (wrongCallee.length ? ` (${wrongCallee.length} naming another callee of a call the index sees as dynamic: ${wrongCallee.join(', ')})` : '') +
          `; ${checked}/${exp.devirts.length} compiler devirtualizations predicted and shown`,
      );
      assert.ok(wrongCallee.length <= exp.inlines.length / 4);
      if (fixture === 'interp') assert.ok(checked >= 3);
      for (const [rel, v] of views) {
        for (const l of v.lenses) {
          if (l.kind === 'devirt') assert.ok(predicted.has(`${path.join(root, rel)}:${l.line}:${l.callee}`), `unpredicted devirt lens ${rel}:${l.line + 1}`);
          else assert.ok(v.lines.find((d) => d.line === l.line)?.hotSite, `inline lens at ${rel}:${l.line + 1} is not at a hot site`);
        }
      }
    });
  }

  describe('editing', () => {
    const file = (): string => path.join(interp, 'ast.go');
    const original = (): string => fs.readFileSync(file(), 'utf8');
    const evalLine = (text: string): number => text.split('\n').findIndex((l) => l.startsWith('func (b *Binary) Eval'));
    // a failed test must not leave its unsaved text behind for the next one
    afterEach(() => {
      for (const f of [file(), path.join(textproc, 'token', 'token.go'), path.join(interp, 'extra.go')]) model.update(f, null);
    });
    const linesOf = (v: FileView, sym: string): Array<{ line: number; offset: number; flat: number; cum: number }> =>
      v.lines.filter((d) => d.symbol === sym).map(({ line, offset, flat, cum }) => ({ line, offset, flat, cum }));

    it('moves heat with a function when lines are inserted above it', async () => {
      const base = model.fileView(file());
      await new Promise((r) => setImmediate(r)); // the view warms the package's indexer in the background
      const text = original();
      const at = evalLine(text);
      const lines = text.split('\n');
      lines.splice(at, 0, '', '', '');
      const t0 = performance.now();
      const s = model.update(file(), lines.join('\n'));
      const updateMs = performance.now() - t0;
      const t1 = performance.now();
      const v = model.fileView(file());
      console.log(
        `updateFile (3 lines above (*Binary).Eval in ast.go, warm): ${updateMs.toFixed(1)} ms, then fileView ${(performance.now() - t1).toFixed(1)} ms`,
      );
      assert.deepEqual(s.binaries.find((b) => b.id === interp)!.unmatched, []);
      const before = linesOf(base, 'main.(*Binary).Eval');
      assert.ok(before.length >= 2);
      assert.deepEqual(
        linesOf(v, 'main.(*Binary).Eval'),
        before.map((d) => ({ ...d, line: d.line + 3 })),
      );
      // every heat line at or below the function moved by 3, those above stayed
      const shifted = base.heat.map((h) => (h.line >= at ? { ...h, line: h.line + 3 } : h));
      assert.deepEqual(v.heat, shifted);
      assert.deepEqual(
        v.lenses,
        base.lenses.map((l) => (l.line >= at ? { ...l, line: l.line + 3 } : l)),
      );
      model.update(file(), null);
      assert.deepEqual(model.fileView(file()), base);
    });

    it('keeps profile offsets when a line is inserted inside a hot function', () => {
      // The profile says offset 1 of (*Binary).Eval (the line `l, r := b.L.Eval(env), b.R.Eval(env)`)
      // is hot. After inserting a line before that call, offset 1 is the inserted line: the view
      // shows the recorded heat there, the call (now at offset 2) gets offset 2's heat (the
      // `return apply(…)` line's), and the call loses its lenses, since the hot edge to
      // (*Binary).Eval is recorded at offset 1. A new profile (or undoing the edit) fixes it.
      const base = model.fileView(file());
      const text = original();
      const at = evalLine(text);
      const lines = text.split('\n');
      lines.splice(at + 1, 0, '\t// a new first line');
      model.update(file(), lines.join('\n'));
      const v = model.fileView(file());
      const callLine = at + 2; // 0-based line of `l, r := b.L.Eval(env), …` now
      assert.match(lines[callLine]!, /b\.L\.Eval\(env\)/);
      const old1 = base.lines.find((d) => d.symbol === 'main.(*Binary).Eval' && d.offset === 1)!;
      const old2 = base.lines.find((d) => d.symbol === 'main.(*Binary).Eval' && d.offset === 2)!;
      const now1 = v.lines.find((d) => d.symbol === 'main.(*Binary).Eval' && d.offset === 1)!;
      const now2 = v.lines.find((d) => d.symbol === 'main.(*Binary).Eval' && d.offset === 2)!;
      assert.equal(old1.line, at + 1);
      // same key, heat and callees, on the same line, which is now the comment (without a call
      // there is nothing to devirtualize)
      assert.ok(old1.devirtualized && !now1.devirtualized);
      assert.deepEqual(now1, withoutDevirt(old1));
      assert.deepEqual(withoutDevirt(now2), withoutDevirt({ ...old2, line: callLine }));
      assert.notEqual(now2.devirtualized?.callee, 'main.(*Binary).Eval');
      assert.equal(v.heat.find((h) => h.line === at + 1)!.flat, old1.flat);
      // the recorded (*Binary).Eval edge no longer has a call on its line: no lens for it
      assert.ok(!v.lenses.some((l) => l.line === at + 1));
      assert.ok(!v.lenses.some((l) => l.line === callLine && l.callee === 'main.(*Binary).Eval'));
      // functions below moved by one line
      const applyBase = base.lines.filter((d) => d.symbol === 'main.apply');
      assert.deepEqual(
        v.lines.filter((d) => d.symbol === 'main.apply'),
        applyBase.map((d) => ({ ...d, line: d.line + 1 })),
      );
      model.update(file(), null);
      assert.deepEqual(model.fileView(file()), base);
    });

    it('drops heat of a renamed function and lists it as unmatched', () => {
      const base = model.fileView(file());
      const text = original();
      assert.ok(base.lines.some((d) => d.symbol === 'main.apply'));
      const s = model.update(file(), text.replace('func apply(op byte', 'func applyOp(op byte'));
      const v = model.fileView(file());
      assert.ok(!v.lines.some((d) => d.symbol === 'main.apply'));
      const applyLines = new Set(base.lines.filter((d) => d.symbol === 'main.apply').map((d) => d.line));
      assert.ok(!v.heat.some((h) => applyLines.has(h.line)));
      const b = s.binaries.find((x) => x.id === interp)!;
      const u = b.unmatched.find((x) => x.symbol === 'main.apply');
      assert.ok(u, 'main.apply is unmatched');
      assert.ok(u.weight > 0 && u.percent > 0);
      assert.match(u.reason, /no declaration/);
      assert.ok(b.matchedPercent < 100);
      assert.deepEqual(model.summary().binaries.find((x) => x.id === interp)!.unmatched, b.unmatched);
      assert.ok(model.binaryDetails(interp).unmatched.some((x) => x.symbol === 'main.apply'));
      // other binaries are not rebuilt from this package and did not change
      assert.deepEqual(
        s.binaries.filter((x) => x.id !== interp),
        summary.binaries.filter((x) => x.id !== interp),
      );
      const restored = model.update(file(), null);
      assert.deepEqual(restored.binaries, summary.binaries);
      assert.deepEqual(model.fileView(file()), base);
    });

    it('re-matches every binary built from an edited shared package', () => {
      const tok = path.join(textproc, 'token', 'token.go');
      const text = fs.readFileSync(tok, 'utf8');
      const t0 = performance.now();
      assert.match(text, /^func \(Lower\) Normalize/m);
      const s = model.update(tok, text.replace(/^func \(Lower\) Normalize/m, 'func (Lower) Normalise'));
      console.log(`updateFile (token.go, shared by 2 binaries): ${(performance.now() - t0).toFixed(1)} ms`);
      const wf = s.binaries.find((b) => b.id === path.join(textproc, 'cmd', 'wordfreq'))!;
      assert.ok(wf.unmatched.some((u) => u.symbol === 'example.com/textproc/token.Lower.Normalize'));
      const restored = model.update(tok, null);
      assert.deepEqual(restored.binaries, summary.binaries);
    });

    it('adds a new file of a package and forgets it when it is gone', () => {
      const extra = path.join(interp, 'extra.go');
      const s = model.update(extra, 'package main\n\nfunc extra() int { return 1 }\n');
      assert.deepEqual(s.binaries.find((b) => b.id === interp)!.unmatched, []);
      const v = model.fileView(extra);
      assert.equal(v.binary, interp);
      assert.deepEqual(v.heat, []);
      model.update(extra, null); // never saved: the file does not exist
      assert.deepEqual(model.summary().binaries, summary.binaries);
    });
  });

  it('lists hottest functions, hot call sites and devirtualizations', () => {
    const d = model.binaryDetails(interp, 20);
    assertPlain(d);
    assert.equal(d.binary, interp);
    assert.equal(d.hottestFunctions.length, 20);
    for (let i = 1; i < d.hottestFunctions.length; i++) assert.ok(d.hottestFunctions[i]!.flat <= d.hottestFunctions[i - 1]!.flat);
    const local = d.hottestFunctions.filter((f) => f.symbol.startsWith('main.'));
    assert.ok(local.length > 0);
    for (const f of local) {
      assert.ok(f.file && f.file.startsWith(interp + path.sep), f.symbol);
      const text = fs.readFileSync(f.file, 'utf8').split('\n');
      // declarations start at their name, literals at `func`
      const name = /\.func\d+$/.test(f.symbol) ? 'func' : f.symbol.split('.').pop()!;
      assert.ok(text[f.line!]!.includes(name), `${f.symbol} at ${f.file}:${f.line! + 1}`);
    }
    assert.ok(d.hotCallSites.length > 0);
    for (const s of d.hotCallSites) assert.ok(s.file.startsWith(interp + path.sep) && s.line >= 0);
    const top = d.hotCallSites[0]!;
    assert.equal(top.caller, 'main.(*Binary).Eval');
    assert.equal(path.basename(top.file), 'ast.go');
    assert.ok(d.devirtualizations.some((x) => x.callee === 'main.(*Binary).Eval' && path.basename(x.file) === 'ast.go'));
    assert.deepEqual(d.unmatched, []);
    assert.throws(() => model.binaryDetails('/no/such/binary'), /no binary/);
  });

  it('indexes a GOROOT file on demand and shows the profile heat of its package', async (t) => {
    const gr = goroot();
    if (!gr) {
      t.skip('go is not on PATH');
      return;
    }
    const { profile } = await loadProfileFile(path.join(interp, 'default.pgo'));
    // the hottest standard-library Go function outside the runtime, in this toolchain's GOROOT
    const fn = profile.heat
      .rows()
      .filter((f) => f.flat > 0 && f.file.endsWith('.go') && !/^(runtime|internal\/runtime)[./]/.test(f.name) && /\/src\//.test(f.file))
      .map((f) => ({ f, local: path.join(gr, f.file.slice(f.file.lastIndexOf('/src/') + 1)) }))
      .filter((x) => fs.existsSync(x.local))
      .sort((a, b) => b.f.flat - a.f.flat)[0];
    if (!fn) {
      t.skip('no standard-library samples of this GOROOT in the profile');
      return;
    }
    const t0 = performance.now();
    const v = model.fileView(fn.local);
    console.log(`fileView(${path.relative(gr, fn.local)}) on demand: ${(performance.now() - t0).toFixed(0)} ms (${fn.f.name})`);
    assertPlain(v);
    assert.equal(v.binary, interp, 'the binary whose profile has this package comes first');
    const mine = v.lines.filter((d) => d.symbol === fn.f.name);
    assert.ok(mine.length > 0, `heat for ${fn.f.name}`);
    assert.equal(
      mine.reduce((s, d) => s + d.flat, 0),
      fn.f.flat,
    );
    const text = fs.readFileSync(fn.local, 'utf8').split('\n');
    for (const d of mine) assert.ok(d.line < text.length);
    const start = fn.f.startLine - 1;
    assert.ok(
      mine.every((d) => d.line === start + d.offset),
      'the file is unchanged since the profile: offsets are start-relative',
    );
    // a second view is served from the cached package
    const t1 = performance.now();
    assert.deepEqual(model.fileView(fn.local), v);
    assert.ok(performance.now() - t1 < performance.now() - t0 + 1);
  });

  it('reports an unusable profile on its binary instead of failing', async () => {
    const broken = path.join(tmp, 'broken');
    fs.cpSync(path.join(fixturesDir, 'interp'), broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'default.pgo'), Buffer.from('this is not a profile at all, not even gzip'));
    const m = new WorkspaceModel();
    const s = await m.open({ folders: [broken], thresholdPercent: 99 });
    assert.equal(s.binaries.length, 1);
    const b = s.binaries[0]!;
    assert.equal(b.summary, null);
    assert.ok(b.error && b.error.kind !== 'internal' && b.error.message.length > 0, JSON.stringify(b.error));
    const v = m.fileView(path.join(broken, 'ast.go'));
    assert.equal(v.binary, null);
    assert.deepEqual(v.heat, []);
    assert.deepEqual(m.binaryDetails(b.id).hottestFunctions, []);
  });

  it('applies a -pgo= override to every main package, loading it once', async () => {
    const m = new WorkspaceModel();
    const pgo = path.join(textproc, 'cmd', 'wordfreq', 'default.pgo');
    const s = await m.open({ folders: [textproc], profileOverride: pgo, thresholdPercent: 99 });
    assert.equal(s.binaries.length, 2);
    assert.ok(s.binaries.every((b) => b.profile === pgo && b.error === null));
    assert.deepEqual(s.binaries[0]!.summary, s.binaries[1]!.summary); // one load, same loadMillis
    assert.equal(s.binaries.find((b) => b.mainDir.endsWith('wordfreq'))!.matchedPercent, 100);
  });

  it('places heat through //line directives', async () => {
    const dir = path.join(tmp, 'linedir');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/linedir\n\ngo 1.23\n');
    const src = [
      'package main', //                 1
      '', //                             2
      'func main() { println(hot()) }', // 3
      '', //                             4
      '//line gen.y:100', //             5
      'func hot() int {', //             6  → gen.y:100
      '\tx := 0', //                     7  → 101
      '\tfor i := 0; i < 10; i++ {', //  8  → 102
      '\t\tx += leaf(i)', //             9  → 103
      '\t}', //                          10 → 104
      '\treturn x', //                   11 → 105
      '}', //                            12 → 106
      '', //                             13 → 107
      'func leaf(i int) int { return i * 2 }', // 14 → 108
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'main.go'), src);
    fs.writeFileSync(
      path.join(dir, 'default.pgo'),
      synthPprof({
        functions: [
          { id: 1, name: 'main.leaf', file: 'gen.y', start: 108 },
          { id: 2, name: 'main.hot', file: 'gen.y', start: 100 },
          { id: 3, name: 'main.main', file: path.join(dir, 'main.go'), start: 3 },
        ],
        locations: [
          { id: 1, lines: [[1, 108]] },
          { id: 2, lines: [[2, 103]] },
          { id: 3, lines: [[3, 3]] },
          { id: 4, lines: [[2, 101]] },
        ],
        samples: [
          { locs: [1, 2, 3], values: [10, 10_000_000] },
          { locs: [4, 3], values: [5, 5_000_000] },
        ],
      }),
    );
    const m = new WorkspaceModel();
    const s = await m.open({ folders: [dir], thresholdPercent: 99 });
    assert.equal(s.binaries.length, 1);
    assert.deepEqual(s.binaries[0]!.unmatched, []);
    const file = path.join(dir, 'main.go');
    const v = m.fileView(file);
    const heat = (x: FileView): Array<[number, number, number]> => x.heat.map((h) => [h.line, h.flat, h.cum]);
    // 0-based physical lines: hot's offset 1 → line 7 (index 6), offset 3 → line 9, leaf → line 14
    assert.deepEqual(heat(v), [
      [2, 0, 15],
      [6, 5, 5],
      [8, 0, 10],
      [13, 10, 10],
    ]);
    const call = v.lines.find((d) => d.line === 8)!;
    assert.deepEqual([call.symbol, call.offset, call.hotSite, call.callees.map((c) => c.callee)], ['main.hot', 3, true, ['main.leaf']]);
    // leaf costs 4: inlined without PGO too, so the hot site gets heat but no decision lens;
    // the binary's hot-site list keeps it, placed through the directive, marked 'none'
    assert.equal(
      v.lenses.find((l) => l.kind === 'inline' && l.line === 8),
      undefined,
    );
    const hs = m.binaryDetails(s.binaries[0]!.id, 10).hotCallSites.find((x) => x.callee === 'main.leaf');
    assert.deepEqual(hs && [hs.line, hs.pgo], [8, 'none']);
    // a line above the directive moves the physical lines, not the RelLines
    m.update(file, '\n' + src);
    assert.deepEqual(
      heat(m.fileView(file)),
      heat(v).map(([l, f, c]) => [l + 1, f, c]),
    );
  });

  it('shows edges, hot sites and lenses from a preprofile (no heat)', async () => {
    const m = new WorkspaceModel();
    const pre = path.join(fixturesDir, 'interp', 'expected', 'interp.preprofile');
    const s = await m.open({ folders: [interp], profileOverride: pre, thresholdPercent: 99 });
    const b = s.binaries[0]!;
    assert.equal(b.summary?.format, 'preprofile');
    assert.equal(b.matchedPercent, 100);
    const v = m.fileView(path.join(interp, 'ast.go'));
    assert.deepEqual(v.heat, []);
    assert.ok(v.lines.length > 0 && v.lines.every((d) => d.flat === 0 && d.cum === 0 && d.callees.length > 0));
    const withPprof = model.fileView(path.join(interp, 'ast.go'));
    // Same lenses; the percentage base differs: a preprofile has no samples, only its edge total.
    const noPct = (ls: typeof v.lenses) => ls.map(({ percent: _, ...l }) => l);
    assert.deepEqual(noPct(v.lenses), noPct(withPprof.lenses));
    assert.equal(v.total, b.summary!.totalWeight);
    for (const l of v.lenses) assert.equal(l.percent, (l.weight / b.summary!.totalWeight) * 100);
    for (const l of withPprof.lenses) assert.equal(l.percent, (l.weight / withPprof.total) * 100);
  });

  it('works through the engine and the real worker thread', async () => {
    const engine = new Engine();
    const view = path.join(interp, 'ast.go');
    // before any openWorkspace: empty answers, not errors
    const early = await engine.handle(1, 'fileView', { file: view });
    assert.ok(early.ok);
    const c = new WorkerClient({ script });
    try {
      const s = await c.establish('openWorkspace', { folders: [interp, textproc], thresholdPercent: 99 }, 'workspace');
      const stable = (x: WorkspaceSummary): unknown => ({
        ...x,
        indexMillis: 0,
        binaries: x.binaries.map((b) => ({ ...b, summary: b.summary && { ...b.summary, loadMillis: 0 } })),
      });
      assert.deepEqual(stable(s), stable(summary));
      const v = await c.call('fileView', { file: view });
      assert.deepEqual(v, model.fileView(view));
      const text = fs.readFileSync(view, 'utf8');
      const t0 = performance.now();
      const u = await c.call('updateFile', { file: view, text: '\n' + text });
      const v2 = await c.call('fileView', { file: view }, 'view');
      console.log(
        `first updateFile (cold package) + fileView through the thread: ${(performance.now() - t0).toFixed(1)} ms (update ${u.indexMillis.toFixed(1)} ms in the worker)`,
      );
      assert.deepEqual(
        v2.heat,
        v.heat.map((h) => ({ ...h, line: h.line + 1 })),
      );
      await c.call('updateFile', { file: view, text: null });
      assert.deepEqual(await c.call('binaryDetails', { binary: interp, limit: 10 }), model.binaryDetails(interp, 10));
      await assert.rejects(c.call('binaryDetails', { binary: '/nope' }), (e: { wire?: { kind: string } }) => e.wire?.kind === 'not-loaded');
    } finally {
      await c.dispose();
    }
  });
});
