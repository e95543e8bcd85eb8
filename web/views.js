// The page's five views (find care, coverage, what-if, for professionals, trends): switching between them, what the map
// shows and says in each, and the map's legend box, which follows the view.
import { t, lang, name } from './i18n.js';
import { h, replace, $, narrow } from './dom.js';
import { state, VIEWS, bmap } from './page-state.js';
import { writeViewHash } from './url-state.js';
import { groupBadge } from './badges.js';
import { renderCoverage, renderCoverageLegend } from './coverage.js';
import { renderPlan } from './plan.js';
import { renderPro } from './professionals.js';
import { renderTrends } from './trends.js';

/** The services the map's tiles show: the search's filters, or the what-if's type. */
export function mapFilters() {
  return state.view === 'plan'
    ? { group: '', subarea: '', type: state.plan.type }
    : { group: state.group, subarea: state.subarea, type: state.type };
}

export function setView(view, { initial = false } = {}) {
  const was = state.view;
  state.view = VIEWS.includes(view) ? view : 'find';
  view = state.view;
  const find = view === 'find';
  const coverage = view === 'coverage';
  const plan = view === 'plan';
  const pro = view === 'pro';
  const trends = view === 'trends';
  $('main').dataset.view = view;
  for (const v of VIEWS) $(`view-${v}`).setAttribute('aria-pressed', String(v === view));
  $('find-panel').hidden = !find;
  $('results').hidden = !find;
  $('coverage-panel').hidden = !coverage;
  $('coverage-details').hidden = !coverage;
  $('plan-panel').hidden = !plan;
  $('plan-results').hidden = !plan;
  $('pro-panel').hidden = !pro;
  $('pro-results').hidden = !pro;
  $('trends-panel').hidden = !trends;
  $('trends-results').hidden = !trends;
  if (trends) renderCoverageLegend(); // the map's colours, in its legend
  if (was !== view || initial) legendFor(view, was);
  mirrorLegend();
  bmap?.setFilters(mapFilters());
  bmap?.setView(view);
  bmap?.setLang(lang(), mapLabels());
  bmap?.resize();
  if (!initial && !find && was === 'find') bmap?.fitRegion();
  if (!initial) writeViewHash(view, state.measure);
  if (coverage) {
    $('indicator-help').textContent = t(`cov.${state.indicator}.help`);
    renderCoverage();
  }
  if (plan) renderPlan();
  if (pro) renderPro();
  if (trends) renderTrends();
}

/** The coverage view's measure: Carta Social's rate or the distance to care. */
export function setMeasure(measure) {
  state.measure = measure === 'distance' ? 'distance' : 'rate';
  bmap?.setMeasure(state.measure);
  writeViewHash('coverage', state.measure);
  renderCoverage();
}

/** The map's legend box: the find view's own, or a copy of the planners' legend (the panel
 * holds it too, further down), open from the start on wide screens. */
export function mirrorLegend() {
  const box = $('map-legend');
  const mirror = $('map-legend-mirror');
  const view = state.view;
  $('map-legend-items').hidden = view !== 'find';
  mirror.hidden = view === 'find';
  if (view === 'find') {
    box.hidden = false;
    return;
  }
  if (view === 'pro') {
    replace(mirror, h('ul', { class: 'legend-items' },
      h('li', {}, h('span', { class: 'circle-sample rank-sample training-sample', 'aria-hidden': 'true' }, '1'), t('legend.training')),
      h('li', {}, h('span', { class: 'circle-sample origin-sample', 'aria-hidden': 'true' }), t('legend.training.origin'))));
    box.hidden = false;
    return;
  }
  const rates = view === 'coverage' || view === 'trends';
  const src = rates ? $('coverage-legend') : $('plan-legend');
  const title = rates ? $('coverage-legend-title').textContent : '';
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

export function renderMapLegend() {
  const groups = state.taxonomy?.groups || [];
  replace($('map-legend-items'),
    groups.map((g) => h('li', {}, groupBadge(g.code), name(g))),
    h('li', {}, h('span', { class: 'circle-sample', 'aria-hidden': 'true' }, '12'), t('legend.cluster')),
    h('li', {}, h('span', { class: 'circle-sample rank-sample', 'aria-hidden': 'true' }, '1'), t('legend.result')),
    h('li', {}, h('span', { class: 'circle-sample origin-sample', 'aria-hidden': 'true' }), t('legend.origin')),
    h('li', {}, h('span', { class: 'circle-sample approx-sample', 'aria-hidden': 'true' }), t('legend.approximate')));
}

/** The map's labels for the view and the language (MapLibre's controls and the canvas). */
export function mapLabels() {
  const what = {
    find: t('map.label'),
    coverage: `${t('cov.title')}. ${t('cov.pick')}`,
    plan: `${t('plan.title')} ${t('plan.map.hint')}`,
    pro: `${t('pro.title')}. ${t('pro.map.hint')}`,
    trends: `${t('trends.title')}. ${t('trends.map.hint')}`,
  }[state.view];
  return { zoomIn: t('map.zoomin'), zoomOut: t('map.zoomout'), attribution: t('map.attrib'), map: `${what} ${t('map.canvas')}` };
}

/** Keeps the map's legend a copy of the panels' legends (they change as data arrives). */
export function followPanelLegends() {
  const watch = new MutationObserver(() => { if (state.view !== 'find') mirrorLegend(); });
  for (const id of ['coverage-legend-items', 'coverage-legend-title', 'plan-legend']) {
    watch.observe($(id), { childList: true, characterData: true, subtree: true });
  }
}
