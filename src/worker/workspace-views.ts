/**
 * Editor edits (unsaved text re-indexes one package and re-matches the binaries built from it) and
 * the views: the per-file view and a binary's lists.
 */
import * as path from 'node:path';
import { topOrder } from '../pgo/flatcum';
import { type DetailsQuery, queryRows, type QueryRow } from './details-query';
import { isDeclarationsFirst } from '../source/declarations-first';
import { sameForMatching } from './match-basis';
import { devirtualizationRows, hotCallSites, hottestFunctions, type Located } from '../match/binary-lists';
import { entryFor, fileHeat } from '../match/file-view';
import type { BinaryDetails, FileView, HotSiteInfo, WorkspaceSummary } from './protocol';
import { WorkspaceStages } from './workspace-stages';
import { UnknownBinaryError, builtFrom, pkgRoot, readText, localPath, binarySummary } from './workspace-data';

export abstract class WorkspaceViews extends WorkspaceStages {
  /** Unsaved text (null: the saved file) of one Go file; re-indexes its package and re-matches. */
  update(file: string, text: string | null): WorkspaceSummary {
    const t0 = performance.now();
    const abs = path.resolve(file);
    const dir = path.dirname(abs);
    const pkg = this.packages.get(dir) ?? this.onDemand.get(dir) ?? undefined;
    this.lastUpdate.textMillis = 0;
    this.lastUpdate.indexMillis = 0;
    this.lastUpdate.matchMillis = 0;
    if (pkg && isDeclarationsFirst(pkg.index)) this.fullIndex(pkg); // the saved text's full index first (closure copies are located on it)
    // Warm a cold package with the text it had so far, then apply the change.
    const indexer = pkg && this.warm(pkg);
    if (text === null) this.overlays.delete(abs);
    else this.overlays.set(abs, text);
    if (text === null) this.savesDuringPass?.add(abs);
    if (text === null) for (const b of this.binaries) if (b.history && typeof b.history !== 'string') b.history.saved(abs);
    // The last confirming build saw other text: its lines no longer apply to this file.
    for (const b of this.binaries) b.confirm?.stale.add(abs);
    if (pkg && indexer) {
      const name = path.basename(abs);
      let changed: boolean;
      const next = text ?? readText(abs);
      if (next === undefined) {
        changed = pkg.files.delete(name);
        if (changed) indexer.removeFile(name);
      } else if (pkg.files.has(name) && indexer.getFile(name)?.text === next)
        changed = false; // e.g. a save
      else changed = this.putFile(pkg, name, next);
      const ti = performance.now();
      this.lastUpdate.textMillis = ti - t0;
      if (changed) {
        pkg.index = indexer.index();
        const tm = performance.now();
        this.lastUpdate.indexMillis = tm - ti;
        // A binary built from the package is re-matched unless everything its match was computed
        // from stands (match-basis.ts): an edit the index does not see (a comment, text typed and
        // taken back) keeps it. The check is against what the match recorded, not against the
        // package's previous index, which a prioritised open can change without re-matching.
        for (const b of this.binaries) {
          const ext = b.external.get(pkg.dir);
          if (ext && !(ext.pkg === pkg && sameForMatching(ext.index, pkg.index))) b.external.delete(pkg.dir);
          else if (ext) ext.index = pkg.index;
          if (pkg.folder !== null && builtFrom(b, pkg)) this.rematch(b, pkg);
        }
        this.lastUpdate.matchMillis = performance.now() - tm;
      }
    } else if (this.onDemand.get(dir) === null) this.onDemand.delete(dir); // a package may exist now
    this.lastMillis = performance.now() - t0;
    return this.summary();
  }

