// Review on the coordination dashboard: the changes waiting for a moderator (approve or
// reject, in place) and, for admins, the history of a service, an organisation or a training
// offer, with "Desfazer" (revert) after a confirmation step.
import { t, num, locale, name, day } from './i18n.js';
import { h, replace, $ } from './dom.js';

/** A change's value in plain words: "(vazio)" for none, a position as "lat, lon". */
export function valueText(field, v) {
  if (v === null || v === undefined || v === '') return t('dash.empty');
  if (field === 'position' && Array.isArray(v)) return `${num(v[1], 5)}, ${num(v[0], 5)}`;
  if (typeof v === 'number') return num(v);
  if (Array.isArray(v)) return v.length ? v.join(', ') : t('dash.empty');
  if (typeof v === 'object') return Object.values(v).filter((x) => x !== null && x !== '').join(' · ') || t('dash.empty');
  return String(v);
}

/** Unix seconds as a date and time. */
function when(secs) {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(secs * 1000));
}

const who = (c) => (c.role ? t(`dash.role.${c.role}`) : t(`dash.source.${c.source}`));
const fieldName = (f, subject) => t(subject === 'training' ? `trf.field.${f}` : `dash.field.${f}`);

/** A new training offer in plain words: what, who, when, where, for whom, what it costs. */
function offerDetails(c) {
  const o = c.new || {};
  const row = (k, v) => (v === null || v === undefined || v === '' ? null : [h('dt', {}, t(k)), h('dd', {}, v)]);
  const place = [o.address, o.postal_code, o.locality, o.municipality_name].filter(Boolean).join(', ');
  return h('dl', { class: 'dash-dl' },
    row('dash.change.field', t('dash.training.new')),
    row('trf.field.organiser', o.organiser?.name),
    row('trf.field.dates', o.start ? t('tr.dates', { from: day(o.start), to: day(o.end || o.start) }) : null),
    row('tr.modality', o.modality ? t(`tr.modality.${o.modality}`) : null),
    row('svc.address', place),
    row('tr.profiles', (o.profiles || []).join(', ')),
    row('tr.audience', (o.audience || []).map((a) => t(`pro.audience.${a}`)).join(', ')),
    row('tr.cost', o.cost_eur ? t('tr.cost.eur', { n: num(o.cost_eur, 2) }) : t('tr.cost.free')),
    row('dash.change.who', who(c)),
    row('dash.change.when', when(c.created)));
}

/** The words for a refused decision: 409 decided meanwhile, 422 no longer valid, and so on. */
function refusal(r, conflictKey) {
  if (r.status === 409) return t(conflictKey);
  if (r.status === 422) return t('dash.invalid.now', { msg: r.body?.fields ? Object.values(r.body.fields).join('; ') : r.body?.error || '' });
  if (r.status === 403) return t('dash.forbidden');
  if (r.status === 401) return t('dash.expired');
  if (r.status === 429) return t('dash.later');
  return t('dash.error', { msg: r.body?.error || `HTTP ${r.status}` });
}

/** Old → new as a definition list (shared by changes and history entries). */
function details(c) {
  if (c.subject === 'training' && c.field === 'offer') return offerDetails(c);
  const row = (k, v, cls) => [h('dt', {}, t(k)), h('dd', { class: cls }, v)];
  return h('dl', { class: 'dash-dl' },
    row('dash.change.field', fieldName(c.field, c.subject)),
    row('dash.change.old', valueText(c.field, c.old), 'dash-old'),
    row('dash.change.new', valueText(c.field, c.new), 'dash-new'),
    row('dash.change.who', who(c)),
    row('dash.change.when', when(c.created)));
}

function serviceTitle(services, id, subject, c, training) {
  if (subject === 'training') {
    // A training offer: a new one carries its whole record; an edit is named from the offers
    // the account may review (GET /api/me/training).
    const o = c.field === 'offer' ? c.new || {} : training.get(id) || {};
    return [h('h4', {}, t('dash.training', { title: o.title || id })),
      o.organiser?.name ? h('p', { class: 'dash-note' }, o.organiser.name) : null];
  }
  if (subject === 'provider') {
    // A change to an organisation: its id is the provider's; name it from any of its services.
    const any = [...services.values()].find((s) => s.provider?.id === id);
    return [h('h4', {}, t('dash.org', { name: any?.provider?.name || id }))];
  }
  const s = services.get(id);
  return [h('h4', {}, s?.name || id), s?.municipality?.name ? h('p', { class: 'dash-note' }, s.municipality.name) : null];
}

