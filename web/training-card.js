// A training offer as a card in the professionals view: what, who organises it, when, where,
// for whom, what it costs, how to enrol, "add to calendar" and the offer's own page.
import { t, num, distance, day } from './i18n.js';
import { h, safeUrl } from './dom.js';

/** "12 Jan 2027" or "From 12 Jan 2027 to 14 Feb 2027". */
export function dates(p) {
  if (!p.end || p.end === p.start) return t('tr.on', { date: day(p.start) });
  return t('tr.dates', { from: day(p.start), to: day(p.end) });
}

/** The cost in words: free, or euros (and who pays, when funded). */
export function cost(p) {
  const what = p.cost_eur ? t('tr.cost.eur', { n: num(p.cost_eur, Number.isInteger(p.cost_eur) ? 0 : 2) }) : t('tr.cost.free');
  return p.funding ? `${what} · ${t('tr.funding', { what: p.funding })}` : what;
}

function places(p) {
  if (p.places_left == null && p.places == null) return null;
  if (p.places_left == null) return t('tr.places.total', { n: num(p.places) });
  if (p.places == null) return t('tr.places.left', { n: num(p.places_left) });
  return t('tr.places', { n: num(p.places_left), of: num(p.places) });
}

/** Where: the distance and the locality, or "online". */
function where(p, placed) {
  if (!placed) return t('tr.online.only');
  const town = [p.locality, p.municipality_name].filter((x, i, a) => x && a.indexOf(x) === i).join(', ');
  const d = p.distance_m != null ? t('svc.distance', { d: distance(p.distance_m) }) : '';
  return [d, town].filter(Boolean).join(' · ');
}

/**
 * An offer (a GeoJSON Feature of /api/training) as a card. `rank` numbers it as on the map;
 * `profileTitle(code)` names a profile; `onShow(id)` ("Ver no mapa") is passed in from the
 * list above.
 */
export function trainingCard(f, { rank, profileTitle = (c) => c, onShow = null }) {
  const p = f.properties;
  const placed = Boolean(f.geometry);
  const uid = `tr${rank}`;
  const row = (k, v) => (v === null || v === undefined || v === '' ? null : [h('dt', {}, t(k)), h('dd', {}, v)]);
  const addr = [p.address, p.postal_code, p.locality].filter(Boolean).join(', ');
  const enrol = p.enrol || {};
  const web = enrol.url && safeUrl(enrol.url);
  return h('article', { 'aria-labelledby': `${uid}-title` },
    h('span', { class: 'rank rank-training', 'aria-hidden': 'true' }, rank),
    h('h3', { id: `${uid}-title` }, h('span', { class: 'vh' }, `${t('tr.number', { n: rank })}: `), p.title),
    h('p', { class: 'kind' }, t('tr.by', { name: p.organiser?.name || '' })),
    h('p', { class: 'distance' }, where(p, placed)),
    p.demo ? h('p', { class: 'demo-tag' }, t('tr.demo')) : null,
    h('p', { class: 'when' }, dates(p), p.schedule ? ` · ${p.schedule}` : ''),
    h('dl', { class: 'facts' },
      row('tr.audience', (p.audience || []).map((a) => t(`pro.audience.${a}`)).join(', ')),
      row('tr.profiles', (p.profiles || []).map(profileTitle).join(', ')),
      row('tr.modality', p.modality ? t(`tr.modality.${p.modality}`) : null),
      row('tr.hours', p.hours != null ? t('tr.hours.n', { n: num(p.hours) }) : null),
      row('tr.cost', cost(p)),
      row('tr.places.label', places(p)),
      row('tr.language', p.language ? t(`tr.language.${p.language}`) : null),
      row('svc.address', addr)),
    web || enrol.phone || enrol.email ? h('p', { class: 'k' }, t('tr.enrol')) : null,
    h('ul', { class: 'contacts' },
      web ? h('li', {}, h('a', { href: web, rel: 'noopener', target: '_blank' }, t('tr.enrol.web', { host: new URL(web).host }))) : null,
      enrol.phone ? h('li', {}, h('span', { class: 'k' }, `${t('svc.phone')}: `), h('a', { href: `tel:${enrol.phone.replace(/[^\d+]/g, '')}` }, enrol.phone)) : null,
      enrol.email ? h('li', {}, h('span', { class: 'k' }, `${t('svc.email')}: `), h('a', { href: `mailto:${enrol.email}` }, enrol.email)) : null),
    h('div', { class: 'actions' },
      h('a', {
        class: 'btn btn-primary', href: `/api/training/${encodeURIComponent(p.id)}.ics`, download: `${p.id}.ics`,
        'aria-label': t('tr.calendar.label', { title: p.title }),
      }, t('tr.calendar')),
      h('a', { class: 'btn', href: `/training/${encodeURIComponent(p.id)}`, 'aria-label': t('tr.details.label', { title: p.title }) }, t('tr.details')),
      placed && onShow ? h('button', { type: 'button', class: 'btn', onclick: () => onShow(p.id) }, t('svc.show')) : null));
}
