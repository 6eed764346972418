/**
 * The overlay's state as the status bar and the view show it: never "no profile" while loading,
 * never fresh numbers while a reload is pending. Plain TypeScript (unit-tested).
 */

export type OverlayState =
  | { kind: 'loading'; why: string; startedAt: number }
  | { kind: 'stale'; why: string }
  | { kind: 'error'; message: string }
  | { kind: 'disabled'; why: 'setting' | 'hidden' | 'pgo-off' }
  | { kind: 'ready' };

/** The status bar text for a state other than `ready` (null: show the profile's own status). */
export function stateStatusText(s: OverlayState): string | null {
  switch (s.kind) {
    case 'loading':
      return '$(sync~spin) PGO: loading…';
    case 'stale':
      return '$(history) PGO: stale';
    case 'error':
      return '$(error) PGO: error';
    case 'disabled':
      return s.why === 'pgo-off' ? '$(circle-slash) PGO: off (-pgo=off)' : '$(eye-closed) PGO: hidden';
    case 'ready':
      return null;
  }
}

/** One sentence saying what the state means, for the tooltip and the view's message (null for `ready`). */
export function stateMessage(s: OverlayState, now: number = Date.now()): string | null {
  switch (s.kind) {
    case 'loading': {
      const secs = Math.floor((now - s.startedAt) / 1000);
      return `Loading profiles and indexing the workspace (${s.why})${secs >= 1 ? `: ${secs} s so far` : ''}…`;
    }
    case 'stale':
      return `Stale: ${s.why}; reloading. The numbers shown are from before the change.`;
    case 'error':
      return `Could not load the profiles: ${s.message}`;
    case 'disabled':
      if (s.why === 'setting') return 'Disabled by the setting pgoLens.enable.';
      if (s.why === 'hidden') return 'The hotness overlay is hidden (Toggle Hotness Overlay shows it again).';
      return 'The go.buildFlags of this workspace set -pgo=off: the compiler uses no profile.';
    case 'ready':
      return null;
  }
}
