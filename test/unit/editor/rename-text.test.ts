import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLinks } from '../../../src/editor/links';
import { oldNameMessage, oldNameReport } from '../../../src/editor/rename-text';
import type { RenameCheck } from '../../../src/worker/protocol';

const check = (over: Partial<RenameCheck> = {}): RenameCheck => ({
  symbol: 'main.execArith',
  suggestion: 'main.arithmetic',
  uses: [
    { file: '/w/interp/vm.go', line: 37, character: 11, text: 'opAdd:   execArith,', certain: true },
    { file: '/w/interp/vm.go', line: 38, character: 11, text: 'opSub:   execArith,', certain: true },
  ],
  count: 4,
  files: 6,
  ...over,
});

describe('rename fix: the old-name warning', () => {
  it('says in one line that nothing was written, what still uses which name, and where first', () => {
    assert.equal(
      oldNameMessage([check()], '/w/interp'),
      'Go PGO Lens: the profile was not rewritten: the source still uses main.execArith at vm.go:38 and 3 more places, the old name of main.arithmetic. Finish the rename first, or rewrite anyway.',
    );
    assert.equal(oldNameMessage([check({ count: 0, uses: [] })], '/w/interp'), '');
    const may = check({ uses: [{ file: '/w/interp/vm.go', line: 9, character: 4, text: 't.Old()', certain: false }], count: 1 });
    assert.match(
      oldNameMessage([may, check()], undefined),
      /^Go PGO Lens: the profile was not rewritten: the source may still use main\.execArith at vm\.go:10, .* \(1 other renamed function too\)/,
    );
  });
  it('lists every use as a link in the report', () => {
    const text = oldNameReport([check()], '/w/interp');
    const links = text.split('\n').flatMap((l) => findLinks(l, '/w/interp'));
    assert.deepEqual(
      links.map((l) => `${l.file}:${l.line}`),
      ['/w/interp/vm.go:38', '/w/interp/vm.go:39'],
    );
    assert.match(text, /… 2 more/);
  });
});