function changeCard(c, ctx) {
  const out = h('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  const approve = h('button', { type: 'button', class: 'btn btn-primary' }, t('dash.approve'));
  const reject = h('button', { type: 'button', class: 'btn' }, t('dash.reject'));
  // A new offer has no history yet; a change to a published one, a service or an organisation has.
  const subject = c.subject === 'training' ? 'offer' : c.subject === 'provider' ? 'org' : 'service';
  const historyId = { offer: `training:${c.service_id}`, org: `org:${c.service_id}`, service: c.service_id }[subject];
  const buttons = h('div', { class: 'dash-actions' }, approve, reject,
    ctx.admin && !(c.subject === 'training' && c.field === 'offer')
      ? h('button', { type: 'button', class: 'btn btn-link', onclick: () => ctx.openHistory(historyId) },
        t({ offer: 'dash.history.open.offer', org: 'dash.history.open.org', service: 'dash.history.open' }[subject]))
      : null);
  const card = h('li', { class: 'card', dataset: { id: c.id, service: c.service_id } },
    serviceTitle(ctx.services, c.service_id, c.subject, c, ctx.training), details(c), buttons, out);
  const decide = async (action) => {
    approve.disabled = true;
    reject.disabled = true;
    out.className = 'result';
    out.textContent = t('dash.working');
    const r = await ctx.call('POST', `/api/changes/${c.id}/${action}`);
    if (r.status === 200) {
      out.className = 'result ok';
      out.textContent = t(action === 'approve' ? 'dash.approved' : 'dash.rejected');
      card.dataset.status = action === 'approve' ? 'applied' : 'rejected';
      approve.remove();
      reject.remove();
      ctx.decided();
    } else {
      out.className = 'result bad';
      out.textContent = refusal(r, 'dash.conflict');
      if (r.status === 409) {
        // Someone else decided it: nothing left to do here.
        card.dataset.status = 'decided';
        approve.remove();
        reject.remove();
        ctx.decided();
      } else {
        approve.disabled = false;
        reject.disabled = false;
      }
    }
  };
  approve.addEventListener('click', () => decide('approve'));
  reject.addEventListener('click', () => decide('reject'));
  return card;
}

async function showChanges(ctx) {
  const body = $('dash-changes-body');
  const r = await ctx.call('GET', '/api/changes?status=pending');
  if (r.status !== 200) {
    replace(body, h('p', { class: 'result bad' }, refusal(r, 'dash.conflict')));
    return;
  }
  const list = r.body.changes || [];
  // Edits of training offers are named from the offers the account may review (asked only then).
  if (list.some((c) => c.subject === 'training' && c.field !== 'offer')) {
    const offers = await ctx.call('GET', '/api/me/training');
    ctx.training = new Map((offers.body?.offers || []).map((f) => [f.properties.id, f.properties]));
  }
  const count = h('p', { id: 'dash-changes-count', role: 'status', 'aria-live': 'polite' });
  let left = list.length;
  const say = () => { count.textContent = left ? t('dash.changes.count', { n: num(left) }) : t('dash.changes.none'); };
  say();
  ctx.decided = () => { left -= 1; say(); };
  replace(body, count, list.length ? h('ul', { id: 'dash-change-list', class: 'cards' }, list.map((c) => changeCard(c, ctx))) : null);
}

function historyEntry(e, reverted, ctx, service) {
  const out = h('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  const li = h('li', { class: 'card', dataset: { id: e.id } }, details(e),
    e.approved ? h('p', { class: 'dash-note' }, t('dash.history.approved', { when: when(e.approved) })) : null,
    e.reverts ? h('p', { class: 'dash-note' }, t('dash.history.reverts', { id: e.reverts })) : null);
  if (reverted) {
    li.append(h('p', { class: 'dash-note' }, t('dash.history.undone')));
    return li;
  }
  const undo = h('button', { type: 'button', class: 'btn' }, t('dash.undo'));
  // Undoing an offer's publication withdraws it; any other change puts the old value back.
  const question = e.subject === 'training' && e.field === 'offer'
    ? t('dash.undo.offer', { title: e.new?.title || '' })
    : t('dash.undo.confirm', { field: fieldName(e.field, e.subject), old: valueText(e.field, e.old), new: valueText(e.field, e.new) });
  const confirmBox = h('div', { class: 'dash-confirm', hidden: true, role: 'group', 'aria-label': t('dash.undo') },
    h('p', {}, question));
  const yes = h('button', { type: 'button', class: 'btn btn-primary' }, t('dash.undo.yes'));
  const no = h('button', { type: 'button', class: 'btn' }, t('dash.undo.no'));
  confirmBox.append(h('div', { class: 'dash-actions' }, yes, no));
  undo.addEventListener('click', () => { undo.hidden = true; confirmBox.hidden = false; yes.focus(); });
  no.addEventListener('click', () => { confirmBox.hidden = true; undo.hidden = false; undo.focus(); });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    const r = await ctx.call('POST', `/api/changes/${e.id}/revert`);
    if (r.status === 200) {
      await showHistory(ctx, service, t('dash.undone'));
    } else {
      yes.disabled = false;
      no.disabled = false;
      out.className = 'result bad';
      out.textContent = refusal(r, 'dash.undo.conflict');
    }
  });
  li.append(undo, confirmBox, out);
  return li;
}

