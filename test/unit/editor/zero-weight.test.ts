// A call the profile never samples, on a hot line, is inlined with the hot budget: the compiler
// keys hot call sites by caller and line (inl.go candHotEdgeMap), whatever the callee. The editor
// shows that decision (it hid it as a "zero-weight edge"); the oracle is interp's committed
// `-d=pgodebug=1` output, which has `hot-budget check allows inlining for call
// math/rand.(*Rand).Intn (cost 387) at ./main.go:39:52` although no sample of main.gen → Intn exists.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { annotationTexts, shownDecisions } from '../../../src/editor/decision-text';
import { NO_SAMPLES } from '../../../src/editor/format';
import type { FileView } from '../../../src/worker/protocol';
import { WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';

/** `hot-budget check allows inlining for call CALLEE (cost N) at ./main.go:L:C in function CALLER`, as [callee, line, column]. */
function hotBudgetCalls(file: string): Array<{ callee: string; line: number; col: number }> {
  const text = fs.readFileSync(path.join(fixturesDir, 'interp', 'expected', 'interp.pgodebug.txt'), 'utf8');
  const out = new Map<string, { callee: string; line: number; col: number }>();
  for (const m of text.matchAll(/^hot-budget check allows inlining for call (\S+) \(cost \d+\) at \.\/(\S+\.go):(\d+):(\d+) in function \S+$/gm))
    if (m[2] === file) out.set(m[0], { callee: m[1]!, line: Number(m[3]), col: Number(m[4]) });
  return [...out.values()];
}

describe('zero-weight inline decisions on hot lines (compiler: interp.pgodebug.txt)', () => {
  let tmp: string;
  let view: FileView;
  let lines: string[];

  before(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-zero-')));
    const interp = path.join(tmp, 'interp');
    fs.cpSync(path.join(fixturesDir, 'interp'), interp, { recursive: true });
    const model = new WorkspaceModel();
    await model.open({ folders: [interp], thresholdPercent: 99 });
    view = model.fileView(path.join(interp, 'main.go'));
    lines = fs.readFileSync(path.join(interp, 'main.go'), 'utf8').split('\n');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('shows every zero-weight inline decision the compiler makes with the hot budget, as a call on a hot line', () => {
    const calls = hotBudgetCalls('main.go');
    const zero = view.lenses.filter((l) => l.kind === 'inline' && l.weight === 0);
    assert.ok(zero.length >= 1, 'interp has a zero-weight decision (main.gen → rand.(*Rand).Intn at main.go:39)');
    const texts = annotationTexts(view.lenses, (ln) => lines[ln]);
    for (const l of zero) {
      // the compiler made this decision: same callee at the same line and column (1-based, at the call's parenthesis)
      const c = calls.find((x) => x.line === l.line + 1 && x.col === l.character + 1 && x.callee === l.callee);
      assert.ok(c, `${l.callee} at main.go:${l.line + 1}:${l.character + 1}: the compiler says ${JSON.stringify(calls)}`);
      assert.ok(shownDecisions(view.lenses).includes(l), `${l.callee} at main.go:${l.line + 1} is shown`);
      assert.ok(texts.get(l.line)?.includes(NO_SAMPLES), texts.get(l.line));
    }
  });
});