  fileView(file: string, binary?: string): FileView {
    const abs = path.resolve(file);
    const empty: FileView = {
      file: abs,
      binary: null,
      binaries: [],
      profile: null,
      total: 0,
      sampleType: null,
      heatLines: { flat: 0, cum: 0 },
      heat: [],
      functions: [],
      lenses: [],
      lines: [],
    };
    const pkg = this.packageOf(abs);
    if (!pkg) return empty;
    const candidates = this.binariesFor(pkg);
    const chosen = (binary !== undefined ? this.binaries.find((b) => b.id === binary && b.data) : undefined) ?? candidates[0];
    const view: FileView = { ...empty, binaries: candidates.map((b) => b.id) };
    if (!chosen?.data) return view;
    view.binary = chosen.id;
    view.profile = chosen.profilePath;
    const name = path.basename(abs);
    if (!pkg.index.files.includes(name)) return view; // not in the build (build constraints)
    if (pkg.index.walkedOnly && !pkg.index.walkedOnly.includes(name)) this.fullIndex(pkg); // only the open files' bodies were walked
    const tokens = this.tokensOf(pkg, name);
    // The user is looking at this package and may start typing: make its indexer ready.
    if (!pkg.indexer) this.scheduleWarm(pkg);
    const heat = fileHeat({
      file: abs,
      index: pkg.index,
      root: pkgRoot(chosen, pkg),
      data: chosen.data,
      match: this.matchFor(chosen, pkg),
      tokens,
      copies: this.copiesFor(pkg, chosen.data),
    });
    Object.assign(view, heat);
    const cs = chosen.confirm;
    if (cs) {
      for (const l of view.lenses) {
        const c = cs.lens(abs, l);
        if (c) l.confirmation = c;
      }
      for (const d of view.lines) {
        const said = cs.lineDecisions(abs, d.line);
        if (said.length) d.compiler = said;
      }
    }
    return view;
  }

  /** The view's lists of a binary: filtered, sorted and cut to `limit` (a number: the limit alone), with the totals that matched. */
  binaryDetails(id: string, query: DetailsQuery | number = {}): BinaryDetails {
    const q: DetailsQuery = typeof query === 'number' ? { limit: query } : query;
    const b = this.binaries.find((x) => x.id === id);
    if (!b) throw new UnknownBinaryError(`no binary ${id} in the open workspace`);
    const out: BinaryDetails = {
      binary: id,
      hottestFunctions: [],
      hotCallSites: [],
      devirtualizations: [],
      unmatched: [],
      compilerChanges: b.confirm?.changeList() ?? null,
    };
    if (!b.data || !b.match) return out;
    const match = b.match;
    const locate = (sym: string): Located | undefined => {
      const r = match.resolved.get(sym);
      if (r && !r.copy) return { dir: r.pkg.dir, entry: r.entry };
      const pkg = this.pkgOfSymbol(b, sym);
      const entry = pkg && entryFor(pkg.index, sym);
      return pkg && entry ? { dir: pkg.dir, entry } : undefined;
    };
    const inp = { data: b.data, match, locate };

    // `pgo-lens top`'s rows and order (pprof -top), unless another order is asked.
    const fq = queryRows(
      topOrder(b.data.profile.heat.rows()).map((f) => ({ ...f, text: '' })),
      q,
    );
    out.hottestFunctions = hottestFunctions(inp, fq.rows, (f) => localPath(f, this.ge));
    const siteRow = (x: HotSiteInfo): HotSiteInfo & QueryRow => ({ ...x, name: x.caller, text: x.callee, flat: x.weight, cum: x.weight });
    const strip = ({ name: _n, text: _t, flat: _f, cum: _c, ...x }: HotSiteInfo & QueryRow): HotSiteInfo => x;
    const sq = queryRows(
      hotCallSites(inp, (dir, file) => {
        const pkg = this.packages.get(dir) ?? this.onDemand.get(dir) ?? undefined;
        return pkg && this.tokensOf(pkg, file);
      }).map(siteRow),
      q,
    );
    out.hotCallSites = sq.rows.map(strip);
    const dq = queryRows(devirtualizationRows(inp, b.folder).map(siteRow), q);
    out.devirtualizations = dq.rows.map(strip);
    const unmatched = this.pending ? [] : this.withLocations(b, binarySummary(b)).unmatched;
    const uq = queryRows(
      unmatched.map((u) => ({ ...u, name: u.symbol, text: u.suggestion ?? '', file: u.location?.file ?? null, flat: u.weight, cum: u.weight })),
      q,
    );
    out.unmatched = uq.rows.map(({ name: _n, text: _t, file: _f, flat: _fl, cum: _c, ...u }) => u);
    out.totals = { hottestFunctions: fq.total, hotCallSites: sq.total, devirtualizations: dq.total, unmatched: uq.total };
    return out;
  }
}
