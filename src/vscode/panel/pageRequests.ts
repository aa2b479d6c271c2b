/**
 * The last request for the panel's page ("zoom to this function", "show its callers and callees"),
 * kept until the page says it took it. A page being created, or re-created (shown again, moved to
 * another editor group), misses what is posted before its 'ready': the request is posted again after
 * each 'ready' until its 'shown' comes back. Each request replaces the one before (the page shows one
 * mode at a time). No vscode here.
 */
export interface PageRequest {
  readonly type: 'focusFunction' | 'showSandwich';
  readonly name: string;
}

export class PageRequests {
  private wanted: PageRequest | undefined;

  /** A new request: replaces the one before. */
  ask(r: PageRequest): void {
    this.wanted = r;
  }

  /** The page took a request ('shown'): done, unless a newer one came meanwhile. */
  taken(r: PageRequest): void {
    if (this.wanted && this.wanted.type === r.type && this.wanted.name === r.name) this.wanted = undefined;
  }

  /** What to post to a page that is ready (again, until taken). */
  get pending(): PageRequest | undefined {
    return this.wanted;
  }
}
