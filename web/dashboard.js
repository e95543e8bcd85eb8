// The coordination dashboard on /provider, for admins and moderators only (the server refuses
// providers too): records by age of confirmation per municipality, the providers to contact
// (also as CSV), the changes waiting for review and, for admins, history with undo and
// invitations. provider.js calls showDashboard() once it knows who is signed in.
import { t, num, date } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { showReview } from './review.js';
import { showInvite } from './invite.js';
import { showAccounts } from './accounts.js';
import { showNewsForm } from './news-form.js';

const DAY = 86_400_000;

/** Days from a YYYY-MM-DD day to another (whole days, UTC). */
function daysBetween(from, to) {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Number.isNaN(a) || Number.isNaN(b) ? null : Math.round((b - a) / DAY);
}

/** A table in its own scrolling box, so a wide table never widens the page. */
function tableBox(captionId, table) {
  return h('div', { class: 'dash-table-box', role: 'region', tabindex: '0', 'aria-labelledby': captionId }, table);
}

function municipalityTable(rows) {
  const capId = 'dash-munis-caption';
  const cols = [
    ['services', t('dash.col.services')],
    ['fresh', t('dash.col.fresh')],
    ['ageing', t('dash.col.ageing')],
    ['stale', t('dash.col.stale')],
  ];
  const total = { name: t('dash.total'), services: 0, fresh: 0, ageing: 0, stale: 0 };
  for (const r of rows) for (const [k] of cols) total[k] += r[k];
  const line = (r, tag = 'td') => h('tr', { dataset: r.code ? { code: r.code } : {} },
    h('th', { scope: 'row' }, r.name),
    cols.map(([k]) => h(tag, { class: `num${k === 'stale' && r.stale ? ' dash-warn' : ''}` }, num(r[k]))));
  return tableBox(capId, h('table', { class: 'dash-table', id: 'dash-munis' },
    h('caption', { id: capId }, t('dash.munis.caption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('dash.col.municipality')),
      cols.map(([, label]) => h('th', { scope: 'col', class: 'num' }, label)))),
    h('tbody', {}, rows.map((r) => line(r))),
    rows.length > 1 ? h('tfoot', {}, line(total)) : null));
}

function contactCell(p) {
  const links = [];
  if (p.phone) links.push(h('a', { href: `tel:${p.phone.replace(/\s+/g, '')}` }, p.phone));
  if (p.email) links.push(h('a', { href: `mailto:${p.email}` }, p.email));
  return links.length ? links : t('dash.contact.none');
}

function ageText(p, today) {
  if (!p.oldest_confirmation) return t('dash.never');
  const days = daysBetween(p.oldest_confirmation, today);
  return t('dash.days', { n: num(days), date: date(p.oldest_confirmation) });
}

/** The providers to contact: a table on a computer, one block per provider on a phone. */
function providerTable(list, today) {
  const capId = 'dash-providers-caption';
  const heads = [t('dash.col.provider'), t('dash.col.unconfirmed'), t('dash.col.oldest'), t('dash.col.contact')];
  // Explicit roles keep the table's meaning for screen readers when CSS stacks it.
  const cell = (i, content, cls) => h('td', { role: 'cell', class: cls, 'data-label': heads[i] }, content);
  return h('table', { class: 'dash-table dash-stack', id: 'dash-providers', role: 'table' },
    h('caption', { id: capId, class: 'vh' }, t('dash.providers.caption')),
    h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, heads.map((x) => h('th', { scope: 'col', role: 'columnheader' }, x)))),
    h('tbody', { role: 'rowgroup' }, list.map((p) => h('tr', { role: 'row', dataset: { provider: p.provider } },
      h('th', { scope: 'row', role: 'rowheader', tabindex: '-1' }, p.name || p.provider),
      cell(1, t('dash.unconfirmed', { n: num(p.unconfirmed), of: num(p.services) }), 'num'),
      cell(2, ageText(p, today), p.oldest_confirmation ? null : 'dash-warn'),
      cell(3, contactCell(p), 'dash-contact')))));
}

