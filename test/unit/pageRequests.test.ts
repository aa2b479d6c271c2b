/**
 * "Show Callers and Callees" sometimes did nothing (trial 3, finding 3): the request was posted to a
 * page being created or re-created (shown again, moved to another editor group) and forgotten at
 * once, so the new page's 'ready' found nothing to show. Now a request stays until the page says
 * 'shown', and the page's messages are checked at the boundary.
 */
import assert from 'node:assert/strict';
import { parseFromWebview } from '../../src/shared/protocol';
import { PageRequests } from '../../src/vscode/panel/pageRequests';

describe('panel page requests: kept until the page took them', () => {
  it('a request posted to a page that is re-created is posted again after its ready, until shown', () => {
    const q = new PageRequests();
    assert.equal(q.pending, undefined);
    q.ask({ type: 'showSandwich', name: 'main.crunch' });
    // Posted to the old page, which is going away: not taken, still pending for the next 'ready'.
    assert.deepEqual(q.pending, { type: 'showSandwich', name: 'main.crunch' });
    assert.deepEqual(q.pending, { type: 'showSandwich', name: 'main.crunch' });
    q.taken({ type: 'showSandwich', name: 'main.crunch' });
    assert.equal(q.pending, undefined);
  });

  it('the newest request wins; an older one taken late does not clear it', () => {
    const q = new PageRequests();
    q.ask({ type: 'showSandwich', name: 'main.a' });
    q.ask({ type: 'showSandwich', name: 'main.b' });
    q.taken({ type: 'showSandwich', name: 'main.a' });
    assert.deepEqual(q.pending, { type: 'showSandwich', name: 'main.b' });
    // A zoom asked after it replaces it (the page shows one mode at a time).
    q.ask({ type: 'focusFunction', name: 'main.b' });
    q.taken({ type: 'showSandwich', name: 'main.b' });
    assert.deepEqual(q.pending, { type: 'focusFunction', name: 'main.b' });
    q.taken({ type: 'focusFunction', name: 'main.b' });
    assert.equal(q.pending, undefined);
  });

  it("the page's 'shown' is checked at the boundary", () => {
    assert.deepEqual(parseFromWebview({ type: 'shown', request: 'showSandwich', name: 'main.f' }), {
      type: 'shown',
      request: 'showSandwich',
      name: 'main.f',
    });
    assert.equal(parseFromWebview({ type: 'shown', request: 'openSource', name: 'x' }), undefined);
    assert.equal(parseFromWebview({ type: 'shown', request: 'focusFunction', name: 3 }), undefined);
  });
});
