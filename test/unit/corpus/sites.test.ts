/** compilerSites: the compiler's devirtualization and hot-budget lines as sites (measure.ts reads the corpus with it). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilerSites } from './measure';

describe('compilerSites', () => {
  const text = [
    '# github.com/yuin/goldmark/parser',
    'vendor/github.com/yuin/goldmark/parser/parser.go:1062:16: PGO devirtualizing interface call bp.Open to (*paragraphParser).Open',
    'vendor/github.com/yuin/goldmark/parser/parser.go:1062:16: PGO devirtualizing interface call bp.Open to (*paragraphParser).Open',
    'vendor/github.com/yuin/goldmark/parser/parser.go:1063:9: should not PGO devirtualize bp.Close: no function body',
    'hot-budget check allows inlining for call github.com/yuin/goldmark/text.(*reader).Peek (cost 95) at vendor/github.com/yuin/goldmark/parser/parser.go:900:12 in function github.com/yuin/goldmark/parser.(*parser).parseBlocks',
    'hot-budget check allows inlining for call github.com/yuin/goldmark/text.(*reader).Peek (cost 95) at vendor/github.com/yuin/goldmark/parser/parser.go:900:12 in function github.com/yuin/goldmark/parser.(*parser).parseBlocks',
    'hot-big check disallows inlining for call x.F (cost 100) at a.go:3:4 in big function x.G',
    './main.go:20:14: PGO devirtualizing function call fn to main.sq',
    'vendor/x/a.go:7:9: inlining call to (*T).Outer',
    './vendor/x/a.go:7:9: inlining call to Inner',
    'vendor/x/a.go:7:9: inlining call to (*T).Outer',
    'main.go:21:3: devirtualizing s.M to T',
    '',
  ].join('\n');
  const s = compilerSites(text);

  it('reads PGO devirtualizations (interface and function calls), once per position and target; not static ones; ./ dropped', () => {
    assert.deepEqual(s.devirtualized, [
      { file: 'vendor/github.com/yuin/goldmark/parser/parser.go', line: 1062, col: 16, callee: '(*paragraphParser).Open' },
      { file: 'main.go', line: 20, col: 14, callee: 'main.sq' },
    ]);
  });

  it('groups inlined callees by position, in order, once each', () => {
    assert.deepEqual([...s.inlinedAt], [['vendor/x/a.go:7:9', ['(*T).Outer', 'Inner']]]);
  });

  it('reads hot-budget inlinings once per site, not hot-big refusals', () => {
    assert.deepEqual(s.hotBudget, [
      {
        file: 'vendor/github.com/yuin/goldmark/parser/parser.go',
        line: 900,
        col: 12,
        callee: 'github.com/yuin/goldmark/text.(*reader).Peek',
        caller: 'github.com/yuin/goldmark/parser.(*parser).parseBlocks',
      },
    ]);
  });
});
