/**
 * The explorer webview's HTML: a restrictive content security policy (nothing by default; the
 * one script by nonce from the extension's dist; styles from dist/media; no network), and the
 * skeleton the webview script fills. Pure (no `vscode` import) so a unit test can check the CSP.
 */

export interface ExplorerHtmlOptions {
  /** The webview's `cspSource`. */
  cspSource: string;
  /** Webview URIs of dist/explorer-webview.js and media/explorer.css. */
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

export function explorerCsp(o: Pick<ExplorerHtmlOptions, 'cspSource' | 'nonce'>): string {
  return [`default-src 'none'`, `img-src ${o.cspSource}`, `style-src ${o.cspSource}`, `font-src ${o.cspSource}`, `script-src 'nonce-${o.nonce}'`].join('; ');
}

/** 32 random base64 characters. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  return Buffer.from(random(24)).toString('base64');
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function explorerHtml(o: ExplorerHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(explorerCsp(o))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(o.styleUri)}">
<title>Profile Explorer</title>
</head>
<body>
<header id="toolbar">
  <span id="title"></span>
  <div role="tablist" aria-label="View">
    <button role="tab" data-view="top-down" aria-selected="true" title="Callers above callees">Flame graph</button>
    <button role="tab" data-view="bottom-up" aria-selected="false" title="Leaf functions on top, their callers below">Inverted</button>
  </div>
  <input id="search" type="search" placeholder="Search (regex)" aria-label="Search functions (regular expression)">
  <span id="share" aria-live="polite"></span>
  <button id="reset" title="Show the whole profile (Escape on the graph: one level out)">Reset zoom</button>
  <span id="legend"></span>
</header>
<nav id="crumbs" aria-label="Zoom path"></nav>
<div id="flame-wrap">
  <canvas id="flame" tabindex="0" role="img" aria-label="Flame graph. Arrow keys move between frames, Enter zooms, Ctrl+Enter opens the source, Escape zooms out."></canvas>
  <div id="tip" role="tooltip" hidden></div>
</div>
<section id="changes" hidden aria-label="PGO consequences"></section>
<div id="error" role="alert" hidden></div>
<div id="bottom">
  <section id="table-pane" aria-label="Functions">
    <div id="table-tools"><input id="filter" type="search" placeholder="Filter functions (regex)" aria-label="Filter functions (regular expression)"><span id="count"></span></div>
    <div id="thead" role="row"></div>
    <div id="tbody" tabindex="0" role="grid" aria-label="Functions: arrow keys select, Enter opens the source"><div id="spacer"></div></div>
  </section>
  <section id="neighbors" aria-label="Callers and callees">
    <h3 id="sel-name">Select a function</h3>
    <h4>Callers</h4><ul id="callers"></ul>
    <h4>Callees</h4><ul id="callees"></ul>
  </section>
</div>
<script nonce="${esc(o.nonce)}" src="${esc(o.scriptUri)}"></script>
</body>
</html>
`;
}
