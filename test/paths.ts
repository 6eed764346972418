import * as path from 'node:path';

/** The repository root, from the compiled test location (out/test/...). */
export const repoRoot = path.resolve(__dirname, '..', '..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
