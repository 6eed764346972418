// The profile explorer in a real VS Code: opened on the fixture's default.pgo, its table shows
// `go tool pprof -top`'s rows (same order, same flat and cum); opening a row lands on the
// function's declaration; the cursor in a Go function outlines its frames; a diff against the
// profile without main.execArith (made by `go tool pprof -proto -ignore`) lists the known PGO
// consequence: the call at vm.go:88 stops being hot and its devirtualization changes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { api, closeAllEditors, openFile, waitFor, workspaceUri } from '../helpers';

interface Rendered {
  ui: { view: string; selected: string | null; filter: string };
  rows: Array<{ name: string; cells: string[]; values: Record<string, number> }>;
  matchedRows: number;
  frames: number;
  highlight: string | null;
  callers: string[];
  callees: string[];
  consequences: string[];
  error: string | null;
}
interface Api {
  ready(): Promise<void>;
  explorer: {
    open(profile: string): Promise<void>;
    diff(base: string, next: string, normalize?: 'total' | 'duration'): Promise<void>;
    state(action?: { action: 'openRow' | 'selectRow' | 'setFilter' | 'setView'; arg: string }): Promise<Rendered>;
  };
}

function pprof(args: string[]): string {
  const r = spawnSync('go', ['tool', 'pprof', '-symbolize=none', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `go tool pprof ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `go tool pprof -top -nodefraction=0 -unit=ns` rows: name, flat, cum (exact nanoseconds) and flat%, sum%, cum% as printed. */
function pprofTop(file: string): Array<{ name: string; flat: number; cum: number; percents: string[] }> {
  const out: Array<{ name: string; flat: number; cum: number; percents: string[] }> = [];
  let rows = false;
  for (const line of pprof(['-top', '-nodefraction=0', '-edgefraction=0', '-unit=ns', file]).split('\n')) {
    if (/^\s+flat\s+flat%/.test(line)) rows = true;
    else if (rows && line.trim()) {
      const m = /^\s*(\d+)(?:ns)?\s+(\S+%)\s+(\S+%)\s+(\d+)(?:ns)?\s+(\S+%)\s+(.*)$/.exec(line);
      assert.ok(m, `unparsed pprof row ${line}`);
      out.push({ name: m[6]!.replace(/ \((partial-)?inline\)$/, ''), flat: Number(m[1]), cum: Number(m[4]), percents: [m[2]!, m[3]!, m[5]!] });
    }
  }
  return out;
}

describe('profile explorer', function () {
  this.timeout(90_000);
  const pgo = workspaceUri('default.pgo').fsPath;
  const next = workspaceUri('no-arith.pprof').fsPath;
  after(async () => {
    fs.rmSync(next, { force: true });
    await closeAllEditors();
  });

  it("shows go tool pprof -top's rows and opens a row at its declaration", async () => {
    await openFile('main.go');
    const a = await api<Api>();
    await a.ready();
    await a.explorer.open(pgo);
    const s = await waitFor(
      async () => {
        const r = await a.explorer.state().catch(() => undefined);
        return r && r.rows.length > 0 && r.frames > 1 ? r : undefined;
      },
      { timeoutMs: 30_000, what: 'the explorer to render its table and flame graph' },
    );
    assert.equal(s.error, null);
    const go = pprofTop(pgo);
    assert.equal(s.matchedRows, go.length, 'one row per function, no cap');
    // Cells: flat, flat%, sum%, cum, cum%, function.
    const shown = s.rows.map((r) => ({ name: r.name, flat: r.values['flat'], cum: r.values['cum'], percents: [r.cells[1]!, r.cells[2]!, r.cells[4]!] }));
    assert.ok(shown.length >= 5, `at least 5 rows in view (${shown.length})`);
    assert.deepEqual(shown, go.slice(0, shown.length), "the rows in view are pprof's first rows, with its flat and cum, and its percentages as printed");

    // Opening a row lands on the declaration.
    const opened = await a.explorer.state({ action: 'openRow', arg: 'main.execArith' });
    assert.equal(opened.ui.selected, 'main.execArith');
    assert.ok(opened.callers.includes('main.(*VM).run'), `callers of execArith: ${opened.callers.join(', ')}`);
    const editor = await waitFor(
      () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.fsPath.endsWith('vm.go') ? e : undefined;
      },
      { timeoutMs: 10_000, what: 'vm.go to open' },
    );
    const line = editor.document.lineAt(editor.selection.active.line).text;
    assert.match(line, /^func execArith\(/, `landed on ${editor.selection.active.line + 1}: ${line}`);

    // The cursor in a Go function outlines its frames: move into (*VM).run.
    const run = editor.document
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('func (vm *VM) run('));
    assert.ok(run >= 0);
    editor.selection = new vscode.Selection(run + 1, 0, run + 1, 0);
    await waitFor(async () => (await a.explorer.state()).highlight === 'main.(*VM).run', {
      timeoutMs: 10_000,
      what: "the cursor's function to be highlighted",
    });
  });

  it('diffs against a profile without main.execArith and lists the PGO consequences', async () => {
    const a = await api<Api>();
    const bytes = spawnSync('go', ['tool', 'pprof', '-proto', '-symbolize=none', '-ignore=^main\\.execArith$', pgo], { maxBuffer: 1 << 28 });
    assert.equal(bytes.status, 0, String(bytes.stderr));
    fs.writeFileSync(next, bytes.stdout);
    await a.explorer.diff(pgo, next, 'total');
    const s = await waitFor(
      async () => {
        const r = await a.explorer.state().catch(() => undefined);
        return r && r.consequences.length > 0 && r.rows.length > 0 ? r : undefined;
      },
      { timeoutMs: 30_000, what: 'the diff to render' },
    );
    const text = s.consequences.join('\n');
    assert.match(text, /Stopped being hot[^\n]*\n(?: {2}[^\n]*\n)* {2}[^\n]*vm\.go:88 [^\n]*execArith/, text);
    assert.match(text, /vm\.go:88:\d+ [^\n]*execArith/, 'the devirtualization at vm.go:88 changes');
    const filtered = await a.explorer.state({ action: 'setFilter', arg: '^main\\.execArith$' });
    assert.equal(filtered.rows.length, 1);
    assert.equal(filtered.rows[0]!.values['newCum'], 0);
    assert.ok(filtered.rows[0]!.values['cumDelta']! < 0, "execArith's share goes down");
  });
});
