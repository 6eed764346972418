import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { declaredName, oldNameUses, renameChecks } from '../../../src/worker/rename-uses';
import type { UnmatchedInfo } from '../../../src/worker/protocol';
import { WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-rename-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

const renamed = (symbol: string, suggestion: string, file: string): UnmatchedInfo =>
  ({ symbol, suggestion, kind: 'renamed', percent: 1, reason: '', location: { file, line: 0, character: 0 } }) as unknown as UnmatchedInfo;

describe('rename fix: does the source still use the old name?', () => {
  it('names the declared identifier of functions, methods, generics and closures', () => {
    assert.deepEqual(declaredName('main.execArith'), { name: 'execArith', method: false });
    assert.deepEqual(declaredName('example.com/m/lib.(*T).Old'), { name: 'Old', method: true });
    assert.deepEqual(declaredName('example.com/m/lib.T.Old'), { name: 'Old', method: true });
    assert.deepEqual(declaredName('example.com/m/lib.Map[...]'), { name: 'Map', method: false });
    assert.deepEqual(declaredName('main.run.func1.2'), { name: 'run', method: false });
  });

  it('on interp, as the worker matches it: a rename of execArith that left its handler table is found there', async () => {
    const dir = path.join(tmp, 'interp');
    fs.cpSync(path.join(fixturesDir, 'interp'), dir, { recursive: true });
    const vm = path.join(dir, 'vm.go');
    const text = fs.readFileSync(vm, 'utf8');
    const model = new WorkspaceModel();
    await model.open({ folders: [dir], thresholdPercent: 99 });
    // only the declaration renamed (unsaved, as in the editor): the table still names execArith
    const declOnly = text.replace('func execArith(', 'func arithmetic(');
    model.update(vm, declOnly);
    const b = model.summary().binaries[0]!;
    const entry = b.unmatched.find((u) => u.symbol === 'main.execArith');
    assert.equal(entry?.kind, 'renamed', JSON.stringify(b.unmatched));
    assert.equal(entry.suggestion, 'main.arithmetic');
    const [check] = renameChecks(model.summary(), b.id, undefined, { [vm]: declOnly });
    assert.ok(check);
    const table = declOnly.split('\n').flatMap((l, i) => (/^\t\top\w+:\s+execArith,$/.test(l) ? [i] : []));
    assert.equal(table.length, 4);
    assert.deepEqual(
      check.uses.map((u) => [path.basename(u.file), u.line, u.certain]),
      table.map((l) => ['vm.go', l, true]),
    );
    assert.equal(check.count, 4);
    // the rename finished everywhere: nothing left, the fix may rewrite
    const all = text.replaceAll('execArith', 'arithmetic');
    model.update(vm, all);
    const done = renameChecks(model.summary(), b.id, ['main.execArith'], { [vm]: all });
    assert.equal(done.length, 1);
    assert.equal(done[0]!.count, 0);
    assert.ok(done[0]!.files >= 5, `${done[0]!.files} files read`);
  });

  it('a library: importers under their own or another name, not comments, strings or other packages', () => {
    const root = path.join(tmp, 'lib');
    write(root, {
      'go.mod': 'module example.com/m\n\ngo 1.23\n',
      'lib/lib.go': 'package lib\n\nfunc New() int { return 1 }\n\nfunc Other() int { return Old() + 0 } // Old\n',
      'cmd/a/main.go': 'package main\n\nimport "example.com/m/lib"\n\nfunc main() { _ = lib.Old() + lib.New() }\n',
      'cmd/b/main.go':
        'package main\n\nimport (\n\t"fmt"\n\tl "example.com/m/lib"\n)\n\n// lib.Old in a comment\nfunc main() { fmt.Println("lib.Old", l.Old) }\n',
      'cmd/c/main.go': 'package main\n\nimport "example.com/m/other"\n\nfunc main() { other.Old() }\n',
      'other/other.go': 'package other\n\nfunc Old() {}\n',
    });
    const c = oldNameUses(renamed('example.com/m/lib.Old', 'example.com/m/lib.New', path.join(root, 'lib', 'lib.go')), [root], new Map());
    assert.deepEqual(
      c.uses.map((u) => `${path.relative(root, u.file)}:${u.line + 1}:${u.character + 1}`),
      ['lib/lib.go:5:27', 'cmd/a/main.go:5:23', 'cmd/b/main.go:9:40'],
    );
    assert.equal(c.files, 3, 'the package and its two importers');
    // unsaved text wins over the file on disk
    const fixed = new Map([[path.join(root, 'lib', 'lib.go'), 'package lib\n\nfunc New() int { return 1 }\n']]);
    assert.equal(oldNameUses(renamed('example.com/m/lib.Old', 'example.com/m/lib.New', path.join(root, 'lib', 'lib.go')), [root], fixed).count, 2);
  });

  it('a method: selectors of that name are "may" uses, declarations of other types are not uses', () => {
    const root = path.join(tmp, 'meth');
    write(root, {
      'go.mod': 'module example.com/q\n\ngo 1.23\n',
      'main.go':
        'package main\n\ntype T struct{}\n\nfunc (t *T) Renamed() {}\n\ntype U struct{}\n\nfunc (u U) Old() {}\n\nfunc main() { var t T; t.Old(); U{}.Old() }\n',
    });
    const c = oldNameUses(renamed('main.(*T).Old', 'main.(*T).Renamed', path.join(root, 'main.go')), [root], new Map());
    assert.deepEqual(
      c.uses.map((u) => [u.line + 1, u.character + 1, u.certain]),
      [
        [11, 26, false],
        [11, 37, false],
      ],
    );
  });
});
