/**
 * The Labels tab: pprof's -tags report for the view on screen (each label key with its values and
 * their share of the key's total; numeric keys, like the heap profile's `bytes`, as a histogram in
 * the order of their size and in their unit). Clicking a value sets pprof's tagfocus to exactly
 * that value, through the host's filters (the same state as "Set Filters…" and the status bar);
 * "Group by" pivots the flame graph on a key like pprof's -tagroot: one subtree per value. The
 * report comes from the worker (core/labels) on request; every label is text, never markup.
 */
import type { LabelsReport } from '../src/shared/protocol';
import { plainText } from '../src/shared/text';
import { scaledLabel } from '../src/shared/units';
import { el } from './dom';
import { post, state } from './state';

/** Shown by the toolbar's Labels tab (app.ts applyMode). */
export const labelsPanel = el('section', { id: 'labels', role: 'tabpanel', hidden: true });
const pivotSelect = el('select', { id: 'pivot', title: 'Group the flame graph by a label (pprof -tagroot)' });
const pivotLabel = el('label', { className: 'muted' }, 'Group by label ', pivotSelect);
const body = el('div', { id: 'labels-body' });
labelsPanel.append(el('div', { className: 'bar' }, pivotLabel), body);

let report: { key: string; r: LabelsReport } | undefined;
let requested = '';
/** Wires the pivot (Group by). */
export function initLabels(): void {
  pivotSelect.addEventListener('change', () => {
    post({ type: 'setPivot', keys: pivotSelect.value === '' ? [] : [pivotSelect.value] });
  });
}

/** A new view is on screen: ask for its labels when the tab shows (once per view). */
export function onViewShown(): void {
  const v = state.view;
  if (!v || labelsPanel.hidden || requested === v.key) {
    if (v && report?.key === v.key) render();
    return;
  }
  requested = v.key;
  body.replaceChildren(el('p', { className: 'muted', textContent: 'Reading the labels…' }));
  post({ type: 'requestLabels' });
}

export function onLabels(key: string, r: LabelsReport): void {
  report = { key, r };
  if (state.view?.key === key) render();
}

function render(): void {
  const v = state.view;
  if (!v || !report) return;
  const r = report.r;
  const pivot = v.pivot?.[0] ?? '';
  pivotSelect.replaceChildren(
    el('option', { value: '', textContent: '(none)', selected: pivot === '' }),
    ...r.keys.map((k) => el('option', { value: k.key, textContent: plainText(k.key), selected: k.key === pivot })),
  );
  body.dataset.keys = String(r.keys.length);
  if (r.keys.length === 0) {
    body.replaceChildren(
      el('p', {
        className: 'muted',
        textContent:
          'This profile has no labels. Go programs add them with pprof.Do(ctx, pprof.Labels("handler", "/api/users"), …); heap profiles carry a numeric "bytes" label.',
      }),
    );
    return;
  }
  const fmt = (x: number) => scaledLabel(x, r.sampleUnit, 'minimum');
  const sections = r.keys.map((k) => {
    const rows = k.values.map((val) => {
      const bar = el('span', { className: 'label-bar' });
      bar.style.width = `${(val.share * 100).toFixed(2)}%`;
      const btn = el('button', {
        className: 'label-value',
        textContent: plainText(val.label),
        title: `Keep only samples with ${plainText(k.key)} = ${plainText(val.label)} (tagfocus=${plainText(val.tagFocus)})`,
      });
      btn.dataset.tagfocus = val.tagFocus;
      btn.addEventListener('click', () => post({ type: 'setTagFocus', value: val.tagFocus }));
      return el(
        'tr',
        {},
        el('td', { className: 'num', textContent: fmt(val.value) }),
        el('td', { className: 'num', textContent: `${(val.share * 100).toFixed(2)}%` }),
        el('td', { className: 'label-hist' }, bar),
        el('td', { className: 'name' }, btn),
      );
    });
    const what = k.numeric ? `numeric, ${k.unit}: histogram by size` : `${k.values.length} values`;
    return el(
      'div',
      { className: 'label-key' },
      el('h2', { textContent: `${plainText(k.key)} — total ${fmt(k.total)} (${what})` }),
      el('table', { className: 'labels-table' }, el('tbody', {}, ...rows)),
    );
  });
  body.replaceChildren(...sections);
}
