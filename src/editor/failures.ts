/**
 * Every failure the editor reports: a one-line message (no stack trace, no temporary path) with
 * *Show Log*, and the full error in the log.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { failureLine, isCancellation } from './messages';

const TMP = [os.tmpdir(), '/tmp', '/var/folders'];

/** The one-line text of `e` for a message (also used in view items). */
export function failureText(e: unknown): string {
  return failureLine(e, TMP);
}

/** Logs `e` in full and shows `Go PGO Lens: <what> failed: <one line>` (cancellations: logged only). */
export function showFailure(log: vscode.LogOutputChannel, what: string, e: unknown): void {
  if (isCancellation(e)) {
    log.info(`${what} cancelled`);
    return;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  log.error(`${what} failed: ${detail}`);
  void vscode.window.showErrorMessage(`Go PGO Lens: ${what} failed: ${failureText(e)}`, 'Show Log').then((a) => a && log.show());
}
