import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultBuildContext } from '../../../src/source/build-tags';
import {
  findNonRegularGoFiles,
  hotPackageDirs,
  listDirs,
  nonRegularMessage,
  patternsExcluding,
  planFromFiles,
  scanWorkspace,
} from '../../../src/source/go-list';
import { builtFrom, closureOf } from '../../../src/match/report';
import type { ListedPackage } from '../../../src/source/go-list';
import type { IndexedTreePackage } from '../../../src/source/symbols';
import type { PackageIndex } from '../../../src/source/model';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pgo-lens-golist-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

const hasMkfifo = spawnSync('mkfifo', ['--version']).error === undefined;

function mkfifo(p: string): void {
  const r = spawnSync('mkfifo', [p]);
  assert.equal(r.status, 0, `mkfifo ${p}: ${r.stderr?.toString()}`);
}

test(
  'findNonRegularGoFiles: FIFOs and links to them, not regular files, directories or dangling links',
  { skip: hasMkfifo ? false : 'mkfifo is missing' },
  () => {
    const root = tree({ 'go.mod': 'module example.com/m\n', 'a/a.go': 'package a\n', 'b/b.go': 'package b\n', '.hidden/x.go': 'package x\n' });
    try {
      mkfifo(path.join(root, 'b', 'pipe.go'));
      mkfifo(path.join(root, '.hidden', 'pipe.go')); // hidden directories are never imported: not entered
      mkfifo(path.join(root, 'other.txt')); // not a .go name
      symlinkSync(path.join(root, 'b', 'pipe.go'), path.join(root, 'a', 'link.go'));
      symlinkSync(path.join(root, 'missing'), path.join(root, 'a', 'dangling.go'));
      mkdirSync(path.join(root, 'a', 'dir.go'));
      const scan = findNonRegularGoFiles(root);
      assert.equal(scan.truncated, false);
      assert.deepEqual(scan.files, [
        { file: path.join(root, 'a', 'link.go'), what: 'a symbolic link to a FIFO (named pipe)' },
        { file: path.join(root, 'b', 'pipe.go'), what: 'a FIFO (named pipe)' },
      ]);
      assert.equal(
        nonRegularMessage(root, scan.files[1] ?? { file: '', what: '' }),
        `${path.join(root, 'b', 'pipe.go')}: skipped: it is a FIFO (named pipe), not a regular file; go list was not run on b`,
      );
      // bounded: one directory visited, the rest not checked
      assert.equal(findNonRegularGoFiles(root, 1).truncated, true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
);

test('scanWorkspace: the directories of default.pgo files a build would use (not in testdata, vendor, hidden or _ directories)', () => {
  const root = tree({
    'go.mod': 'module example.com/m\n',
    'default.pgo': 'x',
    'cmd/a/default.pgo': 'x',
    'cmd/a/main.go': 'package main\n',
    'cmd/b/main.go': 'package main\n',
    'lib/testdata/default.pgo': 'x',
    'vendor/example.com/v/default.pgo': 'x',
    '_old/default.pgo': 'x',
    '.git/default.pgo': 'x',
  });
  try {
    mkdirSync(path.join(root, 'cmd', 'c', 'default.pgo'), { recursive: true }); // a directory is no profile
    symlinkSync(path.join(root, 'cmd', 'a', 'default.pgo'), path.join(root, 'cmd', 'b', 'default.pgo'));
    const scan = scanWorkspace(root);
    assert.deepEqual(scan.profileDirs, [root, path.join(root, 'cmd', 'a'), path.join(root, 'cmd', 'b')]);
    assert.deepEqual(scan.files, []);
    assert.equal(scan.truncated, false);
    // profiles only: the same directories, without walking testdata, vendor and _ trees (7 directories, not 12)
    const only = scanWorkspace(root, 7, true);
    assert.deepEqual(only, { files: [], truncated: false, profileDirs: scan.profileDirs });
    assert.equal(scanWorkspace(root, 7).truncated, true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('patternsExcluding: ./... minus the excluded directories, with the walk rules of ./...', () => {
  const root = tree({
    'go.mod': 'module example.com/m\n',
    'm.go': 'package m\n',
    'a/x/x.go': 'package x\n',
    'a/y/y.go': 'package y\n',
    'a/a.go': 'package a\n',
    'b/b.go': 'package b\n',
    'a/testdata/t.go': 'package t\n',
    'a/_skip/s.go': 'package s\n',
    'a/vendor/v.go': 'package v\n',
    'a/nested/go.mod': 'module example.com/nested\n',
  });
  try {
    assert.deepEqual(patternsExcluding(root, new Set()), ['./...']);
    assert.deepEqual(patternsExcluding(root, new Set([path.join(root, 'a', 'x')])), ['.', './a', './a/y/...', './b/...']);
    assert.deepEqual(patternsExcluding(root, new Set([root])), ['./a/...', './b/...']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('hotPackageDirs: profile symbols to directories through the modules under root (nested ones via hints)', () => {
  const root = tree({
    'go.mod': 'module example.com/m\n',
    'lib/lib.go': 'package lib\n',
    'tool/go.mod': 'module example.com/tool\n',
    'tool/internal/core/core.go': 'package core\n',
    'tool/main.go': 'package main\n',
  });
  try {
    const syms = [
      'example.com/m/lib.F',
      'example.com/m/lib.(*T).M',
      'example.com/tool/internal/core.G.func1',
      'main.main',
      'runtime.mallocgc',
      'example.com/m/gone.H',
    ];
    assert.deepEqual(hotPackageDirs(root, syms), [path.join(root, 'lib')]);
    assert.deepEqual(hotPackageDirs(root, syms, [path.join(root, 'tool')]), [path.join(root, 'lib'), path.join(root, 'tool', 'internal', 'core')]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('hotPackageDirs: a copy of GOROOT/src (module std: paths without a module prefix; cmd nested)', () => {
  const root = tree({
    'go.mod': 'module std\n',
    'runtime/malloc.go': 'package runtime\n',
    'cmd/go.mod': 'module cmd\n',
    'cmd/compile/internal/ssa/regalloc.go': 'package ssa\n',
  });
  try {
    const ssa = path.join(root, 'cmd', 'compile', 'internal', 'ssa');
    assert.deepEqual(hotPackageDirs(root, ['runtime.mallocgc', 'cmd/compile/internal/ssa.(*regAllocState).regalloc'], [ssa]), [
      ssa,
      path.join(root, 'runtime'),
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test(
  'listDirs without go list: the chosen directories only, read from the file system; a FIFO is named, never opened',
  { skip: hasMkfifo ? false : 'mkfifo is missing' },
  async () => {
    const root = tree({
      'go.mod': 'module example.com/m\n',
      'main.go': 'package main\nfunc main() {}\n',
      'lib/lib.go': 'package lib\nfunc F() {}\n',
      'other/o.go': 'package other\n',
      'bad/ok.go': 'package bad\n',
    });
    try {
      mkfifo(path.join(root, 'bad', 'pipe.go'));
      const ctx = defaultBuildContext();
      const started = Date.now();
      const r = await listDirs(root, [root, path.join(root, 'lib'), path.join(root, 'bad')], { ctx, goEnv: {}, useGoList: false });
      assert.ok(Date.now() - started < 30_000);
      assert.deepEqual(
        r.packages.map((p) => [path.relative(root, p.dir), p.importPath, p.symbolPath, p.files]),
        [
          ['', 'example.com/m', 'main', ['main.go']],
          ['lib', 'example.com/m/lib', 'example.com/m/lib', ['lib.go']],
          // read from the file system (never listed): the FIFO is skipped, not opened
          ['bad', 'example.com/m/bad', 'example.com/m/bad', ['ok.go']],
        ],
      );
      assert.deepEqual(r.packages[2]?.skipped, [`${path.join(root, 'bad', 'pipe.go')}: skipped: it is a FIFO (named pipe), not a regular file`]);
      assert.deepEqual(
        r.excluded.map((f) => f.file),
        [path.join(root, 'bad', 'pipe.go')],
      );
      assert.match(r.messages[0] ?? '', /pipe\.go: skipped: it is a FIFO \(named pipe\), not a regular file/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
);

test('planFromFiles: build-constrained files, external test files left out, main packages named main', () => {
  const root = tree({
    'go.mod': 'module example.com/m\n',
    'p/p.go': 'package p\n',
    'p/p_windows.go': 'package p\n',
    'p/x_test.go': 'package p_test\n',
  });
  try {
    const p = planFromFiles(path.join(root, 'p'), defaultBuildContext({ goos: 'linux' }), {});
    assert.deepEqual(p && [p.importPath, p.symbolPath, p.method, p.files], ['example.com/m/p', 'example.com/m/p', 'go.mod', ['p.go']]);
    assert.equal(planFromFiles(path.join(root, 'nothing'), defaultBuildContext(), {}), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('closureOf: a binary sees its own main package and the indexed packages it depends on; without deps, everything', () => {
  const pkg = (dir: string, symbolPath: string, deps?: string[]): IndexedTreePackage => ({
    dir,
    importPath: dir,
    symbolPath,
    method: 'go list',
    files: [],
    errors: 0,
    index: {} as PackageIndex,
    ...(deps ? { deps } : {}),
  });
  const a = pkg('/m/cmd/a', 'main', ['/m/lib', '/m/shared']);
  const b = pkg('/m/cmd/b', 'main', ['/m/shared']);
  const lib = pkg('/m/lib', 'example.com/m/lib');
  const shared = pkg('/m/shared', 'example.com/m/shared');
  const other = pkg('/m/other', 'example.com/m/other');
  const all = [a, b, lib, other, shared];
  assert.deepEqual(closureOf(a, all), [a, lib, shared]);
  assert.deepEqual(closureOf(b, all), [b, shared]);
  const c = pkg('/m/cmd/c', 'main');
  assert.deepEqual(closureOf(c, [...all, c]), [...all, c]);
});

test('builtFrom: only the packages of binaries with a profile are indexed (all main packages with --profile; everything when deps are unknown)', () => {
  const root = tree({ 'cmd/a/default.pgo': 'x', 'cmd/b/main.go': 'package main\n' });
  try {
    const listed = (dir: string, symbolPath: string, deps?: string[]): ListedPackage => ({
      dir: path.join(root, dir),
      importPath: dir,
      symbolPath,
      method: 'go list',
      files: [],
      ...(deps ? { deps: deps.map((d) => path.join(root, d)) } : {}),
    });
    const a = listed('cmd/a', 'main', ['lib', 'shared']);
    const b = listed('cmd/b', 'main', ['shared', 'other']);
    const lib = listed('lib', 'example.com/m/lib');
    const other = listed('other', 'example.com/m/other');
    const shared = listed('shared', 'example.com/m/shared');
    const unused = listed('unused', 'example.com/m/unused');
    const all = [a, b, lib, other, shared, unused];
    assert.deepEqual(builtFrom(all, false), [a, lib, shared]);
    assert.deepEqual(builtFrom(all, true), [a, b, lib, other, shared]);
    const c = listed('cmd/c', 'main'); // read from the file system: its dependencies are unknown
    assert.deepEqual(builtFrom([...all, c], true), [...all, c]);
    assert.deepEqual(builtFrom([b, lib], false), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
