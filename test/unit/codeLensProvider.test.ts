/**
 * The CodeLens provider after another profile is shown (trial 4: the lens above `Apply` kept
 * "alloc_space … cum 75.71MB" for ~4 s after the mutex profile was opened). It fires its change
 * event once per burst of session changes, not on tab changes the decorations report no form change
 * for, and answers from the profile shown now. A minimal `vscode` stands in for the editor.
 */
import assert from 'node:assert/strict';
import Module from 'node:module';

type Listener<T> = (e: T) => void;
class EventEmitter<T> {
  private ls: Listener<T>[] = [];
  event = (l: Listener<T>) => {
    this.ls.push(l);
    return { dispose: () => (this.ls = this.ls.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of this.ls) l(e);
  }
  dispose(): void {
    this.ls = [];
  }
}
const tabs = new EventEmitter<void>();
const fakeVscode = {
  EventEmitter,
  Disposable: { from: (...d: { dispose(): void }[]) => ({ dispose: () => d.forEach((x) => x.dispose()) }) },
  window: { tabGroups: { onDidChangeTabGroups: tabs.event } },
  Range: class {
    constructor(readonly line: number) {}
  },
  CodeLens: class {
    constructor(
      readonly range: unknown,
      readonly command: { title: string },
    ) {}
  },
};
const mod = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
const load = mod._load;
mod._load = (req: string, ...rest: unknown[]) => (req === 'vscode' ? fakeVscode : load(req, ...rest));

const { ProfileCodeLensProvider } =
  require('../../src/vscode/editor/codeLens') as typeof import('../../src/vscode/editor/codeLens');

const NS = 'nanoseconds';
function profile(type: string, unit: string, cum: number) {
  return {
    name: `${type}.pb.gz`,
    data: { sampleTypes: [{ type, unit }], view: undefined },
    funcFlat: () => 0,
    funcCum: () => cum,
    total: () => 100e6,
  };
}
const src = ['package store', '', 'func Apply() {', '\twork()', '}'];
const doc = {
  uri: { toString: () => 'file:///store.go' },
  lineCount: src.length,
  lineAt: (l: number) => ({ text: src[l]! }),
};

describe('CodeLens provider: another profile shown', () => {
  after(() => {
    mod._load = load;
  });

  it('fires once per burst of session changes and answers from the new profile; tab changes alone do not fire', async () => {
    const session = {
      changes: new EventEmitter<string>(),
      current: profile('alloc_space', 'bytes', 75e6),
      get onDidChange() {
        return this.changes.event;
      },
      overlaysVisible: true,
      sampleIndex: 0,
      config: { codeLensEnabled: true, codeLensThreshold: 1, show: 'both', heatMetric: 'auto' },
      costsFor() {
        const p = this.current;
        return {
          profile: p,
          stale: { stale: false },
          forced: false,
          editedFunctions: new Set<number>(),
          functions: [{ index: 0, name: 'store.Apply', startLine: 3, firstLine: 4, lastLine: 4 }],
        };
      },
    };
    const compact = new EventEmitter<void>();
    const lens = new ProfileCodeLensProvider(session as never, () => false, compact.event);
    let fired = 0;
    lens.onDidChangeCodeLenses(() => fired++);
    const titles = () =>
      (lens.provideCodeLenses(doc as never) as unknown as { command: { title: string } }[]).map((l) => l.command.title);
    assert.match(titles()[0]!, /^alloc_space: flat 0 \(0%\) · cum 71\.53MB \(75\.00%\)/);

    // The mutex profile is shown: 'profile', then 'sources' once its files are mapped.
    session.current = profile('delay', NS, 40e6);
    session.changes.fire('profile');
    session.changes.fire('sources');
    // The summary editor and the flame graph open beside: tab changes, no change of the labels' form.
    tabs.fire();
    tabs.fire();
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(fired, 1);
    assert.match(titles()[0]!, /^delay: flat 0 \(0%\) · cum 40ms/);

    // A sample type switch fires again; a change of the labels' form too.
    session.changes.fire('sampleType');
    await new Promise((r) => setTimeout(r, 0));
    compact.fire();
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(fired, 3);
    lens.dispose();
  });
});
