// Profile refresh in a real VS Code: with the main package's default.pgo gone the overlay is
// empty; "Refresh Profile…" from a profile file writes a new default.pgo (validated, atomically)
// and the heat, decisions and match meter come back; a refresh that fails leaves the profile alone.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { annotationsOf, api, closeAllEditors, openFile, waitFor, workspaceRoot, workspaceUri } from '../helpers';

interface State {
  summary?: { binaries: Array<{ profile: string; matchedPercent: number; matching?: boolean }> };
  decorations: Record<string, Record<string, number[]>>;
  annotations: Record<string, Record<string, string>>;
}
interface Api {
  ready(): Promise<void>;
  getState(): State;
}
interface RefreshResult {
  profile: string;
  backup: string | null;
  changes: { becameHot: unknown[]; stoppedHot: unknown[]; devirtualizations: unknown[]; summary: string; after: { matchedPercent: number } };
}

const heat = (s: State, file: string): number => Object.values(s.decorations[file] ?? {}).reduce((n, l) => n + l.length, 0);

describe('profile refresh', function () {
  this.timeout(90_000);
  const pgo = workspaceUri('default.pgo').fsPath;
  const saved = workspaceUri('cpu.pprof').fsPath;
  let original: Buffer | undefined;
  after(async () => {
    if (original) fs.writeFileSync(pgo, original);
    fs.rmSync(saved, { force: true });
    fs.rmSync(`${pgo}.bak`, { force: true });
    await vscode.commands.executeCommand('pgoLens.reload');
    await closeAllEditors();
  });

  it('refreshing from a profile file brings the overlay back', async () => {
    const editor = await openFile('vm.go');
    const a = await api<Api>();
    await a.ready();
    const file = editor.document.uri.fsPath;
    await waitFor(() => heat(a.getState(), file) > 0, { timeoutMs: 30_000, what: 'heat on vm.go' });
    // decisions come with the match, right after the heat
    await waitFor(() => a.getState().summary?.binaries[0]?.matching !== true && annotationsOf(a.getState(), file).size > 0, {
      timeoutMs: 30_000,
      what: 'the decisions on vm.go',
    });
    const decisions = (): string => JSON.stringify([...annotationsOf(a.getState(), file)]);
    const decisionsBefore = decisions();
    assert.ok(annotationsOf(a.getState(), file).size > 0);

    // no profile: nothing to show
    original = fs.readFileSync(pgo);
    fs.renameSync(pgo, saved);
    await vscode.commands.executeCommand('pgoLens.reload');
    await waitFor(() => (a.getState().summary?.binaries.length ?? -1) === 0 && heat(a.getState(), file) === 0, {
      timeoutMs: 30_000,
      what: 'the overlay to go without default.pgo',
    });

    // a refresh whose input is not a profile fails and writes nothing
    const garbage = workspaceUri('garbage.pprof').fsPath;
    fs.writeFileSync(garbage, '<html>not a profile</html>');
    const failed = await vscode.commands.executeCommand<RefreshResult | undefined>('pgoLens.refreshProfile', {
      source: 'files',
      files: [garbage],
      mainDir: workspaceRoot().fsPath,
    });
    fs.rmSync(garbage);
    assert.equal(failed, undefined);
    assert.ok(!fs.existsSync(pgo), 'a failed refresh writes nothing');

    const r = await vscode.commands.executeCommand<RefreshResult | undefined>('pgoLens.refreshProfile', {
      source: 'files',
      files: [saved],
      mainDir: workspaceRoot().fsPath,
    });
    assert.ok(r, 'the refresh returned its result');
    assert.equal(r.profile, pgo);
    assert.equal(r.backup, null, 'there was no previous profile to keep');
    assert.ok(r.changes.becameHot.length > 0 && r.changes.devirtualizations.length > 0, r.changes.summary);
    assert.ok(fs.existsSync(pgo));

    // the reloaded overlay matches the source as the refresh's own diff said it would
    const expected = r.changes.after.matchedPercent;
    await waitFor(() => heat(a.getState(), file) > 0 && Math.abs((a.getState().summary?.binaries[0]?.matchedPercent ?? -1) - expected) < 0.01, {
      timeoutMs: 30_000,
      what: `heat back on vm.go and ${expected.toFixed(1)} % matched`,
    });
    await waitFor(() => decisions() === decisionsBefore, { timeoutMs: 20_000, what: 'the same decisions as before' });
  });
});
