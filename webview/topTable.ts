/**
 * The top table under the graph (pprof's -top by function): the virtualised VirtualTable fed
 * from the view, its sort and scroll kept in the state, a row opening its source.
 */
import { post, persist, persistSoon, fmt, state } from './state';
import { VirtualTable } from './table';

export const topTable = new VirtualTable();

/** Renders the view's top table; firstRow restores a scroll position. */
export function renderTopTable(firstRow?: number): void {
  const v = state.view!;
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
      onOpen: (r) => {
        const t = v.top;
        if (t.file[r]) post({ type: 'openSource', file: t.file[r]!, line: t.line[r]!, name: t.name[r]! });
      },
      onScroll: (first) => {
        state.tableRow = first;
        persistSoon();
      },
    },
    firstRow,
  );
}
