// The coverage view's rate measure (Carta Social's places per 100 people): its legend, the
// region's summary, the municipalities' table and the chosen municipality's figures.
import { t, name, num, numOrNoData } from './i18n.js';
import { api } from './api.js';
import { h, replace, $, narrow } from './dom.js';
import { state, bmap } from './page-state.js';
import { groupBadge } from './badges.js';
import { renderDistance, renderGapFigures, markRow, printLink } from './gaps.js';
import { subregionName } from './subregion.js';

export function setIndicator(indicator) {
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

/** The rate legend (the coverage view's, and the map's in the trends view). */
export function renderCoverageLegend() {
  const legendTitle = $('coverage-legend-title');
  legendTitle.dataset.i18n = 'cov.legend';
  legendTitle.textContent = t('cov.legend');
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

export async function renderCoverage() {
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
  $('coverage-csv').href = api.coverageCsvUrl(state.indicator, state.subregion);
  renderCoverageLegend();
  const ind = state.indicator;
  const key = `${ind}|${state.subregion || ''}`;
  let report = state.coverage[key];
  if (!report) {
    replace($('region-summary'), t('state.loading'));
    try {
      report = await api.coverage(ind, state.subregion);
      state.coverage[key] = report;
    } catch {
      replace($('region-summary'), h('span', { class: 'note note-error' }, t('cov.error')), ' ',
        h('button', { type: 'button', class: 'btn', onclick: () => renderCoverage() }, t('state.retry')));
      return;
    }
    if (state.indicator !== ind || state.measure !== 'rate' || key !== `${ind}|${state.subregion || ''}`) return;
  }
  if (state.measure !== 'rate') return;
  replace($('region-summary'), t('cov.region', {
    region: subregionName() || report.region.name,
    rate: num(report.region.rate, 1),
    target: num(report.target, Number.isInteger(report.target) ? 0 : 1),
  }));
  renderTable(report);
  renderFigures(report);
}

/** Services there, none with a published capacity (e.g. OSM's creches): the places are unknown, not zero. */
function capacityUnknown(row) {
  return row.services > 0 && row.services_without_capacity === row.services;
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
  cell('cov.table.capacity', 'num', capacityUnknown(r) ? '—' : num(r.capacity)))));
}

export function chooseMunicipality(code, { fit = false, scroll = false, focus = false } = {}) {
  state.municipality = code;
  const m = state.municipalities.find((x) => x.code === code);
  bmap?.selectMunicipality(code, fit ? m?.bbox : null);
  const report = state.coverage[`${state.indicator}|${state.subregion || ''}`];
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
  const unknown = capacityUnknown(row);
  replace(box,
    h('h2', { id: 'figures-title' }, row.name),
    m?.props?.approximate_boundary ? h('p', { class: 'help' }, t('cov.fig.approximate')) : null,
    h('p', {}, gapBadge(row.gap_class)),
    h('dl', {},
      h('dt', {}, t('cov.fig.population')), dd(num(m?.props?.population?.total)),
      h('dt', {}, t(`cov.fig.target.${ind}`),
        row.basis ? h('span', { class: 'help' }, ` (${t(`cov.fig.basis.${row.basis}`)})`) : null),
      dd(numOrNoData(row.population)),
      h('dt', {}, t('cov.fig.capacity')), dd(unknown ? t('cov.fig.capacity.unknown') : num(row.capacity)),
      h('dt', {}, t('cov.fig.rate')), dd(row.rate == null ? '—' : n1(row.rate))),
    standing ? h('p', { class: 'standing' }, standing) : null,
    unknown ? h('p', { class: 'help no-capacity' }, t('cov.fig.no_capacity', { n: num(row.services) })) : null,
    h('h3', {}, t('cov.fig.services')),
    h('ul', { class: 'legend-items' }, groups.map((g) => h('li', {}, groupBadge(g.code),
      `${name(g)}: ${num(row.services_by_group?.[g.code] ?? 0)}`))),
    officialListings(row),
    printLink(row.code, row.name));
}

/** Carta Social's own listing of each response behind the indicator in the municipality. */
function officialListings(row) {
  const links = row.official_listings || [];
  if (!links.length) return null;
  const responseName = (code) => {
    const r = state.taxonomy.responses.find((x) => x.code === code);
    return r ? name(r) : code;
  };
  return h('div', { class: 'official-listings' },
    h('h3', {}, t('cov.fig.official')),
    h('p', { class: 'help' }, t('cov.fig.official.help')),
    h('ul', {}, links.map((l) => h('li', {}, h('a', {
      href: l.url, rel: 'noopener', target: '_blank', dataset: { type: l.type },
    }, responseName(l.type))))));
}
