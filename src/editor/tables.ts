/**
 * The tables that drive the editor edge: settings, commands and heat levels. Pure data (no
 * `vscode` import): package.json's contributions and the README are checked against them by
 * unit tests, so the three never drift apart.
 */

export const SETTINGS_PREFIX = 'pgoLens';
export const COMMAND_CATEGORY = 'Go PGO';

export interface SettingSpec {
  key: string;
  type: 'boolean' | 'number' | 'string' | 'array';
  default: boolean | number | string | readonly string[];
  /** For arrays: the item schema. */
  items?: { type: 'string' };
  description: string;
  enum?: string[];
  enumDescriptions?: string[];
  minimum?: number;
  maximum?: number;
  scope?: 'window' | 'resource' | 'machine-overridable';
  /**
   * Ignored from the workspace in an untrusted workspace (package.json
   * `capabilities.untrustedWorkspaces.restrictedConfigurations`): settings that make us fetch,
   * run or write something.
   */
  restricted?: boolean;
}

export const SETTINGS = [
  { key: 'enable', type: 'boolean', default: true, description: 'Show PGO heat, decisions and hovers for Go files.' },
  { key: 'heat.enable', type: 'boolean', default: true, description: 'Mark hot lines in the gutter, the line background and the overview ruler.' },
  {
    key: 'heat.metric',
    type: 'string',
    default: 'flat',
    enum: ['flat', 'cum'],
    enumDescriptions: ['Samples in the line itself (leaf frames).', 'Samples in the line and everything it calls.'],
    description: 'Which sample weight drives the heat of a line.',
  },
  {
    key: 'heat.minPercent',
    type: 'number',
    default: 0,
    minimum: 0,
    maximum: 100,
    description:
      'Lines below this share of the profile (in the heat metric) get no heat; 0 marks every line with samples. The levels are relative to the profile: the hottest 2 %, 10 % and 30 % of its lines with samples, then the rest.',
  },
  {
    key: 'decisions.style',
    type: 'string',
    default: 'annotation',
    enum: ['annotation', 'codeLens', 'off'],
    enumDescriptions: [
      'Text at the end of the line, naming each call (and its column when a line has several); never moves code.',
      'A CodeLens above the call; inserts a line into the editor, so code moves when lenses appear or go.',
      'None in the editor; the hover still tells the decisions.',
    ],
    description:
      'How the calls the compiler inlines with the hot budget or devirtualizes are shown. Zero-weight edges show nothing; the hover has the full story of each decision.',
  },
  {
    key: 'hotCallsiteThreshold',
    type: 'number',
    default: 99,
    minimum: 0,
    maximum: 100,
    description: "The compiler's hot call-site CDF threshold in percent (`-d=pgoinlinecdfthreshold`). Leave at 99 unless you build with that flag.",
  },
  {
    key: 'profile',
    type: 'string',
    default: '',
    scope: 'resource',
    restricted: true,
    description:
      'A profile applied to every main package, like `go build -pgo=FILE` (relative to the workspace folder). Empty: each main package uses its own default.pgo (`-pgo=auto`), or a `-pgo=` found in `go.buildFlags` or GOFLAGS. `off` disables PGO.',
  },
  {
    key: 'diagnostics.minPercent',
    type: 'number',
    default: 0.5,
    minimum: 0,
    maximum: 100,
    description:
      "Report a profile function that no longer matches the source (renamed, moved, removed, or its call sites shifted) when it carries at least this share of the profile's edge weight.",
  },
  {
    key: 'diagnostics.severity',
    type: 'string',
    default: 'warning',
    enum: ['error', 'warning', 'information', 'hint'],
    description: 'Severity of the refactor-impact diagnostics in the Problems panel.',
  },
  {
    key: 'debounceMs',
    type: 'number',
    default: 250,
    minimum: 0,
    maximum: 5000,
    description: 'Delay after typing before heat and decisions are recomputed from the unsaved text.',
  },
  {
    key: 'compiler.confirm',
    type: 'string',
    default: 'auto',
    enum: ['auto', 'onCommand'],
    enumDescriptions: [
      'In a trusted workspace, confirm the decisions with the compiler in the background after the workspace loads and after each save (the go build cache answers unchanged packages; a newer save cancels a running build).',
      'Only when you run Confirm Decisions with the Compiler.',
    ],
    scope: 'resource',
    restricted: true,
    description:
      "When to build the main packages with the compiler's decision output and show on each decision whether the compiler confirmed it. Untrusted workspaces never run the compiler and show predictions only.",
  },
  {
    key: 'refresh.endpoints',
    type: 'array',
    items: { type: 'string' },
    default: [],
    scope: 'resource',
    restricted: true,
    description:
      'CPU profile endpoints of running services that **Refresh Profile** collects from, all at once: `http(s)://host:port/debug/pprof/profile` (from `net/http/pprof`) or just `host:port`.',
  },
  {
    key: 'refresh.seconds',
    type: 'number',
    default: 30,
    minimum: 1,
    maximum: 3600,
    description: 'How many seconds each service is profiled for (the same for all, so merged profiles weigh equally).',
  },
  { key: 'refresh.maxMegabytes', type: 'number', default: 256, minimum: 1, maximum: 4096, description: 'Largest profile accepted from one endpoint.' },
  {
    key: 'refresh.benchmark.package',
    type: 'string',
    default: '',
    scope: 'resource',
    restricted: true,
    description:
      'Package directory (relative to the workspace folder) whose benchmarks **Refresh Profile** runs with `go test -bench -cpuprofile`. Empty: ask.',
  },
  { key: 'refresh.benchmark.pattern', type: 'string', default: '.', scope: 'resource', restricted: true, description: 'The `-bench` regular expression.' },
  {
    key: 'refresh.benchmark.benchtime',
    type: 'string',
    default: '',
    scope: 'resource',
    restricted: true,
    description: "The `-benchtime` (`5s`, `1000x`); empty: go test's default (1s).",
  },
  {
    key: 'refresh.normalize',
    type: 'boolean',
    default: false,
    description: "Scale each collected profile to the longest one's duration before merging (the Go PGO guide: merged profiles should cover equal durations).",
  },
  {
    key: 'evaluate.count',
    type: 'number',
    default: 6,
    minimum: 1,
    maximum: 100,
    description: '**Evaluate PGO Payoff**: benchmark runs per side, alternating (benchstat needs at least 6 for a confidence interval).',
  },
  {
    key: 'evaluate.benchtime',
    type: 'string',
    default: '',
    description: "**Evaluate PGO Payoff**: `-benchtime` of each run (`1s`, `100x`); empty: go test's default (1s).",
  },
  {
    key: 'evaluate.buildTime',
    type: 'boolean',
    default: true,
    description: '**Evaluate PGO Payoff**: measure one cold build (`go build -a`) each way; slow on large programs.',
  },
  {
    key: 'evaluate.frameThreshold',
    type: 'number',
    default: 1024,
    minimum: 0,
    description: '**Evaluate PGO Payoff**: warn on a hot function whose stack frame grows by at least this many bytes because of PGO inlining.',
  },
] as const satisfies readonly SettingSpec[];

