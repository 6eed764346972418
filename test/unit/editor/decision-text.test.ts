import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ANNOTATION_MAX, annotationTexts, callExpression, calleeName, decisionStory, plain, shownDecisions } from '../../../src/editor/decision-text';
import type { LensInfo } from '../../../src/worker/protocol';
import { fixturesDir } from '../../paths';

const interp = path.join(fixturesDir, 'interp');
const source = (file: string): string[] => fs.readFileSync(path.join(interp, file), 'utf8').split('\n');

/** `./ast.go:37:18: PGO devirtualizing interface call b.L.Eval to (*Binary).Eval` from the compiler's committed output. */
function devirtualizations(): Array<{ file: string; line: number; col: number; call: string; target: string }> {
  const text = fs.readFileSync(path.join(interp, 'expected', 'interp.pgodebug.txt'), 'utf8');
  const out = [];
  for (const m of text.matchAll(/^\.\/(\S+\.go):(\d+):(\d+): PGO devirtualizing (?:interface|function) call (.+) to (\S+)$/gm))
    out.push({ file: m[1]!, line: Number(m[2]), col: Number(m[3]), call: m[4]!, target: m[5]! });
  return out;
}

const lens = (over: Partial<LensInfo>): LensInfo => ({
  line: 36,
  character: 17,
  kind: 'devirt',
  caller: 'main.(*Binary).Eval',
  callee: 'main.(*Binary).Eval',
  weight: 65,
  percent: (65 / 487) * 100,
  sitePercent: 100,
  certain: true,
  ...over,
});

