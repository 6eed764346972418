// Refactor impact in a real VS Code: renaming a hot function (main.execArith, 8 % of the
// profile's call weight in test/fixtures/interp) raises a diagnostic on the new declaration; its
// quick fix first checks the source: while the handler table still names execArith it writes
// nothing and says where; once the rename is finished it rewrites default.pgo and the diagnostic
// goes; undo restores everything, also when a reload follows the undo at once.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { api, closeAllEditors, diagnostics, edit, openFile, waitFor, workspaceUri } from '../helpers';

interface Api {
  ready(): Promise<void>;
  getState(): { summary?: { binaries: Array<{ unmatched: unknown[]; matchedPercent: number }> } };
}

describe('refactor impact', function () {
  this.timeout(90_000);
  after(closeAllEditors);

  it('a rename of a hot function is diagnosed, and the quick fix makes the profile match again', async () => {
    const editor = await openFile('vm.go');
    const a = await api<Api>();
    await a.ready();
    const doc = editor.document;
    const pgoDiags = (): vscode.Diagnostic[] => diagnostics(doc.uri).filter((d) => d.source === 'Go PGO');
    assert.deepEqual(pgoDiags(), [], 'unchanged source: no diagnostic');

    // rename the declaration of execArith only: its handler table still uses the old name
    const text = doc.getText();
    const decl = text.indexOf('func execArith(') + 'func '.length;
    const at = (i: number): vscode.Range => new vscode.Range(doc.positionAt(i), doc.positionAt(i + 'execArith'.length));
    await edit(doc, [vscode.TextEdit.replace(at(decl), 'arithmetic')]);
    const [d] = await waitFor(() => (pgoDiags().length ? pgoDiags() : undefined), { timeoutMs: 20_000, what: 'a PGO diagnostic' });
    const fixFor = async (diag: vscode.Diagnostic): Promise<vscode.Command> => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range);
      const fix = actions.find((x) => x.title.includes('Rename') && x.title.includes('arithmetic'));
      assert.ok(fix?.command, `quick fix missing among ${actions.map((x) => x.title).join(', ')}`);
      return fix.command;
    };
    const pgo = workspaceUri('default.pgo').fsPath;
    const bytes = fs.readFileSync(pgo);
    const early = await fixFor(d!);
    const refused = await vscode.commands.executeCommand<{ rewritten: boolean; uses: Array<{ count: number; uses: Array<{ line: number }> }> }>(
      early.command,
      ...(early.arguments ?? []),
    );
    assert.equal(refused?.rewritten, false, 'the fix writes nothing while the source uses the old name');
    assert.equal(refused.uses[0]?.count, 4);
    assert.deepEqual(
      refused.uses[0]!.uses.map((u) => doc.lineAt(u.line).text.trim()),
      ['opAdd:   execArith,', 'opSub:   execArith,', 'opMul:   execArith,', 'opDiv:   execArith,'],
    );
    assert.deepEqual(fs.readFileSync(pgo), bytes, 'default.pgo untouched');

    // finish the rename
    const rest: vscode.TextEdit[] = [];
    const now = doc.getText();
    for (let i = now.indexOf('execArith'); i >= 0; i = now.indexOf('execArith', i + 1)) rest.push(vscode.TextEdit.replace(at(i), 'arithmetic'));
    await edit(doc, rest); // the fix sends pending edits to the worker before it checks
    assert.equal(d!.code, 'renamed');
    assert.match(d!.message, /execArith/);
    assert.match(d!.message, /arithmetic/);
    assert.match(doc.lineAt(d!.range.start.line).text, /^func arithmetic\(/);
    assert.ok(a.getState().summary!.binaries[0]!.matchedPercent < 100, 'the match meter drops');

    const fix = await fixFor(pgoDiags()[0]!);
    const done = await vscode.commands.executeCommand<{ rewritten: boolean }>(fix.command, ...(fix.arguments ?? []));
    assert.equal(done?.rewritten, true);
    await waitFor(() => pgoDiags().length === 0, { timeoutMs: 20_000, what: 'the diagnostic to go after the rewrite' });
    await waitFor(() => a.getState().summary!.binaries[0]!.matchedPercent === 100, { timeoutMs: 20_000, what: 'the match meter back at 100 %' });

    // back to the original source and profile (two edits)
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('undo');
    await waitFor(() => doc.getText() === text, { timeoutMs: 5_000, what: 'the undone text in the editor' });
    await vscode.commands.executeCommand('pgoLens.undoRewrite');
    await waitFor(() => pgoDiags().length === 0 && a.getState().summary!.binaries[0]!.matchedPercent === 100, {
      timeoutMs: 20_000,
      what: 'the original state',
    });
  });

  it('an undo right before a reload reaches the worker: the reload matches the undone text', async () => {
    const editor = await openFile('vm.go');
    const a = await api<Api>();
    await a.ready();
    const doc = editor.document;
    const text = doc.getText();
    const matched = (): number => a.getState().summary!.binaries[0]!.matchedPercent;
    assert.equal(matched(), 100);
    const decl = text.indexOf('func execArith(') + 'func '.length;
    await edit(doc, [vscode.TextEdit.replace(new vscode.Range(doc.positionAt(decl), doc.positionAt(decl + 'execArith'.length)), 'arithmetic')]);
    await waitFor(() => matched() < 100, { timeoutMs: 20_000, what: 'the renamed text in the worker' });
    // the reload starts before the undo's change reaches the extension: it arrives while the workspace loads
    const undone = vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('pgoLens.reload');
    await undone;
    assert.equal(doc.getText(), text);
    // The undo's change may reach the extension host after the reload ended (the load shows heat
    // first and matches right after): it must still reach the worker, not be lost to the reload.
    await waitFor(() => matched() === 100, { timeoutMs: 20_000, what: 'the undone text in the worker (the reload must not keep the renamed text)' });
  });
});