export type SettingKey = (typeof SETTINGS)[number]['key'];

export interface CommandSpec {
  id: string;
  title: string;
  icon?: string;
  /** Shown in the command palette (false for commands used by views only). */
  palette: boolean;
  /** When shown and enabled in the palette (a context key expression). */
  when?: string;
}

export const COMMANDS = [
  { id: 'pgoLens.toggleOverlay', title: 'Toggle Hotness Overlay', icon: '$(flame)', palette: true },
  { id: 'pgoLens.reload', title: 'Reload Profiles', icon: '$(refresh)', palette: true },
  { id: 'pgoLens.selectBinary', title: 'Select Binary…', palette: true },
  { id: 'pgoLens.showReport', title: 'Show Report', palette: true },
  { id: 'pgoLens.showLog', title: 'Show Log', palette: true },
  { id: 'pgoLens.rewriteProfile', title: 'Rewrite Profile to Match the Source', palette: true },
  { id: 'pgoLens.undoRewrite', title: 'Undo Profile Rewrite', palette: true, when: 'pgoLens.canUndo' },
  { id: 'pgoLens.refreshProfile', title: 'Refresh Profile…', icon: '$(cloud-download)', palette: true },
  { id: 'pgoLens.showChanges', title: 'Show Profile Changes', palette: true, when: 'pgoLens.hasChanges' },
  { id: 'pgoLens.confirmDecisions', title: 'Confirm Decisions with the Compiler', icon: '$(verified)', palette: true },
  { id: 'pgoLens.trimProfile', title: 'Trim Profile…', palette: true },
  { id: 'pgoLens.evaluate', title: 'Evaluate PGO Payoff…', icon: '$(dashboard)', palette: true },
  { id: 'pgoLens.openLocation', title: 'Open Location', palette: false },
  { id: 'pgoLens.view.filter', title: 'Filter the Go PGO View…', icon: '$(filter)', palette: false },
  { id: 'pgoLens.view.sort', title: 'Sort the Go PGO View…', icon: '$(list-ordered)', palette: false },
  { id: 'pgoLens.view.more', title: 'Show More', palette: false },
  { id: 'pgoLens.view.showAll', title: 'Show All', icon: '$(unfold)', palette: false },
  { id: 'pgoLens.view.open', title: 'Open', palette: false },
  { id: 'pgoLens.view.copySymbol', title: 'Copy Symbol', palette: false },
  { id: 'pgoLens.view.fix', title: 'Apply This Fix to the Profile', icon: '$(wrench)', palette: false },
  { id: 'pgoLens.openExplorer', title: 'Open Profile Explorer', icon: '$(graph)', palette: true },
  { id: 'pgoLens.compareProfiles', title: 'Compare Profiles…', icon: '$(diff)', palette: true },
] as const satisfies readonly CommandSpec[];

