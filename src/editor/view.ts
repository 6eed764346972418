/**
 * The "Go PGO" view: hottest functions, hot call sites, devirtualized calls, unmatched symbols,
 * and the profiled functions edited since the profile's commit (git).
 */
import * as vscode from 'vscode';
import type { BinaryDetails, BinarySummary, UnmatchedInfo } from '../worker/protocol';
import { binaryLabel, matchedText, OF_PROFILE, pct, shortSymbol } from './format';

type Section = keyof Omit<BinaryDetails, 'binary' | 'totals'>;
/** Sort orders of the view's lists (the worker's DetailsSort): flat is go tool pprof -top's. */
export type ViewSort = 'flat' | 'cum' | 'name' | 'file';

/** What the view asks the worker for: a filter, an order, and how many entries per list. */
export interface ViewQuery {
  limit: number;
  filter?: string;
  sort?: ViewSort;
}

export const PAGE = 50;

type Node =
  | { kind: 'binary'; binary: BinarySummary }
  | { kind: 'section'; binary: string; section: Section; label: string; count: number; total: number; pending?: string }
  | { kind: 'more'; binary: string; section: Section; shown: number; total: number }
  | { kind: 'history'; binary: BinarySummary }
  /** `line` is 0-based like everything the worker sends. */
  | {
      kind: 'entry';
      label: string;
      description: string;
      tooltip: string;
      file: string | null;
      line: number | null;
      icon: string;
      /** For the entry's actions: the profile symbol, its binary and (unmatched) the core's entry. */
      symbol?: string;
      binary?: string;
      unmatched?: UnmatchedInfo;
    };

/** A view entry as the per-entry commands receive it. */
export type ViewEntry = Extract<Node, { kind: 'entry' }>;

const SECTIONS: Array<{ section: Section; label: string }> = [
  { section: 'hottestFunctions', label: 'Hottest functions' },
  { section: 'hotCallSites', label: 'Hot call sites' },
  { section: 'devirtualizations', label: 'Devirtualized calls' },
  { section: 'unmatched', label: 'No longer matching the profile' },
  { section: 'compilerChanges', label: 'What PGO changed (compiler)' },
];

