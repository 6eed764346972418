import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { capabilities, contributes } from '../../../src/editor/contributes';
import { COMMANDS, HEAT_LEVELS, heatLevel, pgoFlag, SETTINGS } from '../../../src/editor/tables';
import { repoRoot } from '../../paths';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('editor tables', () => {
  it('package.json contributes is generated from the tables (run scripts/contributes.mjs)', () => {
    assert.deepEqual(pkg.contributes, JSON.parse(JSON.stringify(contributes())));
    assert.deepEqual(pkg.capabilities, JSON.parse(JSON.stringify(capabilities())));
    // every setting that fetches, runs or writes is restricted in untrusted workspaces
    for (const k of ['profile', 'refresh.endpoints', 'refresh.benchmark.package']) assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(`pgoLens.${k}`), k);
  });
  it('the README documents every setting and command', () => {
    for (const s of SETTINGS) assert.ok(readme.includes(`pgoLens.${s.key}`), `README lacks pgoLens.${s.key}`);
    for (const c of COMMANDS.filter((c) => c.palette)) assert.ok(readme.includes(c.title), `README lacks command ${c.title}`);
  });
  it('every heat level has its gutter icons', () => {
    for (const l of HEAT_LEVELS) for (const t of ['light', 'dark']) assert.ok(fs.existsSync(path.join(repoRoot, 'media', `heat-${l.id}-${t}.svg`)));
  });
  it('maps percentages to heat levels above the floor', () => {
    assert.equal(heatLevel(0, 0), null);
    assert.equal(heatLevel(0.3, 0.5), null);
    assert.equal(heatLevel(0.6, 0.5)?.name, 'warm');
    assert.equal(heatLevel(3, 0.5)?.name, 'hot');
    assert.equal(heatLevel(7, 0.5)?.name, 'hotter');
    assert.equal(heatLevel(50, 0.5)?.name, 'hottest');
  });
  it('finds -pgo in build flags like the go command', () => {
    assert.equal(pgoFlag(['-tags=x', '-pgo=prod.pgo']), 'prod.pgo');
    assert.equal(pgoFlag(['-pgo', 'off']), 'off');
    assert.equal(pgoFlag(['--pgo=a', '-pgo=b']), 'b');
    assert.equal(pgoFlag(['-race']), undefined);
  });
});
