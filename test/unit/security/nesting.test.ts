/**
 * Deep nesting (issue #13: a type nested 5,000 deep exhausted the stack in `symbols`/`report`, and
 * deeply nested code silently dropped its function): past MAX_NESTING levels the declaration or
 * statement is a parse error with a clear message, every other function is still indexed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lex } from '../../../src/source/lexer';
import { MAX_NESTING, parseFile } from '../../../src/source/parser';
import { listSymbolsDetailed } from '../../../src/source/symbols';

const cases: Array<[string, string, string[]]> = [
  ['a pointer type 5,000 deep', `package main\n\ntype T ${'*'.repeat(5000)}int\n\nfunc main() {}\n\nfunc after() {}\n`, ['main.main', 'main.after']],
  ['blocks 3,000 deep inside a function', `package main\n\nfunc F() {\n${'{'.repeat(3000)}\n${'}'.repeat(3000)}\n}\n\nfunc G() {}\n`, ['main.F', 'main.G']],
  ['parentheses 5,000 deep', `package main\n\nvar X = ${'('.repeat(5000)}1${')'.repeat(5000)}\n\nfunc H() {}\n`, ['main.H']],
  ['a slice type 100,000 deep', `package main\n\nvar S ${'[]'.repeat(100_000)}int\n\nfunc K() {}\n`, ['main.K']],
];

describe('deep nesting', () => {
  for (const [name, text, symbols] of cases) {
    it(`${name}: a parse error naming the limit; the functions are indexed`, async () => {
      const errors = parseFile(lex(text)).errors.map((e) => e.msg);
      assert.ok(errors.includes(`nesting deeper than ${MAX_NESTING} levels`), errors.join('\n'));
      const dir = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-deep-'));
      try {
        fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/d\n\ngo 1.22\n');
        fs.writeFileSync(path.join(dir, 'main.go'), text);
        const r = await listSymbolsDetailed(dir, { useGoList: false });
        assert.deepEqual(r.symbols.map((s) => s.symbol).sort(), [...symbols].sort());
        assert.ok(r.packages[0]!.errors >= 1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('nesting up to the limit parses without error', () => {
    const ok = `package main\n\nvar X = ${'('.repeat(MAX_NESTING - 10)}1${')'.repeat(MAX_NESTING - 10)}\n`;
    assert.deepEqual(parseFile(lex(ok)).errors, []);
  });
});
