/** Typed settings, read through the table (one place knows the keys). */
import * as vscode from 'vscode';
import { pgoFlag, SETTINGS_PREFIX } from './tables';

export interface Settings {
  enable: boolean;
  heatEnable: boolean;
  heatMetric: 'flat' | 'cum';
  heatMinPercent: number;
  codeLensEnable: boolean;
  hotCallsiteThreshold: number;
  profile: string;
  debounceMs: number;
  diagnosticsMinPercent: number;
  diagnosticsSeverity: 'error' | 'warning' | 'information' | 'hint';
  confirmOnSave: boolean;
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

/** Refresh settings for a folder. In an untrusted workspace VS Code already ignores the workspace values of restricted ones. */
export function readRefreshSettings(scope?: vscode.Uri): RefreshSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_PREFIX, scope);
  const eps = c.get<unknown>('refresh.endpoints', []);
  const seconds = c.get<number>('refresh.seconds', 30);
  const mb = c.get<number>('refresh.maxMegabytes', 256);
  return {
    endpoints: Array.isArray(eps) ? eps.filter((e): e is string => typeof e === 'string' && e.trim() !== '').map((e) => e.trim()) : [],
    seconds: Number.isInteger(seconds) && seconds >= 1 ? seconds : 30,
    maxBytes: (typeof mb === 'number' && mb > 0 ? mb : 256) * 1024 * 1024,
    benchmarkPackage: c.get<string>('refresh.benchmark.package', '').trim(),
    benchmarkPattern: c.get<string>('refresh.benchmark.pattern', '.').trim() || '.',
    benchmarkBenchtime: c.get<string>('refresh.benchmark.benchtime', '').trim(),
    normalize: c.get<boolean>('refresh.normalize', false),
  };
}

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration(SETTINGS_PREFIX, scope);
  const num = (k: string, d: number): number => {
    const v = c.get<number>(k, d);
    return typeof v === 'number' && Number.isFinite(v) ? v : d;
  };
  return {
    enable: c.get<boolean>('enable', true),
    heatEnable: c.get<boolean>('heat.enable', true),
    heatMetric: c.get<string>('heat.metric', 'flat') === 'cum' ? 'cum' : 'flat',
    heatMinPercent: num('heat.minPercent', 0),
    codeLensEnable: c.get<boolean>('codeLens.enable', true),
    hotCallsiteThreshold: Math.min(100, Math.max(0, num('hotCallsiteThreshold', 99))),
    profile: c.get<string>('profile', '').trim(),
    debounceMs: Math.max(0, num('debounceMs', 250)),
    diagnosticsMinPercent: num('diagnostics.minPercent', 0.5),
    diagnosticsSeverity: (['error', 'warning', 'information', 'hint'] as const).find((v) => v === c.get<string>('diagnostics.severity')) ?? 'warning',
    confirmOnSave: c.get<boolean>('compiler.confirmOnSave', false),
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
