import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stateMessage, stateStatusText } from '../../../src/editor/state';

describe('overlay states (never "no profile" while loading)', () => {
  it('says loading, with the elapsed time after a second', () => {
    const s = { kind: 'loading', why: 'activation', startedAt: 1_000 } as const;
    assert.equal(stateStatusText(s), '$(sync~spin) PGO: loading…');
    assert.ok(!stateStatusText(s)!.includes('no profile'));
    assert.equal(stateMessage(s, 1_500), 'Loading profiles and indexing the workspace (activation)…');
    assert.equal(stateMessage(s, 15_200), 'Loading profiles and indexing the workspace (activation): 14 s so far…');
  });
  it('says stale, error and disabled, and nothing extra when ready', () => {
    assert.equal(stateStatusText({ kind: 'stale', why: 'default.pgo changed on disk' }), '$(history) PGO: stale');
    assert.match(stateMessage({ kind: 'stale', why: 'default.pgo changed on disk' })!, /^Stale: default\.pgo changed on disk; reloading/);
    assert.equal(stateMessage({ kind: 'error', message: 'worker exited' }), 'Could not load the profiles: worker exited');
    assert.equal(stateStatusText({ kind: 'disabled', why: 'hidden' }), '$(eye-closed) PGO: hidden');
    assert.match(stateMessage({ kind: 'disabled', why: 'pgo-off' })!, /-pgo=off/);
    assert.equal(stateStatusText({ kind: 'ready' }), null);
    assert.equal(stateMessage({ kind: 'ready' }), null);
  });
});
