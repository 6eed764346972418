// Editor benchmark (npm run bench runs it through scripts/integration/run.mjs with
// PGO_LENS_TEST_SUITE_DIR=bench): activation time, open-to-decorations, re-decoration after an
// edit, and the longest stall of the extension host thread while a large profile loads in the
// worker. Reports numbers to PGO_LENS_BENCH_OUT; asserts nothing about timings.
import { writeFileSync } from 'node:fs';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { api, closeAllEditors, edit, openFile, waitFor } from '../helpers';

interface Api {
  getState(): {
    decorations: Record<string, Record<string, number[]>>;
    summary?: { binaries: Array<{ profile: string; summary: { loadMillis: number } | null }> };
  };
  ready(): Promise<void>;
  metrics(): { activationMs: number };
}

const results: Record<string, number | string> = {};
const heat = (a: Api, file: string): number[] =>
  Object.values(a.getState().decorations[file] ?? {})
    .flat()
    .sort((x, y) => x - y);

/** Longest gap between 5 ms timer ticks on this (the extension host) thread while `fn` runs. */
async function maxStall(fn: () => Promise<void>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const t = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  try {
    await fn();
  } finally {
    clearInterval(t);
  }
  return worst;
}

describe('editor benchmark', function () {
  this.timeout(300_000);
  after(() => {
    const out = process.env['PGO_LENS_BENCH_OUT'];
    if (out) writeFileSync(out, JSON.stringify(results, null, 2));
  });

  it('measures activation, first decorations and re-decoration', async () => {
    const t0 = performance.now();
    const ed = await openFile('vm.go');
    const a = await api<Api>();
    await a.ready();
    results['activationMs'] = a.metrics().activationMs;
    await waitFor(() => heat(a, ed.document.uri.fsPath).length > 0, { timeoutMs: 60_000, what: 'decorations' });
    results['openToDecorationsMs'] = performance.now() - t0;
    await closeAllEditors();
    const t1 = performance.now();
    const ed2 = await openFile('ast.go');
    await waitFor(() => heat(a, ed2.document.uri.fsPath).length > 0, { timeoutMs: 60_000, what: 'decorations' });
    results['openWarmToDecorationsMs'] = performance.now() - t1;
    const before = heat(a, ed2.document.uri.fsPath);
    const debounce = vscode.workspace.getConfiguration('pgoLens').get<number>('debounceMs', 250);
    const t2 = performance.now();
    await edit(ed2.document, [vscode.TextEdit.insert(new vscode.Position(2, 0), '\n')]);
    await waitFor(() => heat(a, ed2.document.uri.fsPath)[0] === before[0]! + 1, { timeoutMs: 30_000, intervalMs: 5, what: 're-decoration' });
    results['editToRedecorationMs'] = performance.now() - t2;
    results['editToRedecorationMinusDebounceMs'] = performance.now() - t2 - debounce;
    await vscode.commands.executeCommand('undo');
  });

  it('measures the host-thread stall while a large profile loads', async () => {
    const large = process.env['PGO_LENS_BENCH_PROFILE'];
    if (!large) return;
    const a = await api<Api>();
    await openFile('ast.go');
    const cfg = vscode.workspace.getConfiguration('pgoLens');
    const t0 = performance.now();
    const stall = await maxStall(async () => {
      await cfg.update('profile', large, vscode.ConfigurationTarget.Workspace);
      await waitFor(() => a.getState().summary?.binaries[0]?.profile === large, { timeoutMs: 240_000, what: 'the large profile' });
      await a.ready();
    });
    results['largeProfileReloadMs'] = performance.now() - t0;
    results['largeProfileWorkerLoadMs'] = a.getState().summary?.binaries[0]?.summary?.loadMillis ?? -1;
    results['largeProfileMaxHostStallMs'] = stall;
    await cfg.update('profile', undefined, vscode.ConfigurationTarget.Workspace);
    await a.ready();
  });
});
