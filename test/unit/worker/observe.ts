/** Shared by the incremental and prioritised-open tests: what a WorkspaceModel answers, independent of how it got there. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileView, WorkspaceSummary } from '../../../src/worker/protocol';
import type { WorkspaceModel } from '../../../src/worker/workspace';

/** The .go files under `dir`, in a stable order. */
export function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...goFiles(p));
    else if (e.name.endsWith('.go')) out.push(p);
  }
  return out;
}

/** What must not depend on how the model got there (timings left out): the summary, every file view of every binary, every binary's lists. */
export function observe(m: WorkspaceModel, files: string[]): unknown {
  const s: WorkspaceSummary = m.summary();
  const summary = {
    ...s,
    indexMillis: 0,
    binaries: s.binaries.map((b) => ({ ...b, summary: b.summary ? { ...b.summary, loadMillis: 0 } : null })),
  };
  const views: unknown[] = [];
  for (const f of files) {
    const v = m.fileView(f);
    views.push(v);
    for (const other of v.binaries) if (other !== v.binary) views.push(m.fileView(f, other));
  }
  const details = s.binaries.map((b) => m.binaryDetails(b.id, { limit: 1_000_000 }));
  return { summary, views, details };
}

/** The heat part of a file view: what a prioritised open paints before any match (no lenses). */
export function heatPart(v: FileView): unknown {
  return { binary: v.binary, binaries: v.binaries, profile: v.profile, total: v.total, heatLines: v.heatLines, heat: v.heat, functions: v.functions };
}