/** Shows a service's applied changes, newest first, with `message` above them. */
async function showHistory(ctx, id, message = '') {
  const box = $('dash-history-list');
  const status = $('dash-history-status');
  status.className = message ? 'result ok' : 'result';
  status.textContent = message || t('dash.working');
  // `org:<provider id>` is an organisation's history, `training:<id>` an offer's; anything
  // else a service's.
  const training = id.startsWith('training:');
  const url = id.startsWith('org:')
    ? `/api/providers/${encodeURIComponent(id.slice(4))}/history`
    : training
      ? `/api/training/${encodeURIComponent(id.slice(9))}/history`
      : `/api/services/${encodeURIComponent(id)}/history`;
  const r = await ctx.call('GET', url);
  if (r.status !== 200) {
    status.className = 'result bad';
    status.textContent = refusal(r, 'dash.conflict');
    replace(box);
    return;
  }
  // An offer's entries do not say what they are about: they are the offer's.
  const history = (r.body.history || []).map((e) => (training ? { ...e, subject: 'training' } : e));
  const reverted = new Set(history.map((e) => e.reverts).filter(Boolean));
  if (!message) status.textContent = history.length ? '' : t('dash.history.none');
  replace(box, [...history].reverse().map((e) => historyEntry(e, reverted.has(e.id), ctx, id)));
}

function historyPicker(ctx) {
  const byMuni = new Map();
  for (const s of ctx.services.values()) {
    const m = name(s.municipality?.name) || '';
    if (!byMuni.has(m)) byMuni.set(m, []);
    byMuni.get(m).push(s);
  }
  const groups = [...byMuni.entries()].sort((a, b) => a[0].localeCompare(b[0], 'pt'));
  const orgs = new Map([...ctx.services.values()].map((s) => [s.provider?.id, s.provider?.name]));
  orgs.delete(undefined);
  const select = h('select', { id: 'dash-history-service', name: 'service' },
    groups.map(([m, list]) => h('optgroup', { label: m },
      list.sort((a, b) => a.name.localeCompare(b.name, 'pt')).map((s) => h('option', { value: s.id }, s.name)))),
    h('optgroup', { label: t('dash.history.orgs') },
      [...orgs.entries()].sort((a, b) => String(a[1]).localeCompare(String(b[1]), 'pt'))
        .map(([id, n]) => h('option', { value: `org:${id}` }, n || id))),
    ctx.offers.length
      ? h('optgroup', { label: t('dash.history.offers') },
        [...ctx.offers].sort((a, b) => String(a.title).localeCompare(String(b.title), 'pt'))
          .map((o) => h('option', { value: `training:${o.id}` }, o.title || o.id)))
      : null);
  const form = h('form', { class: 'dash-picker' },
    h('div', { class: 'field' }, h('label', { for: 'dash-history-service' }, t('dash.history.service')), select),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('dash.history.show')));
  form.addEventListener('submit', (e) => { e.preventDefault(); showHistory(ctx, select.value); });
  ctx.openHistory = (id) => {
    select.value = id;
    $('dash-history').scrollIntoView({ block: 'start' });
    select.focus();
    showHistory(ctx, id);
  };
  replace($('dash-history-body'), form,
    h('p', { id: 'dash-history-status', class: 'result', role: 'status', 'aria-live': 'polite' }),
    h('ul', { id: 'dash-history-list', class: 'cards' }));
}

/**
 * The review parts: `call` as in provider.js, `services` (id → properties) for names, `admin`
 * for history and undo.
 */
export async function showReview({ call, services, admin }) {
  const ctx = { call, services, training: new Map(), offers: [], admin, decided: () => {}, openHistory: () => {} };
  if (admin) {
    // The training offers an admin may see (every one), for their history.
    const r = await call('GET', '/api/me/training');
    ctx.offers = (r.body?.offers || []).map((f) => f.properties);
    historyPicker(ctx);
  }
  await showChanges(ctx);
}
