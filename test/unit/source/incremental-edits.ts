/**
 * Seeded random editor edits on Go source (issue #14's incremental index and view tests): typing,
 * new lines, deletions, edits spanning declarations, import and directive edits, unterminated
 * strings and comments left open for a few steps, non-ASCII text. Shared by the unit tests and the
 * oracle test on GOROOT's regalloc.go.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../../paths';

/** The fixtures' .go files larger than `minBytes`, sorted by path. */
export function fixtureGoFiles(minBytes: number): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.go')) out.push(p);
    }
  };
  walk(fixturesDir);
  return out.sort().filter((f) => fs.statSync(f).size > minBytes);
}

/** A small deterministic PRNG (mulberry32, shared with the fuzzers). */
export { rng } from '../../fuzzing';

export interface Edit {
  kind: string;
  text: string;
}

const TYPED = ['x', 'foo', ' ', '(', ')', 'g()', '.', 'return', ':= 1', '+', '{', '}', ';', 'é', '→', '0x1f', "'a'", 'nil'];
const OPENERS = ['"abc', '`raw', '/* open', "'"];
const DIRECTIVES = ['//go:noinline\n', '//go:nosplit\n', '//line other.go:10\n', '/*line x.go:3:1*/', '//go:build ignore\n', '// +build ignore\n'];

/** One random edit of `text` (the new text and what kind of edit it was). */
export function randomEdit(text: string, r: () => number): Edit {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const lines = text.split('\n');
  const lineAt = (i: number): number => {
    let o = 0;
    for (let k = 0; k < i && k < lines.length; k++) o += (lines[k]?.length ?? 0) + 1;
    return o;
  };
  // a position inside a function body most of the time (where typing happens), anywhere otherwise
  const bodyLines = lines.map((l, i) => (l.startsWith('\t') ? i : -1)).filter((i) => i >= 0);
  const line = bodyLines.length && r() < 0.8 ? pick(bodyLines) : Math.floor(r() * lines.length);
  const lineText = lines[line] ?? '';
  const pos = lineAt(line) + Math.floor(r() * (lineText.length + 1));
  const splice = (at: number, del: number, ins: string): string => text.slice(0, at) + ins + text.slice(at + del);
  const x = r();
  if (x < 0.22) return { kind: 'typing', text: splice(pos, 0, pick(TYPED)) };
  if (x < 0.3) {
    // typing in a comment: at the end of a line, or inside an existing comment
    const c = text.indexOf('//', pos);
    const end = lineAt(line) + lineText.length;
    return {
      kind: 'typing in a comment',
      text: c >= 0 && r() < 0.5 ? splice(c + 2, 0, pick(['x', ' word', ''])) : splice(end, 0, pick([' // note', ' /* c */', '\t// é'])),
    };
  }
  if (x < 0.4) return { kind: 'new line', text: splice(pos, 0, pick(['\n', '\n\t//\n', '\n\n'])) };
  if (x < 0.5) return { kind: 'delete in a line', text: splice(pos, Math.min(1 + Math.floor(r() * 4), Math.max(0, lineAt(line) + lineText.length - pos)), '') };
  if (x < 0.57) {
    // delete a whole line, or a span of many lines (crossing declarations)
    const n = r() < 0.5 ? 1 : 2 + Math.floor(r() * 40);
    const from = lineAt(line);
    const to = Math.min(text.length, lineAt(line + n));
    return { kind: n === 1 ? 'delete a line' : 'delete lines', text: splice(from, to - from, '') };
  }
  if (x < 0.63) {
    // cut a piece from one place and paste it elsewhere (moves a declaration's part)
    const from = lineAt(line);
    const to = Math.min(text.length, lineAt(line + 1 + Math.floor(r() * 10)));
    const piece = text.slice(from, to);
    const rest = splice(from, to - from, '');
    const at = Math.floor(r() * rest.length);
    return { kind: 'move lines', text: rest.slice(0, at) + piece + rest.slice(at) };
  }
  if (x < 0.7) {
    const imp = lines.findIndex((l) => l.startsWith('import'));
    const at = lineAt(imp >= 0 ? imp : 1);
    return { kind: 'import', text: splice(at, 0, pick(['import "fmt"\n', 'import _ "unsafe"\n', 'import os2 "os"\n'])) };
  }
  if (x < 0.78) {
    const fn = lines.map((l, i) => (l.startsWith('func ') ? i : -1)).filter((i) => i >= 0);
    const at = lineAt(fn.length ? pick(fn) : line);
    return { kind: 'directive', text: splice(at, 0, pick(DIRECTIVES)) };
  }
  if (x < 0.86) return { kind: 'unterminated', text: splice(pos, 0, pick(OPENERS)) };
  if (x < 0.9) {
    // close what an earlier step may have left open
    return { kind: 'close', text: splice(pos, 0, pick(['"', '`', '*/', "'"])) };
  }
  if (x < 0.95)
    return {
      kind: 'new declaration',
      text: splice(lineAt(line), 0, pick(['func added() { g() }\n', 'var vAdded = func() int { return 1 }()\n', 'func init() {}\n', 'type TAdded int\n'])),
    };
  return { kind: 'package clause', text: text.replace(/^package (\w+)/m, r() < 0.5 ? 'package $1' : 'package  $1') };
}
