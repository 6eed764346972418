/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The explorer webview's script (bundled for the browser by scripts/build.mjs as
 * dist/explorer-webview.js). It holds no profile: every number comes from the worker through the
 * panel, a window at a time. State survives hiding and reloads through setState/getState.
 */
import type { DiffRow } from '../../../explore/diff';
import { FLAG_INLINED, FLAG_NOT_INLINED, FLAG_PGO_DEVIRT, FLAG_PGO_INLINE, type FlameSlice } from '../../../explore/flame';
import type { ExplorerInfo, View } from '../../../explore/service';
import type { TopRow } from '../../../explore/top';
import type { ProfileChanges } from '../../../refresh/changes';
import type { ExplorerUiState, FromWebview, RenderedState, ToWebview, WebviewMethod, WebviewMethods } from '../messages';
import { FlameCanvas } from './flame';
import { formatDelta, formatPercent, formatValue } from './format';
import { type Column, VirtualTable } from './table';

declare function acquireVsCodeApi(): { postMessage(m: FromWebview): void; getState(): unknown; setState(s: unknown): void };
const host = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

let info: ExplorerInfo | null = null;
let slice: (FlameSlice & { scales: number[] }) | null = null;
let matches: Set<string> | null = null;
let highlight: string | null = null;
let selectedFrame = -1;
let consequences: string[] = [];
let lastError: string | null = null;
const saved = host.getState() as ExplorerUiState | undefined;
const ui: ExplorerUiState = saved ?? {
  view: 'top-down',
  roots: { 'top-down': 0, 'bottom-up': 0 },
  sort: 'flat',
  desc: true,
  filter: '',
  search: '',
  selected: null,
};

// ---- talking to the host

let seq = 0;
const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
function call<M extends WebviewMethod>(method: M, args: WebviewMethods[M][0]): Promise<WebviewMethods[M][1]> {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    host.postMessage({ type: 'request', id, method, args });
  });
}
const save = (): void => host.setState(ui);
function showError(e: unknown): void {
  lastError = (e as Error).message ?? String(e);
  const el = $('error');
  el.textContent = lastError;
  el.hidden = false;
}
function clearError(): void {
  lastError = null;
  $('error').hidden = true;
}

// ---- flame graph

const flame = new FlameCanvas($<HTMLCanvasElement>('flame'));
const tip = $('tip');

function redraw(): void {
  if (slice) flame.draw(slice, { matches, highlight, selected: selectedFrame });
}

async function loadFlame(): Promise<void> {
  if (!info) return;
  try {
    slice = await call('flame', { view: ui.view, root: ui.roots[ui.view], minFraction: 1 / flame.cssWidth(), maxNodes: 20000 });
    clearError();
  } catch (e) {
    if (ui.roots[ui.view] !== 0) {
      ui.roots[ui.view] = 0; // a stale zoom from a previous session
      return loadFlame();
    }
    return showError(e);
  }
  selectedFrame = ui.selected ? slice.node.findIndex((_, i) => slice!.names[slice!.name[i]!] === ui.selected) : -1;
  renderCrumbs();
  redraw();
}

function renderCrumbs(): void {
  const nav = $('crumbs');
  const items: Array<{ node: number; name: string }> = [{ node: 0, name: 'all' }, ...(slice?.ancestors ?? [])];
  if (slice && slice.root !== 0) items.push({ node: slice.root, name: slice.names[slice.name[0]!]! });
  nav.replaceChildren(
    ...items.map((c, i) => {
      const b = document.createElement('button');
      b.className = 'crumb';
      b.textContent = i === 0 ? 'all' : shortName(c.name);
      b.title = c.name;
      b.addEventListener('click', () => void zoom(c.node));
      return b;
    }),
  );
}

const shortName = (n: string): string => n.slice(n.lastIndexOf('/') + 1);

async function zoom(node: number): Promise<void> {
  ui.roots[ui.view] = node;
  save();
  await loadFlame();
}

