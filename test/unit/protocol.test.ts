/** The host accepts from the webview only well-formed messages, rebuilt with known fields only. */
import assert from 'node:assert/strict';
import { parseFromSummary, parseFromWebview, SUMMARY_BUTTONS } from '../../src/shared/protocol';
import { makeNonce, renderPanelHtml } from '../../src/vscode/panel/panelHtml';

describe('shared/protocol parseFromWebview', () => {
  it('accepts every message kind', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'ready', inverted: true, collapsed: ['main.f'] }), {
      type: 'ready',
      inverted: true,
      collapsed: ['main.f'],
    });
    assert.deepEqual(parseFromWebview({ type: 'setInverted', inverted: false }), {
      type: 'setInverted',
      inverted: false,
    });
    assert.deepEqual(parseFromWebview({ type: 'requestSandwich', name: 'main.f' }), {
      type: 'requestSandwich',
      name: 'main.f',
    });
    assert.deepEqual(parseFromWebview({ type: 'requestSandwich', name: 'main.f', sampleIndex: 2 }), {
      type: 'requestSandwich',
      name: 'main.f',
      sampleIndex: 2,
    });
    // A sample index that is not one is dropped (the host's own type is used).
    for (const bad of [-1, 1.5, '2', 1e9])
      assert.deepEqual(parseFromWebview({ type: 'requestSandwich', name: 'main.f', sampleIndex: bad }), {
        type: 'requestSandwich',
        name: 'main.f',
      });
    assert.deepEqual(parseFromWebview({ type: 'transform', op: 'showFrom', name: 'main.f' }), {
      type: 'transform',
      op: 'showFrom',
      name: 'main.f',
    });
    assert.deepEqual(parseFromWebview({ type: 'undoTransform' }), { type: 'undoTransform' });
    assert.deepEqual(parseFromWebview({ type: 'copyCommand' }), { type: 'copyCommand' });
    assert.deepEqual(parseFromWebview({ type: 'uncollapse', name: 'main.f' }), { type: 'uncollapse', name: 'main.f' });
    assert.deepEqual(parseFromWebview({ type: 'clearCompare' }), { type: 'clearCompare' });
    assert.deepEqual(parseFromWebview({ type: 'setSampleType', index: 1 }), { type: 'setSampleType', index: 1 });
    assert.deepEqual(parseFromWebview({ type: 'openSource', file: '/src/a.go', line: 12, name: 'main.a' }), {
      type: 'openSource',
      file: '/src/a.go',
      line: 12,
      name: 'main.a',
    });
    assert.deepEqual(parseFromWebview({ type: 'clearFilter', filter: 'focus' }), {
      type: 'clearFilter',
      filter: 'focus',
    });
    assert.deepEqual(parseFromWebview({ type: 'clearFilter', filter: null }), { type: 'clearFilter', filter: null });
    // A search carries its tree's names table when small (webview/goSearch.ts); a huge or odd one is refused.
    assert.deepEqual(parseFromWebview({ type: 'search', id: 3, query: 'md5', names: ['a', 'b'] }), {
      type: 'search',
      id: 3,
      query: 'md5',
      names: ['a', 'b'],
    });
    assert.equal(parseFromWebview({ type: 'search', id: 3, query: 'md5', names: [1] }), undefined);
    assert.equal(
      parseFromWebview({ type: 'search', id: 3, query: 'x', names: new Array(30_000).fill('f') }),
      undefined,
    );
  });

  it('drops unknown fields (no prototype tricks reach the host)', () => {
    const m = parseFromWebview(JSON.parse('{"type":"ready","__proto__":{"evil":1},"x":2}'));
    assert.deepEqual(m, { type: 'ready' });
    assert.equal(Object.keys(m!).length, 1);
    assert.deepEqual(parseFromWebview({ type: 'setSampleType', index: 0, extra: 'x' }), {
      type: 'setSampleType',
      index: 0,
    });
  });

  it('rejects malformed messages', () => {
    const bad: unknown[] = [
      undefined,
      null,
      0,
      'ready',
      [],
      [{ type: 'ready' }],
      {},
      { type: 1 },
      { type: 'nope' },
      { type: 'init' },
      { type: 'setSampleType' },
      { type: 'setSampleType', index: -1 },
      { type: 'setSampleType', index: 1.5 },
      { type: 'setSampleType', index: '1' },
      { type: 'setSampleType', index: 1e9 },
      { type: 'setSampleType', index: NaN },
      { type: 'openSource', file: 'a.go', line: 1 },
      { type: 'openSource', file: 3, line: 1, name: 'f' },
      { type: 'openSource', file: 'a.go', line: -3, name: 'f' },
      { type: 'openSource', file: 'a.go', line: Infinity, name: 'f' },
      { type: 'openSource', file: 'x'.repeat(5000), line: 1, name: 'f' },
      { type: 'clearFilter' },
      { type: 'clearFilter', filter: 3 },
      { type: 'clearFilter', filter: 'x'.repeat(65) },
      { type: 'transform', op: 'eval', name: 'main.f' },
      { type: 'transform', op: 'focus', name: '' },
      { type: 'requestSandwich', name: 3 },
      { type: 'setInverted', inverted: 'yes' },
      { type: 'uncollapse' },
      // Removed: the search box's text had no listener on the host.
      { type: 'setFilter', query: 'runtime' },
    ];
    for (const b of bad) assert.equal(parseFromWebview(b), undefined, JSON.stringify(b) ?? String(b));
  });
});

