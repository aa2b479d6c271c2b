/**
 * The summary page's "Show overlays in the source" (trial 3, finding 2): with the user's code not
 * found (a second main.go in the workspace), it opened GOROOT's net/http/server.go and said nothing.
 */
import assert from 'node:assert/strict';
import { overlayTarget } from '../../src/core/overlayTarget';

type Fn = { name: string; location?: { path: string; line: number } };
const fns: Fn[] = [
  { name: 'net/http.(*conn).serve', location: { path: '/usr/lib/go-1.19/src/net/http/server.go', line: 1991 } },
  { name: 'main.handler' }, // the user's, not found
  { name: 'main.crunch', location: { path: '/ws/app/crunch.go', line: 12 } },
  { name: 'runtime.mallocgc', location: { path: '/usr/lib/go-1.19/src/runtime/malloc.go', line: 900 } },
];
const inWs = (h: Fn) => h.location !== undefined && h.location.path.startsWith('/ws/');

describe('Show overlays in the source: which file it opens', () => {
  it("the user's hottest function found, not a hotter GOROOT one", () => {
    const t = overlayTarget(fns, inWs, { user: 2, found: 1, byNameOnly: 0 });
    assert.equal(t.open?.name, 'main.crunch');
    assert.equal(t.notice, false);
  });

  it("none of the user's code found: the resolution notice (with Map), never a GOROOT file", () => {
    const t = overlayTarget(
      fns.filter((f) => f.name !== 'main.crunch'),
      inWs,
      { user: 2, found: 0, byNameOnly: 0, suggestion: { from: '/build/app', to: '/ws/app' } },
    );
    assert.equal(t.open, undefined);
    assert.equal(t.notice, true);
  });

  it('a profile without code of the user (the runtime alone): its hottest file found', () => {
    const t = overlayTarget(
      fns.filter((f) => f.name !== 'main.crunch'),
      inWs,
      { user: 0, found: 0, byNameOnly: 0 },
    );
    assert.equal(t.open?.name, 'net/http.(*conn).serve');
    // Nothing found at all: neither (the command says no file was found).
    assert.deepEqual(overlayTarget([{ name: 'main.f' }], inWs, { user: 1, found: 0, byNameOnly: 0 }), {
      notice: false,
    });
  });
});

describe('Show overlays in the source: a plain build of package main under another folder name (trial 4, relay)', () => {
  // /build/relay/main.go found as proxy/main.go by its base name only (proxy/ also has tools/gen/main.go).
  const relay: Fn[] = [
    { name: 'net/http.(*conn).serve', location: { path: '/usr/lib/go-1.19/src/net/http/server.go', line: 1991 } },
    { name: 'main.slow', location: { path: '/ws/proxy/main.go', line: 28 } },
  ];
  const byName = { user: 1, found: 0, byNameOnly: 1, suggestion: { from: '/build/relay', to: '/ws/proxy' } };
  it('opens the user’s main.go and tells the user it was matched by file name only (the notice with Map)', () => {
    const t = overlayTarget(relay, inWs, byName);
    assert.equal(t.open?.name, 'main.slow');
    assert.equal(t.notice, true);
  });
  it('found by path: opens it without a notice', () => {
    const t = overlayTarget(relay, inWs, { user: 1, found: 1, byNameOnly: 0 });
    assert.equal(t.open?.name, 'main.slow');
    assert.equal(t.notice, false);
  });
});