function frameText(i: number): string {
  const s = slice!;
  const name = s.names[s.name[i]!]!;
  const unit = info!.unit;
  const lines = [name];
  const flags = s.flags[i]!;
  if (s.cum.length === 2) {
    const n = info!.normalize === 'duration' ? '/s' : '%';
    const v = (side: number): string =>
      info!.normalize === 'duration' ? formatValue(s.cum[side]![i]! * s.scales[side]!, unit) + '/s' : formatPercent(s.cum[side]![i]! * s.scales[side]!);
    lines.push(`base ${v(0)} → new ${v(1)} (${formatDelta(s.cum[1]![i]! * s.scales[1]! - s.cum[0]![i]! * s.scales[0]!, n === '%' ? ' pts' : '')})`);
  } else {
    const total = s.totals[0]!;
    lines.push(
      `cum ${formatValue(s.cum[0]![i]!, unit)} (${formatPercent((s.cum[0]![i]! / total) * 100)}) · self ${formatValue(s.self[0]![i]!, unit)} (${formatPercent((s.self[0]![i]! / total) * 100)})`,
    );
  }
  if ((flags & (FLAG_INLINED | FLAG_NOT_INLINED)) === FLAG_INLINED) lines.push('inlined into its caller in the profiled binary');
  else if (flags & FLAG_INLINED) lines.push('partly inlined into its caller in the profiled binary');
  const via = s.inverted ? 'the call from this frame into the one above' : 'the call into this frame';
  if (flags & FLAG_PGO_INLINE) lines.push(`PGO: ${via} is a hot call site (inline budget 2000)`);
  if (flags & FLAG_PGO_DEVIRT) lines.push(`PGO: ${via} is devirtualized`);
  lines.push('click: zoom · double-click: open source');
  return lines.join('\n');
}

const canvas = $<HTMLCanvasElement>('flame');
canvas.addEventListener('mousemove', (e) => {
  const i = flame.hit(e.offsetX, e.offsetY);
  if (i < 0) {
    tip.hidden = true;
    return;
  }
  tip.textContent = frameText(i);
  tip.hidden = false;
  const wrap = canvas.parentElement!.getBoundingClientRect();
  tip.style.left = `${Math.min(e.clientX - wrap.left + 12, wrap.width - 320)}px`;
  tip.style.top = `${e.clientY - wrap.top + canvas.parentElement!.scrollTop + 14}px`;
});
canvas.addEventListener('mouseleave', () => (tip.hidden = true));
canvas.addEventListener('click', (e) => {
  const i = flame.hit(e.offsetX, e.offsetY);
  if (i < 0) return;
  selectFrame(i);
  if (i > 0) void zoom(slice!.node[i]!);
});
canvas.addEventListener('dblclick', (e) => {
  const i = flame.hit(e.offsetX, e.offsetY);
  if (i >= 0 && slice!.node[i] !== 0) openSource(slice!.names[slice!.name[i]!]!);
});
canvas.addEventListener('keydown', (e) => {
  if (!slice) return;
  if (e.key === 'ArrowUp' || e.key === 'ArrowDown' || e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
    e.preventDefault();
    selectFrame(flame.move(selectedFrame, e.key));
  } else if (e.key === 'Enter' && selectedFrame >= 0) {
    e.preventDefault();
    if (e.ctrlKey || e.metaKey) openSource(slice.names[slice.name[selectedFrame]!]!);
    else void zoom(slice.node[selectedFrame]!);
  } else if (e.key === 'Escape') {
    e.preventDefault();
    const up = slice.ancestors[slice.ancestors.length - 1]?.node ?? 0;
    void zoom(up);
  }
});

function selectFrame(i: number): void {
  selectedFrame = i;
  if (i >= 0 && slice && slice.node[i] !== 0) {
    const name = slice.names[slice.name[i]!]!;
    canvas.setAttribute('aria-label', `Flame graph. Selected: ${frameText(i).replace(/\n/g, '. ')}`);
    void selectFunction(name);
  }
  redraw();
}

