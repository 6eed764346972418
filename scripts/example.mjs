// The bundled example as `npm start` opens it: a copy of test/fixtures/interp (a Go module whose
// default.pgo is a real CPU profile of the program, written by `npm run fixtures`, with a
// benchmark in interp_test.go) without the fixture's committed compiler outputs, made a git
// repository whose one commit holds the source and the profile. So *Refresh Profile…* → *Run a
// benchmark* has a benchmark to run, and editing a profiled function shows "Edited since the
// profile was committed". Git runs with the example's own identity and without the user's
// hooks; nothing is written outside the target directory (never $HOME).
//
// Usage: node scripts/example.mjs DIR   (DIR must not exist or be empty; prints the workspace path)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const exampleSource = join(root, 'test', 'fixtures', 'interp');
export const COMMIT_SUBJECT = 'interp with its CPU profile (default.pgo)';

/**
 * Workspace settings of the example: the benchmark a refresh runs, without asking. A fixed amount of work (about 4 s of CPU,
 * some 400 samples) rather than `2s`, which on a busy machine gives half as many samples.
 */
const SETTINGS = { 'pgoLens.refresh.benchmark.package': '.', 'pgoLens.refresh.benchmark.benchtime': '5000x' };

function git(dir, ...args) {
  const r = spawnSync(
    'git',
    [
      '-c',
      'user.name=Go PGO Lens example',
      '-c',
      'user.email=example@pgo-lens.invalid',
      '-c',
      'commit.gpgsign=false',
      '-c',
      'core.hooksPath=/dev/null',
      ...args,
    ],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' } },
  );
  if (r.error) throw new Error(`git is needed for the example repository: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${dir}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Writes the example workspace into `dir` (a new or empty directory) and returns `dir`. */
export function prepareExample(dir) {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length) throw new Error(`${target} is not empty`);
  cpSync(exampleSource, target, { recursive: true, filter: (s) => !s.startsWith(join(exampleSource, 'expected')) });
  mkdirSync(join(target, '.vscode'), { recursive: true });
  writeFileSync(join(target, '.vscode', 'settings.json'), JSON.stringify(SETTINGS, null, 2) + '\n');
  git(target, 'init', '-q', '-b', 'main');
  git(target, 'add', '.');
  git(target, 'commit', '-q', '-m', COMMIT_SUBJECT);
  return target;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/example.mjs DIR');
    process.exit(2);
  }
  try {
    console.log(prepareExample(dir));
  } catch (e) {
    console.error(`example: ${e.message}`);
    process.exit(1);
  }
}
