// The hotness overlay in a real VS Code on a copy of test/fixtures/interp: end-of-line decisions
// (and, as an option, CodeLens) at the calls the compiler devirtualizes and treats as hot
// (positions and call names from the compiler's own output,
// test/fixtures/interp/expected/interp.pgodebug.txt), hovers, the status bar, heat decorations,
// and heat that follows a function when lines are inserted above it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { annotationsOf, api, closeAllEditors, codeLenses, edit, hovers, hoverText, openFile, setSetting, waitFor } from '../helpers';

interface State {
  summary?: { binaries: Array<{ id: string; matchedPercent: number; error: unknown }> };
  statusText: string;
  decorations: Record<string, Record<string, number[]>>;
  annotations: Record<string, Record<string, string>>;
  overlayEnabled: boolean;
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

  it('annotates, at the end of the line, the calls the compiler devirtualizes, named and with their columns', async () => {
    const file = editor.document.uri.fsPath;
    const at = await waitFor(() => (annotationsOf(a.getState(), file).size ? annotationsOf(a.getState(), file) : undefined), { what: 'annotations' });
    // ./ast.go:37:18 b.L.Eval and :37:33 b.R.Eval → (*Binary).Eval (two calls on one line: one text, each call with its column)
    assert.match(at.get(37) ?? '', /^PGO: b\.L\.Eval:18 → \(\*Binary\)\.Eval devirtualized.* · b\.R\.Eval:33 → \(\*Binary\)\.Eval devirtualized/);
    // ./ast.go:81:44 fn → sq (one call: named, no column)
    assert.match(at.get(81) ?? '', /^PGO: fn → sq devirtualized/);
    // no annotation on a line where the compiler decides nothing
    assert.ok(!at.has(1));
  });

  it('annotates the compiler’s hot-budget call sites', () => {
    // hot-budget check allows inlining for call main.(*Binary).Eval (cost 342) at ./ast.go:37:18
    assert.match(
      annotationsOf(a.getState(), editor.document.uri.fsPath).get(37) ?? '',
      /b\.L\.Eval:18 → \(\*Binary\)\.Eval devirtualized[^·]* \+ (may be )?inlined \(hot budget\)/,
    );
  });

