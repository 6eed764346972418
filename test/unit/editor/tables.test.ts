import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { capabilities, contributes } from '../../../src/editor/contributes';
import { COMMANDS, HEAT_LEVELS, heatLegend, heatLevel, pgoFlag, SETTINGS } from '../../../src/editor/tables';
import { HEAT_TOP_FRACTIONS } from '../../../src/pgo/heatscale';
import { repoRoot } from '../../paths';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('editor tables', () => {
  it('package.json contributes is generated from the tables (run scripts/contributes.mjs)', () => {
    assert.deepEqual(pkg.contributes, JSON.parse(JSON.stringify(contributes())));
    assert.deepEqual(pkg.capabilities, JSON.parse(JSON.stringify(capabilities())));
    // every setting that fetches, runs or writes is restricted in untrusted workspaces
    for (const k of ['profile', 'refresh.endpoints', 'refresh.benchmark.package'])
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(`pgoLens.${k}`), k);
  });
  it('the README documents every setting and command', () => {
    for (const s of SETTINGS) assert.ok(readme.includes(`pgoLens.${s.key}`), `README lacks pgoLens.${s.key}`);
    for (const c of COMMANDS.filter((c) => c.palette)) assert.ok(readme.includes(c.title), `README lacks command ${c.title}`);
  });
  it('every heat level has its gutter icons', () => {
    for (const l of HEAT_LEVELS) for (const t of ['light', 'dark']) assert.ok(fs.existsSync(path.join(repoRoot, 'media', `heat-${l.id}-${t}.svg`)));
  });
  it("maps the worker's ranked levels to heat levels above the floor", () => {
    assert.equal(heatLevel(0, 0, 0), null);
    assert.equal(heatLevel(4, 0.3, 0.5), null); // the user's floor wins
    assert.equal(heatLevel(1, 0.001, 0)?.name, 'warm');
    assert.equal(heatLevel(2, 0.001, 0)?.name, 'hot');
    assert.equal(heatLevel(3, 0.6, 0.5)?.name, 'hotter');
    assert.equal(heatLevel(4, 0.0057, 0)?.name, 'hottest'); // a wide profile's hottest line is visible by default
  });
  it('the legend is the ranking the worker applies', () => {
    assert.deepEqual(
      HEAT_LEVELS.slice(1).map((l) => l.top),
      [...HEAT_TOP_FRACTIONS],
    );
    assert.equal(heatLegend(HEAT_LEVELS[3]), "hottest: top 2 % of the profile's lines with samples");
    assert.equal(SETTINGS.find((s) => s.key === 'heat.minPercent')?.default, 0);
  });
  it('finds -pgo in build flags like the go command', () => {
    assert.equal(pgoFlag(['-tags=x', '-pgo=prod.pgo']), 'prod.pgo');
    assert.equal(pgoFlag(['-pgo', 'off']), 'off');
    assert.equal(pgoFlag(['--pgo=a', '-pgo=b']), 'b');
    assert.equal(pgoFlag(['-race']), undefined);
  });
});
