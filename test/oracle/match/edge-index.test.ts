/**
 * The typed-array profile indexes on the real profile shipped with the Go toolchain
 * (GOROOT/src/cmd/compile/default.pgo: 3,106 heat functions, 3,532 edges, 46 generic
 * instantiations): every site, caller and name answers as the string-keyed maps did
 * (test/unit/match/table-reference.ts), at the compiler's default threshold and a lower one.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadProfileBytes } from '../../../src/pgo/load';
import { hotSet } from '../../../src/pgo/model';
import { assertSameLookups } from '../../unit/match/table-reference';
import { goroot, requireGo } from '../goenv';

describe("profile indexes on cmd/compile's default.pgo", requireGo(), () => {
  it('equal the string-keyed maps on every site, caller and name', () => {
    const { profile } = loadProfileBytes(fs.readFileSync(path.join(goroot(), 'src', 'cmd', 'compile', 'default.pgo')));
    for (const threshold of [99, 90]) {
      const cov = assertSameLookups(profile, hotSet(profile, threshold));
      assert.ok(cov.sites > 1000 && cov.multiEdgeSites > 10 && cov.genericKeysWithSeveralNames >= 5, JSON.stringify(cov));
    }
  });
});
