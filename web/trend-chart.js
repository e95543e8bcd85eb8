// One chart of the trends view: lines of an indicator over time (uPlot, from npm, served at
// /vendor/uplot/) with the same values as a table (the chart is hidden from screen readers; the
// table is what they read, and what anyone reads without the chart). uPlot is loaded the first
// time a chart is drawn; when it cannot load, the table stays.
import { t, num, pct, locale } from './i18n.js';
import { h, replace } from './dom.js';

const VENDOR = '/vendor/uplot/';
let loading = null;

/** uPlot and its stylesheet, once (null when they cannot load). */
export function loadUplot() {
  loading ??= (async () => {
    if (!document.querySelector(`link[href="${VENDOR}uPlot.min.css"]`)) {
      const link = h('link', { rel: 'stylesheet', href: `${VENDOR}uPlot.min.css` });
      document.head.append(link);
    }
    const mod = await import(`${VENDOR}uPlot.esm.js`);
    return mod.default;
  })().catch((e) => {
    console.warn('uPlot unavailable', e);
    return null;
  });
  return loading;
}

/** The page's colour-blind-safe palette (Okabe–Ito) with a dash pattern each, so the lines
 * differ without colour too. */
export const STYLES = {
  area: { color: '#0072B2', dash: [], width: 3 },
  within: { color: '#E69F00', dash: [9, 5], width: 2.5 },
  region: { color: '#009E73', dash: [2, 4], width: 2.5 },
  target: { color: '#1a1a1a', dash: [14, 6], width: 1.5 },
  reference: { color: '#D55E00', dash: null, width: 3 },
};

/** A value in the indicator's unit: `rate` (1 decimal), `count`, `share` (percent), `km`. */
export function formatValue(v, unit) {
  if (v === null || v === undefined) return '—';
  if (unit === 'share') return pct(v, 1);
  if (unit === 'km') return t('unit.km', { n: num(v, 1) });
  if (unit === 'rate') return num(v, 1);
  return num(v, 0);
}

/** Seconds since 1970 of an API time or day. */
const secs = (s) => Math.round(new Date(s.length === 10 ? `${s}T00:00:00Z` : s).getTime() / 1000);

function when(x, withTime) {
  const opts = withTime
    ? { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }
    : { dateStyle: 'medium', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale(), opts).format(new Date(x * 1000));
}

/** A dashed level line at `value` across the plotting area. */
function drawLevel(u, value) {
  const { ctx, bbox } = u;
  const y = Math.round(u.valToPos(value, 'y', true)) + 0.5;
  const ratio = window.devicePixelRatio || 1;
  ctx.save();
  ctx.strokeStyle = STYLES.target.color;
  ctx.lineWidth = STYLES.target.width * ratio;
  ctx.setLineDash(STYLES.target.dash.map((d) => d * ratio));
  ctx.beginPath();
  ctx.moveTo(bbox.left, y);
  ctx.lineTo(bbox.left + bbox.width, y);
  ctx.stroke();
  ctx.restore();
}

/** A small sample of a series' line for the legend (as the chart draws it). */
function swatch(style, points) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 36 14');
  svg.setAttribute('width', '36');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'trend-swatch');
  const el = document.createElementNS('http://www.w3.org/2000/svg', points ? 'circle' : 'line');
  if (points) {
    Object.entries({ cx: 18, cy: 7, r: 5, fill: '#fff', stroke: style.color, 'stroke-width': 3 }).forEach(([k, v]) => el.setAttribute(k, v));
  } else {
    Object.entries({ x1: 1, y1: 7, x2: 35, y2: 7, stroke: style.color, 'stroke-width': style.width + 0.5 })
      .forEach(([k, v]) => el.setAttribute(k, v));
    if (style.dash?.length) el.setAttribute('stroke-dasharray', style.dash.join(' '));
  }
  svg.append(el);
  return svg;
}

/**
 * Draws one chart and its table into `box`: `lines` [{key, label, style, points: [{at, value,
 * source}]}] (stepped: a value holds until the next point), `target` {label, value} or null (a
 * level line), `references` [{date, value, source}] (points), `unit` as formatValue.
 * Returns a function that redraws the chart at its box's width.
 */
