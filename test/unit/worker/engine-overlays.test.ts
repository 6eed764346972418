// The worker thread's text for an open file, whatever the order requests arrive in (issue #15): edits
// (keyed, superseding one another), re-opens that adopt unsaved text, the detached completion of a
// prioritised open and views are fired without waiting, as the editor does, with random pauses. When
// they settle, the worker holds the text last sent: the match meter says 100 % after the saved text
// and less after the rename, and a re-open keeps it. (Written for #15, whose cause was an auto-save
// in the test editor, not this path; it guards the path that was suspected.)
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SupersededError, WorkerClient } from '../../../src/worker/client';
import { rng } from '../../fuzzing';
import { fixturesDir, repoRoot } from '../../paths';

const script = path.join(repoRoot, 'out', 'src', 'worker', 'worker.js');
// Untrusted: no go command runs and nothing is written next to the committed fixture; the edits are overlays.
const interp = path.join(fixturesDir, 'interp');
const vm = path.join(interp, 'vm.go');
const saved = fs.readFileSync(vm, 'utf8');
const renamed = saved.replaceAll('execArith', 'arithmetic');
const declOnly = saved.replace('func execArith(', 'func arithmetic(');
const open = { folders: [interp], thresholdPercent: 99, trusted: false, history: false, openFiles: [vm] };

const ignoreSuperseded = (e: unknown): void => {
  if (!(e instanceof SupersededError)) throw e;
};

describe('worker: the text of an open file across interleaved edits and re-opens', () => {
  it('ends with the text last sent, in 15 random interleavings', async () => {
    const c = new WorkerClient({ script });
    try {
      const first = await c.establish('openWorkspace', open, 'workspace');
      const id = first.binaries[0]!.id;
      // a prioritised open shows heat first and matches in the 'match' stage ("matching…" until then)
      const matched = async (): Promise<number> => {
        let s = await c.call('summary', {});
        if (s.binaries.find((b) => b.id === id)!.matching) s = await c.establish('completeWorkspace', { stage: 'match' }, 'workspace-complete');
        return s.binaries.find((b) => b.id === id)!.matchedPercent;
      };
      assert.equal(await matched(), 100, 'the fixture matches its profile');
      const r = rng(15);
      let last: string | null = null; // the text last sent (null: the saved file)
      for (let round = 0; round < 15; round++) {
        const inflight: Promise<unknown>[] = [];
        const did: string[] = [];
        const steps = 4 + Math.floor(r() * 8);
        for (let s = 0; s < steps; s++) {
          const x = r();
          if (x < 0.4) {
            last = r() < 0.5 ? renamed : declOnly;
            did.push(last === renamed ? 'update renamed' : 'update decl');
            inflight.push(c.establish('updateFile', { file: vm, text: last }, `file:${vm}`).catch(ignoreSuperseded));
          } else if (x < 0.6) {
            last = null;
            did.push('update null');
            c.forget(`file:${vm}`);
            inflight.push(c.call('updateFile', { file: vm, text: null }, `file:${vm}`).catch(ignoreSuperseded));
          } else if (x < 0.75) {
            did.push('open');
            inflight.push(c.establish('openWorkspace', open, 'workspace').catch(ignoreSuperseded));
          } else if (x < 0.9) {
            const y = r();
            const stage = y < 0.33 ? 'match' : y < 0.66 ? 'hot' : 'all';
            did.push(`complete ${stage}`);
            inflight.push(c.establish('completeWorkspace', { stage }, 'workspace-complete').catch(ignoreSuperseded));
          } else {
            did.push('view');
            inflight.push(c.call('fileView', { file: vm }, `view:${vm}`).catch(ignoreSuperseded));
          }
          if (r() < 0.5) {
            const ms = Math.floor(r() * 4);
            did.push(`wait ${ms} ms`);
            await new Promise((ok) => setTimeout(ok, ms));
          }
        }
        await Promise.all(inflight);
        const want: string = last === null ? 'saved' : 'renamed';
        const now = await matched();
        assert.equal(now === 100 ? 'saved' : 'renamed', want, `round ${round}: ${now.toFixed(1)} % matched after ${did.join(', ')}`);
        // A re-open adopts unsaved text and nothing else.
        await c.establish('openWorkspace', open, 'workspace');
        await c.establish('completeWorkspace', { stage: 'all' }, 'workspace-complete');
        assert.equal((await matched()) === 100 ? 'saved' : 'renamed', want, `round ${round}, re-opened after ${did.join(', ')}`);
      }
      // Back to the saved text: nothing of the edits remains.
      c.forget(`file:${vm}`);
      await c.call('updateFile', { file: vm, text: null }, `file:${vm}`);
      await c.establish('openWorkspace', open, 'workspace');
      assert.equal(await matched(), 100);
    } finally {
      await c.dispose();
    }
  });
});
