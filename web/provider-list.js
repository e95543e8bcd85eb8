// The list of service cards in the provider area. A provider's few services are all shown; an
// admin or a moderator with many (a whole region: over a thousand) chooses a municipality first,
// so the page stays light on a phone and only that municipality's cards are built.
import { t, num } from './i18n.js';
import { h, replace, $ } from './dom.js';

/** More services than this are shown one municipality at a time. */
export const MANY = 40;

/** Shows the cards of `features` in #service-list (built by `make`, once each); returns the
 * cards built so far (a live array: it grows as municipalities are chosen). */
export function showServiceList(features, make) {
  const built = new Map();
  const cards = [];
  const cardOf = (f) => {
    if (!built.has(f.properties.id)) {
      const c = make(f);
      built.set(f.properties.id, c);
      cards.push(c);
    }
    return built.get(f.properties.id);
  };
  const chooser = $('service-municipality');
  if (features.length <= MANY) {
    chooser.hidden = true;
    replace($('service-list'), features.map((f) => cardOf(f).el));
    return cards;
  }
  const byMuni = new Map();
  for (const f of features) {
    const m = f.properties.municipality || {};
    const code = m.code || '';
    if (!byMuni.has(code)) byMuni.set(code, { name: m.name || code, features: [] });
    byMuni.get(code).features.push(f);
  }
  const munis = [...byMuni.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name, 'pt'));
  const select = $('service-municipality-select');
  replace(select, munis.map(([code, m]) => h('option', { value: code },
    t('prov.services.muni.option', { name: m.name, n: num(m.features.length) }))));
  const show = () => {
    const m = byMuni.get(select.value);
    replace($('service-list'), (m?.features || []).map((f) => cardOf(f).el));
  };
  select.onchange = show;
  $('service-municipality-count').textContent = t('prov.services.muni.count', { n: num(features.length), m: num(munis.length) });
  chooser.hidden = false;
  show();
  return cards;
}
