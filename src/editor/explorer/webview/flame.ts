/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The icicle flame graph on a canvas: draws a `FlameSlice` (root on top), hit-tests the mouse,
 * and moves a keyboard selection between frames. Colours come from the theme's CSS variables.
 */
import type { FlameSlice } from '../../../explore/flame';
import { FLAG_INLINED, FLAG_NOT_INLINED, FLAG_PGO_DEVIRT, FLAG_PGO_INLINE } from '../../../explore/flame';
import { diffColor, packageColor } from './format';

export const ROW = 18;

export interface DrawOptions {
  /** Function names matching the search (null: no search). */
  matches: Set<string> | null;
  /** The function around the editor's cursor. */
  highlight: string | null;
  /** Index into the slice of the selected frame (-1: none). */
  selected: number;
}

const css = (name: string, fallback: string): string => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

export class FlameCanvas {
  slice: FlameSlice | null = null;
  private width = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** CSS pixel width available. */
  cssWidth(): number {
    return Math.max(100, this.canvas.parentElement!.clientWidth);
  }

  draw(slice: FlameSlice, opt: DrawOptions): void {
    this.slice = slice;
    const dpr = window.devicePixelRatio || 1;
    const w = this.cssWidth();
    this.width = w;
    let maxDepth = 0;
    for (const d of slice.depth) if (d > maxDepth) maxDepth = d;
    const h = (maxDepth + 1) * ROW;
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.canvas.width = Math.floor(w * dpr);
    this.canvas.height = Math.floor(h * dpr);
    const g = this.canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const cls = document.body.classList;
    const dark = cls.contains('vscode-dark') || (cls.contains('vscode-high-contrast') && !cls.contains('vscode-high-contrast-light'));
    const hc = cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light');
    const fg = css('--vscode-editor-foreground', dark ? '#ddd' : '#222');
    const border = css('--vscode-contrastBorder', '');
    const focus = css('--vscode-focusBorder', '#0078d4');
    const hotInline = css('--vscode-charts-orange', '#d18616');
    const devirt = css('--vscode-charts-purple', '#b180d7');
    const font = css('--vscode-editor-font-family', 'monospace');
    g.font = `12px ${font}`;
    g.textBaseline = 'middle';
    const diff = slice.cum.length === 2;
    const scales = (slice as FlameSlice & { scales?: number[] }).scales ?? [1, 1];
    for (let i = 0; i < slice.node.length; i++) {
      const x = slice.x[i]! * w;
      const fw = slice.w[i]! * w;
      if (fw < 0.5) continue;
      const y = slice.depth[i]! * ROW;
      const name = slice.names[slice.name[i]!]!;
      let fill: string;
      if (diff) {
        const a = Math.abs(slice.cum[0]![i]!) * scales[0]!;
        const b = Math.abs(slice.cum[1]![i]!) * scales[1]!;
        fill = diffColor(a + b > 0 ? (b - a) / (a + b) : 0, dark);
      } else fill = packageColor(name, dark);
      g.globalAlpha = opt.matches && !opt.matches.has(name) && i > 0 ? 0.3 : 1;
      g.fillStyle = fill;
      g.fillRect(x, y, Math.max(0.5, fw - 1), ROW - 1);
      if (hc && border && fw > 3) {
        g.strokeStyle = border;
        g.strokeRect(x + 0.5, y + 0.5, fw - 2, ROW - 2);
      }
      const flags = slice.flags[i]!;
      if (flags & (FLAG_PGO_INLINE | FLAG_PGO_DEVIRT) && fw > 2) {
        g.fillStyle = flags & FLAG_PGO_DEVIRT ? devirt : hotInline;
        g.fillRect(x, y, Math.max(1, fw - 1), 3);
      }
      if (fw > 24) {
        g.fillStyle = fg;
        const inlinedOnly = (flags & (FLAG_INLINED | FLAG_NOT_INLINED)) === FLAG_INLINED;
        g.font = `${inlinedOnly ? 'italic ' : ''}12px ${font}`;
        g.fillText(fit(g, name, fw - 6), x + 3, y + ROW / 2 + 1);
      }
      g.globalAlpha = 1;
      if (opt.highlight === name || opt.selected === i) {
        g.strokeStyle = focus;
        g.lineWidth = opt.selected === i ? 2 : 1.5;
        g.strokeRect(x + 1, y + 1, Math.max(1, fw - 3), ROW - 3);
        g.lineWidth = 1;
      }
    }
  }

  /** The slice index under CSS pixel (x, y), or -1. */
  hit(x: number, y: number): number {
    const s = this.slice;
    if (!s) return -1;
    const d = Math.floor(y / ROW);
    const f = x / this.width;
    for (let i = 0; i < s.node.length; i++) if (s.depth[i] === d && f >= s.x[i]! && f < s.x[i]! + s.w[i]!) return i;
    return -1;
  }

  /** Keyboard moves: the parent, the first (heaviest) child, or the neighbour at the same depth. */
  move(i: number, key: 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight'): number {
    const s = this.slice;
    if (!s || s.node.length === 0) return -1;
    if (i < 0) return 0;
    const d = s.depth[i]!;
    const cx = s.x[i]! + s.w[i]! / 2;
    let best = -1;
    for (let j = 0; j < s.node.length; j++) {
      if (key === 'ArrowUp' && s.depth[j] === d - 1 && s.x[j]! <= cx && cx < s.x[j]! + s.w[j]!) return j;
      if (key === 'ArrowDown' && s.depth[j] === d + 1 && s.x[j]! >= s.x[i]! && s.x[j]! < s.x[i]! + s.w[i]!) {
        if (best < 0 || s.x[j]! < s.x[best]!) best = j;
      }
      if (key === 'ArrowLeft' && s.depth[j] === d && s.x[j]! < s.x[i]! && (best < 0 || s.x[j]! > s.x[best]!)) best = j;
      if (key === 'ArrowRight' && s.depth[j] === d && s.x[j]! > s.x[i]! && (best < 0 || s.x[j]! < s.x[best]!)) best = j;
    }
    return best < 0 ? i : best;
  }
}

function fit(g: CanvasRenderingContext2D, text: string, width: number): string {
  if (g.measureText(text).width <= width) return text;
  // Drop the package path first, then cut the end.
  const short = text.slice(text.lastIndexOf('/') + 1);
  if (g.measureText(short).width <= width) return short;
  let lo = 0;
  let hi = short.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.measureText(`${short.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? `${short.slice(0, lo)}…` : '';
}
