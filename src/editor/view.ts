/**
 * The "Go PGO" view: hottest functions, hot call sites, devirtualized calls, unmatched symbols,
 * and the profiled functions edited since the profile's commit (git).
 */
import * as vscode from 'vscode';
import type { BinaryDetails, BinarySummary } from '../worker/protocol';
import { binaryLabel, OF_PROFILE, pct, shortSymbol } from './format';

type Node =
  | { kind: 'binary'; binary: BinarySummary }
  | { kind: 'section'; binary: string; section: keyof Omit<BinaryDetails, 'binary'>; label: string; count: number }
  | { kind: 'history'; binary: BinarySummary }
  /** `line` is 0-based like everything the worker sends. */
  | { kind: 'entry'; label: string; description: string; tooltip: string; file: string | null; line: number | null; icon: string };

const SECTIONS: Array<{ section: keyof Omit<BinaryDetails, 'binary'>; label: string }> = [
  { section: 'hottestFunctions', label: 'Hottest functions' },
  { section: 'hotCallSites', label: 'Hot call sites' },
  { section: 'devirtualizations', label: 'Devirtualized calls' },
  { section: 'unmatched', label: 'No longer matching the profile' },
  { section: 'compilerChanges', label: 'What PGO changed (compiler)' },
];

export class PgoTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly binaries: () => BinarySummary[],
    private readonly details: (binary: string) => Promise<BinaryDetails | undefined>,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    if (n.kind === 'binary') {
      const it = new vscode.TreeItem(binaryLabel(n.binary), vscode.TreeItemCollapsibleState.Expanded);
      it.description = n.binary.error ? n.binary.error.message : `${Math.floor(n.binary.matchedPercent)}% matched`;
      it.tooltip = `${n.binary.mainPackage}\n${n.binary.profile}`;
      it.iconPath = new vscode.ThemeIcon(n.binary.error ? 'warning' : 'package');
      return it;
    }
    if (n.kind === 'history') {
      const h = n.binary.history!;
      const it = new vscode.TreeItem('Edited since the profile was committed', h.changed.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      it.description = `${h.changed.length} · ${h.commit.slice(0, 8)} · ${age(h.time)}`;
      it.tooltip = `${n.binary.profile} was last changed in ${h.commit.slice(0, 12)} (${new Date(h.time * 1000).toLocaleString()}): ${h.subject}\n\nProfiled functions whose source changed since then; their moved call sites no longer get PGO until the profile is rewritten or refreshed.`;
      it.iconPath = new vscode.ThemeIcon('git-commit');
      return it;
    }
    if (n.kind === 'section') {
      const it = new vscode.TreeItem(n.label, n.section === 'unmatched' && n.count === 0 ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
      it.description = String(n.count);
      return it;
    }
    const it = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.None);
    it.description = n.description;
    it.tooltip = n.tooltip;
    it.iconPath = new vscode.ThemeIcon(n.icon);
    if (n.file) it.command = { command: 'pgoLens.openLocation', title: 'Open', arguments: [n.file, (n.line ?? 0) + 1] };
    return it;
  }

  async getChildren(n?: Node): Promise<Node[]> {
    const bins = this.binaries();
    if (!n) {
      if (bins.length === 1) return this.sections(bins[0]!);
      return bins.map((b) => ({ kind: 'binary', binary: b }));
    }
    if (n.kind === 'binary') return this.sections(n.binary);
    if (n.kind === 'history') {
      return n.binary.history!.changed.map((c) => ({
        kind: 'entry',
        label: shortSymbol(c.symbol),
        description: `${share(c.weight, n.binary)} · +${c.added} −${c.removed} lines${c.shiftedSites ? ` · ${c.shiftedSites}/${c.sites} call sites moved` : ''}`,
        tooltip: `${c.symbol}\n${c.file}:${c.line + 1}\n${c.added} lines new or changed, ${c.removed} gone since the profile's commit; ${c.shiftedSites} of its ${c.sites} profiled call sites no longer sit at their recorded offset`,
        file: c.file,
        line: c.line,
        icon: c.shiftedSites ? 'warning' : 'diff',
      }));
    }
    if (n.kind === 'section') {
      const d = await this.details(n.binary);
      if (!d) return [];
      return entries(d, n.section, bins.find((b) => b.id === n.binary));
    }
    return [];
  }

  /** For tests: every entry of one section of the first binary, as the view shows it. */
  async sectionEntries(section: keyof Omit<BinaryDetails, 'binary'>): Promise<Array<{ label: string; description: string; tooltip: string }>> {
    const b = this.binaries()[0];
    if (!b) return [];
    const node = (await this.sections(b)).find((n) => n.kind === 'section' && n.section === section);
    if (!node) return [];
    return (await this.getChildren(node)).flatMap((n) => (n.kind === 'entry' ? [{ label: n.label, description: n.description, tooltip: n.tooltip }] : []));
  }

  private async sections(b: BinarySummary): Promise<Node[]> {
    if (b.error) return [];
    const d = await this.details(b.id);
    if (!d) return [];
    const out: Node[] = SECTIONS.filter((s) => d[s.section] !== null).map((s) => ({ kind: 'section', binary: b.id, section: s.section, label: s.label, count: d[s.section]?.length ?? 0 }));
    if (b.history) out.push({ kind: 'history', binary: b });
    return out;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function age(seconds: number): string {
  const d = Math.max(0, Date.now() / 1000 - seconds);
  if (d < 3600) return `${Math.max(1, Math.round(d / 60))} min ago`;
  if (d < 86400) return `${Math.round(d / 3600)} h ago`;
  return `${Math.round(d / 86400)} days ago`;
}

/** A weight as a share of the profile total: the one percentage base (`go tool pprof`'s). */
function share(weight: number, b: BinarySummary | undefined): string {
  const total = b?.summary?.total ?? 0;
  return `${pct(total !== 0 ? (weight / total) * 100 : 0)} ${OF_PROFILE}`;
}

function entries(d: BinaryDetails, section: keyof Omit<BinaryDetails, 'binary'>, b: BinarySummary | undefined): Node[] {
  switch (section) {
    case 'hottestFunctions':
      return d.hottestFunctions.map((f) => ({
        kind: 'entry',
        label: shortSymbol(f.symbol),
        description: `flat ${pct(f.flatPercent)} · cum ${pct(f.cumPercent)} ${OF_PROFILE}`,
        tooltip: `${f.symbol}\nflat ${f.flat} · cum ${f.cum} (as go tool pprof -top counts them)`,
        file: f.file,
        line: f.line,
        icon: 'symbol-function',
      }));
    case 'hotCallSites':
    case 'devirtualizations':
      return d[section].map((s) => ({
        kind: 'entry',
        label: `${shortSymbol(s.caller)} → ${shortSymbol(s.callee)}`,
        description: `${pct(s.percent)} ${OF_PROFILE} · ${s.file.split('/').pop()}:${s.line + 1}`,
        tooltip: `${s.caller} → ${s.callee} (weight ${s.weight})\n${s.file}:${s.line + 1}`,
        file: s.file,
        line: s.line,
        icon: section === 'devirtualizations' ? 'arrow-swap' : 'flame',
      }));
    case 'compilerChanges':
      return (d.compilerChanges ?? []).map((c) => ({
        kind: 'entry',
        label: `${c.change === 'gained' ? '+' : '−'} ${shortSymbol(c.callee)}`,
        description: `${c.kind === 'devirtualize' ? 'devirtualization' : 'inlining'} · ${c.file.split('/').pop()}:${c.line + 1}${c.stale ? ' · edited since the build' : ''}`,
        tooltip: `${c.text}\n${c.file}:${c.line + 1}`,
        file: c.file,
        line: c.line,
        icon: c.change === 'gained' ? 'diff-added' : 'diff-removed',
      }));
    case 'unmatched':
      return d.unmatched.map((u) => ({
        kind: 'entry',
        label: shortSymbol(u.symbol),
        description: share(u.weight, b),
        tooltip: `${u.symbol}: ${u.reason}`,
        file: u.location?.file ?? null,
        line: u.location?.line ?? null,
        icon: 'warning',
      }));
  }
}
