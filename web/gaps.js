// The coverage view measured by distance: for a response type, how far people live from the
// nearest service (GET /api/gaps), on the map (a choropleth, optionally the population points),
// in a legend, in a ranked table sortable by every column, and per municipality.
import { t, lang, name, plainName, num, numOrNoData, pct, km } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';
import { renderSortable, dirWords } from './table.js';

// The classes when the map (and the distance style) did not load: the style's metadata.
const FALLBACK = {
  families: {
    ERPI: { key: 'erpi', weight: 'age_65_plus' },
    CENTRO_DIA: { key: 'centro_dia', weight: 'age_65_plus' },
    SAD_IDOSOS: { key: 'sad', weight: 'age_65_plus' },
    CRECHE: { key: 'creche', weight: 'age_0_2' },
  },
  distance: { share_beyond: { breaks: [0.05, 0.15, 0.25, 0.4] }, mean_km: { breaks: [2.5, 5, 10, 20] } },
  colors: ['#ffffd4', '#fed98e', '#fe9929', '#d95f0e', '#993404'],
  noData: '#bdbdbd',
  points: {
    near: { color: '#ffffff', stroke: '#4a4f55' },
    beyond: { color: '#0072b2', stroke: '#ffffff' },
    far: { color: '#1a1a1a', stroke: '#ffffff' },
    reached: { color: '#009e73', stroke: '#000000' },
    farFactor: 2,
  },
};

let ctx = null;
let seq = 0;

/** ctx: {state, map() (the BussolaMap or null), chooseMunicipality(code, opts), regionName()}. */
export function initGaps(c) {
  ctx = c;
  const { state } = ctx;
  $('gap-type').addEventListener('change', (e) => {
    state.gap.type = e.target.value;
    renderTypeHelp();
    renderDistance();
  });
  for (const r of document.querySelectorAll('input[name="gap-metric"]')) {
    r.addEventListener('change', (e) => {
      if (!e.target.checked) return;
      state.gap.metric = e.target.value;
      renderDistance();
    });
  }
  $('threshold-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = readThreshold($('threshold'), $('threshold-error'));
    if (v === null) return;
    state.gap.threshold = v;
    renderDistance();
  });
  $('threshold').addEventListener('change', () => $('threshold-form').requestSubmit());
  $('show-points').addEventListener('change', (e) => {
    state.gap.points = e.target.checked;
    renderDistance();
  });
}

/** The threshold typed in `input` (km, 1–100) or null after showing `error`. */
export function readThreshold(input, error) {
  const v = Number(String(input.value).trim().replace(',', '.'));
  const ok = String(input.value).trim() !== '' && Number.isFinite(v) && v >= 1 && v <= 100;
  error.hidden = ok;
  input.setAttribute('aria-invalid', String(!ok));
  if (!ok) {
    error.textContent = t('gap.threshold.invalid');
    input.focus();
    return null;
  }
  return v;
}

// ---------------------------------------------------------------- names

export function families() {
  return ctx.map()?.gapsStyle?.metadata?.['bussola:families'] || FALLBACK.families;
}

/** A response type's name (official, short) in the current language. */
export function typeName(code) {
  const r = ctx.state.taxonomy?.responses.find((x) => x.code === code);
  return r ? name(r) : code;
}

/** "pessoas com 65 ou mais anos" for a report's target. */
export function targetWords(target) {
  return t(`target.${target || 'total'}`);
}

const cap = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);
const kmWords = (x) => km(x, Number.isInteger(Number(x)) ? 0 : 1);

/** Fills a select with every response type, grouped as the taxonomy groups them. */
export function fillTypeSelect(sel, value) {
  const tx = ctx.state.taxonomy;
  replace(sel, tx.groups.map((g) => h('optgroup', { label: name(g) },
    tx.responses.filter((r) => r.group === g.code)
      .map((r) => h('option', { value: r.code, selected: r.code === value }, name(r))))));
  sel.value = value;
}

export function renderGapControls() {
  const { state } = ctx;
  if (!state.taxonomy) return;
  fillTypeSelect($('gap-type'), state.gap.type);
  renderTypeHelp();
  $('threshold').value = String(state.gap.threshold);
  for (const r of document.querySelectorAll('input[name="gap-metric"]')) r.checked = r.value === state.gap.metric;
  $('show-points').checked = state.gap.points;
}

