// One service in the provider area: how current it is with a "the details are right" button,
// today's vacancies in one step, and the form for everything else, with the server's 422
// answers shown per field in plain Portuguese (or English).
import { t, lang, name, num } from './i18n.js';
import { h, replace } from './dom.js';
import { call, day, daysSince, why } from './provider-api.js';

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

// Fields the server may name that have a message of their own (the rest get the generic one).
const MESSAGES = new Set([...FIELDS.map((f) => f.key), 'users', 'position', 'org_name', 'legal_nature']);

// Confirmed within this many days counts as current (the server's FRESH_DAYS).
const FRESH_DAYS = 90;

/** What to say about a field the server refused: ours in the page's language; in English the
 * server's own words as well. */
export function invalidText(field, detail) {
  const own = t(MESSAGES.has(field) ? `prov.invalid.${field}` : 'prov.invalid.other', { field });
  return lang() === 'en' && detail ? `${own} (${detail})` : own;
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

/** "Sem vagas · declarado em 27/11/2026", "3 vagas · …", or that none was declared. */
function vacancyText(p) {
  if (p.vacancies === null || p.vacancies === undefined) return t('prov.vac.unknown');
  const n = Number(p.vacancies);
  const what = n === 0 ? t('prov.vac.0') : n === 1 ? t('prov.vac.1') : t('prov.vac.n', { n: num(n) });
  return p.vacancies_declared
    ? t('prov.vac.declared', { what, date: day(p.vacancies_declared) })
    : t('prov.vac.undated', { what });
}

/** A result line that screen readers announce. */
const resultLine = () => h('p', { class: 'result', role: 'status', 'aria-live': 'polite' });

function say(el, kind, msg) {
  el.className = `result${kind ? ` ${kind}` : ''}`;
  el.textContent = msg;
}

/**
 * A service's card. `confirmedDays()` answers the confirmation day of each of the account's
 * services by id, as the server now has them. Returns {el, id, setConfirmed(day)}.
 */
export function serviceCard(feature, { confirmedDays }) {
  const p = feature.properties;
  const id = p.id;
  const url = `/api/services/${encodeURIComponent(id)}`;
  let current = p;

  // Freshness: when the details were last confirmed, and a button to confirm them now.
  const fresh = h('p', { class: 'fresh' });
  const renderFresh = () => {
    const c = current.confirmed;
    const age = daysSince(c);
    const ok = c && age !== null && age <= FRESH_DAYS;
    fresh.className = `fresh ${ok ? 'is-fresh' : 'is-old'}`;
    replace(fresh, c ? t('prov.confirmed', { date: day(c) })
      : current.updated ? t('svc.unconfirmed', { date: day(current.updated) }) : t('svc.never'),
    ok ? null : h('span', { class: 'due' }, ` ${t('prov.confirm.due')}`));
  };
  const confirmOut = resultLine();
  const confirmBtn = h('button', { type: 'button', class: 'btn btn-primary confirm' }, t('prov.confirm.one'));
  confirmBtn.addEventListener('click', async () => {
    confirmBtn.disabled = true;
    say(confirmOut, '', t('prov.confirm.sending'));
    const r = await call('POST', `${url}/confirm`);
    if (r.status === 200) {
      card.setConfirmed((await confirmedDays())[id]);
      say(confirmOut, 'ok', t('prov.confirm.done.one'));
    } else {
      say(confirmOut, 'bad', r.status === 401 ? t('prov.expired') : t('prov.error', { msg: why(r) }));
    }
    confirmBtn.disabled = false;
  });

  // Today's vacancies: one number, one button; 0 is an answer ("no vacancies").
  const vacId = `v-${id}`;
  const vacErr = h('p', { id: `${vacId}-error`, class: 'error' });
  const vacState = h('p', { class: 'vac-state', id: `${vacId}-state` });
  const vacInput = h('input', {
    id: vacId, name: 'vacancies-today', type: 'text', inputmode: 'numeric', autocomplete: 'off',
    value: text(p.vacancies), 'aria-describedby': `${vacId}-state ${vacId}-error`,
  });
  const vacBtn = h('button', { type: 'submit', class: 'btn btn-primary' }, t('prov.vac.send'));
  const vacOut = resultLine();
  const vacForm = h('form', { class: 'vacbox', novalidate: true, 'aria-label': t('prov.vac.label', { name: p.name }) },
    h('label', { for: vacId }, t('prov.vac.title')),
    h('div', { class: 'vac-row' }, vacInput, vacBtn),
    vacErr, vacState, vacOut);
  const renderVac = () => { vacState.textContent = vacancyText(current); };
  const vacBad = (msg) => {
    vacErr.textContent = msg;
    vacInput.setAttribute('aria-invalid', 'true');
    vacInput.focus();
  };
  vacForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    vacErr.textContent = '';
    vacInput.removeAttribute('aria-invalid');
    say(vacOut, '', '');
    const typed = vacInput.value.trim();
    if (!/^\d+$/.test(typed)) return vacBad(invalidText('vacancies', null));
    vacBtn.disabled = true;
    say(vacOut, '', t('prov.saving'));
    const r = await call('PATCH', url, { vacancies: Number(typed) });
    vacBtn.disabled = false;
    if (r.status === 200 || r.status === 202) {
      current = r.body.service.properties;
      inputs.vacancies.value = text(current.vacancies);
      vacInput.value = text(current.vacancies);
      renderVac();
      renderFresh();
      // The same number again is still news: the server dates it today.
      if (r.status === 202) say(vacOut, 'ok', t('prov.review'));
      else say(vacOut, 'ok', t('prov.vac.done'));
    } else if (r.status === 422 && r.body?.fields) {
      say(vacOut, 'bad', t('prov.invalid'));
      vacBad(invalidText('vacancies', r.body.fields.vacancies));
    } else {
      say(vacOut, 'bad', r.status === 401 ? t('prov.expired') : t('prov.error', { msg: why(r) }));
    }
  });

  // Everything else: one form, only the changed fields sent.
  const inputs = {};
  const errors = {};
  const result = resultLine();
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
  const form = h('form', { class: 'details', novalidate: true, 'aria-label': t('prov.form.label', { name: p.name }) },
    h('h4', {}, t('prov.form.title')), rows, button, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const changed = {};
    for (const f of FIELDS) {
      if (inputs[f.key].value.trim() !== text(f.get(current)).trim()) changed[f.key] = value(f, inputs[f.key].value);
      errors[f.key].textContent = '';
      inputs[f.key].removeAttribute('aria-invalid');
    }
    if (!Object.keys(changed).length) return say(result, '', t('prov.nochange'));
    button.disabled = true;
    say(result, '', t('prov.saving'));
    const r = await call('PATCH', url, changed);
    button.disabled = false;
    if (r.status === 200 || r.status === 202) {
      current = r.body.service.properties;
      for (const f of FIELDS) inputs[f.key].value = text(f.get(current));
      vacInput.value = text(current.vacancies);
      renderFresh();
      renderVac();
      say(result, 'ok', t(r.status === 200 ? 'prov.saved' : 'prov.review'));
    } else if (r.status === 422 && r.body?.fields) {
      let first = null;
      const elsewhere = [];
      for (const [k, msg] of Object.entries(r.body.fields)) {
        if (!inputs[k]) {
          // Not on this form (users, position): said in the summary, so nothing is left unexplained.
          elsewhere.push(invalidText(k, msg));
          continue;
        }
        errors[k].textContent = invalidText(k, msg);
        inputs[k].setAttribute('aria-invalid', 'true');
        first ||= inputs[k];
      }
      say(result, 'bad', [t('prov.invalid'), ...elsewhere].join(' '));
      first?.focus();
    } else {
      say(result, 'bad', r.status === 401 ? t('prov.expired') : t('prov.error', { msg: why(r) }));
    }
  });

  const el = h('li', { class: 'card', dataset: { id } },
    h('h3', {}, p.name),
    h('p', { class: 'kind' }, [name(p.type_name), name(p.municipality?.name)].filter(Boolean).join(' · ')),
    h('div', { class: 'freshbox' }, fresh, confirmBtn, confirmOut),
    vacForm,
    form);
  const card = {
    el,
    id,
    /** Shows a new confirmation day (after "confirm" or "confirm all"). */
    setConfirmed(d) {
      if (d) current = { ...current, confirmed: d };
      renderFresh();
    },
  };
  renderFresh();
  renderVac();
  return card;
}
