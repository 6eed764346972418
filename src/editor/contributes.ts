/** package.json `contributes`, derived from the tables (see scripts/contributes.mjs). */
import { COMMAND_CATEGORY, COMMANDS, CUSTOM_EDITORS, HEAT_LEVELS, SETTINGS, SETTINGS_PREFIX, themeColorId } from './tables';

/** package.json `capabilities`: which settings an untrusted workspace may not set. */
export function capabilities(): Record<string, unknown> {
  return {
    untrustedWorkspaces: {
      supported: 'limited',
      description:
        'In an untrusted workspace Go PGO Lens runs no go or git command there (package paths come from go.mod), refreshes no profile, confirms nothing with the compiler, and ignores the workspace values of the settings that fetch, run or write something.',
      restrictedConfigurations: SETTINGS.filter((s) => 'restricted' in s && s.restricted).map((s) => `${SETTINGS_PREFIX}.${s.key}`),
    },
  };
}

export function contributes(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const { key, restricted: _, ...rest } = s as { key: string; restricted?: boolean } & Record<string, unknown>;
    properties[`${SETTINGS_PREFIX}.${key}`] = { ...rest, markdownDescription: rest['description'], description: undefined };
    delete (properties[`${SETTINGS_PREFIX}.${key}`] as Record<string, unknown>)['description'];
  }
  return {
    configuration: { title: 'Go PGO Lens', properties },
    commands: COMMANDS.map((c) => ({
      command: c.id,
      title: c.title,
      category: COMMAND_CATEGORY,
      ...('icon' in c ? { icon: c.icon } : {}),
      ...('when' in c ? { enablement: c.when } : {}),
    })),
    menus: {
      commandPalette: COMMANDS.flatMap((c): Array<{ command: string; when: string }> =>
        !c.palette ? [{ command: c.id, when: 'false' }] : 'when' in c ? [{ command: c.id, when: c.when }] : [],
      ),
      'view/title': [
        { command: 'pgoLens.reload', when: 'view == pgoLens.view', group: 'navigation' },
        { command: 'pgoLens.toggleOverlay', when: 'view == pgoLens.view', group: 'navigation' },
        { command: 'pgoLens.confirmDecisions', when: 'view == pgoLens.view && isWorkspaceTrusted && pgoLens.hasProfile', group: 'navigation' },
        { command: 'pgoLens.refreshProfile', when: 'view == pgoLens.view && isWorkspaceTrusted', group: 'navigation' },
        { command: 'pgoLens.openExplorer', when: 'view == pgoLens.view && pgoLens.hasProfile', group: 'navigation' },
        { command: 'pgoLens.compareProfiles', when: 'view == pgoLens.view', group: '1_explore' },
        { command: 'pgoLens.view.filter', when: 'view == pgoLens.view && pgoLens.hasProfile', group: '2_list' },
        { command: 'pgoLens.view.sort', when: 'view == pgoLens.view && pgoLens.hasProfile', group: '2_list' },
      ],
      'view/item/context': [
        { command: 'pgoLens.view.open', when: 'view == pgoLens.view && viewItem =~ /pgoEntry|pgoPlain/', group: '1_open@1' },
        { command: 'pgoLens.view.copySymbol', when: 'view == pgoLens.view && viewItem =~ /pgoEntry/', group: '9_copy@1' },
        { command: 'pgoLens.view.fix', when: 'view == pgoLens.view && isWorkspaceTrusted && viewItem =~ /pgoRename|pgoRealign/', group: 'inline' },
        { command: 'pgoLens.view.fix', when: 'view == pgoLens.view && isWorkspaceTrusted && viewItem =~ /pgoRename|pgoRealign/', group: '2_fix@1' },
        { command: 'pgoLens.view.showAll', when: 'view == pgoLens.view && viewItem == pgoMore', group: 'inline' },
      ],
      'explorer/context': [{ command: 'pgoLens.openExplorer', when: 'resourceExtname == .pgo || resourceExtname == .pprof', group: 'navigation@90' }],
    },
    customEditors: CUSTOM_EDITORS.map((e) => ({ ...e, selector: e.selector.map((x) => ({ ...x })) })),
    views: { explorer: [{ id: 'pgoLens.view', name: 'Go PGO', icon: 'media/icon.svg', contextualTitle: 'Go PGO Lens' }] },
    viewsWelcome: [
      { view: 'pgoLens.view', when: 'pgoLens.loading', contents: 'Loading profiles and indexing the workspace…' },
      {
        view: 'pgoLens.view',
        when: '!pgoLens.loading',
        contents:
          'No profile found. The Go compiler uses a `default.pgo` next to a main package (`go build -pgo=auto`).\n[Refresh Profile…](command:pgoLens.refreshProfile)\n[Reload Profiles](command:pgoLens.reload)',
      },
    ],
    colors: HEAT_LEVELS.flatMap((l) => [
      {
        id: themeColorId(l, 'background'),
        description: `Background of ${l.name} lines (heat level ${l.id}).`,
        defaults: { dark: l.background.dark, light: l.background.light, highContrast: null, highContrastLight: null },
      },
      {
        id: themeColorId(l, 'ruler'),
        description: `Overview ruler mark of ${l.name} lines (heat level ${l.id}).`,
        defaults: { dark: l.ruler.dark, light: l.ruler.light, highContrast: l.ruler.dark, highContrastLight: l.ruler.light },
      },
    ]),
  };
}
