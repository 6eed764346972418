import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { backEndFlags, OPTIONAL_SSA_PHASES, probeBackEnd } from '../../../src/compiler/back-end';
import { decisionFlags } from '../../../src/compiler/build';

describe('back-end flags', () => {
  it('turns every optional SSA phase off in one -d flag, and DWARF, bounds-check and write-barrier code; never a required phase or intrinsics', () => {
    const flags = backEndFlags();
    const [d, ...rest] = flags.split(' ');
    assert.deepEqual(rest, ['-dwarf=false', '-B', '-wb=false']);
    assert.deepEqual(
      d?.replace(/^-d=/, '').split(','),
      OPTIONAL_SSA_PHASES.map((p) => `ssa/${p}/off`),
    );
    for (const required of ['opt', 'lower', 'regalloc', 'schedule', 'late_opt', 'intrinsics', 'expand_calls', 'writebarrier'])
      assert.ok(!flags.includes(`ssa/${required}/`), `${required} stays`);
    assert.equal(backEndFlags([]), '-dwarf=false -B -wb=false');
  });

  it('follows the decision flags, which are unchanged before them', () => {
    const plain = decisionFlags('/tmp/j');
    assert.equal(plain, '-m=1 -d=pgodebug=1 -json=0,file:///tmp/j');
    assert.equal(decisionFlags('/tmp/j', 1, backEndFlags()), `${plain} ${backEndFlags()}`);
    assert.equal(decisionFlags('/tmp/j', 2, ''), '-m=2 -d=pgodebug=1 -json=0,file:///tmp/j');
  });

  it('probes the compiler with the flags on a package of its own, and gives none when it refuses', async () => {
    const seen: Array<{ args: string[]; cwd: string; src: string }> = [];
    const accept = async (args: string[], cwd: string): Promise<boolean> => {
      seen.push({ args, cwd, src: fs.readFileSync(path.join(cwd, args[args.length - 1]!), 'utf8') });
      return true;
    };
    assert.equal(await probeBackEnd(accept), backEndFlags());
    const [call] = seen;
    assert.ok(call);
    assert.deepEqual(call.args.slice(0, 2), ['-p', 'p']);
    assert.ok(call.args.includes('-dwarf=false') && call.args.includes(backEndFlags().split(' ')[0]!));
    assert.match(call.src, /^package p\n/);
    assert.equal(fs.existsSync(call.cwd), false, 'the probe directory is removed');
    assert.equal(await probeBackEnd(async () => false), '');
    assert.equal(await probeBackEnd(async () => false, ['prove']), '');
    await assert.rejects(
      probeBackEnd(async () => {
        throw new Error('spawn failed');
      }),
      /spawn failed/,
    );
  });
});
