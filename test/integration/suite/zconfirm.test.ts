// Compiler-confirmed decisions in a real VS Code: "Confirm Decisions with the Compiler" builds the
// example with its profile (into a temporary directory) and the CodeLenses and hovers then say
// what the compiler did: devirtualizations confirmed, hot calls inlined with their cost.
import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { api, closeAllEditors, codeLenses, hovers, hoverText, openFile, waitFor, workspaceRoot } from '../helpers';

interface Api {
  ready(): Promise<void>;
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

  it('lenses and hovers show what the compiler confirmed', async () => {
    const editor = await openFile('vm.go');
    await (await api<Api>()).ready();
    const uri = editor.document.uri;
    await waitFor(async () => (await codeLenses(uri)).length > 0, { timeoutMs: 30_000, what: 'lenses on vm.go' });
    const titles = async (): Promise<string[]> => (await codeLenses(uri)).map((l) => l.command?.title ?? '');
    assert.ok(
      (await titles()).every((t) => !t.includes('$(check)')),
      'before confirming: predictions only',
    );

    const s = await vscode.commands.executeCommand<ConfirmSummary | undefined>('pgoLens.confirmDecisions', { mainDir: workspaceRoot().fsPath });
    assert.ok(s, 'the command returned the summary');
    assert.deepEqual(s.bugs, []);
    assert.ok(s.devirt.total > 0 && s.devirt.agree === s.devirt.total);
    assert.ok(s.changes !== null && s.changes > 0);

    const after = await waitFor(
      async () => {
        const t = await titles();
        return t.some((x) => x.includes('$(check)')) ? t : undefined;
      },
      { timeoutMs: 20_000, what: 'confirmed lenses' },
    );
    const devirt = after.filter((t) => t.includes('devirtualizes'));
    assert.ok(devirt.length > 0 && devirt.every((t) => t.endsWith('$(check) confirmed')), devirt.join('\n'));
    const inlined = after.filter((t) => /PGO (inlines|may inline) → .* · \$\(check\) inlined \(cost \d+\)$/.test(t));
    assert.ok(inlined.length > 0, after.join('\n'));

    // the hover on a confirmed line quotes the compiler
    const lens = (await codeLenses(uri)).find((l) => l.command?.title.includes('$(check) inlined (cost'))!;
    const text = hoverText(await hovers(uri, lens.range.start)).join('\n');
    assert.match(text, /Compiler/);
    assert.match(text, /hot budget, cost \d+/);
  });
});
