// Bússola map page: find care near a place, and see where care is missing.
// Plain ES modules, no framework. The list works without the map (and before it loads).
import { t, lang, setLang, name, plainName, num, numOrNoData, distance, date, fold, translateDom } from './i18n.js';
import { api } from './api.js';
import { h, replace, $, narrow } from './dom.js';
import { BussolaMap, preload } from './map.js';
import { initGaps, renderGapControls, renderDistance, renderGapFigures, markRow, printLink } from './gaps.js';
import { renderSurvey } from './survey.js';
import { initPlan, renderPlanControls, renderPlan, rerenderPlan, addSite, pickService } from './plan.js';

const K_STEP = 10;
const K_MAX = 100;
const GROUP_LETTERS = { pt: { children: 'C', disability: 'D', elderly: 'I', family: 'F' }, en: { children: 'C', disability: 'D', elderly: 'E', family: 'F' } };

const state = {
  view: 'find',
  region: null,
  taxonomy: null,
  municipalities: [], // [{code, name, folded, point: [lon, lat], bbox, props}]
  group: '',
  type: '',
  search: null, // {lon, lat, k, type, group, how: 'location'|'point'|'municipality', place}
  results: null, // FeatureCollection of the last search
  status: null, // {kind, ...} the last status message, re-rendered on language change
  selectedId: null,
  selectedFeature: null, // a service chosen on the map that is not in the results
  indicator: 'elderly',
  coverage: {}, // indicator -> report
  municipality: null, // code chosen in the coverage view
  measure: 'rate', // the coverage view: 'rate' (Carta Social) or 'distance'
  gap: {
    type: 'ERPI', metric: 'share_beyond', threshold: 10, points: false,
    sort: { key: 'share_beyond', dir: 'desc' }, // ranked by the gap
    reports: {}, // `${type}|${threshold}` -> /api/gaps report
  },
  plan: {
    type: 'ERPI', capacity: 40, threshold: 10, points: true,
    sites: [], closed: [], next: 1, services: {}, outcome: null, body: null,
  },
};

const VIEWS = ['find', 'coverage', 'plan'];

let bmap = null;
let searchSeq = 0;

// ---------------------------------------------------------------- start

async function start() {
  preload().catch(() => {}); // failures are reported when the map starts
  const params = new URLSearchParams(location.search);
  let saved = null;
  try { saved = localStorage.getItem('bussola.lang'); } catch { /* storage blocked */ }
  setLang(params.get('lang') || saved || 'pt');
  applyLang();
  bindStatic();
  const ctx = {
    state,
    map: () => (bmap?.ready ? bmap : null),
    chooseMunicipality: (code, opts) => chooseMunicipality(code, opts),
    regionName: () => state.region?.name,
    municipalityAt,
  };
  initGaps(ctx);
  initPlan(ctx);
  // The map's legend follows the panels' legends.
  const watch = new MutationObserver(() => { if (state.view !== 'find') mirrorLegend(); });
  for (const id of ['coverage-legend-items', 'coverage-legend-title', 'plan-legend']) {
    watch.observe($(id), { childList: true, characterData: true, subtree: true });
  }

  const hash = location.hash.replace('#', '');
  if (['coverage', 'cobertura', 'distance', 'distancia'].includes(hash)) state.view = 'coverage';
  if (['distance', 'distancia'].includes(hash)) state.measure = 'distance';
  if (['plan', 'simular'].includes(hash)) state.view = 'plan';

  setStatus({ kind: 'start' });
  let region;
  try {
    [region, state.taxonomy] = await Promise.all([api.region(), api.taxonomy()]);
  } catch (e) {
    setStatus({ kind: 'error', retry: () => location.reload() });
    return;
  }
  state.region = region;
  $('banner-approximate').hidden = !region.approximate_boundaries;
  $('banner-demo').hidden = !(region.demo_services > 0);
  replace($('sources'), (region.attribution || []).map((a) => h('li', {}, a)));
  renderGroups();
  renderTypes();
  renderGapControls();
  renderPlanControls();
  renderPlan();
  loadMunicipalities();
  startMap(region);
  setView(state.view, { initial: true });
}