export type CommandId = (typeof COMMANDS)[number]['id'];

/**
 * The profile explorer as a custom editor: `*.pprof` opens in it by default (VS Code cannot show
 * it otherwise); `*.pgo` (which may be a text preprofile) offers it through "Open With…".
 */
export const CUSTOM_EDITORS = [
  { viewType: 'pgoLens.explorer', displayName: 'Go PGO Profile Explorer', selector: [{ filenamePattern: '*.pprof' }], priority: 'default' },
  { viewType: 'pgoLens.explorerPgo', displayName: 'Go PGO Profile Explorer', selector: [{ filenamePattern: '*.pgo' }], priority: 'option' },
] as const;

/**
 * Heat levels, coolest first. The worker ranks each line among the profile's lines with samples
 * (src/pgo/heatscale.ts): `top` is the fraction of those lines that reach the level (the legend).
 */
export const HEAT_LEVELS = [
  { id: 1, name: 'warm', top: 1, background: { dark: '#ff990012', light: '#ff990014' }, ruler: { dark: '#ff990060', light: '#ff990080' } },
  { id: 2, name: 'hot', top: 0.3, background: { dark: '#ff660022', light: '#ff660024' }, ruler: { dark: '#ff6600a0', light: '#ff6600b0' } },
  { id: 3, name: 'hotter', top: 0.1, background: { dark: '#ff330033', light: '#ff330030' }, ruler: { dark: '#ff3300d0', light: '#ff3300e0' } },
  { id: 4, name: 'hottest', top: 0.02, background: { dark: '#ff000044', light: '#ff00003a' }, ruler: { dark: '#ff0000', light: '#e00000' } },
] as const;

export type HeatLevel = (typeof HEAT_LEVELS)[number];

/** The level (1–4, from the worker's ranking) of a line at `percent` of the profile, or null below `minPercent` (the user's floor). */
export function heatLevel(level: number, percent: number, minPercent: number): HeatLevel | null {
  if (!(level >= 1) || !(percent > 0) || percent < minPercent) return null;
  return HEAT_LEVELS[Math.min(level, HEAT_LEVELS.length) - 1]!;
}

/** The legend of a level: `hottest: top 2 % of the profile's lines`. */
export function heatLegend(level: HeatLevel): string {
  return level.top >= 1 ? `${level.name}: a line with samples` : `${level.name}: top ${level.top * 100} % of the profile's lines with samples`;
}

export function themeColorId(level: HeatLevel, what: 'background' | 'ruler'): string {
  return `pgoLens.heat${level.id}.${what}`;
}

/** Parses `-pgo=…` out of build flags (go.buildFlags, GOFLAGS); the last one wins like the go command. */
export function pgoFlag(flags: readonly string[]): string | undefined {
  let v: string | undefined;
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    const m = /^--?pgo(?:=(.*))?$/.exec(f);
    if (!m) continue;
    v = m[1] ?? flags[i + 1];
    if (m[1] === undefined) i++;
  }
  return v;
}