function renderTypeHelp() {
  const r = ctx.state.taxonomy?.responses.find((x) => x.code === ctx.state.gap.type);
  let help = $('gap-type-help');
  if (!help) {
    help = h('p', { id: 'gap-type-help', class: 'help' });
    $('gap-type').after(help);
    $('gap-type').setAttribute('aria-describedby', 'gap-type-help');
  }
  help.textContent = r ? plainName(r) : '';
}

// ---------------------------------------------------------------- data

function reportKey() {
  return `${ctx.state.gap.type}|${ctx.state.gap.threshold}`;
}

/** The gap report of the chosen type and threshold, if it has arrived. */
export function currentReport() {
  return ctx.state.gap.reports[reportKey()] || null;
}

async function fetchReport() {
  const { gap } = ctx.state;
  const key = reportKey();
  if (gap.reports[key]) return gap.reports[key];
  const report = await api.gaps(gap.type, gap.threshold);
  gap.reports[key] = report;
  return report;
}

// ---------------------------------------------------------------- render

/** Everything of the distance measure: map, legend, summary, table, figures. */
export async function renderDistance() {
  const { state } = ctx;
  if (state.view !== 'coverage' || state.measure !== 'distance' || !state.taxonomy) return;
  const my = ++seq;
  const { gap } = state;
  const fam = families()[gap.type];
  $('points-help').textContent = fam
    ? t('gap.points.help', { target: t(`target.${fam.weight}`) })
    : t('gap.points.none', { list: Object.keys(families()).map(typeName).join(', ') });
  const mapOk = document.body.dataset.mapReady !== 'failed';
  $('show-points').disabled = !fam || !mapOk;
  $('gaps-csv').href = api.gapsCsvUrl(gap.type, gap.threshold);
  const cached = currentReport();
  ctx.map()?.setDistance({ type: gap.type, metric: gap.metric, threshold: gap.threshold, rows: cached?.municipalities || null, points: gap.points && !!fam });
  renderLegend(cached);
  if (!cached) {
    replace($('region-summary'), t('gap.loading'));
    $('gaps-table-box').dataset.state = 'loading';
  }
  let report;
  try {
    report = await fetchReport();
  } catch {
    if (my !== seq) return;
    $('gaps-table-box').dataset.state = 'error';
    replace($('region-summary'), h('span', { class: 'note note-error' }, t('gap.error')), ' ',
      h('button', { type: 'button', class: 'btn', onclick: () => renderDistance() }, t('state.retry')));
    return;
  }
  if (my !== seq) return;
  if (!cached) ctx.map()?.setDistance({ rows: report.municipalities });
  renderLegend(report);
  renderSummary(report);
  renderTable(report);
  renderGapFigures();
  $('gaps-table-box').dataset.state = 'done';
  $('gaps-table-box').dataset.key = reportKey();
}

function classes(metric) {
  const c = ctx.map()?.distanceClasses(metric);
  if (c) return c;
  return { breaks: FALLBACK.distance[metric].breaks, colors: FALLBACK.colors, noData: FALLBACK.noData };
}

function pointColors() {
  return ctx.map()?.pointColors() || FALLBACK.points;
}

/** A value of a measure in words: "16%" or "4,7 km". */
function fmt(metric, v, digits) {
  return metric === 'share_beyond' ? pct(v, digits ?? 0) : km(v, digits ?? 1);
}

function renderLegend(report) {
  const { gap } = ctx.state;
  const c = classes(gap.metric);
  const target = report?.target || (families()[gap.type]?.weight) || 'total';
  const title = gap.metric === 'share_beyond'
    ? t('gap.legend.share_beyond', { target: targetWords(target), km: kmWords(gap.threshold) })
    : t('gap.legend.mean_km');
  const titleEl = $('coverage-legend-title');
  delete titleEl.dataset.i18n;
  titleEl.textContent = title;
  const f = (x) => (gap.metric === 'share_beyond'
    ? pct(x, Number.isInteger(Math.round(x * 1000) / 10) ? 0 : 1)
    : km(x, Number.isInteger(x) ? 0 : 1));
  const items = c.colors.map((color, i) => {
    const a = c.breaks[i - 1];
    const b = c.breaks[i];
    const label = i === 0 ? t('cov.legend.below', { b: f(b) })
      : i === c.colors.length - 1 ? t('cov.legend.above', { a: f(a) })
        : t('cov.legend.range', { a: f(a), b: f(b) });
    return h('li', {}, h('span', { class: 'swatch', style: `background:${color}`, 'aria-hidden': 'true' }), label);
  });
  const fam = families()[gap.type];
  const points = [];
  if (gap.points && fam && document.body.dataset.mapReady !== 'failed') points.push(...pointLegend(gap.threshold, fam.weight, false));
  replace($('coverage-legend-items'), items,
    h('li', {}, h('span', { class: 'swatch swatch-hatch', 'aria-hidden': 'true' }), t('gap.legend.none')),
    points);
  $('coverage-legend').dataset.indicator = `distance:${gap.type}:${gap.metric}:${gap.threshold}`;
}

