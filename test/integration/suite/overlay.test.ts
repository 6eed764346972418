// The hotness overlay in a real VS Code on a copy of test/fixtures/interp: CodeLens at the calls
// the compiler devirtualizes and treats as hot (positions from the compiler's own output,
// test/fixtures/interp/expected/interp.pgodebug.txt), hovers, the status bar, heat decorations,
// and heat that follows a function when lines are inserted above it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { api, closeAllEditors, codeLenses, edit, hovers, hoverText, openFile, waitFor } from '../helpers';

interface State {
  summary?: { binaries: Array<{ id: string; matchedPercent: number; error: unknown }> };
  statusText: string;
  decorations: Record<string, Record<string, number[]>>;
  views: Record<string, { heat: Array<{ line: number }>; lenses: unknown[] }>;
}
interface Api {
  getState(): State;
  ready(): Promise<void>;
}

function heatLines(s: State, file: string): number[] {
  return Object.values(s.decorations[file] ?? {})
    .flat()
    .sort((a, b) => a - b);
}

describe('hotness overlay', function () {
  this.timeout(60_000);
  let a: Api;
  let editor: vscode.TextEditor;
  before(async () => {
    editor = await openFile('ast.go');
    a = await api<Api>();
    await a.ready();
    await waitFor(() => heatLines(a.getState(), editor.document.uri.fsPath).length > 0, { timeoutMs: 30_000, what: 'heat decorations on ast.go' });
  });
  after(closeAllEditors);

  it('loads the profile of the main package and matches it fully', () => {
    const s = a.getState();
    assert.equal(s.summary?.binaries.length, 1);
    assert.equal(s.summary!.binaries[0]!.error, null);
    assert.equal(s.summary!.binaries[0]!.matchedPercent, 100);
    assert.match(s.statusText, /^\$\(flame\) PGO interp 100%$/);
  });

  it('puts devirtualization lenses where the compiler devirtualizes', async () => {
    const lenses = await codeLenses(editor.document.uri);
    const devirt = lenses.filter((l) => l.command?.title.includes('devirtualizes'));
    const at = (line: number): string[] => devirt.filter((l) => l.range.start.line === line - 1).map((l) => l.command!.title);
    // ./ast.go:37:18 b.L.Eval and :37:33 b.R.Eval → (*Binary).Eval; ./ast.go:81:44 fn → sq
    assert.ok(
      at(37).some((t) => t.includes('(*Binary).Eval')),
      `line 37: ${JSON.stringify(at(37))}`,
    );
    assert.ok(
      at(81).some((t) => t.includes('sq')),
      `line 81: ${JSON.stringify(at(81))}`,
    );
    // the lens sits at the call's opening parenthesis
    const l37 = devirt.find((l) => l.range.start.line === 36)!;
    assert.equal(editor.document.lineAt(36).text[l37.range.start.character], '(');
  });

  it('puts hot-call lenses on the compiler’s hot-budget call sites', async () => {
    const lenses = await codeLenses(editor.document.uri);
    // hot-budget check allows inlining for call main.(*Binary).Eval (cost 342) at ./ast.go:37:18
    assert.ok(lenses.some((l) => l.range.start.line === 36 && /PGO (inlines|may inline)/.test(l.command?.title ?? '')));
    // no lens on a line where the compiler decides nothing
    assert.ok(!lenses.some((l) => l.range.start.line === 0));
  });

  it('hovers show the weights, the callees and the profile key', async () => {
    const text = hoverText(await hovers(editor.document.uri, new vscode.Position(36, 10))).join('\n');
    assert.match(text, /Go PGO/);
    assert.match(text, /Profile key: `main\.\(\*Binary\)\.Eval` \+1/);
    assert.match(text, /Devirtualized/);
  });

  it('heat follows the function when lines are inserted above it, and returns on undo', async () => {
    const file = editor.document.uri.fsPath;
    const before = heatLines(a.getState(), file);
    await edit(editor.document, [vscode.TextEdit.insert(new vscode.Position(2, 0), '\n\n\n')]);
    const moved = await waitFor(
      () => {
        const now = heatLines(a.getState(), file);
        return now.length === before.length && now.every((l, i) => l === before[i]! + 3) ? now : undefined;
      },
      { timeoutMs: 15_000, what: 'heat to move down by 3 lines' },
    );
    assert.equal(moved.length, before.length);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => JSON.stringify(heatLines(a.getState(), file)) === JSON.stringify(before), { timeoutMs: 15_000, what: 'heat back in place' });
  });

  it('an edit inside a hot function moves the call off its profiled offset: the lens goes, as PGO would', async () => {
    const devirtAt = async (line: number): Promise<boolean> =>
      (await codeLenses(editor.document.uri)).some((l) => l.range.start.line === line && /devirtualizes/.test(l.command?.title ?? ''));
    assert.ok(await devirtAt(36));
    // a new first statement in (*Binary).Eval: the call `b.L.Eval(env)` is now at offset +2
    await edit(editor.document, [vscode.TextEdit.insert(new vscode.Position(36, 0), '\t_ = env\n')]);
    await waitFor(async () => !(await devirtAt(36)) && !(await devirtAt(37)), { timeoutMs: 15_000, what: 'the devirtualization lens to go' });
    await vscode.commands.executeCommand('undo');
    await waitFor(() => devirtAt(36), { timeoutMs: 15_000, what: 'the lens to come back' });
  });

  it('reloads when default.pgo changes on disk', async () => {
    const pgo = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'default.pgo');
    const original = await vscode.workspace.fs.readFile(pgo);
    try {
      await vscode.workspace.fs.writeFile(pgo, new Uint8Array(0)); // an empty profile: the compiler ignores it
      await waitFor(() => /PGO interp: off/.test(a.getState().statusText), { timeoutMs: 20_000, what: 'the status bar to show PGO off' });
    } finally {
      await vscode.workspace.fs.writeFile(pgo, original);
    }
    await waitFor(() => /PGO interp 100%/.test(a.getState().statusText), { timeoutMs: 20_000, what: 'the profile to come back' });
  });
});
