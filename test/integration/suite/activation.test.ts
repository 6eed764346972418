// Activation: the extension starts in a Go workspace with a default.pgo, returns its test API from
// activate(), and registers every command its manifest contributes.
// The runners open a copy of test/fixtures/interp (a Go module with default.pgo at its root).
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { api, closeAllEditors, extension, manifest, openFile, workspaceUri } from '../helpers';

describe('activation', () => {
  before(async () => {
    // The fixture is what the activation events look for; fail early and clearly if it is not.
    await vscode.workspace.fs.stat(workspaceUri('default.pgo'));
  });

  it('activates when a Go file is opened in a workspace with default.pgo', async () => {
    const editor = await openFile('main.go');
    assert.equal(editor.document.languageId, 'go');
    await api();
    assert.equal(extension().isActive, true);
    await closeAllEditors();
  });

  it('returns its test API object from activate()', async () => {
    const exports = await api<{ getState?: unknown; ready?: unknown; metrics?: unknown }>();
    assert.equal(typeof exports, 'object');
    assert.notEqual(exports, null);
    for (const m of ['getState', 'ready', 'metrics'] as const) assert.equal(typeof exports[m], 'function', m);
  });

  it('registers every command contributed in package.json', async () => {
    await api();
    const contributed = (manifest().contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed commands with no handler: ${missing.join(', ')}`);
  });
});
