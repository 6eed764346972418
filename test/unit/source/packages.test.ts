import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fixturesDir } from '../../paths';
import {
  createSourceResolver,
  escapeModulePath,
  headerInfo,
  inferPackagePath,
  packageDirs,
  parseGoListJson,
  readGoWorkUses,
  readModulePath,
  readPackageFiles,
  resolveImportDir,
  unescapeModulePath,
} from '../../../src/source/packages';
import { listSymbols, listSymbolsDetailed } from '../../../src/source/symbols';
import { defaultBuildContext } from '../../../src/source/build-tags';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pgo-lens-src-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

test('go.mod and go.work parsing', () => {
  assert.equal(readModulePath('// c\nmodule example.com/x // trailing\n\ngo 1.22\n'), 'example.com/x');
  assert.equal(readModulePath('module "example.com/q"\n'), 'example.com/q');
  assert.deepEqual(readGoWorkUses('go 1.22\nuse (\n\t./a\n\t"./b" // c\n)\nuse ./c\n'), ['./a', './b', './c']);
});

test('module cache case escaping', () => {
  assert.equal(escapeModulePath('github.com/BurntSushi/toml'), 'github.com/!burnt!sushi/toml');
  assert.equal(unescapeModulePath('github.com/!burnt!sushi/toml'), 'github.com/BurntSushi/toml');
});

