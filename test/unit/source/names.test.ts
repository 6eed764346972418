import { test } from 'node:test';
import assert from 'node:assert/strict';
import { genericKey, methodName, pathToPrefix, prefixToPath, splitSymbol, unescapeSymbol } from '../../../src/source/names';

test('pathToPrefix escapes like objabi.PathToPrefix', () => {
  assert.equal(pathToPrefix('main'), 'main');
  assert.equal(pathToPrefix('net/http'), 'net/http');
  assert.equal(pathToPrefix('gopkg.in/yaml.v3'), 'gopkg.in/yaml%2ev3');
  assert.equal(pathToPrefix('example.com'), 'example%2ecom');
  assert.equal(pathToPrefix('example.com/pgo/devirtualize/mult.pkg'), 'example.com/pgo/devirtualize/mult%2epkg');
  assert.equal(pathToPrefix('a b/c%d"e'), 'a%20b/c%25d%22e');
  assert.equal(pathToPrefix('x/é'), 'x/%c3%a9');
});

test('prefixToPath inverts pathToPrefix', () => {
  for (const p of ['gopkg.in/yaml.v3', 'example.com', 'x/é', 'a b/c%d']) assert.equal(prefixToPath(pathToPrefix(p)), p);
  assert.equal(prefixToPath('bad%zz'), undefined);
});

test('genericKey rewrites type argument groups to the placeholder', () => {
  assert.equal(genericKey('main.(*Stack[go.shape.int]).Push'), 'main.(*Stack[...]).Push');
  assert.equal(genericKey('main.Sum[go.shape.int,go.shape.string].func1'), 'main.Sum[...].func1');
  assert.equal(genericKey('main.Sum[int,float64]'), 'main.Sum[...]');
  assert.equal(genericKey('main.F[go.shape.map[string][]int]'), 'main.F[...]');
  assert.equal(genericKey('main.G[go.shape.struct { X int "json:\\"x]\\"" }].func2.1'), 'main.G[...].func2.1');
  assert.equal(genericKey('p.T[go.shape.int].M[go.shape.string]'), 'p.T[...].M[...]');
  assert.equal(genericKey('main.F[go.shape.int;go.shape.bool]-range1'), 'main.F[...]-range1');
  const plain = 'runtime.mallocgc';
  assert.equal(genericKey(plain), plain);
});

test('splitSymbol finds the package prefix', () => {
  assert.deepEqual(splitSymbol('gopkg.in/yaml%2ev3.(*decoder).unmarshal'), { prefix: 'gopkg.in/yaml%2ev3', name: '(*decoder).unmarshal' });
  assert.deepEqual(splitSymbol('main.F[go.shape.*example.com/x.T].func1'), { prefix: 'main', name: 'F[go.shape.*example.com/x.T].func1' });
  assert.deepEqual(splitSymbol('net/http.(*Server).Serve.func1'), { prefix: 'net/http', name: '(*Server).Serve.func1' });
});

test('methodName forms', () => {
  assert.equal(methodName('T', false, false, 'M'), 'T.M');
  assert.equal(methodName('T', true, false, 'M'), '(*T).M');
  assert.equal(methodName('Stack', true, true, 'Push'), '(*Stack[...]).Push');
});

test('unescapeSymbol decodes the escapes of a whole symbol as UTF-8 and keeps a stray %', () => {
  // objabi.PathToPrefix escapes UTF-8 bytes: é is %c3%a9, not %e9
  assert.equal(pathToPrefix('example.com/café.v2'), 'example.com/caf%c3%a9%2ev2');
  assert.equal(unescapeSymbol('example.com/caf%c3%a9%2ev2.(*T).M'), 'example.com/café.v2.(*T).M');
  assert.equal(unescapeSymbol('gopkg.in/yaml%2ev3.Marshal'), 'gopkg.in/yaml.v3.Marshal');
  assert.equal(unescapeSymbol('a/b.F'), 'a/b.F');
  assert.equal(unescapeSymbol('a/100%.F%2e1'), 'a/100%.F.1');
  for (const p of ['gopkg.in/yaml.v3', 'x/é', 'a b/c%d', 'a/中.v2']) assert.equal(unescapeSymbol(pathToPrefix(p) + '.F'), p + '.F');
});