/** The legend items of the population points (also used by the what-if view). */
export function pointLegend(threshold, weight, reached) {
  const p = pointColors();
  const dot = (c, big = false) => h('span', {
    class: `dot${big ? ' dot-big' : ''}`, style: `background:${c.color};border-color:${c.stroke === '#ffffff' ? c.color : c.stroke}`, 'aria-hidden': 'true',
  });
  const T = Number(threshold);
  return [
    h('li', { class: 'legend-sub' }, h('span', { class: 'dot-pair', 'aria-hidden': 'true' }, dot(p.near), dot(p.near, true)),
      t('gap.legend.points', { target: t(`target.${weight}`) })),
    h('li', {}, dot(p.near), t('gap.legend.near', { km: kmWords(T) })),
    reached ? h('li', {}, dot(p.reached), t('gap.legend.reached', { km: kmWords(T) })) : null,
    h('li', {}, dot(p.beyond), t('gap.legend.beyond', { km: kmWords(T) })),
    h('li', {}, dot(p.far), t('gap.legend.far', { km: kmWords(T * (p.farFactor ?? p.far_factor ?? 2)) })),
  ];
}

function renderSummary(report) {
  const r = report.region;
  const { gap } = ctx.state;
  if (r.mean_km === null || r.mean_km === undefined) {
    replace($('region-summary'), t('gap.region.none'));
    return;
  }
  replace($('region-summary'), t('gap.region', {
    region: ctx.regionName() || r.name,
    share: pct(r.share_beyond),
    target: targetWords(report.target),
    km: kmWords(gap.threshold),
    people: num(r.people_beyond),
    mean: km(r.mean_km),
  }));
}

/** The table's columns for a report. */
function columns(report) {
  const T = kmWords(ctx.state.gap.threshold);
  const v = (key, digits = 0) => (row) => (row[key] === null || row[key] === undefined ? '—' : num(row[key], digits));
  return [
    { key: 'name', label: t('gap.col.name'), value: (r) => r.name },
    { key: 'share_beyond', label: t('gap.col.share_beyond', { km: T }), num: true, cell: (r) => pct(r.share_beyond) },
    { key: 'people_beyond', label: t('gap.col.people_beyond', { km: T }), num: true, cell: (r) => numOrNoData(r.people_beyond) },
    { key: 'mean_km', label: t('gap.col.mean_km'), num: true, cell: v('mean_km', 1) },
    { key: 'p90_km', label: t('gap.col.p90_km'), num: true, cell: v('p90_km', 1) },
    { key: 'access_per_1000', label: t('gap.col.access_per_1000'), num: true, cell: v('access_per_1000') },
    { key: 'population', label: cap(targetWords(report.target)), num: true, cell: (r) => numOrNoData(r.population) },
    { key: 'services', label: t('gap.col.services'), num: true, cell: v('services') },
    { key: 'capacity', label: t('gap.col.capacity'), num: true, cell: v('capacity') },
  ];
}