// ---- table, callers/callees

const fmt = (v: number): string => formatValue(v, info?.unit ?? '');
const topColumns: Column<TopRow>[] = [
  { key: 'flat', title: 'flat', sort: 'flat', numeric: true, cell: (r) => fmt(r.flat) },
  { key: 'flat%', title: 'flat%', numeric: true, cell: (r) => formatPercent(r.flatPercent) },
  // pprof's running sum only means something in -top's own order over every row.
  { key: 'sum%', title: 'sum%', numeric: true, cell: (r) => (ui.sort === 'flat' && ui.desc && !ui.filter ? formatPercent(r.sumPercent) : '') },
  { key: 'cum', title: 'cum', sort: 'cum', numeric: true, cell: (r) => fmt(r.cum) },
  { key: 'cum%', title: 'cum%', numeric: true, cell: (r) => formatPercent(r.cumPercent) },
  { key: 'name', title: 'function', sort: 'name', numeric: false, cell: (r) => r.name },
];
function diffColumns(): Column<DiffRow>[] {
  const perSec = info?.normalize === 'duration';
  const v = (x: number): string => (perSec ? `${fmt(x)}/s` : formatPercent(x));
  const d = (x: number): string => (perSec ? `${x > 0 ? '+' : ''}${fmt(x)}/s` : formatDelta(x, ' pts'));
  return [
    { key: 'base', title: perSec ? 'base cum/s' : 'base cum%', numeric: true, cell: (r) => v(r.baseCumN) },
    { key: 'new', title: perSec ? 'new cum/s' : 'new cum%', numeric: true, cell: (r) => v(r.newCumN) },
    { key: 'flatDelta', title: 'Δ flat', sort: 'flatDelta', numeric: true, cell: (r) => d(r.flatDelta) },
    { key: 'cumDelta', title: 'Δ cum', sort: 'cumDelta', numeric: true, cell: (r) => d(r.cumDelta) },
    { key: 'name', title: 'function', sort: 'name', numeric: false, cell: (r) => r.name },
  ];
}

const table = new VirtualTable<TopRow | DiffRow>($('thead'), $('tbody'), $('spacer'), topColumns as Column<TopRow | DiffRow>[], async () => ({
  matched: 0,
  rows: [],
}));
table.onSelect = (r, open) => {
  void selectFunction(r.name, false);
  if (open) openSource(r.name);
};
table.onSort = (key) => {
  if (ui.sort === key) ui.desc = !ui.desc;
  else {
    ui.sort = key;
    ui.desc = key !== 'name';
  }
  save();
  void loadTable();
};

async function loadTable(): Promise<void> {
  if (!info) return;
  const filter = ui.filter;
  const fetch = async (offset: number, count: number): Promise<{ matched: number; rows: Array<TopRow | DiffRow> }> => {
    try {
      const p =
        info!.kind === 'diff'
          ? await call('diffTable', { sort: ui.sort as 'flatDelta', desc: ui.desc, filter, offset, count })
          : await call('top', { sort: ui.sort as 'flat', desc: ui.desc, filter, offset, count });
      $('count').textContent = `${p.matched.toLocaleString()} of ${p.total.toLocaleString()} functions`;
      clearError();
      return p;
    } catch (e) {
      showError(e);
      return { matched: 0, rows: [] };
    }
  };
  const cols = (info.kind === 'diff' ? diffColumns() : topColumns) as Column<TopRow | DiffRow>[];
  await table.reset(cols, fetch, ui.sort, ui.desc);
}

