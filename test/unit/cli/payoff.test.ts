/** `pgo-lens trim` and `pgo-lens evaluate`: usage errors (exit 2) and input errors (exit 1) say what is wrong. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream;
  const e = { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream;
  const code = await main(argv, o, e);
  return { code, out, err };
}

describe('trim and evaluate on the command line', () => {
  it('trim needs -o and one PROFILE', async () => {
    const a = await run(['trim', 'x.pgo']);
    assert.equal(a.code, 2);
    assert.match(a.err, /-o OUT is required/);
    assert.equal((await run(['trim', '-o', 'y'])).code, 2);
  });
  it('trim of a missing file is an input error', async () => {
    const a = await run(['trim', '/nonexistent/p.pgo', '-o', '/nonexistent/q.pgo']);
    assert.equal(a.code, 1);
    assert.match(a.err, /error opening profile/);
  });
  it('evaluate checks its flags before running anything', async () => {
    assert.match((await run(['evaluate', '.', '--count', '0'])).err, /--count must be a whole number/);
    assert.match((await run(['evaluate', '.', '--bench-pkg', 'x'])).err, /--bench-pkg needs --bench/);
    assert.match((await run(['evaluate', '.', '--bench', '.', '--benchtime', 'soon'])).err, /invalid --benchtime/);
    assert.match((await run(['evaluate', '.', '--frame-threshold', '-1'])).err, /--frame-threshold must be/);
    assert.equal((await run(['evaluate'])).code, 2);
  });
  it('both are listed in the help', async () => {
    const h = await run(['--help']);
    assert.match(h.out, /trim\s+shrink a profile/);
    assert.match(h.out, /evaluate\s+what PGO buys and costs/);
  });
});
