// The numbers the editor shows equal `go tool pprof`'s, in a real VS Code on a copy of
// test/fixtures/interp: the hover of a hot line shows `go tool pprof -list`'s flat and cum for
// that line (and `-top -lines`' percentages), and the Go PGO view's hottest functions are
// `go tool pprof -top`'s rows, numbers and percentages (one base: the profile total).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { api, closeAllEditors, hovers, hoverText, openFile, waitFor, workspaceRoot } from '../helpers';

interface Api {
  ready(): Promise<void>;
  getState(): { views: Record<string, { heat: unknown[] }> };
  viewEntries(section: 'hottestFunctions'): Promise<Array<{ label: string; description: string; tooltip: string }>>;
}

interface Row {
  flat: number;
  flatPct: string;
  cum: number;
  cumPct: string;
  name: string;
}

/** `go tool pprof -top …` rows (samples: exact integers). */
function pprofTop(args: string[]): { total: number; rows: Row[] } {
  const pgo = path.join(workspaceRoot().fsPath, 'default.pgo');
  const out = execFileSync('go', ['tool', 'pprof', '-symbolize=none', '-top', '-nodefraction=0', '-sample_index=samples', ...args, pgo], { encoding: 'utf8' });
  const total = Number(/of (\d+) total/.exec(out)?.[1]);
  const rows: Row[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+%)\s+\S+%\s+(\d+)\s+(\S+%)\s+(.*?)( \((partial-)?inline\))?$/.exec(line);
    if (m) rows.push({ flat: Number(m[1]), flatPct: m[2]!, cum: Number(m[3]), cumPct: m[4]!, name: m[5]! });
  }
  assert.ok(total > 0 && rows.length > 0, `could not parse go tool pprof output:\n${out.slice(0, 400)}`);
  return { total, rows };
}

describe('numbers equal go tool pprof', function () {
  this.timeout(60_000);
  let a: Api;
  let editor: vscode.TextEditor;
  before(async () => {
    editor = await openFile('ast.go');
    a = await api<Api>();
    await a.ready();
    await waitFor(() => (a.getState().views[editor.document.uri.fsPath]?.heat.length ?? 0) > 0, { timeoutMs: 30_000, what: 'heat on ast.go' });
  });
  after(closeAllEditors);

  it('the hover of a hot line shows -list / -top -lines numbers', async () => {
    const { total, rows } = pprofTop(['-lines']);
    // line 37 of ast.go: `l, r := b.L.Eval(env), b.R.Eval(env)` in (*Binary).Eval
    const row = rows.find((r) => r.name.startsWith('main.(*Binary).Eval ') && r.name.endsWith('/ast.go:37'));
    assert.ok(row, 'pprof has a row for ast.go:37');
    const text = hoverText(await hovers(editor.document.uri, new vscode.Position(36, 10))).join('\n');
    assert.ok(text.includes(`flat ${row.flatPct} · cum ${row.cumPct} of profile`), `hover: ${text}`);
    assert.ok(text.includes(`flat ${row.flat} samples, cum ${row.cum} of ${total} samples`), `hover: ${text}`);
  });

  it("the view's hottest functions are -top's rows, numbers and percentages", async () => {
    const { rows } = pprofTop([]);
    const entries = await waitFor(
      async () => {
        const e = await a.viewEntries('hottestFunctions');
        return e.length >= 5 ? e : undefined;
      },
      { what: 'the view to list hottest functions' },
    );
    for (let i = 0; i < 5; i++) {
      const e = entries[i]!;
      const r = rows[i]!;
      assert.ok(e.tooltip.startsWith(`${r.name}\nflat ${r.flat} · cum ${r.cum} `), `entry ${i}: ${JSON.stringify(e)} vs ${JSON.stringify(r)}`);
      assert.equal(e.description, `flat ${r.flatPct} · cum ${r.cumPct} of profile`);
    }
  });
});