function startMap(region) {
  bmap = new BussolaMap($('map'), {
    onPlace: (ll) => searchFrom({ lon: ll.lng, lat: ll.lat, how: 'point' }),
    onService: (id) => chooseService(id),
    onResult: (id) => selectResult(id, { scroll: true, fly: false }),
    onMunicipality: (code) => chooseMunicipality(code, { fit: false, scroll: true }),
    onPlanPoint: (ll) => addSite(ll.lng, ll.lat),
    onPlanService: (id) => pickService(id),
    onPlanSite: (n) => $('plan-sites').querySelector(`li[data-n="${n}"] button`)?.focus(),
  });
  bmap.setLang(lang(), mapLabels());
  bmap.setView(state.view);
  bmap.setIndicator(state.indicator);
  bmap.setMeasure(state.measure);
  bmap.setFilters(mapFilters());
  bmap.init({ bbox: region.bbox, attribution: region.attribution, targets: region.targets })
    .then((map) => {
      $('map-message').hidden = true;
      bmap.setLang(lang(), mapLabels());
      renderMapLegend();
      if (state.view === 'coverage') {
        renderCoverage();
        if (bmap.legendInset) bmap.fitRegion(); // the view changed while the map loaded
      }
      renderPlan();
      if (state.results) bmap.showResults(state.search, state.results.features, state.selectedId);
      if (state.municipality) bmap.selectMunicipality(state.municipality);
      map.once('idle', () => { document.body.dataset.mapReady = '1'; });
    })
    .catch((e) => {
      console.warn('map unavailable', e);
      const msg = $('map-message');
      msg.hidden = false;
      msg.dataset.i18n = 'state.map.unavailable';
      msg.textContent = t('state.map.unavailable');
      for (const el of document.querySelectorAll('.map-hint')) el.hidden = true;
      document.body.dataset.mapReady = 'failed';
    });
}

function mapLabels() {
  const what = { find: t('map.label'), coverage: `${t('cov.title')}. ${t('cov.pick')}`, plan: `${t('plan.title')} ${t('plan.map.hint')}` }[state.view];
  return { zoomIn: t('map.zoomin'), zoomOut: t('map.zoomout'), attribution: t('map.attrib'), map: `${what} ${t('map.canvas')}` };
}

function bindStatic() {
  $('lang-switch').addEventListener('click', () => {
    setLang(lang() === 'pt' ? 'en' : 'pt');
    try { localStorage.setItem('bussola.lang', lang()); } catch { /* private mode */ }
    applyLang();
    rerender();
  });
  $('view-find').addEventListener('click', () => setView('find'));
  $('view-coverage').addEventListener('click', () => setView('coverage'));
  $('view-plan').addEventListener('click', () => setView('plan'));
  for (const r of document.querySelectorAll('input[name="measure"]')) {
    r.addEventListener('change', (e) => { if (e.target.checked) setMeasure(e.target.value); });
  }
  $('find-form').addEventListener('submit', (e) => {
    e.preventDefault();
    searchByName($('place-input').value);
  });
  $('place-input').addEventListener('input', (e) => {
    // Choosing a suggestion of the list searches at once.
    if (e.inputType === 'insertReplacementText' || e.inputType === undefined) {
      const m = state.municipalities.find((x) => x.folded === fold(e.target.value));
      if (m) searchByName(m.name);
    }
  });
  $('locate').addEventListener('click', locate);
  $('type-select').addEventListener('change', (e) => setFilters({ group: state.group, type: e.target.value }));
  for (const r of document.querySelectorAll('input[name="indicator"]')) {
    r.addEventListener('change', (e) => { if (e.target.checked) setIndicator(e.target.value); });
  }
}

function applyLang() {
  document.documentElement.lang = lang();
  document.title = t('doc.title');
  translateDom();
  const sw = $('lang-switch');
  sw.setAttribute('lang', lang() === 'pt' ? 'en' : 'pt');
  $('quality-link').href = `/quality?lang=${lang()}`;
  $('privacy-link').href = `/privacy.html${lang() === 'en' ? '#en' : ''}`;
  renderSurvey();
}

/** Everything built from data, again in the new language. */
function rerender() {
  if (!state.taxonomy) return;
  renderGroups();
  renderTypes();
  renderStatus();
  renderResults({ keepFocus: true });
  renderSelected();
  renderMapLegend();
  bmap?.setLang(lang(), mapLabels());
  renderGapControls();
  rerenderPlan();
  if (state.view === 'coverage') renderCoverage();
  $('indicator-help').textContent = t(`cov.${state.indicator}.help`);
}

// ---------------------------------------------------------------- views

/** The services the map's tiles show: the search's filters, or the what-if's type. */
function mapFilters() {
  return state.view === 'plan' ? { group: '', type: state.plan.type } : { group: state.group, type: state.type };
}

function setView(view, { initial = false } = {}) {
  const was = state.view;
  state.view = VIEWS.includes(view) ? view : 'find';
  view = state.view;
  const find = view === 'find';
  const coverage = view === 'coverage';
  const plan = view === 'plan';
  $('main').dataset.view = view;
  for (const v of VIEWS) $(`view-${v}`).setAttribute('aria-pressed', String(v === view));
  $('find-panel').hidden = !find;
  $('results').hidden = !find;
  $('coverage-panel').hidden = !coverage;
  $('coverage-details').hidden = !coverage;
  $('plan-panel').hidden = !plan;
  $('plan-results').hidden = !plan;
  if (was !== view || initial) legendFor(view, was);
  mirrorLegend();
  bmap?.setFilters(mapFilters());
  bmap?.setView(view);
  bmap?.setLang(lang(), mapLabels());
  bmap?.resize();
  if (!initial && !find && was === 'find') bmap?.fitRegion();
  if (!initial) {
    const hash = coverage ? (state.measure === 'distance' ? '#distance' : '#coverage') : plan ? '#plan' : '';
    history.replaceState(null, '', hash || location.pathname + location.search);
  }
  if (coverage) {
    $('indicator-help').textContent = t(`cov.${state.indicator}.help`);
    renderCoverage();
  }
  if (plan) renderPlan();
}

