/**
 * go/parser's own conformance tables (`$GOROOT/src/go/parser/short_test.go`: `valids` and
 * `invalids`, each invalid program marking where Go reports its error with
 * `/* ERROR "rx" *\/`, at the token before the comment, or just after it with `ERROR HERE`)
 * run through our parser:
 * - every valid program parses without an error;
 * - an invalid program we flag is flagged no earlier than Go flags it (an error-tolerant parser
 *   may recover later, never complain about the valid code before the error);
 * - an invalid program we accept must be one of the checks the compiler makes that do not change
 *   the tree the index reads (parenthesized embedded types, `...` placement, type parameters on
 *   methods, redeclarations, …), listed below by Go's message; a structural error we stop
 *   noticing fails the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lex } from '../../../src/source/lexer';
import { parseFile } from '../../../src/source/parser';
import { goEnvValue, requireGo } from './compiler';

/** Go's messages for checks that leave the syntax tree the index walks unchanged. */
const TREE_NEUTRAL = [
  /must be function call/,
  /must not be parenthesized/,
  /can only use \.\.\. with final parameter/,
  /invalid use of \.\.\./,
  /cannot parenthesize embedded type/,
  /redeclared/,
  /empty type parameter list/,
  /missing type constraint/,
  /must have no type parameters/,
  /missing condition/,
  /expected switch expression/,
  /middle index required/,
  /expected ':=', found '='/,
  /expected 'IDENT', found ';'/,
  /expected type/,
];

/** The Go string literals of `var NAME = []string{ … }` in short_test.go, one per entry line. */
function table(src: string, name: string): string[] {
  const start = src.indexOf(`var ${name} = []string{`);
  assert.ok(start >= 0, `short_test.go has no ${name} table`);
  const body = src.slice(start, src.indexOf('\n}\n', start));
  const out: string[] = [];
  for (const raw of body.split('\n').slice(1)) {
    const line = raw.trim();
    const m = /^(?:`([^`]*)`|"((?:[^"\\]|\\.)*)")/.exec(line);
    if (m) out.push(m[1] ?? (JSON.parse(`"${m[2]}"`) as string));
  }
  return out;
}

test('go/parser conformance tables: valid programs parse, errors are not reported early', (t) => {
  if (!requireGo(t)) return;
  const src = readFileSync(path.join(goEnvValue('GOROOT'), 'src', 'go', 'parser', 'short_test.go'), 'utf8');
  const valids = table(src, 'valids');
  const invalids = table(src, 'invalids');
  assert.ok(valids.length > 50 && invalids.length > 40, `tables too small: ${valids.length} valid, ${invalids.length} invalid`);

  const validErrors: string[] = [];
  for (const prog of valids) {
    const ts = lex(prog);
    const f = parseFile(ts);
    for (const e of f.errors) validErrors.push(`${JSON.stringify(prog)}: ${e.msg} at offset ${ts.start[e.t]}`);
  }
  assert.deepEqual(validErrors, []);

  const early: string[] = [];
  const missed: string[] = [];
  let flagged = 0;
  for (const prog of invalids) {
    const marker = prog.indexOf('/* ERROR');
    assert.ok(marker >= 0, `no ERROR marker in ${prog}`);
    const message = /ERROR (?:HERE )?"((?:[^"\\]|\\.)*)"/.exec(prog.slice(marker))?.[1] ?? '';
    const ts = lex(prog);
    const f = parseFile(ts);
    if (f.errors.length === 0) {
      if (!TREE_NEUTRAL.some((re) => re.test(message))) missed.push(`${JSON.stringify(prog)} (Go: ${message})`);
      continue;
    }
    flagged++;
    // Go's position: the token before the comment (its end for ERROR HERE).
    let prev = -1;
    for (let i = 0; i < ts.count; i++) if (ts.end[i]! <= marker && ts.end[i]! > ts.start[i]!) prev = i;
    const goOffset = prog.startsWith('/* ERROR HERE', marker) ? ts.end[prev]! : ts.start[prev]!;
    const ours = ts.start[f.errors[0]!.t]!;
    if (ours < goOffset) early.push(`${JSON.stringify(prog)}: ours at ${ours} (${f.errors[0]!.msg}), Go at ${goOffset} (${message})`);
  }
  t.diagnostic(`${valids.length} valid programs parse cleanly; ${flagged}/${invalids.length} invalid programs flagged, the rest tree-neutral`);
  assert.deepEqual(early, []);
  assert.deepEqual(missed, []);
});
