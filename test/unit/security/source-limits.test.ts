/**
 * Source files the indexer will not read (issue #13: a 50 MB .go file cost 4.5 GB and 71 s; a FIFO
 * named x.go blocked forever): skipped with a message that says why, the rest indexed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { MAX_SOURCE_FILE_BYTES } from '../../../src/platform/safe-read';
import { indexTree } from '../../../src/source/symbols';

describe('source file limits', () => {
  it('a huge file and a FIFO are skipped with a reason; the package is still indexed', async () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-srclimit-'));
    try {
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
      fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nfunc main() { helper() }\n\nfunc helper() {}\n');
      const big = Buffer.alloc(MAX_SOURCE_FILE_BYTES + 1, 0x20);
      big.write('package main\n\nfunc generated() {}\n//');
      fs.writeFileSync(path.join(dir, 'big.go'), big);
      execFileSync('mkfifo', [path.join(dir, 'pipe.go')]);
      const t0 = Date.now();
      const pkgs = await indexTree(dir, { useGoList: false });
      assert.ok(Date.now() - t0 < 10_000);
      assert.equal(pkgs.length, 1);
      const p = pkgs[0]!;
      assert.deepEqual(p.files, ['main.go']);
      assert.deepEqual(
        [...(p.skipped ?? [])].sort(),
        [
          `${path.join(dir, 'big.go')}: skipped: it has ${MAX_SOURCE_FILE_BYTES + 1} bytes, more than the 8 MiB limit for a Go source file`,
          `${path.join(dir, 'pipe.go')}: skipped: it is a FIFO (named pipe), not a regular file`,
        ].sort(),
      );
      assert.ok(p.index.funcs.some((f) => f.symbol === 'main.helper'));
      assert.ok(!p.index.funcs.some((f) => f.symbol === 'main.generated'));
      // the CLI says so on stderr (the FIFO removed first: `go list` itself would wait on it until its time limit)
      fs.rmSync(path.join(dir, 'pipe.go'));
      const errs: string[] = [];
      const orig = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((s: string) => (errs.push(s), true)) as typeof process.stderr.write;
      const outs: string[] = [];
      try {
        assert.equal(await main(['symbols', dir], { write: (s: string) => (outs.push(s), true) } as unknown as NodeJS.WritableStream), 0);
      } finally {
        process.stderr.write = orig;
      }
      assert.match(errs.join(''), /pgo-lens symbols: warning: .*big\.go: skipped: it has 8388609 bytes, more than the 8 MiB limit for a Go source file\n/);
      assert.match(outs.join(''), /\tmain\.helper\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