function renderTable(report) {
  const { state } = ctx;
  const cols = columns(report);
  const table = $('gaps-table');
  const draw = () => {
    const sort = state.gap.sort;
    const col = cols.find((c) => c.key === sort.key) || cols[1];
    $('gaps-caption').textContent = t('gap.caption', { type: typeName(state.gap.type), col: col.label, dir: dirWords(col, sort.dir) });
    $('gaps-title').textContent = $('gaps-caption').textContent;
    renderSortable(table, {
      columns: cols.map((c, i) => (i === 0 ? {
        ...c,
        cell: (r) => h('button', {
          type: 'button', class: 'link-btn', 'aria-label': t('cov.table.show', { name: r.name }),
          onclick: () => ctx.chooseMunicipality(r.code, { fit: true, scroll: false, focus: true }),
        }, r.name),
      } : c)),
      rows: report.municipalities,
      sort,
      rowAttrs: (r) => ({ dataset: { code: r.code }, class: r.code === state.municipality ? 'is-selected' : null }),
      footer: { row: report.region, header: () => t('table.region'), attrs: { class: 'region-row', dataset: { code: 'region' } } },
      onSort: (s) => {
        state.gap.sort = s;
        draw();
        const c = cols.find((x) => x.key === s.key);
        $('gaps-sort-status').textContent = t('table.sorted', { col: c.label, dir: dirWords(c, s.dir) });
      },
    });
  };
  draw();
  $('gaps-surface').textContent = report.surface ? t('gap.surface', { s: report.surface }) : '';
}

/** Marks the chosen municipality in the table. */
export function markRow(code) {
  for (const tr of $('gaps-table').tBodies[0].rows) tr.classList.toggle('is-selected', tr.dataset.code === code);
}

/** The link to the printable summary of a municipality. */
export function printLink(code, mname) {
  const { state } = ctx;
  const q = new URLSearchParams({ code, type: state.gap.type, threshold_km: String(state.gap.threshold), lang: lang(), print: '1' });
  return h('p', { class: 'actions' }, h('a', {
    class: 'btn', id: 'print-summary', href: `/summary.html?${q}`, target: '_blank', rel: 'noopener',
    'aria-label': t('print.button.label', { name: mname }),
  }, t('print.button')));
}

/** The figures of the chosen municipality for the distance measure. */
export function renderGapFigures() {
  const { state } = ctx;
  const box = $('figures');
  const report = currentReport();
  const row = report?.municipalities.find((r) => r.code === state.municipality);
  box.dataset.code = row ? row.code : '';
  box.dataset.measure = 'distance';
  if (!row) {
    replace(box, h('h2', { id: 'figures-title', class: 'vh' }, t('cov.title')), h('p', {}, t('cov.pick')));
    return;
  }
  const m = state.municipalities.find((x) => x.code === row.code);
  const T = kmWords(state.gap.threshold);
  const reg = report.region;
  const dd = (v, key) => h('dd', { dataset: { key } }, v);
  const none = row.mean_km === null || row.mean_km === undefined;
  replace(box,
    h('h2', { id: 'figures-title' }, row.name),
    m?.props?.approximate_boundary ? h('p', { class: 'help' }, t('cov.fig.approximate')) : null,
    h('p', { class: 'figures-sub' }, t('gap.fig.title', { type: typeName(state.gap.type) })),
    none ? h('p', { class: 'note note-warn' }, t('gap.fig.none')) : null,
    !none && row.services === 0 ? h('p', { class: 'note note-warn' }, t('gap.fig.outside')) : null,
    h('dl', {},
      h('dt', {}, cap(targetWords(report.target))), dd(numOrNoData(row.population), 'population'),
      h('dt', {}, t('gap.fig.services')), dd(num(row.services), 'services'),
      h('dt', {}, t('gap.fig.capacity')), dd(num(row.capacity), 'capacity'),
      h('dt', {}, t('gap.fig.mean')), dd(km(row.mean_km), 'mean_km'),
      h('dt', {}, t('gap.fig.p90')), dd(km(row.p90_km), 'p90_km'),
      h('dt', {}, t('gap.fig.beyond', { km: T })), dd(numOrNoData(row.people_beyond), 'people_beyond'),
      h('dt', {}, t('gap.fig.share', { km: T })), dd(pct(row.share_beyond), 'share_beyond'),
      h('dt', {}, t('gap.fig.access')), dd(row.access_per_1000 == null ? '—' : num(row.access_per_1000), 'access_per_1000')),
    reg.mean_km != null ? h('p', { class: 'standing' }, t('gap.fig.region', { share: pct(reg.share_beyond), km: T, mean: km(reg.mean_km) })) : null,
    printLink(row.code, row.name));
  markRow(row.code);
}

export { fmt as formatMeasure };
