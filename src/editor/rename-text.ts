/** The words of the rename fix's old-name check (no `vscode` import). */
import * as path from 'node:path';
import type { RenameCheck } from '../worker/protocol';
import { shortSymbol } from './format';

/** The checks that found uses of the old name. */
export function blocking(checks: readonly RenameCheck[]): RenameCheck[] {
  return checks.filter((c) => c.count > 0);
}

const oldName = (c: RenameCheck): string => shortSymbol(c.symbol);

/** One line for the notification: what still uses which old name, and where first. */
export function oldNameMessage(checks: readonly RenameCheck[], root: string | undefined): string {
  const list = blocking(checks);
  const first = list[0];
  if (!first) return '';
  const u = first.uses[0];
  const where = u ? ` at ${root ? path.relative(root, u.file) : path.basename(u.file)}:${u.line + 1}` : '';
  const more = first.count > 1 ? ` and ${first.count - 1} more place${first.count > 2 ? 's' : ''}` : '';
  const others = list.length > 1 ? ` (${list.length - 1} other renamed function${list.length > 2 ? 's' : ''} too)` : '';
  const may = first.uses.every((x) => !x.certain) ? 'may still use' : 'still uses';
  return (
    `Go PGO Lens: the profile was not rewritten: the source ${may} ${oldName(first)}${where}${more}, ` +
    `the old name of ${shortSymbol(first.suggestion)}${others}. Finish the rename first, or rewrite anyway.`
  );
}

/** The full list, one `file:line` per use (a read-only report; the links open the code). */
export function oldNameReport(checks: readonly RenameCheck[], root: string | undefined): string {
  const lines = ['# Old names still used', ''];
  lines.push('The rename fix renames a function in the profile to match the source; these places still use the old name, so the code');
  lines.push('does not build as it is (`may`: a method selector whose receiver type is not checked).', '');
  for (const c of blocking(checks)) {
    lines.push(`## ${oldName(c)} → ${shortSymbol(c.suggestion)}`, '');
    for (const u of c.uses)
      lines.push(`- ${root ? path.relative(root, u.file) : u.file}:${u.line + 1}:${u.character + 1}${u.certain ? '' : ' (may)'}  ${u.text}`);
    if (c.count > c.uses.length) lines.push(`- … ${c.count - c.uses.length} more`);
    lines.push('', `(${c.files} Go files read: the package and the workspace packages that import it)`, '');
  }
  return lines.join('\n');
}
