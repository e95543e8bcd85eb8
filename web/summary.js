// A municipality's one-page summary, to print: population, Carta Social's coverage, the
// distance indicators of the main responses and the list of its services.
// /summary.html?code=0705[&type=ERPI][&threshold_km=10][&lang=pt|en][&print=1]
import { t, lang, setLang, name, num, numOrNoData, pct, km, date, translateDom } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';

const MAIN = ['ERPI', 'CENTRO_DIA', 'SAD_IDOSOS', 'CRECHE'];
const GROUP_COLORS = { children: '#E69F00', disability: '#009E73', elderly: '#0072B2', family: '#CC79A7', health: '#D55E00' };
const SVG = 'http://www.w3.org/2000/svg';

const params = new URLSearchParams(location.search);
const code = params.get('code') || '';
const type = params.get('type') || 'ERPI';
const threshold = (() => {
  const v = Number(params.get('threshold_km'));
  return Number.isFinite(v) && v >= 1 && v <= 100 ? v : 10;
})();

function applyLang() {
  document.documentElement.lang = lang();
  translateDom();
  const other = lang() === 'pt' ? 'en' : 'pt';
  const q = new URLSearchParams(location.search);
  q.set('lang', other);
  q.delete('print');
  const sw = $('lang-switch');
  sw.href = `?${q}`;
  sw.setAttribute('lang', other);
  $('back').href = `/?lang=${lang()}#distance`;
}

function svg(tag, attrs = {}, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const k of kids.flat()) if (k) el.append(k);
  return el;
}

/** A small map: the region's municipalities, this one outlined, its services as dots. */
function miniMap(features, muni, services) {
  const bbox = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      bbox[0] = Math.min(bbox[0], c[0]); bbox[1] = Math.min(bbox[1], c[1]);
      bbox[2] = Math.max(bbox[2], c[0]); bbox[3] = Math.max(bbox[3], c[1]);
    } else c.forEach(walk);
  };
  features.forEach((f) => walk(f.geometry.coordinates));
  const k = Math.cos(((bbox[1] + bbox[3]) / 2) * (Math.PI / 180));
  const W = 300;
  const s = W / ((bbox[2] - bbox[0]) * k);
  const H = Math.round((bbox[3] - bbox[1]) * s);
  const xy = ([lon, lat]) => [((lon - bbox[0]) * k * s).toFixed(1), ((bbox[3] - lat) * s).toFixed(1)];
  const path = (g) => {
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    return polys.map((p) => p.map((ring) => `M${ring.map((c) => xy(c).join(',')).join('L')}Z`).join('')).join('');
  };
  return svg('svg', {
    viewBox: `-4 -4 ${W + 8} ${H + 8}`, class: 'mini-map', role: 'img',
    'aria-label': `${muni.properties.name}: ${t('summary.services', { n: num(services.length) })}`,
  },
  features.filter((f) => f !== muni).map((f) => svg('path', { d: path(f.geometry), class: 'other' })),
  svg('path', { d: path(muni.geometry), class: 'this' }),
  services.map((f) => {
    const [x, y] = xy(f.geometry.coordinates);
    return svg('circle', { cx: x, cy: y, r: 3.2, fill: GROUP_COLORS[f.properties.group] || '#333', class: 'svc-dot' });
  }));
}

async function start() {
  setLang(params.get('lang') || (() => { try { return localStorage.getItem('bussola.lang'); } catch { return null; } })() || 'pt');
  applyLang();
  $('print').addEventListener('click', () => window.print());
  const sheet = $('sheet');
  if (!code) {
    replace(sheet, h('p', { class: 'note' }, t('summary.unknown', { code: '' })));
    sheet.setAttribute('aria-busy', 'false');
    document.body.dataset.ready = 'error';
    return;
  }
  let data;
  try {
    const types = [...new Set([...MAIN, type])];
    const [region, taxonomy, munis, elderly, early, services, ...gaps] = await Promise.all([
      api.region(), api.taxonomy(), api.municipalities(),
      api.coverage('elderly'), api.coverage('early_childhood'),
      api.municipalityServices(code),
      ...types.map((x) => api.gaps(x, threshold)),
    ]);
    data = { region, taxonomy, munis, coverage: [elderly, early], services, gaps, types };
  } catch (e) {
    const unknown = e.status === 400 || e.status === 404;
    replace(sheet, h('p', { class: 'note' }, unknown ? t('summary.unknown', { code }) : t('summary.error')));
    sheet.setAttribute('aria-busy', 'false');
    document.body.dataset.ready = 'error';
    return;
  }
  const muni = data.munis.features.find((f) => f.properties.code === code);
  if (!muni) {
    replace(sheet, h('p', { class: 'note' }, t('summary.unknown', { code })));
    sheet.setAttribute('aria-busy', 'false');
    document.body.dataset.ready = 'error';
    return;
  }
  render(sheet, data, muni);
  sheet.setAttribute('aria-busy', 'false');
  document.body.dataset.ready = '1';
  if (params.get('print') === '1') {
    // Print once; a reload of the page does not print again.
    const q = new URLSearchParams(location.search);
    q.delete('print');
    history.replaceState(null, '', `?${q}`);
    requestAnimationFrame(() => setTimeout(() => window.print(), 50));
  }
}

