// Compiler-confirmed decisions in a real VS Code: "Confirm Decisions with the Compiler" builds the
// example with its profile (into a temporary directory) and the end-of-line decisions and hovers
// then say what the compiler did: devirtualizations confirmed, hot calls inlined with their cost.
import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { annotationsOf, api, closeAllEditors, hovers, hoverText, openFile, waitFor, workspaceRoot } from '../helpers';

interface Api {
  ready(): Promise<void>;
  getState(): { annotations: Record<string, Record<string, string>> };
}
interface ConfirmSummary {
  inline: { agree: number; total: number };
  devirt: { agree: number; total: number };
  bugs: unknown[];
  changes: number | null;
}

describe('compiler confirmation', function () {
  this.timeout(180_000);
  after(closeAllEditors);

  it('decisions and hovers show what the compiler confirmed', async () => {
    const editor = await openFile('vm.go');
    const a = await api<Api>();
    await a.ready();
    const uri = editor.document.uri;
    const texts = (): string[] => [...annotationsOf(a.getState(), uri.fsPath).values()];
    await waitFor(() => texts().length > 0, { timeoutMs: 30_000, what: 'decisions on vm.go' });
    assert.ok(
      texts().every((t) => !t.includes('✓') && t.endsWith(' · predicted')),
      `before confirming: predictions only\n${texts().join('\n')}`,
    );

    const s = await vscode.commands.executeCommand<ConfirmSummary | undefined>('pgoLens.confirmDecisions', { mainDir: workspaceRoot().fsPath });
    assert.ok(s, 'the command returned the summary');
    assert.deepEqual(s.bugs, []);
    assert.ok(s.devirt.total > 0 && s.devirt.agree === s.devirt.total);
    assert.ok(s.changes !== null && s.changes > 0);

    const after = await waitFor(() => (texts().some((x) => x.includes('✓')) ? texts() : undefined), { timeoutMs: 20_000, what: 'confirmed decisions' });
    // ./vm.go:88:18: PGO devirtualizing function call handlers[in.op] to execArith
    const at = annotationsOf(a.getState(), uri.fsPath);
    assert.match(at.get(88) ?? '', /^PGO: handlers\[in\.op\] → execArith devirtualized (\(\d+\.\d+% of the call\) )?✓/);
    const devirt = after.filter((t) => t.includes('devirtualized'));
    assert.ok(devirt.length > 0 && devirt.every((t) => !t.includes('devirtualized ✗')), devirt.join('\n'));
    const inlined = [...at].filter(([, t]) => /inlined \(hot budget\) ✓ \(cost \d+\)/.test(t));
    assert.ok(inlined.length > 0, after.join('\n'));

    // the hover on a confirmed line quotes the compiler
    const text = hoverText(await hovers(uri, new vscode.Position(inlined[0]![0] - 1, 0))).join('\n');
    assert.match(text, /Compiler/);
    assert.match(text, /hot budget, cost \d+/);
  });
});
