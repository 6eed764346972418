/**
 * An outside package's index for callee costs, walking bodies on demand: a universe
 * (universe.ts) asks an index of a package outside the workspace only for entries by symbol
 * (`bySymbol.get`), for the inliner costs of a few callees. This index walks only the function
 * declarations that can hold the asked symbol, and is the full index (`indexPackage`) for
 * anything else.
 *
 * Why it is exact: a declared function's entries (the function, its closures, go/defer wrappers,
 * range-over-func bodies) depend on the package's declarations (every file's, the environment
 * built once here as `index()` builds it) and on its own body, never on another body; the
 * closures of package-level variable initialisers (`init.funcN`, numbered across the package),
 * `map.init.N` and the `init` entries are not declared functions, and symbols named like them go
 * to the full index. An entry's symbol names its declaration (`Name`, `T.Name`, `(*T).Name`,
 * `Name.func1`, …) or, for `//go:linkname local target`, the target: the declarations walked for
 * a symbol are those whose name, or whose linkname target's name, shares an identifier with it.
 * A symbol found more than once (broken code) also goes to the full index.
 */
import { DEFAULT_GO_MINOR } from './build-tags';
import { compareBytes, type IndexOptions, indexPackage, parseSourceFile, type SourceFile } from './index';
import type * as A from './ast';
import type { FuncEntry, PackageIndex } from './model';
import { pathToPrefix, splitSymbol } from './names';
import { buildPkgEnv, type FileSyntax } from './package-env';
import { linknames, Walker } from './walker';

/** The identifiers in a symbol's name part (`(*T[...]).M.func1` → T, M, func1). */
function identifiers(name: string): string[] {
  return name.split(/[^\p{L}\p{N}_]+/u).filter((s) => s.length > 0);
}

/** Whether a symbol's name is one only the whole package's index can answer. */
function packageWide(name: string): boolean {
  return name === 'init' || name.startsWith('init.') || name.startsWith('map.init') || name.startsWith('glob.');
}

interface Decl {
  file: FileSyntax;
  decl: A.FuncDecl;
  /** Its entries, once walked. */
  entries?: FuncEntry[];
}

/** Counts of what the lazy indexes did (the bench and tests read these). */
export const lazyEntryStats = { walked: 0, full: 0 };

class LazyOutsideIndex {
  private walker: Walker | undefined;
  private byIdent = new Map<string, Decl[]>();
  private fullIndex: PackageIndex | undefined;
  private readonly found = new Map<string, FuncEntry | undefined>();

  constructor(
    private readonly sources: readonly SourceFile[],
    private readonly opts: IndexOptions,
  ) {
    const goMinor = opts.goVersion?.minor ?? DEFAULT_GO_MINOR;
    const parsed = [...sources].sort((a, b) => compareBytes(a.name, b.name)).map((f) => parseSourceFile(f.name, f.text));
    // the package name and the files index() uses: the first file's clause, preferring non-_test ones
    const first = parsed.find((f) => f.pkgName && !f.pkgName.endsWith('_test')) ?? parsed[0];
    const used = parsed.filter((f) => f.pkgName === (first?.pkgName ?? ''));
    const env = buildPkgEnv(used, opts.resolver, opts.goos ?? 'linux', opts.goarch ?? 'amd64', goMinor);
    this.walker = new Walker(env, { prefix: pathToPrefix(opts.pkgPath), goMinor, pkgPath: opts.pkgPath, track: false });
    for (const file of used) {
      const links = linknames(file);
      for (const d of file.ast.decls) {
        if (d.k !== 'FuncDecl' || !d.bodyRange || d.name.value === '_') continue;
        if (!d.recv && d.name.value === 'init') continue; // init.N: package-wide numbering
        const decl: Decl = { file, decl: d };
        const names = new Set([d.name.value]);
        const target = links.get(d.name.value);
        if (target) for (const n of identifiers(splitSymbol(target).name)) names.add(n);
        for (const n of names) {
          const list = this.byIdent.get(n);
          if (list) list.push(decl);
          else this.byIdent.set(n, [decl]);
        }
      }
    }
  }

