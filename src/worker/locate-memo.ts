/**
 * `locate` answers kept between summaries (every edit sends one, and each binary's unmatched
 * profile functions are located in it), exactly: an answer is a package's entry, so it stands
 * while no package changes its index, and after an edit only the answers that involved the changed
 * packages are looked up again — the package an answer came from, or a changed package that now
 * declares the symbol (it may come first). An answer found among the packages defining the
 * symbol's prefix can only be taken by a changed package that defines the prefix too (`locate`
 * looks at the others only when none of those declares it). A change of the package list (one
 * added, removed or replaced, or another order) drops every answer.
 */
import { entryFor } from '../match/file-view';
import { splitSymbol } from '../source/index';
import type { PackageIndex } from '../source/model';
import { type Pkg, symbolPrefixes } from './workspace-data';

export interface Located {
  file: string;
  line: number;
  character: number;
}

export interface Answer {
  /** The package declaring the symbol (null: none). */
  from: Pkg | null;
  /** Whether `from` defines the symbol's prefix (found in `locate`'s first pass). */
  byPrefix: boolean;
  at: Located | null;
}

export class LocateMemo {
  private list: Map<string, Pkg> | null = null;
  private order: Pkg[] = [];
  private seen: PackageIndex[] = [];
  private answers = new Map<string, Answer>();

  /** Brings the kept answers up to date with `packages` (call before `get`/`set` of one summary). */
  sync(packages: Map<string, Pkg>): void {
    let same = packages === this.list && packages.size === this.order.length;
    const changed: Pkg[] = [];
    if (same) {
      let i = 0;
      for (const p of packages.values()) {
        if (this.order[i] !== p) {
          same = false;
          break;
        }
        if (this.seen[i] !== p.index) {
          changed.push(p);
          this.seen[i] = p.index;
        }
        i++;
      }
    }
    if (!same) {
      this.list = packages;
      this.order = [...packages.values()];
      this.seen = this.order.map((p) => p.index);
      this.answers.clear();
      return;
    }
    if (!changed.length) return;
    for (const [sym, a] of this.answers) {
      if (a.from && changed.includes(a.from)) this.answers.delete(sym);
      else {
        const prefix = a.byPrefix ? splitSymbol(sym).prefix : '';
        const mayTake = (p: Pkg) => (!a.byPrefix || symbolPrefixes(p.index).includes(prefix)) && entryFor(p.index, sym) !== undefined;
        if (changed.some(mayTake)) this.answers.delete(sym);
      }
    }
  }

  get(sym: string): Answer | undefined {
    return this.answers.get(sym);
  }

  set(sym: string, answer: Answer): void {
    this.answers.set(sym, answer);
  }
}
