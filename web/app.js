// Bússola map page: find care near a place, and see where care is missing.
// Plain ES modules, no framework. The list works without the map (and before it loads).
// This entry starts the page, the map and the static controls; the rest is in its modules.
//
// Module order: a module imports only from the rows below its own, never from its row or above
// (tests/it/web_modules.rs checks it, and that no module of web/ is in an import cycle). What a
// lower module must call above it is passed in: the `ctx` built in start() (chooseMunicipality,
// selectResult, clearFilters…), loadMunicipalities' onLoaded, renderSubregions' onChange,
// serviceCard's onShow and the map's on… handlers.
//   app.js                                  the entry: starts the page and wires the callbacks
//   find-form.js                            who, what and where; starts searches
//   views.js · results.js                   the five views; the search and its list
//   coverage.js · plan.js · selected-service.js · professionals.js · trends.js
//   gaps.js · subregion.js · municipalities.js · service-card.js · report-form.js · survey.js · training.js · profiles.js · public-services.js · news.js · changes.js · research.js
//   map.js                                  the map (MapLibre), built from its parts below
//   map-results.js · map-coverage.js · map-distance.js · map-plan.js · map-style.js · map-training.js
//   map-page-layers.js
//   handover.js                             the sheet to hand over: ticks, note, print, share
//   map-images.js · table.js · badges.js · url-state.js · training-card.js · trend-chart.js
//   page-state.js · api.js · dom.js · i18n.js
//   locales/pt.js · locales/en.js           the strings
// The provider area (provider.js) and the printable summary (summary.js) are entries of their
// own pages on the same bottom rows (i18n.js, dom.js, api.js).
import { t, lang, setLang, fold, translateDom, setRegionName } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';
import { BussolaMap, preload } from './map.js';
import { initGaps, renderGapControls } from './gaps.js';
import { initPro, renderProControls, rerenderPro, proMapHandlers } from './professionals.js';
import { renderSurvey } from './survey.js';
import { initPlan, renderPlanControls, renderPlan, rerenderPlan, addSite, pickService } from './plan.js';
import { state, bmap, setMap } from './page-state.js';
import {
  startLang, saveLang, startBase, saveBase, viewFromHash, startSize, setTextSize, textSize,
  linkFromUrl, clearLinkFromUrl,
} from './url-state.js';
import { setView, setMeasure, mapFilters, mapLabels, renderMapLegend, followPanelLegends } from './views.js';
import { renderGroups, renderTypes, setFilters, setSubarea, searchByName, locate } from './find-form.js';
import { loadMunicipalities, municipalityAt } from './municipalities.js';
import { initResults, searchFrom, setStatus, renderStatus, renderResults, selectResult } from './results.js';
import { initSelected, chooseService, renderSelected } from './selected-service.js';
import { setIndicator, renderCoverage, chooseMunicipality } from './coverage.js';
import { renderSubregions } from './subregion.js';
import { initTrends, renderTrendsControls, rerenderTrends, chooseTrendsMunicipality, loadTrends } from './trends.js';

async function start() {
  preload().catch(() => {}); // failures are reported when the map starts
  setLang(startLang());
  setTextSize(startSize(), { save: false });
  applyLang();
  bindStatic();
  const ctx = {
    state,
    map: () => (bmap?.ready ? bmap : null),
    chooseMunicipality: (code, opts) => chooseMunicipality(code, opts),
    regionName: () => state.region?.name,
    municipalityAt,
    selectResult,
    clearFilters: () => setFilters({ group: '', type: '' }),
  };
  initSelected(ctx);
  initResults(ctx);
  initGaps(ctx);
  initPlan(ctx);
  initPro({ showGaps });
  initTrends();
  followPanelLegends();
  viewFromHash();

  setStatus({ kind: 'start' });
  let region;
  try {
    [region, state.taxonomy] = await Promise.all([api.region(), api.taxonomy()]);
  } catch (e) {
    setStatus({ kind: 'error', retry: () => location.reload() });
    return;
  }
  state.region = region;
  setRegionName(region.name);
  translateDom();
  $('banner-approximate').hidden = !region.approximate_boundaries;
  $('banner-demo').hidden = !(region.demo_services > 0);
  replace($('sources'), [...(region.attribution || []), ...baseAttribution(region)].map((a) => h('li', {}, a)));
  renderSubregions(onSubregion);
  renderGroups();
  renderTypes();
  renderGapControls();
  renderPlanControls();
  renderPlan();
  loadMunicipalities(() => {
    renderPlanControls();
    renderProControls();
    renderTrendsControls();
    if (state.view === 'coverage') renderCoverage();
    if (state.view === 'trends') loadTrends();
  });
  startMap(region);
  setView(state.view, { initial: true });
  reopenLink();
}

/** A shared link (/?lon=…&lat=…&id=…): the same search, the same ticks and note. */
function reopenLink() {
  const link = linkFromUrl();
  if (!link) return;
  clearLinkFromUrl();
  state.chosen = link.ids;
  state.note = link.note;
  setFilters({ group: link.group, subarea: link.subarea, type: link.type });
  $('place-input').value = link.place;
  searchFrom({ lon: link.lon, lat: link.lat, k: link.k, how: link.place ? 'municipality' : 'point', place: link.place, municipality: link.municipality });
}

