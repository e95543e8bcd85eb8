// The accounts (admins): who may sign in, with what role and for which organisation or
// municipalities, and a new single-use login link for anyone who lost theirs
// (`GET /api/users`, `POST /api/users/{id}/link`).
import { t, name } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { linkResult } from './invite.js';

/** What an account looks after, in words: its organisation, or its municipalities. */
function scope(u, providers, munis) {
  if (u.role === 'provider') return providers.get(u.provider) || u.provider || '';
  if (u.role === 'trainer') return u.provider || '';
  if (u.role === 'moderator') return u.municipalities.map((m) => munis.get(m) || m).join(', ');
  return t('dash.accounts.everything');
}

function accountItem(u, ctx) {
  const out = h('div', { class: 'dash-relink', role: 'status', 'aria-live': 'polite' });
  const btn = h('button', { type: 'button', class: 'btn', 'aria-label': t('dash.accounts.relink.label', { email: u.email }) },
    t('dash.accounts.relink'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    replace(out, h('p', { class: 'result' }, t('dash.working')));
    const r = await ctx.call('POST', `/api/users/${u.id}/link`);
    btn.disabled = false;
    if (r.status === 201) replace(out, ...linkResult(r.body, u.email, `acc-${u.id}`, 'dash.accounts.relinked'));
    else replace(out, h('p', { class: 'result bad' }, r.status === 401 ? t('dash.expired') : t('dash.error', { msg: r.body?.error || `HTTP ${r.status}` })));
  });
  return h('li', { class: 'card', dataset: { id: u.id } },
    h('h4', {}, u.email),
    h('p', {}, t(`prov.role.${u.role}`), ' · ', scope(u, ctx.providers, ctx.munis)),
    btn, out);
}

/** Shows the accounts in `#dash-accounts-body`; returns a function that shows them again. */
export async function showAccounts({ call, services }) {
  const munis = await call('GET', '/api/municipalities');
  const ctx = {
    call,
    providers: new Map([...services.values()].map((s) => [s.provider?.id, s.provider?.name])),
    munis: new Map((munis.body?.features || []).map((f) => [f.properties.code, name(f.properties.name)])),
  };
  const refresh = async () => {
    const r = await call('GET', '/api/users');
    if (r.status !== 200) {
      replace($('dash-accounts-body'), h('p', { class: 'result bad' }, t('dash.error', { msg: r.body?.error || `HTTP ${r.status}` })));
      return;
    }
    const users = r.body.users || [];
    replace($('dash-accounts-body'),
      h('p', {}, t('dash.accounts.count', { n: users.length })),
      h('ul', { id: 'dash-account-list', class: 'cards' }, users.map((u) => accountItem(u, ctx))));
  };
  await refresh();
  return refresh;
}
