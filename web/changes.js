// The trends view's "what changed" table: services opened and closed, places and vacancies
// changed between two days (GET /api/changes/summary), with who changed them by role, never
// the person; its CSV download.
import { t, num, day } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';

let last = null; // {query, answer} of the last summary shown (re-rendered on a new language)
let asked = 0;

/** Loads and shows what changed for `query` {from, to, municipality, region, all}. */
export async function loadChanges(query) {
  const n = ++asked;
  setStatus(t('changes.loading'));
  $('changes-csv').href = api.changesCsvUrl(query);
  try {
    const answer = await api.changes(query);
    if (n !== asked) return;
    last = { query, answer };
    renderChanges();
  } catch {
    if (n !== asked) return;
    last = null;
    replace($('changes-box'));
    setStatus(t('changes.error'), () => loadChanges(query));
  }
}

function setStatus(text, retry) {
  replace($('changes-status'), text ? h('p', { class: 'note' }, text,
    retry ? h('button', { type: 'button', class: 'btn', onclick: retry }, t('state.retry')) : null) : null);
}

/** An event's value before or after: places of an opening or a closing, else the number. */
function value(e, which) {
  const v = e[which];
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object') return v.capacity === null || v.capacity === undefined ? '—' : t('changes.places', { n: num(v.capacity) });
  return num(v);
}

/** The table again from the last answer (in the current language). */
export function renderChanges() {
  if (!last) return;
  const { query, answer } = last;
  const all = !query.municipality;
  const events = answer.municipalities.flatMap((m) => [...m.opened, ...m.closed, ...m.changed]
    .map((e) => ({ ...e, municipality: m.name })))
    .sort((a, b) => b.at.localeCompare(a.at));
  const tot = answer.totals;
  const period = t('changes.period', { from: day(answer.from), to: day(answer.to) });
  setStatus('');
  if (!events.length) {
    replace($('changes-box'), h('p', { class: 'note', id: 'changes-none' }, t(all ? 'changes.none.all' : 'changes.none', { period })),
      all ? null : h('button', { type: 'button', class: 'btn', onclick: () => $('changes-all').click() }, t('changes.see.all')));
    return;
  }
  const signed = (n) => (n > 0 ? `+${num(n)}` : num(n));
  const summary = h('p', { class: 'summary', id: 'changes-summary' }, t('changes.totals', {
    period, opened: num(tot.opened), closed: num(tot.closed), changed: num(tot.changed), places: signed(tot.places),
  }));
  const head = h('tr', {}, h('th', { scope: 'col' }, t('changes.col.when')),
    all ? h('th', { scope: 'col' }, t('changes.col.municipality')) : null,
    h('th', { scope: 'col' }, t('changes.col.service')),
    h('th', { scope: 'col' }, t('changes.col.what')),
    h('th', { scope: 'col', class: 'num' }, t('changes.col.old')),
    h('th', { scope: 'col', class: 'num' }, t('changes.col.new')),
    h('th', { scope: 'col' }, t('changes.col.by')));
  const rows = events.map((e) => h('tr', { dataset: { service: e.service, field: e.field } },
    h('th', { scope: 'row' }, day(e.at)),
    all ? h('td', {}, e.municipality) : null,
    h('td', {}, e.name, h('span', { class: 'help changes-type' }, ` ${e.type}`)),
    h('td', {}, t(`changes.field.${e.field}`)),
    h('td', { class: 'num' }, value(e, 'old')),
    h('td', { class: 'num' }, value(e, 'new')),
    h('td', {}, t(`changes.by.${e.by}`))));
  replace($('changes-box'), summary,
    h('div', { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-labelledby': 'changes-caption' },
      h('table', { class: 'data-table', id: 'changes-table' },
        h('caption', { id: 'changes-caption', class: 'vh' }, `${t('changes.title')}: ${period}`),
        h('thead', {}, head), h('tbody', {}, rows))));
}

