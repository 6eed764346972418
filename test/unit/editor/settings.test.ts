import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { settingValue, UnknownSettingError } from '../../../src/editor/settings';
import { type SettingKey, SETTINGS } from '../../../src/editor/tables';
import { repoRoot } from '../../paths';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

describe('settings read through the one table', () => {
  it("an unset setting is package.json's default", () => {
    for (const s of SETTINGS) assert.deepEqual(settingValue(s.key, undefined), pkg.contributes.configuration.properties[`pgoLens.${s.key}`].default, s.key);
  });
  it('a value of the wrong type or outside the enum is the default', () => {
    assert.equal(settingValue('enable', 'yes'), true);
    assert.equal(settingValue('decisions.style', 'lens'), 'annotation');
    assert.equal(settingValue('decisions.style', ' codeLens '), 'codeLens');
    assert.equal(settingValue('debounceMs', Number.NaN), 250);
    assert.deepEqual(settingValue('refresh.endpoints', 'host:1'), []);
  });
  it('numbers are clamped to the declared bounds, strings trimmed, arrays keep non-empty strings', () => {
    assert.equal(settingValue('hotCallsiteThreshold', 120), 100);
    assert.equal(settingValue('hotCallsiteThreshold', -1), 0);
    assert.equal(settingValue('refresh.seconds', 0), 1);
    assert.equal(settingValue('profile', '  prod.pgo '), 'prod.pgo');
    assert.deepEqual(settingValue('refresh.endpoints', [' a:1 ', '', 3, 'b:2']), ['a:1', 'b:2']);
  });
  it('an unknown key is a typed error', () => {
    assert.throws(() => settingValue('codeLens.enable' as SettingKey, true), UnknownSettingError);
  });
});
