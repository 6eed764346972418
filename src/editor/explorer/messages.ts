/**
 * Messages between the explorer panel (extension host) and its webview. Plain data only. The
 * webview's queries name a worker method from `WebviewMethods`; the host adds the session and
 * forwards them, so the webview never sees paths it was not given and cannot call anything else.
 */
import type { DiffPage, DiffQuery } from '../../explore/diff';
import type { FlameSlice } from '../../explore/flame';
import type { Neighbors } from '../../explore/neighbors';
import type { SearchResult } from '../../explore/search';
import type { ExplorerInfo, View } from '../../explore/service';
import type { TopPage, TopQuery } from '../../explore/top';
import type { ProfileChanges } from '../../refresh/changes';

/** What the webview may ask for (the host adds `session`). */
export interface WebviewMethods {
  flame: [{ view: View; root: number; minFraction: number; maxNodes: number }, FlameSlice & { scales: number[] }];
  top: [TopQuery, TopPage];
  diffTable: [DiffQuery, DiffPage];
  neighbors: [{ name: string; side?: number }, Neighbors];
  search: [{ pattern: string; side?: number }, SearchResult];
  changes: [Record<string, never>, ProfileChanges];
}
export type WebviewMethod = keyof WebviewMethods;
export const WEBVIEW_METHODS: readonly WebviewMethod[] = ['flame', 'top', 'diffTable', 'neighbors', 'search', 'changes'];

/** What the webview shows, kept with setState and reported to tests. */
export interface ExplorerUiState {
  view: View;
  /** Zoom root (tree node id) per view. */
  roots: Record<View, number>;
  sort: string;
  desc: boolean;
  filter: string;
  search: string;
  selected: string | null;
}

/** What the webview rendered, for the integration test (answers a `testQuery`). */
export interface RenderedState {
  ui: ExplorerUiState;
  /** Table rows in the DOM: the name, the cells' text as shown, and the row's numbers (flat, cum, … as the worker sent them). */
  rows: Array<{ name: string; cells: string[]; values: Record<string, number> }>;
  matchedRows: number;
  /** Frames drawn on the canvas. */
  frames: number;
  /** The function around the editor's cursor, whose frames are outlined. */
  highlight: string | null;
  searchShare: string;
  callers: string[];
  callees: string[];
  /** Diff sessions: the consequences section's lines. */
  consequences: string[];
  error: string | null;
}

export type ToWebview =
  | { type: 'init'; info: ExplorerInfo }
  | { type: 'response'; id: number; ok: true; value: unknown }
  | { type: 'response'; id: number; ok: false; error: string }
  | { type: 'highlight'; symbol: string | null }
  | { type: 'testQuery'; id: number }
  | { type: 'testAct'; id: number; action: 'openRow' | 'selectRow' | 'setFilter' | 'setView'; arg: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'request'; id: number; method: WebviewMethod; args: unknown }
  | { type: 'open'; name: string }
  | { type: 'testState'; id: number; state: RenderedState };