/** The coverage view's measure: Carta Social's rate or the distance to care. */
function setMeasure(measure) {
  state.measure = measure === 'distance' ? 'distance' : 'rate';
  bmap?.setMeasure(state.measure);
  history.replaceState(null, '', state.measure === 'distance' ? '#distance' : '#coverage');
  renderCoverage();
}

// ---------------------------------------------------------------- what you need

function groupBadge(group) {
  const letter = GROUP_LETTERS[lang()][group];
  return letter ? h('span', { class: `gbadge g-${group}`, 'aria-hidden': 'true' }, letter) : null;
}

function renderGroups() {
  const box = $('group-choices');
  const chip = (value, label, badge) => h('label', { class: 'chip' },
    h('input', {
      type: 'radio', name: 'group', value, checked: state.group === value,
      onchange: (e) => { if (e.target.checked) setFilters({ group: value, type: typeFits(state.type, value) ? state.type : '' }); },
    }),
    h('span', {}, badge, label));
  replace(box,
    chip('', t('find.group.all')),
    state.taxonomy.groups.map((g) => chip(g.code, name(g), groupBadge(g.code))));
}

function typeFits(type, group) {
  if (!type || !group) return true;
  return state.taxonomy.responses.find((r) => r.code === type)?.group === group;
}

function renderTypes() {
  const sel = $('type-select');
  const groups = state.taxonomy.groups.filter((g) => !state.group || g.code === state.group);
  replace(sel,
    h('option', { value: '' }, t('find.type.any')),
    groups.map((g) => h('optgroup', { label: name(g) },
      state.taxonomy.responses.filter((r) => r.group === g.code)
        .map((r) => h('option', { value: r.code, selected: r.code === state.type }, plainName(r))))));
  sel.value = state.type;
}

function setFilters({ group, type }) {
  const changedGroup = group !== state.group;
  state.group = group;
  state.type = type;
  if (changedGroup) renderTypes();
  else $('type-select').value = type;
  for (const r of document.querySelectorAll('input[name="group"]')) r.checked = r.value === group;
  if (state.view !== 'plan') bmap?.setFilters(mapFilters());
  if (state.search) searchFrom({ ...state.search, k: K_STEP });
}

// ---------------------------------------------------------------- where you are

async function loadMunicipalities() {
  try {
    const fc = await api.municipalities();
    state.municipalities = fc.features.map((f) => ({
      code: f.properties.code,
      name: f.properties.name,
      folded: fold(f.properties.name),
      seatFolded: fold(typeof f.properties.seat === 'string' ? f.properties.seat : f.properties.seat?.name),
      point: seatOf(f),
      seatFromApi: Number.isFinite(f.properties.seat?.lon) || Number.isFinite(f.properties.seat_lon),
      bbox: bboxOf(f.geometry),
      geometry: f.geometry,
      props: f.properties,
    })).sort((a, b) => a.name.localeCompare(b.name, 'pt'));
    replace($('municipality-names'), state.municipalities.map((m) => h('option', { value: m.name })));
    renderPlanControls();
    if (state.view === 'coverage') renderCoverage();
  } catch (e) {
    console.warn('municipalities', e);
  }
}

/** The seat when the API gives its position; otherwise the centroid of the largest polygon
 * (the search prefers the seat from the map's label points when the map has loaded). */
function seatOf(f) {
  const p = f.properties;
  if (Number.isFinite(p.seat?.lon) && Number.isFinite(p.seat?.lat)) return [p.seat.lon, p.seat.lat];
  if (Number.isFinite(p.seat_lon) && Number.isFinite(p.seat_lat)) return [p.seat_lon, p.seat_lat];
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  let best = null;
  let bestArea = -1;
  for (const poly of polys) {
    const ring = poly[0];
    let a = 0; let cx = 0; let cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      a += cross;
      cx += (ring[j][0] + ring[i][0]) * cross;
      cy += (ring[j][1] + ring[i][1]) * cross;
    }
    if (Math.abs(a) > bestArea && a !== 0) {
      bestArea = Math.abs(a);
      best = [cx / (3 * a), cy / (3 * a)];
    }
  }
  return best;
}

/** The municipality a point falls in ({code, name}) or null (ray casting on the API's
 * boundaries; holes respected). */
function municipalityAt(lon, lat) {
  const inRing = (ring) => {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  for (const m of state.municipalities) {
    const b = m.bbox;
    if (!m.geometry || lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) continue;
    const polys = m.geometry.type === 'Polygon' ? [m.geometry.coordinates] : m.geometry.coordinates;
    if (polys.some((poly) => inRing(poly[0]) && !poly.slice(1).some(inRing))) return { code: m.code, name: m.name };
  }
  return null;
}

function bboxOf(geometry) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
      b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
    } else c.forEach(walk);
  };
  walk(geometry.coordinates);
  return b;
}

