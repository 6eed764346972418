import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explorerCsp, explorerHtml, makeNonce } from '../../../src/editor/explorer/html';
import { WEBVIEW_METHODS } from '../../../src/editor/explorer/messages';
import { diffColor, formatValue, packageColor, packageOf } from '../../../src/editor/explorer/webview/format';

describe('explorer webview HTML', () => {
  const o = {
    cspSource: 'vscode-webview://abc',
    scriptUri: 'vscode-webview://abc/dist/explorer-webview.js',
    styleUri: 'vscode-webview://abc/dist/explorer.css',
    nonce: 'n0nce+/=',
  };

  it('has a restrictive content security policy: nothing by default, one script by nonce, no network', () => {
    const csp = explorerCsp(o);
    const rules = new Map(csp.split('; ').map((r) => [r.split(' ')[0]!, r.split(' ').slice(1)]));
    assert.deepEqual(rules.get('default-src'), [`'none'`]);
    assert.deepEqual(rules.get('script-src'), [`'nonce-${o.nonce}'`]);
    assert.deepEqual(rules.get('style-src'), [o.cspSource]);
    assert.ok(!/https?:|\*|unsafe/.test(csp), csp);
    const html = explorerHtml(o);
    assert.ok(html.includes(`content="${csp.replace(/'/g, '&#39;')}"`), 'the CSP meta tag carries the policy');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="n0nce+/=" src="${o.scriptUri}">`]);
    assert.ok(!/\son\w+=/.test(html), 'no inline event handlers');
  });

  it('makes a fresh nonce from 24 random bytes', () => {
    const a = makeNonce((n) => new Uint8Array(n).fill(1));
    assert.equal(a.length, 32);
    assert.notEqual(
      a,
      makeNonce((n) => new Uint8Array(n).fill(2)),
    );
  });

  it('lets the webview query only the explorer methods', () => {
    assert.deepEqual([...WEBVIEW_METHODS].sort(), ['changes', 'diffTable', 'flame', 'neighbors', 'search', 'top']);
  });
});

describe('explorer webview formatting', () => {
  it('finds the package of a linker symbol', () => {
    assert.equal(packageOf('main.(*VM).run'), 'main');
    assert.equal(packageOf('runtime.mallocgc'), 'runtime');
    assert.equal(packageOf('example.com/m/geom.Circle.Area'), 'example.com/m/geom');
    assert.equal(packageOf('example.com/m/geom.Map[go.shape.int].Get'), 'example.com/m/geom');
    assert.equal(packageOf('gopkg.in/yaml%2ev3.Unmarshal'), 'gopkg.in/yaml%2ev3');
  });
  it('colours a package the same everywhere and a diff by sign', () => {
    assert.equal(packageColor('main.a', true), packageColor('main.b', true));
    assert.notEqual(packageColor('main.a', false), packageColor('runtime.a', false));
    assert.match(diffColor(1, false), /^hsl\(0 /);
    assert.match(diffColor(-1, false), /^hsl\(215 /);
  });
  it('formats values in their unit', () => {
    assert.equal(formatValue(4.87e9, 'nanoseconds'), '4.87s');
    assert.equal(formatValue(1e7, 'nanoseconds'), '10ms');
    assert.equal(formatValue(3 << 20, 'bytes'), '3MB');
    assert.equal(formatValue(487, 'count'), '487');
  });
});
