import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLinks } from '../../../src/editor/links';

describe('file:line links in reports', () => {
  it('finds the references of a changes report row, resolving relative ones against the base', () => {
    // A row as src/refresh/changes.ts writes it (markdown-escaped path).
    const row = '| cmd/my\\_app/main.go:42 | `main.run` | `main.step` | 0 (0%) | 10 (1.00%) |';
    const [l] = findLinks(row, '/ws');
    assert.deepEqual(l, { start: 2, end: 2 + 'cmd/my\\_app/main.go:42'.length, file: '/ws/cmd/my_app/main.go', line: 42, col: null });
    assert.equal(row.slice(l!.start, l!.end), 'cmd/my\\_app/main.go:42');
  });
  it('reads line and column, absolute paths, several per line', () => {
    const ls = findLinks('see /a/b.go:3:7 and /a/c.go:10', null);
    assert.deepEqual(
      ls.map((l) => [l.file, l.line, l.col]),
      [
        ['/a/b.go', 3, 7],
        ['/a/c.go', 10, null],
      ],
    );
  });
  it('skips relative references without a base and text that is no Go reference', () => {
    assert.deepEqual(findLinks('main.go:4', null), []);
    assert.deepEqual(findLinks('go1.26:4 and x.gox:3', '/ws'), []);
  });
});
