// "O que os seus serviços recebem": how often each of the provider's services was opened,
// found in "near me" searches and contacted (GET /api/providers/{id}/stats, counts only),
// and how well its municipalities are covered.
import { t, num } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { call, why } from './provider-api.js';

const ROWS = ['views', 'found', 'contacts'];

function serviceTable(s) {
  return h('li', { class: 'card', dataset: { id: s.id } },
    h('table', { class: 'stats' },
      h('caption', {}, s.name),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, h('span', { class: 'vh' }, t('prov.stats.what'))),
        h('th', { scope: 'col' }, t('prov.stats.30')),
        h('th', { scope: 'col' }, t('prov.stats.365')))),
      h('tbody', {}, ROWS.map((k) => h('tr', { dataset: { count: k } },
        h('th', { scope: 'row' }, t(`prov.stats.${k}`)),
        h('td', { dataset: { period: '30' } }, num(s.last_30_days[k])),
        h('td', { dataset: { period: '365' } }, num(s.last_365_days[k])))))));
}

function coverageItem(c) {
  const rate = c.rate === null || c.rate === undefined
    ? t('cov.legend.nodata')
    : t('prov.stats.rate', { rate: num(c.rate, 1) });
  return h('li', { dataset: { code: c.code, indicator: c.indicator, class: c.gap_class } },
    h('strong', {}, `${c.name} · ${t(`cov.${c.indicator}`)}: `),
    rate, ' — ', h('span', { class: `gap gap-${c.gap_class}` }, t(`cov.gap.${c.gap_class}`)));
}

/** Fills #stats for a provider id (and shows it); "Atualizar" asks again. */
export async function showStats(provider) {
  const box = $('stats-body');
  const out = $('stats-status');
  out.textContent = t('prov.loading');
  $('stats').hidden = false;
  const r = await call('GET', `/api/providers/${encodeURIComponent(provider)}/stats`);
  if (r.status !== 200) {
    replace(box);
    out.textContent = t('prov.error', { msg: why(r) });
    return;
  }
  const { services = [], coverage = [] } = r.body;
  replace(box,
    h('ul', { class: 'cards', id: 'stats-services' }, services.map(serviceTable)),
    coverage.length ? [
      h('h3', {}, t('prov.stats.coverage')),
      h('p', {}, t('prov.stats.coverage.help')),
      h('ul', { class: 'coverage', id: 'stats-coverage' }, coverage.map(coverageItem)),
    ] : null);
  out.textContent = '';
}

/** Binds the refresh button once. */
export function bindStats(provider) {
  const btn = $('stats-refresh');
  btn.onclick = async () => {
    btn.disabled = true;
    await showStats(provider);
    btn.disabled = false;
    $('stats-status').textContent = t('prov.stats.updated');
  };
}