let neighborGen = 0;
async function selectFunction(name: string, inTable = true): Promise<void> {
  ui.selected = name;
  save();
  if (inTable) void table.select(name);
  const gen = ++neighborGen;
  try {
    let n = await call('neighbors', { name });
    // A diff shows the new profile's callers, or the base's for a function the new one lacks.
    if (info?.kind === 'diff' && n.cum === 0) n = await call('neighbors', { name, side: 0 });
    if (gen !== neighborGen) return;
    $('sel-name').textContent = name;
    const list = (id: string, edges: Array<{ name: string; weight: number }>): void => {
      $(id).replaceChildren(
        ...edges.map((e) => {
          const li = document.createElement('li');
          li.tabIndex = 0;
          li.textContent = `${fmt(e.weight)}  ${e.name}`;
          li.title = `${e.name}\nclick: select · double-click or Enter: open source`;
          li.dataset['name'] = e.name;
          li.addEventListener('click', () => void selectFunction(e.name));
          li.addEventListener('dblclick', () => openSource(e.name));
          li.addEventListener('keydown', (k) => k.key === 'Enter' && openSource(e.name));
          return li;
        }),
      );
    };
    list('callers', n.callers);
    list('callees', n.callees);
  } catch (e) {
    showError(e);
  }
}

function openSource(name: string): void {
  host.postMessage({ type: 'open', name });
}

// ---- search

let searchGen = 0;
async function runSearch(): Promise<void> {
  const gen = ++searchGen;
  if (!ui.search) {
    matches = null;
    $('share').textContent = '';
    redraw();
    return;
  }
  try {
    const r = await call('search', { pattern: ui.search });
    if (gen !== searchGen) return;
    matches = new Set(r.functions);
    $('share').textContent = `${r.functions.length} functions · ${formatPercent(r.percent)} of samples`;
    clearError();
  } catch (e) {
    matches = new Set();
    $('share').textContent = '';
    showError(e);
  }
  redraw();
}

// ---- diff consequences

async function loadChanges(): Promise<void> {
  const el = $('changes');
  el.hidden = false;
  try {
    const c: ProfileChanges = await call('changes', {});
    consequences = [];
    const sites = (title: string, list: ProfileChanges['becameHot'], pick: (s: ProfileChanges['becameHot'][number]) => string): void => {
      if (!list.length) return;
      consequences.push(`${title} (${list.length})`);
      for (const s of list) consequences.push(`  ${s.file}:${s.line}  ${shortName(s.caller)} → ${shortName(s.callee)}  ${pick(s)}`);
    };
    consequences.push(c.summary);
    sites('Became hot: inlined with the hot budget (2000)', c.becameHot, (s) => `${formatPercent(s.before.percent)} → ${formatPercent(s.after.percent)}`);
    sites('Stopped being hot: back to the normal budget (80)', c.stoppedHot, (s) => `${formatPercent(s.before.percent)} → ${formatPercent(s.after.percent)}`);
    if (c.devirtualizations.length) {
      consequences.push(`Devirtualizations (${c.devirtualizations.length})`);
      for (const d of c.devirtualizations) {
        const t = (x?: { callee: string }): string => (x ? shortName(x.callee) : '—');
        consequences.push(`  ${d.file}:${d.line}:${d.col}  ${shortName(d.caller)}  ${d.change}: ${t(d.before)} → ${t(d.after)}`);
      }
    }
  } catch (e) {
    consequences = [`PGO consequences unavailable: ${(e as Error).message}`];
  }
  const h = document.createElement('h3');
  h.textContent = 'PGO consequences';
  const pre = document.createElement('pre');
  pre.textContent = consequences.join('\n');
  el.replaceChildren(h, pre);
}

// ---- wiring

function setView(v: View): void {
  ui.view = v;
  save();
  for (const b of document.querySelectorAll<HTMLElement>('[data-view]')) b.setAttribute('aria-selected', String(b.dataset['view'] === v));
  void loadFlame();
}
for (const b of document.querySelectorAll<HTMLElement>('[data-view]')) b.addEventListener('click', () => setView(b.dataset['view'] as View));
$('reset').addEventListener('click', () => void zoom(0));
let searchTimer: ReturnType<typeof setTimeout> | undefined;
$<HTMLInputElement>('search').addEventListener('input', (e) => {
  ui.search = (e.target as HTMLInputElement).value;
  save();
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => void runSearch(), 200);
});
let filterTimer: ReturnType<typeof setTimeout> | undefined;
$<HTMLInputElement>('filter').addEventListener('input', (e) => {
  ui.filter = (e.target as HTMLInputElement).value;
  save();
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => void loadTable(), 200);
});
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    void loadFlame();
    void table.render();
  }, 150);
}).observe($('flame-wrap'));

