// A service as a card (for the results list, numbered, and for a service chosen on the map).
import { t, lang, name, plainName, num, distance, date, fold } from './i18n.js';
import { h, $, narrow, safeUrl } from './dom.js';
import { state } from './page-state.js';
import { groupBadge } from './badges.js';

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

/** A service as a card: for the results list (with rank) and for a service chosen on the map.
 * A ranked card has a "Show on the map" button that calls `onShow(id)` (the results list
 * passes its selection in: this module sits below it). */
export function serviceCard(f, { rank = null, headingId = null, onShow = null } = {}) {
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  // A way of contact the service lacks may be its organisation's (head office): said so.
  const own = p.contact || {};
  const org = p.provider?.contact || {};
  const c = {};
  const fromOrg = {};
  for (const k of ['phone', 'email', 'website']) {
    c[k] = own[k] || org[k] || null;
    fromOrg[k] = !own[k] && Boolean(org[k]);
  }
  const what = (k) => (lang() === 'en' ? t(`svc.${k}`).toLowerCase() : t(`svc.${k}`));
  const label = (k) => `${fromOrg[k] ? t('svc.of.org', { what: what(k) }) : t(`svc.${k}`)}:`;
  const uid = rank ? `r${rank}` : 'sel';
  const moreId = `${uid}-more`;
  const response = state.taxonomy.responses.find((r) => r.code === p.type);
  const web = c.website && safeUrl(c.website);
  const official = p.official_listing && safeUrl(p.official_listing);
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
      c.phone ? h('li', {}, h('span', { class: 'k' }, label('phone')), h('a', { href: `tel:${c.phone.replace(/[^\d+]/g, '')}`, onclick: () => contacted(p.id, 'phone') }, c.phone)) : null,
      c.email ? h('li', {}, h('span', { class: 'k' }, label('email')), h('a', { href: `mailto:${c.email}`, onclick: () => contacted(p.id, 'email') }, c.email)) : null,
      web ? h('li', {}, h('span', { class: 'k' }, label('website')), h('a', { href: web, rel: 'noopener', target: '_blank', onclick: () => contacted(p.id, 'website') }, new URL(web).host)) : null),
    addr ? h('p', { class: 'address' }, h('span', { class: 'k' }, `${t('svc.address')}: `), addr) : null,
    official ? h('p', { class: 'official' }, h('a', {
      class: 'official-listing', href: official, rel: 'noopener', target: '_blank',
      'aria-label': t('svc.official.label', { type: name(p.type_name), municipality: p.municipality?.name || '' }),
    }, t('svc.official'))) : null,
    h('div', { class: 'actions' },
      h('a', {
        class: 'btn btn-primary', rel: 'noopener', target: '_blank',
        href: `https://www.google.com/maps/dir/?api=1&destination=${lat},${lon}`,
        'aria-label': t('svc.directions.label', { name: p.name }),
        onclick: () => contacted(p.id, 'directions'),
      }, t('svc.directions')),
      toggle,
      rank && onShow ? h('button', {
        type: 'button', class: 'btn',
        onclick: () => { onShow(p.id); if (narrow()) $('map-area').scrollIntoView({ behavior: 'smooth' }); },
      }, t('svc.show')) : null),
    more);
}
