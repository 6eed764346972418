/**
 * Incremental matching (issue #14): after seeded random edit sequences (lines inserted and deleted
 * inside and outside hot functions, comments typed at the end of lines, renames, moves within and
 * across packages, reverts), the model that applied them one by one answers exactly as a model
 * opened fresh on the same text:
 * summaries (matched percent, unmatched entries with their guesses and losses), every file view
 * and every binary's lists, deep-equal. No timing assertions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type OpenOptions, WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';
import { goFiles, observe } from './observe';
import { rng } from '../../fuzzing';

/** The line range of each top-level function declaration (`func` … closing `}` at column 0). */
function declarations(lines: string[]): Array<{ start: number; end: number; name: string }> {
  const out: Array<{ start: number; end: number; name: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^func (?:\([^)]*\) )?([A-Za-z_]\w*)/.exec(lines[i]!);
    if (!m) continue;
    let end = i;
    while (end < lines.length && lines[end] !== '}' && !lines[end]!.endsWith('}')) end++;
    out.push({ start: i, end: Math.min(end, lines.length - 1), name: m[1]! });
  }
  return out;
}

describe('incremental matching equals a full re-match', () => {
  let tmp: string;
  let files: string[];
  let opts: OpenOptions;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-incr-')));
    for (const f of ['interp', 'textproc']) fs.cpSync(path.join(fixturesDir, f), path.join(tmp, f), { recursive: true });
    files = goFiles(tmp);
    // Untrusted: no go command, no git; the same inputs for both models.
    opts = { folders: [path.join(tmp, 'interp'), path.join(tmp, 'textproc')], thresholdPercent: 99, trusted: false, history: false };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const seed of (process.env.INCR_SEEDS ?? '1,2,3').split(',').map(Number)) {
    it(`random edits, seed ${seed}`, async () => {
      const rand = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
      const model = new WorkspaceModel();
      await model.open(opts);
      const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
      const kinds = new Map<string, number>();
      const renames: Array<{ from: string; to: string }> = [];
      let compared = 0;
      let unmatchedSeen = 0;
      for (let step = 0; step < 24; step++) {
        const file = pick(files);
        const lines = texts.get(file)!.split('\n');
        const decls = declarations(lines);
        const op = pick([
          'insert-inside',
          'retype',
          'retype',
          'insert-outside',
          'delete',
          'rename',
          'rename',
          'follow-rename',
          'follow-rename',
          'move',
          'move-package',
          'revert',
        ] as const);
        const d = decls.length ? pick(decls) : undefined;
        switch (op) {
          case 'insert-inside':
            if (d) lines.splice(d.start + 1 + Math.floor(rand() * Math.max(1, d.end - d.start)), 0, '\t// inserted');
            break;
          case 'retype':
            // text the index does not see (the lines stay where they are): the matches stand
            if (d) {
              const i = d.start + 1 + Math.floor(rand() * Math.max(1, d.end - d.start - 1));
              lines[i] = `${lines[i]} // typed ${step}`;
            }
            break;
          case 'insert-outside':
            lines.splice(d ? d.start : 0, 0, '', '// inserted above');
            break;
          case 'delete': {
            // a line inside a function that is neither its header nor its closing brace
            if (d && d.end - d.start > 2) lines.splice(d.start + 1 + Math.floor(rand() * (d.end - d.start - 1)), 1);
            break;
          }
          case 'rename':
            if (d) {
              lines[d.start] = lines[d.start]!.replace(new RegExp(`\\b${d.name}\\(`), `${d.name}Renamed${step}(`);
              renames.push({ from: d.name, to: `${d.name}Renamed${step}` });
            }
            break;
          case 'follow-rename': {
            // callers elsewhere (another package too) now call the new name: the evidence for the guess changes
            const r = renames.length ? pick(renames) : undefined;
            if (r)
              for (let i = 0; i < lines.length; i++)
                if (!lines[i]!.startsWith('func ')) lines[i] = lines[i]!.replace(new RegExp(`\\b${r.from}\\(`, 'g'), `${r.to}(`);
            break;
          }
          case 'move':
          case 'move-package': {
            if (!d) break;
            const same = files.filter((f) => f !== file && path.dirname(f) === path.dirname(file));
            const others = files.filter((f) => path.dirname(f) !== path.dirname(file) && path.basename(path.dirname(f)) !== 'cmd');
            const to = op === 'move' ? (same.length ? pick(same) : undefined) : pick(others);
            if (!to) break;
            const body = lines.splice(d.start, d.end - d.start + 1);
            texts.set(to, `${texts.get(to)!.trimEnd()}\n\n${body.join('\n')}\n`);
            model.update(to, texts.get(to)!);
            break;
          }
          case 'revert':
            break;
        }
        kinds.set(op, (kinds.get(op) ?? 0) + 1);
        if (op === 'revert') {
          texts.set(file, fs.readFileSync(file, 'utf8'));
          model.update(file, null);
        } else {
          texts.set(file, lines.join('\n'));
          model.update(file, texts.get(file)!);
        }
        if (step % 3 !== 2) continue;
        const fresh = new WorkspaceModel();
        fresh.adoptOverlays(model);
        await fresh.open(opts);
        const got = observe(model, files);
        const want = observe(fresh, files);
        assert.deepEqual(got, want, `seed ${seed}, after step ${step} (${op} in ${path.relative(tmp, file)})`);
        compared++;
        unmatchedSeen += fresh.summary().binaries.reduce((n, b) => n + b.unmatched.length, 0);
      }
      // the sequence did exercise what it is about
      assert.equal(compared, 8);
      assert.ok(unmatchedSeen > 0, `seed ${seed}: no edit left an unmatched profile function (${[...kinds].join(', ')})`);
    });
  }
});