function render(sheet, d, muni) {
  const p = muni.properties;
  const tx = d.taxonomy;
  const typeName = (c) => name(tx.responses.find((r) => r.code === c)) || c;
  const groupName = (g) => name(tx.groups.find((x) => x.code === g)) || g;
  const T = km(threshold, Number.isInteger(threshold) ? 0 : 1);
  document.title = t('summary.doc.title', { name: p.name });
  const features = d.services.features;
  const demo = features.filter((f) => f.properties.demo).length;
  const covRows = d.coverage.map((r) => ({ report: r, row: r.municipalities.find((x) => x.code === code) }));
  const early = covRows[1].row;
  const pop = p.population || {};

  const dl = (pairs) => h('dl', { class: 'pairs' }, pairs.filter(Boolean).map(([k, v, key]) => [h('dt', {}, k), h('dd', { dataset: { key } }, v)]));
  const population = h('section', { class: 'block', 'aria-labelledby': 's-pop' },
    h('h2', { id: 's-pop' }, t('summary.population')),
    dl([
      [t('summary.pop.total'), num(pop.total), 'total'],
      [t('summary.pop.age_65_plus'), numOrNoData(pop.age_65_plus), 'age_65_plus'],
      [early?.basis === 'live_births_x3' ? t('summary.pop.age_0_2.estimate') : t('summary.pop.age_0_2'),
        numOrNoData(pop.age_0_2 ?? early?.population), 'age_0_2'],
      pop.age_0_14 != null ? [t('summary.pop.age_0_14'), num(pop.age_0_14), 'age_0_14'] : null,
    ]));

  const coverage = h('section', { class: 'block', 'aria-labelledby': 's-cov' },
    h('h2', { id: 's-cov' }, t('summary.coverage')),
    h('table', { class: 'grid', id: 'summary-coverage' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('summary.cov.indicator')),
        h('th', { scope: 'col', class: 'num' }, t('summary.cov.people')),
        h('th', { scope: 'col', class: 'num' }, t('summary.cov.places')),
        h('th', { scope: 'col', class: 'num' }, t('summary.cov.rate')),
        h('th', { scope: 'col', class: 'num' }, t('summary.cov.region')),
        h('th', { scope: 'col' }, t('summary.cov.situation')))),
      h('tbody', {}, covRows.map(({ report, row }) => h('tr', { dataset: { indicator: report.indicator } },
        h('th', { scope: 'row' }, t(`cov.${report.indicator}`)),
        h('td', { class: 'num' }, numOrNoData(row?.population)),
        h('td', { class: 'num' }, num(row?.capacity)),
        h('td', { class: 'num', dataset: { key: 'rate' } }, row?.rate == null ? '—' : num(row.rate, 1)),
        h('td', { class: 'num' }, report.region.rate == null ? '—' : num(report.region.rate, 1)),
        h('td', {}, row ? t(`cov.gap.${row.gap_class}`) : '—'))))),
    h('p', { class: 'help' }, `${t('cov.elderly.help')} ${t('cov.early_childhood.help')}`));

  const distance = h('section', { class: 'block', 'aria-labelledby': 's-dist' },
    h('h2', { id: 's-dist' }, t('summary.distance')),
    h('p', { class: 'help' }, t('summary.dist.intro', { km: T })),
    h('table', { class: 'grid', id: 'summary-distance' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('summary.dist.type')),
        h('th', { scope: 'col', class: 'num' }, t('summary.dist.services')),
        h('th', { scope: 'col', class: 'num' }, t('gap.fig.capacity')),
        h('th', { scope: 'col', class: 'num' }, t('gap.col.mean_km')),
        h('th', { scope: 'col', class: 'num' }, t('gap.col.p90_km')),
        h('th', { scope: 'col', class: 'num' }, t('gap.col.people_beyond', { km: T })),
        h('th', { scope: 'col', class: 'num' }, t('gap.col.share_beyond', { km: T })),
        h('th', { scope: 'col', class: 'num' }, t('gap.col.access_per_1000')),
        h('th', { scope: 'col', class: 'num' }, t('summary.dist.region', { km: T })))),
      h('tbody', {}, d.gaps.map((g, i) => {
        const r = g.municipalities.find((x) => x.code === code) || {};
        const f1 = (v) => (v == null ? '—' : num(v, 1));
        return h('tr', { dataset: { type: d.types[i] } },
          h('th', { scope: 'row' }, typeName(d.types[i]), h('span', { class: 'help' }, ` (${t(`target.${g.target}`)})`)),
          h('td', { class: 'num' }, num(r.services)),
          h('td', { class: 'num' }, num(r.capacity)),
          h('td', { class: 'num', dataset: { key: 'mean_km' } }, f1(r.mean_km)),
          h('td', { class: 'num' }, f1(r.p90_km)),
          h('td', { class: 'num' }, r.people_beyond == null ? '—' : num(r.people_beyond)),
          h('td', { class: 'num', dataset: { key: 'share_beyond' } }, pct(r.share_beyond)),
          h('td', { class: 'num' }, r.access_per_1000 == null ? '—' : num(r.access_per_1000)),
          h('td', { class: 'num' }, pct(g.region.share_beyond)));
      }))));

  // The services, by kind of care (in the taxonomy's order) then name: one line each.
  const order = tx.responses.map((r) => r.code);
  const kinds = [...new Set(features.map((f) => f.properties.type))]
    .sort((a, b) => (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999));
  const mixedDemo = demo > 0 && demo < features.length;
  const here = (s) => (s.locality && s.locality !== p.name ? s.locality : '');
  const services = h('section', { class: 'block services', 'aria-labelledby': 's-svc' },
    h('h2', { id: 's-svc' }, t('summary.services', { n: num(features.length) })),
    demo === features.length && demo ? h('p', { class: 'flag flag-demo' }, t('summary.demo.all')) : null,
    mixedDemo ? h('p', { class: 'flag flag-demo' }, t('summary.demo.some')) : null,
    h('table', {
      class: `grid svc-table${features.length > 45 ? ' svc-many' : ''}`, id: 'summary-services', dataset: { count: String(features.length) },
    },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('summary.svc.name')),
      h('th', { scope: 'col', class: 'num' }, t('summary.svc.places')))),
    kinds.map((k) => {
      const list = features.filter((f) => f.properties.type === k)
        .sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'pt'));
      const group = list[0].properties.group;
      return h('tbody', {},
        h('tr', { class: 'group-row' }, h('th', { scope: 'colgroup', colspan: '2' },
          h('span', { class: 'gdot', style: `background:${GROUP_COLORS[group] || '#333'}`, title: groupName(group) }),
          h('span', { class: 'vh' }, `${groupName(group)}: `),
          `${typeName(k)} (${num(list.length)})`)),
        list.map((f) => {
          const sv = f.properties;
          return h('tr', { class: 'svc', dataset: { id: sv.id } },
            h('td', {}, sv.name, here(sv) ? h('span', { class: 'loc' }, ` · ${here(sv)}`) : null,
              mixedDemo && sv.demo ? h('span', { class: 'tag' }, ` ${t('summary.demo.tag')}`) : null),
            h('td', { class: 'num' }, sv.capacity == null ? '—' : num(sv.capacity)));
        }));
    })),
    h('p', { class: 'help legend-line' }, tx.groups.map((g) => h('span', { class: 'key' },
      h('span', { class: 'gdot', style: `background:${GROUP_COLORS[g.code]}`, 'aria-hidden': 'true' }), name(g)))));

  const gapsSurface = d.gaps[0]?.surface;
  replace(sheet, h('article', {},
    h('header', { class: 'sheet-head' },
      h('p', { class: 'kicker' }, `Bússola · ${t('summary.kicker')}`),
      h('h1', {}, p.name),
      h('p', { class: 'meta' }, `${d.region.name} · ${t('summary.generated', { date: date(new Date().toISOString()), region: d.region.name })}`)),
    p.approximate_boundary || d.region.approximate_boundaries ? h('p', { class: 'flag flag-approx' }, t('summary.approximate')) : null,
    demo ? h('p', { class: 'flag flag-demo' }, t('banner.demo')) : null,
    h('div', { class: 'top-row' }, population, h('figure', { class: 'map-fig' }, miniMap(d.munis.features, muni, features))),
    coverage,
    distance,
    services,
    h('footer', { class: 'sheet-foot' },
      h('p', {}, h('strong', {}, `${t('summary.sources')}: `), (d.region.attribution || []).join(' · ')),
      gapsSurface ? h('p', {}, t('gap.surface', { s: gapsSurface })) : null)));
}

start();