async function init(i: ExplorerInfo): Promise<void> {
  const fresh = !info || info.session !== i.session;
  info = i;
  if (fresh && saved === undefined) {
    ui.sort = i.kind === 'diff' ? 'cumDelta' : 'flat';
    ui.desc = true;
  }
  if (fresh && info.kind === 'diff' && ui.sort !== 'name' && ui.sort !== 'flatDelta' && ui.sort !== 'cumDelta') ui.sort = 'cumDelta';
  if (fresh && info.kind === 'profile' && ui.sort !== 'name' && ui.sort !== 'flat' && ui.sort !== 'cum') ui.sort = 'flat';
  const paths = i.paths.map((p) => p.slice(p.lastIndexOf('/') + 1));
  const type = i.sampleTypes[i.sampleIndex] ?? '';
  $('title').textContent = i.kind === 'diff' ? `${paths[1]} − ${paths[0]} (${type}, by ${i.normalize})` : `${paths[0]} · ${type} · ${fmt(i.totals[0]!)} total`;
  $('title').title = i.paths.join('\n');
  $<HTMLInputElement>('search').value = ui.search;
  $<HTMLInputElement>('filter').value = ui.filter;
  $('legend').textContent =
    i.kind === 'diff'
      ? 'red: larger share in the new profile · blue: smaller'
      : `colour: package · italic: inlined frame${i.binary ? ' · orange bar: PGO hot call (inline budget 2000) · purple bar: PGO devirtualized' : ''}`;
  $('changes').hidden = i.kind !== 'diff';
  setView(ui.view);
  await Promise.all([loadFlame(), loadTable(), runSearch(), i.kind === 'diff' ? loadChanges() : Promise.resolve()]);
  if (ui.selected) await selectFunction(ui.selected);
}

// ---- test hooks: answer the panel's test messages with what is rendered (used only by the integration tests)

async function testAct(action: string, arg: string): Promise<void> {
  if (action === 'setView') setView(arg as View);
  else if (action === 'setFilter') {
    ui.filter = arg;
    $<HTMLInputElement>('filter').value = arg;
    await loadTable();
  } else if (action === 'selectRow' || action === 'openRow') {
    if ((await table.select(arg, action === 'openRow')) < 0) throw new Error(`no row ${arg}`);
  }
  await loadFlame();
}

function rendered(): RenderedState {
  const names = (id: string): string[] => [...$(id).querySelectorAll<HTMLElement>('li')].map((li) => li.dataset['name']!);
  return {
    ui: { ...ui },
    rows: table.rendered(),
    matchedRows: table.matched,
    frames: slice?.node.length ?? 0,
    highlight,
    searchShare: $('share').textContent ?? '',
    callers: names('callers'),
    callees: names('callees'),
    consequences,
    error: lastError,
  };
}

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const m = ev.data;
  if (m.type === 'init') void init(m.info);
  else if (m.type === 'response') {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.ok) w?.resolve(m.value);
    else w?.reject(new Error(m.error));
  } else if (m.type === 'highlight') {
    highlight = m.symbol;
    redraw();
  } else if (m.type === 'testQuery') host.postMessage({ type: 'testState', id: m.id, state: rendered() });
  else if (m.type === 'testAct') {
    void testAct(m.action, m.arg)
      .catch((e) => showError(e))
      .then(() => host.postMessage({ type: 'testState', id: m.id, state: rendered() }));
  }
});
host.postMessage({ type: 'ready' });
