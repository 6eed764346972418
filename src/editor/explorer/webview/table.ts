/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * A virtualised table: only the rows in view exist in the DOM; rows are fetched from the worker
 * a page at a time (`fetch(offset, count)`) and cached until the sort or the filter changes.
 */

export interface Column<R> {
  key: string;
  title: string;
  /** Sortable through this key (absent: not sortable). */
  sort?: string;
  numeric: boolean;
  cell(r: R): string;
}

export interface Page<R> {
  matched: number;
  rows: R[];
}

const ROW = 22;
const PAGE = 100;

export class VirtualTable<R extends { name: string }> {
  private pages = new Map<number, R[]>();
  private loading = new Set<number>();
  matched = 0;
  selected = -1;
  private generation = 0;
  onSelect: (r: R, open: boolean) => void = () => undefined;
  onSort: (key: string) => void = () => undefined;

  constructor(
    private readonly head: HTMLElement,
    private readonly body: HTMLElement,
    private readonly spacer: HTMLElement,
    private columns: Column<R>[],
    private fetch: (offset: number, count: number) => Promise<Page<R>>,
  ) {
    body.addEventListener('scroll', () => void this.render());
    body.addEventListener('click', (e) => this.clicked(e, false));
    body.addEventListener('dblclick', (e) => this.clicked(e, true));
    body.addEventListener('keydown', (e) => this.key(e));
    head.addEventListener('click', (e) => {
      const k = (e.target as HTMLElement).closest<HTMLElement>('[data-sort]')?.dataset['sort'];
      if (k) this.onSort(k);
    });
  }

  /** New columns or data source: drops the cache and loads the first page. */
  async reset(columns: Column<R>[], fetch: (offset: number, count: number) => Promise<Page<R>>, sortKey: string, desc: boolean): Promise<void> {
    this.columns = columns;
    this.fetch = fetch;
    this.pages.clear();
    this.loading.clear();
    this.generation++;
    this.selected = -1;
    this.head.replaceChildren(
      ...columns.map((c) => {
        const el = document.createElement('div');
        el.className = `cell ${c.numeric ? 'num' : 'name'}`;
        el.setAttribute('role', 'columnheader');
        el.textContent = c.title + (c.sort === sortKey ? (desc ? ' ▾' : ' ▴') : '');
        if (c.sort) {
          el.dataset['sort'] = c.sort;
          el.tabIndex = 0;
          el.setAttribute('aria-sort', c.sort === sortKey ? (desc ? 'descending' : 'ascending') : 'none');
          el.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && this.onSort(c.sort!));
        }
        return el;
      }),
    );
    this.body.scrollTop = 0;
    await this.load(0);
    await this.render();
  }

  private async load(page: number): Promise<void> {
    if (this.pages.has(page) || this.loading.has(page)) return;
    const gen = this.generation;
    this.loading.add(page);
    try {
      const p = await this.fetch(page * PAGE, PAGE);
      if (gen !== this.generation) return;
      this.matched = p.matched;
      this.pages.set(page, p.rows);
    } finally {
      this.loading.delete(page);
    }
  }

  row(i: number): R | undefined {
    return this.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  }

  /** Rows currently in the DOM (for tests). */
  rendered(): Array<{ name: string; cells: string[]; values: Record<string, number> }> {
    return [...this.body.querySelectorAll<HTMLElement>('.row')].map((el) => {
      const r = this.row(Number(el.dataset['index'])) as Record<string, unknown> | undefined;
      const values: Record<string, number> = {};
      for (const [k, v] of Object.entries(r ?? {})) if (typeof v === 'number') values[k] = v;
      return { name: el.dataset['name']!, cells: [...el.children].map((c) => c.textContent ?? ''), values };
    });
  }

  async render(): Promise<void> {
    this.spacer.style.height = `${this.matched * ROW}px`;
    const first = Math.floor(this.body.scrollTop / ROW);
    const last = Math.min(this.matched, first + Math.ceil(this.body.clientHeight / ROW) + 2);
    const need = new Set<number>();
    for (let i = first; i < last; i++) if (!this.row(i)) need.add(Math.floor(i / PAGE));
    if (need.size) {
      await Promise.all([...need].map((p) => this.load(p)));
      this.spacer.style.height = `${this.matched * ROW}px`;
    }
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const r = this.row(i);
      if (!r) continue;
      const el = document.createElement('div');
      el.className = `row${i === this.selected ? ' selected' : ''}`;
      el.setAttribute('role', 'row');
      el.setAttribute('aria-selected', String(i === this.selected));
      el.style.top = `${i * ROW}px`;
      el.dataset['index'] = String(i);
      el.dataset['name'] = r.name;
      for (const c of this.columns) {
        const cell = document.createElement('div');
        cell.className = `cell ${c.numeric ? 'num' : 'name'}`;
        cell.setAttribute('role', 'gridcell');
        cell.textContent = c.cell(r);
        if (!c.numeric) cell.title = r.name;
        el.appendChild(cell);
      }
      frag.appendChild(el);
    }
    for (const old of [...this.body.querySelectorAll('.row')]) old.remove();
    this.body.appendChild(frag);
  }

  /** Selects the row of function `name` if it is loaded or findable by paging (returns its index or -1). */
  async select(name: string, open = false): Promise<number> {
    for (let i = 0; i < this.matched; i++) {
      if (!this.row(i)) await this.load(Math.floor(i / PAGE));
      if (this.row(i)?.name === name) {
        this.choose(i, open);
        return i;
      }
    }
    return -1;
  }

  private choose(i: number, open: boolean): void {
    const r = this.row(i);
    if (!r) return;
    this.selected = i;
    const top = i * ROW;
    if (top < this.body.scrollTop) this.body.scrollTop = top;
    else if (top + ROW > this.body.scrollTop + this.body.clientHeight) this.body.scrollTop = top + ROW - this.body.clientHeight;
    void this.render();
    this.onSelect(r, open);
  }

  private clicked(e: MouseEvent, open: boolean): void {
    const el = (e.target as HTMLElement).closest<HTMLElement>('.row');
    if (el) this.choose(Number(el.dataset['index']), open);
  }

  private key(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.body.clientHeight / ROW) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -this.matched, End: this.matched };
    if (e.key in moves) {
      e.preventDefault();
      const i = Math.max(0, Math.min(this.matched - 1, (this.selected < 0 ? 0 : this.selected) + moves[e.key]!));
      const go = (): void => this.choose(i, false);
      if (this.row(i)) go();
      else void this.load(Math.floor(i / PAGE)).then(go);
    } else if (e.key === 'Enter' && this.selected >= 0) {
      e.preventDefault();
      this.choose(this.selected, true);
    }
  }
}