/** A typed place: the server's place search (municipalities and localities), or, when it is
 * not available, the municipality names matched here. */
async function searchByName(text) {
  const q = fold(text);
  $('place-choices').hidden = true;
  if (!q) return setStatus({ kind: 'place.empty' });
  let places;
  try {
    places = (await api.places(text.trim())).places;
  } catch (e) {
    places = e.status === 404 || e.status === 400 ? localPlaces(q) : null;
    if (!places) return setStatus({ kind: 'error', retry: () => searchByName(text) });
  }
  const exact = places.filter((p) => fold(p.name) === q);
  const pick = exact.find((p) => p.kind === 'municipality') || (exact.length === 1 ? exact[0] : null)
    || (places.length === 1 ? places[0] : null);
  if (pick) return searchPlace(pick);
  return offerPlaces(text.trim(), places);
}

function localPlaces(q) {
  const ms = state.municipalities;
  let found = ms.filter((m) => m.folded === q || m.seatFolded === q);
  if (!found.length) found = ms.filter((m) => m.folded.startsWith(q));
  if (!found.length) found = ms.filter((m) => q.split(' ').every((w) => m.folded.includes(w)));
  return found.map((m) => ({ name: m.name, kind: 'municipality', municipality: m.code, lon: m.point[0], lat: m.point[1], local: true }));
}

function searchPlace(p) {
  $('place-input').value = p.name;
  let { lon, lat } = p;
  // Without the server's place search, prefer the seat the map's labels give.
  if (p.local) [lon, lat] = bmap?.seat(p.municipality) || [lon, lat];
  return searchFrom({ lon, lat, how: 'municipality', place: p.name });
}

/** Several places match, or none: buttons to choose one (all municipalities when none). */
function offerPlaces(text, places) {
  const box = $('place-choices');
  const none = !places.length;
  const list = none
    ? state.municipalities.map((m) => ({ name: m.name, kind: 'municipality', municipality: m.code, lon: m.point[0], lat: m.point[1], local: true }))
    : places;
  const muniName = (code) => state.municipalities.find((m) => m.code === code)?.name;
  state.status = null;
  renderStatus();
  replace(box,
    h('p', { class: 'note note-warn', role: 'alert' }, t(none ? 'state.place.none' : 'state.place.some', { q: text })),
    h('ul', {}, list.map((p) => h('li', {}, h('button', {
      type: 'button', class: 'btn',
      onclick: () => { box.hidden = true; if (none) searchByName(p.name); else searchPlace(p); },
    }, p.name, p.kind === 'locality' && muniName(p.municipality) ? ` (${muniName(p.municipality)})` : '')))));
  box.hidden = false;
  return null;
}

function locate() {
  if (!('geolocation' in navigator)) return setStatus({ kind: 'geo.unsupported' });
  setStatus({ kind: 'locating' });
  const btn = $('locate');
  btn.disabled = true;
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      btn.disabled = false;
      searchFrom({ lon: pos.coords.longitude, lat: pos.coords.latitude, how: 'location' });
    },
    () => {
      btn.disabled = false;
      setStatus({ kind: 'geo.denied' });
    },
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
  );
  return null;
}

// ---------------------------------------------------------------- search

const round5 = (x) => Math.round(x * 1e5) / 1e5;

async function searchFrom({ lon, lat, how, place, k = K_STEP }, { focusIndex = null } = {}) {
  const search = {
    lon: round5(lon), lat: round5(lat), k, type: state.type, group: state.group, how, place,
  };
  const seq = ++searchSeq;
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
  if (seq !== searchSeq) return;
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

function setStatus(status) {
  state.status = status;
  renderStatus();
}

function renderStatus() {
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
          h('button', { type: 'button', class: 'btn btn-primary', onclick: () => setFilters({ group: '', type: '' }) }, t('state.clear'))));
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
        h('p', { class: 'vh' }, n === 1 ? t('results.announce.one', { d }) : t('results.announce', { n, d })));
    }
    default: return replace(box);
  }
}

function filterLabel() {
  const tx = state.taxonomy;
  const r = tx.responses.find((x) => x.code === state.search.type);
  if (r) return plainName(r);
  const g = tx.groups.find((x) => x.code === state.search.group);
  return g ? name(g) : '';
}

function renderResults({ keepFocus = false, focusIndex = null } = {}) {
  const list = $('result-list');
  const actions = $('results-actions');
  const s = state.search;
  list.dataset.lon = s ? s.lon : '';
  list.dataset.lat = s ? s.lat : '';
  list.dataset.k = s ? s.k : '';
  list.dataset.type = s ? s.type : '';
  list.dataset.group = s ? s.group : '';
  list.dataset.how = s ? s.how : '';
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
  }, serviceCard(f, { rank: i + 1 }))));
  if (state.status?.kind !== 'results') state.status = { kind: 'results' };
  renderStatus();
  const more = features.length === s.k && s.k < K_MAX;
  replace(actions,
    more ? h('button', {
      type: 'button', class: 'btn btn-primary', id: 'show-more',
      onclick: () => searchFrom({ ...s, k: Math.min(s.k + K_STEP, K_MAX) }, { focusIndex: s.k }),
    }, t('results.more')) : null,
    features.length ? h('p', { class: 'help' }, t('results.newsearch')) : null);
  if (active && document.getElementById(active)) document.getElementById(active).focus();
  if (focusIndex !== null) list.querySelector(`#result-${focusIndex + 1} h3 button, #result-${focusIndex + 1} a`)?.focus();
}