describe('shared/protocol parseFromSummary', () => {
  it('accepts the summary buttons and nothing else', () => {
    for (const type of Object.values(SUMMARY_BUTTONS)) assert.deepEqual(parseFromSummary({ type, x: 1 }), { type });
    assert.deepEqual(Object.keys(SUMMARY_BUTTONS).sort(), ['show', 'switch', 'unresolved']);
    for (const b of [undefined, null, 'showOverlays', {}, { type: 'ready' }, { type: 'openSource' }, { type: 3 }])
      assert.equal(parseFromSummary(b), undefined, JSON.stringify(b) ?? String(b));
  });
});

describe('vscode/panelHtml renderPanelHtml', () => {
  const html = renderPanelHtml({
    scriptUri: 'https://file+.vscode-resource.test/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.test/ext/media/panel.css',
    cspSource: 'https://*.vscode-cdn.net',
    nonce: 'abc123',
  });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';

  it('has a strict CSP: nothing by default, scripts and styles by nonce, images from the extension', () => {
    const dirs = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k!, v]),
    );
    assert.deepEqual(dirs.get('default-src'), ["'none'"]);
    assert.deepEqual(dirs.get('script-src'), ["'nonce-abc123'"]);
    assert.deepEqual(dirs.get('style-src'), ['https://*.vscode-cdn.net', "'nonce-abc123'"]);
    assert.deepEqual(dirs.get('img-src'), ['https://*.vscode-cdn.net', 'data:']);
    assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
  });

  it('loads only the bundled script, with the nonce, and styles with the nonce', () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, ['<script nonce="abc123" src="https://file+.vscode-resource.test/ext/dist/webview.js">']);
    assert.match(html, /<style nonce="abc123">/);
    // The panel's styles: media/panel.css from the extension (allowed by style-src's cspSource).
    const links = [...html.matchAll(/<link\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(links, ['<link rel="stylesheet" href="https://file+.vscode-resource.test/ext/media/panel.css">']);
    assert.doesNotMatch(html, /\sstyle="/);
  });

  it('escapes attribute values and makes fresh nonces', () => {
    const h = renderPanelHtml({
      scriptUri: 'x"><script>alert(1)</script>',
      styleUri: 'y"><script>alert(2)</script>',
      cspSource: 's',
      nonce: 'n',
    });
    assert.doesNotMatch(h, /<script>alert/);
    const a = makeNonce();
    assert.match(a, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(a, makeNonce());
  });
});
