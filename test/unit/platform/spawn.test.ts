/** runGroup's line splitting keeps a UTF-8 character whole when its bytes arrive in two reads. */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { it } from 'node:test';
import { runGroup } from '../../../src/platform/spawn';

it('runGroup decodes a UTF-8 character split across two reads', async () => {
  // é is c3 a9: the first byte, a pause (so the parent reads it alone), then the rest.
  const child = [
    "process.stdout.write(Buffer.from('caf\\xc3', 'latin1'));",
    "setTimeout(() => process.stdout.write(Buffer.from('\\xa9\\n\\xe2\\x82', 'latin1'), () => setTimeout(() => process.stdout.write(Buffer.from('\\xac', 'latin1')), 200)), 200);",
  ].join('\n');
  const chunks: string[] = [];
  const r = await runGroup(process.execPath, ['-e', child], {
    cwd: os.tmpdir(),
    env: { ...process.env, GOTMPDIR: os.tmpdir() },
    onLine: (l) => chunks.push(l),
  });
  assert.equal(r.code, 0, r.stderr.join('\n'));
  // the last line (€, also split) has no newline: it is kept whole at the end of the stream
  assert.deepEqual(r.stdout, ['café', '€']);
  assert.deepEqual(chunks, ['café', '€']);
});