function safeUrl(u) {
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A service as a card: for the results list (with rank) and for a service chosen on the map. */
/** Days since a YYYY-MM-DD date (null when there is none). */
function daysSince(iso) {
  const t0 = iso ? Date.parse(`${iso}T00:00:00Z`) : NaN;
  return Number.isNaN(t0) ? null : Math.floor((Date.now() - t0) / 86400000);
}

/** Vacancies with the day they were declared; a declaration over 30 days old is faded. */
function vacancies(p) {
  if (p.vacancies == null) return null;
  if (!p.vacancies_declared) return num(p.vacancies);
  const old = daysSince(p.vacancies_declared) > 30;
  return h('span', { class: old ? 'vacancies-old' : null },
    t('svc.vacancies.declared', { n: num(p.vacancies), date: date(p.vacancies_declared) }),
    old ? ` · ${t('svc.vacancies.old')}` : '');
}

/** "Confirmed by the provider on …", "Not confirmed since …" or "Never confirmed". */
function freshness(p) {
  if (p.confirmed) return t('svc.confirmed', { date: date(p.confirmed) });
  return p.updated ? t('svc.unconfirmed', { date: date(p.updated) }) : t('svc.never');
}

/** Counts a followed contact link (no personal data; sent even as the page is left). */
function contacted(id, how) {
  const url = `/api/services/${encodeURIComponent(id)}/contacted`;
  const body = JSON.stringify({ how });
  try {
    if (!navigator.sendBeacon?.(url, new Blob([body], { type: 'application/json' }))) {
      fetch(url, { method: 'POST', body, keepalive: true, headers: { 'content-type': 'application/json' } }).catch(() => {});
    }
  } catch { /* counting never gets in the way of calling */ }
}

function serviceCard(f, { rank = null, headingId = null } = {}) {
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  const c = p.contact || {};
  const uid = rank ? `r${rank}` : 'sel';
  const moreId = `${uid}-more`;
  const response = state.taxonomy.responses.find((r) => r.code === p.type);
  const web = c.website && safeUrl(c.website);
  const addr = [p.address, p.postal_code, p.locality]
    .filter((x, i, all) => x && !all.slice(0, i).some((y) => y && fold(y).includes(fold(x))))
    .join(', ');
  const row = (k, v) => (v === null || v === undefined || v === '' ? null : [h('dt', {}, k), h('dd', {}, v)]);
  const more = h('dl', { class: 'more', id: moreId, hidden: true },
    row(t('svc.provider'), p.provider ? [p.provider.name, p.provider.legal_nature ? ` (${t(`svc.nature.${p.provider.legal_nature}`)})` : ''] : null),
    row(name(p.type_name), response ? plainName(response) : null),
    row(t('svc.capacity'), p.capacity != null ? num(p.capacity) : t('svc.unknown')),
    row(t('svc.users'), p.users != null ? num(p.users) : null),
    row(t('svc.vacancies'), vacancies(p)),
    row(t('svc.hours'), p.opening_hours),
    row(t('svc.municipality'), p.municipality?.name),
    row(t('svc.precision'), p.precision ? t(`svc.precision.${p.precision}`) : null),
    row(t('svc.updated'), date(p.updated)),
    row(t('svc.source'), p.source));
  const toggle = h('button', {
    type: 'button', class: 'btn', 'aria-expanded': 'false', 'aria-controls': moreId,
    'aria-label': t('svc.details.label', { name: p.name }),
    onclick: (e) => {
      const open = e.currentTarget.getAttribute('aria-expanded') !== 'true';
      e.currentTarget.setAttribute('aria-expanded', String(open));
      more.hidden = !open;
    },
  }, t('svc.details'));
  return h('article', { 'aria-labelledby': headingId || `${uid}-name` },
    rank ? h('span', { class: 'rank', 'aria-hidden': 'true' }, rank) : null,
    h('h3', { id: headingId || `${uid}-name` },
      rank ? h('span', { class: 'vh' }, `${t('svc.number', { n: rank })}: `) : null,
      p.name),
    h('p', { class: 'kind' }, groupBadge(p.group), name(p.type_name), p.group_name ? ` · ${name(p.group_name)}` : ''),
    p.distance_m != null ? h('p', { class: 'distance' }, t('svc.distance', { d: distance(p.distance_m) }),
      p.municipality?.name ? ` · ${p.locality && p.locality !== p.municipality.name ? `${p.locality}, ` : ''}${p.municipality.name}` : '') : null,
    p.demo ? h('p', { class: 'demo-tag' }, t('svc.demo')) : null,
    h('p', { class: 'freshness' }, freshness(p)),
    h('ul', { class: 'contacts' },
      c.phone ? h('li', {}, h('span', { class: 'k' }, `${t('svc.phone')}:`), h('a', { href: `tel:${c.phone.replace(/[^\d+]/g, '')}`, onclick: () => contacted(p.id, 'phone') }, c.phone)) : null,
      c.email ? h('li', {}, h('span', { class: 'k' }, `${t('svc.email')}:`), h('a', { href: `mailto:${c.email}`, onclick: () => contacted(p.id, 'email') }, c.email)) : null,
      web ? h('li', {}, h('span', { class: 'k' }, `${t('svc.website')}:`), h('a', { href: web, rel: 'noopener', target: '_blank', onclick: () => contacted(p.id, 'website') }, new URL(web).host)) : null),
    addr ? h('p', { class: 'address' }, h('span', { class: 'k' }, `${t('svc.address')}: `), addr) : null,
    h('div', { class: 'actions' },
      h('a', {
        class: 'btn btn-primary', rel: 'noopener', target: '_blank',
        href: `https://www.google.com/maps/dir/?api=1&destination=${lat},${lon}`,
        'aria-label': t('svc.directions.label', { name: p.name }),
        onclick: () => contacted(p.id, 'directions'),
      }, t('svc.directions')),
      toggle,
      rank ? h('button', {
        type: 'button', class: 'btn',
        onclick: () => { selectResult(p.id, { scroll: false, fly: true }); if (narrow()) $('map-area').scrollIntoView({ behavior: 'smooth' }); },
      }, t('svc.show')) : null),
    more);
}

function selectResult(id, { scroll = false, fly = true } = {}) {
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

/** A service clicked on the map: the result when it is one, else a card above the results. */
async function chooseService(id) {
  if (state.results?.features.some((f) => f.properties.id === id)) return selectResult(id, { scroll: true, fly: false });
  state.selectedFeature = { loading: true, id };
  renderSelected();
  try {
    const f = await api.service(id);
    if (state.selectedFeature?.id !== id) return null;
    state.selectedFeature = f;
  } catch {
    state.selectedFeature = { error: true, id };
  }
  renderSelected();
  const box = $('selected');
  box.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  box.focus({ preventScroll: true });
  return null;
}

function renderSelected() {
  const box = $('selected');
  const f = state.selectedFeature;
  if (!f) {
    box.hidden = true;
    replace(box);
    return;
  }
  box.hidden = false;
  const close = h('button', {
    type: 'button', class: 'btn', onclick: () => { state.selectedFeature = null; renderSelected(); },
  }, t('svc.close'));
  const head = h('div', { class: 'selected-head' }, h('p', { id: 'selected-title' }, t('svc.selected')), close);
  if (f.loading) return replace(box, head, h('p', {}, t('svc.loading')));
  if (f.error) {
    return replace(box, head, h('div', { class: 'note note-error' }, h('p', {}, t('svc.error')),
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => chooseService(f.id) }, t('state.retry'))));
  }
  replace(box, head, serviceCard(f, { headingId: 'selected-name' }), reportForm(f.id));
  return null;
}

