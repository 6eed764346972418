/**
 * Which files form a package in a normal build: `//go:build` (and legacy `// +build`) constraints,
 * `_GOOS` / `_GOARCH` / `_test` file name suffixes, and the files go/build ignores. This follows
 * go/build's `matchTag` and `goodOSArchFile`.
 */
import { lex, Tok } from './lexer';
import { parsePackageName } from './parser';

export interface BuildContext {
  goos: string;
  goarch: string;
  /** The `cgo` tag; files importing "C" are dropped when false. */
  cgo: boolean;
  /** Extra `-tags`. */
  tags: readonly string[];
  /** Release tags are go1.1 … go1.<goMinor>. */
  goMinor: number;
  /** Include `_test.go` files. */
  tests: boolean;
  /** Tool tags (GOEXPERIMENT, GOAMD64 level); defaults to those of a stock Go 1.26 linux/amd64. */
  toolTags?: readonly string[];
}

export const DEFAULT_GO_MINOR = 26;

export function defaultBuildContext(over: Partial<BuildContext> = {}): BuildContext {
  const goarch = over.goarch ?? 'amd64';
  return {
    goos: over.goos ?? 'linux',
    goarch,
    cgo: over.cgo ?? false,
    tags: over.tags ?? [],
    goMinor: over.goMinor ?? DEFAULT_GO_MINOR,
    tests: over.tests ?? false,
    toolTags: over.toolTags ?? defaultToolTags(goarch),
  };
}

function defaultToolTags(goarch: string): string[] {
  const t = ['goexperiment.regabiwrappers', 'goexperiment.regabiargs', 'goexperiment.dwarf5', 'goexperiment.greenteagc'];
  if (goarch === 'amd64') t.push('goexperiment.randomizedheapbase64', 'amd64.v1');
  else if (goarch === 'arm64') t.push('goexperiment.randomizedheapbase64', 'arm64.v8.0');
  return t;
}

export const KNOWN_OS = new Set([
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
  'zos',
]);
export const UNIX_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris']);
export const KNOWN_ARCH = new Set([
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'armbe',
  'arm64',
  'arm64be',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'ppc',
  'ppc64',
  'ppc64le',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
]);

export function matchTag(name: string, ctx: BuildContext): boolean {
  if (ctx.cgo && name === 'cgo') return true;
  if (name === ctx.goos || name === ctx.goarch || name === 'gc') return true;
  if (ctx.goos === 'android' && name === 'linux') return true;
  if (ctx.goos === 'illumos' && name === 'solaris') return true;
  if (ctx.goos === 'ios' && name === 'darwin') return true;
  if (name === 'unix' && UNIX_OS.has(ctx.goos)) return true;
  if (name === 'boringcrypto') name = 'goexperiment.boringcrypto';
  if (ctx.tags.includes(name)) return true;
  if (ctx.toolTags && ctx.toolTags.includes(name)) return true;
  const m = /^go1\.(\d+)$/.exec(name);
  if (m) return Number(m[1]) >= 1 && Number(m[1]) <= ctx.goMinor;
  return false;
}

/** `goodOSArchFile`: false if the name has a GOOS/GOARCH suffix that does not match. */
export function goodOSArchFile(fileName: string, ctx: BuildContext): boolean {
  let name = fileName;
  const dot = name.indexOf('.');
  if (dot >= 0) name = name.slice(0, dot);
  const i = name.indexOf('_');
  if (i < 0) return true;
  let l = name.slice(i).split('_');
  if (l[l.length - 1] === 'test') l = l.slice(0, -1);
  const last = l[l.length - 1];
  const before = l[l.length - 2];
  if (last !== undefined && before !== undefined && KNOWN_OS.has(before) && KNOWN_ARCH.has(last)) {
    return matchTag(last, ctx) && matchTag(before, ctx);
  }
  if (last !== undefined && (KNOWN_OS.has(last) || KNOWN_ARCH.has(last))) return matchTag(last, ctx);
  return true;
}

type Expr = { k: 'tag'; name: string } | { k: 'not'; x: Expr } | { k: 'and' | 'or'; x: Expr; y: Expr };

/** Parse a `//go:build` expression (the text after `go:build`). Throws on syntax errors. */
export function parseGoBuild(text: string): Expr {
  const toks = text.match(/\(|\)|!|&&|\|\||[A-Za-z0-9_.]+|\S/g) ?? [];
  let p = 0;
  const peek = (): string | undefined => toks[p];
  function or(): Expr {
    let x = and();
    while (peek() === '||') {
      p++;
      x = { k: 'or', x, y: and() };
    }
    return x;
  }
  function and(): Expr {
    let x = not();
    while (peek() === '&&') {
      p++;
      x = { k: 'and', x, y: not() };
    }
    return x;
  }
  function not(): Expr {
    if (peek() === '!') {
      p++;
      return { k: 'not', x: not() };
    }
    if (peek() === '(') {
      p++;
      const x = or();
      if (peek() !== ')') throw new Error('missing )');
      p++;
      return x;
    }
    const t = peek();
    if (t === undefined || !/^[A-Za-z0-9_.]+$/.test(t)) throw new Error(`unexpected token ${t ?? 'EOF'}`);
    p++;
    return { k: 'tag', name: t };
  }
  const e = or();
  if (p !== toks.length) throw new Error(`unexpected token ${toks[p]}`);
  return e;
}

