/**
 * Closure naming (`ir.closureName`): per-function counters for function literals (`.funcN` /
 * `.N`), range-over-func bodies (`-rangeN`) and go/defer wrappers (`.gowrapN` /
 * `.deferwrapN`), with range bodies counting in their range parent; `//go:linkname` renames.
 */
import type { FuncEntry } from './model';
import type { FileSyntax } from './package-env';
import type { FnCtx } from './walk-model';

/** Go 1.22+ drops statically dead code before naming closures; 1.21 numbers everything. */
export function deadCodeElimination(goMinor: number): boolean {
  return goMinor >= 22;
}

/** A fresh function context: its own closure counters and break/continue targets. */
export function newCtx(
  entry: FuncEntry | undefined,
  name: string,
  isClosure: boolean,
  rangeParent: FnCtx | undefined,
  typeParams: Set<string>,
  generic: boolean,
  isRangeBody: boolean,
): FnCtx {
  return {
    entry,
    name,
    isClosure,
    rangeParent,
    gen: { lit: 0, range: 0, goDefer: 0 },
    typeParams,
    generic,
    targets: [],
    isRangeBody,
    startLine: entry ? entry.startLine : 0,
  };
}

/** `ir.closureName`: allocate the name of a new closure created while walking `cur`. */
export function childName(cur: FnCtx, why: 'lit' | 'range' | 'go' | 'defer'): string {
  let outer = cur;
  if (outer.isRangeBody && outer.rangeParent) outer = outer.rangeParent;
  let suffix: string;
  let n: number;
  switch (why) {
    case 'lit':
      suffix = outer.isClosure ? '.' : '.func';
      n = ++outer.gen.lit;
      break;
    case 'range':
      suffix = '-range';
      n = ++outer.gen.range;
      break;
    case 'go':
      suffix = '.gowrap';
      n = ++outer.gen.goDefer;
      break;
    case 'defer':
      suffix = '.deferwrap';
      n = ++outer.gen.goDefer;
      break;
  }
  return outer.name + suffix + n;
}

const linknameCache = new WeakMap<FileSyntax, Map<string, string>>();

/** `//go:linkname local target` directives of a file (two-argument form only). */
export function linknames(file: FileSyntax): Map<string, string> {
  let m = linknameCache.get(file);
  if (!m) {
    m = new Map();
    for (const d of file.ts.goDirectives) {
      if (!d.text.startsWith('go:linkname ')) continue;
      const [local, target, ...rest] = d.text.slice('go:linkname '.length).trim().split(/\s+/);
      if (local !== undefined && target !== undefined && rest.length === 0) m.set(local, target);
    }
    linknameCache.set(file, m);
  }
  return m;
}
