/**
 * The top table under the graph (pprof's -top by function): the virtualised VirtualTable fed
 * from the view, its sort and scroll kept in the state, a row opening its source.
 */
import { fmt, hooks, persist, persistSoon, post, state } from './state';
import { cursorFunction } from './cursor';
import { VirtualTable } from './table';

export const topTable = new VirtualTable();

/** Renders the view's top table; firstRow restores a scroll position. */
export function renderTopTable(firstRow?: number): void {
  const v = state.view!;
  const open = (r: number) => {
    const t = v.top;
    if (t.file[r]) post({ type: 'openSource', file: t.file[r]!, line: t.line[r]!, name: t.name[r]! });
  };
  topTable.set(
    v.top,
    {
      fmt,
      total: v.flame.reportTotal,
      sort: state.sort,
      sortDesc: state.sortDesc,
      onSort: (key, desc) => {
        state.sort = key;
        state.sortDesc = desc;
        persist();
        renderTopTable();
      },
      onOpen: (r) => open(r),
      signed: v.compare !== undefined,
      marked: (r) => v.top.name[r] === cursorFunction(),
      onScroll: (first) => {
        state.tableRow = first;
        persistSoon();
      },
      onMenu: (r, x, y, from) => hooks.frameMenu(v.top.name[r]!, x, y, from, () => open(r)),
      onSandwich: (r) => hooks.showSandwich(v.top.name[r]!),
    },
    firstRow,
  );
}
