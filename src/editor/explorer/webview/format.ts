/** Number formatting and frame colours for the explorer webview (pure, no DOM). Percentages: src/pgo/percent.ts, as pprof prints them. */
export { formatPercent } from '../../../pgo/percent';

/** A sample value in its unit, like pprof: nanoseconds scaled to s/ms/µs, bytes to kB/MB/GB, counts as is. */
export function formatValue(v: number, unit: string): string {
  const a = Math.abs(v);
  const fix = (x: number, u: string): string => `${Number(x.toFixed(2))}${u}`;
  if (unit === 'nanoseconds') {
    if (a >= 1e9) return fix(v / 1e9, 's');
    if (a >= 1e6) return fix(v / 1e6, 'ms');
    if (a >= 1e3) return fix(v / 1e3, 'µs');
    return fix(v, 'ns');
  }
  if (unit === 'bytes') {
    if (a >= 1 << 30) return fix(v / (1 << 30), 'GB');
    if (a >= 1 << 20) return fix(v / (1 << 20), 'MB');
    if (a >= 1 << 10) return fix(v / (1 << 10), 'kB');
    return fix(v, 'B');
  }
  return String(Number(v.toFixed(2)));
}

/** A signed delta: `+1.25` with its suffix. */
export function formatDelta(d: number, suffix: string): string {
  if (d === 0) return `0${suffix}`;
  const a = Math.abs(d);
  const s = a >= 100 ? d.toFixed(0) : a >= 1 ? d.toFixed(2) : d.toPrecision(2);
  return `${d > 0 ? '+' : ''}${s}${suffix}`;
}

/** The package of a linker symbol: `main`, `runtime`, `example.com/m/pkg` (generic brackets ignored). */
export function packageOf(name: string): string {
  const noGen = name.replace(/\[.*\]/g, '');
  const slash = noGen.lastIndexOf('/');
  const dot = noGen.indexOf('.', slash + 1);
  return dot < 0 ? noGen : noGen.slice(0, dot);
}

/** A stable hue for a package (FNV-1a). */
export function packageHue(pkg: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < pkg.length; i++) h = Math.imul(h ^ pkg.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 360;
}

/** Fill of a frame coloured by package; `dark` themes get darker fills for light text. */
export function packageColor(name: string, dark: boolean): string {
  const hue = packageHue(packageOf(name));
  return dark ? `hsl(${hue} 45% 32%)` : `hsl(${hue} 60% 78%)`;
}

/** Fill of a diff frame: red where the new profile has a larger share, blue where smaller; `r` in [−1, 1]. */
export function diffColor(r: number, dark: boolean): string {
  const hue = r >= 0 ? 0 : 215;
  const s = Math.round(15 + 70 * Math.min(1, Math.abs(r)));
  return dark ? `hsl(${hue} ${s}% 34%)` : `hsl(${hue} ${s}% 78%)`;
}
