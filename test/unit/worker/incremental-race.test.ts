/**
 * Edits interleaved with a prioritised open's completion and with a re-open after the profiles
 * changed on disk (issue #14: the skip of edits the index does not see must not keep a match of
 * another index). The engine runs as the worker does: `completeWorkspace` beside the queue
 * (not awaited), updates and opens one at a time, with turns of the event loop in between. After
 * everything settled, the engine answers exactly as a model opened fresh on the same text and
 * profiles. No timing assertions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { Engine } from '../../../src/worker/engine';
import { type OpenOptions, WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';
import { rng } from '../../fuzzing';
import { goFiles, observe } from './observe';

describe('edits interleaved with opening and re-opening', () => {
  let tmp: string;
  let files: string[];
  let opts: OpenOptions;
  let digestPgo: string;
  let wordfreqPgo: string;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-race-')));
    for (const f of ['interp', 'textproc']) fs.cpSync(path.join(fixturesDir, f), path.join(tmp, f), { recursive: true });
    files = goFiles(tmp).filter((f) => !f.endsWith('_test.go'));
    digestPgo = path.join(tmp, 'textproc', 'cmd', 'digest', 'default.pgo');
    wordfreqPgo = path.join(tmp, 'textproc', 'cmd', 'wordfreq', 'default.pgo');
    // untrusted: no go command, no git; the same inputs for every model
    opts = { folders: [path.join(tmp, 'interp'), path.join(tmp, 'textproc')], thresholdPercent: 99, trusted: false, history: false };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Swaps the two textproc profiles on disk (a profile rewrite the next open loads). */
  const swapProfiles = (): void => {
    const a = fs.readFileSync(digestPgo);
    fs.writeFileSync(digestPgo, fs.readFileSync(wordfreqPgo));
    fs.writeFileSync(wordfreqPgo, a);
  };

  for (const seed of (process.env.RACE_SEEDS ?? '1,2').split(',').map(Number)) {
    it(`seed ${seed}: ends as a fresh open, and an invisible edit afterwards keeps it so`, async () => {
      const rand = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
      const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
      const engine = new Engine();
      const background: Array<Promise<unknown>> = [];
      const open = async (): Promise<void> => {
        const r = await engine.handle(0, 'openWorkspace', { ...opts, openFiles: [pick(files)] });
        assert.ok(r.ok, JSON.stringify(r));
        // the worker runs completeWorkspace beside its queue: updates go on meanwhile
        background.push(engine.handle(0, 'completeWorkspace', { stage: 'hot' }), engine.handle(0, 'completeWorkspace', { stage: 'all' }));
      };
      const send = async (file: string, text: string | null): Promise<void> => {
        const r = await engine.handle(0, 'updateFile', { file, text });
        assert.ok(r.ok, JSON.stringify(r));
      };
      await open();
      const ops = new Map<string, number>();
      for (let step = 0; step < 14; step++) {
        const file = pick(files);
        const lines = texts.get(file)!.split('\n');
        const op = pick(['typed', 'typed', 'typed', 'new-line', 'rename', 'revert', 'reopen'] as const);
        ops.set(op, (ops.get(op) ?? 0) + 1);
        const funcs = lines.map((l, i) => (/^func .*\{$/.test(l) ? i : -1)).filter((i) => i >= 0);
        const at = funcs.length ? pick(funcs) : 0;
        switch (op) {
          case 'typed':
            // text the index does not see: a comment at the end of a function's first line
            lines[at] = `${lines[at]} // typed ${step}`;
            break;
          case 'new-line':
            lines.splice(at + 1, 0, '\t// a new line');
            break;
          case 'rename':
            lines[at] = lines[at]!.replace(/^func ((?:\([^)]*\) )?)([A-Za-z_]\w*)\(/, `func $1$2R${step}(`);
            break;
          case 'revert':
          case 'reopen':
            break;
        }
        if (op === 'reopen') {
          swapProfiles();
          await open();
        } else if (op === 'revert') {
          texts.set(file, fs.readFileSync(file, 'utf8'));
          await send(file, null);
        } else {
          texts.set(file, lines.join('\n'));
          await send(file, texts.get(file)!);
        }
        // the event loop turns a few times before the next message, as between the worker's messages
        for (let i = Math.floor(rand() * 4); i > 0; i--) await turn();
      }
      await Promise.all(background);
      assert.ok((ops.get('typed') ?? 0) > 0, `seed ${seed} typed nothing the index does not see (${[...ops].join(', ')})`);
      const fresh = async (): Promise<unknown> => {
        const m = new WorkspaceModel();
        m.adoptOverlays(engine.workspace);
        await m.open(opts);
        return observe(m, files);
      };
      assert.deepEqual(observe(engine.workspace, files), await fresh(), `seed ${seed}: after ${[...ops].join(', ')}`);
      // one more edit the index does not see, in every file: the kept matches are still right
      for (const f of files) {
        const text = `${texts.get(f)!.trimEnd()} // typed at the end\n`;
        texts.set(f, text);
        await send(f, text);
      }
      assert.deepEqual(observe(engine.workspace, files), await fresh(), `seed ${seed}: after the last edits`);
    });
  }
});