describe('decision annotations (end of line, never moving code)', () => {
  it("names each call as the compiler does, from the source at the compiler's column", () => {
    const all = devirtualizations();
    assert.ok(all.length >= 8, `${all.length} devirtualizations in the committed compiler output`);
    for (const d of all) {
      const text = source(d.file)[d.line - 1]!;
      // the compiler's column is 1-based bytes; the fixture's lines before the call are ASCII
      assert.equal(callExpression(text, d.col - 1), d.call, `${d.file}:${d.line}:${d.col}`);
    }
  });

  it('gives one text per line, naming both calls of ast.go:37 with their columns', () => {
    const lines = source('ast.go');
    const d = devirtualizations().filter((x) => x.file === 'ast.go' && x.line === 37);
    assert.equal(d.length, 2);
    const lenses = d.flatMap((x) => [
      lens({ character: x.col - 1 }),
      lens({ kind: 'inline', character: x.col - 1, pgo: 'hot-budget', sitePercent: undefined, certain: undefined }),
    ]);
    const texts = annotationTexts(lenses, (ln) => lines[ln]);
    assert.deepEqual([...texts.keys()], [36]);
    assert.equal(
      texts.get(36),
      'PGO: b.L.Eval:18 → (*Binary).Eval devirtualized + inlined (hot budget) 13.35% · b.R.Eval:33 → (*Binary).Eval devirtualized + inlined (hot budget) 13.35% · predicted',
    );
  });

  it('names a lone call without its column, and says what the compiler confirmed', () => {
    const lines = source('vm.go');
    const d = devirtualizations().find((x) => x.file === 'vm.go' && x.line === 88)!;
    const confirmed = lens({
      line: 87,
      character: d.col - 1,
      callee: 'main.execArith',
      confirmation: { state: 'confirmed', category: 'devirtualized', text: 'PGO devirtualizing function call handlers[in.op] to execArith' },
    });
    assert.equal(annotationTexts([confirmed], (ln) => lines[ln]).get(87), 'PGO: handlers[in.op] → execArith devirtualized ✓ 13.35%');
    const refused = lens({
      line: 87,
      character: d.col - 1,
      kind: 'inline',
      callee: 'math/rand.(*Rand).Intn',
      pgo: 'possible',
      sitePercent: undefined,
      confirmation: { state: 'explained', category: 'caller-too-big', text: 'caller too big' },
    });
    assert.equal(
      annotationTexts([{ ...confirmed, sitePercent: 62.5 }, refused], (ln) => lines[ln]).get(87),
      'PGO: handlers[in.op] → execArith devirtualized (62.50% of the call) ✓ 13.35%, → rand.(*Rand).Intn may be inlined (hot budget) ✗ not inlined: caller too big 13.35%',
    );
  });

  it('shows nothing for a zero-weight devirtualization, and one decision for several instantiations', () => {
    assert.deepEqual(shownDecisions([lens({ weight: 0 })]), []);
    assert.equal(annotationTexts([lens({ weight: 0 })], () => 'x').size, 0);
    assert.equal(shownDecisions([lens({ callee: 'main.f[go.shape.int]' }), lens({ callee: 'main.f[go.shape.int]' })]).length, 1);
  });

  it('shows a zero-weight inline decision as a call on a hot line, not as 0 %', () => {
    // Go 1.26: one() calls a (hot, 97 % of the profile) and, on the same line, b, which the profile never samples there;
    // `go build -gcflags=-d=pgodebug=1` prints "hot-budget check allows inlining for call main.b (cost 168) at ./main.go:38:47
    // in function main.one" and inlines it: the compiler keys hot call sites by caller and line only (inl.go candHotEdgeMap).
    const b = lens({ kind: 'inline', line: 37, character: 46, caller: 'main.one', callee: 'main.b', weight: 0, percent: 0, pgo: 'hot-budget' });
    delete b.sitePercent;
    delete b.certain;
    assert.deepEqual(shownDecisions([b]), [b]);
    const line = '\t\tsink += a(i); if i%10000019 == 0 { sink += b(i) }';
    assert.equal(line.indexOf('b(i)') + 1, 46, 'the call’s ( at the compiler’s column 47');
    assert.equal(annotationTexts([b], () => line).get(37), 'PGO: b → b inlined (hot budget) on a hot line (no samples of its own) · predicted');
    assert.match(decisionStory(b), /no samples of this call to main\.b, but another call on the line is hot/);
    assert.doesNotMatch(decisionStory(b), /0\.00%/);
  });

  it('cuts a long line and points to the hover', () => {
    const many = Array.from({ length: 8 }, (_, i) => lens({ character: 10 + i * 10 }));
    const text = annotationTexts(many, () => 'x'.repeat(200)).get(36)!;
    assert.ok(text.length <= ANNOTATION_MAX, `${text.length}`);
    assert.match(text, / … \(hover\)$/);
  });

  it('is plain text (decoration text would show $(icon) names literally)', () => {
    assert.equal(plain('$(check) inlined (cost 342)'), 'inlined (cost 342)');
    assert.doesNotMatch(decisionStory(lens({ certain: false, why: 'the receiver type is not known' })), /\$\(/);
    assert.match(decisionStory(lens({ certain: false, why: 'the receiver type is not known' })), /Possible, not certain: the receiver type is not known\./);
  });

  it("names callees as the compiler does, generic shapes collapsed (cmd/compile's profile)", () => {
    const caller = 'cmd/compile/internal/ssa.BuildFuncDebug';
    assert.equal(calleeName('slices.SortFunc[go.shape.[]cmd/compile/internal/ssa.SlotID,go.shape.int32]', caller), 'slices.SortFunc[…]');
    assert.equal(calleeName('cmd/compile/internal/ssa.(*debugState).initializeCache', caller), '(*debugState).initializeCache');
    assert.equal(calleeName('cmd/compile/internal/ir.IsSynthetic', caller), 'ir.IsSynthetic');
    assert.equal(calleeName('example.com/m/lib.(*List[go.shape.int]).Push', 'example.com/m/lib.main'), '(*List[…]).Push');
  });

  it('finds no call where the column is not a call', () => {
    assert.equal(callExpression('x := y', 2), undefined);
    assert.equal(callExpression('(a)', 0), undefined);
  });
});
