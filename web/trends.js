// The trends view ("Evolução"): a municipality's indicators over time against its sub-region,
// the region and the target, with the published reference values as points (two charts per
// topic, each with its table), CSV downloads of every series, and what changed between two
// days. The numbers are /api/trends' and /api/changes/summary's, as they are.
import { t, plainName } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';
import { state, bmap } from './page-state.js';
import { renderTrendChart, STYLES } from './trend-chart.js';
import { loadChanges, renderChanges } from './changes.js';
import { loadSnapshots, renderSnapshots } from './research.js';

/** The responses whose places and distances are kept over time (src/trends/indicators.rs). */
const RESPONSES = ['ERPI', 'CENTRO_DIA', 'SAD_IDOSOS', 'CRECHE'];

let asked = 0;
let redraws = [];

function responseName(code) {
  return plainName(state.taxonomy?.responses?.find((r) => r.code === code)) || code;
}

/** The topics a person can follow, each shown as two charts. */
function topics() {
  const out = [{
    id: 'coverage', label: t('trends.topic.coverage'), charts: [
      { indicator: 'coverage.elderly.rate', unit: 'rate', target: 'elderly', title: t('trends.ind.rate.elderly') },
      { indicator: 'coverage.early_childhood.rate', unit: 'rate', target: 'early_childhood', title: t('trends.ind.rate.early_childhood') },
    ],
  }];
  for (const code of RESPONSES) {
    const response = responseName(code);
    out.push({
      id: `places:${code}`, label: t('trends.topic.places', { response }), charts: [
        { indicator: `places.${code}`, unit: 'count', title: t('trends.ind.places', { response }) },
        { indicator: `services.${code}`, unit: 'count', title: t('trends.ind.services', { response }) },
      ],
    });
  }
  for (const code of RESPONSES) {
    const response = responseName(code);
    out.push({
      id: `distance:${code}`, label: t('trends.topic.distance', { response }), charts: [
        { indicator: `distance.${code}.share_beyond`, unit: 'share', title: t('trends.ind.share_beyond', { response }) },
        { indicator: `distance.${code}.mean_km`, unit: 'km', title: t('trends.ind.mean_km', { response }) },
      ],
    });
  }
  out.push({
    id: 'stale', label: t('trends.topic.stale'), charts: [
      { indicator: 'stale.share', unit: 'share', title: t('trends.ind.stale.share') },
      { indicator: 'stale.records', unit: 'count', title: t('trends.ind.stale.records') },
    ],
  });
  return out;
}

/** Binds the view's static controls (the map calls chooseTrendsMunicipality). */
export function initTrends() {
  const tr = state.trends;
  $('trends-municipality').addEventListener('change', (e) => chooseTrendsMunicipality(e.target.value));
  $('trends-topic').addEventListener('change', (e) => {
    tr.topic = e.target.value;
    loadTrends();
  });
  for (const [id, key] of [['trends-from', 'from'], ['trends-to', 'to']]) {
    $(id).addEventListener('change', (e) => {
      tr[key] = e.target.value;
      loadTrends();
    });
  }
  $('changes-all').addEventListener('change', (e) => {
    tr.allChanges = e.target.checked;
    loadTrendChanges();
  });
  $('trends-form').addEventListener('submit', (e) => e.preventDefault());
  let pending = null;
  window.addEventListener('resize', () => {
    clearTimeout(pending);
    pending = setTimeout(() => redraws.forEach((f) => f()), 150);
  });
}

/** The municipality and topic choices (again on a new language or when the list loads). */
export function renderTrendsControls() {
  const tr = state.trends;
  replace($('trends-municipality'), state.municipalities.map((m) => h('option', { value: m.code }, m.name)));
  tr.municipality ||= state.municipality || state.municipalities[0]?.code || '';
  $('trends-municipality').value = tr.municipality;
  replace($('trends-topic'), topics().map((x) => h('option', { value: x.id }, x.label)));
  $('trends-topic').value = tr.topic;
  $('changes-all').checked = tr.allChanges;
}

/** A municipality chosen (the list, or the map in this view). */
export function chooseTrendsMunicipality(code) {
  const tr = state.trends;
  if (!state.municipalities.some((m) => m.code === code)) return;
  tr.municipality = code;
  $('trends-municipality').value = code;
  loadTrends();
}

/** Opens the view. */
export function renderTrends() {
  if (!state.trends.snapshotsAsked) {
    state.trends.snapshotsAsked = true;
    loadSnapshots();
  }
  if (!state.municipalities.length) return; // loadMunicipalities' callback opens it again
  renderTrendsControls();
  loadTrends();
}

