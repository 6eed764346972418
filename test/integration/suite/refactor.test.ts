// Refactor impact in a real VS Code: renaming a hot function (main.execArith, 8 % of the
// profile's call weight in test/fixtures/interp) raises a diagnostic on the new declaration; its
// quick fix rewrites default.pgo and the diagnostic goes; undo restores everything.
import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { api, closeAllEditors, diagnostics, edit, openFile, waitFor } from '../helpers';

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

    // rename every occurrence of execArith in vm.go (its only file)
    const text = doc.getText();
    const edits: vscode.TextEdit[] = [];
    for (let i = text.indexOf('execArith'); i >= 0; i = text.indexOf('execArith', i + 1)) {
      edits.push(vscode.TextEdit.replace(new vscode.Range(doc.positionAt(i), doc.positionAt(i + 'execArith'.length)), 'arithmetic'));
    }
    await edit(doc, edits);
    const [d] = await waitFor(() => (pgoDiags().length ? pgoDiags() : undefined), { timeoutMs: 20_000, what: 'a PGO diagnostic' });
    assert.equal(d!.code, 'renamed');
    assert.match(d!.message, /execArith/);
    assert.match(d!.message, /arithmetic/);
    assert.match(doc.lineAt(d!.range.start.line).text, /^func arithmetic\(/);
    assert.ok(a.getState().summary!.binaries[0]!.matchedPercent < 100, 'the match meter drops');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d!.range);
    const fix = actions.find((x) => x.title.includes('Rename') && x.title.includes('arithmetic'));
    assert.ok(fix?.command, `quick fix missing among ${actions.map((x) => x.title).join(', ')}`);
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    await waitFor(() => pgoDiags().length === 0, { timeoutMs: 20_000, what: 'the diagnostic to go after the rewrite' });
    await waitFor(() => a.getState().summary!.binaries[0]!.matchedPercent === 100, { timeoutMs: 20_000, what: 'the match meter back at 100 %' });

    // back to the original source and profile
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('pgoLens.undoRewrite');
    await waitFor(() => pgoDiags().length === 0 && a.getState().summary!.binaries[0]!.matchedPercent === 100, {
      timeoutMs: 20_000,
      what: 'the original state',
    });
  });
});