  it('annotations never move code: the line count and the visible lines stay; CodeLens (the option) inserts lines', async () => {
    const file = editor.document.uri.fsPath;
    const lines = editor.document.lineCount;
    const shown = (): string => JSON.stringify(editor.visibleRanges.map((r) => [r.start.line, r.end.line]));
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 500)); // let the editor render
    await vscode.commands.executeCommand('pgoLens.toggleOverlay'); // off: no annotations
    try {
      await waitFor(() => !a.getState().overlayEnabled && annotationsOf(a.getState(), file).size === 0, { what: 'the annotations to go' });
      editor.revealRange(new vscode.Range(30, 0, 30, 0), vscode.TextEditorRevealType.AtTop);
      await settle();
      const before = shown();
      assert.ok(editor.visibleRanges.length > 0 && editor.visibleRanges[0]!.end.line > 36, `line 37 in view: ${before}`);
      await vscode.commands.executeCommand('pgoLens.toggleOverlay'); // on
      await waitFor(() => a.getState().overlayEnabled && annotationsOf(a.getState(), file).size > 0, { what: 'the annotations to come back' });
      await settle();
      assert.equal(editor.document.lineCount, lines);
      assert.equal(shown(), before, 'annotations moved the visible lines');
      // the same with CodeLens: the lens above line 37 pushes the lines below it down
      await setSetting('decisions.style', 'codeLens');
      await waitFor(async () => (await codeLenses(editor.document.uri)).length > 0 && annotationsOf(a.getState(), file).size === 0, {
        what: 'CodeLens instead',
      });
      await waitFor(() => shown() !== before, { timeoutMs: 5_000, what: `CodeLens to move the visible lines (the control; ${before})` });
      assert.equal(editor.document.lineCount, lines);
    } finally {
      await setSetting('decisions.style', undefined);
      if (!a.getState().overlayEnabled) await vscode.commands.executeCommand('pgoLens.toggleOverlay');
    }
    await waitFor(() => annotationsOf(a.getState(), file).size > 0, { what: 'annotations back' });
  });

  it('the CodeLens option puts each lens at the call’s opening parenthesis', async () => {
    try {
      await setSetting('decisions.style', 'codeLens');
      const devirt = await waitFor(
        async () => {
          const l = (await codeLenses(editor.document.uri)).filter((x) => x.command?.title.includes('devirtualizes'));
          return l.length ? l : undefined;
        },
        { what: 'devirtualization lenses' },
      );
      const at = (line: number): string[] => devirt.filter((l) => l.range.start.line === line - 1).map((l) => l.command!.title);
      assert.ok(
        at(37).some((t) => t.includes('(*Binary).Eval')),
        `line 37: ${JSON.stringify(at(37))}`,
      );
      assert.ok(
        at(81).some((t) => t.includes('sq')),
        `line 81: ${JSON.stringify(at(81))}`,
      );
      const l37 = devirt.find((l) => l.range.start.line === 36)!;
      assert.equal(editor.document.lineAt(36).text[l37.range.start.character], '(');
    } finally {
      await setSetting('decisions.style', undefined);
    }
    await waitFor(async () => (await codeLenses(editor.document.uri)).length === 0, { what: 'no lenses by default' });
  });

  it('hovers show the weights, the callees and the profile key', async () => {
    const text = hoverText(await hovers(editor.document.uri, new vscode.Position(36, 10))).join('\n');
    assert.match(text, /Go PGO/);
    assert.match(text, /Profile key: `main\.\(\*Binary\)\.Eval` \+1/);
    assert.match(text, /Devirtualized/);
    // the full story of each decision on the line, naming the call and its column
    assert.match(text, /PGO decisions on this line/);
    assert.match(text, /`b\.L\.Eval` \(column 18\): PGO devirtualizes/);
    assert.match(text, /`b\.R\.Eval` \(column 33\)/);
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

  it('an edit inside a hot function moves the call off its profiled offset: the decision goes, as PGO would', async () => {
    const file = editor.document.uri.fsPath;
    const devirtAt = (line: number): boolean => /devirtualized/.test(annotationsOf(a.getState(), file).get(line) ?? '');
    // the previous test waited for the heat to come back after its undo: heat is mapped through the edit at once, decisions wait for the worker's view
    await waitFor(() => devirtAt(37), { timeoutMs: 15_000, what: 'the devirtualization annotation on line 37 before the edit' });
    // a new first statement in (*Binary).Eval: the call `b.L.Eval(env)` is now at offset +2
    await edit(editor.document, [vscode.TextEdit.insert(new vscode.Position(36, 0), '\t_ = env\n')]);
    await waitFor(() => !devirtAt(37) && !devirtAt(38), { timeoutMs: 15_000, what: 'the devirtualization annotation to go' });
    await vscode.commands.executeCommand('undo');
    await waitFor(() => devirtAt(37), { timeoutMs: 15_000, what: 'the annotation to come back' });
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

  it('annotates a call the profile never sampled on a hot line: the compiler inlines it with the hot budget', async () => {
    // hot-budget check allows inlining for call math/rand.(*Rand).Intn (cost 387) at ./main.go:39:52 in function main.gen
    // (no main.gen → Intn edge in default.pgo: the compiler keys hot call sites by caller and line)
    // (last in this suite: it leaves main.go the active editor)
    const main = await openFile('main.go');
    const at = await waitFor(() => annotationsOf(a.getState(), main.document.uri.fsPath).get(39), { what: 'the annotation of main.go:39' });
    assert.match(at, / · r\.Intn:52 → rand\.\(\*Rand\)\.Intn inlined \(hot budget\) on a hot line \(no samples of its own\)/);
    assert.doesNotMatch(at, /0\.00%/);
  });
});
