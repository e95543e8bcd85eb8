// The provider area (/provider; login links land on /login?token=…): who is signed in, the
// services the account may edit with a form each, and the open problem reports about them.
import { t, lang, setLang, name, date, translateDom } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { showDashboard } from './dashboard.js';

// The form's fields: the PATCH field, where its value is in a service feature, and its input.
const FIELDS = [
  { key: 'name', get: (p) => p.name, type: 'text', auto: 'organization' },
  { key: 'phone', get: (p) => p.contact?.phone, type: 'tel', auto: 'tel' },
  { key: 'email', get: (p) => p.contact?.email, type: 'email', auto: 'email' },
  { key: 'website', get: (p) => p.contact?.website, type: 'url', auto: 'url' },
  { key: 'address', get: (p) => p.address, type: 'text', auto: 'street-address' },
  { key: 'postal_code', get: (p) => p.postal_code, type: 'text', auto: 'postal-code' },
  { key: 'opening_hours', get: (p) => p.opening_hours, type: 'text' },
  { key: 'capacity', get: (p) => p.capacity, type: 'text', numeric: true },
  { key: 'vacancies', get: (p) => p.vacancies, type: 'text', numeric: true },
];

const params = new URLSearchParams(location.search);
const saved = (() => { try { return localStorage.getItem('bussola.lang'); } catch { return null; } })();
setLang(params.get('lang') || saved || 'pt');

function csrf() {
  const c = document.cookie.split(';').map((s) => s.trim()).find((s) => s.startsWith('bussola_csrf='));
  return c ? decodeURIComponent(c.slice('bussola_csrf='.length)) : '';
}

/** fetch with JSON in and out; answers {status, body}. Network failures: status 0. */
async function call(method, url, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    let json = null;
    try { json = await res.json(); } catch { /* not JSON */ }
    return { status: res.status, body: json };
  } catch {
    return { status: 0, body: null };
  }
}

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

/** The input's text for a value from the API. */
const text = (v) => (v === null || v === undefined ? '' : String(v));

/** What to send for what was typed: null clears; counts as numbers when they look like one. */
function value(field, typed) {
  const s = typed.trim();
  if (s === '') return null;
  if (field.numeric && /^\d+$/.test(s)) return Number(s);
  return s;
}

function serviceForm(feature) {
  const p = feature.properties;
  const id = p.id;
  let current = p;
  const inputs = {};
  const errors = {};
  const result = h('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  const rows = FIELDS.map((f) => {
    const inputId = `f-${id}-${f.key}`;
    const errId = `${inputId}-error`;
    errors[f.key] = h('p', { id: errId, class: 'error' });
    inputs[f.key] = h('input', {
      id: inputId, name: f.key, type: f.type, value: text(f.get(p)), autocomplete: f.auto || 'off',
      inputmode: f.numeric ? 'numeric' : null, 'aria-describedby': errId,
    });
    return h('div', { class: 'field' }, h('label', { for: inputId }, t(`prov.field.${f.key}`)), inputs[f.key], errors[f.key]);
  });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, t('prov.save'));
  const form = h('form', { novalidate: true, 'aria-label': t('prov.form.label', { name: p.name }) }, rows, button, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const changed = {};
    for (const f of FIELDS) {
      if (inputs[f.key].value.trim() !== text(f.get(current)).trim()) changed[f.key] = value(f, inputs[f.key].value);
    }
    for (const f of FIELDS) {
      errors[f.key].textContent = '';
      inputs[f.key].removeAttribute('aria-invalid');
    }
    result.className = 'result';
    if (!Object.keys(changed).length) {
      result.textContent = t('prov.nochange');
      return;
    }
    button.disabled = true;
    result.textContent = t('prov.saving');
    const r = await call('PATCH', `/api/services/${encodeURIComponent(id)}`, changed);
    button.disabled = false;
    if (r.status === 200 || r.status === 202) {
      current = r.body.service.properties;
      for (const f of FIELDS) inputs[f.key].value = text(f.get(current));
      result.classList.add('ok');
      result.textContent = t(r.status === 200 ? 'prov.saved' : 'prov.review');
    } else if (r.status === 422 && r.body?.fields) {
      let first = null;
      for (const [k, msg] of Object.entries(r.body.fields)) {
        // lon/lat and others are not on this form: show them in the summary.
        const key = inputs[k] ? k : null;
        if (!key) continue;
        errors[key].textContent = msg;
        inputs[key].setAttribute('aria-invalid', 'true');
        first ||= inputs[key];
      }
      result.classList.add('bad');
      result.textContent = t('prov.invalid');
      first?.focus();
    } else if (r.status === 401) {
      result.classList.add('bad');
      result.textContent = t('prov.expired');
    } else {
      result.classList.add('bad');
      result.textContent = t('prov.error', { msg: r.body?.error || `HTTP ${r.status}` });
    }
  });
  return h('li', { class: 'card', dataset: { id } },
    h('h3', {}, p.name),
    h('p', {}, [name(p.type_name), name(p.municipality?.name)].filter(Boolean).join(' · ')),
    form);
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
      out.textContent = t('prov.error', { msg: res.body?.error || `HTTP ${res.status}` });
    }
  });
  return h('li', { class: 'card', dataset: { id: r.id } },
    h('h3', {}, names[r.service_id] || r.service_id),
    h('p', {}, t(`report.${r.problem}`), ' · ', date(r.created)),
    r.note ? h('p', {}, `“${r.note}”`) : null,
    btn, out);
}

async function show() {
  const me = await call('GET', '/api/me');
  if (me.status === 401) return status('prov.signedout');
  if (me.status !== 200) return status('prov.error', { msg: me.body?.error || `HTTP ${me.status}` });
  const user = me.body.user;
  $('who-text').textContent = t('prov.who', { email: user.email, role: t(`prov.role.${user.role}`) });
  $('who').hidden = false;
  if (user.role !== 'provider') showDashboard(user, call);
  const [svcs, reports] = await Promise.all([call('GET', '/api/me/services'), call('GET', '/api/feedback')]);
  const features = svcs.body?.features || [];
  const names = Object.fromEntries(features.map((f) => [f.properties.id, f.properties.name]));
  replace($('service-list'), features.map(serviceForm));
  $('services').hidden = false;
  const open = reports.body?.reports || [];
  replace($('report-list'), open.length ? open.map((r) => reportItem(r, names)) : h('li', {}, t('prov.reports.none')));
  $('reports').hidden = false;
  status(features.length ? null : 'prov.services.none');
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
      else if (r.status !== 200) status('prov.error', { msg: r.body?.error || `HTTP ${r.status}` });
      else await show();
    }
  } else {
    await show();
  }
  $('main').setAttribute('aria-busy', 'false');
}

$('logout').addEventListener('click', async () => {
  await call('POST', '/api/logout');
  for (const id of ['who', 'services', 'reports']) $(id).hidden = true;
  status('prov.signedout.done');
  $('main').focus();
});

start();
