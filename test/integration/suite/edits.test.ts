// Heat stays on the measured lines while editing (issue 12), on a copy of test/fixtures/interp:
// a statement inserted inside the hot (*Binary).Eval leaves the profiled call `b.L.Eval(env)`'s
// heat on that call (now one line lower) and gives the new line none; the compiler's offset view
// now differs, so the function is reported as drifted whatever its share; undo puts everything back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { api, closeAllEditors, diagnostics, edit, hovers, hoverText, openFile, waitFor } from '../helpers';

interface State {
  decorations: Record<string, Record<string, number[]>>;
  drift: Record<string, string[]>;
}
interface Api {
  getState(): State;
  ready(): Promise<void>;
}

const heatLines = (s: State, file: string): number[] =>
  Object.values(s.decorations[file] ?? {})
    .flat()
    .sort((a, b) => a - b);

describe('heat while editing', function () {
  this.timeout(60_000);
  let a: Api;
  let editor: vscode.TextEditor;
  before(async () => {
    editor = await openFile('ast.go');
    a = await api<Api>();
    await a.ready();
    await waitFor(() => heatLines(a.getState(), editor.document.uri.fsPath).includes(36), {
      timeoutMs: 30_000,
      what: 'heat on the devirtualized call, ast.go:37',
    });
  });
  after(closeAllEditors);

  it('keeps the heat on the measured line after an insertion inside a hot function', async () => {
    const file = editor.document.uri.fsPath;
    const before = heatLines(a.getState(), file);
    const lineCount = editor.document.lineCount;
    await edit(editor.document, [vscode.TextEdit.insert(new vscode.Position(36, 0), '\t_ = env\n')]);
    assert.equal(editor.document.lineCount, lineCount + 1);
    const expected = before.map((l) => (l >= 36 ? l + 1 : l));
    await waitFor(() => JSON.stringify(heatLines(a.getState(), file)) === JSON.stringify(expected), { timeoutMs: 15_000, what: 'heat on the measured lines' });
    assert.ok(!heatLines(a.getState(), file).includes(36), 'the new line has no heat');
    // The compiler now charges the call's samples to the new line: the edited function drifted.
    await waitFor(() => (a.getState().drift[file] ?? []).some((s) => /Binary\)\.Eval$/.test(s)), {
      timeoutMs: 15_000,
      what: '(*Binary).Eval to be marked as drifted',
    });
    await waitFor(() => diagnostics(editor.document.uri).some((d) => d.code === 'offset-drift' && d.range.start.line < 36), {
      timeoutMs: 15_000,
      what: 'the drift diagnostic on the edited function',
    });
    // The hover on the measured call says where the compiler now charges its samples (the new line 37).
    const text = hoverText(await hovers(editor.document.uri, new vscode.Position(37, 3))).join('\n');
    assert.match(text, /Edited since the profile was loaded/);
    assert.match(text, /charges them to line 37 /);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => JSON.stringify(heatLines(a.getState(), file)) === JSON.stringify(before), { timeoutMs: 15_000, what: 'heat back in place' });
    await waitFor(() => !a.getState().drift[file], { timeoutMs: 15_000, what: 'no drift after undo' });
  });
});
