/** Plain-text formatting shared by lenses, hovers, the status bar and the view (no vscode). */
import { type BinarySummary, type Confirmation, formatPercent, type FunctionMark, type LensInfo, NO_SAMPLES } from '../worker/protocol';

export { NO_SAMPLES };

/** A share of the profile total, written as `go tool pprof` writes flat% and cum%. */
export function pct(p: number): string {
  return formatPercent(p);
}

/** The label of the one percentage base. */
export const OF_PROFILE = 'of profile';

/**
 * An absolute weight in the profile's sample type (`samples/count`, `cpu/nanoseconds`):
 * `31 samples`, `310ms`; with `total`: `31 of 487 samples`.
 */
export function weightText(value: number, sampleType: string | null, total?: number): string {
  const [type, unit] = (sampleType ?? 'samples/count').split('/');
  const one = (v: number): string => (unit === 'nanoseconds' ? duration(v) : String(v));
  const noun = unit === 'nanoseconds' ? '' : type === 'samples' || !type ? ' samples' : ` ${unit ?? type}`;
  return total === undefined ? `${one(value)}${noun}` : `${one(value)} of ${one(total)}${noun}`;
}

function duration(ns: number): string {
  const a = Math.abs(ns);
  const [div, u] = a >= 1e9 ? [1e9, 's'] : a >= 1e6 ? [1e6, 'ms'] : a >= 1e3 ? [1e3, 'µs'] : [1, 'ns'];
  return `${(ns / div).toFixed(2).replace(/\.?0+$/, '')}${u}`;
}

/** `example.com/x/pkg.(*T).M` → `pkg.(*T).M` for display. */
export function shortSymbol(sym: string): string {
  // the package path ends before the receiver's `(` or the first type-argument list's `[` (shape names hold paths too)
  const stops = [sym.indexOf('('), sym.indexOf('[')].filter((i) => i >= 0);
  const slash = sym.lastIndexOf('/', stops.length ? Math.min(...stops) : sym.length);
  return (slash >= 0 ? sym.slice(slash + 1) : sym).replace(/%2e/g, '.');
}

export function lensTitle(l: LensInfo): string {
  // the compiler's verdict when a confirming build covers this line, else say it is our prediction
  const badge = l.confirmation ? ` · ${confirmationBadge(l.confirmation)}` : ' · predicted';
  if (l.kind === 'devirt') {
    const share = l.sitePercent !== undefined ? ` (${pct(l.sitePercent)} of this call)` : '';
    const verb = l.certain === false ? '$(question) PGO may devirtualize' : '$(arrow-swap) PGO devirtualizes';
    return `${verb} → ${shortSymbol(l.callee)}${share}${badge}`;
  }
  // inline lenses exist only where PGO changes the decision ('hot-budget') or may ('possible')
  const share = l.weight > 0 ? `${pct(l.percent)} ${OF_PROFILE}` : NO_SAMPLES;
  if (l.pgo === 'possible') return `$(question) PGO may inline → ${shortSymbol(l.callee)} ${share}${badge}`;
  return `$(flame) PGO inlines → ${shortSymbol(l.callee)} (hot budget) ${share}${badge}`;
}

/** A few words for a lens: what the compiler did with the prediction in its last build. */
export function confirmationBadge(c: Confirmation): string {
  const cost = c.cost !== undefined ? `cost ${c.cost}` : '';
  switch (c.category) {
    case 'hot-budget':
      return `$(check) inlined${cost ? ` (${cost})` : ''}`;
    case 'devirtualized':
      return '$(check) confirmed';
    case 'inlined-normal-budget':
      return `$(check) inlined without PGO too${cost ? ` (${cost})` : ''}`;
    case 'caller-too-big':
      return '$(x) not inlined: caller too big';
    case 'callee-too-costly':
      return `$(x) not inlined: ${cost || 'cost'} > 2000`;
    case 'callee-not-inlinable':
      return '$(x) not inlinable';
    case 'recursive':
      return '$(x) not inlined: recursive';
    case 'indirect-call':
    case 'indirect-other-target':
      return '$(info) stays an indirect call';
    case 'other-call-on-hot-line':
      return '$(info) not on a hot edge';
    case 'stale-site':
      return '$(info) no such call now';
    case 'no-decision-outside-workspace':
      return '$(info) no inline body';
    case 'bug':
      return '$(bug) compiler disagrees';
    default:
      return c.state === 'confirmed' ? '$(check) confirmed' : '$(x) not inlined';
  }
}

export function binaryLabel(b: BinarySummary): string {
  const parts = b.mainPackage.split('/');
  return parts[parts.length - 1] || b.mainPackage;
}

/** "87% matched", or "matching…" while the profile is loaded but not matched yet. */
export function matchedText(b: BinarySummary): string {
  return b.matching ? 'matching…' : `${Math.floor(b.matchedPercent)}% matched`;
}

export function statusText(b: BinarySummary | undefined, count: number): string {
  if (!b) return count === 0 ? '$(flame) PGO: no profile' : '$(flame) PGO';
  if (b.error) return `$(warning) PGO ${binaryLabel(b)}: profile error`;
  if (b.summary?.emptyReason) return `$(circle-slash) PGO ${binaryLabel(b)}: off`;
  return `$(flame) PGO ${binaryLabel(b)} ${b.matching ? 'matching…' : `${Math.floor(b.matchedPercent)}%`}`;
}

/** End-of-line text on a function's declaration: pprof -top's flat and cum as shares of the profile. */
export function functionMarkText(f: FunctionMark): string {
  const of = f.names > 1 ? ` (sum of ${f.names} profile names)` : '';
  return `flat ${pct(f.flatPercent)} · cum ${pct(f.cumPercent)} ${OF_PROFILE}${of}`;
}
