// The professions of social care in the professionals view (/api/profiles, the National
// Qualifications Catalogue): what each professional does, in plain words, and the services
// that need them, with the way to their training and to where those services are missing.
import { t, lang, plainName } from './i18n.js';
import { h, replace, $, safeUrl } from './dom.js';
import { state } from './page-state.js';

/**
 * Fills #profiles-list from `state.pro.profiles`. `onTraining(code)` shows the training for a
 * profile; `onGaps(response)` shows where a response is missing (both passed in from above).
 */
export function renderProfiles({ onTraining, onGaps }) {
  const list = state.pro.profiles;
  const box = $('profiles-list');
  if (!list) return replace(box, h('li', {}, t('pro.loading')));
  const responses = state.taxonomy?.responses || [];
  const plain = (code) => {
    const r = responses.find((x) => x.code === code);
    return r ? plainName(r) : code;
  };
  replace(box, list.map((p) => {
    const needed = p.responses || [];
    return h('li', { class: 'card pro-card', dataset: { code: p.code } },
      h('h3', { id: `profile-${p.code}` }, p.title),
      h('p', { class: 'kind' }, t('pro.profile.level', { n: p.level, area: p.area_name })),
      h('p', {}, lang() === 'en' ? p.en : p.pt),
      needed.length ? h('p', { class: 'needed' }, h('span', { class: 'k' }, t('pro.profile.needed')), ' ', needed.map(plain).join(', ')) : null,
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', class: 'btn btn-primary', 'aria-describedby': `profile-${p.code}`,
          onclick: () => onTraining(p.code),
        }, t('pro.profile.training')),
        needed.length ? h('button', {
          type: 'button', class: 'btn', onclick: () => onGaps(needed[0]),
        }, t('pro.profile.gaps', { what: plain(needed[0]) })) : null));
  }));
  const url = safeUrl(state.pro.catalogue);
  replace($('profiles-source'), t('pro.profiles.source'), ' ',
    url ? h('a', { href: url, rel: 'noopener', target: '_blank' }, t('pro.profiles.catalogue')) : null);
}