/** The areas a municipality is compared with: itself, its sub-region (when the region has
 * several) and the region; with the municipality's coverage targets. */
function areasOf(code) {
  const m = state.municipalities.find((x) => x.code === code);
  if (!m) return null;
  const parts = state.region?.regions || [];
  const part = parts.length > 1 ? parts.find((p) => p.id === m.props.region) : null;
  return {
    municipality: m,
    areas: [
      { key: 'area', id: m.code, name: m.name, style: STYLES.area },
      part ? { key: 'within', id: part.id, name: part.name, style: STYLES.within } : null,
      { key: 'region', id: state.region.id, name: state.region.name, style: STYLES.region },
    ].filter(Boolean),
    targets: part?.targets || state.region?.targets || {},
  };
}

/** Asks for the topic's series of the municipality and its areas, then draws them. */
export async function loadTrends() {
  const tr = state.trends;
  const of = areasOf(tr.municipality);
  if (!of) return;
  bmap?.selectMunicipality(tr.municipality);
  const topic = topics().find((x) => x.id === tr.topic) || topics()[0];
  const n = ++asked;
  $('trends-charts').dataset.state = 'loading';
  $('trends-heading').textContent = t('trends.heading', { name: of.municipality.name });
  setStatus(t('trends.loading'));
  try {
    const series = await Promise.all(topic.charts.map((c) => Promise.all(of.areas.map((a) => api.trends(c.indicator, a.id, tr.from, tr.to)))));
    if (n !== asked) return;
    tr.data = { of, topic: topic.id, series };
    setStatus('');
    await drawTrends();
  } catch (e) {
    if (n !== asked) return;
    tr.data = null;
    replace($('trends-charts'));
    $('trends-charts').dataset.state = 'error';
    setStatus(e.status === 400 ? `${t('trends.bad')} ${e.message}` : t('trends.error'), e.status === 400 ? null : loadTrends);
  }
  loadTrendChanges();
}

function setStatus(text, retry) {
  replace($('trends-status'), text ? h('p', { class: 'note' }, text,
    retry ? h('button', { type: 'button', class: 'btn', onclick: retry }, t('state.retry')) : null) : null);
}

/** The charts again from the data kept (a new language, a new width). */
async function drawTrends() {
  const data = state.trends.data;
  if (!data) return;
  const topic = topics().find((x) => x.id === data.topic);
  const { of } = data;
  const tr = state.trends;
  $('trends-heading').textContent = t('trends.heading', { name: of.municipality.name });
  const boxes = topic.charts.map((c, i) => h('section', { class: 'trend-chart', id: `trend-${i}`, dataset: { indicator: c.indicator } }));
  replace($('trends-charts'), boxes);
  redraws = await Promise.all(topic.charts.map((c, i) => {
    const answers = data.series[i];
    const target = c.target && Number.isFinite(of.targets[c.target]) ? { label: t('trends.target'), value: of.targets[c.target] } : null;
    const lines = of.areas.map((a, k) => ({ key: a.key, label: a.name, style: a.style, points: answers[k].points }));
    const csv = h('p', { class: 'actions trend-csv' }, h('span', { class: 'help' }, t('trends.csv')),
      of.areas.map((a) => h('a', { class: 'btn', href: api.trendsCsvUrl(c.indicator, a.id, tr.from, tr.to), download: '' }, a.name)));
    const drawn = renderTrendChart(boxes[i], {
      id: `trend-${i}`, title: c.title, lines, target, references: answers[0].references, unit: c.unit,
      caption: t('trends.caption', { what: c.title, name: of.municipality.name }),
    });
    return drawn.then((redraw) => {
      boxes[i].append(csv);
      return redraw;
    });
  }));
  $('trends-charts').dataset.state = 'done';
}

/** What changed in the municipality (or in all, or the chosen sub-region's) over the period. */
function loadTrendChanges() {
  const tr = state.trends;
  loadChanges({
    from: tr.from, to: tr.to,
    municipality: tr.allChanges ? '' : tr.municipality,
    region: tr.allChanges ? state.subregion || '' : '',
  });
}

/** Everything of the view again, in the new language (from the data kept). */
export function rerenderTrends() {
  if (state.view !== 'trends' || !state.municipalities.length) return;
  renderTrendsControls();
  drawTrends();
  renderChanges();
  renderSnapshots();
}