function startMap(region) {
  setMap(new BussolaMap($('map'), {
    onPlace: (ll) => searchFrom({ lon: ll.lng, lat: ll.lat, how: 'point' }),
    onService: (id) => chooseService(id),
    onResult: (id) => selectResult(id, { scroll: true, fly: false }),
    onMunicipality: (code) => chooseMunicipality(code, { fit: false, scroll: true }),
    onPlanPoint: (ll) => addSite(ll.lng, ll.lat),
    onPlanService: (id) => pickService(id),
    onPlanSite: (n) => $('plan-sites').querySelector(`li[data-n="${n}"] button`)?.focus(),
    onOffer: proMapHandlers.onOffer,
    onProPoint: proMapHandlers.onPoint,
    onTrendsMunicipality: chooseTrendsMunicipality,
  }));
  bmap.setLang(lang(), mapLabels());
  bmap.setView(state.view);
  bmap.setIndicator(state.indicator);
  bmap.setMeasure(state.measure);
  bmap.setFilters(mapFilters());
  bmap.setBase(startBase());
  bmap.init({ bbox: region.bbox, attribution: region.attribution, targets: region.targets, baseSwitch: $('base-switch-label') })
    .then((map) => {
      $('map-message').hidden = true;
      bmap.setLang(lang(), mapLabels());
      renderMapLegend();
      showBaseSwitch();
      if (state.view === 'coverage') {
        renderCoverage();
        if (bmap.legendInset) bmap.fitRegion(); // the view changed while the map loaded
      }
      renderPlan();
      if (state.results) bmap.showResults(state.search, state.results.features, state.selectedId);
      const chosen = state.view === 'trends' ? state.trends.municipality : state.municipality;
      if (chosen) bmap.selectMunicipality(chosen);
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

/** The base map's source for the page's list of sources, as text (it may hold HTML links). */
function baseAttribution(region) {
  const a = region.basemap?.attribution;
  if (!a || (region.attribution || []).includes(a)) return [];
  const text = new DOMParser().parseFromString(a, 'text/html').body.textContent.trim();
  return text ? [text] : [];
}

/** The base map's switch, once the map shows one (remembered on this browser). */
function showBaseSwitch() {
  const box = $('base-switch');
  $('base-switch-label').hidden = !bmap.baseLayers?.length;
  box.checked = bmap.baseOn;
}

function bindStatic() {
  $('base-switch').addEventListener('change', (e) => {
    bmap?.setBase(e.target.checked);
    saveBase(e.target.checked);
  });
  $('lang-switch').addEventListener('click', () => {
    setLang(lang() === 'pt' ? 'en' : 'pt');
    saveLang(lang());
    applyLang();
    rerender();
  });
  $('view-find').addEventListener('click', () => setView('find'));
  $('view-coverage').addEventListener('click', () => setView('coverage'));
  $('view-plan').addEventListener('click', () => setView('plan'));
  $('view-pro').addEventListener('click', () => setView('pro'));
  $('view-trends').addEventListener('click', () => setView('trends'));
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
  for (const b of document.querySelectorAll('button[data-size]')) {
    b.addEventListener('click', () => {
      setTextSize(b.dataset.size);
      renderSizes();
      renderResults({ keepFocus: true });
      bmap?.map?.resize();
    });
  }
  $('subarea-select').addEventListener('change', (e) => setSubarea(e.target.value));
  $('type-select').addEventListener('change', (e) => setFilters({ group: state.group, subarea: state.subarea, type: e.target.value }));
  for (const r of document.querySelectorAll('input[name="indicator"]')) {
    r.addEventListener('change', (e) => { if (e.target.checked) setIndicator(e.target.value); });
  }
}

/** The text size buttons: the one in use pressed. */
function renderSizes() {
  for (const b of document.querySelectorAll('button[data-size]')) {
    b.setAttribute('aria-pressed', String(b.dataset.size === textSize()));
  }
}

function applyLang() {
  document.documentElement.lang = lang();
  renderSizes();
  $('plain-link').href = `/find${lang() === 'en' ? '?lang=en' : ''}`;
  document.title = t('doc.title');
  translateDom();
  const sw = $('lang-switch');
  sw.setAttribute('lang', lang() === 'pt' ? 'en' : 'pt');
  $('quality-link').href = `/quality?lang=${lang()}`;
  $('privacy-link').href = `/privacy.html${lang() === 'en' ? '#en' : ''}`;
  renderSurvey();
}

/** Where a response is missing (a profession's card): the coverage view, by distance. */
function showGaps(code) {
  state.gap.type = code;
  renderGapControls();
  const distance = document.querySelector('input[name="measure"][value="distance"]');
  if (distance) distance.checked = true;
  state.measure = 'distance';
  bmap?.setMeasure('distance');
  setView('coverage');
  $('gap-type').focus();
}

/** A sub-region was chosen: the coverage figures follow it (the map fits it). */
function onSubregion() {
  if (state.view === 'coverage') renderCoverage();
}

/** Everything built from data, again in the new language. */
function rerender() {
  if (!state.taxonomy) return;
  renderSubregions(onSubregion);
  renderGroups();
  renderTypes();
  renderStatus();
  renderResults({ keepFocus: true });
  renderSelected();
  renderMapLegend();
  bmap?.setLang(lang(), mapLabels());
  renderGapControls();
  rerenderPlan();
  rerenderPro();
  rerenderTrends();
  if (state.view === 'coverage') renderCoverage();
  $('indicator-help').textContent = t(`cov.${state.indicator}.help`);
}

start();
