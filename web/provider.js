// The provider area (/provider; login links land on /login?token=…): who is signed in, one
// button to confirm every service, each service with its freshness, today's vacancies and a
// form, the open problem reports about them, what the services received (counts only) and a
// short survey.
import { t, lang, setLang, date, translateDom } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { call, why } from './provider-api.js';
import { serviceCard, invalidText } from './provider-card.js';
import { showOrganisation } from './provider-org.js';
import { showStats, bindStats } from './provider-stats.js';
import { showSurvey } from './provider-survey.js';
import { showDashboard } from './dashboard.js';
import { showServiceList } from './provider-list.js';
import { showTraining } from './provider-training.js';

const params = new URLSearchParams(location.search);
const saved = (() => { try { return localStorage.getItem('bussola.lang'); } catch { return null; } })();
setLang(params.get('lang') || saved || 'pt');

const SECTIONS = ['who', 'confirm-all', 'services', 'reports', 'training', 'org', 'stats', 'prov-survey'];
let cards = [];

function status(key, vars) {
  $('status').textContent = key ? t(key, vars) : '';
}

function applyLang() {
  document.documentElement.lang = lang();
  document.title = `${t('prov.title')} · Bússola`;
  translateDom();
  const other = lang() === 'pt' ? 'en' : 'pt';
  const sw = $('lang-switch');
  sw.href = `/provider?lang=${other}`;
  sw.setAttribute('lang', other);
  $('back').href = `/?lang=${lang()}`;
}

/** The confirmation day of each of the account's services, as the server now has them (read
 * from /api/me/services, which counts no view). */
async function confirmedDays() {
  const r = await call('GET', '/api/me/services');
  return Object.fromEntries((r.body?.features || []).map((f) => [f.properties.id, f.properties.confirmed]));
}

function reportItem(r, names) {
  const out = h('p', { class: 'result', role: 'status' });
  const btn = h('button', { type: 'button', class: 'btn' }, t('prov.resolve'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    const res = await call('POST', `/api/feedback/${r.id}/resolve`);
    if (res.status === 200) {
      out.className = 'result ok';
      out.textContent = t('prov.resolved');
      btn.remove();
    } else {
      btn.disabled = false;
      out.className = 'result bad';
      out.textContent = t('prov.error', { msg: why(res) });
    }
  });
  return h('li', { class: 'card', dataset: { id: r.id } },
    h('h3', {}, names[r.service_id] || r.service_id),
    h('p', {}, t(`report.${r.problem}`), ' · ', date(r.created)),
    r.note ? h('p', {}, `“${r.note}”`) : null,
    btn, out);
}

/** "Confirmar todos os meus serviços": POST /api/confirm, then every card shows its new day. */
async function confirmAll() {
  const btn = $('confirm-all-btn');
  const out = $('confirm-all-result');
  btn.disabled = true;
  out.className = 'result';
  out.textContent = t('prov.confirm.sending');
  const r = await call('POST', '/api/confirm');
  btn.disabled = false;
  if (r.status !== 200) {
    out.className = 'result bad';
    out.textContent = r.status === 401 ? t('prov.expired') : t('prov.error', { msg: why(r) });
    return;
  }
  const days = await confirmedDays();
  for (const c of cards) c.setConfirmed(days[c.id]);
  out.className = 'result ok';
  const n = r.body.confirmed.length;
  out.textContent = n === 1 ? t('prov.confirm.done.all.1') : t('prov.confirm.done.all', { n });
}

async function show() {
  const me = await call('GET', '/api/me');
  if (me.status === 401) return status('prov.signedout');
  if (me.status !== 200) return status('prov.error', { msg: why(me) });
  const user = me.body.user;
  $('who-text').textContent = t('prov.who', { email: user.email, role: t(`prov.role.${user.role}`) });
  $('who').hidden = false;
  // A trainer (a training entity) is treated as a provider: its organisation is its entity.
  const own = user.role === 'provider' || user.role === 'trainer';
  if (!own) showDashboard(user, call);
  const [svcs, reports] = await Promise.all([call('GET', '/api/me/services'), call('GET', '/api/feedback')]);
  const features = svcs.body?.features || [];
  const names = Object.fromEntries(features.map((f) => [f.properties.id, f.properties.name]));
  cards = showServiceList(features, (f) => serviceCard(f, { confirmedDays }));
  $('services').hidden = user.role === 'trainer' && !features.length;
  // One button for all: a provider's own services. Moderators and admins confirm one by one,
  // so a whole municipality (or region) is never vouched for in one tap.
  $('confirm-all').hidden = !(user.role === 'provider' && features.length);
  const open = reports.body?.reports || [];
  replace($('report-list'), open.length ? open.map((r) => reportItem(r, names)) : h('li', {}, t('prov.reports.none')));
  $('reports').hidden = false;
  status(features.length || user.role === 'trainer' ? null : 'prov.services.none');
  await showTraining(user);
  if (own && user.provider && features.length) {
    await showOrganisation(user.provider, invalidText);
    bindStats(user.provider);
    await showStats(user.provider);
  }
  showSurvey();
}

async function start() {
  applyLang();
  const token = location.pathname === '/login' ? params.get('token') : null;
  if (location.pathname === '/login') {
    // The token must not stay in the address bar or the history.
    history.replaceState(null, '', `/provider${params.get('lang') ? `?lang=${params.get('lang')}` : ''}`);
    if (!token) {
      status('prov.link.bad');
    } else {
      status('prov.signingin');
      const r = await call('POST', '/api/login', { token });
      if (r.status === 401 || r.status === 400) status('prov.link.bad');
      else if (r.status === 429) status('prov.link.later');
      else if (r.status !== 200) status('prov.error', { msg: why(r) });
      else await show();
    }
  } else {
    await show();
  }
  $('main').setAttribute('aria-busy', 'false');
}

$('confirm-all-btn').addEventListener('click', confirmAll);
$('logout').addEventListener('click', async () => {
  await call('POST', '/api/logout');
  for (const id of SECTIONS) $(id).hidden = true;
  status('prov.signedout.done');
  $('main').focus();
});

start();
