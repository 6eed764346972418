/**
 * No double work in a prioritised open's later stages (issue #14): 'hot' and 'all' match a binary
 * again only when what they indexed can change its match (match-basis.ts `basisHolds`: the same
 * inputs, the same covered packages in the same order, each with the index it was matched with).
 * Counted through the match module's export (the model calls it through the module object), and
 * the stages always end equal to a fresh full open. No timing assertions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as matchModule from '../../../src/match/match';
import { type OpenOptions, WorkspaceModel } from '../../../src/worker/workspace';
import { fixturesDir } from '../../paths';
import { goFiles, observe } from './observe';

type MatchInput = Parameters<typeof matchModule.matchBinary>[0];

/** The main directories of the binaries matched while fn runs, one per match of a binary over its workspace packages. */
async function countMatches(fn: () => Promise<void>): Promise<string[]> {
  const mod = matchModule as unknown as { matchBinary: (inp: MatchInput) => matchModule.BinaryMatch };
  const real = mod.matchBinary;
  const seen: string[] = [];
  mod.matchBinary = (inp: MatchInput) => {
    if (inp.cache) seen.push(inp.mainDir); // a binary's own match (rematch) keeps a cache; views of outside packages and refresh diffs do not
    return real(inp);
  };
  try {
    await fn();
  } finally {
    mod.matchBinary = real;
  }
  return seen;
}

describe("a later stage's match", () => {
  let tmp: string;
  let files: string[];
  let opts: OpenOptions;
  let interp: string;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-stages-')));
    for (const f of ['interp', 'textproc']) fs.cpSync(path.join(fixturesDir, f), path.join(tmp, f), { recursive: true });
    interp = path.join(tmp, 'interp');
    // a package of interp's module that its profile names nothing of: the whole listing adds it, the match does not cover it
    fs.mkdirSync(path.join(interp, 'extra'));
    fs.writeFileSync(path.join(interp, 'extra', 'extra.go'), 'package extra\n\nfunc Twice(x int) int { return 2 * x }\n');
    files = goFiles(tmp).filter((f) => !f.endsWith('_test.go'));
    opts = { folders: [interp, path.join(tmp, 'textproc')], thresholdPercent: 99, trusted: false, history: false };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is not computed again when the stage indexed nothing it covers; the stages end equal to a full open', async () => {
    const full = new WorkspaceModel();
    await full.open(opts);
    const want = observe(full, files);
    const lazy = new WorkspaceModel();
    await lazy.open({ ...opts, openFiles: [path.join(interp, 'main.go')] });
    const matched = await countMatches(async () => {
      await lazy.complete('match');
    });
    assert.ok(matched.includes(interp), 'the match stage matches interp');
    const later = await countMatches(async () => {
      await lazy.complete('hot');
      await lazy.complete('all');
    });
    // interp's hot functions are all in its main package (indexed first) and 'all' adds only extra, which its match does not cover
    assert.deepEqual(
      later.filter((d) => d === interp),
      [],
      "interp's match is kept",
    );
    // textproc's binaries cover packages the later stages indexed: they are matched again
    assert.ok(
      later.some((d) => d.startsWith(path.join(tmp, 'textproc'))),
      `textproc matched again: ${later.map((d) => path.relative(tmp, d)).join(', ')}`,
    );
    assert.deepEqual(observe(lazy, files), want);
  });

  it('is computed again when a package it covers changed index between the stages', async () => {
    const full = new WorkspaceModel();
    const mainFile = path.join(interp, 'main.go');
    const text = fs.readFileSync(mainFile, 'utf8');
    const edited = text.replace(/\nfunc /, '\n// typed between the stages\n\n\nfunc ');
    await full.open(opts);
    full.update(mainFile, edited);
    const want = observe(full, files);
    const lazy = new WorkspaceModel();
    await lazy.open({ ...opts, openFiles: [mainFile] });
    await lazy.complete('match');
    lazy.update(mainFile, edited);
    await lazy.complete('hot');
    await lazy.complete('all');
    assert.deepEqual(observe(lazy, files), want);
    lazy.update(mainFile, null);
    full.update(mainFile, null);
    assert.deepEqual(observe(lazy, files), observe(full, files));
  });
});
