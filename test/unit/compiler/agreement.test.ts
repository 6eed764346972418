/** compareWithCompiler: every prediction gets a category; contradictions without explanation are bugs. pgoChanges: the diff. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { compareWithCompiler, type PredictedInline } from '../../../src/compiler/agreement';
import { pgoChanges } from '../../../src/compiler/changes';
import { parseDecisions } from '../../../src/compiler/decisions';

const root = path.resolve('/ws');
const opts = { cwd: root };
const jsonFile = (rows: Array<[number, number, string]>) => ({
  name: 'p/a.json',
  text: [
    JSON.stringify({ version: 0, package: 'ex/p', file: path.join(root, 'a.go') }),
    ...rows.map(([line, character, message]) => JSON.stringify({ range: { start: { line, character } }, code: 'cannotInlineCall', message })),
  ].join('\n'),
});

const text = [
  '# ex/p',
  './a.go:90:6: cannot inline Huge: function too complex: cost 4621 exceeds budget 2000',
  './a.go:91:6: cannot inline NoInl: marked go:noinline',
  'hot-budget check allows inlining for call ex/p.Hot (cost 124) at ./a.go:10:5 in function ex/p.F',
  './a.go:10:5: inlining call to Hot',
  './a.go:11:5: inlining call to Cheap',
  './a.go:1:6: can inline Cheap with cost 12 as: func() {}',
  'hot-big check disallows inlining for call ex/p.Hot (cost 124) at ./a.go:12:5 in big function ex/p.Big',
  './a.go:16:9: PGO devirtualizing interface call s.M to T.M',
].join('\n');
const d = parseDecisions(
  text,
  [
    jsonFile([
      [12, 5, 'cost 124 of ex/p.Hot exceeds max caller cost 20'],
      [13, 5, 'cost 96 of ex/p.Cold exceeds max caller cost 80'],
      [17, 5, 'cost 96 of ex/p.Other exceeds max caller cost 80'],
    ]),
  ],
  opts,
);

const cand = (line: number, callee: string, extra: Partial<PredictedInline> = {}): PredictedInline => ({
  file: 'a.go',
  line,
  caller: 'ex/p.F',
  callee,
  weight: 10,
  ...extra,
});

describe('compareWithCompiler', () => {
  it('classifies agreements, explained disagreements and bugs', () => {
    const a = compareWithCompiler(
      {
        root,
        inlineCandidates: [
          cand(10, 'ex/p.Hot'),
          cand(11, 'ex/p.Cheap'),
          cand(12, 'ex/p.Hot'),
          cand(13, 'ex/p.Cold'), // refused as a cold site: the compiler contradicts "hot"
          cand(14, 'ex/p.Huge'),
          cand(15, 'ex/p.NoInl'),
          cand(16, 'ex/p.U.M', { direct: false, indirect: ['interface'] }),
          cand(17, 'ex/p.Other', { weight: 0 }),
          cand(18, 'ex/p.func1', { direct: false, indirect: ['funcvalue'] }),
          cand(19, 'runtime.growslice', { direct: false, indirect: [] }),
          cand(20, 'ex/p.Cheap'), // nothing printed for an inlinable callee: unexplained
        ],
        devirtualizations: [
          { file: 'a.go', line: 16, col: 9, callee: 'ex/p.T.M' },
          { file: 'a.go', line: 30, callee: 'ex/p.T.M' },
        ],
      },
      d,
    );
    assert.deepEqual(
      a.judged.map((j) => `${j.what} ${j.line} ${j.category}`),
      [
        'inline 10 hot-budget',
        'inline 11 inlined-normal-budget',
        'inline 12 caller-too-big',
        'inline 13 bug',
        'inline 14 callee-too-costly',
        'inline 15 callee-not-inlinable',
        'inline 16 indirect-other-target',
        'inline 17 other-call-on-hot-line',
        'inline 18 indirect-call',
        'inline 19 no-decision-outside-workspace',
        'inline 20 bug',
        'devirtualize 16 devirtualized',
        'devirtualize 30 bug',
      ],
    );
    assert.deepEqual(
      a.bugs.map((b) => b.line),
      [13, 20, 30],
    );
    assert.deepEqual(a.inlineAgreement, { agree: 1, explained: 8, bugs: 2, total: 11 });
    assert.deepEqual(a.devirtAgreement, { agree: 1, bugs: 1, total: 2 });
  });
  it('a hot-budget inline or PGO devirtualization nobody predicted is a missed prediction (bug)', () => {
    const a = compareWithCompiler({ root, inlineCandidates: [], devirtualizations: [] }, d);
    assert.deepEqual(a.bugs.map((b) => `${b.what} ${b.line}`).sort(), ['missed-devirtualize 16', 'missed-inline 10']);
  });
});

describe('pgoChanges', () => {
  it('lists sites inlined or devirtualized in exactly one build', () => {
    const off = parseDecisions(
      ['# ex/p', './a.go:11:5: inlining call to Cheap', './a.go:21:5: inlining call to Gone'].join('\n'),
      [jsonFile([[10, 5, 'cost 124 of ex/p.Hot exceeds max caller cost 80']])],
      opts,
    );
    const withPgo = parseDecisions(text + '\n./a.go:11:5: inlining call to Cheap', [], opts);
    const ch = pgoChanges(off, withPgo);
    assert.deepEqual(
      ch.map((c) => `${c.kind} ${c.change} ${c.line} ${c.callee}`),
      ['inline gained 10 Hot', 'devirtualize gained 16 T.M', 'inline lost 21 Gone'],
    );
    assert.match(ch[0]!.otherwise!, /cost: cost 124 of ex\/p.Hot exceeds max caller cost 80/);
    assert.equal(ch[0]!.hotBudget, true);
  });
});
