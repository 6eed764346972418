import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBuildContext, evalConstraint, fileIncluded, goBuildVersion, goodOSArchFile, matchTag } from '../../../src/source/build-tags';

const linux = defaultBuildContext();
const windowsArm = defaultBuildContext({ goos: 'windows', goarch: 'arm64' });

test('go:build expressions', () => {
  assert.equal(evalConstraint('linux && amd64', [], linux), true);
  assert.equal(evalConstraint('linux && !amd64', [], linux), false);
  assert.equal(evalConstraint('(darwin || linux) && !cgo', [], linux), true);
  assert.equal(evalConstraint('unix', [], linux), true);
  assert.equal(evalConstraint('unix', [], windowsArm), false);
  assert.equal(evalConstraint('ignore', [], linux), false);
  assert.equal(evalConstraint('go1.21 && !go1.99', [], linux), true);
  assert.equal(evalConstraint('cgo', [], defaultBuildContext({ cgo: true })), true);
  assert.equal(evalConstraint('purego', [], defaultBuildContext({ tags: ['purego'] })), true);
  assert.equal(evalConstraint('amd64.v1', [], linux), true);
  assert.equal(evalConstraint('linux &&', [], linux), false, 'a malformed expression excludes the file');
});

test('+build lines: spaces OR, commas AND, lines AND; ignored when go:build exists', () => {
  assert.equal(evalConstraint(undefined, ['linux darwin'], linux), true);
  assert.equal(evalConstraint(undefined, ['linux,!amd64'], linux), false);
  assert.equal(evalConstraint(undefined, ['linux', 'amd64'], linux), true);
  assert.equal(evalConstraint(undefined, ['linux', 'arm'], linux), false);
  assert.equal(evalConstraint('windows', ['linux'], linux), false);
});

test('file name suffixes', () => {
  assert.equal(goodOSArchFile('x_linux.go', linux), true);
  assert.equal(goodOSArchFile('x_windows.go', linux), false);
  assert.equal(goodOSArchFile('x_linux_arm64.go', linux), false);
  assert.equal(goodOSArchFile('x_windows_arm64_test.go', windowsArm), true);
  assert.equal(goodOSArchFile('linux.go', windowsArm), true, 'no prefix before the OS name: not a constraint');
  assert.equal(goodOSArchFile('x_unix.go', windowsArm), true, 'unix is not a file-name tag');
  assert.equal(matchTag('linux', defaultBuildContext({ goos: 'android' })), true);
});

test('fileIncluded: tests, underscore and dot files, cgo', () => {
  const h = { goBuild: undefined, plusBuild: [], importsC: false };
  assert.equal(fileIncluded('a.go', h, linux), true);
  assert.equal(fileIncluded('a_test.go', h, linux), false);
  assert.equal(fileIncluded('a_test.go', h, defaultBuildContext({ tests: true })), true);
  assert.equal(fileIncluded('_a.go', h, linux), false);
  assert.equal(fileIncluded('.a.go', h, linux), false);
  assert.equal(fileIncluded('a.go', { ...h, importsC: true }, linux), false);
  assert.equal(fileIncluded('a.go', { ...h, importsC: true }, defaultBuildContext({ cgo: true })), true);
});

test('goBuildVersion reads the minimum go1.N', () => {
  assert.equal(goBuildVersion('go1.23 && linux'), 23);
  assert.equal(goBuildVersion('!go1.22'), undefined);
});

test('selectBuildFiles picks the files of a normal build from in-memory sources', async () => {
  const { selectBuildFiles } = await import('../../../src/source/build-tags');
  const files = [
    { name: 'a.go', text: 'package p\n' },
    { name: 'b_windows.go', text: 'package p\n' },
    { name: 'c.go', text: '//go:build ignore\n\npackage main\n' },
    { name: 'd_test.go', text: 'package p_test\n' },
    { name: 'e.go', text: 'package p\n\nimport "C"\n' },
  ];
  assert.deepEqual(
    selectBuildFiles(files).map((f) => f.name),
    ['a.go'],
  );
  assert.deepEqual(
    selectBuildFiles(files, defaultBuildContext({ goos: 'windows', cgo: true })).map((f) => f.name),
    ['a.go', 'b_windows.go', 'e.go'],
  );
});