function evalExpr(e: Expr, ctx: BuildContext): boolean {
  switch (e.k) {
    case 'tag':
      return matchTag(e.name, ctx);
    case 'not':
      return !evalExpr(e.x, ctx);
    case 'and':
      return evalExpr(e.x, ctx) && evalExpr(e.y, ctx);
    case 'or':
      return evalExpr(e.x, ctx) || evalExpr(e.y, ctx);
  }
}

/** Evaluate the build constraint of a file (go:build wins over +build lines). */
export function evalConstraint(goBuild: string | undefined, plusBuild: readonly string[], ctx: BuildContext): boolean {
  if (goBuild !== undefined) {
    try {
      return evalExpr(parseGoBuild(goBuild), ctx);
    } catch {
      return false; // go/build reports an error and excludes the file
    }
  }
  for (const line of plusBuild) {
    // space-separated options are OR'ed; comma-separated terms are AND'ed; lines are AND'ed
    const ok = line
      .split(/\s+/)
      .filter(Boolean)
      .some((opt) =>
        opt.split(',').every((term) => {
          const neg = term.startsWith('!');
          const name = neg ? term.slice(1) : term;
          return neg !== matchTag(name, ctx);
        }),
      );
    if (!ok) return false;
  }
  return true;
}

/** The release version a `//go:build` line requires (e.g. `go1.23`), used as the file's language version. */
export function goBuildVersion(goBuild: string | undefined): number | undefined {
  if (!goBuild) return undefined;
  let min: number | undefined;
  for (const m of goBuild.matchAll(/(!?)go1\.(\d+)/g)) {
    if (m[1] === '!') continue;
    const v = Number(m[2]);
    if (min === undefined || v < min) min = v;
  }
  return min;
}

/** Whether a file name is considered at all by go/build (before constraints). */
export function isBuildableGoFileName(name: string, ctx: BuildContext): boolean {
  if (!name.endsWith('.go')) return false;
  if (name.startsWith('_') || name.startsWith('.')) return false;
  if (name.endsWith('_test.go') && !ctx.tests) return false;
  return goodOSArchFile(name, ctx);
}

/**
 * The full per-file decision: name rules, build constraint, and cgo (a file that imports "C" is
 * dropped when cgo is off).
 */
export function fileIncluded(
  name: string,
  header: { goBuild: string | undefined; plusBuild: readonly string[]; importsC: boolean },
  ctx: BuildContext,
): boolean {
  if (!isBuildableGoFileName(name, ctx)) return false;
  if (!evalConstraint(header.goBuild, header.plusBuild, ctx)) return false;
  if (header.importsC && !ctx.cgo) return false;
  return true;
}

/** Package clause, build constraint and whether the file imports "C", from the header only. */
export function headerInfo(text: string): { pkgName: string | undefined; goBuild: string | undefined; plusBuild: string[]; importsC: boolean } {
  // Lex only up to the end of the import block: find the first top-level func/var/const/type.
  const m = /^(func|var|const|type)\b/m.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  const ts = lex(head);
  const pkgName = parsePackageName(ts);
  let importsC = false;
  for (let i = 0; i < ts.count; i++) {
    if (ts.kind[i] === Tok.String && ts.src.slice(ts.start[i], ts.end[i]) === '"C"') {
      // `import "C"` or `import ( "C" )`: preceded by the import keyword, '(' or a newline-semicolon
      importsC = true;
    }
  }
  return { pkgName, goBuild: ts.goBuild, plusBuild: ts.plusBuild, importsC };
}

/**
 * The files of one directory that a normal build in `ctx` compiles (pure: no file system).
 * Files of another package clause (e.g. `package x_test`) are dropped.
 */
export function selectBuildFiles<F extends { name: string; text: string }>(files: F[], ctx: BuildContext = defaultBuildContext()): F[] {
  const picked: { f: F; pkg: string }[] = [];
  for (const f of files) {
    if (!isBuildableGoFileName(f.name, ctx)) continue;
    const h = headerInfo(f.text);
    if (!h.pkgName || !fileIncluded(f.name, h, ctx)) continue;
    picked.push({ f, pkg: h.pkgName });
  }
  const pkg = picked.find((p) => !p.pkg.endsWith('_test'))?.pkg ?? picked[0]?.pkg;
  return picked.filter((p) => p.pkg === pkg).map((p) => p.f);
}
