// Inviting a person (admins): `POST /api/invitations` with {email, role, provider |
// municipalities}; the answer's login link is shown to copy unless the server e-mailed it. A
// provider account names its organisation (chosen from the services' providers); a trainer
// account its training entity, by an id typed here (sent in the same `provider` field).
import { t, date, name } from './i18n.js';
import { h, replace, $ } from './dom.js';

const ROLES = ['provider', 'trainer', 'moderator', 'admin'];

/** The region's providers (id, name) from the services the admin may edit, by name. */
function providers(services) {
  const seen = new Map();
  for (const s of services.values()) if (s.provider?.id && !seen.has(s.provider.id)) seen.set(s.provider.id, s.provider.name || s.provider.id);
  return [...seen.entries()].sort((a, b) => a[1].localeCompare(b[1], 'pt'));
}

const errorP = (id) => h('p', { id, class: 'error' });

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a new login link answer shows: "sent to <email>" when the server e-mailed it, otherwise
 * the link to copy with its expiry; `prefix` keeps the element ids apart.
 */
export function linkResult(answer, emailTo, prefix, madeKey = 'dash.invite.created') {
  const link = answer?.login_url || '';
  const until = answer?.expires ? date(new Date(answer.expires * 1000).toISOString()) : '';
  if (answer?.emailed) return [h('p', { class: 'result ok' }, t('dash.invite.emailed', { email: emailTo }))];
  const out = h('input', { id: `${prefix}-link`, type: 'text', readonly: true, value: link, 'aria-describedby': `${prefix}-link-help` });
  const said = h('p', { class: 'result', role: 'status' });
  const btn = h('button', { type: 'button', class: 'btn' }, t('dash.invite.copy'));
  btn.addEventListener('click', async () => {
    out.select();
    said.className = 'result ok';
    said.textContent = t((await copy(link)) ? 'dash.invite.copied' : 'dash.invite.copy.manual');
  });
  return [h('p', { class: 'result ok' }, t(madeKey, { email: emailTo })),
    h('div', { class: 'field' }, h('label', { for: `${prefix}-link` }, t('dash.invite.link')),
      h('div', { class: 'dash-copy' }, out, btn)),
    h('p', { id: `${prefix}-link-help`, class: 'dash-note' }, t('dash.invite.link.help', { date: until })), said];
}

