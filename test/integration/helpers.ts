// Helpers for integration tests, which run inside the extension host and so use the real `vscode`
// API. They drive the extension only through VS Code (commands, providers, events) and the API
// object its `activate()` returns; they never import `src/` (that would load a second copy of the
// extension's modules next to the one VS Code runs from `dist/`).
import type Mocha from 'mocha';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** `publisher.name` from the root package.json. */
export const EXTENSION_ID = 'pgo-lens.pgo-lens';

/** The extension under test, failing the test if VS Code does not know it. */
export function extension<Api = unknown>(): vscode.Extension<Api> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/**
 * The API object that `activate()` returned, once the extension is active. Waits for activation
 * (it does not trigger it: tests that check activation events must open a document themselves)
 * and fails with activate()'s own error if activation threw.
 */
export async function api<Api>(timeoutMs = 15_000): Promise<Api> {
  const ext = extension<Api>();
  try {
    await waitFor(() => ext.isActive, { timeoutMs, what: `${EXTENSION_ID} to activate` });
  } catch (e) {
    // Activate it by hand to tell "no activation event fired" from "activation failed".
    const cause = await ext.activate().then(
      () => 'it activates when asked, so no activation event fired',
      (err: unknown) => `activation failed: ${errorText(err)}`,
    );
    throw new Error(`${(e as Error).message}; ${cause}`);
  }
  // `isActive` is also true when activate() threw; activate() then rethrows that error, and
  // otherwise returns the exports at once without activating anything again.
  try {
    return await ext.activate();
  } catch (err) {
    throw new Error(`${EXTENSION_ID} failed to activate: ${errorText(err)}`);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** The first workspace folder; the runners open exactly one (a copy of a test fixture). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration tests need a workspace folder (the runners open a fixture copy)');
  return folder.uri;
}

/** A URI inside the workspace folder, from a '/'-separated relative path. */
export function workspaceUri(relPath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relPath.split('/'));
}

/** Opens a workspace file in an editor (which fires `onLanguage:*` activation) and returns it. */
export async function openFile(relPath: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relPath));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Polls `predicate` until it returns a truthy value, which is returned; fails after `timeoutMs`. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await predicate();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The CodeLenses all providers give for a document, resolved (titles filled in). */
export async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  // The second argument asks VS Code to resolve up to that many lenses.
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 1000)) ?? [];
}

/** The hovers all providers give at a position. */
export async function hovers(uri: vscode.Uri, position: vscode.Position): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
}

/** Hover contents flattened to plain strings (markdown source for MarkdownString). */
export function hoverText(hs: readonly vscode.Hover[]): string[] {
  return hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
}

/** Diagnostics for one document. */
export function diagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri);
}

/** Applies text edits to a document through a WorkspaceEdit, as a user's edit would arrive. */
export async function edit(doc: vscode.TextDocument, edits: readonly vscode.TextEdit[]): Promise<void> {
  const we = new vscode.WorkspaceEdit();
  we.set(doc.uri, [...edits]);
  assert.ok(await vscode.workspace.applyEdit(we), `edit of ${doc.uri.fsPath} was rejected`);
}

/**
 * Reverts the workspace files that tests edited and closes every editor, so the next test starts
 * from the files on disk. Documents outside the workspace are left alone: VS Code itself may hold
 * one dirty for a moment (it rewrites settings.json when it migrates a setting).
 */
export async function closeAllEditors(): Promise<void> {
  const edited = vscode.workspace.textDocuments.filter((d) => d.isDirty && (d.isUntitled || vscode.workspace.getWorkspaceFolder(d.uri) !== undefined));
  // `files.revert` acts on the active editor only, so show each document first.
  for (const doc of edited) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The extension's package.json as VS Code read it (the shipped manifest, not the repo's file). */
export function manifest(): {
  contributes?: { commands?: { command: string; title: string }[] };
  activationEvents?: string[];
} {
  return extension().packageJSON;
}

/** The end-of-line decision annotations the extension set on a file (its test API), by 1-based line. */
export function annotationsOf(state: { annotations?: Record<string, Record<string, string>> }, file: string): Map<number, string> {
  return new Map(Object.entries(state.annotations?.[file] ?? {}).map(([line, text]) => [Number(line) + 1, text]));
}

/** Sets one of our settings for the workspace and waits until the extension reads it back. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('pgoLens').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/**
 * Mocha root hooks that keep the workspace's Go source as the suite found it: every test leaves
 * its edits unsaved (and reverts them), so a `.go` file whose text on disk changed during a test
 * was saved by something (an auto-save, a command) and every later suite would run on it. The
 * test that left it fails in its 'after each' hook, naming the files (mocha stops the run there),
 * and the files are put back. Files created during the suite are not checked.
 */
export function sourceGuard(): Mocha.RootHookObject {
  let before = new Map<string, string>();
  return {
    beforeAll(): void {
      before = goFiles(workspaceRoot().fsPath);
    },
    afterEach(): void {
      const changed: string[] = [];
      for (const [file, text] of before) {
        const now = fs.readFileSync(file, 'utf8');
        if (now === text) continue;
        changed.push(path.relative(workspaceRoot().fsPath, file));
        fs.writeFileSync(file, text);
      }
      if (changed.length)
        throw new Error(`${changed.join(', ')} changed on disk during this test (a save; restored): the suites never save Go files, see files.autoSave`);
    },
  };
}

/** The `.go` files under `dir` with their text. */
function goFiles(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) goFiles(p, out);
    else if (e.isFile() && e.name.endsWith('.go')) out.set(p, fs.readFileSync(p, 'utf8'));
  }
  return out;
}