export class PgoTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private filter: string | undefined;
  private sort: ViewSort | undefined;
  /** Entries per list, per binary (grows with "Show more"). */
  private readonly limits = new Map<string, number>();

  constructor(
    private readonly binaries: () => BinarySummary[],
    private readonly details: (binary: string, q: ViewQuery) => Promise<BinaryDetails | undefined>,
  ) {}

  /** The query of a binary's lists now. */
  query(binary: string): ViewQuery {
    return { limit: this.limits.get(binary) ?? PAGE, ...(this.filter ? { filter: this.filter } : {}), ...(this.sort ? { sort: this.sort } : {}) };
  }

  /** Filters every list (case-insensitive substring of symbol, callee or file; empty: no filter). */
  setFilter(filter: string | undefined): void {
    this.filter = filter?.trim() || undefined;
    this.limits.clear();
    this.refresh();
  }

  setSort(sort: ViewSort | undefined): void {
    this.sort = sort;
    this.refresh();
  }

  /** The filter and order now, for the view's description. */
  describe(): string | undefined {
    const parts = [this.filter ? `filter “${this.filter}”` : '', this.sort ? `by ${this.sort}` : ''].filter(Boolean);
    return parts.length ? parts.join(' · ') : undefined;
  }

  /** "Show more" / "Show all": a larger page for one binary's lists. */
  more(binary: string, total: number, all: boolean): void {
    const now = this.limits.get(binary) ?? PAGE;
    this.limits.set(binary, all ? Math.max(now, total) : now + 4 * PAGE);
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    if (n.kind === 'binary') {
      const it = new vscode.TreeItem(binaryLabel(n.binary), vscode.TreeItemCollapsibleState.Expanded);
      it.description = n.binary.error ? n.binary.error.message : matchedText(n.binary);
      it.tooltip = `${n.binary.mainPackage}\n${n.binary.profile}`;
      it.iconPath = new vscode.ThemeIcon(n.binary.error ? 'warning' : 'package');
      return it;
    }
    if (n.kind === 'history') {
      const h = n.binary.history!;
      const it = new vscode.TreeItem(
        'Edited since the profile was committed',
        h.changed.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
      );
      it.description = `${h.changed.length} · ${h.commit.slice(0, 8)} · ${age(h.time)}`;
      it.tooltip = `${n.binary.profile} was last changed in ${h.commit.slice(0, 12)} (${new Date(h.time * 1000).toLocaleString()}): ${h.subject}\n\nProfiled functions whose source changed since then; their moved call sites no longer get PGO until the profile is rewritten or refreshed.`;
      it.iconPath = new vscode.ThemeIcon('git-commit');
      return it;
    }
    if (n.kind === 'section') {
      const it = new vscode.TreeItem(n.label, n.total === 0 ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
      it.description = n.pending ?? (n.total > n.count ? `${n.count} of ${n.total}` : String(n.count));
      if (n.total > n.count)
        it.tooltip = `The first ${n.count} of ${n.total}${this.filter ? ` matching “${this.filter}”` : ''}: Show more at the end of the list.`;
      return it;
    }
    if (n.kind === 'more') {
      const step = Math.min(n.total - n.shown, 4 * PAGE);
      const it = new vscode.TreeItem(`Show ${step} more…`, vscode.TreeItemCollapsibleState.None);
      it.description = `${n.shown} of ${n.total} shown`;
      it.iconPath = new vscode.ThemeIcon('ellipsis');
      it.contextValue = 'pgoMore';
      it.command = { command: 'pgoLens.view.more', title: 'Show More', arguments: [n] };
      return it;
    }
    const it = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.None);
    it.description = n.description;
    it.tooltip = n.tooltip;
    it.iconPath = new vscode.ThemeIcon(n.icon);
    it.contextValue = entryContext(n);
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
      const d = await this.details(n.binary, this.query(n.binary));
      if (!d) return [];
      const list = entries(
        d,
        n.section,
        bins.find((b) => b.id === n.binary),
      );
      if (n.total > list.length) list.push({ kind: 'more', binary: n.binary, section: n.section, shown: list.length, total: n.total });
      return list;
    }
    return [];
  }

  /** For tests: every entry of one section of the first binary, as the view shows it. */
  async sectionEntries(section: Section): Promise<Array<{ label: string; description: string; tooltip: string }>> {
    const b = this.binaries()[0];
    if (!b) return [];
    const node = (await this.sections(b)).find((n) => n.kind === 'section' && n.section === section);
    if (!node) return [];
    return (await this.getChildren(node)).flatMap((n) => (n.kind === 'entry' ? [{ label: n.label, description: n.description, tooltip: n.tooltip }] : []));
  }

  private async sections(b: BinarySummary): Promise<Node[]> {
    if (b.error) return [];
    const d = await this.details(b.id, this.query(b.id));
    if (!d) return [];
    // while a confirmation's -pgo=off build runs, "What PGO changed" stays in its place and says so
    const pending = d.compilerChanges === null && b.confirmed?.changesPending === true;
    const out: Node[] = SECTIONS.filter((s) => d[s.section] !== null || (pending && s.section === 'compilerChanges')).map((s) => {
      const count = d[s.section]?.length ?? 0;
      const total = s.section !== 'compilerChanges' ? (d.totals?.[s.section] ?? count) : count;
      return {
        kind: 'section',
        binary: b.id,
        section: s.section,
        label: s.label,
        count,
        total,
        ...(d[s.section] === null ? { pending: 'building with -pgo=off…' } : {}),
      };
    });
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

/** The entry's context value: which per-entry actions its menu offers (package.json view/item/context). */
function entryContext(n: ViewEntry): string {
  const u = n.unmatched;
  if (u && (u.kind === 'renamed' || u.kind === 'moved') && u.suggestion) return 'pgoEntry pgoRename';
  if (u && u.kind === 'offset-drift') return 'pgoEntry pgoRealign';
  return n.symbol ? 'pgoEntry' : 'pgoPlain';
}

function entries(d: BinaryDetails, section: Section, b: BinarySummary | undefined): Node[] {
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
        symbol: f.symbol,
        binary: d.binary,
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
        symbol: s.caller,
        binary: d.binary,
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
        symbol: u.symbol,
        binary: d.binary,
        unmatched: u,
      }));
  }
}