test('inferPackagePath: go.mod, nested dirs, main packages, vendor, go.work', () => {
  const root = tree({
    'go.mod': 'module example.com/app\n',
    'main.go': 'package main\n',
    'internal/x/x.go': 'package x\n',
    'vendor/github.com/v/dep/dep.go': 'package dep\n',
    'go.work': 'go 1.22\nuse .\n',
  });
  try {
    const main = inferPackagePath(root, {});
    assert.equal(main?.importPath, 'example.com/app');
    assert.equal(main?.symbolPath, 'main');
    assert.equal(main?.method, 'go.work');
    const x = inferPackagePath(path.join(root, 'internal', 'x'), {});
    assert.equal(x?.importPath, 'example.com/app/internal/x');
    assert.equal(x?.symbolPath, 'example.com/app/internal/x');
    const dep = inferPackagePath(path.join(root, 'vendor', 'github.com', 'v', 'dep'), {});
    assert.equal(dep?.importPath, 'github.com/v/dep');
    assert.equal(dep?.method, 'vendor');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('inferPackagePath: GOROOT (std, cmd, both vendor trees) and the module cache', () => {
  const root = tree({
    'goroot/src/net/http/server.go': 'package http\n',
    'goroot/src/vendor/golang.org/x/net/dns/dnsmessage/m.go': 'package dnsmessage\n',
    'goroot/src/cmd/compile/main.go': 'package main\n',
    'goroot/src/cmd/vendor/golang.org/x/mod/semver/semver.go': 'package semver\n',
    'mod/github.com/!burnt!sushi/toml@v1.3.2/internal/i.go': 'package internal\n',
  });
  try {
    const ge = { goroot: path.join(root, 'goroot'), gomodcache: path.join(root, 'mod') };
    const at = (rel: string): string | undefined => inferPackagePath(path.join(root, rel), ge)?.importPath;
    assert.equal(at('goroot/src/net/http'), 'net/http');
    assert.equal(at('goroot/src/vendor/golang.org/x/net/dns/dnsmessage'), 'vendor/golang.org/x/net/dns/dnsmessage');
    assert.equal(at('goroot/src/cmd/compile'), 'cmd/compile');
    assert.equal(inferPackagePath(path.join(root, 'goroot/src/cmd/compile'), ge)?.symbolPath, 'main');
    assert.equal(at('goroot/src/cmd/vendor/golang.org/x/mod/semver'), 'golang.org/x/mod/semver');
    const m = inferPackagePath(path.join(root, 'mod/github.com/!burnt!sushi/toml@v1.3.2/internal'), ge);
    assert.equal(m?.importPath, 'github.com/BurntSushi/toml/internal');
    assert.equal(m?.method, 'modcache');
    assert.equal(m?.module?.path, 'github.com/BurntSushi/toml');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('resolveImportDir and a source resolver: signatures, constants and func types from sources', () => {
  const root = tree({
    'goroot/src/iter/iter.go': 'package iter\n\ntype Seq[V any] func(yield func(V) bool)\n',
    'goroot/src/runtime/extern.go': 'package runtime\n\nconst GOOS string = "linux"\n\nfunc Gosched() {}\n',
    'app/go.mod': 'module example.com/app\n',
    'app/util/util.go':
      'package util\n\nimport "iter"\n\nconst Debug = 1 << 3\n\nfunc Each() iter.Seq[int] { return nil }\nfunc Log(args ...any) {}\ntype Fn func()\n',
    'app/main.go': 'package main\n',
  });
  try {
    const ge = { goroot: path.join(root, 'goroot') };
    const mod = { path: 'example.com/app', dir: path.join(root, 'app') };
    assert.equal(resolveImportDir('example.com/app/util', path.join(root, 'app'), ge, mod), path.join(root, 'app', 'util'));
    assert.equal(resolveImportDir('runtime', path.join(root, 'app'), ge, mod), path.join(root, 'goroot', 'src', 'runtime'));
    const r = createSourceResolver({ fromDir: path.join(root, 'app'), goEnv: ge, module: mod });
    const util = r('example.com/app/util');
    assert.equal(util?.name, 'util');
    assert.deepEqual(util?.constValue?.('Debug'), { k: 'int', v: 8n });
    assert.equal(util?.func?.('Each')?.resultIsFunc[0], true, 'iter.Seq is a func type, resolved through the iter package');
    assert.equal(util?.func?.('Log')?.variadic, true);
    assert.equal(util?.isFuncType?.('Fn'), true);
    assert.equal(r('runtime')?.func?.('Gosched')?.params, 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('readPackageFiles applies build constraints and skips other packages', () => {
  const root = tree({
    'a.go': 'package p\n',
    'a_windows.go': 'package p\n',
    'b.go': '//go:build ignore\n\npackage p\n',
    'c.go': '// +build linux\n\npackage p\n',
    'cgo.go': 'package p\n\nimport "C"\n',
    'p_test.go': 'package p\n',
    'x_test.go': 'package p_test\n',
  });
  try {
    assert.deepEqual(
      readPackageFiles(root)?.files.map((f) => f.name),
      ['a.go', 'c.go'],
    );
    assert.deepEqual(
      readPackageFiles(root, defaultBuildContext({ tests: true, cgo: true }))?.files.map((f) => f.name),
      ['a.go', 'c.go', 'cgo.go', 'p_test.go'],
    );
    assert.deepEqual(headerInfo('//go:build linux\n\npackage q\n\nimport (\n\t"C"\n)\n'), { pkgName: 'q', goBuild: 'linux', plusBuild: [], importsC: true });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('packageDirs skips testdata, vendor, hidden and underscore directories', () => {
  const root = tree({
    'a.go': 'package a\n',
    'sub/b.go': 'package b\n',
    'testdata/t.go': 'package t\n',
    'vendor/v/v.go': 'package v\n',
    '.hidden/h.go': 'package h\n',
    '_skip/s.go': 'package s\n',
  });
  try {
    assert.deepEqual(
      packageDirs(root).map((d) => path.relative(root, d)),
      ['', 'sub'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('parseGoListJson reads concatenated objects', () => {
  const out = '{\n\t"Dir": "/x",\n\t"ImportPath": "a/{b}",\n\t"Name": "b"\n}\n{\n\t"Dir": "/y",\n\t"ImportPath": "c",\n\t"Name": "main"\n}\n';
  assert.deepEqual(
    parseGoListJson(out).map((p) => p.ImportPath),
    ['a/{b}', 'c'],
  );
});

test('listSymbols without the toolchain: the naming fixture module', async () => {
  const dir = path.join(fixturesDir, 'naming');
  const { symbols, packages } = await listSymbolsDetailed(dir, { useGoList: false });
  assert.deepEqual(
    packages.map((p) => [p.importPath, p.symbolPath, p.method]),
    [
      ['example.com/naming', 'main', 'go.mod'],
      ['example.com/naming/lib.v2', 'example.com/naming/lib.v2', 'go.mod'],
    ],
  );
  const byName = new Map(symbols.map((s) => [s.symbol, s]));
  assert.deepEqual(byName.get('main.generated'), {
    symbol: 'main.generated',
    file: 'lines.go',
    line: 8,
    endLine: 11,
    startLine: 100,
    kind: 'func',
    pkgPath: 'example.com/naming',
  });
  assert.equal(byName.get('example.com/naming/lib%2ev2.Apply.func1')?.file, 'lib.v2/lib.go');
  assert.ok(!byName.has('main.onWindows'));
  assert.ok(!symbols.some((s) => s.kind === 'varinit'));
  assert.equal(
    (await listSymbols(dir, { useGoList: false, goos: 'windows' })).some((s) => s.symbol === 'main.onWindows'),
    true,
  );
});

test('the committed compiler outputs of the PGO fixtures (expected/*.symbols.txt) are all indexed', async () => {
  const { genericKey } = await import('../../../src/source/names');
  const { readdirSync, readFileSync, existsSync } = await import('node:fs');
  const CLOSURES = new Set(['closure', 'range', 'gowrap', 'deferwrap', 'synthetic']);
  let checked = 0;
  for (const fx of ['interp', 'shapes', 'textproc']) {
    const dir = path.join(fixturesDir, fx);
    if (!existsSync(path.join(dir, 'expected'))) continue;
    const { symbols } = await listSymbolsDetailed(dir, { useGoList: false });
    // two main packages share `main.main`: key by symbol and file
    const byKey = new Set(symbols.map((s) => `${genericKey(s.symbol)}\t${s.file}\t${s.startLine}`));
    const byPos = new Map(symbols.map((s) => [`${s.file}:${s.startLine}`, s]));
    for (const f of readdirSync(path.join(dir, 'expected')).filter((n) => n.endsWith('.symbols.txt'))) {
      for (const line of readFileSync(path.join(dir, 'expected', f), 'utf8')
        .trim()
        .split('\n')) {
        const [sym, file, ln] = line.split('\t');
        assert.ok(sym !== undefined && file !== undefined && ln !== undefined, `malformed line ${line} in expected/${f}`);
        if (file === '<autogenerated>' || file.startsWith('$GOROOT')) continue;
        checked++;
        if (byKey.has(`${genericKey(sym)}\t${file}\t${ln}`)) continue;
        // closures copied into their callers by inlining (`Caller.Callee.funcN`)
        const at = byPos.get(`${file}:${ln}`);
        assert.ok(at && CLOSURES.has(at.kind), `${fx}/${f}: ${sym} at ${file}:${ln} is not in the index`);
      }
    }
  }
  assert.ok(checked > 100, `checked ${checked} symbols`);
});
