// The public services useful to professionals (/api/public-services): national ones and, when a
// municipality is chosen, its own; what each does, and how to reach it.
import { t, name, day } from './i18n.js';
import { api } from './api.js';
import { h, replace, $, safeUrl } from './dom.js';

let last = null; // {municipality, answer} of the last answer, for the language switch
let seq = 0;

function item(s) {
  const web = s.url && safeUrl(s.url);
  return h('li', { class: 'card pro-card', dataset: { id: s.id } },
    h('h3', {}, name(s.name)),
    h('p', { class: 'kind' }, t(`pro.public.scope.${s.scope}`)),
    h('p', {}, name(s.what)),
    h('ul', { class: 'contacts' },
      s.phone ? h('li', {}, h('span', { class: 'k' }, `${t('svc.phone')}: `), h('a', { href: `tel:${s.phone.replace(/[^\d+]/g, '')}` }, s.phone)) : null,
      web ? h('li', {}, h('span', { class: 'k' }, `${t('svc.website')}: `), h('a', { href: web, rel: 'noopener', target: '_blank' }, new URL(web).host)) : null),
    s.checked ? h('p', { class: 'help' }, t('pro.public.checked', { date: day(s.checked) })) : null);
}

/** Shows the list (again, in the page's language). */
export function renderPublicServices() {
  const box = $('public-list');
  if (!last) return replace(box, h('li', {}, t('pro.loading')));
  if (last.error) {
    return replace(box, h('li', { class: 'note note-error' }, t('pro.public.error'), ' ',
      h('button', { type: 'button', class: 'btn', onclick: () => loadPublicServices(last.municipality) }, t('state.retry'))));
  }
  const list = last.answer.services || [];
  replace(box, list.length ? list.map(item) : h('li', {}, t('pro.public.none')));
  $('public-source').textContent = last.answer.source ? t('pro.source', { what: last.answer.source }) : '';
}

/** Asks for the services of a municipality (its DICO code; '' for the national ones only). */
export async function loadPublicServices(municipality) {
  const run = ++seq;
  last = null;
  renderPublicServices();
  try {
    const answer = await api.publicServices(municipality);
    if (run === seq) last = { municipality, answer };
  } catch {
    if (run === seq) last = { municipality, error: true };
  }
  if (run === seq) renderPublicServices();
}
