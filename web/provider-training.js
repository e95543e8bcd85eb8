// The account's training offers in the provider area (GET /api/me/training): each with its
// state (published, waiting for review, withdrawn), a form to correct it and "withdraw" after a
// confirmation step; and the form of a new offer. A provider's or a trainer's offers wait for
// the coordination's review; an admin's or a moderator's are published at once.
import { t, day } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { api } from './api.js';
import { call, why } from './provider-api.js';
import { trainingForm } from './training-form.js';
import { confirmStep } from './confirm-step.js';

let lists = null; // {profiles, municipalities, organiser}

/** The profiles and municipalities for the form (once), and the account's organisation's name. */
async function loadLists(user) {
  if (lists) return lists;
  const [profiles, munis, org] = await Promise.all([
    api.profiles().catch(() => ({ profiles: [] })),
    api.municipalities().catch(() => ({ features: [] })),
    user.provider ? call('GET', `/api/providers/${encodeURIComponent(user.provider)}`) : null,
  ]);
  lists = {
    profiles: profiles.profiles || [],
    municipalities: (munis.features || []).map((f) => ({ code: f.properties.code, name: f.properties.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'pt')),
    organiser: org?.status === 200 ? org.body?.name : '',
  };
  return lists;
}

function withdraw(p, reload) {
  const out = h('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  const step = confirmStep({
    label: t('trp.withdraw'), question: t('trp.withdraw.confirm', { title: p.title }), yes: t('trp.withdraw.yes'),
    onYes: async () => {
      const r = await call('DELETE', `/api/training/${encodeURIComponent(p.id)}`);
      if (r.status === 200 || r.status === 204) return reload(t('trp.withdrawn'));
      out.className = 'result bad';
      out.textContent = r.status === 401 ? t('prov.expired') : t('prov.error', { msg: why(r) });
      return null;
    },
  });
  return [...step, out];
}

function offerCard(f, user, reload) {
  const p = f.properties;
  const editId = `trp-${p.id}-edit`;
  const edit = h('div', { id: editId, hidden: true });
  const toggle = h('button', { type: 'button', class: 'btn', 'aria-expanded': 'false', 'aria-controls': editId }, t('trp.edit'));
  toggle.addEventListener('click', async () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    if (open && !edit.firstChild) edit.append(trainingForm(f, await loadLists(user), () => reload(null, p.id)));
    edit.hidden = !open;
  });
  const status = p.status || 'published';
  return h('li', { class: 'card', dataset: { id: p.id, status } },
    h('h3', {}, p.title),
    h('p', { class: `tr-status tr-${status}` }, t(`trp.status.${status}`)),
    h('p', { class: 'kind' }, t('tr.dates', { from: day(p.start), to: day(p.end) }), p.municipality_name ? ` · ${p.municipality_name}` : ''),
    status === 'withdrawn' ? null : h('div', { class: 'dash-actions' }, toggle, status === 'published'
      ? h('a', { class: 'btn', href: `/training/${encodeURIComponent(p.id)}` }, t('tr.details')) : null),
    status === 'withdrawn' ? null : edit,
    status === 'withdrawn' ? null : withdraw(p, reload));
}

/** Shows the section for a signed-in account (`user` from /api/me). */
export async function showTraining(user) {
  const section = $('training');
  const listBox = $('training-offers');
  const message = $('training-message');
  const reload = async (msg = null, keepOpen = null) => {
    const r = await call('GET', '/api/me/training');
    if (r.status !== 200) {
      // Not on this server yet, or not for this account: the section stays hidden.
      section.hidden = r.status !== 401;
      message.textContent = r.status === 401 ? t('prov.expired') : '';
      return;
    }
    const offers = r.body?.offers || [];
    replace(listBox, offers.length ? offers.map((f) => offerCard(f, user, reload)) : h('li', {}, t('trp.none')));
    message.className = 'result ok';
    message.textContent = msg || '';
    if (keepOpen) listBox.querySelector(`li[data-id="${CSS.escape(keepOpen)}"] button[aria-expanded]`)?.focus();
    section.hidden = false;
  };
  const newBox = $('training-new');
  const newBtn = $('training-new-btn');
  newBtn.onclick = async () => {
    const open = newBtn.getAttribute('aria-expanded') !== 'true';
    newBtn.setAttribute('aria-expanded', String(open));
    if (open) {
      replace(newBox, trainingForm(null, await loadLists(user), (answer, pending) => {
        newBtn.setAttribute('aria-expanded', 'false');
        newBox.hidden = true;
        reload(t(pending ? 'trf.pending' : 'trf.published')).then(() => newBtn.focus());
      }));
      newBox.querySelector('input')?.focus();
    }
    newBox.hidden = !open;
  };
  $('training-help').textContent = t(['admin', 'moderator'].includes(user.role) ? 'trp.help.staff' : 'trp.help');
  await reload();
}