export async function renderTrendChart(box, { id, title, lines, target, references, unit, caption }) {
  const xs = new Set();
  for (const l of lines) for (const p of l.points) xs.add(secs(p.at));
  for (const r of references) xs.add(secs(r.date));
  const x = [...xs].sort((a, b) => a - b);
  const at = new Map(x.map((v, i) => [v, i]));
  const column = (points, pick) => {
    const out = x.map(() => null);
    for (const p of points) out[at.get(secs(pick(p)))] = p.value ?? null;
    return out;
  };
  const data = [x, ...lines.map((l) => column(l.points, (p) => p.at))];
  if (references.length) data.push(column(references, (r) => r.date));
  const empty = !x.length;

  const legend = h('ul', { class: 'trend-legend', 'aria-hidden': 'true' },
    lines.map((l) => h('li', {}, swatch(l.style), l.label)),
    target ? h('li', {}, swatch(STYLES.target), target.label) : null,
    references.length ? h('li', {}, swatch(STYLES.reference, true), t('trends.reference')) : null);
  const plot = h('div', { class: 'trend-plot', 'aria-hidden': 'true' });
  const tableTitle = `${id}-caption`;
  const head = h('tr', {}, h('th', { scope: 'col' }, t('trends.when')),
    lines.map((l) => h('th', { scope: 'col', class: 'num' }, l.label)),
    target ? h('th', { scope: 'col', class: 'num' }, target.label) : null,
    references.length ? h('th', { scope: 'col', class: 'num' }, t('trends.reference')) : null,
    h('th', { scope: 'col' }, t('trends.how')));
  const sourceOf = new Map();
  for (const l of lines) for (const p of l.points) if (!sourceOf.has(secs(p.at))) sourceOf.set(secs(p.at), p.source);
  const refAt = new Map(references.map((r) => [secs(r.date), r]));
  const rows = [...x].reverse().map((xv) => {
    const i = at.get(xv);
    const ref = refAt.get(xv);
    const src = sourceOf.get(xv);
    return h('tr', { dataset: { t: String(xv) } },
      h('th', { scope: 'row' }, when(xv, !ref || src)),
      lines.map((l, k) => {
        const v = data[k + 1][i];
        return h('td', { class: 'num', dataset: { series: l.key, value: v === null ? '' : String(v) } }, v === null ? '' : formatValue(v, unit));
      }),
      target ? h('td', { class: 'num' }, formatValue(target.value, unit)) : null,
      references.length ? h('td', { class: 'num', dataset: { series: 'reference', value: ref ? String(ref.value) : '' } },
        ref ? `${formatValue(ref.value, unit)} (${ref.source})` : '') : null,
      h('td', {}, src ? t(`trends.source.${src}`) : ref ? t('trends.source.published') : ''));
  });
  const table = h('div', { class: 'table-scroll trend-table', role: 'region', tabindex: '0', 'aria-labelledby': tableTitle },
    h('table', { class: 'data-table' },
      h('caption', { id: tableTitle, class: 'vh' }, caption),
      h('thead', {}, head),
      h('tbody', {}, rows)));
  replace(box,
    h('h3', { class: 'trend-title' }, title),
    empty ? h('p', { class: 'note' }, t('trends.none')) : [legend, plot, table]);
  if (empty) return () => {};

  const uPlot = await loadUplot();
  if (!uPlot || !box.isConnected) {
    plot.hidden = true;
    return () => {};
  }
  const stepped = uPlot.paths.stepped({ align: 1 });
  const series = [
    {},
    ...lines.map((l) => ({
      label: l.label, stroke: l.style.color, width: l.style.width, dash: l.style.dash, spanGaps: true, paths: stepped,
      points: { size: 7, fill: '#fff' }, value: (u, v) => formatValue(v, unit),
    })),
  ];
  if (references.length) {
    series.push({
      label: t('trends.reference'), stroke: STYLES.reference.color, width: 0, paths: () => null,
      points: { show: true, size: 12, width: 3, stroke: STYLES.reference.color, fill: '#fff' },
    });
  }
  const span = x.length ? x[x.length - 1] - x[0] : 0;
  const tick = new Intl.DateTimeFormat(locale(), span > 400 * 86400
    ? { month: 'short', year: 'numeric', timeZone: 'UTC' }
    : { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const size = () => ({ width: Math.max(240, Math.floor(plot.clientWidth || box.clientWidth || 320)), height: window.innerWidth < 560 ? 200 : 240 });
  // One point alone: a day either side, so it is not drawn on the edge.
  const scaleX = x.length === 1 ? { time: true, range: () => [x[0] - 86400, x[0] + 86400] } : { time: true };
  const chart = new uPlot({
    ...size(),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: scaleX,
      y: {
        range: (u, lo, hi) => {
          const top = Math.max(hi ?? 0, target?.value ?? 0);
          return [Math.min(0, lo ?? 0), top === 0 ? 1 : top * 1.1];
        },
      },
    },
    // The target: a level line across the whole chart (whatever the points' times).
    hooks: target ? { draw: [(u) => drawLevel(u, target.value)] } : {},
    axes: [
      { values: (u, splits) => splits.map((s) => tick.format(new Date(s * 1000))), font: '13px system-ui, sans-serif', stroke: '#4a4f55' },
      { values: (u, splits) => splits.map((s) => formatValue(s, unit === 'count' ? 'count' : unit)), font: '13px system-ui, sans-serif', size: 60, stroke: '#4a4f55' },
    ],
    series,
  }, data, plot);
  box.dataset.chart = 'ready';
  return () => chart.setSize(size());
}