const PROBLEMS = ['phone_not_answering', 'closed', 'wrong_place', 'wrong_details', 'other'];

/** "Is this wrong?": a citizen tells the provider and the moderators, without an account. */
function reportForm(id) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const note = h('textarea', { id: 'report-note', name: 'note', rows: 3, maxlength: 500 });
  const send = h('button', { type: 'submit', class: 'btn btn-primary' }, t('report.send'));
  const form = h('form', {
    class: 'report-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const problem = form.querySelector('input[name=problem]:checked')?.value;
      if (!problem) {
        status.textContent = t('report.choose');
        return;
      }
      send.disabled = true;
      status.textContent = t('report.sending');
      try {
        await api.report(id, { problem, note: note.value });
        form.replaceChildren(h('p', { class: 'note', id: 'report-done' }, t('report.thanks')));
      } catch (err) {
        send.disabled = false;
        status.textContent = err.status === 429 ? t('report.later') : t('report.error');
      }
    },
  },
  h('fieldset', {}, h('legend', {}, t('report.what')),
    PROBLEMS.map((p) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'problem', value: p }), ` ${t(`report.${p}`)}`))),
  h('label', { for: 'report-note' }, t('report.note')), note,
  h('p', { class: 'hint' }, t('report.privacy'), ' ',
    h('a', { href: `/privacy.html${lang() === 'en' ? '#en' : ''}` }, t('footer.privacy'))),
  send, status);
  return h('details', { class: 'report', id: 'report' }, h('summary', {}, t('report.open')), form);
}

/** The map's legend box: the find view's own, or a copy of the planners' legend (the panel
 * holds it too, further down), open from the start on wide screens. */