/** Rows past the first few wait behind a button, so a long list does not bury what follows. */
const FIRST_ROWS = 10;

function showAllButton(table, count) {
  if (count <= FIRST_ROWS) return null;
  const rows = [...table.tBodies[0].rows].slice(FIRST_ROWS);
  for (const r of rows) r.hidden = true;
  const btn = h('button', { type: 'button', class: 'btn', id: 'dash-providers-all', 'aria-controls': 'dash-providers' },
    t('dash.providers.all', { n: num(count) }));
  btn.addEventListener('click', () => {
    for (const r of rows) r.hidden = false;
    rows[0].querySelector('th')?.focus();
    btn.remove();
  });
  return btn;
}

async function showStaleness(call) {
  const box = $('dash-stale-body');
  const r = await call('GET', '/api/staleness');
  if (r.status !== 200) {
    replace(box, h('p', { class: 'result bad' }, t('dash.error', { msg: r.body?.error || `HTTP ${r.status}` })));
    return;
  }
  const { today, municipalities, providers } = r.body;
  const table = providers.length ? providerTable(providers, today) : null;
  replace(box,
    h('p', {}, t('dash.stale.help', { date: date(today) })),
    municipalityTable(municipalities),
    h('h4', { id: 'dash-providers-title' }, t('dash.providers.title', { n: num(providers.length) })),
    h('p', {}, t('dash.providers.help')),
    h('p', { class: 'dash-actions' }, h('a', {
      class: 'btn', id: 'dash-csv', href: '/api/staleness?format=csv', download: 'providers-to-contact.csv',
    }, t('dash.csv')), h('span', { class: 'dash-note' }, t('dash.csv.help'))),
    table || h('p', { class: 'result ok' }, t('dash.providers.none')),
    table ? showAllButton(table, providers.length) : null);
}

function part(id, titleKey, helpKey) {
  return h('section', { id, class: 'dash-part', 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, t(titleKey)),
    helpKey ? h('p', {}, t(helpKey)) : null,
    h('div', { id: `${id}-body` }, h('p', {}, t('dash.loading'))));
}

/**
 * Shows the dashboard for an admin or a moderator (`user` from /api/me); `call(method, url,
 * body)` is the provider area's fetch with the session cookie and CSRF header.
 */
export async function showDashboard(user, call) {
  if (user.role !== 'admin' && user.role !== 'moderator') return;
  const root = $('dashboard');
  const admin = user.role === 'admin';
  replace(root,
    h('h2', { id: 'dashboard-title' }, t('dash.title')),
    h('p', {}, t(admin ? 'dash.intro.admin' : 'dash.intro.moderator')),
    part('dash-changes', 'dash.changes.title', 'dash.changes.help'),
    part('dash-stale', 'dash.stale.title'),
    admin ? part('dash-news', 'dash.news.title', 'dash.news.help') : null,
    admin ? part('dash-history', 'dash.history.title', 'dash.history.help') : null,
    admin ? part('dash-invite', 'dash.invite.title', 'dash.invite.help') : null,
    admin ? part('dash-accounts', 'dash.accounts.title', 'dash.accounts.help') : null);
  root.hidden = false;
  // The services the account may edit name the services in changes and, for admins, the
  // region's providers for invitations.
  const mine = await call('GET', '/api/me/services');
  const services = new Map((mine.body?.features || []).map((f) => [f.properties.id, f.properties]));
  await Promise.all([
    showStaleness(call),
    showReview({ call, services, admin }),
    admin ? showNewsForm({ call }) : null,
    admin ? showAccounts({ call, services }).then((onInvited) => showInvite({ call, services, onInvited })) : null,
  ]);
}

// Signing out hides the dashboard with the rest of the account's sections.
$('logout')?.addEventListener('click', () => { $('dashboard').hidden = true; });