/** The invitation form; `services` (id → properties) gives the providers to choose from. */
export async function showInvite({ call, services, onInvited }) {
  const munis = await call('GET', '/api/municipalities');
  const mList = (munis.body?.features || []).map((f) => f.properties)
    .sort((a, b) => name(a.name).localeCompare(name(b.name), 'pt'));

  const email = h('input', { id: 'inv-email', name: 'email', type: 'email', autocomplete: 'off', 'aria-describedby': 'inv-email-error' });
  const roleInputs = ROLES.map((r) => h('input', { type: 'radio', name: 'role', value: r, id: `inv-role-${r}`, checked: r === 'provider' }));
  const roleBox = h('fieldset', { class: 'field dash-choices' }, h('legend', {}, t('dash.invite.role')),
    ROLES.map((r, i) => h('label', { for: `inv-role-${r}` }, roleInputs[i], ' ', t(`dash.invite.role.${r}`))));
  const provider = h('select', { id: 'inv-provider', name: 'provider', 'aria-describedby': 'inv-provider-error' },
    h('option', { value: '' }, t('dash.invite.provider.pick')),
    providers(services).map(([id, n]) => h('option', { value: id }, n)));
  const providerBox = h('div', { class: 'field', id: 'inv-provider-box' },
    h('label', { for: 'inv-provider' }, t('dash.invite.provider')), provider, errorP('inv-provider-error'));
  const trainer = h('input', {
    id: 'inv-trainer', name: 'trainer', type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
    'aria-describedby': 'inv-trainer-help inv-trainer-error',
  });
  const trainerBox = h('div', { class: 'field', id: 'inv-trainer-box', hidden: true },
    h('label', { for: 'inv-trainer' }, t('dash.invite.trainer')),
    h('p', { id: 'inv-trainer-help', class: 'help' }, t('dash.invite.trainer.help')),
    trainer, errorP('inv-trainer-error'));
  const muniBox = h('fieldset', { class: 'field dash-choices dash-munis', id: 'inv-munis', 'aria-describedby': 'inv-munis-error', hidden: true },
    h('legend', {}, t('dash.invite.municipalities')),
    mList.map((m) => h('label', { for: `inv-m-${m.code}` },
      h('input', { type: 'checkbox', name: 'municipalities', value: m.code, id: `inv-m-${m.code}` }), ' ', name(m.name))),
    errorP('inv-munis-error'));
  const result = h('div', { id: 'inv-result', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('dash.invite.send'));
  const form = h('form', { id: 'dash-invite-form', novalidate: true, 'aria-labelledby': 'dash-invite-title' },
    h('div', { class: 'field' }, h('label', { for: 'inv-email' }, t('dash.invite.email')), email, errorP('inv-email-error')),
    roleBox, providerBox, trainerBox, muniBox, submit, result);

  const role = () => roleInputs.find((i) => i.checked)?.value || 'provider';
  const showFor = () => {
    providerBox.hidden = role() !== 'provider';
    trainerBox.hidden = role() !== 'trainer';
    muniBox.hidden = role() !== 'moderator';
  };
  for (const i of roleInputs) i.addEventListener('change', showFor);
  showFor();

  // The server's field names, and where each one's message goes.
  const targets = {
    email: [email, 'inv-email-error', 'dash.invite.bad.email'],
    provider: [provider, 'inv-provider-error', 'dash.invite.bad.provider'],
    trainer: [trainer, 'inv-trainer-error', 'dash.invite.bad.trainer'],
    municipalities: [muniBox, 'inv-munis-error', 'dash.invite.bad.municipalities'],
  };
  targets.municipality = targets.municipalities;
  const clear = () => {
    for (const [el, errId] of Object.values(targets)) {
      el.removeAttribute('aria-invalid');
      $(errId).textContent = '';
    }
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear();
    const body = { email: email.value.trim(), role: role() };
    if (body.role === 'provider') body.provider = provider.value;
    if (body.role === 'trainer') body.provider = trainer.value.trim();
    if (body.role === 'moderator') body.municipalities = [...muniBox.querySelectorAll('input:checked')].map((i) => i.value);
    submit.disabled = true;
    replace(result, h('p', { class: 'result' }, t('dash.working')));
    const r = await call('POST', '/api/invitations', body);
    submit.disabled = false;
    if (r.status === 201) {
      replace(result, ...linkResult(r.body, body.email, 'inv'));
      onInvited?.();
      email.value = '';
      return;
    }
    if (r.status === 422 && r.body?.fields) {
      let first = null;
      const other = [];
      for (const [k, msg] of Object.entries(r.body.fields)) {
        // A trainer's entity is sent as `provider` too.
        const target = targets[k === 'provider' && body.role === 'trainer' ? 'trainer' : k];
        if (!target) { other.push(msg); continue; }
        const [el, errId, key] = target;
        $(errId).textContent = t(key);
        el.setAttribute('aria-invalid', 'true');
        first ||= el.matches('fieldset') ? el.querySelector('input') : el;
      }
      replace(result, h('p', { class: 'result bad' }, [t('dash.invite.invalid'), ...other].join(' ')));
      first?.focus();
      return;
    }
    const words = {
      409: t('dash.invite.exists', { email: body.email }),
      404: t('dash.invite.unavailable'),
      405: t('dash.invite.unavailable'),
      403: t('dash.forbidden'),
      401: t('dash.expired'),
      429: t('dash.later'),
    };
    replace(result, h('p', { class: 'result bad' }, words[r.status] || t('dash.error', { msg: r.body?.error || `HTTP ${r.status}` })));
  });
  replace($('dash-invite-body'), form);
}