function mirrorLegend() {
  const box = $('map-legend');
  const mirror = $('map-legend-mirror');
  const view = state.view;
  $('map-legend-items').hidden = view !== 'find';
  mirror.hidden = view === 'find';
  if (view === 'find') {
    box.hidden = false;
    return;
  }
  const src = view === 'coverage' ? $('coverage-legend') : $('plan-legend');
  const title = view === 'coverage' ? $('coverage-legend-title').textContent : '';
  const items = src.matches('ul') ? src : src.querySelector('ul');
  replace(mirror, title ? h('p', { class: 'legend-mirror-title' }, title) : null,
    h('ul', { class: 'legend-items' }, [...items.children].map((li) => li.cloneNode(true))));
  box.hidden = !items.children.length;
}

/** Opens or closes the map's legend for a view: the find view's as the user left it, the
 * coverage view's open on wide screens, the what-if's closed (its legend is in the panel,
 * beside the controls, and the map is where the planner clicks). */
function legendFor(view, was) {
  const box = $('map-legend');
  if (was === 'find') box.dataset.findOpen = box.open ? '1' : '';
  box.open = view === 'find' ? box.dataset.findOpen === '1' : view === 'coverage' && !narrow();
  if (bmap) bmap.legendInset = view === 'coverage' && box.open ? 280 : 0;
}

function renderMapLegend() {
  const groups = state.taxonomy?.groups || [];
  replace($('map-legend-items'),
    groups.map((g) => h('li', {}, groupBadge(g.code), name(g))),
    h('li', {}, h('span', { class: 'circle-sample', 'aria-hidden': 'true' }, '12'), t('legend.cluster')),
    h('li', {}, h('span', { class: 'circle-sample rank-sample', 'aria-hidden': 'true' }, '1'), t('legend.result')),
    h('li', {}, h('span', { class: 'circle-sample origin-sample', 'aria-hidden': 'true' }), t('legend.origin')),
    h('li', {}, h('span', { class: 'circle-sample approx-sample', 'aria-hidden': 'true' }), t('legend.approximate')));
}

// ---------------------------------------------------------------- coverage

function setIndicator(indicator) {
  state.indicator = indicator;
  bmap?.setIndicator(indicator);
  $('indicator-help').textContent = t(`cov.${indicator}.help`);
  renderCoverage();
}

/** Fallback classes when the map (and its style) did not load. */
function legendClasses() {
  const c = bmap?.classes(state.indicator);
  if (c) return c;
  const target = state.region?.targets?.[state.indicator] ?? (state.indicator === 'elderly' ? 12 : 33);
  const f = [2 / 3, 1, 1.25, 1.5];
  return { breaks: f.map((x) => Math.round(x * target * 10) / 10), target, colors: ['#e66101', '#fdb863', '#dadaeb', '#9e9ac8', '#54278f'], noData: '#bdbdbd' };
}

function renderLegend() {
  const c = legendClasses();
  const n1 = (x) => num(x, Number.isInteger(x) ? 0 : 1);
  const items = c.colors.map((color, i) => {
    const a = c.breaks[i - 1];
    const b = c.breaks[i];
    const label = i === 0 ? t('cov.legend.below', { b: n1(b) })
      : i === c.colors.length - 1 ? t('cov.legend.above', { a: n1(a) })
        : t('cov.legend.range', { a: n1(a), b: n1(b) });
    const atTarget = a === c.target;
    return h('li', {}, h('span', { class: 'swatch', style: `background:${color}`, 'aria-hidden': 'true' }),
      h('span', { class: atTarget ? 'legend-target' : '' }, label, atTarget ? ` (${t('cov.legend.target')} ${n1(c.target)})` : ''));
  });
  replace($('coverage-legend-items'), items,
    h('li', {}, h('span', { class: 'swatch', style: `background:${c.noData}`, 'aria-hidden': 'true' }), t('cov.legend.nodata')),
    h('li', {}, h('span', { class: 'swatch swatch-hatch', 'aria-hidden': 'true' }), t('cov.legend.noplaces')),
    h('li', {}, h('span', { class: 'swatch swatch-dashed', 'aria-hidden': 'true' }), t('cov.legend.belowregional')));
  $('coverage-legend').dataset.indicator = state.indicator;
}

async function renderCoverage() {
  const distance = state.measure === 'distance';
  for (const r of document.querySelectorAll('input[name="measure"]')) r.checked = r.value === state.measure;
  $('rate-controls').hidden = distance;
  $('distance-controls').hidden = !distance;
  $('coverage-table-box').hidden = distance;
  $('gaps-table-box').hidden = !distance;
  const intro = $('coverage-intro');
  intro.dataset.i18n = distance ? 'cov.intro.distance' : 'cov.intro';
  intro.textContent = t(intro.dataset.i18n);
  if (distance) {
    renderDistance();
    return;
  }
  const legendTitle = $('coverage-legend-title');
  legendTitle.dataset.i18n = 'cov.legend';
  legendTitle.textContent = t('cov.legend');
  $('coverage-csv').href = api.coverageCsvUrl(state.indicator);
  renderLegend();
  const ind = state.indicator;
  let report = state.coverage[ind];
  if (!report) {
    replace($('region-summary'), t('state.loading'));
    try {
      report = await api.coverage(ind);
      state.coverage[ind] = report;
    } catch {
      replace($('region-summary'), h('span', { class: 'note note-error' }, t('cov.error')), ' ',
        h('button', { type: 'button', class: 'btn', onclick: () => renderCoverage() }, t('state.retry')));
      return;
    }
    if (state.indicator !== ind || state.measure !== 'rate') return;
  }
  if (state.measure !== 'rate') return;
  replace($('region-summary'), t('cov.region', {
    region: state.region?.name || report.region.name,
    rate: num(report.region.rate, 1),
    target: num(report.target, Number.isInteger(report.target) ? 0 : 1),
  }));
  renderTable(report);
  renderFigures(report);
}