  full(): PackageIndex {
    if (!this.fullIndex) {
      lazyEntryStats.full++;
      this.fullIndex = indexPackage([...this.sources], this.opts);
      this.walker = undefined;
      this.byIdent = new Map();
    }
    return this.fullIndex;
  }

  /** The entry `bySymbol.get(symbol)` of the full index has. */
  get(symbol: string): FuncEntry | undefined {
    if (this.fullIndex) return this.fullIndex.bySymbol.get(symbol);
    if (this.found.has(symbol)) return this.found.get(symbol);
    const { name } = splitSymbol(symbol);
    if (packageWide(name)) return this.full().bySymbol.get(symbol);
    const decls = new Set<Decl>();
    for (const n of identifiers(name)) for (const d of this.byIdent.get(n) ?? []) decls.add(d);
    let hit: FuncEntry | undefined;
    let hits = 0;
    for (const d of decls)
      for (const e of this.entriesOf(d))
        if (e.symbol === symbol) {
          hit = e;
          hits++;
        }
    if (hits > 1) return this.full().bySymbol.get(symbol);
    this.found.set(symbol, hit);
    return hit;
  }

  private entriesOf(d: Decl): FuncEntry[] {
    if (d.entries) return d.entries;
    const w = this.walker;
    if (!w) return [];
    lazyEntryStats.walked++;
    try {
      d.entries = w.walkFuncDecl(d.file, d.decl, undefined).entries;
    } catch {
      d.entries = []; // index() leaves a declaration whose walk throws without entries
    }
    return d.entries;
  }
}

/** A symbol map whose `get` walks on demand; everything else is the full index's. */
class LazySymbolMap extends Map<string, FuncEntry> {
  constructor(private readonly lazy: LazyOutsideIndex) {
    super();
  }
  override get(key: string): FuncEntry | undefined {
    return this.lazy.get(key);
  }
  override has(key: string): boolean {
    return this.lazy.get(key) !== undefined || this.lazy.full().bySymbol.has(key);
  }
  override get size(): number {
    return this.lazy.full().bySymbol.size;
  }
  override forEach(f: (v: FuncEntry, k: string, m: Map<string, FuncEntry>) => void, self?: unknown): void {
    this.lazy.full().bySymbol.forEach(f, self);
  }
  override entries(): MapIterator<[string, FuncEntry]> {
    return this.lazy.full().bySymbol.entries();
  }
  override keys(): MapIterator<string> {
    return this.lazy.full().bySymbol.keys();
  }
  override values(): MapIterator<FuncEntry> {
    return this.lazy.full().bySymbol.values();
  }
  override [Symbol.iterator](): MapIterator<[string, FuncEntry]> {
    return this.lazy.full().bySymbol[Symbol.iterator]();
  }
  override set(): this {
    throw new Error('an index map is never changed');
  }
  override delete(): boolean {
    throw new Error('an index map is never changed');
  }
  override clear(): void {
    throw new Error('an index map is never changed');
  }
}

/**
 * `indexPackage(files, opts)` for a universe's callee costs: `bySymbol.get` walks only the
 * declarations that can hold the symbol; every other field (and every other use of `bySymbol`)
 * is the full index, made on first use.
 */
export function lazyOutsideIndex(files: readonly SourceFile[], opts: IndexOptions): PackageIndex {
  const lazy = new LazyOutsideIndex(files, { ...opts, incremental: false });
  const bySymbol = new LazySymbolMap(lazy);
  const full = (): PackageIndex => lazy.full();
  return {
    get pkgPath() {
      return opts.pkgPath;
    },
    get symbolPrefix() {
      return full().symbolPrefix;
    },
    get pkgName() {
      return full().pkgName;
    },
    get files() {
      return full().files;
    },
    get funcs() {
      return full().funcs;
    },
    bySymbol,
    get byFile() {
      return full().byFile;
    },
    get errors() {
      return full().errors;
    },
    get approximations() {
      return full().approximations;
    },
    get imports() {
      return full().imports;
    },
  };
}
