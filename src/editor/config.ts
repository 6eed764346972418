/** Typed settings, read through the table (tables.ts `SETTINGS`: keys, defaults, enums and bounds are written only there). */
import * as vscode from 'vscode';
import { settingValue, type SettingValue } from './settings';
import { pgoFlag, type SettingKey, SETTINGS_PREFIX } from './tables';

export interface Settings {
  enable: boolean;
  heatEnable: boolean;
  heatMetric: SettingValue<'heat.metric'>;
  heatMinPercent: number;
  /** `annotation`: end-of-line text after the calls (never moves code); `codeLens`; `off`. */
  decisionsStyle: SettingValue<'decisions.style'>;
  hotCallsiteThreshold: number;
  profile: string;
  debounceMs: number;
  diagnosticsMinPercent: number;
  diagnosticsSeverity: SettingValue<'diagnostics.severity'>;
  /** `auto`: background compiler confirmation after load and saves (trusted workspaces); `onCommand`: only on request. */
  confirm: SettingValue<'compiler.confirm'>;
}

export interface RefreshSettings {
  endpoints: string[];
  seconds: number;
  maxBytes: number;
  benchmarkPackage: string;
  benchmarkPattern: string;
  benchmarkBenchtime: string;
  normalize: boolean;
}

export interface EvaluateSettings {
  count: number;
  benchtime: string;
  buildTime: boolean;
  frameThreshold: number;
}

/** A reader of one folder's settings: each value checked against its table entry. */
function reader(scope?: vscode.Uri): <K extends SettingKey>(key: K) => SettingValue<K> {
  const c = vscode.workspace.getConfiguration(SETTINGS_PREFIX, scope);
  return (key) => settingValue(key, c.get<unknown>(key));
}

/** Refresh settings for a folder. In an untrusted workspace VS Code already ignores the workspace values of restricted ones. */
export function readRefreshSettings(scope?: vscode.Uri): RefreshSettings {
  const get = reader(scope);
  return {
    endpoints: get('refresh.endpoints'),
    seconds: Math.floor(get('refresh.seconds')),
    maxBytes: get('refresh.maxMegabytes') * 1024 * 1024,
    benchmarkPackage: get('refresh.benchmark.package'),
    // an empty pattern would run no benchmark: the table's default instead
    benchmarkPattern: get('refresh.benchmark.pattern') || settingValue('refresh.benchmark.pattern', undefined),
    benchmarkBenchtime: get('refresh.benchmark.benchtime'),
    normalize: get('refresh.normalize'),
  };
}

/** *Evaluate PGO Payoff* settings for a main package's folder. */
export function readEvaluateSettings(scope?: vscode.Uri): EvaluateSettings {
  const get = reader(scope);
  return {
    count: Math.floor(get('evaluate.count')),
    benchtime: get('evaluate.benchtime'),
    buildTime: get('evaluate.buildTime'),
    frameThreshold: get('evaluate.frameThreshold'),
  };
}

export function readSettings(scope?: vscode.Uri): Settings {
  const get = reader(scope);
  return {
    enable: get('enable'),
    heatEnable: get('heat.enable'),
    heatMetric: get('heat.metric'),
    heatMinPercent: get('heat.minPercent'),
    decisionsStyle: get('decisions.style'),
    hotCallsiteThreshold: get('hotCallsiteThreshold'),
    profile: get('profile'),
    debounceMs: get('debounceMs'),
    diagnosticsMinPercent: get('diagnostics.minPercent'),
    diagnosticsSeverity: get('diagnostics.severity'),
    confirm: get('compiler.confirm'),
  };
}

/**
 * The `-pgo=` the go command would use: our setting, else go.buildFlags (vscode-go), else GOFLAGS.
 * Returns undefined for auto, 'off', or a path (resolved against the folder).
 */
export function pgoOverride(folder: vscode.WorkspaceFolder | undefined): string | undefined {
  const own = readSettings(folder?.uri).profile;
  const fromGo = pgoFlag(vscode.workspace.getConfiguration('go', folder?.uri).get<string[]>('buildFlags', []) ?? []);
  const fromEnv = pgoFlag((process.env['GOFLAGS'] ?? '').split(/\s+/).filter(Boolean));
  const v = own || fromGo || fromEnv;
  if (!v || v === 'auto') return undefined;
  if (v === 'off') return 'off';
  return folder && !v.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(v) ? vscode.Uri.joinPath(folder.uri, v).fsPath : v;
}

export function affectsUs(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SETTINGS_PREFIX) || e.affectsConfiguration('go.buildFlags');
}
