// A table sorted by any column: each column header holds a button (mouse, touch, Enter or
// Space) and the sorted column carries aria-sort. Empty values always go last.
import { h, replace } from './dom.js';
import { t } from './i18n.js';

/** The value a column sorts by: a number, a string, or null (always last). */
function valueOf(col, row) {
  const v = col.value ? col.value(row) : row[col.key];
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  return v;
}

/**
 * The rows in the order of `sort` ({key, dir: 'asc'|'desc'}); ties in the order of `tie`
 * (a column key, ascending; the name by default).
 */
export function sortRows(rows, columns, sort, tie = 'name') {
  const col = columns.find((c) => c.key === sort.key) || columns[0];
  const tieCol = columns.find((c) => c.key === tie);
  const sign = sort.dir === 'desc' ? -1 : 1;
  const cmp = (a, b) => (typeof a === 'string' || typeof b === 'string'
    ? String(a).localeCompare(String(b), 'pt')
    : a - b);
  return [...rows].sort((ra, rb) => {
    const a = valueOf(col, ra);
    const b = valueOf(col, rb);
    if (a === null && b !== null) return 1;
    if (b === null && a !== null) return -1;
    const c = a === null ? 0 : cmp(a, b) * sign;
    if (c !== 0) return c;
    return tieCol && tieCol !== col ? cmp(valueOf(tieCol, ra) ?? '', valueOf(tieCol, rb) ?? '') : 0;
  });
}

/** The words for a sort's direction ("largest first", "A to Z"). */
export function dirWords(col, dir) {
  if (col?.num) return t(dir === 'desc' ? 'table.dir.desc' : 'table.dir.asc');
  return t(dir === 'desc' ? 'table.dir.za' : 'table.dir.az');
}

/**
 * Renders `table` (with a thead > tr, a tbody and optionally a tfoot) from `columns`
 * [{key, label, num, value(row), cell(row), first: 'asc'|'desc'}], the first column being
 * the row header. `onSort(sort)` is called with the new order; the caller re-renders.
 */
export function renderSortable(table, {
  columns, rows, sort, onSort, rowAttrs = () => ({}), footer = null, tie = 'name',
}) {
  const active = document.activeElement?.closest?.('th')?.dataset.key;
  const headRow = table.tHead.rows[0];
  replace(headRow, columns.map((c) => {
    const sorted = c.key === sort.key;
    const next = sorted ? (sort.dir === 'asc' ? 'desc' : 'asc') : (c.first || (c.num ? 'desc' : 'asc'));
    return h('th', {
      scope: 'col', class: c.num ? 'num' : null, dataset: { key: c.key },
      'aria-sort': sorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : null,
    }, h('button', {
      type: 'button', class: 'sort',
      title: t('table.sort', { col: c.label }),
      onclick: () => onSort({ key: c.key, dir: next }),
    }, h('span', {}, c.label), h('span', { class: `sort-icon${sorted ? ` is-${sort.dir}` : ''}`, 'aria-hidden': 'true' },
      sorted ? (sort.dir === 'asc' ? '▲' : '▼') : '↕')));
  }));
  const ordered = sortRows(rows, columns, sort, tie);
  const cells = (row, header) => columns.map((c, i) => {
    const content = c.cell ? c.cell(row) : valueOf(c, row);
    if (i === 0) return h('th', { scope: 'row' }, header ? header(row) : content);
    return h('td', { class: c.num ? 'num' : null, dataset: { key: c.key } }, content);
  });
  replace(table.tBodies[0], ordered.map((row) => h('tr', rowAttrs(row), cells(row))));
  if (table.tFoot) replace(table.tFoot, footer ? h('tr', footer.attrs || {}, cells(footer.row, footer.header)) : null);
  if (active) table.tHead.querySelector(`th[data-key="${CSS.escape(active)}"] button`)?.focus();
  return ordered;
}
