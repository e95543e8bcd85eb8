// The search and its results: asking the API for the nearest services, the status line,
// the numbered list (and "show more"), the listing of one municipality's services (the same
// filters, nearest first), and selecting a result.
import { t, name, plainName, distance } from './i18n.js';
import { api } from './api.js';
import { h, replace, $, narrow } from './dom.js';
import { state, K_STEP, K_MAX, bmap } from './page-state.js';
import { serviceCard } from './service-card.js';
import { renderSelected } from './selected-service.js';
import { pickBox, syncPicks, handoverBox } from './handover.js';
import { municipalityAt } from './municipalities.js';
import { writeSearchToUrl } from './url-state.js';

let searchSeq = 0;

// What the page passes in from above (the find form sits above this module): ctx.clearFilters().
let ctx = null;

/** ctx: {clearFilters()} — lets go of the group and the type (the "show all" button). */
export function initResults(c) {
  ctx = c;
}

const round5 = (x) => Math.round(x * 1e5) / 1e5;

/** Searches from a point; `municipality` (a code) keeps the list to that municipality's
 * services, nearest first (the listing). */
export async function searchFrom({ lon, lat, how, place, k = K_STEP, municipality = '' }, { focusIndex = null } = {}) {
  const search = {
    lon: round5(lon), lat: round5(lat), k, type: state.type, group: state.group, subarea: state.subarea, how, place, municipality,
  };
  const seq = ++searchSeq;
  // Another place: the ticks of the last one go (more of the same list keeps them).
  if (state.search && (state.search.lon !== search.lon || state.search.lat !== search.lat)) state.chosen = [];
  state.search = search;
  state.selectedId = null;
  $('place-choices').hidden = true;
  setStatus({ kind: 'loading' });
  $('result-list').dataset.state = 'loading';
  let fc;
  try {
    fc = await api.nearest(search);
  } catch (e) {
    if (seq !== searchSeq) return;
    $('result-list').dataset.state = 'error';
    setStatus({ kind: 'error', retry: () => searchFrom(search) });
    return;
  }
  // A listing at the most a list takes says how many there are in all.
  if (search.municipality && fc.features.length >= K_MAX) {
    try { fc.total = await api.count(search); } catch { /* the list stands without it */ }
  }
  if (seq !== searchSeq) return;
  writeSearchToUrl(search);
  state.results = fc;
  state.selectedFeature = null;
  renderSelected();
  renderResults({ focusIndex });
  bmap?.showResults(search, fc.features, null);
  if (narrow() && how !== 'point' && focusIndex === null) $('map-area').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function outsideRegion(s) {
  const b = state.region?.bbox;
  return b && (s.lon < b[0] || s.lon > b[2] || s.lat < b[1] || s.lat > b[3]);
}

export function setStatus(status) {
  state.status = status;
  renderStatus();
}

export function renderStatus() {
  const s = state.status;
  const box = $('status');
  if (!s) return replace(box);
  const note = (cls, ...kids) => h('div', { class: `note ${cls}` }, ...kids);
  switch (s.kind) {
    case 'start': return replace(box, note('', t('state.start')));
    case 'loading': return replace(box, h('p', {}, t('state.loading')));
    case 'locating': return replace(box, h('p', {}, t('state.locating')));
    case 'error': return replace(box, note('note-error', h('p', {}, t('state.error')),
      h('button', { type: 'button', class: 'btn btn-primary', onclick: s.retry }, t('state.retry'))));
    case 'geo.denied': case 'geo.unsupported': case 'place.empty':
      return replace(box, note('note-warn', t(`state.${s.kind}`)));
    case 'results': {
      const f = state.results.features;
      if (!f.length) {
        return replace(box, note('note-warn', h('p', {}, t('state.none')), h('p', {}, t('state.none.next')),
          h('button', { type: 'button', class: 'btn btn-primary', onclick: () => ctx.clearFilters() }, t('state.clear'))),
        state.search.municipality ? listingButton(state.search) : null);
      }
      const d = distance(f[0].properties.distance_m);
      const n = f.length;
      const key = state.search.how === 'municipality' ? 'results.near.municipality'
        : state.search.how === 'location' ? 'results.near.location' : 'results.near.point';
      const filter = filterLabel();
      return replace(box,
        outsideRegion(state.search) ? note('note-warn', t('state.outside')) : null,
        h('p', { class: 'summary' }, t(key, { n, place: state.search.place })),
        filter ? h('p', {}, t('results.filters', { f: filter })) : null,
        state.search.municipality ? h('p', { id: 'results-municipality' }, t('results.in', { m: muniName(state.search.municipality) })) : null,
        state.results.total > n ? h('p', { class: 'note note-warn', id: 'results-capped' }, t('results.capped', { n, total: state.results.total })) : null,
        listingButton(state.search),
        h('p', { class: 'vh' }, n === 1 ? t('results.announce.one', { d }) : t('results.announce', { n, d })));
    }
    default: return replace(box);
  }
}

function muniName(code) {
  return state.municipalities.find((m) => m.code === code)?.name || code;
}

/** The button that lists every service of the search's municipality (same filters, nearest
 * first), or goes back to the nearest in the whole region. */
function listingButton(s) {
  if (s.municipality) {
    return h('button', {
      type: 'button', class: 'btn', id: 'list-toggle', dataset: { to: 'nearest' },
      onclick: () => searchFrom({ ...s, municipality: '', k: K_STEP }),
    }, t('results.list.nearest'));
  }
  const m = municipalityAt(s.lon, s.lat);
  if (!m) return null;
  return h('button', {
    type: 'button', class: 'btn', id: 'list-toggle', dataset: { to: m.code },
    onclick: () => searchFrom({ ...s, municipality: m.code, k: K_MAX }),
  }, t('results.list.municipality', { m: m.name }));
}

function filterLabel() {
  const tx = state.taxonomy;
  const r = tx.responses.find((x) => x.code === state.search.type);
  if (r) return plainName(r);
  const s = (tx.subareas || []).find((x) => x.code === state.search.subarea);
  if (s) return name(s);
  const g = tx.groups.find((x) => x.code === state.search.group);
  return g ? name(g) : '';
}

export function renderResults({ keepFocus = false, focusIndex = null } = {}) {
  const list = $('result-list');
  const actions = $('results-actions');
  const s = state.search;
  list.dataset.lon = s ? s.lon : '';
  list.dataset.lat = s ? s.lat : '';
  list.dataset.k = s ? s.k : '';
  list.dataset.type = s ? s.type : '';
  list.dataset.group = s ? s.group : '';
  list.dataset.subarea = s ? s.subarea || '' : '';
  list.dataset.how = s ? s.how : '';
  list.dataset.municipality = s ? s.municipality || '' : '';
  if (!state.results) {
    replace(list);
    replace(actions);
    return;
  }
  const active = keepFocus ? document.activeElement?.id : null;
  const features = state.results.features;
  list.dataset.state = features.length ? 'done' : 'empty';
  replace(list, features.map((f, i) => h('li', {
    class: `result${f.properties.id === state.selectedId ? ' is-selected' : ''}`,
    id: `result-${i + 1}`,
    dataset: { id: f.properties.id, rank: String(i + 1) },
  }, serviceCard(f, { rank: i + 1, onShow: (id) => selectResult(id, { scroll: false, fly: true }) }),
  pickBox(f, syncPicks))));
  if (state.status?.kind !== 'results') state.status = { kind: 'results' };
  renderStatus();
  const more = features.length === s.k && s.k < K_MAX;
  replace(actions,
    more ? h('button', {
      type: 'button', class: 'btn btn-primary', id: 'show-more',
      onclick: () => searchFrom({ ...s, k: Math.min(s.k + K_STEP, K_MAX) }, { focusIndex: s.k }),
    }, t('results.more')) : null,
    features.length ? h('p', { class: 'help' }, t('results.newsearch')) : null,
    handoverBox());
  if (active && document.getElementById(active)) document.getElementById(active).focus();
  if (focusIndex !== null) list.querySelector(`#result-${focusIndex + 1} h3 button, #result-${focusIndex + 1} a`)?.focus();
}

export function selectResult(id, { scroll = false, fly = true } = {}) {
  state.selectedId = id;
  for (const li of $('result-list').children) li.classList.toggle('is-selected', li.dataset.id === id);
  bmap?.selectResult(id, { fly });
  if (scroll) {
    const li = $('result-list').querySelector(`li[data-id="${CSS.escape(id)}"]`);
    if (li) {
      li.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
      const btn = li.querySelector('button[aria-expanded]');
      if (btn && btn.getAttribute('aria-expanded') !== 'true') btn.click();
      li.querySelector('h3')?.setAttribute('tabindex', '-1');
      li.querySelector('h3')?.focus({ preventScroll: true });
    }
  }
}
