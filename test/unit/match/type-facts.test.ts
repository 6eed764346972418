/**
 * Method-set answers kept per universe (type-facts.ts): each equals the direct answer
 * (`wrapperReason`, `implementsInterface`), asked again it is the same, and two type sources
 * with different declarations never share an answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBuildContext } from '../../../src/source/build-tags';
import { implementsInterface, parseMethodSetLines, receiverOfSymbol, type TypeSource, typeSource } from '../../../src/source/method-sets';
import { describePackage } from '../../../src/source/packages';
import { parseDeclarations } from '../../../src/source/package-env';
import { receiverImplements, wrapperReasonOf } from '../../../src/match/type-facts';
import { wrapperReason } from '../../../src/match/wrappers';

const source = (body: string): TypeSource =>
  typeSource((p) =>
    p === 'main' ? describePackage([parseDeclarations('a.go', `package main\n${body}`)], undefined, defaultBuildContext(), 'main') : undefined,
  );

/** Name embeds *miniNode (promoted Op); Lit has a value method Value. */
const WITH = source(`
type miniNode struct{ op int }
func (n *miniNode) Op() int { return n.op }
type Name struct { *miniNode }
type Lit struct{ v int }
func (l Lit) Value() int { return l.v }
`);
/** The same names, but Name declares Op itself and Lit's Value returns a string. */
const WITHOUT = source(`
type Name struct{ op int }
func (n *Name) Op() int { return n.op }
type Lit struct{ v int }
func (l Lit) Value() string { return "" }
`);

const SYMBOLS = ['main.(*Name).Op', 'main.Name.Op', 'main.(*Lit).Value', 'main.Lit.Value', 'main.(*Name).Gone', 'main.plain', 'main.T[int].M'];
const IFACES = [['Op func() int'], ['Value func() int'], ['Value func() string'], ['Op func() int', 'Value func() int'], []];

test('wrapper reasons equal the direct ones, per type source', () => {
  for (const types of [WITH, WITHOUT, WITH]) for (const s of SYMBOLS) assert.equal(wrapperReasonOf(types, s), wrapperReason(types, s), s);
  // the two sources differ, so a shared answer would show
  assert.match(wrapperReasonOf(WITH, 'main.(*Name).Op')!, /promoted-method wrapper/);
  assert.equal(wrapperReasonOf(WITHOUT, 'main.(*Name).Op'), undefined);
});

test('interface satisfaction equals the direct answer, per type source and interface', () => {
  let decided = 0;
  for (const types of [WITH, WITHOUT, WITHOUT, WITH])
    for (const s of SYMBOLS)
      for (const lines of IFACES) {
        const recv = receiverOfSymbol(s);
        const direct = recv ? implementsInterface(types, recv, parseMethodSetLines(lines)) : undefined;
        assert.equal(receiverImplements(types, s, lines), direct, `${s} ${lines.join(';')}`);
        if (direct !== undefined) decided++;
      }
  assert.ok(decided > 0);
  assert.equal(receiverImplements(WITH, 'main.(*Lit).Value', ['Value func() int']), true);
  assert.equal(receiverImplements(WITHOUT, 'main.(*Lit).Value', ['Value func() int']), false);
});