function gapBadge(cls) {
  return h('span', { class: `gap gap-${cls}` }, t(`cov.gap.${cls}`));
}

function renderTable(report) {
  $('coverage-caption').textContent = t('cov.table.caption', { indicator: t(`cov.${report.indicator}`) });
  const rows = [...report.municipalities].sort((a, b) => a.name.localeCompare(b.name, 'pt'));
  const cell = (key, cls, ...kids) => h('td', { class: cls, role: 'cell', 'data-label': t(key) }, ...kids);
  replace($('coverage-table').tBodies[0], rows.map((r) => h('tr', {
    class: r.code === state.municipality ? 'is-selected' : '', dataset: { code: r.code }, role: 'row',
  },
  h('th', { scope: 'row', role: 'rowheader' }, h('button', {
    type: 'button', 'aria-label': t('cov.table.show', { name: r.name }),
    onclick: () => chooseMunicipality(r.code, { fit: true, scroll: false, focus: true }),
  }, r.name)),
  cell('cov.table.rate', 'num', r.rate == null ? '—' : num(r.rate, 1)),
  cell('cov.table.situation', '', gapBadge(r.gap_class)),
  cell('cov.table.population', 'num', numOrNoData(r.population)),
  cell('cov.table.capacity', 'num', num(r.capacity)))));
}

function chooseMunicipality(code, { fit = false, scroll = false, focus = false } = {}) {
  state.municipality = code;
  const m = state.municipalities.find((x) => x.code === code);
  bmap?.selectMunicipality(code, fit ? m?.bbox : null);
  const report = state.coverage[state.indicator];
  if (state.measure === 'distance') {
    renderGapFigures();
    markRow(code);
  } else if (report) {
    renderFigures(report);
    for (const tr of $('coverage-table').tBodies[0].rows) tr.classList.toggle('is-selected', tr.dataset.code === code);
  }
  const fig = $('figures');
  if (scroll && narrow()) fig.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  if (focus) fig.focus({ preventScroll: !narrow() });
}

function renderFigures(report) {
  if (state.measure === 'distance') return;
  const box = $('figures');
  const row = report.municipalities.find((r) => r.code === state.municipality);
  box.dataset.code = row ? row.code : '';
  box.dataset.measure = 'rate';
  if (!row) {
    replace(box, h('h2', { id: 'figures-title', class: 'vh' }, t('cov.title')), h('p', {}, t('cov.pick')));
    return;
  }
  const m = state.municipalities.find((x) => x.code === row.code);
  const ind = report.indicator;
  const regionRate = report.region.rate;
  const n1 = (x) => num(x, 1);
  let standing = '';
  if (row.rate != null && regionRate != null) {
    const diff = row.rate - regionRate;
    const key = Math.abs(diff) < 0.05 ? 'equal' : diff < 0 ? 'below' : 'above';
    standing = t(`cov.fig.vs.region.${key}`, { diff: n1(Math.abs(diff)), region: n1(regionRate) });
  }
  const groups = state.taxonomy.groups;
  const dd = (v) => h('dd', {}, v);
  replace(box,
    h('h2', { id: 'figures-title' }, row.name),
    m?.props?.approximate_boundary ? h('p', { class: 'help' }, t('cov.fig.approximate')) : null,
    h('p', {}, gapBadge(row.gap_class)),
    h('dl', {},
      h('dt', {}, t('cov.fig.population')), dd(num(m?.props?.population?.total)),
      h('dt', {}, t(`cov.fig.target.${ind}`),
        row.basis ? h('span', { class: 'help' }, ` (${t(`cov.fig.basis.${row.basis}`)})`) : null),
      dd(numOrNoData(row.population)),
      h('dt', {}, t('cov.fig.capacity')), dd(num(row.capacity)),
      h('dt', {}, t('cov.fig.rate')), dd(row.rate == null ? '—' : n1(row.rate))),
    standing ? h('p', { class: 'standing' }, standing) : null,
    h('h3', {}, t('cov.fig.services')),
    h('ul', { class: 'legend-items' }, groups.map((g) => h('li', {}, groupBadge(g.code),
      `${name(g)}: ${num(row.services_by_group?.[g.code] ?? 0)}`))),
    printLink(row.code, row.name));
}

start();
