/**
 * Setting values checked against their table entry (no `vscode` import): the default, the type,
 * the enum and the bounds all come from `SETTINGS` in tables.ts, the table package.json's
 * `contributes.configuration` is generated from, so no default is written twice.
 */
import { SETTINGS, type SettingKey } from './tables';

type Spec<K extends SettingKey> = Extract<(typeof SETTINGS)[number], { key: K }>;

/** The value type of a setting: its enum's members, else its JSON type. */
export type SettingValue<K extends SettingKey> =
  Spec<K> extends { enum: readonly (infer E)[] }
    ? E
    : Spec<K>['type'] extends 'boolean'
      ? boolean
      : Spec<K>['type'] extends 'number'
        ? number
        : Spec<K>['type'] extends 'string'
          ? string
          : string[];

export class UnknownSettingError extends Error {
  constructor(readonly key: string) {
    super(`pgoLens.${key} is not a setting of Go PGO Lens`);
    this.name = 'UnknownSettingError';
  }
}

/**
 * `raw` (what the configuration holds, undefined when unset) as a valid value of `key`: the
 * table's default when it has the wrong type or is not one of the enum's members; numbers are
 * clamped to the declared bounds; strings are trimmed; arrays keep their non-empty strings.
 */
export function settingValue<K extends SettingKey>(key: K, raw: unknown): SettingValue<K> {
  const spec = SETTINGS.find((s) => s.key === key) as (typeof SETTINGS)[number] | undefined;
  if (!spec) throw new UnknownSettingError(key);
  return check(spec, raw) as SettingValue<K>;
}

function check(spec: (typeof SETTINGS)[number], raw: unknown): unknown {
  const def = spec.default;
  switch (spec.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? raw : def;
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return def;
      const min = 'minimum' in spec ? spec.minimum : -Infinity;
      const max = 'maximum' in spec ? spec.maximum : Infinity;
      return Math.min(max, Math.max(min, raw));
    }
    case 'string': {
      if (typeof raw !== 'string') return def;
      const v = raw.trim();
      if ('enum' in spec) return (spec.enum as readonly string[]).includes(v) ? v : def;
      return v;
    }
    case 'array':
      return Array.isArray(raw)
        ? raw.filter((e): e is string => typeof e === 'string' && e.trim() !== '').map((e) => e.trim())
        : [...(def as readonly string[])];
  }
}
